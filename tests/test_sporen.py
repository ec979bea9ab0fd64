"""Traces (issue 11, point 3; README, "Traces"): with OpenTelemetry's in-memory exporter installed
through the server's own setup (`Sporen`), a request is one trace (the request's span, strawberry's
operation, parsing, validation and resolver spans, a span per SQL statement, linked parent to child,
on SQLite and PostgreSQL), and no span holds a BSN, a search term, a token or any other value a
caller sent. Without an OTLP endpoint nothing of OpenTelemetry is imported; with one, a real server
process sends its spans to a real OTLP/HTTP receiver."""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import threading
import time
from collections.abc import AsyncIterator, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import VANDAAG, Api, Sleutels, leeg
from gegevens import bevestig, bsn, klaarzetten, levering
from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import (
    ExportTraceServiceRequest,
    ExportTraceServiceResponse,
)
from opentelemetry.sdk.trace import ReadableSpan
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind, Status, StatusCode
from serverproces import draaiende_server, omgeving_met_idp, vrije_poort
from strawberry.extensions.tracing import OpenTelemetryExtension
from test_logs_zonder_persoonsgegevens import kanarieverkeer

from lerarenregister.settings import ConfigError, Settings, sporen_gevraagd
from lerarenregister.sporen import Sporen

WORTEL = Path(__file__).parent.parent
ZOEK = (WORTEL / "lerarenregister/documenten/zoek_leraren.graphql").read_text()
# The same search, but not the registered text: strawberry runs it on both stores.
ZOEK_EIGEN = (
    "query Zoek($zoekterm: String!) { zoekLeraren(zoekterm: $zoekterm, first: 5) { totalCount "
    "edges { node { registernummer naam { achternaam } bevoegdheden { vak soort } } } } }"
)
OUDER_TRACE, OUDER_SPAN = "4bf92f3577b34da6a3ce929d0e0e4736", "00f067aa0ba902b7"


class Vanger:
    """The spans a register sent, through the server's own setup with an in-memory exporter."""

    def __init__(self) -> None:
        self.exporteur = InMemorySpanExporter()
        self.sporen = Sporen(self.exporteur)

    def spans(self) -> list[ReadableSpan]:
        self.sporen.provider.force_flush()
        return list(self.exporteur.get_finished_spans())

    def wis(self) -> None:
        self.sporen.provider.force_flush()
        self.exporteur.clear()


@contextlib.asynccontextmanager
async def gespoord(
    store: str, database_urls: dict[str, str], sleutels: Sleutels, vanger: Vanger, **instellingen: Any
) -> AsyncIterator[Api]:
    url = database_urls[store]
    await leeg(url)
    async with Api(store, url, sleutels, VANDAAG, sporen=vanger.sporen, **instellingen) as api:
        yield api


def _sql(spans: list[ReadableSpan]) -> list[ReadableSpan]:
    return [s for s in spans if s.kind == SpanKind.CLIENT and s.attributes and "db.statement" in s.attributes]


def _voorouders(span: ReadableSpan, per_id: dict[int, ReadableSpan]) -> list[str]:
    """The names of a span's ancestors, nearest first, as far as this process made them."""
    namen = []
    while span.parent is not None and span.parent.span_id in per_id:
        span = per_id[span.parent.span_id]
        namen.append(span.name)
    return namen


def _een(spans: list[ReadableSpan], naam: str) -> ReadableSpan:
    gevonden = [s for s in spans if s.name == naam]
    assert len(gevonden) == 1, (naam, [s.name for s in spans])
    return gevonden[0]


