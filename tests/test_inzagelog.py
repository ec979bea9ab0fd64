"""The access log (API.md, "Production", Access log), on both stores.

Reads through WERKGEVER, DUO or BEROEPSGROEP are recorded by the enforcement point, one row per
request and teacher, field names only; public, consented and own reads are not; an answer whose
access cannot be recorded is not given; old entries are pruned.
"""

from __future__ import annotations

from typing import Any

from conftest import Api, fouten
from gegevens import benoeming, bevestig, bsn, klaarzetten, levering
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

LOG = """{ ik { inzagelog { totalCount edges { node { tijdstip doelgroep door velden operatie } } } } }"""
STAF = """query Personeel { mijnSchoolbestuur { medewerkers { edges { node {
  registernummer naam { weergavenaam } registratie { status } waarschuwingen { soort } } } } } }"""
WIS = {"vak": "Wiskunde", "soort": "TWEEDEGRAADS", "behaaldOp": "2010-06-30"}
NAT = {"vak": "Natuurkunde", "soort": "TWEEDEGRAADS", "behaaldOp": "2026-11-01"}


async def _log(api: Api, b: str) -> list[dict[str, Any]]:
    data = await api.ok(LOG, token=api.sleutels.leraar(b))
    return [e["node"] for e in data["ik"]["inzagelog"]["edges"]]


async def _sql(api: Api, sql: str) -> Any:
    engine = create_async_engine(api.url)
    try:
        async with engine.begin() as conn:
            return (
                (await conn.execute(text(sql))).all()
                if sql.lstrip().upper().startswith("SELECT")
                else await conn.execute(text(sql))
            )
    finally:
        await engine.dispose()


async def _twee_leraren(api: Api) -> list[str]:
    nummers = await klaarzetten(
        api,
        [
            levering(bsn(1), benoemingen=[benoeming("41207", naam="Stichting Amstelland")]),
            levering(bsn(2), achternaam="Jansen", benoemingen=[benoeming("41207", naam="Stichting Amstelland")]),
        ],
    )
    await bevestig(api, bsn(1))
    return nummers


async def test_werkgever_wordt_vastgelegd_per_leraar_zonder_waarden(api: Api) -> None:
    await _twee_leraren(api)
    r = await api.post(STAF, token=api.sleutels.bestuur("41207"), headers={"X-Request-ID": "dashboard-42"})
    assert r.status_code == 200 and r.headers["x-request-id"] == "dashboard-42"
    for b in (bsn(1), bsn(2)):
        [regel] = await _log(api, b)
        assert regel["doelgroep"] == "WERKGEVER" and regel["door"] == "Stichting Amstelland (41207)"
        assert regel["operatie"] == "Personeel"
        # The non-public fields only: registernummer and naam are public, so no record of them.
        # (No warning stands for either, so no Waarschuwing.soort was given.)
        assert regel["velden"] == ["Leraar.registratie", "Leraar.waarschuwingen", "Registratie.status"], regel
        assert regel["tijdstip"].endswith("+00:00"), regel  # RFC 3339 with an offset, on both stores
    rijen = await _sql(api, "SELECT sub, request_id, velden FROM inzagelog")
    assert len(rijen) == 2 and {(r[0], r[1]) for r in rijen} == {("test-schoolbestuur", "dashboard-42")}
    # Never a value: the stored fields are names of the schema.
    assert all("GEREGISTREERD" not in str(r[2]) and "Vries" not in str(r[2]) for r in rijen)


async def test_duo_en_beroepsgroep_worden_vastgelegd(api: Api) -> None:
    [nummer, _] = await _twee_leraren(api)
    vraag = "query($nr: String!) { leraar(registernummer: $nr) { geboortedatum naam { voornamen } } }"
    await api.ok(vraag, {"nr": nummer}, api.sleutels.duo())
    await api.ok("{ bezwaren { totalCount } }", token=api.sleutels.beroepsgroep())  # no teacher's data: no entry
    [regel] = await _log(api, bsn(1))
    assert (regel["doelgroep"], regel["door"], regel["operatie"]) == ("DUO", "DUO", None)
    # Leraar.naam leads to public fields too; only voornamen, DUO's, is recorded.
    assert regel["velden"] == ["Leraar.geboortedatum", "Naam.voornamen"]


