"""A leak test by generated queries (issue 10, point 9): a seeded teacher whose non-public values are
canaries, queries generated from the schema (the hostile-traffic test's generator, tests/test_vijandig.py)
aimed at that teacher, for every audience with consent on and off; no canary may reach an audience
that the declarations deny it. `REGISTER_LEK_AANTAL` (default 500 a audience) for longer runs:

    REGISTER_LEK_AANTAL=20000 make test PYTEST_ARGS='tests/test_lekken.py'
"""

from __future__ import annotations

import os
from typing import Any

from conftest import Api
from gegevens import KLAARZETTEN, levering
from graphql import (
    ArgumentNode,
    IntValueNode,
    ListValueNode,
    OperationDefinitionNode,
    OperationType,
    StringValueNode,
    Visitor,
    parse,
    print_ast,
    visit,
)
from graphql.language import REMOVE
from test_limieten import elk_veld_eenmaal
from test_vijandig import basisdocumenten
from test_zichtbaarheid import BENOEMINGEN, BEVOEGDHEDEN, BG, DUO, VRAGERS, T, W, Z, bouw_gegevens, zet_toestemming

from lerarenregister.auth.policy import Doelgroep

AANTAL = int(os.environ.get("REGISTER_LEK_AANTAL", "500"))  # queries a audience, split over consent on/off

# Each canary, and the audiences its field declares (a value in two fields takes the narrower).
CANARIES: dict[str, frozenset[Doelgroep]] = {
    "Kanariezang": frozenset({Z, DUO}),  # Naam.voornamen
    "1971-07-17": frozenset({Z, DUO}),  # Leraar.geboortedatum (DUO delivers it below)
    "Kanarieportfolio": frozenset({Z, T}),  # PortfolioActiviteit.titel
    "Kanariemelding": frozenset({Z, DUO}),  # Foutmelding.toelichting
    "Ziek geweest": frozenset({Z, W, BG}),  # Bezwaar.motivering (and the row rule narrows W further)
}


class _Richt(Visitor):
    """Aim a generated query at the seeded teacher: its registernummer, a search that finds it, small pages."""

    def __init__(self, nummer: str):
        super().__init__()
        self.nummer = nummer

    def leave_argument(self, node: ArgumentNode, *_: Any) -> ArgumentNode:
        naam = node.name.value
        if naam == "registernummer":
            return ArgumentNode(name=node.name, value=StringValueNode(value=self.nummer))
        if naam == "registernummers":
            return ArgumentNode(name=node.name, value=ListValueNode(values=(StringValueNode(value=self.nummer),)))
        if naam == "zoekterm":
            return ArgumentNode(name=node.name, value=StringValueNode(value="vries"))
        if naam == "first":
            return ArgumentNode(name=node.name, value=IntValueNode(value="5"))
        if naam in ("after", "gewijzigdSinds", "filter"):  # would page or filter the teacher away
            return REMOVE  # type: ignore[no-any-return]
        return node


def _vragen(aantal: int, nummer: str) -> list[str]:
    # Random queries seldom walk deep (a portfolio entry's title, a report's text): the schema's
    # every-field document, aimed the same way, opens each half so every field is asked at least once.
    uit: list[str] = [print_ast(visit(parse(elk_veld_eenmaal()), _Richt(nummer)))]
    for doc in basisdocumenten(aantal * 3, negatief=False):
        ops = [d for d in doc.definitions if isinstance(d, OperationDefinitionNode)]
        if len(ops) == 1 and ops[0].operation == OperationType.QUERY:
            uit.append(print_ast(visit(doc, _Richt(nummer))))
        if len(uit) == aantal:
            break
    return uit


async def test_geen_kanarie_bij_wie_het_niet_mag_zien(api: Api) -> None:
    g = await bouw_gegevens(api)
    s = api.sleutels
    token = s.leraar(g.bsn)
    lev = levering(g.bsn, bevoegdheden=BEVOEGDHEDEN, benoemingen=BENOEMINGEN, geboortedatum="1971-07-17")
    await api.ok(KLAARZETTEN, {"leveringen": [lev]}, s.duo())
    await api.ok(
        'mutation { corrigeerPersoonsgegevens(invoer: { voornamen: "Kanariezang" }) { registernummer } }', token=token
    )
    ik = (await api.ok("{ ik { bevoegdheden { id } benoemingen { id } } }", token=token))["ik"]
    await api.ok(
        "mutation($i: ActiviteitInvoer!) { voegActiviteitToe(invoer: $i) { id } }",
        {
            "i": {
                "titel": "Kanarieportfolio",
                "datum": "2026-11-02",
                "uren": 1,
                "gebied": "PEDAGOGISCH",
                "bevoegdheden": [b["id"] for b in ik["bevoegdheden"]],
            }
        },
        token,
    )
    await api.ok(
        'mutation($b: ID) { meldFout(benoeming: $b, toelichting: "Kanariemelding") { id } }',
        {"b": ik["benoemingen"][0]["id"]},
        token,
    )
    vragen = _vragen(AANTAL, g.nummer)
    assert len(vragen) >= min(AANTAL, 100), len(vragen)
    gezien = {c: 0 for c in CANARIES}  # the test is only as good as the canaries it shows somebody
    lekken: list[str] = []
    for toestemming in (False, True):
        await zet_toestemming(api, g, toestemming)
        deel = vragen[: len(vragen) // 2] if not toestemming else [vragen[0], *vragen[len(vragen) // 2 :]]
        for naam, vrager in VRAGERS.items():
            groepen = vrager.voor_leraar(toestemming)
            tok = vrager.token(s, g)
            for vraag in deel:
                r = await api.post(vraag, token=tok)
                assert r.status_code < 500, r.text
                for canarie, mag in CANARIES.items():
                    if canarie in r.text:
                        gezien[canarie] += 1
                        if groepen.isdisjoint(mag):
                            lekken.append(f"{naam} (toestemming={toestemming}) saw {canarie!r}: {vraag[:200]}")
    assert not lekken, lekken[:5]
    # Every canary reached someone who may see it: the generated queries did reach the data.
    assert all(gezien.values()), gezien
