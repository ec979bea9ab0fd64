"""What issue 9's checks cost in instructions: the server's instructions per request, counted by
callgrind (valgrind), with the checks on and off, for the public lookup and the cached GET (304).

Over HTTP at saturation on two shared cores (bench/harness.py --controles-uit) a few microseconds of
Python move the throughput by tens of percent and the rounds spread widely; an instruction count is
the same from run to run (about ±0.5%) whatever else the machine does. Run by hand, not in the tests:

    .venv/bin/python bench/instructies.py --url postgresql://postgres@127.0.0.1:5432/lr_bench_100k

Both servers are this tree, started as the harness starts them, under `valgrind --tool=callgrind
--instr-atstart=no`: "aan" with every limit at its default, "uit" as --controles-uit serves its
"voor" (rate limits `uit`, the query limits' verdicts skipped). Each is warmed uncounted with a
request from each of the harness's 4,096 client addresses (X-Forwarded-For through a trusted proxy,
so every address's counter exists and is found as it is under wrk), then counted over --aantal
requests. One thing is changed for the count: the counters' once-a-second sweep. Under valgrind a
request takes some 15 ms, so the sweep would walk every counter every 60 requests and add about
110,000 instructions to each; at a real server's rate it runs once per thousands of requests.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import http.client
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
sys.path.insert(0, str(BENCH))

import genereer  # noqa: E402
import harness  # noqa: E402

ADRESSEN = 4096
ZONDER_VEGEN = "import lerarenregister.http.tellers as t; t.SWEEP_SECONDEN = 1e9; "
AAN_START = ZONDER_VEGEN + "import sys; from lerarenregister.cli import main; sys.exit(main())"


def adres(j: int) -> str:
    return f"10.{j // 65536 % 256}.{j // 256 % 256}.{j % 256}"


def tel(variant: str, scenario: str, url: str, invoer: harness.Invoer, aantal: int, poort: int) -> int:
    """Instructions per request of one server (variant) over `aantal` requests of `scenario`."""
    env = harness.servers(url, invoer_vandaag(url), genereer.db_naam(url), controles_uit=True)["voor"].env
    if variant == "aan":
        env = {k: v for k, v in env.items() if k not in harness.ZONDER_CONTROLES_ENV}
        start = AAN_START
    else:
        start = harness.ZONDER_CONTROLES_START
    map_ = Path(tempfile.mkdtemp(prefix="lr-instr-"))
    uit = map_ / "callgrind.out"
    proces = subprocess.Popen(
        [
            "valgrind",
            "--tool=callgrind",
            "--instr-atstart=no",
            f"--callgrind-out-file={uit}",
            sys.executable,
            "-c",
            start,
            *("serve", "--host", "127.0.0.1", "--port", str(poort)),
        ],
        env=env,
        cwd=BENCH.parent,
        stdout=subprocess.DEVNULL,
        stderr=open(map_ / "server.log", "w"),  # noqa: SIM115 (open for the process's life)
    )
    try:
        verbinding = _wacht(poort)
        vraag = _vrager(scenario, verbinding, invoer)
        for j in range(ADRESSEN + 100):
            vraag(j % ADRESSEN)
        subprocess.run(["callgrind_control", "-i", "on", str(proces.pid)], check=True, capture_output=True)
        for i in range(aantal):
            vraag(i * 7 % ADRESSEN)
        subprocess.run(["callgrind_control", "-d", str(proces.pid)], check=True, capture_output=True)
        subprocess.run(["callgrind_control", "-i", "off", str(proces.pid)], check=True, capture_output=True)
        dumps = [p for p in map_.glob("callgrind.out.*") if p.name != "callgrind.out"]
        totaal = 0
        for p in dumps:
            m = re.search(r"^totals:\s*(\d+)", p.read_text(errors="replace"), re.M)
            totaal += int(m.group(1)) if m else 0
        if not totaal:
            raise SystemExit(f"no callgrind dump in {map_}")
        return totaal // aantal
    finally:
        proces.send_signal(signal.SIGTERM)
        try:
            proces.wait(120)
        except subprocess.TimeoutExpired:
            proces.kill()
        shutil.rmtree(map_, ignore_errors=True)


def invoer_vandaag(url: str) -> str:
    """The data set's today, as genereer.py wrote it."""
    return asyncio.run(genereer.lees_meta(url))["vandaag"]


def _wacht(poort: int) -> http.client.HTTPConnection:
    for _ in range(600):
        try:
            c = http.client.HTTPConnection("127.0.0.1", poort, timeout=300)
            c.request("GET", "/health")
            c.getresponse().read()
            return c
        except OSError:
            time.sleep(0.5)
    raise SystemExit("the server did not start")


def _vrager(scenario: str, c: http.client.HTTPConnection, invoer: harness.Invoer):  # type: ignore[no-untyped-def]
    vs = harness.verzoeken("leraar", "ons", invoer) if scenario == "leraar" else []
    pad = harness.get_pad(invoer.termen[0])
    etag: list[str] = []

    def vraag(j: int) -> None:
        kop = {"Content-Type": "application/json", "X-Forwarded-For": adres(j)}
        if scenario == "leraar":
            c.request("POST", "/graphql", vs[j % len(vs)].body, kop)
        else:
            if etag:
                kop["If-None-Match"] = etag[0]
            c.request("GET", pad, headers=kop)
        r = c.getresponse()
        r.read()
        if scenario == "get304" and not etag:
            etag.append(r.getheader("etag") or "")
        verwacht = 200 if scenario == "leraar" else 304 if etag and kop.get("If-None-Match") else 200
        if r.status != verwacht:
            raise SystemExit(f"{scenario}: HTTP {r.status}, expected {verwacht}")

    return vraag


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--url", default="postgresql://postgres@127.0.0.1:5432/lr_bench_100k")
    ap.add_argument("--aantal", type=int, default=2000, help="requests counted per server and scenario")
    ap.add_argument("--poort", type=int, default=18299)
    ap.add_argument("--scenarios", default="leraar,get304", help="which of leraar and get304 (comma-separated)")
    ap.add_argument("--varianten", default="aan,uit", help="which of aan and uit (comma-separated)")
    args = ap.parse_args()
    if not shutil.which("valgrind"):
        raise SystemExit("valgrind is needed (Debian: apt-get install valgrind)")
    invoer = harness.invoer_van(args.url, dt.date.fromisoformat(invoer_vandaag(args.url)))
    print(f"{'scenario':10} {'checks on':>12} {'checks off':>12} {'on / off':>9}")
    varianten = args.varianten.split(",")
    for scenario in args.scenarios.split(","):
        aan = tel("aan", scenario, args.url, invoer, args.aantal, args.poort) if "aan" in varianten else 0
        uit = tel("uit", scenario, args.url, invoer, args.aantal, args.poort) if "uit" in varianten else 0
        print(f"{scenario:10} {aan:12,} {uit:12,} {aan / uit if aan and uit else 0:8.3f}x", flush=True)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
