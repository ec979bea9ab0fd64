"""The compiled path for registered documents (issue 4, schema/gecompileerd.py): on PostgreSQL one
statement answers a registered public document, with exactly the executor's answer, denials and
errors included; anything it does not handle goes to the executor whole. On SQLite the executor
answers everything (the comparisons below then hold trivially, and the statement counts show it)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from gegevens import bevestig_alle, geldige_bsns, klaarzetten, levering

from lerarenregister.resolvers.paginering import cursor
from lerarenregister.schema import bouw_schema
from lerarenregister.schema.gecompileerd import DOCUMENTEN, Documenten, NietCompileerbaar, compileer

GESCHIEDENIS = [
    {"vak": "Geschiedenis", "soort": "EERSTEGRAADS", "behaaldOp": "2011-06-30"},
    {"vak": "Aardrijkskunde", "soort": "TWEEDEGRAADS", "behaaldOp": "2009-06-30"},
]

# Beside the registered files: denied fields (nullable, so null plus FORBIDDEN), aliases, __typename.
MET_WEIGERINGEN = (
    "query Geweigerd($t: String!, $first: Int, $after: String) { zoek: zoekLeraren(zoekterm: $t, first: $first, "
    "after: $after) { __typename totalCount pageInfo { hasNextPage endCursor } "
    "edges { cursor node { nr: registernummer "
    "geboortedatum registratie { status } naam { weergavenaam voornamen achternaam } "
    "bevoegdheden { id soort behaaldOp vak } } } } }"
)
OPZOEK_WEIGERINGEN = (
    "query($r: String!) { leraar(registernummer: $r) { registernummer portfolioOpenbaar waarschuwingen { soort } "
    "naam { voorletters voornamen } bevoegdheden { vak behaaldOp } } }"
)
REGISTERED = {p.stem: p.read_text(encoding="utf-8").strip() for p in DOCUMENTEN.glob("*.graphql")}


async def _register(api: Any) -> dict[str, str]:
    """Fourteen teachers: twelve Vries (ten in the public register), a Visser, a Bakker."""
    bsns = geldige_bsns(14, start=31)
    leveringen = [
        levering(b, voornamen=f"Anna {chr(65 + i)}", bevoegdheden=GESCHIEDENIS if i % 2 else None)
        for i, b in enumerate(bsns[:12])
    ]
    leveringen += [
        levering(bsns[12], achternaam="Visser", tussenvoegsel=None),
        levering(
            bsns[13],
            achternaam="Bakker",
            tussenvoegsel=None,
            bevoegdheden=[{"vak": "Basisonderwijs", "soort": "PO", "behaaldOp": "2015-06-30"}],
        ),
    ]
    nummers = await klaarzetten(api, leveringen)
    await bevestig_alle(api, bsns[:10] + bsns[12:], nummers[:10] + nummers[12:])
    return {"vries": nummers[0], "klaargezet": nummers[11], "visser": nummers[12], "bakker": nummers[13]}


def _registreer(api: Any, *teksten: str) -> None:
    api.app.state.staat["documenten"] = Documenten(bouw_schema()._schema, [*REGISTERED.values(), *teksten])


async def _beide(api: Any, tekst: str, variabelen: dict[str, Any]) -> tuple[dict[str, Any], int]:
    """The answer with the compiled path (if the store has one) and the number of statements it took;
    asserts it is the executor's answer to the letter."""
    staat = api.app.state.staat
    with api.tel() as t:
        r = await api.post(tekst, variabelen)
    gecompileerd = (r.status_code, r.json())
    aan = staat["compileer"]
    staat["compileer"] = False
    try:
        r = await api.post(tekst, variabelen)
    finally:
        staat["compileer"] = aan
    uitgevoerd = (r.status_code, r.json())
    assert gecompileerd[0] == uitgevoerd[0]
    a, b = gecompileerd[1], uitgevoerd[1]
    assert a.get("data") == b.get("data")
    assert sorted(a.get("errors", []), key=str) == sorted(b.get("errors", []), key=str)
    return a, t.aantal


