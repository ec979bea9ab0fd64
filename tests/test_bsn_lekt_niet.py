"""The BSN never leaves the server (DOMAIN.md): not in any answer, any log line, stdout/stderr or the database.

The scenario sends BSNs every way a client can, right and wrong, then asks for everything each
audience may see; every response body and every log record is searched for each BSN used.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
from typing import Any

import pytest
from conftest import TABELLEN, Api, fouten
from gegevens import KLAARZETTEN, bsn, levering
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine
from test_zichtbaarheid import (
    BENOEMINGEN,
    BEVOEGDHEDEN,
    A,
    _tekst,
    _velden,
    bouw_gegevens,
)

from lerarenregister.schema import bouw_schema

ONGELDIG = "987654320"  # nine digits, fails the elfproef


def _selectie(typenaam: str) -> str:
    return _tekst(_velden(bouw_schema()._schema.type_map[typenaam], (typenaam,)))  # type: ignore[arg-type]


_STANDAARD = set(logging.makeLogRecord({}).__dict__) | {"message", "asctime"}


class Vangnet(logging.Handler):
    """Every log record of the test, formatted with its arguments and any traceback."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.setFormatter(logging.Formatter("%(name)s %(levelname)s %(message)s"))
        self.regels: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        # The formatted line holds the arguments and any traceback; extra fields could carry more.
        extra = {k: v for k, v in record.__dict__.items() if k not in _STANDAARD}
        self.regels.append(self.format(record) + (" " + repr(extra) if extra else ""))


@pytest.fixture
def logboek() -> Any:
    wortel = logging.getLogger()
    # SQL with its parameters too: the statements the register sends must not carry a BSN either.
    sql = logging.getLogger("sqlalchemy.engine")
    oud = (wortel.level, sql.level)
    vangnet = Vangnet()
    wortel.addHandler(vangnet)
    wortel.setLevel(logging.DEBUG)
    sql.setLevel(logging.INFO)
    try:
        yield vangnet
    finally:
        wortel.removeHandler(vangnet)
        wortel.setLevel(oud[0])
        sql.setLevel(oud[1])


class Opname:
    """The API, keeping every response body."""

    def __init__(self, api: Api):
        self.api = api
        self.bodies: list[str] = []

    async def post(self, query: str, variables: dict[str, Any] | None = None, token: str | None = None) -> Any:
        r = await self.api.post(query, variables, token)
        self.bodies.append(r.text)
        return r

    async def gql(self, query: str, variables: dict[str, Any] | None = None, token: str | None = None) -> Any:
        r = await self.post(query, variables, token)
        assert r.status_code == 200, r.text
        return r.json()

    async def ok(self, query: str, variables: dict[str, Any] | None = None, token: str | None = None) -> Any:
        body = await self.gql(query, variables, token)
        assert "errors" not in body, body
        return body["data"]

    async def alles(self, query: str, variables: dict[str, Any] | None = None, token: str | None = None) -> Any:
        """A request for every field: only the fields this asker may not see are denied."""
        body = await self.gql(query, variables, token)
        assert all(e["extensions"]["code"] == "FORBIDDEN" for e in body.get("errors", [])), body
        return body["data"]


def _lekken(bsns: list[str], teksten: list[str]) -> list[str]:
    uit = []
    for b in bsns:
        patroon = re.compile(rf"(?<!\d){b}(?!\d)")
        uit.extend(f"{b} in: {t[:300]}" for t in teksten if patroon.search(t))
    return uit


