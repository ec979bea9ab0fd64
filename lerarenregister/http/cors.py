"""Browser clients on their own origins (API.md, "Production", Browser clients).

Bearer tokens, never cookies: any origin may read the register's answers (as GitHub's API allows),
unless REGISTER_CORS_ORIGINS narrows it. Starlette's own middleware; outermost, so that a refusal
by a limit (429, 413) still carries the headers a page needs to read it.
"""

from __future__ import annotations

import functools
from typing import Any

from starlette.middleware.cors import CORSMiddleware
from starlette.types import Message, Receive, Scope, Send

TOEGESTANE_KOPPEN = ["Content-Type", "Authorization", "X-Request-ID", "If-None-Match"]
# Date: the server's clock, which a dashboard takes as the moment it starts watching (gewijzigdSinds).
ZICHTBARE_KOPPEN = [
    "ETag",
    "Date",
    "X-Request-ID",
    "Retry-After",
    "RateLimit-Limit",
    "RateLimit-Remaining",
    "RateLimit-Reset",
]
MAX_AGE = 600


def herkomsten(instelling: str) -> list[str]:
    """`*`, or the comma-separated origins of REGISTER_CORS_ORIGINS."""
    delen = [d.strip().rstrip("/") for d in instelling.split(",") if d.strip()]
    return ["*"] if not delen or "*" in delen else delen


def cors_opties(instelling: str) -> dict[str, Any]:
    """Starlette's CORSMiddleware options for REGISTER_CORS_ORIGINS."""
    return {
        "allow_origins": herkomsten(instelling),
        "allow_methods": ["GET", "POST"],
        "allow_headers": TOEGESTANE_KOPPEN,
        "expose_headers": ZICHTBARE_KOPPEN,
        "allow_credentials": False,
        "max_age": MAX_AGE,
    }


class Cors(CORSMiddleware):
    """Starlette's CORSMiddleware, with the common request (no Origin: a server, a script, a proxy)
    answered without building Headers for the request and the response; what that request gets
    (`Vary: Origin` added to the answer's Vary) is Starlette's, as tests/test_cors.py checks."""

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and not any(naam == b"origin" for naam, _ in scope["headers"]):
            await self.app(scope, receive, functools.partial(_vary_origin, send))
            return
        await super().__call__(scope, receive, send)


async def _vary_origin(send: Send, bericht: Message) -> None:
    """As CORSMiddleware.send without an Origin: one Vary, the answer's own values and then Origin."""
    if bericht["type"] == "http.response.start":
        koppen = bericht.setdefault("headers", [])
        plekken = [i for i, (naam, _) in enumerate(koppen) if naam.lower() == b"vary"]
        waarde = b", ".join([*(koppen[i][1] for i in plekken), b"Origin"])
        if not plekken:
            koppen.append((b"vary", waarde))
        else:  # MutableHeaders.__setitem__: the first keeps its place, the others go
            koppen[plekken[0]] = (b"vary", waarde)
            for i in reversed(plekken[1:]):
                del koppen[i]
    await send(bericht)