@pytest.mark.parametrize("store", ["sqlite", "postgres"])
async def test_een_verzoek_is_een_spoor(store: str, database_urls: dict[str, str], sleutels: Sleutels) -> None:
    vanger = Vanger()
    async with gespoord(store, database_urls, sleutels, vanger) as api:
        await klaarzetten(api, [levering(bsn(7))])
        await bevestig(api, bsn(7))
        vanger.wis()
        assert api.client is not None
        r = await api.client.post(
            "/graphql",
            json={"query": ZOEK_EIGEN, "variables": {"zoekterm": "Vries"}},
            headers={"X-Request-ID": "spoor-1", "traceparent": f"00-{OUDER_TRACE}-{OUDER_SPAN}-01"},
        )
        assert r.status_code == 200 and r.json()["data"]["zoekLeraren"]["totalCount"] == 1, r.text
        spans = vanger.spans()

    per_id = {s.context.span_id: s for s in spans}
    # Everything the request did is in the caller's trace (W3C traceparent).
    verzoek = [s for s in spans if s.context.trace_id == int(OUDER_TRACE, 16)]
    http = _een(verzoek, "POST /graphql")
    assert http.kind == SpanKind.SERVER
    assert http.parent is not None and http.parent.is_remote and http.parent.span_id == int(OUDER_SPAN, 16)
    attrs = dict(http.attributes or {})
    kosten = attrs.pop("lerarenregister.kosten")
    assert isinstance(kosten, int) and kosten > 0
    assert attrs == {
        "http.request.method": "POST",
        "http.route": "/graphql",
        "http.response.status_code": 200,
        "graphql.operation.name": "Zoek",
        "lerarenregister.doelgroep": "publiek",
        "lerarenregister.code": "OK",
        "lerarenregister.request_id": "spoor-1",
    }

    operatie = _een(verzoek, "GraphQL Query: Zoek")
    assert operatie.parent is not None and operatie.parent.span_id == http.context.span_id
    assert dict(operatie.attributes or {}) == {
        "component": "graphql",
        "graphql.operation.name": "Zoek",
        "graphql.operation.type": "query",
    }
    for stap in ("GraphQL Parsing", "GraphQL Validation"):
        assert _voorouders(_een(verzoek, stap), per_id) == [operatie.name, http.name]
    zoek = _een(verzoek, "GraphQL Resolving: zoekLeraren")
    assert _voorouders(zoek, per_id) == [operatie.name, http.name]
    assert zoek.attributes == {"component": "graphql", "graphql.parentType": "Query", "graphql.path": "zoekLeraren"}
    bevoegdheden = _een(verzoek, "GraphQL Resolving: bevoegdheden")
    assert bevoegdheden.attributes["graphql.path"] == "zoekLeraren.edges.0.node.bevoegdheden"  # type: ignore[index]
    # Plain attribute fields (registernummer, naam) have no resolver of their own: no span.
    assert not [s for s in verzoek if s.name.endswith(("registernummer", "achternaam"))]

    sql = _sql(verzoek)
    assert any("FROM leraar" in str(s.attributes["db.statement"]) for s in sql), [s.attributes for s in sql]  # type: ignore[index]
    # Each statement under the resolver that sent it, and all of them under the request.
    assert all(http.name in _voorouders(s, per_id) for s in sql)
    assert any(_voorouders(s, per_id)[:1] == [zoek.name] for s in sql)
    assert {s.context.trace_id for s in spans if s.name.startswith(("GraphQL", "POST"))} == {int(OUDER_TRACE, 16)}
    assert all(s.end_time is not None and s.end_time >= s.start_time for s in verzoek)


async def test_gecompileerd_pad_spoor(database_urls: dict[str, str], sleutels: Sleutels) -> None:
    """A registered document, anonymous, on PostgreSQL: one statement on the compiled path's own
    asyncpg pool, no strawberry; its span is the request's child."""
    vanger = Vanger()
    async with gespoord("postgres", database_urls, sleutels, vanger) as api:
        await klaarzetten(api, [levering(bsn(8))])
        await bevestig(api, bsn(8))
        vanger.wis()
        assert api.client is not None
        r = await api.client.post("/graphql", json={"query": ZOEK, "variables": {"zoekterm": "Vries"}})
        assert r.status_code == 200 and r.json()["data"]["zoekLeraren"]["totalCount"] == 1, r.text
        spans = vanger.spans()
    http = _een(spans, "POST /graphql")
    assert http.attributes["graphql.operation.name"] == "Zoek"  # type: ignore[index]
    assert not [s for s in spans if s.name.startswith("GraphQL")]
    sql = _sql(spans)
    assert len(sql) == 1 and sql[0].parent is not None and sql[0].parent.span_id == http.context.span_id, [
        (s.name, s.attributes) for s in spans
    ]
    assert sql[0].attributes["db.system"] == "postgresql"  # type: ignore[index]


