"""Engines, sessions and migrations for both stores."""

from __future__ import annotations

import logging
import time
from functools import lru_cache
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import event, exc
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker, create_async_engine
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool
from sqlalchemy.util import await_only

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


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def make_engine(
    url: str, echo: bool = False, statement_timeout_ms: int = 0, connect_timeout_seconds: float = 0
) -> AsyncEngine:
    """An engine for `url`. `statement_timeout_ms` bounds every statement of its connections except
    those in a transaction of an `unbounded` sessionmaker (writes); 0 bounds nothing.
    `connect_timeout_seconds` (PostgreSQL; 0: the driver's 60 s) is how long a request may wait for a
    database that does not answer before it fails with SERVICE_UNAVAILABLE."""
    if url.startswith("sqlite"):
        # aiosqlite logs every statement with its parameters at DEBUG: names, birth dates, texts. No
        # log of ours may hold personal data, whatever level an operator sets for the root logger.
        logging.getLogger("aiosqlite").setLevel(logging.INFO)
        engine = create_async_engine(url, echo=echo, hide_parameters=True)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        if statement_timeout_ms > 0:
            _sqlite_statement_timeout(engine, statement_timeout_ms)
        return engine
    # JIT compilation pays off for long analytical queries, not for ours: on a large table the
    # planner's estimates switch it on and it adds hundreds of milliseconds to a page of results.
    # A connection per concurrent request kept open: a new one costs a server process and
    # re-preparing every statement, which showed as the slow tail under 16 concurrent requests.
    engine = create_async_engine(
        url,
        echo=echo,
        hide_parameters=True,
        pool_size=20,
        max_overflow=10,
        connect_args=pg_connect_args(statement_timeout_ms, connect_timeout_seconds),
    )
    event.listen(engine.sync_engine, "checkout", _weg_als_gesloten)
    return engine


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
        engine = create_async_engine(url, poolclass=NullPool, hide_parameters=True)
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        return engine
    return create_async_engine(
        url,
        poolclass=NullPool,
        hide_parameters=True,
        connect_args={"server_settings": {"jit": "off", "lock_timeout": str(LOCK_TIMEOUT_MS)}},
    )


def pg_connect_args(statement_timeout_ms: int = 0, connect_timeout_seconds: float = 0) -> dict[str, Any]:
    """asyncpg's connect arguments, for the engine's pool and the compiled path's alike. The timeout
    is a server setting of the connection, so a read costs no extra round trip for it."""
    instellingen = {"jit": "off"}
    if statement_timeout_ms > 0:
        instellingen["statement_timeout"] = str(statement_timeout_ms)
    args: dict[str, Any] = {"server_settings": instellingen}
    if connect_timeout_seconds > 0:
        args["timeout"] = connect_timeout_seconds
    return args


def _weg_als_gesloten(dbapi_conn: Any, _record: Any, _proxy: Any) -> None:
    """A pooled connection the server closed (PostgreSQL restarted) is replaced at checkout rather
    than failing the request that drew it. asyncpg notices the closed socket by itself, so asking it
    costs no round trip, unlike SQLAlchemy's pre-ping (a SELECT per checkout). A connection dropped
    without a word is caught by the first statement that fails on it; SQLAlchemy then invalidates
    the whole pool."""
    verbinding = getattr(dbapi_conn, "driver_connection", None)
    if verbinding is not None and verbinding.is_closed():
        raise exc.DisconnectionError("the server closed this connection")


class _OnbegrensdeSessie(Session):
    """A session whose transactions are not bounded by the engine's statement timeout: deliveries
    and the assessment may take minutes, and a write cut off halfway is rolled back whole."""


@event.listens_for(_OnbegrensdeSessie, "after_begin")
def _zonder_statement_timeout(_session: Any, _transaction: Any, connection: Any) -> None:
    if connection.dialect.name == "postgresql":
        # SET LOCAL: for this transaction only; the pooled connection keeps its bound for reads.
        connection.exec_driver_sql("SET LOCAL statement_timeout = 0")
    # SQLite: its deadline is set per statement, on the read path only (below).


def make_sessionmaker(engine: AsyncEngine, unbounded: bool = False) -> async_sessionmaker[AsyncSession]:
    if unbounded:
        return async_sessionmaker(
            engine, expire_on_commit=False, autoflush=False, sync_session_class=_OnbegrensdeSessie
        )
    return async_sessionmaker(engine, expire_on_commit=False, autoflush=False)


# --- SQLite: the same bound on reads, by a progress handler -----------------------------------------
# SQLite has no statement timeout. Its progress handler runs every N virtual-machine steps of a
# statement (in aiosqlite's thread) and interrupts the statement when it returns true: sqlite3 then
# raises "interrupted" (SQLITE_INTERRUPT), which storingen.py reads as TIMEOUT. Only statements on
# AUTOCOMMIT connections (the read path, server.py's lees_engine) get a deadline. In WAL mode readers
# never wait for a lock, so time spent is time computing, which the handler sees.
_SQLITE_DEADLINE = "lerarenregister_deadline"
_SQLITE_STAPPEN = 10_000  # about a tenth of a millisecond of work between two looks at the clock


def _sqlite_statement_timeout(engine: AsyncEngine, statement_timeout_ms: int) -> None:
    seconden = statement_timeout_ms / 1000

    def bij_verbinden(dbapi_conn: Any, record: Any) -> None:
        info = record.info

        def te_laat() -> bool:
            deadline = info.get(_SQLITE_DEADLINE)
            return deadline is not None and time.monotonic() > deadline

        await_only(dbapi_conn.driver_connection.set_progress_handler(te_laat, _SQLITE_STAPPEN))

    def voor_statement(conn: Any, *_args: Any) -> None:
        if conn.get_execution_options().get("isolation_level") == "AUTOCOMMIT":
            conn.info[_SQLITE_DEADLINE] = time.monotonic() + seconden
        else:
            conn.info.pop(_SQLITE_DEADLINE, None)

    event.listen(engine.sync_engine, "connect", bij_verbinden)
    event.listen(engine.sync_engine, "before_cursor_execute", voor_statement)
