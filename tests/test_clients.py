"""What the register's clients lean on, over HTTP on both stores: the bulk check `leraren`,
`Leraar.inzage` per asker, `medewerkers(gewijzigdSinds:)` for polling dashboards, and a board page of
staff whose SQL statement count does not grow with the page."""

from __future__ import annotations

import datetime as dt
from typing import Any

from conftest import fouten
from gegevens import (
    benoeming,
    bevestig,
    bevestig_alle,
    bsn,
    geldige_bsns,
    klaarzetten,
    levering,
)

D = dt.date
LERAREN = "query($n: [String!]!) { leraren(registernummers: $n) { registernummer } }"
LERAREN_INZAGE = "query($n: [String!]!) { leraren(registernummers: $n) { registernummer inzage } }"
INZAGE = "query($r: String!) { leraar(registernummer: $r) { inzage portfolio { totalCount } } }"
OPENBAAR = "mutation($o: Boolean!) { zetPortfolioOpenbaar(openbaar: $o) { portfolioOpenbaar } }"
GEWIJZIGD = """query($s: DateTime) { mijnSchoolbestuur { medewerkers(gewijzigdSinds: $s) {
  totalCount edges { node { registernummer } } } } }"""
PAGINA = """query($f: MedewerkerFilter) { mijnSchoolbestuur { medewerkers(first: 100, filter: $f) { totalCount
  edges { node { registernummer naam { weergavenaam } registratie { status geregistreerdOp }
    waarschuwingen { soort datum bevoegdheid { vak } }
    voorportaal { vak termijnEinde }
    bevoegdheden { vak soort herregistratie { status periodeStart periodeEinde } aantekening { gevolg } } } } } } }"""


async def test_bulkcontrole_in_invoervolgorde_met_null_waar_onbekend_of_onzichtbaar(api):
    s = api.sleutels
    bsns = [bsn(81), bsn(82), bsn(83), bsn(84)]
    a, b, c, k = await klaarzetten(
        api,
        [
            levering(bsns[0], achternaam="Aa", tussenvoegsel=None),
            levering(bsns[1], achternaam="Bee", tussenvoegsel=None),
            levering(bsns[2], achternaam="Cee", tussenvoegsel=None),
            levering(bsns[3], achternaam="Kaa", tussenvoegsel=None, benoemingen=[benoeming("80001")]),
        ],
    )
    for x in bsns[:3]:
        await bevestig(api, x)  # k stays KLAARGEZET
    onbekend = "0000000000"
    vraag = [c, onbekend, a, k, b, a]

    async def antwoord(token: str | None) -> list[str | None]:
        body = await api.gql(LERAREN, {"n": vraag}, token)
        assert "errors" not in body, body  # null without an error
        return [x["registernummer"] if x else None for x in body["data"]["leraren"]]

    assert await antwoord(None) == [c, None, a, None, b, a]
    assert await antwoord(s.bestuur("80002")) == [c, None, a, None, b, a]
    assert await antwoord(s.aanbieder("NSO")) == [c, None, a, None, b, a]
    # Those who may find a teacher outside the public register: the teacher, a current employer, DUO.
    for token in (s.leraar(bsns[3]), s.bestuur("80001"), s.duo()):
        assert await antwoord(token) == [c, None, a, k, b, a]
    assert (await api.ok(LERAREN, {"n": []}))["leraren"] == []


async def test_bulkcontrole_hoogstens_honderd(api):
    [a] = await klaarzetten(api, [levering(bsn(85))])
    await bevestig(api, bsn(85))
    honderd = [a] + [f"{9000000000 + i}" for i in range(99)]
    uit = (await api.ok(LERAREN, {"n": honderd}))["leraren"]
    assert len(uit) == 100 and uit[0] == {"registernummer": a} and uit[1:] == [None] * 99
    body = await api.gql(LERAREN, {"n": honderd + [a]})
    assert body["data"] is None
    assert [e["extensions"].get("field") for e in fouten(body, "BAD_USER_INPUT")] == ["registernummers"], body


async def _inzage(api: Any, nummer: str, token: str | None) -> set[str]:
    body = await api.gql(INZAGE, {"r": nummer}, token)
    groepen = set(body["data"]["leraar"]["inzage"])
    # inzage must agree with what the asker is actually given: the portfolio is for LERAAR_ZELF and
    # MET_TOESTEMMING only.
    portfolio_zichtbaar = body["data"]["leraar"]["portfolio"] is not None
    assert portfolio_zichtbaar == bool(groepen & {"LERAAR_ZELF", "MET_TOESTEMMING"}), (groepen, body)
    return groepen