@pytest.mark.parametrize("store", ["sqlite", "postgres"])
async def test_gezondheid_en_metrics_zonder_spoor(
    store: str, database_urls: dict[str, str], sleutels: Sleutels
) -> None:
    """Probes and scrapes every few seconds would bury the requests: no span, not even for their SQL."""
    vanger = Vanger()
    async with gespoord(store, database_urls, sleutels, vanger) as api:
        assert api.client is not None
        vanger.wis()
        for pad in ("/health/ready", "/health/live", "/health", "/metrics"):
            assert (await api.client.get(pad)).status_code == 200, pad
        assert vanger.spans() == []
        # The same app does trace the schema's route: the check above could fail.
        assert (await api.client.get("/schema.graphql")).status_code == 200
        assert [s.name for s in vanger.spans()] == ["GET /schema.graphql"]


def _tekst(spans: list[ReadableSpan]) -> str:
    """Everything a span carries out: names, attributes, events, links, status, resource."""
    return "\n".join(s.to_json(indent=None) for s in spans)


LETTERLIJK = [
    '{ zoekLeraren(zoekterm: "Kanarieletterlijk") { totalCount } }',
    'mutation {{ zetGegevensKlaar(leveringen: [{{bsn: "{bsn}", voornamen: "Kanarievoornaam", '
    'tussenvoegsel: null, achternaam: "Kanarieachternaam", geboortedatum: "1966-06-06", bevoegdheden: '
    '[{{vak: "Wiskunde", soort: TWEEDEGRAADS, behaaldOp: "2010-06-30"}}], benoemingen: []}}]) {{ nieuw }} }}',
]


async def _letterlijk_en_get(api: Api, bsn_: str) -> list[str]:
    """Values in the document's literals, in a GET's query string, and a token that fails."""
    assert api.client is not None
    await api.ok(LETTERLIJK[0])
    await api.ok(LETTERLIJK[1].format(bsn=bsn_), token=api.sleutels.duo())
    r = await api.client.get(
        "/graphql",
        params={
            "query": "query($t: String!) { zoekLeraren(zoekterm: $t) { totalCount } }",
            "variables": json.dumps({"t": "Kanarieget"}),
        },
    )
    assert r.status_code == 200, r.text
    slecht = "Kanarietoken.eyJzdWIiOiJ4In0.handtekening"
    r = await api.client.post(
        "/graphql", json={"query": "{ ik { registernummer } }"}, headers={"Authorization": f"Bearer {slecht}"}
    )
    assert r.status_code == 401
    return [
        "Kanarieletterlijk",
        "Kanarievoornaam",
        "Kanarieachternaam",
        "1966-06-06",
        bsn_,
        "Kanarieget",
        "Kanarietoken",
        slecht,
    ]


@pytest.mark.parametrize("store", ["sqlite", "postgres"])
async def test_geen_persoonsgegevens_in_sporen(store: str, database_urls: dict[str, str], sleutels: Sleutels) -> None:
    """The canary traffic of the log test, plus literals, a GET and a bad token: no span holds a value."""
    vanger = Vanger()
    async with gespoord(store, database_urls, sleutels, vanger) as api:
        geheimen = await kanarieverkeer(api)
        geheimen += await _letterlijk_en_get(api, bsn(402))
        spans = vanger.spans()
    tekst = _tekst(spans)
    # What the traces did hold, so that the check below looks at something.
    assert len(_sql(spans)) > 50 and "GraphQL Resolving: zetGegevensKlaar" in tekst
    assert "GraphQL Resolving: zoekLeraren" in tekst and "GraphQL Query: DuoControle" in tekst
    fouten = [s for s in spans if s.status.status_code == StatusCode.ERROR]
    assert fouten, "the failed write and the refused input were traced as errors"
    assert all(not s.status.description for s in fouten), [s.status.description for s in fouten]
    assert all(not s.events for s in spans), "no exception events: their messages may hold values"
    gevonden = sorted({g for g in geheimen if g in tekst})
    assert not gevonden, gevonden


async def test_strawberrys_eigen_extensie_zou_lekken(database_urls: dict[str, str], sleutels: Sleutels) -> None:
    """Why GraphQLSporen exists, and proof that the canary check can fail: strawberry's extension
    as it comes puts the query text and the arguments on its spans."""
    vanger = Vanger()
    vanger.sporen.extensie = lambda: OpenTelemetryExtension(tracer_provider=vanger.sporen.provider)
    async with gespoord("sqlite", database_urls, sleutels, vanger) as api:
        await api.ok('{ zoekLeraren(zoekterm: "Kanarieletterlijk") { totalCount } }')
        await api.ok("query($t: String!) { zoekLeraren(zoekterm: $t) { totalCount } }", {"t": "Kanarievariabele"})
        tekst = _tekst(vanger.spans())
    assert "Kanarieletterlijk" in tekst and "Kanarievariabele" in tekst


