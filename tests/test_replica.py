"""The read replica (issue 11, point 5; API.md "Production", "Operations"), with real parts only: a
throw-away primary and a real streaming replica of it (`pg_basebackup -R`, its own port), both made
here by tests/clusters.py, and the register in-process over HTTP.

Who served what is read from each server's own pg_stat_statements (loaded on both clusters), before
and after: public search (compiled path, executor, GET with its ETag's data version) appears on the
replica and not on the primary; deliveries, confirmations, authenticated reads and the access log
appear on the primary and not on the replica; a write reaches public search once the replica has
replayed it; with the replica stopped every answer is still right, from the primary, and no 5xx.

Replication is asynchronous, so "visible there" is polled with a generous bound, never timed. When
the clusters cannot be made the tests fail, never skip.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import asyncpg
import pytest
from clusters import Cluster, maak_database, vrije_poort
from conftest import VANDAAG, Api, Sleutels
from gegevens import benoeming, bevestig, bsn, klaarzetten, levering
from pydantic import ValidationError

from lerarenregister.db import migrate
from lerarenregister.settings import ConfigError, Settings

OPTIES = (
    "-c wal_level=replica -c max_wal_senders=5 -c hot_standby=on -c hot_standby_feedback=on "
    "-c shared_preload_libraries=pg_stat_statements"
)
ZOEK_DOCUMENT = (
    (Path(__file__).resolve().parent.parent / "lerarenregister" / "documenten" / "zoek_leraren.graphql")
    .read_text()
    .strip()
)  # a registered text: the compiled path
ZOEK_UITGEVOERD = '{ zoekLeraren(zoekterm: "vries", first: 5) { totalCount edges { node { registernummer } } } }'
IK = "{ ik { registernummer registratie { status } } }"
STAF = (
    "query Personeel { mijnSchoolbestuur { medewerkers { edges { node { registernummer registratie { status } } } } } }"
)
BESTUUR = "41207"
ZICHTBAAR_BINNEN = 30.0  # seconds for the replica to replay a write: generous, it is milliseconds when idle
PAUZE = 2.0  # REGISTER_DATABASE_READ_PAUSE_SECONDS in these tests


class Paar:
    def __init__(self, primary: Cluster, replica: Cluster):
        self.primary = primary
        self.replica = replica


@pytest.fixture(scope="module")
def paar() -> Iterator[Paar]:
    primary = Cluster(prefix="lr-primary-", opties=OPTIES)
    replica = Cluster(prefix="lr-replica-", opties=OPTIES)
    try:
        primary.maak()
        primary.start()
        asyncio.run(maak_database(primary.poort))
        migrate(primary.url)
        asyncio.run(_sql(primary.dsn, "CREATE EXTENSION pg_stat_statements"))
        replica.maak_standby_van(primary)
        replica.start()
        assert asyncio.run(_sql(replica.dsn, "SELECT pg_is_in_recovery()")) is True
    except Exception as exc:  # fail, never skip: this is the proof of point 5
        primary.weg()
        replica.weg()
        pytest.fail(f"could not create a throw-away primary and its streaming replica: {exc}")
    yield Paar(primary, replica)
    replica.weg()
    primary.weg()


async def _sql(dsn: str, sql: str) -> Any:
    verbinding = await asyncpg.connect(dsn, timeout=10)
    try:
        return await verbinding.fetchval(sql)
    finally:
        await verbinding.close()


async def _statistiek(dsn: str) -> dict[str, int]:
    """Calls per statement text in the register's database, as this server counted them."""
    verbinding = await asyncpg.connect(dsn, timeout=10)
    try:
        rijen = await verbinding.fetch(
            "SELECT s.query, sum(s.calls)::bigint AS calls FROM pg_stat_statements s "
            "JOIN pg_database d ON d.oid = s.dbid WHERE d.datname = 'register' "
            "AND s.query NOT ILIKE '%pg_stat_statements%' GROUP BY s.query"
        )
        return {r["query"]: r["calls"] for r in rijen}
    finally:
        await verbinding.close()


class Meting:
    """What each server ran between entering and leaving: `m.replica("leraar")` is the number of
    statement calls on the replica whose text names `leraar` (or `data_versie`, `inzagelog`, ...)."""

    def __init__(self, paar: Paar):
        self.paar = paar
        self._voor: dict[str, dict[str, int]] = {}
        self._na: dict[str, dict[str, int]] = {}

    async def __aenter__(self) -> Meting:
        self._voor = {
            "primary": await _statistiek(self.paar.primary.dsn),
            "replica": await _statistiek(self.paar.replica.dsn) if self.paar.replica.draait() else {},
        }
        return self

    async def __aexit__(self, *_: Any) -> None:
        self._na = {
            "primary": await _statistiek(self.paar.primary.dsn),
            "replica": await _statistiek(self.paar.replica.dsn) if self.paar.replica.draait() else {},
        }

    def _calls(self, server: str, woord: str) -> int:
        voor, na = self._voor[server], self._na[server]
        return sum(n - voor.get(q, 0) for q, n in na.items() if woord.lower() in q.lower())

    def primary(self, woord: str) -> int:
        return self._calls("primary", woord)

    def replica(self, woord: str) -> int:
        return self._calls("replica", woord)


