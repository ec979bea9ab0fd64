"""IDs are row numbers (API.md, "Errors"): an id that cannot be one of ours is BAD_USER_INPUT naming its
field, on both stores, however large the number; never an overflow of the database parameter."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from conftest import fouten
from gegevens import benoeming, bevestig, bsn, klaarzetten, levering

BOARD = "70001"
ACTIVITEIT = {"titel": "Vakdag", "datum": "2026-11-01", "uren": 2, "gebied": "VAKINHOUDELIJK"}

# name -> (role, document, variables for the id, the field the error names)
GEVALLEN: dict[str, tuple[str, str, Callable[[str, str], dict[str, Any]], str]] = {
    "verwijderActiviteit": (
        "leraar",
        "mutation($id: ID!) { verwijderActiviteit(id: $id) }",
        lambda i, _: {"id": i},
        "id",
    ),
    "wijzigActiviteit": (
        "leraar",
        "mutation($id: ID!, $i: ActiviteitInvoer!) { wijzigActiviteit(id: $id, invoer: $i) { id } }",
        lambda i, bev: {"id": i, "i": {**ACTIVITEIT, "bevoegdheden": [bev]}},
        "id",
    ),
    "voegActiviteitToe.bevoegdheden": (
        "leraar",
        "mutation($i: ActiviteitInvoer!) { voegActiviteitToe(invoer: $i) { id } }",
        lambda i, _: {"i": {**ACTIVITEIT, "bevoegdheden": [i]}},
        "bevoegdheden",
    ),
    "voegActiviteitToe.catalogusActiviteit": (
        "leraar",
        "mutation($i: ActiviteitInvoer!) { voegActiviteitToe(invoer: $i) { id } }",
        lambda i, bev: {"i": {**ACTIVITEIT, "bevoegdheden": [bev], "catalogusActiviteit": i}},
        "catalogusActiviteit",
    ),
    "kiesHerregistratieBevoegdheden": (
        "leraar",
        "mutation($b: [ID!]!) { kiesHerregistratieBevoegdheden(bevoegdheden: $b) { registernummer } }",
        lambda i, _: {"b": [i]},
        "bevoegdheden[0]",
    ),
    "meldFout.benoeming": (
        "leraar",
        'mutation($b: ID) { meldFout(benoeming: $b, toelichting: "x") { id } }',
        lambda i, _: {"b": i},
        "benoeming",
    ),
    "meldFout.bevoegdheid": (
        "leraar",
        'mutation($b: ID) { meldFout(bevoegdheid: $b, toelichting: "x") { id } }',
        lambda i, _: {"b": i},
        "bevoegdheid",
    ),
    "dienBezwaarIn": (
        "leraar",
        'mutation($a: ID!) { dienBezwaarIn(aantekening: $a, motivering: "x") { id } }',
        lambda i, _: {"a": i},
        "aantekening",
    ),
    "behandelBezwaar": (
        "beroepsgroep",
        "mutation($b: ID!) { behandelBezwaar(bezwaar: $b, uitspraak: GEGROND) { id } }",
        lambda i, _: {"b": i},
        "bezwaar",
    ),
    "verlengVoorportaaltermijn": (
        "schoolbestuur",
        "mutation($i: ID!) { verlengVoorportaaltermijn(inschrijving: $i) { termijnEinde } }",
        lambda i, _: {"i": i},
        "inschrijving",
    ),
    "trekActiviteitIn": (
        "aanbieder",
        "mutation($id: ID!) { trekActiviteitIn(id: $id) { id } }",
        lambda i, _: {"id": i},
        "id",
    ),
}


@pytest.mark.parametrize("id_", ["2147483648", "9223372036854775808", "99999999999999999999"])
async def test_id_buiten_32_bits_is_ongeldige_invoer(api: Any, id_: str) -> None:
    b = bsn(301)
    await klaarzetten(api, [levering(b, benoemingen=[benoeming(BOARD), benoeming(BOARD, "Biologie")])])
    ik = await bevestig(api, b)
    bev = ik["bevoegdheden"][0]["id"]
    s = api.sleutels
    tokens = {
        "leraar": s.leraar(b),
        "beroepsgroep": s.beroepsgroep(),
        "schoolbestuur": s.bestuur(BOARD),
        "aanbieder": s.aanbieder("AANB1"),
    }
    for naam, (rol, document, variabelen, veld) in GEVALLEN.items():
        body = await api.gql(document, variabelen(id_, bev), tokens[rol])
        assert not fouten(body, "INTERNAL_SERVER_ERROR"), (naam, body)
        assert [e["extensions"].get("field") for e in fouten(body)] == [veld], (naam, body)
        assert fouten(body, "BAD_USER_INPUT"), (naam, body)
