"""Faults, with real parts only (issue 9, point 4): a throw-away PostgreSQL cluster this module creates
(tests/clusters.py: initdb, on a free port, never the shared one), the register as a real `lerarenregister serve`
process, and real HTTP.

- A read that runs past REGISTER_STATEMENT_TIMEOUT_MS is TIMEOUT (null at the field, the coded
  error), on the compiled path and the executor's; a write is not bounded.
- PostgreSQL stopped under load: requests fail fast with 503 SERVICE_UNAVAILABLE (no hang, no
  INTERNAL_SERVER_ERROR, no trace); PostgreSQL started again: the same server answers again by itself.
- SIGTERM during a slow request: the request finishes with 200, then the process exits with 0.

Slowness is made with a lock another connection holds, so nothing depends on the machine's speed;
durations are checked only against loose upper bounds (the machines are shared). When the cluster
cannot be made the tests fail, never skip.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import asyncpg
import httpx
import pytest
from clusters import Cluster
from clusters import maak_database as _maak_database
from clusters import vrije_poort as _vrije_poort
from conftest import AUDIENCE, ISSUER, PG_ADMIN, SECRET, Api, Sleutels
from gegevens import KLAARZETTEN, bsn, levering
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError, PendingRollbackError
from sqlalchemy.ext.asyncio import create_async_engine

from lerarenregister.db import make_engine, make_sessionmaker, migrate
from lerarenregister.resolvers.verzoek import Db
from lerarenregister.storingen import storingsantwoord, storingscode

CLI = str(Path(sys.executable).with_name("lerarenregister"))
ZOEK_DOCUMENT = (
    (Path(__file__).resolve().parent.parent / "lerarenregister" / "documenten" / "zoek_leraren.graphql")
    .read_text()
    .strip()
)  # a registered text: the compiled path
LERAAR_DOCUMENT = (
    (Path(__file__).resolve().parent.parent / "lerarenregister" / "documenten" / "leraar.graphql").read_text().strip()
)
LERAAR_UITGEVOERD = '{ leraar(registernummer: "100000000") { registernummer } }'
ZOEK_UITGEVOERD = '{ zoekLeraren(zoekterm: "vries", first: 5) { totalCount edges { node { registernummer } } } }'
SNEL = 10.0  # seconds: "fails fast" and "answers" both mean well within this, on a busy shared machine


@pytest.fixture(scope="module")
def cluster() -> Iterator[Cluster]:
    c = Cluster(prefix="lr-storingen-")
    try:
        c.maak()
        c.start()
        asyncio.run(_maak_database(c.poort))
        migrate(c.url)
    except Exception as exc:  # fail, never skip: these tests are the proof of point 4
        c.weg()
        pytest.fail(f"could not create a throw-away PostgreSQL cluster: {exc}")
    yield c
    c.weg()


class Register:
    """`lerarenregister serve` in a process of its own against the cluster; its log in a file (a
    pipe nobody reads would fill up under load and stall the server)."""

    def __init__(self, cluster: Cluster, sleutels: Sleutels, map_: Path, **instellingen: str):
        self.sleutels = sleutels
        self.poort = _vrije_poort()
        self.basis = f"http://127.0.0.1:{self.poort}"
        self.log = map_ / f"register-{self.poort}.log"
        env = {k: v for k, v in os.environ.items() if not k.startswith("REGISTER_")}
        env.update(
            {
                "REGISTER_DATABASE_URL": cluster.url,
                "REGISTER_OIDC_ISSUER": ISSUER,
                "REGISTER_OIDC_AUDIENCE": AUDIENCE,
                "REGISTER_OIDC_JWKS": str(sleutels.jwks_pad),
                "REGISTER_SECRET_KEY": SECRET,
                "REGISTER_VANDAAG": "2026-11-28",
                # Hundreds of requests a second from one address are the load of this test, not abuse.
                "REGISTER_LIMIET_PUBLIEK": "uit",
                **instellingen,
            }
        )
        with open(self.log, "wb") as uit:
            self.proces = subprocess.Popen(
                [CLI, "serve", "--port", str(self.poort)], env=env, stdout=uit, stderr=subprocess.STDOUT, cwd=map_
            )
        for _ in range(600):
            if self.proces.poll() is not None:
                pytest.fail(f"the server exited at start: {self.uitvoer()}")
            try:
                if httpx.get(f"{self.basis}/health", timeout=1).status_code == 200:
                    return
            except httpx.HTTPError:
                time.sleep(0.1)
        self.proces.kill()
        pytest.fail(f"the server did not come up: {self.uitvoer()}")

    def uitvoer(self) -> str:
        return self.log.read_text(errors="replace")

    def klant(self) -> httpx.AsyncClient:
        # A bounded wait per request: a hang shows as a failed test, not as a stuck run.
        return httpx.AsyncClient(base_url=self.basis, timeout=httpx.Timeout(30.0, connect=5.0))

    def stop(self) -> None:
        if self.proces.poll() is None:
            self.proces.terminate()
            try:
                self.proces.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proces.kill()
                self.proces.wait()


@pytest.fixture
def register(cluster: Cluster, sleutels: Sleutels, tmp_path: Path) -> Iterator[Any]:
    """`register(**REGISTER_settings)` starts a server; every one started is stopped at the end."""
    if not cluster.draait():
        cluster.start()
    gestart: list[Register] = []

    def start(**instellingen: str) -> Register:
        r = Register(cluster, sleutels, tmp_path, **instellingen)
        gestart.append(r)
        return r

    yield start
    for r in gestart:
        r.stop()


def _codes(body: dict[str, Any]) -> list[str]:
    return [e.get("extensions", {}).get("code") for e in body.get("errors", [])]


async def _lever(klant: httpx.AsyncClient, sleutels: Sleutels, n: int) -> httpx.Response:
    return await klant.post(
        "/graphql",
        json={"query": KLAARZETTEN, "variables": {"leveringen": [levering(bsn(n))]}},
        headers={"Authorization": f"Bearer {sleutels.duo()}"},
    )


async def _zoek(klant: httpx.AsyncClient, query: str = ZOEK_DOCUMENT) -> httpx.Response:
    return await klant.post("/graphql", json={"query": query, "variables": {"zoekterm": "vries"}})


class _Slot:
    """An ACCESS EXCLUSIVE lock on `leraar`, held by a connection of the test's own: every statement
    that reads teachers waits for it, as long as the test wants."""

    def __init__(self, cluster: Cluster):
        self.cluster = cluster
        self.verbinding: Any = None

    async def __aenter__(self) -> _Slot:
        self.verbinding = await asyncpg.connect(self.cluster.dsn)
        await self.verbinding.execute("BEGIN; LOCK TABLE leraar IN ACCESS EXCLUSIVE MODE")
        return self

    async def los(self) -> None:
        if self.verbinding is not None and not self.verbinding.is_closed():
            await self.verbinding.execute("ROLLBACK")
            await self.verbinding.close()

    async def __aexit__(self, *_: Any) -> None:
        await self.los()

    async def wachtenden(self) -> int:
        """Backends of the register waiting for this lock."""
        return await self.verbinding.fetchval(
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND pid <> pg_backend_pid()"
        )


async def test_lange_lezing_is_timeout_schrijven_niet(cluster: Cluster, register: Any, sleutels: Sleutels) -> None:
    server = register(REGISTER_STATEMENT_TIMEOUT_MS="300")
    async with server.klant() as klant:
        assert (await _lever(klant, sleutels, 901)).json()["data"]["zetGegevensKlaar"]["nieuw"] == 1
        async with _Slot(cluster) as slot:
            # A write waits for the lock as long as it takes: five times the read bound, and on.
            levering_ = asyncio.create_task(_lever(klant, sleutels, 902))
            # The compiled path and the executor; `leraar` may be null, `zoekLeraren` may not (so the
            # null reaches `data`, as GraphQL has it).
            for query, variabelen, data in (
                (LERAAR_DOCUMENT, {"registernummer": "100000000"}, {"leraar": None}),
                (LERAAR_UITGEVOERD, {}, {"leraar": None}),
                (ZOEK_DOCUMENT, {"zoekterm": "vries"}, None),
                (ZOEK_UITGEVOERD, {}, None),
            ):
                begin = time.monotonic()
                r = await klant.post("/graphql", json={"query": query, "variables": variabelen})
                assert time.monotonic() - begin < SNEL
                assert r.status_code == 200, r.text
                body = r.json()
                assert body["data"] == data and _codes(body) == ["TIMEOUT"], body
                assert body["errors"][0]["path"] == [next(iter(data or {"zoekLeraren": 0}))]
                assert "correlationId" not in body["errors"][0]["extensions"]
                assert r.headers["cache-control"] == "no-store"
            r = await klant.get("/graphql", params={"query": ZOEK_UITGEVOERD})  # a public GET: not cached
            assert _codes(r.json()) == ["TIMEOUT"] and "public" not in r.headers["cache-control"]
            await asyncio.sleep(1.5)
            assert not levering_.done(), "the write was cut off by the read timeout"
            await slot.los()
            r = await asyncio.wait_for(levering_, SNEL)
        assert r.status_code == 200 and "errors" not in r.json(), r.text
        assert r.json()["data"]["zetGegevensKlaar"]["nieuw"] == 1
        for query in (ZOEK_DOCUMENT, ZOEK_UITGEVOERD):  # the bound cost the pooled connections nothing
            r = await _zoek(klant, query)
            assert r.status_code == 200 and "errors" not in r.json(), r.text
    uitvoer = server.uitvoer()
    assert "Traceback" not in uitvoer and "TIMEOUT" in uitvoer


async def test_sigterm_laat_lopend_verzoek_afmaken(cluster: Cluster, register: Any, sleutels: Sleutels) -> None:
    server = register(REGISTER_STATEMENT_TIMEOUT_MS="30000")
    async with server.klant() as klant:
        assert (await _lever(klant, sleutels, 911)).status_code == 200
        async with _Slot(cluster) as slot:
            verzoek = asyncio.create_task(_zoek(klant, ZOEK_UITGEVOERD))
            for _ in range(100):  # until the request is in flight, waiting on the lock in PostgreSQL
                if await slot.wachtenden():
                    break
                await asyncio.sleep(0.1)
            else:
                pytest.fail("the request never reached the database")
            server.proces.send_signal(signal.SIGTERM)
            await asyncio.sleep(1.0)
            assert server.proces.poll() is None, "the server did not wait for its request in flight"
            with pytest.raises(httpx.ConnectError):  # draining: no new connections taken
                httpx.get(f"{server.basis}/health", timeout=2)
            await slot.los()
            r = await asyncio.wait_for(verzoek, SNEL)
    assert r.status_code == 200, r.text
    assert "errors" not in r.json() and r.json()["data"]["zoekLeraren"]["totalCount"] >= 0, r.text
    rc = await asyncio.to_thread(server.proces.wait, SNEL)
    uitvoer = server.uitvoer()
    assert rc == 0, uitvoer
    # The lifespan's end (closing the pools) ran after the drain.
    assert "Application shutdown complete" in uitvoer and "Traceback" not in uitvoer


async def test_postgresql_herstart_onder_belasting(cluster: Cluster, register: Any, sleutels: Sleutels) -> None:
    server = register()
    uitkomsten: list[tuple[str, float, float, int, list[str]]] = []  # phase, start, duration, status, codes
    fase = {"naam": "voor"}
    stoppen = asyncio.Event()
    teller = iter(range(10_000))

    async def verzoek(klant: httpx.AsyncClient, soort: int) -> httpx.Response:
        if soort == 0:
            return await _zoek(klant, ZOEK_DOCUMENT)  # compiled path, asyncpg pool
        if soort == 1:
            return await _zoek(klant, ZOEK_UITGEVOERD)  # executor, SQLAlchemy's read engine
        if soort == 2:
            return await klant.get("/graphql", params={"query": ZOEK_UITGEVOERD})  # data version + executor
        return await _lever(klant, sleutels, 1000 + next(teller) % 50)  # a write, unbounded

    async def werker(klant: httpx.AsyncClient, soort: int) -> None:
        while not stoppen.is_set():
            begin = time.monotonic()
            r = await verzoek(klant, soort)
            try:
                codes = _codes(r.json())
            except ValueError:
                codes = [f"not JSON: {r.text[:100]}"]
            uitkomsten.append((fase["naam"], begin, time.monotonic() - begin, r.status_code, codes))
            await asyncio.sleep(0.02)

    async with server.klant() as klant:
        werkers = [asyncio.create_task(werker(klant, i % 4)) for i in range(8)]
        await asyncio.sleep(1.5)
        fase["naam"] = "stoppen"
        await asyncio.to_thread(cluster.stop)
        gestopt = time.monotonic()
        fase["naam"] = "weg"
        await asyncio.sleep(2.0)
        fase["naam"] = "starten"
        await asyncio.to_thread(cluster.start)
        gestart = time.monotonic()
        fase["naam"] = "terug"
        hersteld = None
        while time.monotonic() - gestart < 30 and hersteld is None:
            await asyncio.sleep(0.1)
            goed = [u for u in uitkomsten if u[1] > gestart and u[3] == 200 and not u[4]]
            if len(goed) >= 4:
                hersteld = min(u[1] + u[2] for u in goed)
        assert hersteld is not None, "the server did not answer again after PostgreSQL came back"
        fase["naam"] = "na"
        na_herstel = time.monotonic()
        await asyncio.sleep(1.5)
        stoppen.set()
        werkers_klaar = await asyncio.wait_for(asyncio.gather(*werkers, return_exceptions=True), 60)

    assert not [w for w in werkers_klaar if isinstance(w, BaseException)], werkers_klaar  # no hang, no drop
    per_fase = {f: [u for u in uitkomsten if u[0] == f] for f in ("voor", "weg", "na")}
    assert per_fase["voor"] and all(u[3] == 200 and not u[4] for u in per_fase["voor"]), per_fase["voor"][:5]
    # While PostgreSQL is down: every request answers soon, with 503 and the code.
    weg = [u for u in uitkomsten if u[1] > gestopt and u[1] + u[2] < gestart - 0.1]
    assert len(weg) >= 8, weg
    assert all(u[3] == 503 and u[4] == ["SERVICE_UNAVAILABLE"] for u in weg), weg[:5]
    assert max(u[2] for u in weg) < SNEL
    # Around the stop and the start: either a good answer or the same clear refusal, never a 500.
    anders = [
        u
        for u in uitkomsten
        if not ((u[3] == 200 and not u[4]) or (u[3] == 503 and set(u[4]) == {"SERVICE_UNAVAILABLE"}))
    ]
    if anders:
        pytest.fail(f"{len(anders)} answers neither good nor 503: {anders[:5]}\n{server.uitvoer()[-8000:]}")
    # Back: recovered within seconds, and from then on every answer is good, on every path.
    assert hersteld - gestart < SNEL
    na = [u for u in uitkomsten if u[1] > na_herstel]
    assert len(na) >= 8 and all(u[3] == 200 and not u[4] for u in na), [u for u in na if u[3] != 200][:5]
    assert server.proces.poll() is None, "the server died"
    uitvoer = server.uitvoer()
    assert "Traceback" not in uitvoer and "INTERNAL_SERVER_ERROR" not in uitvoer and "internal error" not in uitvoer
    print(
        f"\nPostgreSQL down {gestart - gestopt:.1f} s: {len(weg)} requests, 503 in at most "
        f"{max(u[2] for u in weg) * 1000:.0f} ms (median {sorted(u[2] for u in weg)[len(weg) // 2] * 1000:.0f} ms);"
        f" first good answer {hersteld - gestart:.2f} s after PostgreSQL was back, "
        f"{sum(1 for u in uitkomsten if u[1] > gestart and u[3] != 200)} refused after it; {len(uitkomsten)} in all"
    )


async def test_herstart_terwijl_stil_kost_geen_verzoek(cluster: Cluster, register: Any, sleutels: Sleutels) -> None:
    """PostgreSQL restarted while no request ran: the pooled connections it closed are replaced at
    the next checkout, so the first request after it already succeeds, on every path."""
    server = register()
    async with server.klant() as klant:
        soorten = [
            lambda: _zoek(klant, ZOEK_DOCUMENT),
            lambda: _zoek(klant, ZOEK_UITGEVOERD),
            lambda: _lever(klant, sleutels, 921),
        ]
        for _ in range(2):  # every pool holds a few connections, as under traffic
            for r in await asyncio.gather(*(s() for s in soorten for _ in range(3))):
                assert r.status_code == 200 and "errors" not in r.json(), r.text
        await asyncio.to_thread(cluster.stop)
        await asyncio.to_thread(cluster.start)
        await asyncio.sleep(0.5)  # the closed sockets are noticed by the event loop, not by a query
        for r in await asyncio.gather(*(s() for s in soorten for _ in range(3))):
            assert r.status_code == 200 and "errors" not in r.json(), r.text


# About 0.5-1 s of work for either store: well past the bound below, short enough for a test.
_LANG = {
    "sqlite": "WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c LIMIT 3000000) SELECT count(*) FROM c",
    "postgres": "SELECT pg_sleep(0.6)",
}


@pytest.mark.instellingen(statement_timeout_ms=100)
async def test_lezen_begrensd_schrijven_niet_op_beide_stores(api: Api) -> None:
    """The rule on both stores, at the sessions the server gives its requests: a read (the AUTOCOMMIT
    `lezer`) is cut off at the bound and reads as TIMEOUT; a write transaction (`maker`) is not."""
    staat = api.app.state.staat
    with pytest.raises(DBAPIError) as fout:
        async with staat["lezer"]() as sessie:
            await sessie.execute(text(_LANG[api.store]))
    assert storingscode(fout.value) == "TIMEOUT"
    async with staat["maker"]() as sessie:
        await sessie.execute(text(_LANG[api.store]))
        await sessie.commit()
    async with staat["lezer"]() as sessie:  # the connection that was cut off is fine for the next read
        assert (await sessie.execute(text("SELECT 1"))).scalar() == 1


@pytest.mark.parametrize("sqlstate", ["40001", "40P01"])
async def test_conflict_van_het_moment_is_service_unavailable(sqlstate: str) -> None:
    """A real PostgreSQL error of each SQLSTATE (a replica's recovery conflict is 40001, a deadlock
    victim 40P01), through asyncpg and SQLAlchemy as a request meets it: SERVICE_UNAVAILABLE (503,
    ask again), which on the replica path makes the primary answer instead; never an internal error."""
    engine = create_async_engine(PG_ADMIN.replace("postgresql://", "postgresql+asyncpg://", 1))
    try:
        with pytest.raises(DBAPIError) as fout:
            async with engine.connect() as conn:
                await conn.execute(text(f"DO $$ BEGIN RAISE EXCEPTION 'conflict' USING ERRCODE = '{sqlstate}'; END $$"))
    finally:
        await engine.dispose()
    assert fout.value.orig is not None and getattr(fout.value.orig, "sqlstate", None) == sqlstate
    assert storingscode(fout.value) == "SERVICE_UNAVAILABLE"
    antwoord = storingsantwoord(fout.value)
    assert antwoord is not None and antwoord.status_code == 503 and antwoord.headers["retry-after"]


async def test_verbinding_weg_voor_de_commit_is_service_unavailable() -> None:
    """A write's statement meets its connection gone (PostgreSQL stopping), and graphql.py's `finally`
    then commits, as after a mutation that answered without errors and the data version's bump that
    follows it: the commit fails with SQLAlchemy's PendingRollbackError ("Can't reconnect until invalid
    transaction is rolled back"), whose chain holds nothing of the disconnect. It is SERVICE_UNAVAILABLE
    like the disconnect itself, not an internal error (1 run in 10 of the restart under load, above)."""
    engine = make_engine(PG_ADMIN.replace("postgresql://", "postgresql+asyncpg://", 1))
    db = Db(make_sessionmaker(engine, unbounded=True))  # a request's write transaction
    try:
        pid = (await db.execute(text("SELECT pg_backend_pid()"))).scalar_one()
        beheer = await asyncpg.connect(PG_ADMIN)
        try:
            assert await beheer.fetchval("SELECT pg_terminate_backend($1)", pid)
            for _ in range(100):  # until the backend is gone, as when PostgreSQL stops
                if not await beheer.fetchval("SELECT count(*) FROM pg_stat_activity WHERE pid = $1", pid):
                    break
                await asyncio.sleep(0.05)
        finally:
            await beheer.close()
        with pytest.raises(DBAPIError) as weg:
            await db.execute(text("SELECT 1"))
        assert weg.value.connection_invalidated and storingscode(weg.value) == "SERVICE_UNAVAILABLE"
        with pytest.raises(PendingRollbackError) as fout:
            await db.close(commit=True)
    finally:
        await engine.dispose()
    assert fout.value.code == "8s2b", fout.value
    assert storingscode(fout.value) == "SERVICE_UNAVAILABLE"
    antwoord = storingsantwoord(fout.value)
    assert antwoord is not None and antwoord.status_code == 503 and antwoord.headers["retry-after"]
    # The session's refusal after a flush that failed (code 7s2a) stays what it was: the register's bug.
    na_flush = PendingRollbackError("rolled back due to a previous exception during flush", code="7s2a")
    assert storingscode(na_flush) is None
