"""The answers /graphql gives outside a GraphQL execution: coded errors (400, 401, 403, 405, 406,
500), GraphQL answers in the negotiated media type, and the request id an answer carries."""

from __future__ import annotations

import logging
import re
import uuid
from typing import Any

import orjson
from starlette.requests import Request
from starlette.responses import JSONResponse, Response

from ..schema.limieten import Weigering
from .mediatypen import GRAPHQL_RESPONSE, JSON, voor_mediatype

log = logging.getLogger("lerarenregister")  # the logger the handler's own failures always went to


class OrjsonResponse(JSONResponse):
    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)


def fout(status: int, code: str, bericht: str, headers: dict[str, str] | None = None) -> Response:
    return OrjsonResponse(
        {"errors": [{"message": bericht, "extensions": {"code": code}}]}, status_code=status, headers=headers
    )


def inzage_niet_vastgelegd(exc: Exception) -> Response:
    """Fail closed: an answer whose access cannot be recorded is not given (API.md, Access log)."""
    log.error("access log not written; answer withheld: %s", type(exc).__name__)
    return fout(503, "SERVICE_UNAVAILABLE", "this access could not be recorded, so nothing is given; try again")


_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,128}")


def request_id(request: Request) -> str:
    """The incoming X-Request-ID when it is well-formed, else a new one; kept for the request."""
    bewaard = request.scope.get("lr_request_id")
    if bewaard is None:
        kop = request.headers.get("x-request-id", "")
        bewaard = kop if _REQUEST_ID.fullmatch(kop) else uuid.uuid4().hex
        request.scope["lr_request_id"] = bewaard
    return str(bewaard)


def niet_aangemeld(exc: Exception) -> Response:
    return fout(401, "UNAUTHENTICATED", str(exc), {"WWW-Authenticate": 'Bearer error="invalid_token"'})


def onverwacht_antwoord(exc: BaseException) -> Response:
    """Outside GraphQL execution too: masked for the client, logged with the trace under an id."""
    correlatie = uuid.uuid4().hex
    log.error("internal error %s", correlatie, exc_info=exc)
    return OrjsonResponse(
        {
            "errors": [
                {
                    "message": "internal error",
                    "extensions": {"code": "INTERNAL_SERVER_ERROR", "correlationId": correlatie},
                }
            ]
        },
        status_code=500,
    )


def weigering_antwoord(w: Weigering, media: str) -> Response:
    """A trusted document that cannot be found or named. PERSISTED_QUERY_NOT_FOUND is 200 for
    application/json (Apollo's clients read it there, then send the text with its hash), and a 4xx
    for application/graphql-response+json, as the spec asks of a request error."""
    code = w.fouten[0]["extensions"]["code"] if w.fouten else "BAD_REQUEST"
    status = 200 if code == "PERSISTED_QUERY_NOT_FOUND" and media == JSON else 400
    return OrjsonResponse({"errors": w.fouten}, status_code=status)


def alleen_post() -> Response:
    """GET runs queries only (the spec: a mutation over GET is not executed; 405 with Allow)."""
    return fout(405, "BAD_REQUEST", "only queries over GET; send mutations with POST", {"Allow": "POST"})


def niet_aanvaardbaar() -> Response:
    return fout(
        406, "NOT_ACCEPTABLE", f"this server answers {GRAPHQL_RESPONSE} or {JSON}; the Accept header allows neither"
    )


def graphql_antwoord(antwoord: dict[str, Any], media: str, headers: dict[str, str] | None = None) -> Response:
    """A GraphQL response in the negotiated media type, with the status that type asks for."""
    status, body = voor_mediatype(antwoord, media)
    return OrjsonResponse(body, status_code=status, headers=headers, media_type=media)


def in_mediatype(antwoord: Response, media: str) -> Response:
    """Every JSON answer on /graphql (its refusals, 401, 413, 503 too) in the negotiated media type."""
    if antwoord.headers.get("content-type", "").startswith(JSON) and media != JSON:
        antwoord.headers["content-type"] = media
    return antwoord
