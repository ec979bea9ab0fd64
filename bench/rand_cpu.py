"""The edge's share of a request: server CPU per request in one process (no HTTP server, no wrk),
the app driven through ASGI directly, for the cheapest scenarios (where the edge weighs most):
the public lookup (POST) and the cached public GET answered 304.

Configurations, measured alternating in the same run:
- `volledig`: the app as served, every limit and rate limit at its default, a trusted proxy and a
  rotating pool of client addresses in X-Forwarded-For (as bench/harness.py sends them);
- `zonder_limieten`: rate limits `uit` (the query limits cannot be switched off: their cost is in
  both);
- `zonder_rand`: Starlette's own layers (errors, exception handlers) but none of ours: no request
  id, no metrics or request log, no rate limit, no CORS (the shape of the app before issues 9–11);
- `kaal`: the routes alone, every middleware layer peeled off (what the handler itself costs).

    .venv/bin/python bench/rand_cpu.py --url postgresql://postgres@127.0.0.1:5432/lr_bench_100k

`--profiel` prints cProfile's top functions of `volledig` as well.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import pstats
import statistics
import time
from typing import Any

import asyncpg
import orjson
import scenarios  # bench/ is on sys.path when run as a script

from lerarenregister.server import create_app
from lerarenregister.settings import Settings


class Antwoord:
    def __init__(self) -> None:
        self.status = 0
        self.koppen: list[tuple[bytes, bytes]] = []
        self.body = b""


async def vraag(
    app: Any, methode: str, pad: str, query: bytes, koppen: list[tuple[bytes, bytes]], body: bytes
) -> Antwoord:
    """One request through the ASGI app, as uvicorn would hand it over."""
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": methode,
        "scheme": "http",
        "path": pad,
        "raw_path": pad.encode(),
        "query_string": query,
        "root_path": "",
        "headers": koppen,
        "client": ("127.0.0.1", 40000),
        "server": ("127.0.0.1", 8000),
        "state": {},
    }
    verzonden = False

    async def receive() -> dict[str, Any]:
        nonlocal verzonden
        if verzonden:
            await asyncio.sleep(3600)
        verzonden = True
        return {"type": "http.request", "body": body, "more_body": False}

    a = Antwoord()

    async def send(bericht: dict[str, Any]) -> None:
        if bericht["type"] == "http.response.start":
            a.status = bericht["status"]
            a.koppen = bericht.get("headers", [])
        elif bericht["type"] == "http.response.body":
            a.body += bericht.get("body", b"")

    await app(scope, receive, send)
    return a


def kaal(app: Any) -> Any:
    """The router with its exception handling, without the middleware layers."""
    return app.router


async def lifespan(app: Any) -> Any:
    """Run the app's startup; returns what ends it."""
    berichten: asyncio.Queue[dict[str, Any]] = asyncio.Queue()
    klaar = asyncio.Event()
    await berichten.put({"type": "lifespan.startup"})

    async def receive() -> dict[str, Any]:
        return await berichten.get()

    async def send(bericht: dict[str, Any]) -> None:
        if bericht["type"] in ("lifespan.startup.complete", "lifespan.shutdown.complete"):
            klaar.set()
        elif bericht["type"].endswith("failed"):
            raise RuntimeError(bericht)

    taak = asyncio.create_task(app({"type": "lifespan", "asgi": {"version": "3.0"}, "state": {}}, receive, send))
    await klaar.wait()

    async def stop() -> None:
        klaar.clear()
        await berichten.put({"type": "lifespan.shutdown"})
        await klaar.wait()
        await taak

    return stop


def adressen(n: int) -> list[bytes]:
    return [f"10.0.{i // 250}.{i % 250 + 1}".encode() for i in range(n)]


