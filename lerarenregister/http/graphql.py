"""GraphQL over HTTP: POST and GET /graphql (body, documents, cache headers, execute) and GraphiQL."""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

import orjson
from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError
from starlette.requests import Request
from starlette.responses import Response
from strawberry.schema.exceptions import CannotGetOperationTypeError, InvalidOperationTypeError
from strawberry.types.graphql import OperationType

from ..auth.tokens import TokenControle, TokenFout
from ..auth.viewer import ANONIEM, ClaimFout, DuoViewer, Viewer, viewer_uit_claims
from ..models import DataVersie
from ..replica import Replica
from ..resolvers import inzagelog
from ..resolvers.schrijven import verhoog_dataversie
from ..resolvers.verzoek import Db, Verzoek
from ..schema.fouten import formatteer
from ..schema.limieten import Limieten, Weigering
from ..schema.plannen import Plannen
from ..schema.vertrouwd import VertrouwdeDocumenten
from ..settings import Settings
from ..storingen import ergste_storing, status_en_koppen, storingsantwoord
from . import revalidatie
from .antwoorden import (
    OrjsonResponse,
    alleen_post,
    fout,
    graphql_antwoord,
    in_mediatype,
    inzage_niet_vastgelegd,
    niet_aangemeld,
    niet_aanvaardbaar,
    onverwacht_antwoord,
    request_id,
    weigering_antwoord,
)
from .invoer import json_param, lees_body
from .mediatypen import JSON, inhoudsfout, onderhandel
from .meting import meting
from .snelheid import al_geverifieerd

log = logging.getLogger("lerarenregister")

PUBLIEK_MAX_AGE = 60  # seconds a proxy or CDN may serve a public answer without asking again
VERSIE_CACHE_SECONDEN = 1.0


Handler = Callable[[Request], Awaitable[Response]]


@dataclass(frozen=True)
class GraphQLRoutes:
    post: Handler
    get: Handler
    alle: Handler  # every method: GET and POST to the above, others 405
    documenten: Handler  # GET /documenten.json: the trusted documents (schema/vertrouwd.py)


