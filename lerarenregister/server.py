"""The HTTP face of the register: POST/GET /graphql, GET /schema.graphql, and demo mode's JWKS."""
from __future__ import annotations

import asyncio
import contextlib
import hashlib
import logging
import re
import time
import uuid
from typing import Any, AsyncIterator

import orjson
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Route
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.types.graphql import OperationType

from .auth.demo import demo_jwks
from .auth.tokens import JwksBron, TokenControle, TokenFout
from .auth.viewer import ANONIEM, ClaimFout, DuoViewer, Viewer, viewer_uit_claims
from .db import make_engine, make_sessionmaker
from .http import gezondheid, metrieken, verzoeklog
from .http.meting import Meten, meting
from .http.snelheid import Snelheidsbegrenzer, al_geverifieerd
from .http.verzoek_id import VerzoekId
from .models import DataVersie
from .resolvers import inzagelog
from .resolvers.verzoek import Db, Verzoek
from .schema import bouw_schema, sdl, toestemmingsvelden
from .schema.fouten import formatteer
from .schema.gecompileerd import Documenten, compileer_pool
from .schema.limieten import Limieten, Weigering
from .settings import Settings
from .storingen import ergste_storing, status_en_koppen, storingsantwoord

log = logging.getLogger("lerarenregister")

PUBLIEK_MAX_AGE = 60  # seconds a proxy or CDN may serve a public answer without asking again
VERSIE_CACHE_SECONDEN = 1.0
INZAGELOG_SNOEI_SECONDEN = 3600.0  # how long this worker trusts its last read of the data version


class OrjsonResponse(JSONResponse):
    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)


def _fout(status: int, code: str, bericht: str, headers: dict[str, str] | None = None) -> Response:
    return OrjsonResponse({"errors": [{"message": bericht, "extensions": {"code": code}}]}, status_code=status,
                          headers=headers)


async def _lees_body(request: Request, maximum: int) -> bytes | None:
    """The body, or None when it is larger than `maximum` (read no further than that)."""
    lengte = request.headers.get("content-length", "")
    if lengte.isdigit() and int(lengte) > maximum:
        return None
    delen, gelezen = [], 0
    async for deel in request.stream():
        gelezen += len(deel)
        if gelezen > maximum:
            return None
        delen.append(deel)
    return b"".join(delen)


def _inzage_niet_vastgelegd(exc: Exception) -> Response:
    """Fail closed: an answer whose access cannot be recorded is not given (API.md, Access log)."""
    log.error("access log not written; answer withheld: %s", type(exc).__name__)
    return _fout(503, "SERVICE_UNAVAILABLE", "this access could not be recorded, so nothing is given; try again")


_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,128}")


def request_id(request: Request) -> str:
    """The incoming X-Request-ID when it is well-formed, else a new one; kept for the request."""
    bewaard = request.scope.get("lr_request_id")
    if bewaard is None:
        kop = request.headers.get("x-request-id", "")
        bewaard = kop if _REQUEST_ID.fullmatch(kop) else uuid.uuid4().hex
        request.scope["lr_request_id"] = bewaard
    return str(bewaard)


def _niet_aangemeld(exc: Exception) -> Response:
    return _fout(401, "UNAUTHENTICATED", str(exc), {"WWW-Authenticate": 'Bearer error="invalid_token"'})


