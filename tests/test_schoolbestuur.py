"""A school board's view over HTTP, on both stores: its current staff (mijnSchoolbestuur.medewerkers)
and what a current, former and future employer may see of a teacher (API.md, "Visibility", "Pages").

The register's today is 2026-11-28. A current appointment: begindatum <= today <= einddatum, a
missing einddatum open-ended.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from conftest import assert_forbidden, fouten
from gegevens import benoeming, bevestig_alle, geldige_bsns, klaarzetten, levering

from lerarenregister.resolvers.paginering import cursor

BESTUUR = "10001"
ANDER = "10002"
LEVERDAG = dt.date(2026, 9, 1)  # first delivery: REGISTRATIE_NIET_BEVESTIGD stands from 2026-10-02

MEDEWERKERS = """
query Medewerkers($filter: MedewerkerFilter, $first: Int, $after: String) {
  mijnSchoolbestuur {
    bevoegdGezagNummer
    medewerkers(filter: $filter, first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { node { registernummer naam { voorletters achternaam } registratie { status }
                     waarschuwingen { soort } } }
    }
  }
}"""

LERAAR = """
query($nr: String!) {
  leraar(registernummer: $nr) {
    registernummer naam { weergavenaam } bevoegdheden { vak soort voorHerregistratie }
    registratie { status } waarschuwingen { soort } benoemingen { vak }
  }
}"""


def _lev(b: str, achternaam: str, voornamen: str, benoemingen: list[dict[str, Any]]) -> dict[str, Any]:
    return levering(b, achternaam=achternaam, voornamen=voornamen, tussenvoegsel=None, benoemingen=benoemingen)


async def personeel(api: Any) -> dict[str, str]:
    """The board's staff in every state; registernummers by achternaam."""
    bsns = geldige_bsns(8)
    leveringen = {
        # unconfirmed, appointment ends today: still current
        "Aalders": _lev(bsns[0], "Aalders", "Ada", [benoeming(BESTUUR, einddatum="2026-11-28")]),
        "Bakker": _lev(bsns[1], "Bakker", "Anna", [benoeming(BESTUUR)]),
        # a voorportaal term that ends 2026-12-14: VOORPORTAALTERMIJN_VERLOOPT stands today
        "Bos": _lev(
            bsns[2], "Bos", "Bram", [benoeming(BESTUUR), benoeming(BESTUUR, vak="Frans", begindatum="2024-12-15")]
        ),
        "Claes": _lev(bsns[3], "Claes", "Cor", [benoeming(BESTUUR, begindatum="2026-11-28")]),  # starts today
        "Dekker": _lev(bsns[4], "Dekker", "Dirk", [benoeming(BESTUUR, einddatum="2026-11-27")]),  # ended yesterday
        "Eerens": _lev(bsns[5], "Eerens", "Eva", [benoeming(BESTUUR, begindatum="2026-11-29")]),  # starts tomorrow
        "Fransen": _lev(
            bsns[6],
            "Fransen",
            "Fenna",
            [
                benoeming(BESTUUR, begindatum="2018-08-01", einddatum="2025-07-31"),
                benoeming(ANDER, begindatum="2025-08-01"),
            ],
        ),
        "Groen": _lev(bsns[7], "Groen", "Gijs", [benoeming(ANDER)]),
    }
    async with api.op(LEVERDAG) as eerder:
        nummers = await klaarzetten(eerder, list(leveringen.values()))
    per = dict(zip(leveringen, nummers))
    bevestigd = ["Bakker", "Bos", "Claes", "Eerens", "Fransen", "Groen"]
    await bevestig_alle(api, [leveringen[n]["bsn"] for n in bevestigd], [per[n] for n in bevestigd])
    return per


async def medewerkers(api: Any, bestuur: str = BESTUUR, **variabelen: Any) -> dict[str, Any]:
    data = await api.ok(
        MEDEWERKERS, {k: w for k, w in variabelen.items() if w is not None}, api.sleutels.bestuur(bestuur)
    )
    assert data["mijnSchoolbestuur"]["bevoegdGezagNummer"] == bestuur
    return data["mijnSchoolbestuur"]["medewerkers"]


def achternamen(pagina: dict[str, Any]) -> list[str]:
    return [e["node"]["naam"]["achternaam"] for e in pagina["edges"]]


async def test_medewerkers_zijn_de_leraren_met_een_lopende_benoeming(api):
    per = await personeel(api)
    p = await medewerkers(api)
    assert achternamen(p) == ["Aalders", "Bakker", "Bos", "Claes"]
    assert p["totalCount"] == 4 and p["pageInfo"]["hasNextPage"] is False
    knopen = {e["node"]["naam"]["achternaam"]: e["node"] for e in p["edges"]}
    assert knopen["Aalders"]["registernummer"] == per["Aalders"]
    assert {n: k["registratie"]["status"] for n, k in knopen.items()} == {
        "Aalders": "KLAARGEZET",
        "Bakker": "GEREGISTREERD",
        "Bos": "GEREGISTREERD",
        "Claes": "GEREGISTREERD",
    }
    assert {n: [w["soort"] for w in k["waarschuwingen"]] for n, k in knopen.items()} == {
        "Aalders": ["REGISTRATIE_NIET_BEVESTIGD"],
        "Bakker": [],
        "Bos": ["VOORPORTAALTERMIJN_VERLOOPT"],
        "Claes": [],
    }

    ander = await medewerkers(api, ANDER)
    assert achternamen(ander) == ["Fransen", "Groen"]


