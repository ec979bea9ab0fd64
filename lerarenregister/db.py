"""Engines, sessions and migrations for both stores."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlalchemy.pool import NullPool

PACKAGE = Path(__file__).resolve().parent
LOCK_TIMEOUT_MS = 2000  # see apart()


def alembic_config(url: str | None = None) -> Config:
    """Alembic's config, found from the package so the command works from any directory."""
    cfg = Config()
    cfg.set_main_option("script_location", str(PACKAGE / "migrations"))
    if url:
        cfg.attributes["url"] = url
    return cfg


def migrate(url: str) -> None:
    """Create or upgrade the schema at url (synchronous; call it outside an event loop)."""
    _maak_sqlite_map(url)
    command.upgrade(alembic_config(url), "head")


def _maak_sqlite_map(url: str) -> None:
    """An SQLite file may be named in a folder that does not exist yet: make the folder."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite" and parsed.database and parsed.database != ":memory:":
        Path(parsed.database).expanduser().parent.mkdir(parents=True, exist_ok=True)


def _sqlite_pragmas(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def make_engine(url: str, echo: bool = False) -> AsyncEngine:
    if url.startswith("sqlite"):
        engine = create_async_engine(url, echo=echo)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    # JIT compilation pays off for long analytical queries, not for ours: on a large table the
    # planner's estimates switch it on and it adds hundreds of milliseconds to a page of results.
    # A connection per concurrent request kept open: a new one costs a server process and
    # re-preparing every statement, which showed as the slow tail under 16 concurrent requests.
    return create_async_engine(url, echo=echo, pool_size=20, max_overflow=10,
                               connect_args={"server_settings": {"jit": "off"}})


@lru_cache(maxsize=8)
def apart(url: URL) -> AsyncEngine:
    """An engine without a pool, for the few writes that must commit apart from the request's own
    transaction while the request holds its pooled connection. A second connection from that same
    pool deadlocks under load: once every pooled connection is held by a request waiting for its
    second, none comes back (30 parallel voluntary-register logins froze a worker for the pool's
    timeout). Callers bound how many they open at once. A row the request itself has locked would
    make such a write wait for ever: PostgreSQL gives up after LOCK_TIMEOUT_MS (SQLite after its
    busy timeout), and the caller decides what that means."""
    if url.get_backend_name() == "sqlite":
        engine = create_async_engine(url, poolclass=NullPool)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    return create_async_engine(url, poolclass=NullPool,
                               connect_args={"server_settings": {"jit": "off", "lock_timeout": str(LOCK_TIMEOUT_MS)}})


def make_sessionmaker(engine: AsyncEngine) -> async_sessionmaker:
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)
