"""What one request was, for the metrics and the request log (API.md, "Production", Operations).

The edge (http/rand.py) puts a `Meting` in the scope, which the GraphQL handler fills in
(operation, audience, cost, error codes: `meting(request.scope)`), times the request, notes the
status, and hands the finished record to its listeners (metrics, request log). The codes of an
answer the handler did not describe (401, 413, 429, a refusal by the limits, a database gone) are
read from its body when that is JSON of at most `KLEIN_BODY` bytes: those are small error bodies,
and a large answer is never parsed twice.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import orjson
from starlette.types import Scope

SCOPE_SLEUTEL = "lr_meting"
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
    """The record of this request (a throw-away one when the edge does not run, as in a bare app)."""
    m: Meting = scope.get(SCOPE_SLEUTEL, _LEEG)
    return m


def codes_uit(body: bytes) -> tuple[str, ...] | None:
    try:
        inhoud = orjson.loads(body)
    except orjson.JSONDecodeError:
        return None
    fouten = inhoud.get("errors") if isinstance(inhoud, dict) else None
    return tuple(_code(f) for f in fouten) if isinstance(fouten, list) else None