FILTERS = [
    ({"registratiestatus": "GEREGISTREERD"}, ["Bakker", "Bos", "Claes"]),
    ({"registratiestatus": "KLAARGEZET"}, ["Aalders"]),
    ({"metWaarschuwing": True}, ["Aalders", "Bos"]),
    ({"metWaarschuwing": False}, ["Bakker", "Claes"]),
    ({"registratiestatus": "GEREGISTREERD", "metWaarschuwing": True}, ["Bos"]),
    ({"registratiestatus": "KLAARGEZET", "metWaarschuwing": False}, []),
    ({}, ["Aalders", "Bakker", "Bos", "Claes"]),
]


async def test_filter(api):
    await personeel(api)
    for filter_, verwacht in FILTERS:
        p = await medewerkers(api, filter=filter_)
        assert achternamen(p) == verwacht and p["totalCount"] == len(verwacht), filter_


async def test_paginering_en_maximum(api):
    await personeel(api)
    alle = await medewerkers(api, first=100)
    assert alle["totalCount"] == 4
    gezien: list[str] = []
    after = None
    for _ in range(3):
        p = await medewerkers(api, first=3, after=after)
        assert p["totalCount"] == 4
        gezien += [e["node"]["registernummer"] for e in p["edges"]]
        if not p["pageInfo"]["hasNextPage"]:
            break
        after = p["pageInfo"]["endCursor"]
    assert gezien == [e["node"]["registernummer"] for e in alle["edges"]]

    # The count rides with the page; a page past the end still says how many there are.
    voorbij = await medewerkers(api, first=3, after=cursor(9))
    assert voorbij["edges"] == [] and voorbij["totalCount"] == 4 and voorbij["pageInfo"]["hasNextPage"] is False
    net_voorbij = await medewerkers(api, first=3, after=cursor(3))  # the fourth was the last
    assert net_voorbij["edges"] == [] and net_voorbij["totalCount"] == 4

    gefilterd = await medewerkers(api, first=1, filter={"metWaarschuwing": True})
    assert achternamen(gefilterd) == ["Aalders"] and gefilterd["totalCount"] == 2
    volgende = await medewerkers(
        api, first=1, after=gefilterd["pageInfo"]["endCursor"], filter={"metWaarschuwing": True}
    )
    assert achternamen(volgende) == ["Bos"] and volgende["pageInfo"]["hasNextPage"] is False

    body = await api.gql(MEDEWERKERS, {"first": 101}, api.sleutels.bestuur(BESTUUR))
    assert [e["extensions"].get("field") for e in fouten(body, "BAD_USER_INPUT")] == ["first"], body
    assert (body["data"] or {}).get("mijnSchoolbestuur") is None or body["data"]["mijnSchoolbestuur"][
        "medewerkers"
    ] is None


async def test_volgorde_achternaam_dan_registernummer(api):
    bsns = geldige_bsns(4)
    # Delivered in this order, so registernummers go up in it; voorletters go the other way.
    nummers = await klaarzetten(
        api,
        [
            _lev(bsns[0], "Smit", "Zoë", [benoeming(BESTUUR)]),
            _lev(bsns[1], "Jong", "Bert", [benoeming(BESTUUR)]),
            _lev(bsns[2], "Smit", "Anna", [benoeming(BESTUUR)]),
            _lev(bsns[3], "Smit", "Mees", [benoeming(BESTUUR)]),
        ],
    )
    p = await medewerkers(api)
    # Staff are ordered by achternaam then registernummer; voorletters play no part (unlike search).
    assert [e["node"]["registernummer"] for e in p["edges"]] == [nummers[1], nummers[0], nummers[2], nummers[3]]


