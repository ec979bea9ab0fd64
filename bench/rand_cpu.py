"""The edge's share of a request: server CPU per request in one process (no HTTP server, no wrk),
the app driven through ASGI directly, for the cheapest scenarios (where the edge weighs most):
the public lookup and search page (POST, compiled path), the cached public GET answered 304, and a
teacher's `ik` (trusted document, portfolio page of 40, with a token: the rate limit's authenticated
side).

Configurations, measured alternating in the same run:
- `volledig`: the app as served, every limit and rate limit at its default, a trusted proxy and a
  rotating pool of client addresses in X-Forwarded-For (as bench/harness.py sends them);
- `zonder_limieten`: rate limits `uit`;
- `zonder_controles`: issue 9's checks off: rate limits `uit` and the query limits' verdicts (depth,
  cost, free text) skipped, the cached analysis the handler reads kept (as bench/harness.py
  --controles-uit serves its "voor");
- `zonder_rand`: Starlette's own layers (errors, exception handlers) but none of ours: no request
  id, no metrics or request log, no rate limit, no CORS (the shape of the app before issues 9–11);
- `kaal`: the routes alone, every middleware layer peeled off (what the handler itself costs);
- `raw`: the raw peer (bench/raw_peer.py), the stack's limit, for the scenarios it answers (not the
  304: it has no ETags).

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

from lerarenregister import server
from lerarenregister.schema.limieten import Limieten, Operatie
from lerarenregister.server import create_app
from lerarenregister.settings import Settings


class ZonderControles(Limieten):
    """The query limits without their verdicts: what the handler reads of the analysis, no refusal."""

    def controleer(
        self, query: str, operatie: str | None, variabelen: dict[str, Any] | None, aangemeld: bool
    ) -> tuple[Operatie, int] | None:
        analyse = self.analyse(query)
        op = None if analyse.fout is not None else analyse.operatie(operatie)
        return None if op is None else (op, op.kosten(variabelen))  # the cost for the metrics


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
    import datetime as dt

    import genereer
    import harness

    meta = await genereer.lees_meta(args.url)
    # The harness's teachers with at least 40 activities, each with a token of their own (demo key).
    invoer = await asyncio.to_thread(harness.invoer_van, args.url, dt.date.fromisoformat(meta["vandaag"]))
    basis = {
        "database_url": args.url.replace("postgresql://", "postgresql+asyncpg://"),
        "demo": True,
        "demo_data": False,
        "demo_dir": str(harness.DEMO_DIR),
        "vandaag": meta["vandaag"],
        "vertrouwde_proxies": "127.0.0.1/32",
    }
    apps = {
        "volledig": create_app(Settings(**basis)),
        "zonder_limieten": create_app(Settings(**basis, limiet_publiek="uit", limiet_aangemeld="uit")),
    }
    server.Limieten = ZonderControles  # type: ignore[misc]  # this app only: create_app reads the name now
    try:
        apps["zonder_controles"] = create_app(Settings(**basis, limiet_publiek="uit", limiet_aangemeld="uit"))
    finally:
        server.Limieten = Limieten  # type: ignore[misc]
    apps["zonder_rand"] = create_app(Settings(**basis))
    apps["zonder_rand"].user_middleware = []  # before its first call builds the stack
    import raw_peer

    apps["raw"] = raw_peer.create_app(Settings(**basis))
    stops = [await lifespan(a) for a in apps.values()]
    apps["kaal"] = kaal(apps["volledig"])
    pool = adressen(4096)

    def leraar(i: int) -> tuple[str, str, bytes, list[tuple[bytes, bytes]], bytes]:
        body = orjson.dumps({"query": scenarios.LERAAR, "variables": {"registernummer": nummers[i % len(nummers)]}})
        koppen = [(b"content-type", b"application/json"), (b"x-forwarded-for", pool[i % len(pool)])]
        return "POST", "/graphql", b"", koppen, body

    def zoek(i: int) -> tuple[str, str, bytes, list[tuple[bytes, bytes]], bytes]:
        term = invoer.termen[i % len(invoer.termen)]
        body = orjson.dumps({"query": scenarios.ZOEK, "variables": {"zoekterm": term}})
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

    ik_body = orjson.dumps({"documentId": scenarios.document_id(scenarios.IK), "variables": {"first": 40}})
    ik_tokens = [f"Bearer {t}".encode() for t in invoer.tokens["leraar"]]

    def ik(i: int) -> tuple[str, str, bytes, list[tuple[bytes, bytes]], bytes]:
        koppen = [(b"content-type", b"application/json"), (b"authorization", ik_tokens[i % len(ik_tokens)])]
        return "POST", "/graphql", b"", koppen, ik_body

    # (make a request, its status, how many per round): `ik` reads the database for 2-3 ms a request.
    scenarios_ = {
        "leraar": (leraar, 200, args.n),
        "zoek": (zoek, 200, args.n // 3),
        "get304": (get304, 304, args.n),
        "ik": (ik, 200, args.n // 10),
    }
    uitkomst: dict[tuple[str, str], list[float]] = {}
    for ronde in range(args.rondes):
        for naam, (maak, status, n) in scenarios_.items():
            volgorde = [a for a in apps if not (a == "raw" and naam == "get304")]
            volgorde = volgorde if ronde % 2 == 0 else list(reversed(volgorde))
            for app_naam in volgorde:
                app = apps[app_naam]
                for i in range(min(200, n)):  # warm
                    await vraag(app, *maak(i))
                t0 = time.process_time()
                for i in range(n):
                    a = await vraag(app, *maak(i))
                    if a.status != status:
                        raise SystemExit(f"{naam} {app_naam}: HTTP {a.status}: {a.body[:300]!r}")
                uitkomst.setdefault((naam, app_naam), []).append((time.process_time() - t0) * 1e6 / n)
    print(
        f"server CPU per request, µs: median and lowest of {args.rondes} rounds; ratio of the medians to `kaal` "
        "and, for issue 9's checks, `volledig` to `zonder_controles`"
    )
    for naam, (_, _, n) in scenarios_.items():
        k = statistics.median(uitkomst[(naam, "kaal")])
        for app_naam in apps:
            if (naam, app_naam) not in uitkomst:
                continue
            rondes = uitkomst[(naam, app_naam)]
            m = statistics.median(rondes)
            print(
                f"  {naam:8} {app_naam:16} {m:8.1f} {min(rondes):8.1f}  {m / k:5.2f}×  "
                f"rounds of {n}: {[round(x) for x in rondes]}"
            )
        v, z = uitkomst[(naam, "volledig")], uitkomst[(naam, "zonder_controles")]
        print(
            f"  {naam:8} checks on / off: medians {statistics.median(v) / statistics.median(z):.3f}×, "
            f"lowest {min(v) / min(z):.3f}×, per round {[round(a / b, 3) for a, b in zip(v, z, strict=True)]}"
        )
    if args.profiel:
        for naam, (maak, _, n) in scenarios_.items():
            p = cProfile.Profile()
            p.enable()
            for i in range(n):
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
