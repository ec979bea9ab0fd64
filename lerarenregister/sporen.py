"""Traces over OpenTelemetry, when an OTLP endpoint is set (API.md, "Production", Operations; README,
"Traces").

server.py imports this module only when `OTEL_EXPORTER_OTLP_ENDPOINT` (or the traces-only
`OTEL_EXPORTER_OTLP_TRACES_ENDPOINT`) is set: without it nothing of OpenTelemetry is imported and no
request does anything it did not do before. With it, every traced request is one trace:

- the request's span (`POST /graphql`, kind SERVER) around the route's handler: method, route,
  status, and what the handler noted in the request's `Meting` (http/meting.py): the operation's
  name and type, the audience, the cost estimate, the outcome code, the request id;
- strawberry's spans (`GraphQLSporen`): the operation, its parsing and validation, and every field
  with a resolver of its own (plain attribute fields are not traced);
- one span per SQL statement: asyncpg's instrumentation on PostgreSQL (the executor's engine, the
  compiled path's pool and the replica's alike), SQLAlchemy's on SQLite.

What no span holds: the query text (its literals can be a BSN or a search term), a variable's or an
argument's value, a statement's parameters, an exception's message (a span names the exception's
class only), a token, a client address, a query string. Aliases and the operation's name are
structure, not values, and do appear (as in the request log). Whatever an instrumentation puts in a
status message or an event is dropped on the way out (`ZonderMeldingen`).

The health and metrics routes are not traced, and their SQL neither: probes and scrapes every few
seconds would bury the requests. Refusals before routing (a rate limit's 429, an unknown path) have
no span; the metrics count them.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable, Generator, Sequence
from importlib.metadata import PackageNotFoundError, version
from inspect import isawaitable
from typing import Any

from opentelemetry import context, propagate, trace
from opentelemetry.instrumentation.utils import suppress_instrumentation
from opentelemetry.sdk.resources import SERVICE_NAME, SERVICE_VERSION, Resource
from opentelemetry.sdk.trace import ReadableSpan, TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor, SpanExporter, SpanExportResult
from opentelemetry.trace import Span, SpanKind, Status, StatusCode, Tracer
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route
from strawberry.extensions import LifecycleStep
from strawberry.extensions.tracing import OpenTelemetryExtension
from strawberry.extensions.tracing.utils import should_skip_tracing

from .http.meting import meting
from .http.verzoeklog import MAX_OPERATIE

# Probes and scrapes: no span, and their statements none either.
ONGESPOORD = ("/health", "/metrics")


def _bron() -> Resource:
    """OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES as the SDK reads them; else `lerarenregister`."""
    bron = Resource.create()
    if str(bron.attributes.get(SERVICE_NAME, "")).startswith("unknown_service"):
        bron = bron.merge(Resource({SERVICE_NAME: "lerarenregister"}))
    try:
        return bron.merge(Resource({SERVICE_VERSION: version("lerarenregister")}))
    except PackageNotFoundError:
        return bron


class Sporen:
    """One app's traces: its tracer provider, exporting through `exporteur` in batches (a thread of
    the SDK's: a request never waits for the collector), and what create_app hooks in with it."""

    def __init__(self, exporteur: SpanExporter):
        self.provider = TracerProvider(resource=_bron())
        self.provider.add_span_processor(BatchSpanProcessor(ZonderMeldingen(exporteur)))
        self.tracer = self.provider.get_tracer("lerarenregister")
        # strawberry makes an extension per operation by calling this (schema.bouw_schema).
        self.extensie = functools.partial(GraphQLSporen, tracer=self.provider.get_tracer("strawberry"))

    @classmethod
    def otlp(cls) -> Sporen:
        """To the OTLP/HTTP endpoint the standard OTEL_EXPORTER_OTLP_* variables name (their
        protocol was checked with the settings: settings.sporen_gevraagd)."""
        from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter

        return cls(OTLPSpanExporter())

    def route(self, route: Any) -> Any:
        """The same route, its handler inside a request span (or, for probes, without any)."""
        if not isinstance(route, Route):  # a Mount, say: its own app, left as it is
            return route
        omhuld = (
            _ongespoord(route.endpoint)
            if route.path.startswith(ONGESPOORD)
            else self._gespoord(route.path, route.endpoint)
        )
        return Route(route.path, omhuld, methods=route.methods, name=route.name)

    def _gespoord(
        self, pad: str, handler: Callable[[Request], Awaitable[Response]]
    ) -> Callable[[Request], Awaitable[Response]]:
        tracer = self.tracer

        async def gespoord(request: Request) -> Response:
            # The caller's trace context (W3C traceparent by default; OTEL_PROPAGATORS=none ignores it).
            ouder = propagate.extract(request.headers)
            with tracer.start_as_current_span(
                f"{request.method} {pad}",
                context=ouder,
                kind=SpanKind.SERVER,
                attributes={"http.request.method": request.method, "http.route": pad},
                record_exception=False,
                set_status_on_exception=False,
            ) as span:
                try:
                    antwoord = await handler(request)
                except BaseException as exc:  # its message may hold what the caller sent: the class only
                    span.set_attributes({"error.type": type(exc).__qualname__, "http.response.status_code": 500})
                    span.set_status(Status(StatusCode.ERROR))
                    raise
                _noteer(span, request, antwoord.status_code)
                return antwoord

        return gespoord

    def instrumenteer(self, engine: Any) -> Callable[[], None]:
        """A span per statement (text only, never its parameters) on `engine`'s database; returns
        what undoes it. asyncpg's instrumentation patches the driver for the whole process: on
        PostgreSQL it also covers the compiled path's and the replica's pools (and so one traced app
        a process, as `serve` has)."""
        # The instrumentors' base class is untyped (its module opts out of type checking): what undoes
        # the instrumentation is declared here.
        ongedaan: Callable[[], None]
        if engine.dialect.name == "postgresql":
            from opentelemetry.instrumentation.asyncpg import AsyncPGInstrumentor

            asyncpg = AsyncPGInstrumentor(capture_parameters=False)
            asyncpg.instrument(tracer_provider=self.provider)
            ongedaan = asyncpg.uninstrument
            return ongedaan
        from opentelemetry.instrumentation.sqlalchemy import SQLAlchemyInstrumentor

        # Its declared range ends before SQLAlchemy 2.1, whose engine events it hooks into all the same
        # (test_sporen.py shows a span per statement on SQLite).
        sqlalchemy = SQLAlchemyInstrumentor()
        sqlalchemy.instrument(engine=engine.sync_engine, tracer_provider=self.provider, skip_dep_check=True)
        ongedaan = sqlalchemy.uninstrument
        return ongedaan

    def sluit(self) -> None:
        """Send what is still queued, then stop the export thread."""
        self.provider.shutdown()