async def test_vroegere_werkgever_ziet_wat_het_publiek_ziet(api):
    per = await personeel(api)
    vroeger = api.sleutels.bestuur(BESTUUR)
    body = await api.gql(LERAAR, {"nr": per["Fransen"]}, vroeger)
    leraar = body["data"]["leraar"]
    assert leraar["naam"] == {"weergavenaam": "F. Fransen"} and leraar["bevoegdheden"]
    assert leraar["registratie"] is None and leraar["waarschuwingen"] is None and leraar["benoemingen"] is None
    for veld in ("registratie", "waarschuwingen", "benoemingen"):
        assert_forbidden(body, ["leraar", veld])
    assert body["data"] == (await api.gql(LERAAR, {"nr": per["Fransen"]}))["data"]  # exactly the public's answer

    # The current employer sees registration and warnings (and only its own appointments).
    huidig = await api.gql(LERAAR, {"nr": per["Fransen"]}, api.sleutels.bestuur(ANDER))
    assert "errors" not in huidig, huidig
    assert huidig["data"]["leraar"]["registratie"] == {"status": "GEREGISTREERD"}
    assert huidig["data"]["leraar"]["benoemingen"] == [{"vak": "Wiskunde"}]

    # Outside the public register a former employer does not find the teacher at all.
    assert await api.gql(LERAAR, {"nr": per["Dekker"]}, vroeger) == {"data": {"leraar": None}}
    # A board that never employed the teacher neither.
    assert await api.gql(LERAAR, {"nr": per["Aalders"]}, api.sleutels.bestuur(ANDER)) == {"data": {"leraar": None}}
    # The current one does.
    aalders = await api.ok(LERAAR, {"nr": per["Aalders"]}, vroeger)
    assert aalders["leraar"]["registratie"] == {"status": "KLAARGEZET"}


async def test_toekomstige_benoeming_maakt_nog_geen_werkgever(api):
    per = await personeel(api)
    token = api.sleutels.bestuur(BESTUUR)
    body = await api.gql(LERAAR, {"nr": per["Eerens"]}, token)
    assert body["data"]["leraar"]["registratie"] is None
    assert_forbidden(body, ["leraar", "registratie"])
    assert "Eerens" not in achternamen(await medewerkers(api))

    async with api.op(dt.date(2026, 11, 29)) as morgen:
        # Aalders' appointment ended on the 28th; Eerens' starts today.
        assert achternamen(await medewerkers(morgen)) == ["Bakker", "Bos", "Claes", "Eerens"]
        data = await morgen.ok(LERAAR, {"nr": per["Eerens"]}, morgen.sleutels.bestuur(BESTUUR))
        assert data["leraar"]["registratie"] == {"status": "GEREGISTREERD"}


# --- the dashboard's cost -------------------------------------------------------------------------

DASHBOARD = """
query($first: Int!) {
  mijnSchoolbestuur {
    medewerkers(first: $first) {
      totalCount
      edges { node { registernummer registratie { status } waarschuwingen { soort }
                     bevoegdheden { vak herregistratie { status periodeEinde } } } }
    }
  }
}"""


async def test_dashboardpagina_draait_een_vast_aantal_statements(api):
    twee = [
        {"vak": "Wiskunde", "soort": "TWEEDEGRAADS", "behaaldOp": "2010-06-30"},
        {"vak": "Natuurkunde", "soort": "EERSTEGRAADS", "behaaldOp": "2012-06-30"},
    ]
    bsns = geldige_bsns(50)
    leveringen = []
    for i, b in enumerate(bsns):
        ben = [benoeming("40050")] + ([benoeming("40005")] if i < 5 else [])
        if i % 3 == 0:  # some stand in the voorportaal too, with a warning
            ben.append(benoeming("40050", vak="Frans", begindatum="2024-12-15"))
        leveringen.append(
            levering(b, achternaam=f"Leraar{i:02d}", tussenvoegsel=None, bevoegdheden=twee, benoemingen=ben)
        )
    async with api.op(LEVERDAG) as eerder:
        nummers = await klaarzetten(eerder, leveringen)
    # Most confirm; the last ten do not (and carry REGISTRATIE_NIET_BEVESTIGD).
    await bevestig_alle(api, bsns[:40], nummers[:40])

    aantallen = {}
    for bestuur, aantal in (("40005", 5), ("40050", 50)):
        with api.tel() as t:
            data = await api.ok(DASHBOARD, {"first": 50}, api.sleutels.bestuur(bestuur))
        edges = data["mijnSchoolbestuur"]["medewerkers"]["edges"]
        assert len(edges) == aantal
        for e in edges:
            bevestigd = e["node"]["registratie"]["status"] == "GEREGISTREERD"
            perioden = [b["herregistratie"] for b in e["node"]["bevoegdheden"]]
            assert len(perioden) == 2
            assert all(
                (p == {"status": "OP_SCHEMA", "periodeEinde": "2030-11-27"}) if bevestigd else p is None
                for p in perioden
            ), e
        if aantal == 50:
            # the ten unconfirmed ones and the fourteen in the voorportaal among the first forty
            assert sum(1 for e in edges if e["node"]["waarschuwingen"]) == 24
        aantallen[aantal] = t.aantal
    # ARCHITECTURE.md: an N+1 is a red test; issue 4: at most six whatever the page size. One
    # statement each for the board, the page with its count, bevoegdheden with their periods and
    # standing aantekening, voorportaal, activities and criteria (a page of current staff needs no
    # separate employer check); and one INSERT of the access log for the whole page (issue 10).
    assert aantallen == {5: 7, 50: 7}, aantallen
