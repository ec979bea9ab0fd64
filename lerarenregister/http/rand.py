"""The register's edge as one ASGI layer: CORS, the request id, the metrics and request log, and the
rate limit (API.md, "Production"), in the order they apply:

1. CORS (http/cors.py's options): a request with an `Origin` goes through Starlette's own
   CORSMiddleware around the rest, which also answers a preflight; one without gets what that
   middleware would give it (`Origin` added to the answer's `Vary`), added here.
2. The request id (http/verzoek_id.py): kept in the scope and echoed in every answer.
3. Metering (http/meting.py): a `Meting` in the scope, timed, its status and codes noted, handed
   to the listeners (metrics, request log) when the answer is done.
4. The rate limit (http/snelheid.py): decided before the body is read; a refusal is a 429 that
   still carries the id, the CORS headers and its RateLimit-* headers, and is measured.

One layer, one pass over the request's headers and one wrapper of `send`, where these were four
layers with a wrapper each: about 20 µs a request less (bench/rand_cpu.py), on lookups that take
150 µs in all.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..auth.tokens import TokenControle
from ..settings import Settings
from .cors import cors_opties
from .meting import ANDERE, KLEIN_BODY, SCOPE_SLEUTEL, Meting, codes_uit
from .snelheid import WACHT, Snelheidsbegrenzer, weiger
from .verzoek_id import SCOPE_SLEUTEL as ID_SLEUTEL
from .verzoek_id import kies

log = logging.getLogger("lerarenregister.meting")

_GELEZEN = "lr_rand_koppen"  # the request's headers as read once, for the way through CORSMiddleware
_ID = b"x-request-id"
Koppen = list[tuple[bytes, bytes]]


class Rand:
    """ASGI middleware: the whole edge (see the module); Starlette's error layers stay outside it."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        settings: Settings,
        controle: TokenControle,
        luisteraars: list[Callable[[Meting], None]],
        graphql_pad: str = "/graphql",
    ):
        self.app = app
        self.snelheid = Snelheidsbegrenzer(settings=settings, controle=controle)
        self.luisteraars = luisteraars
        self.graphql_pad = graphql_pad
        self.cors = CORSMiddleware(self._na_cors, **cors_opties(settings.cors_origins))

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        # What every layer reads of the request, in one pass (the first of each, as Headers.get reads).
        herkomst = id_kop = autorisatie = None
        doorgestuurd: list[str] = []
        for naam, waarde in scope["headers"]:
            if naam == b"origin":
                herkomst = waarde
            elif naam == _ID:
                if id_kop is None:
                    id_kop = waarde
            elif naam == b"authorization":
                if autorisatie is None:
                    autorisatie = waarde
            elif naam == b"x-forwarded-for":
                doorgestuurd.append(waarde.decode("latin-1"))
        if herkomst is not None:  # Starlette's CORS, around the rest
            scope[_GELEZEN] = (id_kop, autorisatie, doorgestuurd)
            await self.cors(scope, receive, send)
            return
        await self._verder(scope, receive, send, id_kop, autorisatie, doorgestuurd, vary_origin=True)

    async def _na_cors(self, scope: Scope, receive: Receive, send: Send) -> None:
        id_kop, autorisatie, doorgestuurd = scope.pop(_GELEZEN)
        await self._verder(scope, receive, send, id_kop, autorisatie, doorgestuurd, vary_origin=False)

    async def _verder(
        self,
        scope: Scope,
        receive: Receive,
        send: Send,
        id_kop: bytes | None,
        autorisatie: bytes | None,
        doorgestuurd: list[str],
        vary_origin: bool,
    ) -> None:
        begin = time.perf_counter()
        rid = scope.setdefault(ID_SLEUTEL, kies(id_kop))
        m = Meting(scope["method"], ANDERE, rid, graphql=scope["path"] == self.graphql_pad)
        scope[SCOPE_SLEUTEL] = m
        extra: Koppen = [(_ID, rid.encode("ascii"))]
        body: list[bytes] | None = None

        async def stuur(bericht: Message) -> None:
            nonlocal body
            if bericht["type"] == "http.response.start":
                m.status = bericht["status"]
                koppen, json = _koppen(bericht.get("headers", ()), vary_origin)
                koppen += extra
                bericht["headers"] = koppen
                if m.codes is None and json:  # an answer the handler did not describe: its codes from the body
                    body = []
            elif body is not None and bericht["type"] == "http.response.body":
                body.append(bericht.get("body", b""))
                if sum(map(len, body)) > KLEIN_BODY:
                    body = None
            await send(bericht)

        try:
            besluit = self.snelheid.beslis(scope, autorisatie, doorgestuurd)
            if besluit is WACHT:
                besluit = await self.snelheid.beslis_later(scope, autorisatie, doorgestuurd)
            if besluit is not None:
                budget, rl_koppen, seconden, toegestaan = besluit
                extra += rl_koppen
                if not toegestaan:
                    m.geweigerd = budget.soort  # for the metrics
                    await weiger(stuur, seconden)
                    return
            await self.app(scope, receive, stuur)
        except BaseException:
            m.status = m.status or 500
            raise
        finally:
            m.duur_s = time.perf_counter() - begin
            route = scope.get("route")
            m.pad = getattr(route, "path", ANDERE) if route is not None else ANDERE
            if m.codes is None and body:
                m.codes = codes_uit(b"".join(body))
            for luisteraar in self.luisteraars:
                try:
                    luisteraar(m)
                except Exception:  # a figure or a log line lost must never fail the request
                    log.exception("a request listener failed")


def _koppen(koppen: Koppen | tuple[()], vary_origin: bool) -> tuple[Koppen, bool]:
    """An answer's headers as they leave: without an X-Request-ID of its own (the edge adds the
    request's; an answer that set one set the same value), with `Origin` added to its Vary as
    Starlette's CORSMiddleware adds it to an answer to a request without Origin (one Vary, in the
    first one's place, its values and then Origin), and whether it is JSON."""
    uit: Koppen = []
    vary = -1
    json = False
    for kop in koppen:
        naam = kop[0].lower()
        if naam == _ID:
            continue
        if naam == b"vary" and vary_origin:
            if vary < 0:
                vary = len(uit)
                uit.append((b"vary", kop[1]))
            else:
                uit[vary] = (b"vary", uit[vary][1] + b", " + kop[1])
            continue
        if naam == b"content-type" and b"json" in kop[1]:
            json = True
        uit.append(kop)
    if vary_origin:
        if vary < 0:
            uit.append((b"vary", b"Origin"))
        else:
            uit[vary] = (b"vary", uit[vary][1] + b", Origin")
    return uit, json