async def test_niet_bemonsterd(
    monkeypatch: pytest.MonkeyPatch, database_urls: dict[str, str], sleutels: Sleutels
) -> None:
    """A request its sampler leaves out (OTEL_TRACES_SAMPLER) is answered as ever and sends no span;
    one whose caller's trace is sampled is traced all the same (parentbased_always_off)."""
    monkeypatch.setenv("OTEL_TRACES_SAMPLER", "parentbased_always_off")
    vanger = Vanger()
    async with gespoord("sqlite", database_urls, sleutels, vanger) as api:
        await klaarzetten(api, [levering(bsn(9))])
        await bevestig(api, bsn(9))
        assert api.client is not None
        r = await api.client.post("/graphql", json={"query": ZOEK_EIGEN, "variables": {"zoekterm": "Vries"}})
        assert r.status_code == 200 and r.json()["data"]["zoekLeraren"]["totalCount"] == 1, r.text
        assert vanger.spans() == []
        r = await api.client.post(
            "/graphql",
            json={"query": ZOEK_EIGEN, "variables": {"zoekterm": "Vries"}},
            headers={"traceparent": f"00-{OUDER_TRACE}-{OUDER_SPAN}-01"},
        )
        assert r.status_code == 200 and r.json()["data"]["zoekLeraren"]["totalCount"] == 1, r.text
        namen = {s.name for s in vanger.spans()}
    assert {"POST /graphql", "GraphQL Query: Zoek", "GraphQL Resolving: zoekLeraren"} <= namen, namen


def test_meldingen_gaan_er_onderweg_af() -> None:
    """A status message and an exception event (SQLAlchemy's instrumentation writes the driver's
    message into the status) do not leave the process; the span, its code and attributes do."""
    vanger = Vanger()
    tracer = vanger.sporen.provider.get_tracer("test")
    with tracer.start_as_current_span("SELECT", attributes={"db.statement": "SELECT 1"}) as span:
        span.set_status(Status(StatusCode.ERROR, "Kanariemelding"))
        span.record_exception(ValueError("Kanarie-uitzondering"))
    [verzonden] = vanger.spans()
    assert verzonden.name == "SELECT" and verzonden.attributes == {"db.statement": "SELECT 1"}
    assert verzonden.status.status_code == StatusCode.ERROR and verzonden.status.description is None
    assert verzonden.events == () and "Kanarie" not in verzonden.to_json()


