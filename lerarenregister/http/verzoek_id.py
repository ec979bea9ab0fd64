"""Request ids (API.md, "Production", Operations): the incoming `X-Request-ID` when it is 1–128 of
`[A-Za-z0-9._-]`, else a new one; kept in the scope for the request (the access log, the request
log, an error's trace) and echoed in every response, whatever route or middleware answered it."""

from __future__ import annotations

import os
import re

from starlette.types import ASGIApp, Message, Receive, Scope, Send

SCOPE_SLEUTEL = "lr_request_id"  # server.request_id() reads the same key
# Headers an inner layer wants on the response (the rate limit's RateLimit-*): added here, in the one
# wrapper of `send` this layer has anyway, instead of in a wrapper of each layer's own (about 2 µs each).
KOPPEN_SLEUTEL = "lr_koppen"
_GOED = re.compile(rb"[A-Za-z0-9._-]{1,128}")
_KOP = b"x-request-id"


def kies(kop: bytes | None) -> str:
    """The id of a request whose X-Request-ID header is `kop` (None: no header)."""
    if kop is not None and _GOED.fullmatch(kop):
        return kop.decode("ascii")
    return os.urandom(16).hex()  # 128 random bits as uuid4 gives them, without building a UUID (5× faster)


class VerzoekId:
    """ASGI middleware: outermost but for CORS, so even a refusal (413, 429) carries the id; it also
    adds the headers inner layers left in the scope under KOPPEN_SLEUTEL."""

    def __init__(self, app: ASGIApp):
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        kop = next((waarde for naam, waarde in scope["headers"] if naam == _KOP), None)
        rid = scope.setdefault(SCOPE_SLEUTEL, kies(kop))
        echo = (_KOP, rid.encode("ascii"))

        async def met_id(bericht: Message) -> None:
            if bericht["type"] == "http.response.start":
                # One header: an answer that set it already (the executor's) set the same value.
                bericht["headers"] = [
                    *(k for k in bericht.get("headers", []) if k[0].lower() != _KOP),
                    echo,
                    *scope.get(KOPPEN_SLEUTEL, ()),
                ]
            await send(bericht)

        await self.app(scope, receive, met_id)