async def test_inzage_per_vrager(api):
    s = api.sleutels
    t, ander = await klaarzetten(
        api,
        [
            levering(
                bsn(86),
                achternaam="Tee",
                tussenvoegsel=None,
                benoemingen=[benoeming("80001"), benoeming("80003", begindatum="2019-08-01", einddatum="2025-07-31")],
            ),
            levering(bsn(87), achternaam="Ander", tussenvoegsel=None, benoemingen=[benoeming("80002")]),
        ],
    )
    await bevestig(api, bsn(86))
    await bevestig(api, bsn(87))

    assert await _inzage(api, t, None) == {"PUBLIEK"}
    assert await _inzage(api, t, s.leraar(bsn(86))) == {"PUBLIEK", "LERAAR_ZELF"}
    assert await _inzage(api, t, s.leraar(bsn(87))) == {"PUBLIEK"}
    assert await _inzage(api, t, s.bestuur("80001")) == {"PUBLIEK", "WERKGEVER"}
    assert await _inzage(api, t, s.bestuur("80003")) == {"PUBLIEK"}  # no longer employs the teacher
    assert await _inzage(api, t, s.bestuur("80002")) == {"PUBLIEK"}
    assert "DUO" in await _inzage(api, t, s.duo())

    # Per teacher, not per query: one bulk answer mixes audiences.
    data = await api.ok(LERAREN_INZAGE, {"n": [t, ander]}, s.bestuur("80001"))
    assert [set(x["inzage"]) for x in data["leraren"]] == [{"PUBLIEK", "WERKGEVER"}, {"PUBLIEK"}]

    await api.ok(OPENBAAR, {"o": True}, s.leraar(bsn(86)))
    assert await _inzage(api, t, None) == {"PUBLIEK", "MET_TOESTEMMING"}
    assert await _inzage(api, t, s.leraar(bsn(86))) == {"PUBLIEK", "LERAAR_ZELF", "MET_TOESTEMMING"}
    assert await _inzage(api, t, s.bestuur("80001")) == {"PUBLIEK", "WERKGEVER", "MET_TOESTEMMING"}
    assert await _inzage(api, ander, None) == {"PUBLIEK"}

    await api.ok(OPENBAAR, {"o": False}, s.leraar(bsn(86)))
    assert await _inzage(api, t, None) == {"PUBLIEK"}


def _rfc3339(moment: dt.datetime, offset_uren: int | None) -> str:
    if offset_uren is None:
        return moment.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
    return moment.astimezone(dt.timezone(dt.timedelta(hours=offset_uren))).isoformat()


async def _gewijzigd(api: Any, sinds: str | None) -> list[str]:
    data = await api.ok(GEWIJZIGD, {"s": sinds}, api.sleutels.bestuur("80001"))
    conn = data["mijnSchoolbestuur"]["medewerkers"]
    assert conn["totalCount"] == len(conn["edges"])
    return [e["node"]["registernummer"] for e in conn["edges"]]


async def test_medewerkers_gewijzigd_sinds(api):
    a, b = await klaarzetten(
        api,
        [
            levering(bsn(88), achternaam="Aa", tussenvoegsel=None, benoemingen=[benoeming("80001")]),
            levering(bsn(89), achternaam="Bee", tussenvoegsel=None, benoemingen=[benoeming("80001")]),
        ],
    )
    # The register's changes are stamped with the real clock, so the moments come from it too.
    t1 = dt.datetime.now(dt.UTC)
    await bevestig(api, bsn(88))  # A's registratie changes
    t2 = dt.datetime.now(dt.UTC)
    await bevestig(api, bsn(89))  # then B's
    t3 = dt.datetime.now(dt.UTC)

    assert await _gewijzigd(api, None) == [a, b]
    assert await _gewijzigd(api, _rfc3339(t1, None)) == [a, b]
    assert await _gewijzigd(api, _rfc3339(t2, None)) == [b]
    assert await _gewijzigd(api, _rfc3339(t3, None)) == []


async def test_medewerkers_gewijzigd_sinds_met_andere_offset(api):
    # DateTime is RFC 3339 with an offset: the same instant written with another offset selects the
    # same staff, also on SQLite, which stores the moment as UTC text.
    _, b = await klaarzetten(
        api,
        [
            levering(bsn(90), achternaam="Aa", tussenvoegsel=None, benoemingen=[benoeming("80001")]),
            levering(bsn(91), achternaam="Bee", tussenvoegsel=None, benoemingen=[benoeming("80001")]),
        ],
    )
    await bevestig(api, bsn(90))
    t2 = dt.datetime.now(dt.UTC)
    await bevestig(api, bsn(91))
    for offset in (None, 0, 1, 2, -5):
        assert await _gewijzigd(api, _rfc3339(t2, offset)) == [b], (api.store, _rfc3339(t2, offset))