@pytest.fixture
async def register(paar: Paar, sleutels: Sleutels) -> AsyncIterator[Api]:
    if not paar.replica.draait():
        paar.replica.start()
    async with Api(
        "postgres",
        paar.primary.url,
        sleutels,
        VANDAAG,
        database_read_url=paar.replica.url,
        database_read_pause_seconds=PAUZE,
        limiet_publiek="uit",
    ) as api:
        yield api


async def _zoek_alle_paden(api: Api, term: str = "vries") -> list[int]:
    """totalCount of a public search by each anonymous path: the compiled document, the executor,
    and GET (ETag from the data version) followed by its revalidation (304)."""
    uit = []
    for query, variabelen in ((ZOEK_DOCUMENT, {"zoekterm": term}), (ZOEK_UITGEVOERD.replace("vries", term), {})):
        r = await api.post(query, variabelen)
        assert r.status_code == 200 and "errors" not in r.json(), r.text
        uit.append(r.json()["data"]["zoekLeraren"]["totalCount"])
    assert api.client is not None
    r = await api.client.get("/graphql", params={"query": ZOEK_UITGEVOERD.replace("vries", term)})
    assert r.status_code == 200 and "errors" not in r.json(), r.text
    assert r.headers["cache-control"].startswith("public") and r.headers["etag"]
    uit.append(r.json()["data"]["zoekLeraren"]["totalCount"])
    r304 = await api.client.get(
        "/graphql",
        params={"query": ZOEK_UITGEVOERD.replace("vries", term)},
        headers={"If-None-Match": r.headers["etag"]},
    )
    assert r304.status_code == 304, r304.text
    return uit


async def _etag(api: Api, term: str) -> str:
    assert api.client is not None
    r = await api.client.get("/graphql", params={"query": ZOEK_UITGEVOERD.replace("vries", term)})
    assert r.status_code == 200, r.text
    return r.headers["etag"]


async def _tot_zichtbaar(api: Api, term: str, aantal: int) -> None:
    """Poll public search (served by the replica) until it finds `aantal` teachers for `term`."""
    grens = time.monotonic() + ZICHTBAAR_BINNEN
    while True:
        r = await api.post(ZOEK_UITGEVOERD.replace("vries", term))
        assert r.status_code == 200 and "errors" not in r.json(), r.text
        if r.json()["data"]["zoekLeraren"]["totalCount"] == aantal:
            return
        assert time.monotonic() < grens, f"the replica did not show the write within {ZICHTBAAR_BINNEN} s"
        await asyncio.sleep(0.1)


async def test_publiek_op_replica_schrijven_en_aangemeld_op_primary(paar: Paar, register: Api) -> None:
    api = register
    # A write: DUO's delivery and the teacher's confirmation, on the primary.
    async with Meting(paar) as schrijven:
        await klaarzetten(api, [levering(bsn(1), benoemingen=[benoeming(BESTUUR)])])
        await bevestig(api, bsn(1))
    assert schrijven.primary("INSERT INTO leraar") >= 1 and schrijven.replica("leraar") == 0
    await _tot_zichtbaar(api, "vries", 1)

    # Public search by every anonymous path: on the replica, data version included; nothing on the primary.
    async with Meting(paar) as publiek:
        assert await _zoek_alle_paden(api) == [1, 1, 1]
    assert publiek.replica("leraar") >= 3 and publiek.replica("data_versie") >= 1, publiek._na["replica"]
    assert publiek.primary("leraar") == 0 and publiek.primary("data_versie") == 0, publiek._na["primary"]

    # Another write reaches the replica, and the public ETag (the replica's data version) moves with it.
    voor = await _etag(api, "jansen")
    async with Meting(paar) as schrijven:
        await klaarzetten(api, [levering(bsn(2), achternaam="Jansen", tussenvoegsel=None)])
        await bevestig(api, bsn(2))
    assert schrijven.primary("INSERT INTO leraar") >= 1 and schrijven.replica("leraar") == 0
    await _tot_zichtbaar(api, "jansen", 1)
    await asyncio.sleep(1.1)  # past the one-second cache of the data version
    assert await _etag(api, "jansen") != voor

    # Authenticated reads, and the access log they write, on the primary only.
    async with Meting(paar) as aangemeld:
        ik = await api.ok(IK, token=api.sleutels.leraar(bsn(1)))
        assert ik["ik"]["registratie"]["status"] == "GEREGISTREERD", ik
        staf = await api.ok(STAF, token=api.sleutels.bestuur(BESTUUR))
        assert len(staf["mijnSchoolbestuur"]["medewerkers"]["edges"]) == 1, staf
    assert aangemeld.primary("leraar") >= 2 and aangemeld.primary("INSERT INTO inzagelog") >= 1
    assert aangemeld.replica("leraar") == 0 and aangemeld.replica("inzagelog") == 0
    assert api.app.state.staat["replica"].uitgevallen == 0


