"""The HTTP face of the register: POST/GET /graphql, GET /schema.graphql, and demo mode's JWKS."""
from __future__ import annotations

import contextlib
import functools
import hashlib
import logging
import time
import uuid
from typing import Any, AsyncIterator

import orjson
from graphql import GraphQLError, OperationDefinitionNode, parse
from sqlalchemy import select
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Route
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.types.graphql import OperationType

from .auth.demo import demo_jwks
from .auth.tokens import JwksBron, TokenControle, TokenFout
from .auth.viewer import ANONIEM, ClaimFout, Viewer, viewer_uit_claims
from .db import make_engine, make_sessionmaker
from .http.snelheid import Snelheidsbegrenzer, al_geverifieerd
from .models import DataVersie
from .resolvers.verzoek import Db, Verzoek
from .schema import bouw_schema, sdl
from .schema.fouten import formatteer
from .schema.gecompileerd import Documenten, compileer_pool
from .settings import Settings

log = logging.getLogger("lerarenregister")

PUBLIEK_MAX_AGE = 60  # seconds a proxy or CDN may serve a public answer without asking again
VERSIE_CACHE_SECONDEN = 1.0  # how long this worker trusts its last read of the data version


class OrjsonResponse(JSONResponse):
    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)


def _fout(status: int, code: str, bericht: str, headers: dict[str, str] | None = None) -> Response:
    return OrjsonResponse({"errors": [{"message": bericht, "extensions": {"code": code}}]}, status_code=status,
                          headers=headers)


@functools.lru_cache(maxsize=512)
def _operaties(query: str) -> dict[str | None, str] | None:
    """Operation name -> 'query' | 'mutation' | 'subscription' of a document; None when it does not parse."""
    try:
        document = parse(query)
    except GraphQLError:
        return None
    ops = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    uit: dict[str | None, str] = {d.name.value if d.name else None: d.operation.value for d in ops}
    if len(ops) == 1:
        uit[None] = ops[0].operation.value
    return uit


def is_query(query: str, operatie: str | None) -> bool:
    """Is the operation that will run a query (so it may use a read-only connection)?"""
    ops = _operaties(query)
    return ops is not None and ops.get(operatie) == "query"


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
    # luisteraars: called with the text of every statement the compiled path sends (tests count them).
    staat: dict[str, Any] = {"documenten": Documenten.uit_map(schema._schema), "luisteraars": []}

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        engine = make_engine(settings.database_url, echo=settings.log_sql)
        staat["engine"] = engine
        staat["maker"] = make_sessionmaker(engine)
        # Queries never write: they run without BEGIN/ROLLBACK round trips. Every statement still sees
        # committed data only (READ COMMITTED takes a snapshot per statement inside a transaction too).
        staat["lees_engine"] = engine.execution_options(isolation_level="AUTOCOMMIT")
        staat["lezer"] = make_sessionmaker(staat["lees_engine"])
        # Registered documents are compiled to PostgreSQL statements, run on a driver pool of their own
        # (schema/gecompileerd.py); on SQLite the executor answers them.
        staat["compileer"] = engine.dialect.name == "postgresql"
        staat["compileer_pool"] = (await compileer_pool(settings.database_url, staat["luisteraars"])
                                   if staat["compileer"] else None)
        _app.state.engine = engine  # tests count SQL statements on it
        try:
            yield
        finally:
            if staat["compileer_pool"] is not None:
                await staat["compileer_pool"].close()
            await engine.dispose()

    async def viewer_van(request: Request) -> Viewer:
        kop = request.headers.get("authorization")
        if kop is None:
            return ANONIEM
        schema_, _, token = kop.strip().partition(" ")
        if schema_.lower() != "bearer" or not token.strip():
            raise TokenFout("the Authorization header must be 'Bearer <token>'")
        claims = al_geverifieerd(request.scope, token.strip()) or await controle.controleer(token.strip())
        try:
            return viewer_uit_claims(claims, settings.bsn_key)
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

    async def voer_uit(request: Request, query: Any, variabelen: Any, operatie: Any, alleen_lezen: bool) -> Response:
        try:
            return await _voer_uit(request, query, variabelen, operatie, alleen_lezen)
        except Exception as exc:  # a failed commit, a database gone: masked like any unexpected failure
            return onverwacht_antwoord(exc)

    async def _voer_uit(request: Request, query: Any, variabelen: Any, operatie: Any, alleen_lezen: bool) -> Response:
        try:
            viewer = await viewer_van(request)
        except TokenFout as exc:
            return _fout(401, "UNAUTHENTICATED", str(exc), {"WWW-Authenticate": 'Bearer error="invalid_token"'})
        if not isinstance(query, str) or not query.strip():
            return _fout(400, "BAD_REQUEST", "a GraphQL request needs a 'query' string")
        if variabelen is not None and not isinstance(variabelen, dict):
            return _fout(400, "BAD_REQUEST", "'variables' must be a JSON object")
        if operatie is not None and not isinstance(operatie, str):
            return _fout(400, "BAD_REQUEST", "'operationName' must be a string")
        # Public reads over GET can be cached by a proxy or CDN: an ETag that changes with the data.
        openbaar = alleen_lezen and viewer is ANONIEM
        kop_cache = {"Cache-Control": "private, no-store"}
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
                return OrjsonResponse(gecompileerd, headers=kop_cache)
        db = Db(staat["lezer"] if alleen_lezen or is_query(query, operatie) else staat["maker"])
        verzoek = Verzoek(settings, db, viewer, settings.today())
        terugdraaien = True
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
        finally:
            await db.close(commit=not terugdraaien)
            if db.geschreven and not terugdraaien:
                staat.pop("versie", None)  # this worker's own write: the next public read sees it
        if openbaar and any(e["extensions"]["code"] == "INTERNAL_SERVER_ERROR" for e in antwoord.get("errors", [])):
            kop_cache = {"Cache-Control": "no-store"}
        return OrjsonResponse(antwoord, headers=kop_cache)

    async def graphql_post(request: Request) -> Response:
        try:
            body = orjson.loads(await request.body())
        except orjson.JSONDecodeError:
            return _fout(400, "BAD_REQUEST", "the request body is not JSON")
        if not isinstance(body, dict):
            return _fout(400, "BAD_REQUEST", "the request body must be a JSON object")
        return await voer_uit(request, body.get("query"), body.get("variables"), body.get("operationName"), False)

    async def graphql_get(request: Request) -> Response:
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

    async def gezond(_request: Request) -> Response:
        return PlainTextResponse("ok")

    routes = [
        Route("/graphql", graphql_post, methods=["POST"]),
        Route("/graphql", graphql_get, methods=["GET"]),
        Route("/schema.graphql", schema_graphql, methods=["GET"]),
        Route("/.well-known/jwks.json", jwks_json, methods=["GET"]),
        Route("/health", gezond, methods=["GET"]),
    ]
    async def onverwacht(_request: Request, exc: Exception) -> Response:
        return onverwacht_antwoord(exc)

    app = Starlette(routes=routes, lifespan=lifespan, exception_handlers={Exception: onverwacht})
    app.add_middleware(Snelheidsbegrenzer, settings=settings, controle=controle)
    app.state.settings = settings
    app.state.staat = staat
    return app


def _graphiql() -> str:
    from strawberry.http.ides import get_graphql_ide_html

    return get_graphql_ide_html(graphql_ide="graphiql")
