"""Server CPU per request through the ASGI app, plans (schema/plannen.py) against the executor, in one
process and one run: a quick measure while working on the fast path (issue 12). Not the harness:
no HTTP server, no wrk, no other server; the database's work is not counted (it runs elsewhere).

    .venv/bin/python bench/plan_cpu.py --url postgresql://postgres@127.0.0.1:5432/lr_bench_100k

"plan" is the fast path as the server takes it: on PostgreSQL the board page and ik go on from their
plans to the row path (schema/rijenpad.py). Each scenario alternates plan, executor and (for the
harness's board page and ik) the raw peer
in-process per round (--rondes), --aantal requests each, and checks that all give the same data.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import gc
import os
import pstats
import statistics
import sys
import time
from pathlib import Path

import httpx
import orjson

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH.parent))
sys.path.insert(0, str(BENCH))

import genereer  # noqa: E402
import harness  # noqa: E402
import scenarios as sc  # noqa: E402


def documenten() -> dict[str, str]:
    return {
        p.stem: p.read_text(encoding="utf-8").strip()
        for p in (BENCH.parent / "lerarenregister" / "documenten").glob("*.graphql")
    }


async def meet(
    url: str,
    aantal: int,
    rondes: int,
    profiel: str | None = None,
    alleen: str | None = None,
    spy: bool = False,
    zonder_uitvoerder: bool = False,
) -> None:
    meta = await genereer.lees_meta(url)
    invoer = await asyncio.to_thread(
        harness.invoer_van, url, __import__("datetime").date.fromisoformat(meta["vandaag"])
    )
    os.environ.update(
        {
            "REGISTER_DEMO": "true",
            "REGISTER_DATABASE_URL": url,
            "REGISTER_VANDAAG": meta["vandaag"],
            "REGISTER_DEMO_DATA": "false",
            "REGISTER_DEMO_DIR": str(harness.DEMO_DIR),
            "REGISTER_LIMIET_AANGEMELD": "1000000/minute",
            "REGISTER_LIMIET_PUBLIEK": "1000000/minute",
        }
    )
    import raw_peer

    from lerarenregister.schema.vertrouwd import document_id
    from lerarenregister.server import create_app
    from lerarenregister.settings import Settings

    docs = documenten()
    bestuur, leraar = invoer.tokens["bestuur"], invoer.tokens["leraar"]
    scenario = {
        "bestuur (personeel, 100)": [(document_id(sc.BESTUUR), {"first": 100}, t) for t in bestuur],
        "ik (portfolio, 40)": [(document_id(sc.IK), {"first": 40}, t) for t in leraar],
        "leraar_overzicht": [(document_id(docs["leraar_overzicht"]), {}, t) for t in leraar],
        "bestuur_leraar": [
            (document_id(docs["bestuur_leraar"]), {"registernummer": n}, bestuur[0]) for n in invoer.registernummers[:8]
        ],
    }
    app, peer = create_app(Settings()), raw_peer.create_app(Settings())
    async with app.router.lifespan_context(app), peer.router.lifespan_context(peer):
        staat = app.state.staat
        gc.collect()  # as `lerarenregister serve` does once the app is built (cli.py _gc_voor_een_server)
        gc.freeze()
        async with (
            httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench") as client,
            httpx.AsyncClient(transport=httpx.ASGITransport(app=peer), base_url="http://peer") as peer_client,
        ):

            async def vraag(id_: str, var: dict, token: str, wie: object = None) -> bytes:
                r = await (wie or client).post(
                    "/graphql", json={"documentId": id_, "variables": var}, headers={"Authorization": f"Bearer {token}"}
                )
                assert r.status_code == 200, r.text[:300]
                return r.content

            print(
                f"{'scenario':26s} {'plan ms':>9s} {'executor ms':>12s} {'ratio':>7s} {'raw peer ms':>12s} "
                f"{'raw/plan':>9s}  same body"
            )
            if profiel is not None:  # cProfile over the fast path of one scenario, nothing else measured
                verzoeken = next(v for n, v in scenario.items() if n.startswith(profiel))
                staat["snelpad"] = True
                for k in range(10):
                    await vraag(*verzoeken[k % len(verzoeken)])
                profiler = cProfile.Profile(time.process_time)
                if not spy:
                    profiler.enable()
                begin = time.process_time()
                for k in range(aantal):
                    await vraag(*verzoeken[k % len(verzoeken)])
                profiler.disable()
                print(f"{(time.process_time() - begin) / aantal * 1000:.2f} ms per request")
                if spy:
                    return
                stats = pstats.Stats(profiler)
                stats.sort_stats("tottime").print_stats(35)
                stats.sort_stats("cumulative").print_stats(60)
                return
            for naam, verzoeken in scenario.items():
                if alleen is not None and not naam.startswith(alleen):
                    continue
                tijden: dict[object, list[float]] = {True: [], False: [], "raw": []}
                gelijk = True
                for snel in [True, False, "raw"] * rondes:
                    if snel == "raw" and naam.split()[0] not in ("bestuur", "ik"):
                        continue
                    if snel is False and zonder_uitvoerder:
                        continue
                    staat["snelpad"] = snel is True
                    begin = time.process_time()
                    for k in range(aantal):
                        await vraag(*verzoeken[k % len(verzoeken)], peer_client if snel == "raw" else None)
                    tijden[snel].append((time.process_time() - begin) / aantal * 1000)
                for v in verzoeken[:4]:
                    staat["snelpad"] = True
                    a = orjson.loads(await vraag(*v))
                    staat["snelpad"] = False
                    b = orjson.loads(await vraag(*v))
                    gelijk &= a == b and "errors" not in a
                    if tijden["raw"]:
                        gelijk &= a == orjson.loads(await vraag(*v, peer_client))
                snel = statistics.median(tijden[True])
                traag = statistics.median(tijden[False]) if tijden[False] else float("nan")
                raw = statistics.median(tijden["raw"]) if tijden["raw"] else float("nan")
                print(
                    f"{naam:26s} {snel:9.2f} {traag:12.2f} {traag / snel:6.1f}x {raw:12.2f} {raw / snel:8.2f}x  "
                    f"{gelijk}"
                )
            staat["snelpad"] = True


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--url", default="postgresql://postgres@127.0.0.1:5432/lr_bench_100k")
    ap.add_argument("--aantal", type=int, default=50)
    ap.add_argument("--rondes", type=int, default=3)
    ap.add_argument(
        "--profiel", metavar="SCENARIO", help="cProfile --aantal fast-path requests of one scenario (bestuur, ik)"
    )
    ap.add_argument("--alleen", metavar="SCENARIO", help="measure only the scenarios whose name starts so")
    ap.add_argument("--spy", action="store_true", help="with --profiel: no cProfile, for a sampling profiler (py-spy)")
    ap.add_argument("--zonder-uitvoerder", action="store_true", help="plan and raw peer only (more rounds in the time)")
    args = ap.parse_args()
    asyncio.run(meet(args.url, args.aantal, args.rondes, args.profiel, args.alleen, args.spy, args.zonder_uitvoerder))


if __name__ == "__main__":
    main()