async def test_openbaar_eigen_en_met_toestemming_niet(api: Api) -> None:
    [nummer, _] = await _twee_leraren(api)
    token = api.sleutels.leraar(bsn(1))
    await api.ok("mutation { zetPortfolioOpenbaar(openbaar: true) { portfolioOpenbaar } }", token=token)
    vraag = (
        "query($nr: String!) { leraar(registernummer: $nr) { naam { weergavenaam } bevoegdheden { vak } "
        "portfolio { totalCount } } }"
    )
    await api.ok(vraag, {"nr": nummer})  # the public
    await api.ok(vraag, {"nr": nummer}, api.sleutels.leraar(bsn(2)))  # another teacher, with consent
    await api.ok(vraag, {"nr": nummer}, api.sleutels.bestuur("41207"))  # the employer, public fields only
    await api.ok("{ ik { geboortedatum portfolio { totalCount } } }", token=token)  # the teacher
    assert await _log(api, bsn(1)) == []
    # What a board may not see is denied, and a denial is no access either.
    body = await api.gql(
        "query($nr: String!) { leraar(registernummer: $nr) { geboortedatum } }",
        {"nr": nummer},
        api.sleutels.bestuur("99999"),
    )
    assert fouten(body, "FORBIDDEN") and await _log(api, bsn(1)) == []


async def test_een_insert_voor_een_pagina(api: Api) -> None:
    await _twee_leraren(api)
    with api.tel() as t:
        await api.ok(STAF, token=api.sleutels.bestuur("41207"))
    schrijven = [s for s in api.statements if s.lstrip().upper().startswith("INSERT INTO INZAGELOG")]
    assert len(schrijven) == 1, api.statements
    assert t.aantal >= 1


async def test_niet_vastgelegd_is_niet_gegeven(api: Api) -> None:
    """Fail closed: with the log's table away, the board gets no data; nor does a mutation stand."""
    await klaarzetten(
        api, [levering(bsn(1), bevoegdheden=[WIS], benoemingen=[benoeming("41207", "Natuurkunde", "2026-08-01")])]
    )
    ik = (await api.ok("{ ik { voorportaal { id termijnEinde } } }", token=api.sleutels.leraar(bsn(1))))["ik"]
    [inschrijving] = ik["voorportaal"]
    await _sql(api, "ALTER TABLE inzagelog RENAME TO inzagelog_weg")
    try:
        r = await api.post(STAF, token=api.sleutels.bestuur("41207"))
        assert r.status_code == 503 and r.json()["errors"][0]["extensions"]["code"] == "SERVICE_UNAVAILABLE"
        assert "data" not in r.json() or r.json()["data"] is None
        assert "Vries" not in r.text
        verleng = "mutation($id: ID!) { verlengVoorportaaltermijn(inschrijving: $id) { termijnEinde } }"
        r = await api.post(verleng, {"id": inschrijving["id"]}, api.sleutels.bestuur("41207"))
        assert r.status_code == 503, r.text
    finally:
        await _sql(api, "ALTER TABLE inzagelog_weg RENAME TO inzagelog")
    ik = (await api.ok("{ ik { voorportaal { id termijnEinde } } }", token=api.sleutels.leraar(bsn(1))))["ik"]
    assert ik["voorportaal"] == [inschrijving]  # the extension was undone with its log entry
    # With the table back the same mutation stands, and is logged.
    verleng = "mutation Verleng($id: ID!) { verlengVoorportaaltermijn(inschrijving: $id) { termijnEinde } }"
    await api.ok(verleng, {"id": inschrijving["id"]}, api.sleutels.bestuur("41207"))
    [regel] = await _log(api, bsn(1))
    assert regel["operatie"] == "Verleng" and "Voorportaalinschrijving.termijnEinde" in regel["velden"]


async def test_nieuwste_eerst_en_oude_regels_weg(api: Api) -> None:
    await _twee_leraren(api)
    await _sql(
        api,
        "INSERT INTO inzagelog (leraar_id, tijdstip, doelgroep, door, sub, velden, operatie, request_id) "
        "SELECT id, '2020-01-01T00:00:00+00:00', 'DUO', 'DUO', 's', '[\"Leraar.geboortedatum\"]', "
        "'Oud', 'r' FROM leraar",
    )
    await _sql(
        api,
        "INSERT INTO inzagelog (leraar_id, tijdstip, doelgroep, door, sub, velden, operatie, request_id) "
        "SELECT id, '2026-11-01T00:00:00+00:00', 'DUO', 'DUO', 's', '[\"Leraar.geboortedatum\"]', "
        "'Recent', 'r' FROM leraar",
    )
    await api.ok(STAF, token=api.sleutels.bestuur("41207"))
    assert [r["operatie"] for r in await _log(api, bsn(1))] == ["Personeel", "Recent", "Oud"]
    # A server start prunes what is older than REGISTER_INZAGELOG_DAGEN (here 365 days).
    kort = Api(api.store, api.url, api.sleutels, api.vandaag, inzagelog_dagen=365)
    async with kort:
        assert [r["operatie"] for r in await _log(kort, bsn(1))] == ["Personeel", "Recent"]