class ZonderMeldingen(SpanExporter):
    """The last guard before spans leave the process. A status's description and an event (an
    exception's) are messages, and a message may quote what a caller sent: SQLAlchemy's
    instrumentation puts the driver's message in the status. They go; the status code and
    `error.type` stay. Runs on the export thread, not in a request."""

    def __init__(self, exporteur: SpanExporter):
        self.exporteur = exporteur

    def export(self, spans: Sequence[ReadableSpan]) -> SpanExportResult:
        return self.exporteur.export([_zonder_meldingen(s) for s in spans])

    def shutdown(self) -> None:
        self.exporteur.shutdown()

    def force_flush(self, timeout_millis: int = 30000) -> bool:
        return self.exporteur.force_flush(timeout_millis)


def _zonder_meldingen(span: ReadableSpan) -> ReadableSpan:
    if not span.status.description and not span.events:
        return span
    return ReadableSpan(
        name=span.name,
        context=span.context,
        parent=span.parent,
        resource=span.resource,
        attributes=span.attributes,
        events=(),
        links=span.links,
        kind=span.kind,
        status=Status(span.status.status_code),
        start_time=span.start_time,
        end_time=span.end_time,
        instrumentation_scope=span.instrumentation_scope,
    )


def _noteer(span: Span, request: Request, status: int) -> None:
    """What the handler learnt about the request: names and figures, never values."""
    if not span.is_recording():  # not sampled: nothing to note
        return
    m = meting(request.scope)
    velden: dict[str, Any] = {"http.response.status_code": status}
    if m.operatie:
        velden["graphql.operation.name"] = m.operatie[:MAX_OPERATIE]
    for sleutel, waarde in (
        ("lerarenregister.doelgroep", m.doelgroep),
        ("lerarenregister.kosten", m.kosten),
        ("lerarenregister.request_id", request.scope.get("lr_request_id")),
    ):
        if waarde is not None:
            velden[sleutel] = waarde
    if m.graphql or status >= 400:
        velden["lerarenregister.code"] = m.code
    span.set_attributes(velden)
    if status >= 500:
        span.set_status(Status(StatusCode.ERROR))