async def _bestuur_met_staf(api: Any, nummer: str, bsns: list[str], bevestigd: int) -> list[str]:
    """Deliver staff of a board on 2024-01-10, each with two bevoegdheden and a voorportaal subject;
    the first `bevestigd` confirm then."""
    bevoegdheden = [
        {"vak": "Wiskunde", "soort": "TWEEDEGRAADS", "behaaldOp": "2010-06-30"},
        {"vak": "Rekenen", "soort": "PO", "behaaldOp": "2008-06-30"},
    ]
    async with api.op(D(2024, 1, 10)) as a:
        nummers = await klaarzetten(
            a,
            [
                levering(
                    b,
                    achternaam=f"Staf{i:03d}",
                    tussenvoegsel=None,
                    bevoegdheden=bevoegdheden,
                    benoemingen=[
                        benoeming(nummer, begindatum="2023-08-01"),
                        benoeming(nummer, vak="Natuurkunde", begindatum="2024-08-01"),
                    ],
                )
                for i, b in enumerate(bsns)
            ],
        )
        await bevestig_alle(a, bsns[:bevestigd], nummers[:bevestigd])
    return nummers


async def test_bestuurspagina_heeft_een_vast_aantal_statements(api):
    klein, groot = geldige_bsns(10, start=11), geldige_bsns(100, start=12)
    await _bestuur_met_staf(api, "81001", klein, 3)
    await _bestuur_met_staf(api, "81002", groot, 30)

    tellingen = {}
    for nummer, aantal in (("81001", 10), ("81002", 100)):
        for filter_ in (None, {"metWaarschuwing": True}):
            with api.tel() as t:
                data = await api.ok(PAGINA, {"f": filter_}, api.sleutels.bestuur(nummer))
            tellingen[(aantal, bool(filter_))] = t.aantal
            staf = [e["node"] for e in data["mijnSchoolbestuur"]["medewerkers"]["edges"]]
            assert len(staf) == aantal
            bevestigd = [x for x in staf if x["registratie"]["status"] == "GEREGISTREERD"]
            assert len(bevestigd) == aantal * 3 // 10
            for x in bevestigd:
                assert {w["soort"] for w in x["waarschuwingen"]} == {"ACHTER_OP_SCHEMA"}
                assert {b["herregistratie"]["status"] for b in x["bevoegdheden"]} == {"RISICO"}
            for x in staf:
                if x not in bevestigd:
                    assert [w["soort"] for w in x["waarschuwingen"]] == ["REGISTRATIE_NIET_BEVESTIGD"]
                    assert all(b["herregistratie"] is None for b in x["bevoegdheden"])
                assert x["voorportaal"] == [{"vak": "Natuurkunde", "termijnEinde": "2026-07-31"}]
    # Six reads, and one INSERT of the access log for the whole page (not one per teacher).
    assert tellingen[(10, False)] == tellingen[(100, False)] <= 7, tellingen
    assert tellingen[(10, True)] == tellingen[(100, True)] <= 7, tellingen
    assert sum(s.lstrip().upper().startswith("INSERT INTO INZAGELOG") for s in api.statements) == 1


async def test_gewijzigd_sinds_zonder_offset_is_ongeldig(api):
    # API.md: DateTime is RFC 3339 with an offset. RFC 3339 has no form without one, so a value without
    # an offset is bad input rather than a guess at a time zone.
    await klaarzetten(api, [levering(bsn(92), benoemingen=[benoeming("80001")])])
    for waarde in ("gisteren", "2026-11-28T10:00:00"):
        body = await api.gql(GEWIJZIGD, {"s": waarde}, api.sleutels.bestuur("80001"))
        assert fouten(body, "BAD_USER_INPUT"), (api.store, waarde, body)
        assert not fouten(body, "INTERNAL_SERVER_ERROR"), body


async def test_gewijzigd_sinds_buiten_de_jaartelling_is_ongeldig(api):
    # Valid RFC 3339, but in UTC the year 10000 or the year 0: Python's datetime cannot hold it.
    await klaarzetten(api, [levering(bsn(93), benoemingen=[benoeming("80001")])])
    for waarde in ("9999-12-31T23:59:59-14:00", "0001-01-01T00:00:00+14:00"):
        body = await api.gql(GEWIJZIGD, {"s": waarde}, api.sleutels.bestuur("80001"))
        assert not fouten(body, "INTERNAL_SERVER_ERROR"), body
        assert [e["extensions"].get("field") for e in fouten(body, "BAD_USER_INPUT")] == ["gewijzigdSinds"], body