async def test_replica_gestopt_primary_antwoordt(paar: Paar, register: Api) -> None:
    api = register
    replica = api.app.state.staat["replica"]
    await klaarzetten(api, [levering(bsn(4), achternaam="Visser", tussenvoegsel=None)])
    await bevestig(api, bsn(4))
    await _tot_zichtbaar(api, "visser", 1)
    await asyncio.to_thread(paar.replica.stop)

    # Every anonymous path answers right, from the primary. Each path meets the replica down once (the
    # executor's as an answer of 503, the compiled path's and the data version's as an exception), then
    # the pause passes so that the next path tries the replica again.
    assert api.client is not None
    paden = [
        lambda: api.post(ZOEK_UITGEVOERD.replace("vries", "visser")),
        lambda: api.post(ZOEK_DOCUMENT, {"zoekterm": "visser"}),
        lambda: api.client.get("/graphql", params={"query": ZOEK_UITGEVOERD.replace("vries", "visser")}),
    ]
    async with Meting(paar) as uitval:
        for pad in paden:
            voor = replica.uitgevallen
            r = await pad()
            assert r.status_code == 200 and "errors" not in r.json(), r.text
            assert r.json()["data"]["zoekLeraren"]["totalCount"] == 1
            assert replica.uitgevallen == voor + 1
            await asyncio.sleep(PAUZE + 0.1)
        begin = time.monotonic()
        antwoorden = await asyncio.gather(*(api.post(ZOEK_DOCUMENT, {"zoekterm": "visser"}) for _ in range(20)))
        verstreken = time.monotonic() - begin
    assert all(r.status_code == 200 and r.json()["data"]["zoekLeraren"]["totalCount"] == 1 for r in antwoorden)
    assert uitval.primary("leraar") >= 23 and uitval.primary("data_versie") >= 1
    # The failure is remembered for the pause: not every request tries the replica (and pays for it).
    assert 4 <= replica.uitgevallen <= 5 + int(verstreken / PAUZE), (replica.uitgevallen, verstreken)

    # Writes and authenticated reads are not affected by the replica at all.
    await klaarzetten(api, [levering(bsn(3), achternaam="Bakker", tussenvoegsel=None)])
    await bevestig(api, bsn(3))
    r = await api.post(ZOEK_UITGEVOERD.replace("vries", "bakker"))
    assert r.status_code == 200 and r.json()["data"]["zoekLeraren"]["totalCount"] == 1, r.text

    # The replica back: after the pause anonymous reads go to it again (once it has replayed).
    await asyncio.to_thread(paar.replica.start)
    await asyncio.sleep(PAUZE + 0.2)
    grens = time.monotonic() + ZICHTBAAR_BINNEN
    while True:
        async with Meting(paar) as terug:
            r = await api.post(ZOEK_DOCUMENT, {"zoekterm": "bakker"})
        assert r.status_code == 200 and "errors" not in r.json(), r.text
        if terug.replica("leraar") >= 1 and r.json()["data"]["zoekLeraren"]["totalCount"] == 1:
            break
        assert time.monotonic() < grens, "public reads did not return to the replica"
        await asyncio.sleep(0.2)
    assert terug.primary("leraar") == 0


async def test_replica_onbereikbaar_bij_start(paar: Paar, sleutels: Sleutels) -> None:
    """A replica that is not there when the register starts does not stop the start; the primary answers."""
    weg = f"postgresql+asyncpg://postgres@127.0.0.1:{vrije_poort()}/register"
    async with Api("postgres", paar.primary.url, sleutels, VANDAAG, database_read_url=weg, limiet_publiek="uit") as api:
        for _ in range(2):
            r = await api.post(ZOEK_DOCUMENT, {"zoekterm": "vries"})
            assert r.status_code == 200 and "errors" not in r.json(), r.text
            r = await api.post(ZOEK_UITGEVOERD)
            assert r.status_code == 200 and "errors" not in r.json(), r.text
        assert api.app.state.staat["replica"].uitgevallen >= 1


def test_replica_instellingen() -> None:
    s = Settings(database_url="postgresql://p@h/db", database_read_url="postgresql://r@h/db")
    assert s.database_read_url == "postgresql+asyncpg://r@h/db"
    assert Settings(database_read_url="").database_read_url is None
    with pytest.raises(ValidationError):
        Settings(database_read_url="sqlite:///replica.sqlite3")
    with pytest.raises(ConfigError, match="REGISTER_DATABASE_URL must be PostgreSQL"):
        Settings(demo=True, database_read_url="postgresql://r@h/db").check({})
