"""Request ids and the request log (API.md, "Production", Operations): every response carries the
request's id, the incoming X-Request-ID when it is well-formed; REGISTER_LOG_FORMAT=json writes one
JSON object a line, one line per request with its fields and nothing a client sent as a value."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Iterator
from typing import Any

import pytest
from conftest import Api

from lerarenregister.logboek import JsonOpmaak, configuratie

ZOEK = "query ZoekLog($t: String!) { zoekLeraren(zoekterm: $t) { totalCount } }"
GEREGISTREERD = (
    "query Zoek($zoekterm: String!) { zoekLeraren(zoekterm: $zoekterm, first: 20) { totalCount edges { "
    "node { registernummer naam { voorletters tussenvoegsel achternaam weergavenaam } bevoegdheden { "
    "id vak soort voorHerregistratie } } } } }"
)
NIEUW_ID = re.compile(r"[0-9a-f]{32}")


class JsonRegels(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.setFormatter(JsonOpmaak())
        self.regels: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.regels.append(self.format(record))


@pytest.fixture
def json_log() -> Iterator[JsonRegels]:
    """The request log at INFO, written by the JSON format as `serve` would (logboek.configuratie)."""
    assert configuratie("json")["loggers"]["lerarenregister.verzoeken"]["level"] == "INFO"
    logger = logging.getLogger("lerarenregister.verzoeken")
    regels, oud = JsonRegels(), logger.level
    logger.addHandler(regels)
    logger.setLevel(logging.INFO)
    try:
        yield regels
    finally:
        logger.removeHandler(regels)
        logger.setLevel(oud)


@pytest.mark.instellingen(limiet_publiek="6/minute")
async def test_elk_antwoord_draagt_het_request_id(api: Api) -> None:
    assert api.client is not None
    c = api.client
    antwoorden = {
        "executor": await api.post(ZOEK, {"t": "Jansen"}, headers={"X-Request-ID": "klant-1.a_B"}),
        "geregistreerd": await api.post(GEREGISTREERD, {"zoekterm": "Jansen"}, headers={"X-Request-ID": "klant-2"}),
        "401": await api.post("{ __typename }", token="x.y.z", headers={"X-Request-ID": "klant-3"}),
        "schema": await c.get("/schema.graphql", headers={"X-Request-ID": "klant-4"}),
        "health": await c.get("/health/ready", headers={"X-Request-ID": "klant-5"}),
        "404": await c.get("/bestaat-niet", headers={"X-Request-ID": "klant-6"}),
    }
    for i, (soort, r) in enumerate(antwoorden.items(), 1):
        assert r.headers.get_list("x-request-id") == [f"klant-{i}" if i > 1 else "klant-1.a_B"], soort
    while (r := await api.post("{ __typename }", headers={"X-Request-ID": "klant-429"})).status_code != 429:
        pass
    assert r.headers["x-request-id"] == "klant-429"
    # Malformed or too long: replaced by a new id, never echoed.
    for slecht in ("a" * 129, "met spatie", "<script>", "ä".encode()):
        r = await c.get("/health/live", headers={"X-Request-ID": slecht})
        assert NIEUW_ID.fullmatch(r.headers["x-request-id"]), slecht
    r = await c.get("/health/live")
    assert NIEUW_ID.fullmatch(r.headers["x-request-id"])


async def test_een_json_regel_per_verzoek(api: Api, json_log: JsonRegels) -> None:
    assert api.client is not None
    await api.post(ZOEK, {"t": "Kanarievogel"}, headers={"X-Request-ID": "log-1"})
    r = await api.client.get(
        "/graphql",
        params={"query": ZOEK, "variables": json.dumps({"t": "Kanariegeheim"})},
        headers={"X-Request-ID": "log-2"},
    )
    assert r.status_code == 200, r.text
    await api.client.get("/health/live", headers={"X-Request-ID": "log-3"})
    await api.client.get("/graphql/123456782", headers={"X-Request-ID": "log-4"})  # a path is the client's text
    regels = [json.loads(r) for r in json_log.regels]
    per_id = {r["request_id"]: r for r in regels}
    assert set(per_id) == {"log-1", "log-2", "log-3", "log-4"}, regels
    een = per_id["log-1"]
    assert set(een) >= {
        "tijd",
        "niveau",
        "bericht",
        "request_id",
        "methode",
        "pad",
        "status",
        "duur_ms",
        "operatie",
        "doelgroep",
        "kosten",
    }
    assert een["niveau"] == "INFO" and re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}\+00:00", een["tijd"])
    assert (een["methode"], een["pad"], een["status"], een["operatie"], een["doelgroep"]) == (
        "POST",
        "/graphql",
        200,
        "ZoekLog",
        "publiek",
    )
    assert isinstance(een["kosten"], int) and een["kosten"] > 0 and een["duur_ms"] >= 0
    assert per_id["log-2"]["methode"] == "GET" and per_id["log-2"]["pad"] == "/graphql"  # no query string
    assert per_id["log-3"]["pad"] == "/health/live" and per_id["log-3"]["operatie"] is None
    assert per_id["log-4"]["pad"] == "andere" and per_id["log-4"]["status"] == 404
    alles = "\n".join(json_log.regels)
    for geheim in ("Kanarievogel", "Kanariegeheim", "123456782", "zoekterm", "variables"):
        assert geheim not in alles


def test_json_opmaak_van_een_gewone_regel_en_een_trace() -> None:
    record = logging.LogRecord("uvicorn.error", logging.ERROR, __file__, 1, "Started server process [%d]", (42,), None)
    regel = json.loads(JsonOpmaak().format(record))
    assert regel["bericht"] == "Started server process [42]" and regel["niveau"] == "ERROR"
    assert regel["logger"] == "uvicorn.error"
    try:
        raise ValueError("kapot")
    except ValueError:
        import sys

        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "mis", None, sys.exc_info())
    regel_tekst = JsonOpmaak().format(record)
    assert "\n" not in regel_tekst  # one line, the trace inside it
    assert "ValueError: kapot" in json.loads(regel_tekst)["uitzondering"]


def test_configuratie_tekst_en_json() -> None:
    tekst: dict[str, Any] = configuratie("tekst")
    assert tekst["loggers"]["lerarenregister.verzoeken"]["level"] == "WARNING"  # as before: uvicorn's access line
    assert "format" in tekst["formatters"]["register"]
    json_ = configuratie("json", toegangslog=True)
    assert json_["formatters"]["register"]["()"].endswith("JsonOpmaak")
    assert json_["loggers"]["uvicorn.access"]["level"] == "INFO"
    assert json_["handlers"]["toegang"]["filters"] == ["zonder_query_string"]