def test_aan_alleen_met_een_endpoint(monkeypatch: pytest.MonkeyPatch) -> None:
    """OpenTelemetry's own variables decide; a protocol this server cannot send, or the extra not
    installed, stops the start with a clear message instead of a register that traces nothing."""
    assert not sporen_gevraagd({})
    assert not sporen_gevraagd({"OTEL_EXPORTER_OTLP_ENDPOINT": ""})
    assert sporen_gevraagd({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://127.0.0.1:4318"})
    assert sporen_gevraagd({"OTEL_EXPORTER_OTLP_TRACES_ENDPOINT": "http://127.0.0.1:4318/v1/traces"})
    assert not sporen_gevraagd({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://x:4318", "OTEL_SDK_DISABLED": "true"})
    settings = Settings(demo=True)
    settings.check({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://x:4318", "OTEL_EXPORTER_OTLP_PROTOCOL": "http/protobuf"})
    with pytest.raises(ConfigError, match="http/protobuf only"):
        settings.check({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://x:4318", "OTEL_EXPORTER_OTLP_PROTOCOL": "grpc"})
    import importlib.util

    echt = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda naam, *a: None if naam.startswith("opentelemetry") else echt(naam, *a)
    )
    with pytest.raises(ConfigError, match=r"pip install 'lerarenregister\[otel\]'"):
        settings.check({"OTEL_EXPORTER_OTLP_ENDPOINT": "http://x:4318"})
    settings.check({})  # unset: nothing is looked for


ZONDER = """
import asyncio, os, sys, httpx
from lerarenregister.server import create_app
from lerarenregister.settings import Settings

async def main():
    app = create_app(Settings(demo=True, demo_data=False, database_url=sys.argv[1]))
    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://r") as c:
            r = await c.post("/graphql", json={"query": "{ zoekLeraren(zoekterm: \\"Vries\\") { totalCount } }"})
            assert r.status_code == 200, r.text
            assert (await c.get("/health/ready")).status_code == 200
    print(sorted(m for m in sys.modules if m.startswith("opentelemetry")))
asyncio.run(main())
"""


def test_zonder_endpoint_niets_van_opentelemetry(tmp_path: Path) -> None:
    """In a process of its own (this one has imported it): no OTLP endpoint, no OpenTelemetry module."""
    from lerarenregister.db import migrate

    url = f"sqlite+aiosqlite:///{tmp_path / 'r.sqlite3'}"
    migrate(url)
    env = {k: v for k, v in __import__("os").environ.items() if not k.startswith(("OTEL_", "REGISTER_"))}
    uit = subprocess.run(
        [sys.executable, "-c", ZONDER, url], env=env, capture_output=True, text=True, timeout=120, cwd=tmp_path
    )
    assert uit.returncode == 0, uit.stderr[-3000:]
    assert uit.stdout.strip() == "[]", uit.stdout


class Ontvanger(BaseHTTPRequestHandler):
    """An OTLP/HTTP collector as small as it gets: POST /v1/traces, protobuf in, protobuf out."""

    verzoeken: list[ExportTraceServiceRequest]
    ruw: list[bytes]

    def do_POST(self) -> None:  # noqa: N802 (http.server's name)
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if self.path != "/v1/traces" or self.headers.get("Content-Type") != "application/x-protobuf":
            self.send_response(404)
            self.end_headers()
            return
        verzoek = ExportTraceServiceRequest()
        verzoek.ParseFromString(body)
        self.ruw.append(body)
        self.verzoeken.append(verzoek)
        antwoord = ExportTraceServiceResponse().SerializeToString()
        self.send_response(200)
        self.send_header("Content-Type", "application/x-protobuf")
        self.send_header("Content-Length", str(len(antwoord)))
        self.end_headers()
        self.wfile.write(antwoord)

    def log_message(self, *_args: Any) -> None:
        pass


@contextlib.contextmanager
def ontvanger() -> Iterator[tuple[str, type[Ontvanger]]]:
    soort = type("Ontvangst", (Ontvanger,), {"verzoeken": [], "ruw": []})
    server = ThreadingHTTPServer(("127.0.0.1", vrije_poort()), soort)
    draad = threading.Thread(target=server.serve_forever, daemon=True)
    draad.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}", soort
    finally:
        server.shutdown()
        server.server_close()


def _namen(soort: type[Ontvanger]) -> list[tuple[str, str]]:
    """(service.name, span name) of everything received."""
    uit = []
    for verzoek in list(soort.verzoeken):
        for rs in verzoek.resource_spans:
            dienst = next((a.value.string_value for a in rs.resource.attributes if a.key == "service.name"), "")
            uit += [(dienst, s.name) for ss in rs.scope_spans for s in ss.spans]
    return uit


def test_een_echte_server_stuurt_sporen_naar_otlp(tmp_path: Path, sleutels: Sleutels) -> None:
    """`lerarenregister serve` with OTEL_EXPORTER_OTLP_ENDPOINT set sends its spans to the collector."""
    with ontvanger() as (adres, soort):
        env = omgeving_met_idp(
            tmp_path, sleutels.jwks_pad, OTEL_EXPORTER_OTLP_ENDPOINT=adres, OTEL_BSP_SCHEDULE_DELAY="200"
        )
        with draaiende_server(tmp_path, env) as basis:
            r = httpx.post(
                f"{basis}/graphql", json={"query": ZOEK_EIGEN, "variables": {"zoekterm": "Kanarieotlp"}}, timeout=30
            )
            assert r.status_code == 200, r.text
            verwacht = {
                ("lerarenregister", "POST /graphql"),
                ("lerarenregister", "GraphQL Query: Zoek"),
                ("lerarenregister", "GraphQL Resolving: zoekLeraren"),
            }
            einde = time.monotonic() + 30  # a bound on the wait, not a measurement: the batch goes every 200 ms
            while not verwacht <= set(_namen(soort)) and time.monotonic() < einde:
                time.sleep(0.1)
    namen = _namen(soort)
    assert verwacht <= set(namen), namen
    assert any(n.startswith("SELECT") for _, n in namen), namen  # the statements' spans (SQLite)
    assert not [b for b in soort.ruw if b"Kanarieotlp" in b]
