"""Nothing personal in the logs (API.md, "Production", Operations; issue 10): a register whose every
personal value is a canary is driven through deliveries, confirmation, portfolio, corrections,
reports, objections, bad input and a failing database write, with every logger at DEBUG and the
SQL log on; no canary, no BSN and no token may appear in anything the server logged or printed."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from conftest import Api, fouten
from gegevens import bevestig, bsn, levering
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine
from test_bsn_lekt_niet import Vangnet, logboek  # noqa: F401  (the fixture)
from test_zichtbaarheid import A, bouw_gegevens

from lerarenregister.logboek import JsonOpmaak

CANARIES = [
    "Kanarievogel",
    "Kanariecorrectie",
    "Kanarietitel",
    "Kanarietoelichting",
    "Kanariemotivering",
    "Kanariezoekterm",
    "Kanariewachtwoord",
    "1977-07-07",
]
LEVER = """mutation($l: [Levering!]!) { zetGegevensKlaar(leveringen: $l) { nieuw } }"""


class JsonVangnet(logging.Handler):
    """The same records in REGISTER_LOG_FORMAT=json (logboek.JsonOpmaak): its fields, the request
    log's included, are checked too."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.setFormatter(JsonOpmaak())
        self.regels: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.regels.append(self.format(record))


@pytest.fixture
def json_logboek() -> Any:
    vangnet = JsonVangnet()
    logging.getLogger().addHandler(vangnet)
    try:
        yield vangnet
    finally:
        logging.getLogger().removeHandler(vangnet)


async def kanarieverkeer(api: Api) -> list[str]:
    """Deliveries, confirmation, portfolio, corrections, reports, objections, bad input and a failing
    database write, each carrying a canary; returns what must never show: the canaries, the BSN
    delivered, the tokens. test_sporen.py drives the same traffic past its traces."""
    s = api.sleutels
    g = await bouw_gegevens(api)
    b = bsn(401)
    tokens: list[str] = [s.duo(), s.leraar(b), s.bestuur(A), s.beroepsgroep(), s.leraar(g.bsn)]
    duo, leraar, bestuur, beroepsgroep, eerste = tokens
    lev = levering(
        b,
        achternaam="Kanarievogel",
        voornamen="Pietje",
        geboortedatum="1977-07-07",
        benoemingen=[
            {
                "bevoegdGezagNummer": A,
                "schoolbestuurNaam": "S",
                "vak": "Wiskunde",
                "begindatum": "2020-08-01",
                "einddatum": None,
            }
        ],
    )
    await api.ok(LEVER, {"l": [lev]}, duo)
    # The same BSN twice, and a bad birth date: errors that name fields, not values.
    body = await api.gql(LEVER, {"l": [lev, lev]}, duo)
    assert fouten(body, "BAD_USER_INPUT")
    body = await api.gql(LEVER, {"l": [{**lev, "geboortedatum": "1977-07-77"}]}, duo)
    assert fouten(body, "BAD_USER_INPUT")
    await bevestig(api, b)
    ik = (await api.ok("{ ik { bevoegdheden { id } benoemingen { id } } }", token=leraar))["ik"]
    ids = [x["id"] for x in ik["bevoegdheden"]]
    activiteit = {
        "titel": "Kanarietitel",
        "datum": "2026-11-01",
        "uren": 3,
        "gebied": "PEDAGOGISCH",
        "bevoegdheden": ids,
    }
    voeg_toe = "mutation($i: ActiviteitInvoer!) { voegActiviteitToe(invoer: $i) { id } }"
    await api.ok(voeg_toe, {"i": activiteit}, leraar)
    assert fouten(await api.gql(voeg_toe, {"i": {**activiteit, "datum": "2099-01-01"}}, leraar), "BAD_USER_INPUT")
    await api.ok(
        "mutation($i: CorrectieInvoer!) { corrigeerPersoonsgegevens(invoer: $i) { registernummer } }",
        {"i": {"achternaam": "Kanariecorrectie"}},
        leraar,
    )
    await api.ok(
        "mutation($b: ID, $t: String!) { meldFout(benoeming: $b, toelichting: $t) { id } }",
        {"b": ik["benoemingen"][0]["id"], "t": "Kanarietoelichting"},
        leraar,
    )
    body = await api.gql(
        "mutation($g: String!, $w: String!) { importeerVrijwilligPortfolio(gebruikersnaam: $g, "
        "wachtwoord: $w) { aantal } }",
        {"g": "Kanarievogel", "w": "Kanariewachtwoord"},
        leraar,
    )
    assert fouten(body, "BAD_USER_INPUT")
    await api.gql("query($t: String!) { zoekLeraren(zoekterm: $t) { totalCount } }", {"t": "Kanariezoekterm"})
    # An objection whose text is a canary, then a database write that fails (the access log's table
    # gone: the fail-closed path logs why, not what).
    aantekening = (await api.ok("{ ik { bevoegdheden { aantekening { id } } } }", token=eerste))["ik"]["bevoegdheden"][
        0
    ]["aantekening"]["id"]
    await api.ok(
        "mutation($a: ID!, $m: String!) { dienBezwaarIn(aantekening: $a, motivering: $m) { id } }",
        {"a": aantekening, "m": "Kanariemotivering"},
        bestuur,
    )
    await api.ok("{ bezwaren { edges { node { motivering } } } }", token=beroepsgroep)
    engine = create_async_engine(api.url)
    try:
        async with engine.begin() as conn:
            await conn.execute(text("ALTER TABLE inzagelog RENAME TO inzagelog_weg"))
        r = await api.post(
            "{ mijnSchoolbestuur { medewerkers { edges { node { geboortedatum registratie { status } } } } } }",
            token=bestuur,
        )
        assert r.status_code == 503
    finally:
        async with engine.begin() as conn:
            await conn.execute(text("ALTER TABLE inzagelog_weg RENAME TO inzagelog"))
        await engine.dispose()
    return [*CANARIES, b, *tokens]


@pytest.mark.instellingen(log_sql=True)
async def test_geen_persoonsgegevens_in_de_logs(
    api: Api,
    logboek: Vangnet,  # noqa: F811  (the fixture imported above)
    json_logboek: JsonVangnet,
    capfd: pytest.CaptureFixture[str],
) -> None:
    geheimen = await kanarieverkeer(api)
    uit, err = capfd.readouterr()
    alles = logboek.regels + json_logboek.regels + [uit, err]
    assert any("SELECT" in regel for regel in logboek.regels), "the SQL log was on: statements were logged"
    assert any('"request_id"' in regel for regel in json_logboek.regels), "the request log was on"
    gevonden = [(c, regel[:200]) for c in geheimen for regel in alles if c in regel]
    assert not gevonden, gevonden


def test_toegangslog_zonder_query_string() -> None:
    """uvicorn's access line for a GET keeps its path, never its query string."""
    import logging

    from lerarenregister.cli import ZonderQueryString

    record = logging.LogRecord(
        "uvicorn.access",
        logging.INFO,
        __file__,
        1,
        '%s - "%s %s HTTP/%s" %d',
        ("127.0.0.1:5000", "GET", '/graphql?variables={"bsn":"123456782"}&query=x', "1.1", 200),
        None,
    )
    assert ZonderQueryString().filter(record)
    assert record.getMessage() == '127.0.0.1:5000 - "GET /graphql?… HTTP/1.1" 200'
