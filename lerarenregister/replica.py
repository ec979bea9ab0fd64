"""The read replica: REGISTER_DATABASE_READ_URL (API.md "Production", "Operations"; README, "Read replica").

Which reads go there: anonymous queries only, by the compiled public path and by the executor, and
the data version behind their ETag. Writes and every authenticated read stay on the primary: a
caller who signs in must see their own writes, and the access log of a read is written on the
request's own connection, which must be the primary's.

Lag: a public answer may lag the primary by the replication delay (on a healthy replica well under
a second; longer while it catches up). An anonymous caller has no writes of their own to miss, and
the public ETag is made from the data version read on the same replica, so an ETag never names data
newer than the answer it comes with: a proxy revalidating by ETag gets the newer answer once the
replica has replayed it. No bound on the lag is enforced; watch `pg_stat_replication.replay_lag`
on the primary.

Down: a replica that refuses a connection, does not answer a connect within
REGISTER_DATABASE_READ_CONNECT_TIMEOUT_SECONDS, or drops a connection makes the request that met it
run again on the primary (an anonymous read writes nothing, so running it twice is harmless). The
replica is then left alone for REGISTER_DATABASE_READ_PAUSE_SECONDS, so that not every request pays
the connect timeout; after the pause one anonymous read tries it again (the others meanwhile stay on
the primary), and when that succeeds they all go to it again.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Awaitable, Callable
from typing import Any

from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from .db import make_engine, make_sessionmaker
from .settings import Settings
from .storingen import SERVICE_UNAVAILABLE, storingscode

log = logging.getLogger("lerarenregister.replica")

# The compiled path's pool for a URL and a connect timeout (server.py passes schema/gecompileerd.py's).
PoolMaker = Callable[[str, float], Awaitable[Any]]


class Replica:
    """The replica's pools (the executor's engine, the compiled path's own asyncpg connections), whether it may be
    asked now, and the data version last read on it (its own cache: the primary's may be newer)."""

    def __init__(self, settings: Settings, engine: AsyncEngine, compileer_pool: Any):
        self.pauze = settings.database_read_pause_seconds
        self.engine = engine
        self.lezer: async_sessionmaker[AsyncSession] = make_sessionmaker(
            engine.execution_options(isolation_level="AUTOCOMMIT")
        )
        self.compileer_pool = compileer_pool
        self.versie: tuple[int, float] | None = None  # (data version, when read), see server.data_versie
        self._weg_tot = 0.0
        self._weg = False
        self._proef = False  # a request is trying the replica again after the pause
        self.uitgevallen = 0  # times a request fell back to the primary (tests and logs read it)

    @classmethod
    async def open(cls, settings: Settings, maak_pool: PoolMaker) -> Replica:
        """Pools that connect on first use: a replica that is down at start does not stop the start."""
        assert settings.database_read_url is not None
        url = settings.database_read_url
        timeout = settings.database_read_connect_timeout_seconds
        engine = make_engine(
            url,
            echo=settings.log_sql,
            statement_timeout_ms=settings.statement_timeout_ms,
            connect_timeout_seconds=timeout,
        )
        pool = await maak_pool(url, timeout)
        log.info("anonymous reads go to the read replica at %s", make_url(url).render_as_string(hide_password=True))
        return cls(settings, engine, pool)

    def beschikbaar(self) -> bool:
        """May this request go to the replica? Always while it answers. After a failure not during the
        pause; after it one request tries (the others stay on the primary) until one succeeds, so that
        a burst of requests does not all pay the connect timeout again. Call `klaar()` afterwards."""
        if not self._weg:
            return True
        if self._proef or time.monotonic() < self._weg_tot:
            return False
        self._proef = True
        return True

    def klaar(self) -> None:
        """The request that was given the replica is done (answered, failed over, or not a read)."""
        self._proef = False

    def is_uitval(self, exc: BaseException) -> bool:
        """Is this failure one that the primary may not have: the replica unreachable or gone?"""
        return storingscode(exc) == SERVICE_UNAVAILABLE

    def weg(self, oorzaak: str) -> None:
        """The replica failed a request: the primary answers it, and the next ones for the pause."""
        self.uitgevallen += 1
        self._proef = False
        self._weg_tot = time.monotonic() + self.pauze
        if not self._weg:  # one line per outage, not one per request
            self._weg = True
            log.warning(
                "read replica unavailable (%s): anonymous reads go to the primary; trying it again after %.0f s",
                oorzaak,
                self.pauze,
            )

    def gelukt(self) -> None:
        if self._weg:
            self._weg = False
            log.info("read replica answers again: anonymous reads go to it")

    async def close(self) -> None:
        await self.compileer_pool.close()
        await self.engine.dispose()
