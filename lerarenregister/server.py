"""The HTTP face of the register: POST/GET /graphql, GET /schema.graphql, and demo mode's JWKS."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING, Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from .auth.demo import demo_jwks
from .auth.tokens import JwksBron, TokenControle
from .db import make_engine, make_sessionmaker
from .http import gezondheid, metrieken, verzoeklog
from .http.antwoorden import OrjsonResponse, fout, onverwacht_antwoord
from .http.graphiql import PAD as GRAPHIQL_PAD
from .http.graphiql import GraphiQL
from .http.graphql import graphql_routes
from .http.rand import Rand
from .replica import Replica
from .resolvers import inzagelog
from .resolvers.verzoek import Db
from .schema import bouw_schema, sdl, toestemmingsvelden
from .schema.gecompileerd import Documenten, compileer_pool
from .schema.limieten import Limieten
from .settings import Settings, sporen_gevraagd
from .storingen import storingsantwoord

if TYPE_CHECKING:
    from .sporen import Sporen

log = logging.getLogger("lerarenregister")

INZAGELOG_SNOEI_SECONDEN = 3600.0  # how long this worker trusts its last read of the data version


def create_app(settings: Settings | None = None, sporen: Sporen | None = None) -> Starlette:
    """The app; `sporen` sends its traces (sporen.py), by default when OTEL_EXPORTER_OTLP_ENDPOINT is set."""
    settings = settings or Settings()
    settings.check()
    if sporen is None and sporen_gevraagd():  # else nothing of OpenTelemetry is imported
        from .sporen import Sporen

        sporen = Sporen.otlp()
    jwks = (
        JwksBron(None, settings.jwks_cache_seconds, vast=demo_jwks(settings))
        if settings.demo
        else JwksBron(settings.oidc_jwks, settings.jwks_cache_seconds)
    )
    controle = TokenControle(settings, jwks)
    schema = bouw_schema(sporen.extensie if sporen else None)
    limieten = Limieten(
        schema._schema,
        settings.max_depth,
        settings.max_kosten_publiek,
        settings.max_kosten_aangemeld,
        toestemmingsvelden=toestemmingsvelden(),
    )
    # luisteraars: called with the text of every statement the compiled path sends (tests count them).
    staat: dict[str, Any] = {"documenten": Documenten.uit_map(schema._schema), "luisteraars": []}
    # Traced, every query goes through the executor: the plans (schema/plannen.py) skip strawberry's
    # extensions, and with them the operation's and the fields' spans a trace is asked for.
    staat["snelpad"] = sporen is None

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        # Reads are bounded by the statement timeout, writes (the `maker`'s transactions) are not.
        engine = make_engine(
            settings.database_url,
            echo=settings.log_sql,
            statement_timeout_ms=settings.statement_timeout_ms,
            connect_timeout_seconds=settings.database_connect_timeout_seconds,
        )
        staat["engine"] = engine
        staat["maker"] = make_sessionmaker(engine, unbounded=True)
        # Queries never write: they run without BEGIN/ROLLBACK round trips. Every statement still sees
        # committed data only (READ COMMITTED takes a snapshot per statement inside a transaction too).
        staat["lees_engine"] = engine.execution_options(isolation_level="AUTOCOMMIT")
        staat["lezer"] = make_sessionmaker(staat["lees_engine"])
        # Registered documents are compiled to PostgreSQL statements (schema/gecompileerd.py), run on
        # asyncpg connections of their own (schema/leesverbindingen.py); on SQLite the executor answers them.
        staat["compileer"] = engine.dialect.name == "postgresql"
        staat["compileer_pool"] = (
            await compileer_pool(
                settings.database_url,
                staat["luisteraars"],
                settings.statement_timeout_ms,
                settings.database_connect_timeout_seconds,
            )
            if staat["compileer"]
            else None
        )
        staat["replica"] = None
        if settings.database_read_url:  # anonymous reads on the read replica (replica.py)
            staat["replica"] = await Replica.open(
                settings,
                lambda url, timeout: compileer_pool(url, staat["luisteraars"], settings.statement_timeout_ms, timeout),
            )
        _app.state.engine = engine  # tests count SQL statements on it
        niet_meer_sporen = sporen.instrumenteer(engine) if sporen else None
        pools_niet_meer_volgen = metrieken.volg_pools(engine, staat["compileer_pool"])
        # A write, so on the unbounded sessions: a backlog of old entries may take longer than a read may.
        await _snoei_inzagelog_eenmaal(staat["maker"])  # before serving, so it never overlaps a first request
        snoeier = asyncio.create_task(_snoei_inzagelog(staat["maker"]))
        try:
            yield
        finally:
            pools_niet_meer_volgen()
            snoeier.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await snoeier
            if staat["compileer_pool"] is not None:
                await staat["compileer_pool"].close()
            if staat["replica"] is not None:
                await staat["replica"].close()
            await engine.dispose()
            if sporen is not None and niet_meer_sporen is not None:
                niet_meer_sporen()
                sporen.sluit()

    async def _snoei_inzagelog_eenmaal(maker: Any) -> None:
        """Access-log entries older than REGISTER_INZAGELOG_DAGEN go."""
        db = Db(maker)
        try:
            weg = await inzagelog.snoei(db, settings.inzagelog_dagen)
            if weg:
                log.info("access log: %d entries older than %d days removed", weg, settings.inzagelog_dagen)
        except Exception as exc:  # a database away for a while: try again at the next round
            log.warning("access log not pruned: %s", type(exc).__name__)
        finally:
            await db.close(commit=True)

    async def _snoei_inzagelog(maker: Any) -> None:
        while True:  # then every hour, for a server that runs for months
            await asyncio.sleep(INZAGELOG_SNOEI_SECONDEN)
            await _snoei_inzagelog_eenmaal(maker)

    graphiql = GraphiQL(settings)
    graphql = graphql_routes(settings, schema, limieten, controle, staat, graphiql.pagina)

    async def schema_graphql(_request: Request) -> Response:
        return PlainTextResponse(sdl(), media_type="text/plain; charset=utf-8")

    async def jwks_json(_request: Request) -> Response:
        if not settings.demo:
            return fout(404, "NOT_FOUND", "this register uses its identity provider's keys")
        return OrjsonResponse(demo_jwks(settings))

    routes = [
        # GET, HEAD and POST; the other common methods get a coded 405 with Allow (not Starlette's plain one)
        Route("/graphql", graphql.alle, methods=["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]),
        Route(GRAPHIQL_PAD + "/{naam}", graphiql.bestand, methods=["GET"]),  # GraphiQL's own assets, offline
        Route("/schema.graphql", schema_graphql, methods=["GET"]),
        Route("/documenten.json", graphql.documenten, methods=["GET"]),
        Route("/.well-known/jwks.json", jwks_json, methods=["GET"]),
        *gezondheid.routes(lambda: staat.get("engine"), settings.database_connect_timeout_seconds + 2),
        Route("/metrics", metrieken.metrics_route(settings), methods=["GET"]),
    ]
    if sporen is not None:  # a span around each route's handler: no middleware layer of its own
        routes = [sporen.route(r) for r in routes]

    async def onverwacht(_request: Request, exc: Exception) -> Response:
        return storingsantwoord(exc) or onverwacht_antwoord(exc)

    app = Starlette(routes=routes, lifespan=lifespan, exception_handlers={Exception: onverwacht})
    # CORS, the request id, metering and the rate limit as one layer (http/rand.py).
    app.add_middleware(Rand, settings=settings, controle=controle, luisteraars=[metrieken.noteer, verzoeklog.schrijf])
    app.state.settings = settings
    app.state.staat = staat
    return app
