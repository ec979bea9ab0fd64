"""What one request was, for the metrics and the request log (API.md, "Production", Operations).

`Meten` is ASGI middleware: it puts a `Meting` in the scope, which the GraphQL handler fills in
(operation, audience, cost, error codes: `meting(request.scope)`), times the request, notes the
status, and hands the finished record to its listeners (metrics, request log). The codes of an
answer the handler did not describe (401, 413, 429, a refusal by the limits, a database gone) are
read from its body when that is JSON of at most `KLEIN_BODY` bytes: those are small error bodies,
and a large answer is never parsed twice.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

import orjson
from starlette.types import ASGIApp, Message, Receive, Scope, Send

log = logging.getLogger("lerarenregister.meting")

SCOPE_SLEUTEL = "lr_meting"
GEWEIGERD_SLEUTEL = "lr_geweigerd"  # set by the rate limit (snelheid.py) on a 429: 'publiek' | 'aangemeld'
KLEIN_BODY = 16 * 1024
OK = "OK"
ANDERE = "andere"
# The code of an error answer whose body names none (or was too large to read).
_CODE_BIJ_STATUS = {
    400: "BAD_REQUEST",
    401: "UNAUTHENTICATED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    413: "PAYLOAD_TOO_LARGE",
    429: "RATE_LIMITED",
    500: "INTERNAL_SERVER_ERROR",
    503: "SERVICE_UNAVAILABLE",
}


@dataclass(slots=True)
class Meting:
    """One request: what the handler knew, and how it ended."""

    methode: str
    pad: str  # the route's path (never the query string; an unknown path is ANDERE)
    request_id: str | None
    operatie: str | None = None  # the operation's name as the document gives it (a GraphQL Name)
    doelgroep: str | None = None  # the viewer's role: 'publiek', 'leraar', ...
    kosten: int | None = None  # the cost estimate (schema/limieten.py)
    codes: tuple[str, ...] | None = None  # error codes of the answer; None: not told, read from the body
    status: int = 0
    duur_s: float = 0.0
    geweigerd: str | None = None
    graphql: bool = False

    @property
    def code(self) -> str:
        """The request's outcome: OK, or the first error code of its answer."""
        if self.codes:
            return self.codes[0]
        if self.status >= 400:
            return _CODE_BIJ_STATUS.get(self.status, f"HTTP_{self.status}")
        return OK

    def fouten(self, fouten: Iterable[dict[str, Any]] | None) -> None:
        """The handler's answer had these errors (the GraphQL `errors` list)."""
        self.codes = tuple(_code(f) for f in fouten or ())


def _code(fout: Any) -> str:
    code = fout.get("extensions", {}).get("code") if isinstance(fout, dict) else None
    return code if isinstance(code, str) else "ONBEKEND"


_LEEG = Meting("", "", None)


def meting(scope: Scope) -> Meting:
    """The record of this request (a throw-away one when no `Meten` runs, as in a bare app)."""
    m: Meting = scope.get(SCOPE_SLEUTEL, _LEEG)
    return m


class Meten:
    """ASGI middleware: measures every HTTP request and tells `luisteraars` how it went."""

    def __init__(self, app: ASGIApp, *, luisteraars: list[Callable[[Meting], None]], graphql_pad: str = "/graphql"):
        self.app = app
        self.luisteraars = luisteraars
        self.graphql_pad = graphql_pad

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        begin = time.perf_counter()
        m = Meting(scope["method"], ANDERE, scope.get("lr_request_id"), graphql=scope["path"] == self.graphql_pad)
        scope[SCOPE_SLEUTEL] = m
        body: list[bytes] | None = None

        async def kijk(bericht: Message) -> None:
            nonlocal body
            if bericht["type"] == "http.response.start":
                m.status = bericht["status"]
                if m.codes is None and _json(bericht.get("headers", ())):
                    body = []
            elif bericht["type"] == "http.response.body" and body is not None:
                body.append(bericht.get("body", b""))
                if sum(map(len, body)) > KLEIN_BODY:
                    body = None
            await send(bericht)

        try:
            await self.app(scope, receive, kijk)
        except BaseException:
            m.status = m.status or 500
            raise
        finally:
            m.duur_s = time.perf_counter() - begin
            route = scope.get("route")
            m.pad = getattr(route, "path", ANDERE) if route is not None else ANDERE
            m.geweigerd = scope.get(GEWEIGERD_SLEUTEL)
            if m.codes is None and body:
                m.codes = _codes_uit(b"".join(body))
            for luisteraar in self.luisteraars:
                try:
                    luisteraar(m)
                except Exception:  # a figure or a log line lost must never fail the request
                    log.exception("a request listener failed")


def _json(koppen: Iterable[tuple[bytes, bytes]]) -> bool:
    return any(k.lower() == b"content-type" and b"json" in v for k, v in koppen)


def _codes_uit(body: bytes) -> tuple[str, ...] | None:
    try:
        inhoud = orjson.loads(body)
    except orjson.JSONDecodeError:
        return None
    fouten = inhoud.get("errors") if isinstance(inhoud, dict) else None
    return tuple(_code(f) for f in fouten) if isinstance(fouten, list) else None
