"""Public search (zoekLeraren) and lookup (leraar) over HTTP, on both stores (API.md, "Search", "Pages").

Only the public register is found; the term is normalised; order is exact registernummer first, then
achternaam, voorletters, registernummer; pages are Relay's with an exact totalCount.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from conftest import VANDAAG, Api, fouten, leeg
from gegevens import bevestig_alle, geldige_bsns, klaarzetten, levering
from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import create_async_engine

ZOEK = """
query Zoek($t: String!, $first: Int, $after: String) {
  zoekLeraren(zoekterm: $t, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { registernummer naam { voorletters achternaam weergavenaam } } }
  }
}"""

BEVOEGDHEDEN_PAGINA = """
query($t: String!, $first: Int) {
  zoekLeraren(zoekterm: $t, first: $first) {
    totalCount
    edges { node { registernummer naam { weergavenaam } bevoegdheden { vak soort voorHerregistratie } } }
  }
}"""


async def inschrijven(
    api: Any, namen: list[tuple[str, str | None, str]], start: int = 0, bevestigen: bool = True, **extra: Any
) -> list[str]:
    """Deliver teachers (voornamen, tussenvoegsel, achternaam) and confirm them; their registernummers."""
    bsns = geldige_bsns(len(namen), start=start)
    nummers = await klaarzetten(
        api, [levering(b, voornamen=v, tussenvoegsel=t, achternaam=a, **extra) for b, (v, t, a) in zip(bsns, namen)]
    )
    if bevestigen:
        await bevestig_alle(api, bsns, nummers)
    return nummers


async def zoek(api: Any, term: str, first: int | None = None, after: str | None = None) -> dict[str, Any]:
    """A search page; first/after left out (so the argument's default applies) when None."""
    variabelen = {k: w for k, w in (("t", term), ("first", first), ("after", after)) if w is not None}
    return (await api.ok(ZOEK, variabelen))["zoekLeraren"]


def namen_van(resultaat: dict[str, Any]) -> list[str]:
    return [e["node"]["naam"]["weergavenaam"] for e in resultaat["edges"]]


def nummers_van(resultaat: dict[str, Any]) -> list[str]:
    return [e["node"]["registernummer"] for e in resultaat["edges"]]


async def test_alleen_geregistreerde_leraren_worden_gevonden(api):
    [geregistreerd] = await inschrijven(api, [("Anna Maria", "de", "Vries")], start=0)
    [klaargezet] = await inschrijven(api, [("Bert", None, "Vries")], start=1, bevestigen=False)
    r = await zoek(api, "Vries")
    assert r["totalCount"] == 1 and nummers_van(r) == [geregistreerd]
    assert (await zoek(api, klaargezet))["totalCount"] == 0
    # Outside the public register `leraar` is null for the public, without an error.
    body = await api.gql("query($n: String!) { leraar(registernummer: $n) { registernummer } }", {"n": klaargezet})
    assert body == {"data": {"leraar": None}}


async def test_naam_wordt_genormaliseerd(api):
    [nr] = await inschrijven(api, [("Anna Maria", "de", "Vries")])
    await inschrijven(api, [("Piet", None, "Bakker")], start=1)
    for term in ("de Vries", "Vries", "VRIES", "vries", "  de   vries ", "De VRIES", "vri"):
        r = await zoek(api, term)
        assert r["totalCount"] == 1 and namen_van(r) == ["A.M. de Vries"] and nummers_van(r) == [nr], term


async def test_accenten_tellen_niet(api):
    await inschrijven(api, [("Jürgen", None, "Müller"), ("Jan", None, "Mulder")])
    for term in ("muller", "Müller", "MULLER", "Müll"):
        r = await zoek(api, term)
        assert namen_van(r) == ["J. Müller"], (term, r)


async def test_alleen_prefix_van_de_achternaam(api):
    await inschrijven(api, [("Anna Maria", "de", "Vries"), ("Kees", None, "Vriend"), ("Otto", None, "Avries")])
    assert sorted(namen_van(await zoek(api, "Vri"))) == ["A.M. de Vries", "K. Vriend"]
    assert (await zoek(api, "ries"))["totalCount"] == 0
    assert (await zoek(api, "Anna"))["totalCount"] == 0  # first names are not searched
    assert (await zoek(api, "Vriesje"))["totalCount"] == 0


async def test_registernummer_exact_niet_als_prefix(api):
    nummers = await inschrijven(api, [("Anna", None, "Zwart"), ("Bert", None, "Wit")])
    for nr in nummers:
        r = await zoek(api, nr)
        assert nummers_van(r) == [nr] and r["totalCount"] == 1
        assert (await zoek(api, f" {nr} "))["totalCount"] == 1
    assert (await zoek(api, nummers[0][:9]))["totalCount"] == 0


async def test_exact_registernummer_komt_eerst(api):
    [zwart] = await inschrijven(api, [("Anna", None, "Zwart")])
    # A name that starts with Zwart's number also matches the term (by prefix) and sorts before
    # "zwart"; the exact registernummer must still come first.
    [cijfers] = await inschrijven(api, [("Bert", None, zwart + "x")], start=1)
    r = await zoek(api, zwart)
    assert nummers_van(r) == [zwart, cijfers] and r["totalCount"] == 2


async def test_volgorde_achternaam_voorletters_registernummer(api):
    nummers = await inschrijven(
        api,
        [
            ("Piet", None, "Vroom"),
            ("Anna Maria", "de", "Vries"),
            ("Bert", None, "Vries"),
            ("Anna Maria", "van", "Vries"),  # same achternaam and voorletters: registernummer decides
            ("Zoë", None, "Vriend"),
            ("Anna", None, "Vries"),
        ],
    )
    r = await zoek(api, "vr")
    assert namen_van(r) == ["Z. Vriend", "A. Vries", "A.M. de Vries", "A.M. van Vries", "B. Vries", "P. Vroom"]
    assert nummers_van(r)[2:4] == sorted([nummers[1], nummers[3]])


async def test_volgorde_vergelijkt_eerst_de_hele_achternaam(api):
    # "Smit" comes before "Smit Bakker" whatever the voorletters: achternaam first, then voorletters.
    await inschrijven(api, [("Anna", None, "Smit Bakker"), ("Zoë", None, "Smit"), ("Bert", None, "Smits")])
    assert namen_van(await zoek(api, "smit")) == ["Z. Smit", "A. Smit Bakker", "B. Smits"]


async def test_paginering_loopt_alle_treffers_precies_een_keer(api):
    voornamen = ["Els", "Bas", "Gijs", "Anne", "Dirk", "Fenna", "Cas"]
    nummers = await inschrijven(api, [(v, None, "Jansen") for v in voornamen])
    await inschrijven(api, [("Henk", None, "Janssen"), ("Ids", None, "Bakker")], start=1)
    alles = await zoek(api, "jansen", first=50)
    assert alles["totalCount"] == 7 and alles["pageInfo"]["hasNextPage"] is False
    assert [n.split(" ")[0] for n in namen_van(alles)] == ["A.", "B.", "C.", "D.", "E.", "F.", "G."]
    assert sorted(nummers_van(alles)) == sorted(nummers)

    gezien: list[str] = []
    after = None
    paginas = 0
    while True:
        p = await zoek(api, "jansen", first=3, after=after)
        paginas += 1
        assert p["totalCount"] == 7
        gezien += nummers_van(p)
        assert p["pageInfo"]["endCursor"] == p["edges"][-1]["cursor"]
        if not p["pageInfo"]["hasNextPage"]:
            break
        after = p["pageInfo"]["endCursor"]
    assert paginas == 3
    assert gezien == nummers_van(alles)


async def test_standaard_pagina_en_te_grote_pagina(api):
    await inschrijven(api, [(f"V{i}", None, "Kok") for i in range(22)])
    standaard = await zoek(api, "kok")
    assert len(standaard["edges"]) == 20 and standaard["totalCount"] == 22 and standaard["pageInfo"]["hasNextPage"]
    assert len((await zoek(api, "kok", first=50))["edges"]) == 22
    for first in (51, 1000):
        body = await api.gql(ZOEK, {"t": "kok", "first": first})
        assert body["data"] is None or body["data"].get("zoekLeraren") is None
        assert [e["extensions"].get("field") for e in fouten(body, "BAD_USER_INPUT")] == ["first"], body


async def test_first_null_is_toegestaan(api):
    await inschrijven(api, [(f"V{i}", None, "Kok") for i in range(3)])
    # API.md declares `first: Int = 20` (nullable): a client passing its optional $first through as
    # null must get a page, not an error.
    body = await api.gql(ZOEK, {"t": "kok", "first": None, "after": None})
    assert "errors" not in body, body
    assert body["data"]["zoekLeraren"]["totalCount"] == 3


async def test_onbekend_registernummer_is_null_zonder_fout(api):
    await inschrijven(api, [("Anna", None, "Zwart")])
    for nr in ("1234567890", "0000000000", "onzin"):
        body = await api.gql("query($n: String!) { leraar(registernummer: $n) { registernummer } }", {"n": nr})
        assert body == {"data": {"leraar": None}}, body


async def test_publiek_ziet_alleen_publieke_velden(api):
    [nr] = await inschrijven(api, [("Anna Maria", "de", "Vries")])
    body = await api.gql(
        "query($n: String!) { leraar(registernummer: $n) { registernummer naam { weergavenaam } "
        "bevoegdheden { vak soort voorHerregistratie } registratie { status } geboortedatum } }",
        {"n": nr},
    )
    leraar = body["data"]["leraar"]
    assert leraar["naam"] == {"weergavenaam": "A.M. de Vries"}
    assert leraar["bevoegdheden"] == [{"vak": "Wiskunde", "soort": "TWEEDEGRAADS", "voorHerregistratie": True}]
    assert leraar["registratie"] is None and leraar["geboortedatum"] is None
    paden = sorted(e["path"] for e in fouten(body, "FORBIDDEN"))
    assert paden == [["leraar", "geboortedatum"], ["leraar", "registratie"]]


# --- both stores agree ----------------------------------------------------------------------------

LASTIGE_NAMEN = [
    ("Anna", None, "Ångström"),
    ("Bert", None, "Angst"),
    ("Cor", "van", "Aalst"),
    ("Dian", None, "Aalders"),
    ("Eva", "'t", "Hart"),
    ("Frits", None, "Hart"),
    ("Gerrit", "ten", "Hart"),
    ("Hanna", None, "Hart-Jansen"),
    ("Ivo", None, "d'Ancona"),
    ("Joke", None, "Ancona"),
    ("Kemal", None, "Çelik"),
    ("Lale", None, "Celik"),
    ("Mehmet", None, "Öztürk"),
    ("Nina", None, "Oz"),
    ("Olga", None, "IJsselstein"),
    ("Pim", None, "Ijzerman"),
    ("Rik", None, "Østergaard"),
    ("Saar", None, "Oster"),
    ("Tom", None, "zwart"),
    ("Ugo", None, "Zwart"),
]
TERMEN = ["a", "aa", "hart", "'t Hart", "ten hart", "celik", "Çe", "o", "ij", "IJ", "oster", "z", "ancona", "an"]


async def _scenario(a: Api) -> dict[str, list[tuple[str, str]]]:
    await inschrijven(a, LASTIGE_NAMEN)
    uit = {}
    for term in TERMEN:
        r = await zoek(a, term, first=50)
        assert r["totalCount"] == len(r["edges"])
        uit[term] = [(e["node"]["registernummer"], e["node"]["naam"]["weergavenaam"]) for e in r["edges"]]
    return uit


async def test_beide_stores_geven_dezelfde_treffers_in_dezelfde_volgorde(database_urls, sleutels):
    uitkomsten = {}
    for store, url in database_urls.items():
        await leeg(url)
        async with Api(store, url, sleutels, VANDAAG) as a:
            uitkomsten[store] = await _scenario(a)
    assert uitkomsten["sqlite"] == uitkomsten["postgres"]
    # Not vacuous: the terms find what they should.
    assert [n for _, n in uitkomsten["sqlite"]["hart"]] == ["E. 't Hart", "F. Hart", "G. ten Hart", "H. Hart-Jansen"]
    assert [n for _, n in uitkomsten["sqlite"]["celik"]] == ["L. Celik", "K. Çelik"] or [
        n for _, n in uitkomsten["sqlite"]["celik"]
    ] == ["K. Çelik", "L. Celik"]
    assert uitkomsten["sqlite"]["ancona"] and len(uitkomsten["sqlite"]["ancona"]) == 2


# --- the hot path's cost --------------------------------------------------------------------------


async def test_zoekpagina_draait_een_vast_klein_aantal_statements(api):
    drie = [
        {"vak": v, "soort": s, "behaaldOp": "2010-06-30"}
        for v, s in (("Wiskunde", "TWEEDEGRAADS"), ("Natuurkunde", "EERSTEGRAADS"), ("Rekenen", "PO"))
    ]
    bsns = geldige_bsns(60)
    nummers = await klaarzetten(
        api,
        [
            levering(b, voornamen=f"V{i:02d}", tussenvoegsel=None, achternaam="Smit", bevoegdheden=drie)
            for i, b in enumerate(bsns)
        ],
    )
    await bevestig_alle(api, bsns, nummers)
    aantallen = {}
    for first in (5, 50):
        with api.tel() as t:
            data = await api.ok(BEVOEGDHEDEN_PAGINA, {"t": "smit", "first": first})
        r = data["zoekLeraren"]
        assert r["totalCount"] == 60 and len(r["edges"]) == first
        assert all(len(e["node"]["bevoegdheden"]) == 3 for e in r["edges"])
        assert all(b["voorHerregistratie"] for e in r["edges"] for b in e["node"]["bevoegdheden"])
        aantallen[first] = t.aantal
    # count, page, bevoegdheden of the page: no statement per teacher.
    assert aantallen == {5: 3, 50: 3}, aantallen


VIJFTIGDUIZEND = """
INSERT INTO leraar (registernummer, bsn_hash, voornamen, tussenvoegsel, achternaam, voorletters, duo_voornamen,
                    duo_tussenvoegsel, duo_achternaam, geboortedatum, zoeknaam, sorteernaam, status,
                    geregistreerd_op, eerste_levering_op, portfolio_openbaar, gewijzigd_op)
SELECT (2000000000 + g)::text, md5(g::text), 'Jan', NULL, 'Naam' || g, 'J.', 'Jan', NULL, 'Naam' || g,
       DATE '1980-01-01', 'naam' || g, 'naam' || g || ' j.',
       CASE WHEN g % 10 = 0 THEN 'KLAARGEZET' ELSE 'GEREGISTREERD' END,
       CASE WHEN g % 10 = 0 THEN NULL ELSE DATE '2025-01-01' END, DATE '2024-12-01', false, now()
FROM generate_series(1, 50000) AS g
"""


def _knopen(plan: dict[str, Any]) -> list[dict[str, Any]]:
    uit = [plan]
    for kind in plan.get("Plans", []):
        uit += _knopen(kind)
    return uit


@pytest.mark.parametrize("api", ["postgres"], indirect=True)
async def test_zoeken_gebruikt_een_index_op_postgresql(api):
    engine = create_async_engine(api.url)
    try:
        async with engine.begin() as conn:
            await conn.execute(text(VIJFTIGDUIZEND))
            await conn.execute(text("ANALYZE leraar"))

        gevangen: list[tuple[str, Any]] = []

        def vang(_conn, _cursor, statement, parameters, _context, _many):  # type: ignore[no-untyped-def]
            gevangen.append((statement, parameters))

        motor = api.app.state.engine.sync_engine
        event.listen(motor, "before_cursor_execute", vang)
        try:
            for term in ("Naam4321", "2000004321", "Onbekend"):
                with api.tel() as t:
                    r = await zoek(api, term)
                assert t.aantal >= 1
                if term == "Naam4321":
                    assert r["totalCount"] == 10  # naam4321, naam43211..naam43219; naam43210 is KLAARGEZET
                elif term == "2000004321":
                    assert nummers_van(r) == ["2000004321"]
        finally:
            event.remove(motor, "before_cursor_execute", vang)

        op_leraar = [(s, p) for s, p in gevangen if " leraar" in s and "FROM leraar" in s]
        assert len(op_leraar) >= 3, gevangen  # at least one per search
        async with engine.connect() as conn:
            for statement, parameters in op_leraar:
                res = await conn.exec_driver_sql("EXPLAIN (FORMAT JSON) " + statement, parameters)
                plan = res.scalar_one()
                plan = json.loads(plan) if isinstance(plan, str) else plan
                knopen = _knopen(plan[0]["Plan"])
                seq = [k for k in knopen if k["Node Type"] == "Seq Scan" and k.get("Relation Name") == "leraar"]
                assert not seq, (statement, parameters, json.dumps(plan, indent=1))
    finally:
        await engine.dispose()
        await leeg(api.url)