def _ongespoord(handler: Callable[[Request], Awaitable[Response]]) -> Callable[[Request], Awaitable[Response]]:
    async def ongespoord(request: Request) -> Response:
        with suppress_instrumentation():
            return await handler(request)

    return ongespoord


def _operatienaam(naam: str | None) -> str:
    return f"GraphQL Query: {naam[:MAX_OPERATIE]}" if naam else "GraphQL Query"


class GraphQLSporen(OpenTelemetryExtension):
    """strawberry's OpenTelemetry extension, minus what it would tell of the caller's values.

    strawberry's own puts the whole query text on the operation's span (`query`: literals included,
    a BSN or a search term among them) and every resolver's arguments on its span
    (`graphql.param.*`), and records an exception with its message. This one keeps its spans and
    their names, parent type and path, and leaves those out: the operation's name and type instead of
    its text, no arguments, the exception's class only. Its operation span is INTERNAL: the
    request's span is the server's.

    Its `resolve` is synchronous (as strawberry's Sync variant) so that a field it does not trace
    costs a call and no coroutine; a traced field's awaitable runs inside its span, which ends when
    the awaitable does (the Sync variant would end it before an async resolver ran).
    """

    def __init__(self, *, tracer: Tracer, execution_context: Any = None) -> None:
        # strawberry's own asks the provider for a tracer on every operation; the one tracer will do.
        self._arg_filter = None
        self._tracer = tracer
        self._span_holder = {}
        if execution_context:
            self.execution_context = execution_context

    def on_operation(self) -> Generator[None, None, None]:
        ec = self.execution_context
        span = self._tracer.start_span(
            _operatienaam(ec.operation_name), kind=SpanKind.INTERNAL, attributes={"component": "graphql"}
        )
        self._span_holder[LifecycleStep.OPERATION] = span
        try:
            yield
        finally:
            if ec.operation_name:  # the document's one operation, known once parsed
                span.update_name(_operatienaam(ec.operation_name))
                span.set_attribute("graphql.operation.name", ec.operation_name[:MAX_OPERATIE])
            try:
                span.set_attribute("graphql.operation.type", ec.operation_type.value)
            except Exception:  # no document, or no such operation: the span says nothing of it
                pass
            span.end()

    def add_tags(self, span: Span, info: Any, kwargs: Any) -> None:
        """strawberry's tags without `graphql.param.*` (the arguments' values)."""
        super().add_tags(span, info, None)

    def resolve(self, _next: Callable[..., Any], root: Any, info: Any, *args: Any, **kwargs: Any) -> Any:
        operatie = self._span_holder[LifecycleStep.OPERATION]
        # Not sampled (OTEL_TRACES_SAMPLER), or a plain attribute: a call, no span.
        if not operatie.is_recording() or should_skip_tracing(_next, info):
            return _next(root, info, *args, **kwargs)
        span = self._tracer.start_span(
            f"GraphQL Resolving: {info.field_name}", context=trace.set_span_in_context(operatie)
        )
        self.add_tags(span, info, kwargs)
        token = context.attach(trace.set_span_in_context(span))
        try:
            uitkomst = _next(root, info, *args, **kwargs)
        except BaseException as exc:
            _fout(span, exc)
            span.end()
            raise
        finally:
            context.detach(token)
        if isawaitable(uitkomst):
            return _in_span(span, uitkomst)
        span.end()
        return uitkomst


async def _in_span(span: Span, awaitable: Awaitable[Any]) -> Any:
    """Await a resolver's result with its span current (its statements become the span's children);
    graphql-core may await it in a task of its own, which has a context of its own."""
    token = context.attach(trace.set_span_in_context(span))
    try:
        return await awaitable
    except BaseException as exc:
        _fout(span, exc)
        raise
    finally:
        context.detach(token)
        span.end()


def _fout(span: Span, exc: BaseException) -> None:
    span.set_attribute("error.type", type(exc).__qualname__)
    span.set_status(Status(StatusCode.ERROR))