PUBLIEK = ("zoek_leraren", "zoek_leraren_pagina", "leraar")


def test_geregistreerde_documenten_compileren_alle():
    """The public search's documents compile; the other screens' are answered by the executor,
    except where the compiler handles them too (a board's teacher detail, asked anonymously)."""
    schema = bouw_schema()._schema
    documenten = Documenten.uit_map(schema)
    assert len(documenten) == len(REGISTERED)
    for naam in PUBLIEK:
        assert documenten.plan(REGISTERED[naam], None) is not None, naam
    assert documenten.gecompileerd() == len(PUBLIEK) + 1


async def test_alle_documenten_anoniem_gelijk_aan_de_uitvoerder(api):
    """Every registered query asked anonymously: the compiled path (where there is one) answers as
    the executor does, denials included."""
    nummers = await _register(api)
    variabelen = {"registernummer": nummers["vries"], "zoekterm": "vries", "first": 5, "sinds": "2020-01-01T00:00:00Z"}
    for tekst in REGISTERED.values():
        if not tekst.startswith("mutation"):
            await _beide(api, tekst, variabelen)


@pytest.mark.parametrize(
    "tekst",
    [
        # a fragment, a field outside the compiled types, a field that depends on the teacher's consent,
        # other root fields, two root fields, a directive
        "query($t: String!) { zoekLeraren(zoekterm: $t) { edges { node { ...N } } } } "
        "fragment N on Leraar { registernummer }",
        "query($t: String!) { zoekLeraren(zoekterm: $t) { edges { node { inzage } } } }",
        "query($r: String!) { leraar(registernummer: $r) { portfolio(first: 5) { totalCount } } }",
        "query { herregistratiecriteria { geldigVanaf } }",
        "query($t: String!) { leraren(registernummers: [$t]) { registernummer } }",
        "query($r: String!) { a: leraar(registernummer: $r) { registernummer } "
        "b: leraar(registernummer: $r) { registernummer } }",
        "query($r: String!, $m: Boolean!) { leraar(registernummer: $r) { registernummer @include(if: $m) } }",
    ],
)
def test_wat_de_compiler_aan_de_uitvoerder_laat(tekst):
    with pytest.raises(NietCompileerbaar):
        compileer(bouw_schema()._schema, tekst)


async def test_openbaar_zoeken_in_een_statement_met_het_antwoord_van_de_uitvoerder(api):
    nummers = await _register(api)
    zoek = REGISTERED["zoek_leraren"]
    for term in (
        "vries",
        "De Vries",
        "VRIES",
        "vri",
        "vis",
        "bak",
        "nobody",
        nummers["vries"],
        nummers["visser"],
        nummers["klaargezet"],
        "  " + nummers["bakker"] + " ",
        "1234567890",
        "v",
    ):
        body, aantal = await _beide(api, zoek, {"zoekterm": term})
        assert "errors" not in body
        assert aantal == 1 or api.store == "sqlite", (term, aantal)
    body, _ = await _beide(api, zoek, {"zoekterm": "vries"})
    assert body["data"]["zoekLeraren"]["totalCount"] == 10  # the two KLAARGEZET are not public
    exact, _ = await _beide(api, zoek, {"zoekterm": nummers["vries"]})
    assert [e["node"]["registernummer"] for e in exact["data"]["zoekLeraren"]["edges"]] == [nummers["vries"]]
    assert (await _beide(api, zoek, {"zoekterm": nummers["klaargezet"]}))[0]["data"]["zoekLeraren"]["totalCount"] == 0