def graphql_routes(
    settings: Settings,
    schema: Any,
    limieten: Limieten,
    controle: TokenControle,
    staat: dict[str, Any],
    graphiql: Callable[[], Awaitable[Response]],
) -> GraphQLRoutes:
    """The handlers of POST and GET /graphql over the app's schema, limits, token check and state;
    `graphiql` answers a browser's GET without a query (http/graphiql.py)."""
    vertrouwd = VertrouwdeDocumenten.uit_map()
    herbevestiging = revalidatie.Revalidatie(settings, staat)
    plannen = Plannen(schema, vertrouwd.teksten)

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

    async def data_versie(replica: Replica | None = None) -> int:
        """The public data version, read at most once a second per worker (and after own writes); on
        the replica when the answer comes from there, so that its ETag matches what it shows."""
        bewaard = staat.get("versie") if replica is None else replica.versie
        if bewaard is not None and time.monotonic() - bewaard[1] < VERSIE_CACHE_SECONDEN:
            return bewaard[0]
        async with (staat["maker"] if replica is None else replica.lezer)() as sessie:
            versie = (await sessie.execute(select(DataVersie.versie).where(DataVersie.id == 1))).scalar_one()
        if replica is None:
            staat["versie"] = (versie, time.monotonic())
        else:
            replica.versie = (versie, time.monotonic())
        return versie

    def etag(query: str, variabelen: Any, operatie: Any, versie: int, media: str) -> str:
        sleutel = orjson.dumps(
            [query, variabelen, operatie, settings.today().isoformat(), versie, media], option=orjson.OPT_SORT_KEYS
        )
        return 'W/"' + hashlib.blake2b(sleutel, digest_size=16).hexdigest() + '"'

    async def voer_uit(
        request: Request,
        media: str,
        query: Any,
        variabelen: Any,
        operatie: Any,
        alleen_lezen: bool,
        viewer: Viewer | None = None,
    ) -> Response:
        replica: Replica | None = staat.get("replica")
        if replica is not None and replica.beschikbaar():
            # An anonymous read goes to the replica (_voer_uit marks the scope when it did); one that
            # met the replica down runs again on the primary (replica.py).
            try:
                antwoord = await _voer_uit(request, media, query, variabelen, operatie, alleen_lezen, viewer, replica)
                if not request.scope.pop("lr_replica", False):
                    return antwoord
                if antwoord.status_code != 503:
                    replica.gelukt()
                    return antwoord
                replica.weg("an answer of 503")
            except Exception as exc:
                if not (request.scope.pop("lr_replica", False) and replica.is_uitval(exc)):
                    return storingsantwoord(exc) or onverwacht_antwoord(exc)
                replica.weg(type(exc).__name__)
            finally:
                replica.klaar()
        try:
            return await _voer_uit(request, media, query, variabelen, operatie, alleen_lezen, viewer)
        except Exception as exc:  # a database gone: 503; a failed commit: masked like any unexpected failure
            return storingsantwoord(exc) or onverwacht_antwoord(exc)

    async def _voer_uit(
        request: Request,
        media: str,
        query: Any,
        variabelen: Any,
        operatie: Any,
        alleen_lezen: bool,
        viewer: Viewer | None,
        replica: Replica | None = None,
    ) -> Response:
        if viewer is None:
            try:
                viewer = await viewer_van(request)
            except TokenFout as exc:
                return niet_aangemeld(exc)
        if not isinstance(query, str) or not query.strip():
            return fout(400, "BAD_REQUEST", "a GraphQL request needs a 'query' string")
        if variabelen is not None and not isinstance(variabelen, dict):
            return fout(400, "BAD_REQUEST", "'variables' must be a JSON object")
        if operatie is not None and not isinstance(operatie, str):
            return fout(400, "BAD_REQUEST", "'operationName' must be a string")
        gemeten = meting(request.scope)  # for the metrics and the request log (http/meting.py)
        gemeten.doelgroep = viewer.rol
        try:  # REGISTER_ALLEEN_VERTROUWD: before anything else is decided about the text
            vertrouwd.vereist(settings.alleen_vertrouwd, viewer is not ANONIEM, query)
        except Weigering as w:
            return OrjsonResponse({"errors": w.fouten}, status_code=403)
        if len(query) > settings.max_body_bytes:  # DUO's larger bodies are for variables, not for text
            return fout(413, "PAYLOAD_TOO_LARGE", f"the query text is longer than {settings.max_body_bytes} characters")
        # Depth, cost and free text: decided before the data version, the compiled path or any resolver.
        try:
            gecontroleerd = limieten.controleer(query, operatie, variabelen, aangemeld=viewer is not ANONIEM)
        except Weigering as w:
            return graphql_antwoord({"data": None, "errors": w.fouten}, media)
        operatie_, kosten = gecontroleerd or (None, None)
        if operatie_ is not None:
            gemeten.operatie, gemeten.kosten = operatie_.naam, kosten
        if operatie_ is None and operatie is None and len(limieten.analyse(query).operaties) > 1:
            # GraphQL's GetOperation: several operations and no name is a request error. strawberry would
            # run the first one, unchecked by the limits above (they know no operation to check).
            return fout(400, "BAD_REQUEST", "the document has several operations; name one in 'operationName'")
        if alleen_lezen and operatie_ is not None and operatie_.soort != "query":
            return alleen_post()  # before the data version or an ETag: a mutation never gets a 304
        # An anonymous query may be answered by the replica; everything else by the primary.
        if (
            replica is not None
            and viewer is ANONIEM
            and operatie_ is not None
            and (alleen_lezen or operatie_.soort == "query")
        ):
            request.scope["lr_replica"] = True
        else:
            replica = None
        # Public reads over GET can be cached by a proxy or CDN: an ETag that changes with the data.
        openbaar = alleen_lezen and viewer is ANONIEM
        vandaag = settings.today()  # one today for the ETag and the answer
        kop_cache = {"Cache-Control": "private, no-store"}
        if openbaar and operatie_ is not None and operatie_.toestemming:
            # A portfolio shown or denied by the teacher's consent: no shared cache may keep it, or a
            # withdrawn consent would still be served (API.md, Caching).
            openbaar, kop_cache = False, {"Cache-Control": "no-store"}
        if openbaar:
            tag = etag(query, variabelen, operatie, await data_versie(replica), media)
            # The Accept header chooses the media type, and with it the status and body: a cache keys on it.
            kop_cache = {
                "Cache-Control": f"public, max-age={PUBLIEK_MAX_AGE}",
                "ETag": tag,
                "Vary": "Authorization, Accept",
            }
            if tag in [t.strip() for t in request.headers.get("if-none-match", "").split(",")]:
                return Response(status_code=304, headers=kop_cache)
        elif alleen_lezen and viewer is not ANONIEM and operatie_ is not None:
            # Signed in: revalidated by the asker's own client (http/revalidatie.py). A 304 writes no
            # access-log entry: it gives no data, and its ETag came with a 200 to this same asker,
            # whose access was logged then (README, Access log).
            versie = await herbevestiging.versie(viewer, query, operatie, operatie_, vandaag)
            tag = herbevestiging.etag(
                viewer, request.scope.get("lr_sub"), query, variabelen, operatie, media, vandaag, versie
            )
            kop_cache = revalidatie.koppen(tag)
            if revalidatie.komt_overeen(tag, request.headers.get("if-none-match")):
                return Response(status_code=304, headers=kop_cache)
        plan = staat["documenten"].plan(query, operatie) if viewer is ANONIEM and staat.get("compileer") else None
        if plan is not None:  # a registered document: one statement (schema/gecompileerd.py)
            pool = staat["compileer_pool"] if replica is None else replica.compileer_pool
            gecompileerd = await plan.antwoord(pool, variabelen)
            if gecompileerd is not None:
                gemeten.fouten(gecompileerd.get("errors"))
                storing = ergste_storing(gecompileerd.get("errors", ()))
                if storing:
                    return OrjsonResponse(gecompileerd, **status_en_koppen(storing))
                return graphql_antwoord(gecompileerd, media, kop_cache)
        leest = alleen_lezen or (operatie_ is not None and operatie_.soort == "query")
        maker = replica.lezer if replica is not None else staat["lezer"] if leest else staat["maker"]
        db = Db(maker)
        verzoek = Verzoek(settings, db, viewer, vandaag)
        if leest and replica is None:
            verzoek.pool = staat.get("compileer_pool")
        terugdraaien = True
        inzagen: list[dict[str, Any]] = []
        # A trusted query has a plan (schema/plannen.py): the executor's answer without its per-field work.
        plan = plannen.plan(query, operatie) if staat.get("snelpad", True) else None
        try:
            uitkomst = None if plan is None else await plan.voer_uit(verzoek, variabelen)
            if plan is not None and uitkomst is None:  # the executor answers it, as if the plan never ran:
                await db.close(commit=False)  # a plan only reads; a statement that failed leaves nothing behind
                db = Db(maker)
                verzoek = Verzoek(settings, db, viewer, verzoek.vandaag)
            try:
                uitkomst = (
                    uitkomst
                    if uitkomst is not None
                    else await schema.execute(
                        query,
                        variable_values=variabelen,
                        context_value=verzoek,
                        operation_name=operatie,
                        allowed_operation_types={OperationType.QUERY} if alleen_lezen else None,
                    )
                )
            except InvalidOperationTypeError:
                return alleen_post()
            except CannotGetOperationTypeError:
                return fout(400, "BAD_REQUEST", f"the document has no operation named {operatie!r}")
            antwoord: dict[str, Any] = {"data": uitkomst.data}
            if uitkomst.errors:
                fouten, terugdraaien = formatteer(uitkomst.errors, uitvoering=uitkomst.data is not None)
                antwoord["errors"] = fouten
            else:
                terugdraaien = False
            # The access log: on the request's own connection, inside a mutation's transaction.
            inzagen = verzoek.inzagen.rijen(
                viewer,
                request.scope.get("lr_sub"),
                operatie if operatie_ is None else operatie_.naam,
                request_id(request),
            )
            if inzagen and (leest or not terugdraaien):
                bewaard, terugdraaien = terugdraaien, True  # a failed log write undoes the mutation too
                await inzagelog.schrijf(db, inzagen)
                inzagen, terugdraaien = [], bewaard
            if not leest and not terugdraaien and not db.geschreven:
                # Every committed write moves the data version, which private ETags rest on
                # (http/revalidatie.py): also one that changes nothing public (meldFout, a board's name).
                await verhoog_dataversie(verzoek)
        except SQLAlchemyError as exc:
            terugdraaien = True
            if not inzagen:
                raise
            return inzage_niet_vastgelegd(exc)
        except BaseException:  # whatever failed after the operation (the data version's bump, a cancel): nothing kept
            terugdraaien = True
            raise
        finally:
            await db.close(commit=not terugdraaien)
            if db.geschreven and not terugdraaien:
                staat.pop("versie", None)  # this worker's own write: the next public read sees it
        if inzagen and antwoord["data"] is not None:  # a mutation undone that still answers some data
            los = Db(staat["lezer"])
            try:
                await inzagelog.schrijf(los, inzagen)
            except SQLAlchemyError as exc:
                return inzage_niet_vastgelegd(exc)
            finally:
                await los.close(commit=True)
        if "ETag" in kop_cache and any(
            e["extensions"]["code"] == "INTERNAL_SERVER_ERROR" for e in antwoord.get("errors", [])
        ):
            kop_cache = {"Cache-Control": "no-store"}
        gemeten.fouten(antwoord.get("errors"))
        if storing := ergste_storing(antwoord.get("errors", ())):  # a timeout or a database gone mid-way
            return OrjsonResponse(antwoord, **status_en_koppen(storing, request_id(request)))
        return graphql_antwoord(antwoord, media, {**kop_cache, "X-Request-ID": request_id(request)})

    async def graphql_post(request: Request) -> Response:
        media = onderhandel(request.headers.get("accept"))
        if media is None:
            return niet_aanvaardbaar()
        return in_mediatype(await _graphql_post(request, media), media)

    async def _graphql_post(request: Request, media: str) -> Response:
        reden = inhoudsfout(request.headers.get("content-type"))
        if reden is not None:  # before the token and the body: neither would be read
            return fout(415, "UNSUPPORTED_MEDIA_TYPE", reden, {"Accept-Post": "application/json"})
        try:  # the token first: it decides how large a body may be
            viewer = await viewer_van(request)
        except TokenFout as exc:
            return niet_aangemeld(exc)
        maximum = settings.max_body_bytes_duo if isinstance(viewer, DuoViewer) else settings.max_body_bytes
        ruw = await lees_body(request, maximum)
        if ruw is None:
            return fout(413, "PAYLOAD_TOO_LARGE", f"the request body is larger than {maximum} bytes")
        try:
            body = orjson.loads(ruw)
        except orjson.JSONDecodeError:
            return fout(400, "BAD_REQUEST", "the request body is not JSON")
        if not isinstance(body, dict):
            return fout(400, "BAD_REQUEST", "the request body must be a JSON object")
        if body.get("extensions") is not None and not isinstance(body["extensions"], dict):
            return fout(400, "BAD_REQUEST", "'extensions' must be a JSON object")
        try:
            query, _ = vertrouwd.tekst(body)  # a trusted document by its id (documentId, persistedQuery)
        except Weigering as w:
            return weigering_antwoord(w, media)
        return await voer_uit(request, media, query, body.get("variables"), body.get("operationName"), False, viewer)

    async def graphql_get(request: Request) -> Response:
        params = request.query_params
        if "query" not in params and "text/html" in request.headers.get("accept", ""):
            return await graphiql()
        media = onderhandel(request.headers.get("accept"))
        if media is None:
            return niet_aanvaardbaar()
        return in_mediatype(await _graphql_get(request, media), media)

    async def _graphql_get(request: Request, media: str) -> Response:
        if len(request.scope.get("query_string", b"")) > settings.max_body_bytes:
            return fout(413, "PAYLOAD_TOO_LARGE", f"the query string is larger than {settings.max_body_bytes} bytes")
        params = request.query_params
        try:
            variabelen, extensies = json_param(params, "variables"), json_param(params, "extensions")
        except ValueError as exc:
            return fout(400, "BAD_REQUEST", str(exc))
        if extensies is not None and not isinstance(extensies, dict):
            return fout(400, "BAD_REQUEST", "'extensions' must be a JSON object")
        verzoek: dict[str, Any] = {k: params[k] for k in ("query", "documentId") if k in params}
        if extensies:
            verzoek["extensions"] = extensies
        try:
            query, _ = vertrouwd.tekst(verzoek)  # a trusted document by its id (documentId, persistedQuery)
        except Weigering as w:
            return weigering_antwoord(w, media)
        return await voer_uit(request, media, query, variabelen or None, params.get("operationName"), True)

    async def documenten(_request: Request) -> Response:
        return Response(vertrouwd.json, media_type=JSON)

    async def graphql(request: Request) -> Response:
        """Every method on /graphql: GET (and HEAD) and POST; anything else is 405 with its code."""
        if request.method in ("GET", "HEAD"):
            return await graphql_get(request)
        if request.method == "POST":
            return await graphql_post(request)
        return fout(
            405,
            "METHOD_NOT_ALLOWED",
            f"{request.method[:20]} is not a GraphQL-over-HTTP method",
            {"Allow": "GET, HEAD, POST"},
        )

    return GraphQLRoutes(post=graphql_post, get=graphql_get, alle=graphql, documenten=documenten)