async def hoofd(args: argparse.Namespace) -> None:
    conn = await asyncpg.connect(args.url)
    nummers = [r[0] for r in await conn.fetch("SELECT registernummer FROM leraar ORDER BY id LIMIT 50")]
    await conn.close()
    basis = {
        "database_url": args.url.replace("postgresql://", "postgresql+asyncpg://"),
        "demo": True,
        "demo_data": False,
        "vertrouwde_proxies": "127.0.0.1/32",
    }
    apps = {
        "volledig": create_app(Settings(**basis)),
        "zonder_limieten": create_app(Settings(**basis, limiet_publiek="uit", limiet_aangemeld="uit")),
    }
    apps["zonder_rand"] = create_app(Settings(**basis))
    apps["zonder_rand"].user_middleware = []  # before its first call builds the stack
    stops = [await lifespan(a) for a in apps.values()]
    apps["kaal"] = kaal(apps["volledig"])
    pool = adressen(4096)

    def leraar(i: int) -> tuple[str, str, bytes, list[tuple[bytes, bytes]], bytes]:
        body = orjson.dumps({"query": scenarios.LERAAR, "variables": {"registernummer": nummers[i % len(nummers)]}})
        koppen = [(b"content-type", b"application/json"), (b"x-forwarded-for", pool[i % len(pool)])]
        return "POST", "/graphql", b"", koppen, body

    # The cached GET: an ETag from the first answer, then If-None-Match with it.
    get_query = "query=" + scenarios.LERAAR.replace(" ", "%20").replace("$", "%24").replace("!", "%21")
    get_query += "&variables=" + orjson.dumps({"registernummer": nummers[0]}).decode().replace('"', "%22")
    eerste = await vraag(
        apps["volledig"], "GET", "/graphql", get_query.encode(), [(b"x-forwarded-for", b"10.9.9.9")], b""
    )
    etag = dict(eerste.koppen).get(b"etag")
    assert eerste.status == 200 and etag, (eerste.status, eerste.body[:300])

    def get304(i: int) -> tuple[str, str, bytes, list[tuple[bytes, bytes]], bytes]:
        koppen = [(b"if-none-match", etag), (b"x-forwarded-for", pool[i % len(pool)])]
        return "GET", "/graphql", get_query.encode(), koppen, b""

    scenarios_ = {"leraar": (leraar, 200), "get304": (get304, 304)}
    uitkomst: dict[tuple[str, str], list[float]] = {}
    for ronde in range(args.rondes):
        for naam, (maak, status) in scenarios_.items():
            volgorde = list(apps) if ronde % 2 == 0 else list(reversed(apps))
            for app_naam in volgorde:
                app = apps[app_naam]
                for i in range(200):  # warm
                    await vraag(app, *maak(i))
                t0 = time.process_time()
                for i in range(args.n):
                    a = await vraag(app, *maak(i))
                    if a.status != status:
                        raise SystemExit(f"{naam} {app_naam}: HTTP {a.status}: {a.body[:300]!r}")
                uitkomst.setdefault((naam, app_naam), []).append((time.process_time() - t0) * 1e6 / args.n)
    print(f"server CPU per request, µs (median of {args.rondes} rounds of {args.n}); ratio to `kaal`")
    for naam in scenarios_:
        k = statistics.median(uitkomst[(naam, "kaal")])
        for app_naam in apps:
            m = statistics.median(uitkomst[(naam, app_naam)])
            print(
                f"  {naam:8} {app_naam:16} {m:8.1f}  {m / k:5.2f}×  "
                f"rounds {[round(x) for x in uitkomst[(naam, app_naam)]]}"
            )
    if args.profiel:
        for naam, (maak, _) in scenarios_.items():
            p = cProfile.Profile()
            p.enable()
            for i in range(args.n):
                await vraag(apps["volledig"], *maak(i))
            p.disable()
            print(f"--- {naam}, volledig")
            pstats.Stats(p).sort_stats(args.sorteer).print_stats(args.regels)
    for stop in stops:
        await stop()


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--url", default="postgresql://postgres@127.0.0.1:5432/lr_bench_100k")
    p.add_argument("--n", type=int, default=3000)
    p.add_argument("--rondes", type=int, default=3)
    p.add_argument("--profiel", action="store_true")
    p.add_argument("--sorteer", default="tottime")
    p.add_argument("--regels", type=int, default=25)
    asyncio.run(hoofd(p.parse_args()))


if __name__ == "__main__":
    main()