# This test asks for every field along every path that repeats no type, for every audience at once:
# far more than any screen does, and over the cost limits (README, "Limits"), which test_limieten tests.
@pytest.mark.instellingen(max_kosten_publiek=10**9, max_kosten_aangemeld=10**9)
async def test_bsn_verlaat_de_server_niet(api: Api, logboek: Vangnet, capfd: pytest.CaptureFixture[str]) -> None:
    s = api.sleutels
    o = Opname(api)
    g = await bouw_gegevens(api)  # delivery, confirmation, assessment, objections, an activity
    nieuw, dubbel, als_getal, onbekend = bsn(301), bsn(302), bsn(303), bsn(304)
    gebruikt = [g.bsn, g.ander_bsn, nieuw, dubbel, als_getal, onbekend, ONGELDIG]

    # DUO delivers again: unchanged, and one new teacher.
    data = await o.ok(
        KLAARZETTEN,
        {
            "leveringen": [
                levering(g.bsn, bevoegdheden=BEVOEGDHEDEN, benoemingen=BENOEMINGEN),
                levering(nieuw, achternaam="Nieuw"),
            ]
        },
        s.duo(),
    )
    assert data["zetGegevensKlaar"]["ongewijzigd"] == 1 and data["zetGegevensKlaar"]["nieuw"] == 1

    # Invalid deliveries: a BSN failing the elfproef, the same BSN twice, a BSN sent as a number.
    body = await o.gql(KLAARZETTEN, {"leveringen": [levering(bsn(305)), levering(ONGELDIG)]}, s.duo())
    assert [e["extensions"].get("field") for e in fouten(body, "BAD_USER_INPUT")] == ["leveringen[1].bsn"], body
    body = await o.gql(KLAARZETTEN, {"leveringen": [levering(dubbel), levering(dubbel)]}, s.duo())
    assert [e["extensions"].get("field") for e in fouten(body, "BAD_USER_INPUT")] == ["leveringen[1].bsn"], body
    body = await o.gql(KLAARZETTEN, {"leveringen": [{**levering(als_getal), "bsn": int(als_getal)}]}, s.duo())
    assert [e["extensions"].get("field") for e in fouten(body, "BAD_USER_INPUT")] == ["leveringen[0].bsn"], body
    # The same as literals in the document: graphql-core's own messages would quote them.
    letterlijk = (
        'mutation { zetGegevensKlaar(leveringen: [{bsn: @BSN@, voornamen: "A", achternaam: "B", '
        'geboortedatum: "1980-01-01", bevoegdheden: [], benoemingen: []}]) { nieuw } }'
    )
    body = await o.gql(letterlijk.replace("@BSN@", als_getal), token=s.duo())
    assert body.get("errors") and body.get("data") is None, body
    body = await o.gql(letterlijk.replace("@BSN@", f'"{ONGELDIG}"'), token=s.duo())
    assert fouten(body, "BAD_USER_INPUT"), body

    # Logging in: the teacher, the new teacher confirming, a BSN that matches nobody, one that is no BSN.
    ik_vraag = "{ ik { " + _selectie("Leraar") + " } }"
    await o.alles(ik_vraag, token=s.leraar(g.bsn))
    await o.ok("{ ik { registernummer } }", token=s.leraar(nieuw))
    ids = [b["id"] for b in (await o.ok("{ ik { bevoegdheden { id } } }", token=s.leraar(nieuw)))["ik"]["bevoegdheden"]]
    await o.ok(
        "mutation($i: [ID!]!) { bevestigRegistratie(herregistratieBevoegdheden: $i) { registernummer } }",
        {"i": ids},
        s.leraar(nieuw),
    )
    body = await o.gql("{ ik { registernummer } }", token=s.leraar(onbekend))
    assert fouten(body, "NOT_FOUND"), body
    r = await o.post("{ ik { registernummer } }", token=s.leraar(ONGELDIG))
    assert r.status_code == 401
    # A teacher reports an error in DUO's data; DUO reads the reports back.
    benoeming_id = (await o.ok("{ ik { benoemingen { id } } }", token=s.leraar(g.bsn)))["ik"]["benoemingen"][0]["id"]
    await o.ok(
        'mutation($b: ID!) { meldFout(benoeming: $b, toelichting: "Klopt niet") { id } }',
        {"b": benoeming_id},
        s.leraar(g.bsn),
    )

    zoek = (
        "query($t: String!) { zoekLeraren(zoekterm: $t) { totalCount edges { node { " + _selectie("Leraar") + " } } } }"
    )
    for term in ("de Vries", "Vries", g.nummer):
        assert (await o.alles(zoek, {"t": term}))["zoekLeraren"]["totalCount"] >= 1

    # Everything each audience may see of the teacher, the board's staff, DUO's read-back.
    alles = "query($nr: String!) { leraar(registernummer: $nr) { " + _selectie("Leraar") + " } }"
    for token in (
        None,
        s.leraar(g.bsn),
        s.leraar(g.ander_bsn),
        s.bestuur(A),
        s.duo(),
        s.beroepsgroep(),
        s.aanbieder("AANB1"),
    ):
        await o.alles(alles, {"nr": g.nummer}, token)
    await o.alles("{ mijnSchoolbestuur { " + _selectie("Schoolbestuur") + " } }", token=s.bestuur(A))
    foutmeldingen = await o.alles("{ foutmeldingen { " + _selectie("FoutmeldingConnection") + " } }", token=s.duo())
    assert foutmeldingen["foutmeldingen"]["totalCount"] == 1
    await o.alles("{ bezwaren { " + _selectie("BezwaarConnection") + " } }", token=s.beroepsgroep())
    await o.alles(
        "query($nrs: [String!]!) { leraren(registernummers: $nrs) { registernummer naam { voornamen } } }",
        {"nrs": [g.nummer, g.ander_nummer]},
        s.duo(),
    )

    assert len(o.bodies) > 20
    lekken = _lekken(gebruikt, o.bodies)
    assert not lekken, "a BSN in a response:\n" + "\n".join(lekken)
    assert logboek.regels, "the log handler caught nothing: the check below would prove nothing"
    assert any("leraar" in regel.lower() for regel in logboek.regels)  # the SQL did reach the log
    lekken = _lekken(gebruikt, logboek.regels)
    assert not lekken, "a BSN in the log:\n" + "\n".join(lekken)
    uit, fout = capfd.readouterr()
    lekken = _lekken(gebruikt, [uit, fout])
    assert not lekken, "a BSN on stdout/stderr:\n" + "\n".join(lekken)

    # Someone searching for a BSN finds nobody, and the answer does not echo it. (Left out of the log
    # check above: a search term is the searcher's own input, and with SQL logging switched on the
    # statement parameters are logged as sent.)
    for term in (g.bsn, nieuw):
        data = await o.alles(zoek, {"t": term})
        assert data["zoekLeraren"]["totalCount"] == 0
    lekken = _lekken(gebruikt, o.bodies)
    assert not lekken, "a BSN in a search answer:\n" + "\n".join(lekken)

    # The database: no column of any table holds a BSN, and the stored hash is keyed.
    engine = create_async_engine(api.url)
    try:
        async with engine.connect() as conn:
            waarden: list[str] = []
            for tabel in TABELLEN:
                res = await conn.execute(text(f"SELECT * FROM {tabel}"))
                kolommen = list(res.keys())
                assert not any(k.lower() == "bsn" for k in kolommen), (tabel, kolommen)
                waarden.extend(json.dumps(dict(zip(kolommen, map(str, rij)))) for rij in res.all())
            hashes = (await conn.execute(text("SELECT bsn_hash FROM leraar"))).scalars().all()
    finally:
        await engine.dispose()
    assert len(waarden) > 20
    lekken = _lekken(gebruikt, waarden)
    assert not lekken, "a BSN in the database:\n" + "\n".join(lekken)
    # Nine digits are few: an unkeyed hash would be reversed by trying them all.
    assert len(hashes) == 3  # the two teachers of the data set and `nieuw`: the refused deliveries wrote nothing
    for b in (g.bsn, g.ander_bsn, nieuw):
        for h in (hashlib.sha256, hashlib.sha1, hashlib.md5, hashlib.sha512):
            assert h(b.encode()).hexdigest() not in hashes, h