def onverwacht_antwoord(exc: BaseException) -> Response:
    """Outside GraphQL execution too: masked for the client, logged with the trace under an id."""
    correlatie = uuid.uuid4().hex
    log.error("internal error %s", correlatie, exc_info=exc)
    return OrjsonResponse({"errors": [{"message": "internal error", "extensions": {
        "code": "INTERNAL_SERVER_ERROR", "correlationId": correlatie}}]}, status_code=500)


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or Settings()
    settings.check()
    jwks = (
        JwksBron(None, settings.jwks_cache_seconds, vast=demo_jwks(settings))
        if settings.demo
        else JwksBron(settings.oidc_jwks, settings.jwks_cache_seconds)
    )
    controle = TokenControle(settings, jwks)
    schema = bouw_schema()
    limieten = Limieten(schema._schema, settings.max_depth, settings.max_kosten_publiek, settings.max_kosten_aangemeld,
                        toestemmingsvelden=toestemmingsvelden())
    # luisteraars: called with the text of every statement the compiled path sends (tests count them).
    staat: dict[str, Any] = {"documenten": Documenten.uit_map(schema._schema), "luisteraars": []}

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        # Reads are bounded by the statement timeout, writes (the `maker`'s transactions) are not.
        engine = make_engine(settings.database_url, echo=settings.log_sql,
                             statement_timeout_ms=settings.statement_timeout_ms,
                             connect_timeout_seconds=settings.database_connect_timeout_seconds)
        staat["engine"] = engine
        staat["maker"] = make_sessionmaker(engine, unbounded=True)
        # Queries never write: they run without BEGIN/ROLLBACK round trips. Every statement still sees
        # committed data only (READ COMMITTED takes a snapshot per statement inside a transaction too).
        staat["lees_engine"] = engine.execution_options(isolation_level="AUTOCOMMIT")
        staat["lezer"] = make_sessionmaker(staat["lees_engine"])
        # Registered documents are compiled to PostgreSQL statements, run on a driver pool of their own
        # (schema/gecompileerd.py); on SQLite the executor answers them.
        staat["compileer"] = engine.dialect.name == "postgresql"
        staat["compileer_pool"] = (await compileer_pool(settings.database_url, staat["luisteraars"],
                                                        settings.statement_timeout_ms,
                                                        settings.database_connect_timeout_seconds)
                                   if staat["compileer"] else None)
        _app.state.engine = engine  # tests count SQL statements on it
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
            await engine.dispose()

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

    async def viewer_van(request: Request) -> Viewer:
        kop = request.headers.get("authorization")
        if kop is None:
            return ANONIEM
        schema_, _, token = kop.strip().partition(" ")
        if schema_.lower() != "bearer" or not token.strip():
            raise TokenFout("the Authorization header must be 'Bearer <token>'")
        claims = al_geverifieerd(request.scope, token.strip()) or await controle.controleer(token.strip())
        sub = claims.get("sub")
        request.scope["lr_sub"] = sub if isinstance(sub, str) else None  # for the access log
        try:
            return viewer_uit_claims(claims, settings.bsn_key, settings.bsn_key_vorige)
        except ClaimFout as exc:
            raise TokenFout(str(exc)) from exc

    async def data_versie() -> int:
        """The public data version, read at most once a second per worker (and after own writes)."""
        bewaard = staat.get("versie")
        if bewaard is not None and time.monotonic() - bewaard[1] < VERSIE_CACHE_SECONDEN:
            return bewaard[0]
        async with staat["maker"]() as sessie:
            versie = (await sessie.execute(select(DataVersie.versie).where(DataVersie.id == 1))).scalar_one()
        staat["versie"] = (versie, time.monotonic())
        return versie

    def etag(query: str, variabelen: Any, operatie: Any, versie: int) -> str:
        sleutel = orjson.dumps([query, variabelen, operatie, settings.today().isoformat(), versie],
                               option=orjson.OPT_SORT_KEYS)
        return 'W/"' + hashlib.blake2b(sleutel, digest_size=16).hexdigest() + '"'

    async def voer_uit(request: Request, query: Any, variabelen: Any, operatie: Any, alleen_lezen: bool,
                       viewer: Viewer | None = None) -> Response:
        try:
            return await _voer_uit(request, query, variabelen, operatie, alleen_lezen, viewer)
        except Exception as exc:  # a database gone: 503; a failed commit: masked like any unexpected failure
            return storingsantwoord(exc) or onverwacht_antwoord(exc)

    async def _voer_uit(request: Request, query: Any, variabelen: Any, operatie: Any, alleen_lezen: bool,
                        viewer: Viewer | None) -> Response:
        if viewer is None:
            try:
                viewer = await viewer_van(request)
            except TokenFout as exc:
                return _niet_aangemeld(exc)
        gemeten = meting(request.scope)  # for the metrics and the request log (http/meting.py)
        gemeten.doelgroep = viewer.rol
        if not isinstance(query, str) or not query.strip():
            return _fout(400, "BAD_REQUEST", "a GraphQL request needs a 'query' string")
        if variabelen is not None and not isinstance(variabelen, dict):
            return _fout(400, "BAD_REQUEST", "'variables' must be a JSON object")
        if operatie is not None and not isinstance(operatie, str):
            return _fout(400, "BAD_REQUEST", "'operationName' must be a string")
        if len(query) > settings.max_body_bytes:  # DUO's larger bodies are for variables, not for text
            return _fout(413, "PAYLOAD_TOO_LARGE", f"the query text is longer than {settings.max_body_bytes} characters")
        # Depth, cost and free text: decided before the data version, the compiled path or any resolver.
        try:
            operatie_ = limieten.controleer(query, operatie, variabelen, aangemeld=viewer is not ANONIEM)
        except Weigering as w:
            return OrjsonResponse({"data": None, "errors": w.fouten})
        if operatie_ is not None:
            gemeten.operatie, gemeten.kosten = operatie_.naam, operatie_.kosten(variabelen)
        # Public reads over GET can be cached by a proxy or CDN: an ETag that changes with the data.
        openbaar = alleen_lezen and viewer is ANONIEM
        kop_cache = {"Cache-Control": "private, no-store"}
        if openbaar and operatie_ is not None and operatie_.toestemming:
            # A portfolio shown or denied by the teacher's consent: no shared cache may keep it, or a
            # withdrawn consent would still be served (API.md, Caching).
            openbaar, kop_cache = False, {"Cache-Control": "no-store"}
        if openbaar:
            tag = etag(query, variabelen, operatie, await data_versie())
            kop_cache = {"Cache-Control": f"public, max-age={PUBLIEK_MAX_AGE}", "ETag": tag, "Vary": "Authorization"}
            if tag in [t.strip() for t in request.headers.get("if-none-match", "").split(",")]:
                return Response(status_code=304, headers=kop_cache)
        plan = staat["documenten"].plan(query, operatie) if viewer is ANONIEM and staat.get("compileer") else None
        if plan is not None:  # a registered document: one statement (schema/gecompileerd.py)
            async with staat["compileer_pool"].acquire() as verbinding:
                gecompileerd = await plan.antwoord(verbinding, variabelen)
            if gecompileerd is not None:
                gemeten.fouten(gecompileerd.get("errors"))
                storing = ergste_storing(gecompileerd.get("errors", ()))
                return OrjsonResponse(gecompileerd, **(status_en_koppen(storing) if storing else {"headers": kop_cache}))
        leest = alleen_lezen or (operatie_ is not None and operatie_.soort == "query")
        db = Db(staat["lezer"] if leest else staat["maker"])
        verzoek = Verzoek(settings, db, viewer, settings.today())
        terugdraaien = True
        inzagen: list[dict[str, Any]] = []
        try:
            try:
                uitkomst = await schema.execute(
                    query,
                    variable_values=variabelen,
                    context_value=verzoek,
                    operation_name=operatie,
                    allowed_operation_types={OperationType.QUERY} if alleen_lezen else None,
                )
            except InvalidOperationTypeError:
                return _fout(405, "BAD_REQUEST", "only queries over GET; send mutations with POST", {"Allow": "POST"})
            except CannotGetOperationTypeError:
                return _fout(400, "BAD_REQUEST", f"the document has no operation named {operatie!r}")
            antwoord: dict[str, Any] = {"data": uitkomst.data}
            if uitkomst.errors:
                fouten, terugdraaien = formatteer(uitkomst.errors, uitvoering=uitkomst.data is not None)
                antwoord["errors"] = fouten
            else:
                terugdraaien = False
            # The access log: on the request's own connection, inside a mutation's transaction.
            inzagen = verzoek.inzagen.rijen(viewer, request.scope.get("lr_sub"),
                                            operatie if operatie_ is None else operatie_.naam, request_id(request))
            if inzagen and (leest or not terugdraaien):
                bewaard, terugdraaien = terugdraaien, True  # a failed log write undoes the mutation too
                await inzagelog.schrijf(db, inzagen)
                inzagen, terugdraaien = [], bewaard
        except SQLAlchemyError as exc:
            if not inzagen:
                raise
            return _inzage_niet_vastgelegd(exc)
        finally:
            await db.close(commit=not terugdraaien)
            if db.geschreven and not terugdraaien:
                staat.pop("versie", None)  # this worker's own write: the next public read sees it
        if inzagen and antwoord["data"] is not None:  # a mutation undone that still answers some data
            los = Db(staat["lezer"])
            try:
                await inzagelog.schrijf(los, inzagen)
            except SQLAlchemyError as exc:
                return _inzage_niet_vastgelegd(exc)
            finally:
                await los.close(commit=True)
        if openbaar and any(e["extensions"]["code"] == "INTERNAL_SERVER_ERROR" for e in antwoord.get("errors", [])):
            kop_cache = {"Cache-Control": "no-store"}
        gemeten.fouten(antwoord.get("errors"))
        if storing := ergste_storing(antwoord.get("errors", ())):  # a timeout or a database gone mid-way
            return OrjsonResponse(antwoord, **status_en_koppen(storing, request_id(request)))
        return OrjsonResponse(antwoord, headers={**kop_cache, "X-Request-ID": request_id(request)})

    async def graphql_post(request: Request) -> Response:
        try:  # the token first: it decides how large a body may be
            viewer = await viewer_van(request)
        except TokenFout as exc:
            return _niet_aangemeld(exc)
        maximum = settings.max_body_bytes_duo if isinstance(viewer, DuoViewer) else settings.max_body_bytes
        ruw = await _lees_body(request, maximum)
        if ruw is None:
            return _fout(413, "PAYLOAD_TOO_LARGE", f"the request body is larger than {maximum} bytes")
        try:
            body = orjson.loads(ruw)
        except orjson.JSONDecodeError:
            return _fout(400, "BAD_REQUEST", "the request body is not JSON")
        if not isinstance(body, dict):
            return _fout(400, "BAD_REQUEST", "the request body must be a JSON object")
        return await voer_uit(request, body.get("query"), body.get("variables"), body.get("operationName"), False,
                              viewer)

    async def graphql_get(request: Request) -> Response:
        if len(request.scope.get("query_string", b"")) > settings.max_body_bytes:
            return _fout(413, "PAYLOAD_TOO_LARGE", f"the query string is larger than {settings.max_body_bytes} bytes")
        params = request.query_params
        if "query" not in params and "text/html" in request.headers.get("accept", ""):
            return HTMLResponse(_graphiql())
        variabelen = params.get("variables")
        if variabelen:
            try:
                variabelen = orjson.loads(variabelen)
            except orjson.JSONDecodeError:
                return _fout(400, "BAD_REQUEST", "'variables' is not JSON")
        return await voer_uit(request, params.get("query"), variabelen or None, params.get("operationName"), True)

    async def schema_graphql(_request: Request) -> Response:
        return PlainTextResponse(sdl(), media_type="text/plain; charset=utf-8")

    async def jwks_json(_request: Request) -> Response:
        if not settings.demo:
            return _fout(404, "NOT_FOUND", "this register uses its identity provider's keys")
        return OrjsonResponse(demo_jwks(settings))

    routes = [
        Route("/graphql", graphql_post, methods=["POST"]),
        Route("/graphql", graphql_get, methods=["GET"]),
        Route("/schema.graphql", schema_graphql, methods=["GET"]),
        Route("/.well-known/jwks.json", jwks_json, methods=["GET"]),
        *gezondheid.routes(lambda: staat.get("engine"), settings.database_connect_timeout_seconds + 2),
        Route("/metrics", metrieken.metrics_route(settings), methods=["GET"]),
    ]
    async def onverwacht(_request: Request, exc: Exception) -> Response:
        return storingsantwoord(exc) or onverwacht_antwoord(exc)

    app = Starlette(routes=routes, lifespan=lifespan, exception_handlers={Exception: onverwacht})
    app.add_middleware(Snelheidsbegrenzer, settings=settings, controle=controle)
    # Outside the rate limit, so its refusals are measured, logged and carry a request id too.
    app.add_middleware(Meten, luisteraars=[metrieken.noteer, verzoeklog.schrijf])
    app.add_middleware(VerzoekId)
    app.state.settings = settings
    app.state.staat = staat
    return app


def _graphiql() -> str:
    from strawberry.http.ides import get_graphql_ide_html

    return get_graphql_ide_html(graphql_ide="graphiql")
