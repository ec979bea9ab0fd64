"""What traces cost a request (issue 11, point 3; lerarenregister/sporen.py). Run by hand:

    .venv/bin/python bench/sporen.py [--aantal 2000] [--rondes 3] [--voor COMMIT]

Each measurement is a process of its own on a throw-away SQLite register with the demo data:
--aantal public searches (an unregistered text, so strawberry and the SQL run on every request)
through httpx's ASGITransport, one at a time, after 200 not counted. It reports the process's CPU
time (every thread: the SDK's export thread included) and the wall time per request:

- `voor`: the code of COMMIT (default: the merge base with main), from `git archive`, no traces;
- `uit`: this tree without OTEL_EXPORTER_OTLP_ENDPOINT (it also checks that nothing of
  OpenTelemetry was imported);
- `aan`: this tree with traces, through `Sporen` to an exporter that drops what it gets (the cost
  of making and batching the spans, without a collector's network);
- `aan-1%`: the same, sampling 1% of the traces (OTEL_TRACES_SAMPLER=parentbased_traceidratio);
- `strawberry`: `aan`, with strawberry's own OpenTelemetryExtension in place of GraphQLSporen
  (which the register does not use: it records the query text and the arguments).

They alternate within each round; the median of the rounds is shown. Not part of the tests.

A run on the 2-core development machine (shared, so a few per cent either way is noise), branch
otel against main at 88d00bd, SQLite, 2000 requests x 3 rounds, CPU µs a request (median):
voor 5530, uit 5337 (0.965x), aan 7252 (1.311x), aan-1% 6077 (1.099x), strawberry 7397 (1.338x).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
import time
from io import BytesIO
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
ZOEK = (
    "query Zoek($zoekterm: String!) { zoekLeraren(zoekterm: $zoekterm, first: 20) { totalCount edges { node { "
    "registernummer naam { voorletters tussenvoegsel achternaam weergavenaam } bevoegdheden { id vak soort "
    "voorHerregistratie } } } } }"
)
OPWARMEN = 200


async def _meet(aantal: int, map_: Path, modus: str) -> dict[str, Any]:
    import httpx

    from lerarenregister.demo import laad_demodata
    from lerarenregister.server import create_app
    from lerarenregister.settings import Settings

    url = f"sqlite+aiosqlite:///{map_ / 'register.sqlite3'}"
    settings = Settings(demo=True, database_url=url, demo_dir=map_, limiet_publiek="uit", limiet_aangemeld="uit")
    await laad_demodata(settings)
    sporen = None
    if modus in ("aan", "aan-1%", "strawberry"):
        from opentelemetry.sdk.trace.export import SpanExporter, SpanExportResult

        from lerarenregister.sporen import Sporen

        class Weg(SpanExporter):
            def export(self, spans):  # type: ignore[no-untyped-def]
                return SpanExportResult.SUCCESS

        sporen = Sporen(Weg())
        if modus == "strawberry":
            from strawberry.extensions.tracing import OpenTelemetryExtension

            provider = sporen.provider
            sporen.extensie = lambda: OpenTelemetryExtension(tracer_provider=provider)  # type: ignore[assignment]
    app = create_app(settings, sporen) if sporen is not None else create_app(settings)
    async with app.router.lifespan_context(app):
        async with httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://bench") as c:

            async def een() -> None:
                r = await c.post("/graphql", json={"query": ZOEK, "variables": {"zoekterm": "de"}})
                assert r.status_code == 200 and "errors" not in r.json(), r.text

            for _ in range(OPWARMEN):
                await een()
            cpu, wand = time.process_time(), time.perf_counter()
            for _ in range(aantal):
                await een()
            cpu, wand = time.process_time() - cpu, time.perf_counter() - wand
    otel = sorted(m for m in sys.modules if m.startswith("opentelemetry"))
    import lerarenregister

    return {
        "cpu_us": cpu / aantal * 1e6,
        "wand_us": wand / aantal * 1e6,
        "otel_modules": len(otel),
        "boom": str(Path(lerarenregister.__file__).parent.parent),
    }


def _kind(argv: list[str]) -> None:  # one measurement, in a process of its own
    from lerarenregister.db import migrate

    aantal, map_, modus = int(argv[0]), Path(argv[1]), argv[2]
    migrate(f"sqlite+aiosqlite:///{map_ / 'register.sqlite3'}")  # before the event loop: it runs one of its own
    uitkomst = asyncio.run(_meet(aantal, map_, modus))
    if modus in ("uit", "voor") and uitkomst["otel_modules"]:
        sys.exit(f"{modus}: OpenTelemetry was imported")
    print(json.dumps(uitkomst))


def _voor_boom(commit: str, doel: Path) -> Path:
    tar = subprocess.run(
        ["git", "archive", commit, "lerarenregister"], cwd=ROOT, capture_output=True, check=True
    ).stdout
    with tarfile.open(fileobj=BytesIO(tar)) as t:
        t.extractall(doel, filter="data")
    return doel


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--aantal", type=int, default=2000)
    p.add_argument("--rondes", type=int, default=3)
    p.add_argument("--voor", default=None, help="the commit to compare with (default: merge-base with main)")
    args = p.parse_args()
    voor = (
        args.voor
        or subprocess.run(
            ["git", "merge-base", "HEAD", "main"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("OTEL_", "REGISTER_"))}
    uitkomsten: dict[str, list[dict[str, Any]]] = {m: [] for m in ("voor", "uit", "aan", "aan-1%", "strawberry")}
    with tempfile.TemporaryDirectory(prefix="lr-sporen-") as tmp:
        boom = _voor_boom(voor, Path(tmp) / "voor")
        for ronde in range(args.rondes):
            for modus in uitkomsten:
                map_ = Path(tmp) / f"{modus}-{ronde}"
                map_.mkdir()
                kind_env = {**env, "PYTHONPATH": str(boom)} if modus == "voor" else env
                if modus == "aan-1%":
                    kind_env = {
                        **env,
                        "OTEL_TRACES_SAMPLER": "parentbased_traceidratio",
                        "OTEL_TRACES_SAMPLER_ARG": "0.01",
                    }
                uit = subprocess.run(
                    [sys.executable, __file__, "--kind", str(args.aantal), str(map_), modus],
                    env=kind_env,
                    capture_output=True,
                    text=True,
                    cwd=map_,
                )
                if uit.returncode:
                    sys.exit(f"{modus}: {uit.stderr[-3000:]}")
                uitkomsten[modus].append(json.loads(uit.stdout.strip().splitlines()[-1]))
                print(modus, ronde, uitkomsten[modus][-1], flush=True)
    print(f"\n{args.aantal} public searches a run, {args.rondes} rounds, median; voor = {voor[:10]}")
    print("| | CPU µs/request | wall µs/request | vs voor (CPU) |\n| --- | --- | --- | --- |")
    basis = statistics.median(u["cpu_us"] for u in uitkomsten["voor"])
    for modus, rijen in uitkomsten.items():
        cpu, wand = statistics.median(u["cpu_us"] for u in rijen), statistics.median(u["wand_us"] for u in rijen)
        print(f"| {modus} | {cpu:.0f} | {wand:.0f} | {cpu / basis:.3f}x |")


if __name__ == "__main__":
    if sys.argv[1:2] == ["--kind"]:
        _kind(sys.argv[2:])
    else:
        main()
