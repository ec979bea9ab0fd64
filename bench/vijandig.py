"""Hostile queries of issue 9, by hand: refused with their codes, fast, without SQL, memory still.

    .venv/bin/python bench/vijandig.py                  # about 4 minutes, 2 with --zonder-voor

On a register of 100,000 teachers (`lr_bench_100k`, made by bench/genereer.py on first use, or any
lr_bench* database given with --url and --leraren), it starts our server as one real process (one
worker, `lerarenregister serve`, demo mode, REGISTER_DEMO_DATA=false, as the harness does), warms it
with a few normal requests and then sends each hostile request of issue 9 as the role that would
send it: N times one after another and N times in bursts of --gelijktijdig at once. Every answer
must carry the expected code and no data. Then the same number of normal requests, for contrast.

No SQL: the server reaches PostgreSQL only through a relay this script starts (a subprocess that
copies bytes between the server and 127.0.0.1:5432 and counts the frontend protocol's messages:
Query, Parse, Bind, Execute). The figure is what the server sent to the database during the hostile
phase, read from the relay when it is over: 0 messages and 0 bytes is the proof. The normal phase,
counted the same way, shows that the relay sees every statement. pg_stat_database's transaction
count for the bench database (read from the `postgres` database, after waiting for PostgreSQL's
statistics to be flushed) is reported beside it as a second witness; autovacuum could move that one.

Memory: VmRSS of the server process after the warm-up, after the sequential and the burst hostile
phases, VmHWM (peak, reset before the hostile phase), and VmRSS after the normal phase.

Before (unless --zonder-voor): commit 608827d, main before the limits, is checked out into a
temporary git worktree (removed afterwards) and served the same way through the relay; each hostile
request that only reads is sent --voor-keer times with a timeout, reporting time, answer size, codes,
statements and RSS growth. Left out there: the 2,000 aliases and the first: 100 walk (minutes of work
each, which would go on in the server after the client gave up) and the name correction (it would
write into the data set).

Appends (or replaces) the section "## Hostile queries (issue 9)" in bench/RESULTS.md and writes
bench/logs/vijandig.json. Timing figures are from a shared 2-core machine: read them with the load
average printed beside them.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import datetime as dt
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
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
import harness  # noqa: E402
import scenarios as sc  # noqa: E402

STANDAARD_URL = "postgresql://postgres@127.0.0.1:5432/lr_bench_100k"
VOOR_COMMIT = "608827d"  # main before the limits of issue 9
POORT_ONS, POORT_RELAY = 18211, 18212  # not the harness's ports: it may run at the same time
KOP = "## Hostile queries (issue 9)"
MAX_BODY = 65536  # REGISTER_MAX_BODY_BYTES at its default
MAX_BODY_DUO = 2 * 1024 * 1024  # REGISTER_MAX_BODY_BYTES_DUO at its default


# --- the relay: every byte the server sends to PostgreSQL, counted ------------------------------


def relay_main(luister: int, doel_host: str, doel_poort: int) -> None:
    """Runs in its own process (`vijandig.py --relay`). Copies bytes both ways; counts, from the
    server to PostgreSQL, bytes, connections and frontend messages by type. A line on stdin asks
    for the counters: one JSON line on stdout answers."""
    tellers: dict[str, int] = {"bytes_naar_pg": 0, "bytes_van_pg": 0, "verbindingen": 0}
    slot = threading.Lock()

    def tel(sleutel: str, n: int = 1) -> None:
        with slot:
            tellers[sleutel] = tellers.get(sleutel, 0) + n

    class Frontend:
        """Splits the frontend stream into messages: startup packets (no type byte; an SSLRequest
        or GSSENCRequest is followed by another) and then typed messages."""

        def __init__(self) -> None:
            self.buf = b""
            self.opstart = True

        def voer(self, data: bytes) -> None:
            self.buf += data
            while True:
                if self.opstart:
                    if len(self.buf) < 8:
                        return
                    lengte = int.from_bytes(self.buf[:4], "big")
                    if len(self.buf) < lengte:
                        return
                    code = int.from_bytes(self.buf[4:8], "big")
                    self.buf = self.buf[lengte:]
                    if code not in (80877103, 80877104):
                        self.opstart = False
                        tel("msg_startup")
                    continue
                if len(self.buf) < 5:
                    return
                lengte = int.from_bytes(self.buf[1:5], "big")
                if len(self.buf) < 1 + lengte:
                    return
                tel("msg_" + chr(self.buf[0]))
                self.buf = self.buf[1 + lengte :]

    async def pomp(lezer: asyncio.StreamReader, schrijver: asyncio.StreamWriter, naar_pg: bool) -> None:
        fe = Frontend() if naar_pg else None
        try:
            while data := await lezer.read(65536):
                tel("bytes_naar_pg" if naar_pg else "bytes_van_pg", len(data))
                if fe is not None:
                    fe.voer(data)
                schrijver.write(data)
                await schrijver.drain()
        except (ConnectionError, OSError):
            pass
        finally:
            try:
                schrijver.close()
            except Exception:  # noqa: BLE001
                pass

    async def verbinding(lezer: asyncio.StreamReader, schrijver: asyncio.StreamWriter) -> None:
        tel("verbindingen")
        pg_lezer, pg_schrijver = await asyncio.open_connection(doel_host, doel_poort)
        await asyncio.gather(pomp(lezer, pg_schrijver, True), pomp(pg_lezer, schrijver, False))

    def vragen() -> None:
        for _ in sys.stdin:
            with slot:
                regel = json.dumps(tellers)
            sys.stdout.write(regel + "\n")
            sys.stdout.flush()
        os._exit(0)  # stdin closed: the bench is done with us

    async def hoofd() -> None:
        server = await asyncio.start_server(verbinding, "127.0.0.1", luister)
        threading.Thread(target=vragen, daemon=True).start()
        async with server:
            await server.serve_forever()

    asyncio.run(hoofd())


class Relay:
    def __init__(self, doel: str) -> None:
        d = urllib.parse.urlsplit(doel)
        self.host, self.poort = d.hostname or "127.0.0.1", d.port or 5432
        self.proc = subprocess.Popen(
            [sys.executable, __file__, "--relay", str(POORT_RELAY), self.host, str(self.poort)],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for _ in range(100):
            try:
                socket.create_connection(("127.0.0.1", POORT_RELAY), timeout=0.2).close()
                break
            except OSError:
                time.sleep(0.1)

    def lees(self) -> dict[str, int]:
        assert self.proc.stdin and self.proc.stdout
        self.proc.stdin.write("?\n")
        self.proc.stdin.flush()
        return json.loads(self.proc.stdout.readline())

    @staticmethod
    def verschil(na: dict[str, int], voor: dict[str, int]) -> dict[str, int]:
        return {k: na.get(k, 0) - voor.get(k, 0) for k in set(na) | set(voor) if na.get(k, 0) - voor.get(k, 0)}

    def url(self, url: str) -> str:
        d = urllib.parse.urlsplit(url)
        netloc = (d.netloc.rsplit("@", 1)[0] + "@" if "@" in d.netloc else "") + f"127.0.0.1:{POORT_RELAY}"
        return urllib.parse.urlunsplit((d.scheme, netloc, d.path, d.query, d.fragment))

    def stop(self) -> None:
        if self.proc.poll() is None:
            assert self.proc.stdin
            self.proc.stdin.close()
            try:
                self.proc.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


def statements(verschil: dict[str, int]) -> int:
    """Statements sent: simple Query messages plus extended-protocol Execute messages."""
    return verschil.get("msg_Q", 0) + verschil.get("msg_E", 0)


# --- pg_stat_database, the second witness ---------------------------------------------------------


def pg_stat(url: str) -> dict[str, int]:
    beheer = url.rsplit("/", 1)[0] + "/postgres"  # read from another database: the reading is not counted

    async def doe(conn: Any) -> dict[str, int]:
        r = await conn.fetchrow(
            "SELECT xact_commit, xact_rollback, tup_returned, tup_fetched, sessions "
            "FROM pg_stat_database WHERE datname = $1",
            genereer.db_naam(url),
        )
        return dict(r)

    return harness.sql(beheer, doe)


STAT_FLUSH_S = 11.5  # an idle backend flushes its statistics within PGSTAT_IDLE_INTERVAL (10 s)


# --- process memory ------------------------------------------------------------------------------


def status_kb(pid: int, veld: str) -> int:
    with open(f"/proc/{pid}/status") as f:
        for regel in f:
            if regel.startswith(veld + ":"):
                return int(regel.split()[1])
    return 0


def rss_mb(pid: int) -> float:
    return status_kb(pid, "VmRSS") / 1024


def hwm_mb(pid: int) -> float:
    return status_kb(pid, "VmHWM") / 1024


# --- the requests ----------------------------------------------------------------------------------


def zoekpagina(n: int) -> str:
    """tests/test_limieten.py `_zoekpagina`: n aliases of a 50-teacher search page."""
    return (
        "{ "
        + " ".join(
            f'a{i}: zoekLeraren(zoekterm: "a", first: 50) {{ edges {{ node {{ registernummer bevoegdheden {{ vak }} '
            f"portfolio(first: 100) {{ totalCount }} }} }} }}"
            for i in range(n)
        )
        + " }"
    )


BESTUUR_WANDELING = (
    "{ mijnSchoolbestuur { medewerkers(first: 20) { edges { node { benoemingen { schoolbestuur { "
    "medewerkers(first: 20) { edges { node { benoemingen { schoolbestuur { medewerkers(first: 20) { "
    "edges { node { registernummer } } } } } } } } } } } } } } }"
)  # tests/test_limieten.py


def honderd_met_geschiedenis(nummers: list[str]) -> str:
    """tests/test_limieten.py HONDERD_MET_GESCHIEDENIS, with registernummers that exist."""
    return (
        "{ leraren(registernummers: [" + ", ".join(f'"{n}"' for n in nummers) + "]) { "
        "portfolio(first: 100) { edges { node { id titel datum uren gebied } } } "
        "bevoegdheden { vak herregistraties { periodeStart periodeEinde status } "
        "aantekeningen { id geplaatstOp status bezwaren { id status } } } } }"
    )


def bestuurswandeling(keer: int, blad: str) -> str:
    binnen = f"medewerkers(first: 1) {{ edges {{ node {{ {blad} }} }} }}"
    for _ in range(keer):
        binnen = f"medewerkers(first: 1) {{ edges {{ node {{ benoemingen {{ schoolbestuur {{ {binnen} }} }} }} }} }}"
    return "{ mijnSchoolbestuur { " + binnen + " } }"


ZOEK_NA = (
    "query($t: String!, $after: String) { zoekLeraren(zoekterm: $t, after: $after) { totalCount "
    "edges { node { registernummer } } } }"
)
CORRECTIE = "mutation($i: CorrectieInvoer!) { corrigeerPersoonsgegevens(invoer: $i) { naam { achternaam } } }"
CATALOGUS = "query($t: String) { zoekActiviteiten(zoekterm: $t) { totalCount } }"


@dataclass
class Soort:
    naam: str
    rol: str  # anonymous, board, DUO, teacher
    body: bytes
    code: str | None  # expected error code; None: a normal request that must give data
    status: int = 200
    voor: bool = True  # also sent to the server before the limits
    keer: int | None = None  # sent this many times in a row instead of N, and not in bursts
    token: str | None = None
    cijfers: dict[str, Any] = field(default_factory=dict)


def soorten(invoer: dict[str, Any], tokens: dict[str, str]) -> tuple[list[Soort], list[Soort]]:
    def b(query: str, variabelen: dict[str, Any] | None = None) -> bytes:
        return orjson.dumps({"query": query, **({"variables": variabelen} if variabelen else {})})

    def grootste(limiet: int) -> int:
        """The most aliases whose body fits the limit."""
        laag, hoog = 1, limiet // 100
        while laag < hoog:
            midden = (laag + hoog + 1) // 2
            laag, hoog = (midden, hoog) if len(b(zoekpagina(midden))) <= limiet else (laag, midden - 1)
        return laag

    grootste, grootste_duo = grootste(MAX_BODY), grootste(MAX_BODY_DUO)
    huge = base64.urlsafe_b64encode(b"p:99999999999999999999999").decode()
    vijandig = [
        Soort("200 aliases of a 50-teacher search page †", "anonymous", b(zoekpagina(200)), "QUERY_TOO_COMPLEX"),
        Soort(
            f"{grootste} aliases of it: the largest body allowed (64 KiB)",
            "anonymous",
            b(zoekpagina(grootste)),
            "QUERY_TOO_COMPLEX",
            voor=False,
        ),
        Soort("2,000 aliases of it", "anonymous", b(zoekpagina(2000)), "PAYLOAD_TOO_LARGE", 413, voor=False),
        Soort(
            "board walks its staff's boards 3 deep, first: 20 †",
            "board",
            b(BESTUUR_WANDELING),
            "QUERY_TOO_COMPLEX",
            token=tokens["bestuur"],
        ),
        Soort(
            "the same walk with first: 100 †",
            "board",
            b(BESTUUR_WANDELING.replace("first: 20", "first: 100")),
            "QUERY_TOO_COMPLEX",
            voor=False,
            token=tokens["bestuur"],
        ),
        Soort(
            "100 teachers with portfolio and history",
            "DUO",
            b(honderd_met_geschiedenis(invoer["honderd"])),
            "QUERY_TOO_COMPLEX",
            token=tokens["duo"],
        ),
        Soort(
            "13 levels deep (board)",
            "board",
            b(bestuurswandeling(1, "bevoegdheden { aantekening { bezwaren { id } } }")),
            "QUERY_TOO_DEEP",
            token=tokens["bestuur"],
        ),
        Soort(
            "3,000 levels deep (teacher)",
            "teacher",
            b("{ ik " + "{ naam " * 3000 + "}" * 3001),
            "QUERY_TOO_DEEP",
            token=tokens["leraar"],
        ),
        Soort(
            'zoekLeraren(zoekterm: "a\\u0000") †',
            "anonymous",
            b('{ zoekLeraren(zoekterm: "a\\u0000") { totalCount } }'),
            "BAD_USER_INPUT",
        ),
        Soort(
            "`after` cursor of offset 10^23 †",
            "anonymous",
            b(ZOEK_NA, {"t": "jansen", "after": huge}),
            "BAD_USER_INPUT",
        ),
        Soort(
            "catalogue search of 11 words †",
            "anonymous",
            b(CATALOGUS, {"t": " ".join(["formatief"] * 11)}),
            "BAD_USER_INPUT",
        ),
        Soort(
            "name correction to U+202E + 'seirV' (teacher) †",
            "teacher",
            b(CORRECTIE, {"i": {"achternaam": "\u202eseirV"}}),
            "BAD_USER_INPUT",
            voor=False,
            token=tokens["leraar"],
        ),
        # DUO's larger body is for variables: its query text has the common limit (64 KiB) too.
        Soort(
            f"{grootste_duo:,} aliases: the largest body a DUO token may send (2 MiB), all query text",
            "DUO",
            b(zoekpagina(grootste_duo)),
            "PAYLOAD_TOO_LARGE",
            413,
            voor=False,
            token=tokens["duo"],
            keer=5,
        ),
    ]
    gewoon = [
        Soort(
            "search page of 20, registered document (compiled path)",
            "anonymous",
            b(sc.ZOEK, {"zoekterm": "jansen"}),
            None,
        ),
        Soort(
            "the same search as an unregistered text (executor)",
            "anonymous",
            b(sc.ZOEK_UITVOERDER, {"zoekterm": "jansen"}),
            None,
        ),
        Soort(
            "board's staff page of 20 with warnings and periods",
            "board",
            b(sc.BESTUUR, {"first": 20}),
            None,
            token=tokens["bestuur"],
        ),
    ]
    return vijandig, gewoon


def kop(s: Soort) -> dict[str, str]:
    h = {"Content-Type": "application/json"}
    if s.token:
        h["Authorization"] = f"Bearer {s.token}"
    return h


def beoordeel(s: Soort, status: int, inhoud: bytes) -> str | None:
    """None when the answer is what it must be, else what is wrong."""
    try:
        body = orjson.loads(inhoud)
    except orjson.JSONDecodeError:
        return f"HTTP {status}, not JSON: {inhoud[:120]!r}"
    codes = [e.get("extensions", {}).get("code") for e in body.get("errors", [])]
    if s.code is None:
        return None if status == 200 and body.get("data") and not codes else f"HTTP {status}, codes {codes}"
    if status != s.status or s.code not in codes or body.get("data") is not None:
        return f"HTTP {status}, codes {codes}, data {str(body.get('data'))[:80]}"
    return None


def verdeling(ms: list[float]) -> dict[str, float]:
    z = sorted(ms)
    return {
        "p50": statistics.median(z),
        "p99": z[min(len(z) - 1, int(round(0.99 * (len(z) - 1))))],
        "max": z[-1],
        "gem": statistics.fmean(z),
    }


class Verbinding:
    """A bare HTTP/1.1 keep-alive connection: the request's bytes are made once and the answer is
    read by its Content-Length, so that the client costs little beside the server on two cores."""

    def __init__(self, url: str) -> None:
        d = urllib.parse.urlsplit(url)
        self.host, self.poort = d.hostname or "127.0.0.1", d.port or 80
        self.lezer: asyncio.StreamReader | None = None
        self.schrijver: asyncio.StreamWriter | None = None
        self.heropend = 0

    async def open(self) -> None:
        self.lezer, self.schrijver = await asyncio.open_connection(self.host, self.poort)

    async def vraag(self, verzoek: bytes) -> tuple[int, bytes]:
        try:
            return await self._vraag(verzoek)
        except (asyncio.IncompleteReadError, ConnectionError) as exc:
            # The server closed the connection after its last answer (uvicorn does after a 413 whose
            # body it did not read): a client opens a new one and asks again. Once.
            if isinstance(exc, asyncio.IncompleteReadError) and exc.partial:
                raise
            self.heropend += 1
            await self.sluit()
            return await self._vraag(verzoek)

    async def _vraag(self, verzoek: bytes) -> tuple[int, bytes]:
        if self.schrijver is None:
            await self.open()
        assert self.lezer and self.schrijver
        self.schrijver.write(verzoek)
        await self.schrijver.drain()
        kop_ = await self.lezer.readuntil(b"\r\n\r\n")
        regels = kop_.decode("latin-1").split("\r\n")
        status = int(regels[0].split(" ", 2)[1])
        velden = {k.strip().lower(): v.strip() for k, _, v in (r.partition(":") for r in regels[1:] if r)}
        inhoud = await self.lezer.readexactly(int(velden.get("content-length", "0")))
        if velden.get("connection", "").lower() == "close":
            await self.sluit()
        return status, inhoud

    async def sluit(self) -> None:
        if self.schrijver is not None:
            self.schrijver.close()
            try:
                await self.schrijver.wait_closed()
            except (ConnectionError, OSError):
                pass
        self.lezer = self.schrijver = None


def verzoek(url: str, s: Soort) -> bytes:
    d = urllib.parse.urlsplit(url)
    kop_ = f"POST /graphql HTTP/1.1\r\nHost: {d.netloc}\r\nContent-Length: {len(s.body)}\r\n"
    kop_ += "".join(f"{k}: {v}\r\n" for k, v in kop(s).items()) + "\r\n"
    return kop_.encode("latin-1") + s.body


async def _na_elkaar(url: str, s: Soort, n: int, pid: int) -> tuple[list[float], list[str], int, float]:
    ms, fout, grootte, rss_tien = [], [], 0, 0.0
    c, v = Verbinding(url), verzoek(url, s)
    await c.open()
    for i in range(n):
        t = time.perf_counter()
        status, inhoud = await c.vraag(v)
        ms.append((time.perf_counter() - t) * 1000)
        grootte = len(inhoud)
        if (w := beoordeel(s, status, inhoud)) is not None:
            fout.append(w)
        if i == min(9, n - 1):
            rss_tien = rss_mb(pid)
    await c.sluit()
    return ms, fout, grootte, rss_tien


def na_elkaar(url: str, s: Soort, n: int, pid: int) -> dict[str, Any]:
    cpu = harness.cpu_ticks(pid)
    ms, fout, grootte, rss_tien = asyncio.run(_na_elkaar(url, s, n, pid))
    cpu_ms = (harness.cpu_ticks(pid) - cpu) * 1000 / harness.KLOK / n
    return {
        **verdeling(ms),
        "n": n,
        "fout": len(fout),
        "voorbeeld_fout": fout[:2],
        "bytes": grootte,
        "server_cpu_ms": cpu_ms,
        "rss_na_tien": rss_tien,
    }


async def _burst(url: str, s: Soort, n: int, tegelijk: int) -> tuple[list[float], list[str], float, int]:
    ms: list[float] = []
    fout: list[str] = []
    v = verzoek(url, s)
    verbindingen = [Verbinding(url) for _ in range(tegelijk)]
    await asyncio.gather(*[c.open() for c in verbindingen])  # connections open before the clock

    async def een(c: Verbinding) -> None:
        t = time.perf_counter()
        status, inhoud = await c.vraag(v)
        ms.append((time.perf_counter() - t) * 1000)
        if (w := beoordeel(s, status, inhoud)) is not None:
            fout.append(w)

    begin = time.perf_counter()
    for _ in range(n // tegelijk):  # waves of `tegelijk` at once
        await asyncio.gather(*[een(c) for c in verbindingen])
    wand = time.perf_counter() - begin
    await asyncio.gather(*[c.sluit() for c in verbindingen])
    # uvicorn closes keep-alive connections idle for 5 s: in long waves, some are opened anew.
    return ms, fout, wand, sum(c.heropend for c in verbindingen)


def burst(url: str, s: Soort, n: int, tegelijk: int, pid: int) -> dict[str, Any]:
    cpu = harness.cpu_ticks(pid)
    ms, fout, wand, heropend = asyncio.run(_burst(url, s, n, tegelijk))
    cpu_ms = (harness.cpu_ticks(pid) - cpu) * 1000 / harness.KLOK / len(ms)
    return {
        **verdeling(ms),
        "n": len(ms),
        "fout": len(fout),
        "voorbeeld_fout": fout[:2],
        "wand_s": wand,
        "heropend": heropend,
        "per_s": len(ms) / wand,
        "server_cpu_ms": cpu_ms,
    }


# --- servers -------------------------------------------------------------------------------------


def server(naam: str, url: str, vandaag: str, cwd_code: Path | None) -> harness.Server:
    basis = {k: v for k, v in os.environ.items() if not k.startswith("REGISTER_")}
    # Rate limits off: this bench measures what the query limits cost per refusal, thousands of
    # requests from one address (the rate limits are measured by bench/harness.py).
    env = {
        **basis,
        "REGISTER_DEMO": "true",
        "REGISTER_LIMIET_PUBLIEK": "uit",
        "REGISTER_LIMIET_AANGEMELD": "uit",
        "REGISTER_DATABASE_URL": url,
        "REGISTER_VANDAAG": vandaag,
        "REGISTER_DEMO_DATA": "false",
        "REGISTER_DEMO_DIR": str(harness.DEMO_DIR),
    }
    if cwd_code is None:
        cmd = [str(Path(sys.executable).parent / "lerarenregister"), "serve"]
    else:  # an older tree: its package ahead of the editable install of this one, served without its
        # migrations (the data set stands at this tree's head, a revision the older scripts do not know)
        env["PYTHONPATH"] = str(cwd_code)
        cmd = [sys.executable, "-c", harness.VOOR_START, "serve"]
    cmd += ["--host", "127.0.0.1", "--port", str(POORT_ONS)]
    return harness.Server(naam, cmd, env, harness.LOGS, POORT_ONS)


def opwarmen(url: str, gewoon: list[Soort], keer: int = 20) -> None:
    with httpx.Client(timeout=60) as c:
        for s in gewoon:
            for _ in range(keer):
                r = c.post(url + "/graphql", content=s.body, headers=kop(s))
                if (w := beoordeel(s, r.status_code, r.content)) is not None:
                    raise RuntimeError(f"warm-up: {s.naam}: {w}")


def kies(url: str, vandaag: dt.date) -> dict[str, Any]:
    async def doe(conn: Any) -> dict[str, Any]:
        # A board of about 150-300 current staff, as in the issue's walk.
        bestuur = await conn.fetchrow(
            """SELECT s.bevoegd_gezag_nummer, count(DISTINCT b.leraar_id) AS n FROM benoeming b
               JOIN schoolbestuur s ON s.id = b.schoolbestuur_id
               WHERE b.begindatum <= $1 AND (b.einddatum IS NULL OR b.einddatum >= $1)
               GROUP BY s.bevoegd_gezag_nummer HAVING count(DISTINCT b.leraar_id) BETWEEN 150 AND 300
               ORDER BY n DESC LIMIT 1""",
            vandaag,
        )
        honderd = [
            r["registernummer"]
            for r in await conn.fetch(
                "SELECT registernummer FROM leraar WHERE status = 'GEREGISTREERD' AND id % 97 = 0 ORDER BY id LIMIT 100"
            )
        ]
        leraar = await conn.fetchval("SELECT id FROM leraar WHERE status = 'GEREGISTREERD' ORDER BY id LIMIT 1")
        return {
            "bestuur": bestuur["bevoegd_gezag_nummer"],
            "bestuur_n": bestuur["n"],
            "honderd": honderd,
            "leraar": leraar - 1,
        }

    return harness.sql(url, doe)


# --- the measurements ----------------------------------------------------------------------------


def meet_ons(
    url: str, vandaag: str, vijandig: list[Soort], gewoon: list[Soort], n: int, tegelijk: int, ronde: int
) -> dict[str, Any]:
    relay = Relay(url)
    s = server(f"vijandig-ons-{ronde}", relay.url(url), vandaag, None)
    uit: dict[str, Any] = {"vijandig": {}, "gewoon": {}}
    try:
        s.start()
        opwarmen(s.url, gewoon)
        time.sleep(STAT_FLUSH_S)
        r0, st0, rss0 = relay.lees(), pg_stat(url), rss_mb(s.pid)
        gewone_rijen = [v for v in vijandig if not v.keer]
        harness.reset_hwm(s.pid)
        for v in gewone_rijen:
            uit["vijandig"][v.naam] = {"na_elkaar": na_elkaar(s.url, v, n, s.pid)}
            uit["vijandig"][v.naam]["na_elkaar"]["rss_na"] = rss_mb(s.pid)
        rss1, hwm1 = rss_mb(s.pid), hwm_mb(s.pid)
        harness.reset_hwm(s.pid)
        for v in gewone_rijen:
            uit["vijandig"][v.naam]["burst"] = burst(s.url, v, n, tegelijk, s.pid)
        rss2, hwm2 = rss_mb(s.pid), hwm_mb(s.pid)
        # Last, so that their memory is not counted against the others: the few-times rows (2 MiB).
        harness.reset_hwm(s.pid)
        for v in [v for v in vijandig if v.keer]:
            uit["vijandig"][v.naam] = {"na_elkaar": na_elkaar(s.url, v, v.keer or n, s.pid), "burst": None}
            uit["vijandig"][v.naam]["na_elkaar"]["rss_na"] = rss_mb(s.pid)
        hwm3 = hwm_mb(s.pid)
        r1 = relay.lees()
        time.sleep(STAT_FLUSH_S)
        r1b, st1 = relay.lees(), pg_stat(url)
        for g in gewoon:
            uit["gewoon"][g.naam] = {
                "na_elkaar": na_elkaar(s.url, g, n, s.pid),
                "burst": burst(s.url, g, n, tegelijk, s.pid),
            }
        rss3 = rss_mb(s.pid)
        r2 = relay.lees()
        time.sleep(STAT_FLUSH_S)
        st2 = pg_stat(url)
        uit["rss"] = {
            "na_opwarmen": rss0,
            "na_vijandig_na_elkaar": rss1,
            "piek_na_elkaar": hwm1,
            "na_vijandig_burst": rss2,
            "piek_burst": hwm2,
            "piek_enkele": hwm3,
            "na_gewoon": rss3,
        }
        uit["relay_vijandig"] = Relay.verschil(r1, r0)
        uit["relay_vijandig_tot_stat"] = Relay.verschil(r1b, r0)
        uit["relay_gewoon"] = Relay.verschil(r2, r1b)
        uit["stat_vijandig"] = {k: st1[k] - st0[k] for k in st0}
        uit["stat_gewoon"] = {k: st2[k] - st1[k] for k in st1}
        uit["verzoeken_vijandig"] = sum(
            x["na_elkaar"]["n"] + (x["burst"]["n"] if x["burst"] else 0) for x in uit["vijandig"].values()
        )
        uit["verzoeken_gewoon"] = sum(x["na_elkaar"]["n"] + x["burst"]["n"] for x in uit["gewoon"].values())
    finally:
        s.stop()
        relay.stop()
    return uit


def meet_voor(
    url: str, vandaag: str, vijandig: list[Soort], gewoon: list[Soort], keer: int, timeout: float
) -> dict[str, Any]:
    """The same requests against main before the limits, in a temporary worktree."""
    map_ = Path(tempfile.mkdtemp(prefix="lr-voor-"))
    boom = map_ / "boom"
    subprocess.run(
        ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(boom), VOOR_COMMIT], check=True, capture_output=True
    )
    relay = Relay(url)
    s = server("vijandig-voor", relay.url(url), vandaag, boom)
    uit: dict[str, Any] = {"commit": VOOR_COMMIT, "soorten": {}}
    try:
        s.start()
        code = subprocess.run(
            [sys.executable, "-c", "import lerarenregister; print(lerarenregister.__file__)"],
            env=s.env,
            cwd=s.cwd,
            capture_output=True,
            text=True,
        ).stdout.strip()
        if not code.startswith(str(boom)):
            raise RuntimeError(f"the old server would import {code}, not the tree of {VOOR_COMMIT}")
        opwarmen(s.url, gewoon)
        uit["rss_na_opwarmen"] = rss_mb(s.pid)
        for v in [v for v in vijandig if v.voor]:
            rijen = []
            for _ in range(keer):
                time.sleep(0.5)
                r0, rss0 = relay.lees(), rss_mb(s.pid)
                harness.reset_hwm(s.pid)
                t = time.perf_counter()
                try:
                    r = httpx.post(s.url + "/graphql", content=v.body, headers=kop(v), timeout=timeout)
                    body = orjson.loads(r.content)
                    codes = sorted({e.get("extensions", {}).get("code") for e in body.get("errors") or []})
                    rij = {
                        "status": r.status_code,
                        "bytes": len(r.content),
                        "codes": codes,
                        "data": body.get("data") is not None,
                    }
                except httpx.TimeoutException:
                    rij = {"status": "timeout", "bytes": 0, "codes": [], "data": False}
                rij["ms"] = (time.perf_counter() - t) * 1000
                harness.wacht_op_rust(s.pid, 300)  # what the server still does after a client timeout
                rij.update(
                    rss_voor=rss0,
                    rss_na=rss_mb(s.pid),
                    piek=hwm_mb(s.pid),
                    statements=statements(Relay.verschil(relay.lees(), r0)),
                )
                rijen.append(rij)
            uit["soorten"][v.naam] = rijen
            harness.log(
                f"before {v.naam}: "
                + "; ".join(
                    f"{x['status']} {x['ms']:.0f} ms {x['bytes']:,} B {x['codes']} stmts {x['statements']} "
                    f"rss {x['rss_voor']:.0f}->{x['rss_na']:.0f} MB"
                    for x in rijen
                )
            )
        uit["rss_eind"] = rss_mb(s.pid)
    finally:
        s.stop()
        relay.stop()
        subprocess.run(["git", "-C", str(ROOT), "worktree", "remove", "--force", str(boom)], capture_output=True)
        subprocess.run(["git", "-C", str(ROOT), "worktree", "prune"], capture_output=True)
        shutil.rmtree(map_, ignore_errors=True)
    return uit


# --- RESULTS.md ------------------------------------------------------------------------------------


def sectie(
    opdracht: str,
    info: dict[str, str],
    eind_load: str,
    meta: dict[str, str],
    invoer: dict[str, Any],
    args: argparse.Namespace,
    rondes: list[dict[str, Any]],
    voor: dict[str, Any] | None,
    vijandig: list[Soort],
    gewoon: list[Soort],
    duur: float,
) -> str:
    r = [KOP, ""]
    r.append(
        "Written by `bench/vijandig.py` (by hand, not part of the test suite); rerun with the command below. "
        "The machine is shared (other sessions' tests run beside it): latencies are noisy, the load "
        "average is given at the start and the end.\n"
    )
    r.append(f"- Command: `{opdracht}`")
    r.append(f"- Date: {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}; the run took {duur / 60:.0f} min")
    r.append(
        f"- Machine: {info['nproc']} cores ({info['cpu']}), {info['geheugen']} memory, Linux {info['kernel']}, "
        f"Python {info['python']}; load average {info['load']} at the start, {eind_load} at the end"
    )
    r.append(
        f"- Tree: commit {info['commit']}; data set `{genereer.db_naam(args.url)}`: {int(meta['in_register']):,} "
        f"teachers, today {meta['vandaag']}"
    )
    r.append(
        f"- Server: one process, one worker (`lerarenregister serve`, demo mode, REGISTER_DEMO_DATA=false, "
        f"limits at their defaults), warmed with 20 of each normal request. Board: {invoer['bestuur']} "
        f"({invoer['bestuur_n']} current staff); DUO's 100 registernummers exist."
    )
    r.append(
        f"- Client: on the same machine, bare HTTP/1.1 keep-alive connections (asyncio; the request's bytes "
        f"made once, the answer read by its Content-Length, so the client takes little of the two cores). In "
        f"a row: {args.n} requests one after another on one connection. Burst: {args.n // args.gelijktijdig} "
        f"waves of {args.gelijktijdig} requests sent at once on {args.gelijktijdig} connections opened "
        f"before timing (latency then includes waiting behind the rest of the wave: one worker). Latency is "
        f"the client's, request written to answer read. Server CPU: utime+stime of the server process per "
        f"request."
    )
    r.append(
        "- No SQL: the server reaches PostgreSQL only through a relay started by the bench, which counts "
        "the frontend protocol's messages the server sends (statements = Query + Execute messages). "
        "Second witness: pg_stat_database (xact_commit + xact_rollback, tup_returned) of the bench "
        "database, read from another database after waiting 11.5 s for PostgreSQL to flush its "
        "statistics.\n"
    )
    for i, ronde in enumerate(rondes, 1):
        r.append(f"### Refused{'' if len(rondes) == 1 else f', run {i}'}\n")
        if i == 1:
            r.append(
                "† the requests of the issue's \"Why\"; the others are the tests' (tests/test_limieten.py) and "
                "the body limits' edges. DUO's 2 MiB row is sent a few times only, after the bursts, so that "
                "its memory is not counted against the others.\n"
            )
        r.append(
            "| request | role | expected | in a row p50 / p99 / max ms | server CPU ms/req | "
            f"burst of {args.gelijktijdig}: p50 / p99 / max ms | req/s | answers as expected | answer bytes | "
            "RSS after 10 / after the row, MB |"
        )
        r.append("| --- | --- | --- | --- | ---: | --- | ---: | ---: | ---: | ---: |")
        for v in vijandig:
            a, b = ronde["vijandig"][v.naam]["na_elkaar"], ronde["vijandig"][v.naam]["burst"]
            b = b or {"n": 0, "fout": 0}
            goed = a["n"] - a["fout"] + b["n"] - b["fout"]
            r.append(
                f"| {v.naam} | {v.rol} | {v.code}"
                + (f" (HTTP {v.status})" if v.status != 200 else "")
                + f" | {a['p50']:.1f} / {a['p99']:.1f} / {a['max']:.1f}"
                + (f" ({a['n']} in a row)" if v.keer else "")
                + f" | {a['server_cpu_ms']:.2f} | "
                + (f"{b['p50']:.1f} / {b['p99']:.1f} / {b['max']:.1f} | {b['per_s']:.0f}" if b["n"] else "— | —")
                + f" | {goed}/{a['n'] + b['n']} | {a['bytes']:,} | {a['rss_na_tien']:.1f} / {a['rss_na']:.1f} |"
            )
        r.append("\n**Normal requests, the same number, for contrast**\n")
        r.append(
            "| request | role | in a row p50 / p99 / max ms | server CPU ms/req | "
            f"burst of {args.gelijktijdig}: p50 / p99 / max ms | req/s | answer bytes |"
        )
        r.append("| --- | --- | --- | ---: | --- | ---: | ---: |")
        for g in gewoon:
            a, b = ronde["gewoon"][g.naam]["na_elkaar"], ronde["gewoon"][g.naam]["burst"]
            r.append(
                f"| {g.naam} | {g.rol} | {a['p50']:.1f} / {a['p99']:.1f} / {a['max']:.1f} | "
                f"{a['server_cpu_ms']:.2f} | {b['p50']:.1f} / {b['p99']:.1f} / {b['max']:.1f} | "
                f"{b['per_s']:.0f} | {a['bytes']:,} |"
            )
        rv, rg = ronde["relay_vijandig"], ronde["relay_gewoon"]
        sv, sg = ronde["stat_vijandig"], ronde["stat_gewoon"]
        rs = ronde["rss"]
        r.append("")
        r.append(
            f"**Statements.** Hostile phase ({ronde['verzoeken_vijandig']:,} requests): "
            f"**{statements(rv)} statements, {rv.get('bytes_naar_pg', 0):,} bytes and "
            f"{rv.get('verbindingen', 0)} new connections** from the server to PostgreSQL (relay); "
            f"pg_stat_database: {sv['xact_commit'] + sv['xact_rollback']} transactions, "
            f"{sv['tup_returned']:,} tuples returned. Normal phase ({ronde['verzoeken_gewoon']:,} requests), "
            f"counted the same way: {statements(rg):,} statements, {rg.get('bytes_naar_pg', 0):,} bytes "
            f"(relay); {sg['xact_commit'] + sg['xact_rollback']:,} transactions, {sg['tup_returned']:,} "
            "tuples returned (pg_stat_database).\n"
        )
        enkele = [v for v in vijandig if v.keer]
        r.append(
            f"**Memory** (VmRSS of the server, peak VmHWM reset before each phase): {rs['na_opwarmen']:.1f} MB "
            f"after the warm-up; {rs['na_vijandig_na_elkaar']:.1f} MB after the hostile requests in a row "
            f"(peak {rs['piek_na_elkaar']:.1f}); {rs['na_vijandig_burst']:.1f} MB after the bursts (peak "
            f"{rs['piek_burst']:.1f})"
            + "".join(
                f"; {ronde['vijandig'][v.naam]['na_elkaar']['rss_na']:.1f} MB after {v.naam} (peak "
                f"{rs['piek_enkele']:.1f}, run last for that reason)"
                for v in enkele
            )
            + f"; {rs['na_gewoon']:.1f} MB after the normal requests.\n"
        )
    if voor:
        r.append(f"### Before: commit {voor['commit']} (main before the limits)\n")
        r.append(
            f"The same requests that only read, against a server of that commit (temporary git worktree, "
            f"removed afterwards), each sent {args.voor_keer} times one after another (timeout "
            f"{args.voor_timeout:.0f} s; after each, the bench waits until the server's CPU stands still). "
            f"RSS after the warm-up: {voor['rss_na_opwarmen']:.0f} MB, at the end: {voor['rss_eind']:.0f} MB. "
            "Left out: the 2,000 aliases and the first: 100 walk (minutes each, going on in the server after "
            "the client gives up) and the name correction (it would write into the data set; the issue "
            "shows it is accepted).\n"
        )
        r.append(
            "| request | HTTP | codes | ms (each) | answer bytes | statements (each) | RSS before → after, MB (peak) |"
        )
        r.append("| --- | --- | --- | --- | ---: | --- | --- |")
        for naam, rijen in voor["soorten"].items():
            uitkomst = (["data"] if rijen[0]["data"] else []) + sorted({c for x in rijen for c in x["codes"] if c})
            r.append(
                f"| {naam} | {', '.join(sorted({str(x['status']) for x in rijen}))} | "
                f"{' + '.join(uitkomst) or '—'} | "
                f"{' / '.join(format(x['ms'], ',.0f') for x in rijen)} | {rijen[-1]['bytes']:,} | "
                f"{' / '.join(str(x['statements']) for x in rijen)} | "
                f"{rijen[0]['rss_voor']:.0f} → {rijen[-1]['rss_na']:.0f} "
                f"({max(x['piek'] for x in rijen):.0f}) |"
            )
        r.append("")
    return "\n".join(r) + "\n"


def schrijf(pad: Path, tekst: str) -> None:
    """Replaces the section if it is there, else appends it."""
    oud = pad.read_text() if pad.exists() else ""
    if KOP in oud:
        begin = oud.index(KOP)
        volgende = oud.find("\n## ", begin + len(KOP))
        oud = oud[:begin].rstrip("\n") + ("\n\n" + oud[volgende + 1 :] if volgende >= 0 else "")
    pad.write_text(oud.rstrip("\n") + "\n\n" + tekst)


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["--relay"]:
        relay_main(int(argv[1]), argv[2], int(argv[3]))
        return
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--url", default=STANDAARD_URL, help="the bench database (an lr_bench* name)")
    ap.add_argument("--leraren", type=int, default=100_000, help="teachers in the data set (default 100,000)")
    ap.add_argument("-n", type=int, default=200, help="requests of each kind, in a row and in bursts (default 200)")
    ap.add_argument("--gelijktijdig", type=int, default=50, help="concurrent requests per burst (default 50)")
    ap.add_argument("--rondes", type=int, default=1, help="runs of the refusals (default 1)")
    ap.add_argument("--zonder-voor", action="store_true", help=f"leave out the server of {VOOR_COMMIT}")
    ap.add_argument("--voor-keer", type=int, default=3, help="times each request is sent before (default 3)")
    ap.add_argument("--voor-timeout", type=float, default=60.0, help="client timeout before, s (default 60)")
    ap.add_argument("--uitvoer", default=str(BENCH / "RESULTS.md"))
    args = ap.parse_args(argv)
    genereer.controleer_bench_naam(args.url)
    begin = time.time()
    info = harness.machine()
    opdracht = " ".join([".venv/bin/python bench/vijandig.py"] + argv)
    harness.log(f"machine: {info}")
    harness.LOGS.mkdir(exist_ok=True)

    meta = harness.db_bestaat(args.url)
    if meta is None or int(meta.get("leraren", -1)) != args.leraren or int(meta["in_register"]) != args.leraren:
        harness.log(f"generating {args.leraren:,} teachers into {genereer.db_naam(args.url)}")
        subprocess.run(
            [sys.executable, str(BENCH / "genereer.py"), args.url, "--leraren", str(args.leraren)], check=True
        )
        meta = harness.db_bestaat(args.url)
    assert meta is not None
    vandaag = dt.date.fromisoformat(meta["vandaag"])
    invoer = kies(args.url, vandaag)

    os.environ["REGISTER_DEMO_DIR"] = str(harness.DEMO_DIR)
    os.environ["REGISTER_DEMO"] = "true"
    for k in [k for k in os.environ if k.startswith("REGISTER_OIDC_")]:
        del os.environ[k]
    from lerarenregister.auth.demo import maak_token
    from lerarenregister.settings import Settings

    st = Settings()
    tokens = {
        "bestuur": maak_token(st, "schoolbestuur", bevoegd_gezag=invoer["bestuur"]),
        "duo": maak_token(st, "duo"),
        "leraar": maak_token(st, "leraar", bsn=genereer.bsn_van(invoer["leraar"])),
    }
    vijandig, gewoon = soorten(invoer, tokens)

    rondes = []
    for ronde in range(1, args.rondes + 1):
        harness.log(f"ours, run {ronde}")
        uit = meet_ons(args.url, vandaag.isoformat(), vijandig, gewoon, args.n, args.gelijktijdig, ronde)
        for naam, x in uit["vijandig"].items():
            a, b = x["na_elkaar"], x["burst"] or {"p50": 0, "p99": 0, "max": 0, "fout": 0, "voorbeeld_fout": []}
            harness.log(
                f"{naam:52s} row p50 {a['p50']:6.1f} p99 {a['p99']:6.1f} max {a['max']:6.1f} ms "
                f"cpu {a['server_cpu_ms']:.2f} rss {a['rss_na']:.1f} | burst p50 {b['p50']:6.1f} p99 "
                f"{b['p99']:6.1f} max {b['max']:6.1f} | wrong {a['fout'] + b['fout']} "
                f"{a['voorbeeld_fout'] or b['voorbeeld_fout']}"
            )
        for naam, x in uit["gewoon"].items():
            a, b = x["na_elkaar"], x["burst"]
            harness.log(
                f"{naam:52s} row p50 {a['p50']:6.1f} p99 {a['p99']:6.1f} max {a['max']:6.1f} ms "
                f"cpu {a['server_cpu_ms']:.2f} | burst p50 {b['p50']:6.1f} p99 {b['p99']:6.1f} max {b['max']:6.1f}"
            )
        harness.log(
            f"relay hostile {uit['relay_vijandig']} (until the stat read {uit['relay_vijandig_tot_stat']}), "
            f"normal {uit['relay_gewoon']}; pg_stat hostile {uit['stat_vijandig']}, normal {uit['stat_gewoon']}"
        )
        harness.log(f"rss {uit['rss']}")
        rondes.append(uit)

    voor = None
    if not args.zonder_voor:
        harness.log(f"before: {VOOR_COMMIT}")
        voor = meet_voor(args.url, vandaag.isoformat(), vijandig, gewoon, args.voor_keer, args.voor_timeout)

    eind_load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    duur = time.time() - begin
    (harness.LOGS / "vijandig.json").write_text(
        json.dumps(
            {
                "machine": info,
                "eind_load": eind_load,
                "meta": meta,
                "invoer": {**invoer, "honderd": len(invoer["honderd"])},
                "rondes": rondes,
                "voor": voor,
            },
            indent=1,
            default=str,
        )
    )
    schrijf(
        Path(args.uitvoer), sectie(opdracht, info, eind_load, meta, invoer, args, rondes, voor, vijandig, gewoon, duur)
    )
    harness.log(f"wrote {args.uitvoer} in {duur:.0f} s")


if __name__ == "__main__":
    main()