async def test_paginas_cursors_en_foute_invoer_als_de_uitvoerder(api):
    await _register(api)
    pagina = REGISTERED["zoek_leraren_pagina"]
    gezien: list[str] = []
    after = None
    for _ in range(5):
        body, aantal = await _beide(api, pagina, {"zoekterm": "vries", "first": 3, "after": after})
        if api.store == "postgres":
            assert aantal == 1
        verbinding = body["data"]["zoekLeraren"]
        gezien += [e["node"]["registernummer"] for e in verbinding["edges"]]
        if not verbinding["pageInfo"]["hasNextPage"]:
            break
        after = verbinding["pageInfo"]["endCursor"]
    assert len(gezien) == len(set(gezien)) == 10
    for variabelen in (
        {"zoekterm": "vries", "first": 0},
        {"zoekterm": "vries", "after": cursor(40)},
        {"zoekterm": "vries", "first": None},
    ):
        await _beide(api, pagina, variabelen)
    # Input the executor rejects is answered by the executor, with its errors.
    for variabelen in (
        {"zoekterm": "vries", "first": 51},
        {"zoekterm": "vries", "after": "nonsense"},
        {"zoekterm": "  "},
        {"zoekterm": 7},
        {},
    ):
        body, _ = await _beide(api, pagina, variabelen)
        assert body.get("errors"), variabelen


async def test_geweigerde_velden_null_met_de_fouten_van_de_uitvoerder(api):
    nummers = await _register(api)
    _registreer(api, MET_WEIGERINGEN, OPZOEK_WEIGERINGEN)
    assert api.app.state.staat["documenten"].gecompileerd() == len(PUBLIEK) + 1 + 2
    body, aantal = await _beide(api, MET_WEIGERINGEN, {"t": "vries", "first": 4})
    if api.store == "postgres":
        assert aantal == 1
    knopen = [e["node"] for e in body["data"]["zoek"]["edges"]]
    assert len(knopen) == 4 and body["data"]["zoek"]["__typename"] == "LeraarConnection"
    assert all(
        k["geboortedatum"] is None and k["registratie"] is None and k["naam"]["voornamen"] is None for k in knopen
    )
    paden = {tuple(e["path"]) for e in body["errors"]}
    assert ("zoek", "edges", 0, "node", "geboortedatum") in paden
    assert ("zoek", "edges", 3, "node", "naam", "voornamen") in paden
    assert ("zoek", "edges", 1, "node", "bevoegdheden", 1, "behaaldOp") in paden
    assert {e["extensions"]["code"] for e in body["errors"]} == {"FORBIDDEN"}
    for nummer in nummers.values():
        body, _ = await _beide(api, OPZOEK_WEIGERINGEN, {"r": nummer})
        if nummer == nummers["klaargezet"]:  # outside the public register: not found by the public
            assert body["data"] == {"leraar": None} and "errors" not in body
        else:
            assert (
                body["data"]["leraar"]["registernummer"] == nummer and body["data"]["leraar"]["waarschuwingen"] is None
            )


async def test_een_token_of_andere_tekst_gaat_naar_de_uitvoerder(api):
    nummers = await _register(api)
    leraar = REGISTERED["leraar"]
    with api.tel() as t:
        publiek = await api.ok(leraar, {"registernummer": nummers["visser"]})
    if api.store == "postgres":
        assert t.aantal == 1
    with api.tel() as t:
        met_token = await api.ok(leraar, {"registernummer": nummers["visser"]}, api.sleutels.duo())
    assert met_token == publiek and t.aantal > 1
    with api.tel() as t:
        anders = await api.ok(leraar + " ", {"registernummer": nummers["visser"]})  # the same text, stripped
    assert anders == publiek and (t.aantal == 1 or api.store == "sqlite")
    with api.tel() as t:
        await api.ok(
            leraar.replace("registernummer naam", "registernummer  naam"), {"registernummer": nummers["visser"]}
        )
    assert t.aantal > 1  # not a registered text
    # The executor also answers a registered text sent under another operation name.
    r = await api.client.post(
        "/graphql",
        json={"query": leraar, "variables": {"registernummer": nummers["visser"]}, "operationName": "Anders"},
    )
    assert r.status_code == 400 and r.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST", r.text


def test_de_geregistreerde_documenten_zijn_de_benchdocumenten():
    """bench/ sends these texts byte for byte (bench/scenarios.py); they must stay registered."""
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "bench"))
    import scenarios

    assert scenarios.ZOEK == REGISTERED["zoek_leraren"] and scenarios.LERAAR == REGISTERED["leraar"]
