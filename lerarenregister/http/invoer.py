"""Reading a GraphQL request over HTTP: the body, no further than its limit, and GET's parameters
that carry JSON (`variables`, `extensions`)."""

from __future__ import annotations

from typing import Any

import orjson
from starlette.requests import Request


async def lees_body(request: Request, maximum: int) -> bytes | None:
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


def json_param(params: Any, naam: str) -> Any:
    """A GET parameter that holds JSON (`variables`, `extensions`); None when absent or empty."""
    tekst = params.get(naam)
    if not tekst:
        return None
    try:
        return orjson.loads(tekst)
    except orjson.JSONDecodeError:
        raise ValueError(f"'{naam}' is not JSON") from None
