"""Faults of the database as codes a client can act on (API.md, "Production").

Two faults are not the register's bugs and must not read as INTERNAL_SERVER_ERROR with a trace:

- `TIMEOUT`: a read statement ran past `REGISTER_STATEMENT_TIMEOUT_MS` and the database cancelled it
  (PostgreSQL's query_canceled, SQLite's interrupt from db.py's progress handler). Asking again may
  help; asking something smaller will.
- `SERVICE_UNAVAILABLE`: the database cannot be reached or dropped the connection (restarting,
  shutting down, a network fault, the pool exhausted), or rolled the statement back for a conflict
  of the moment (a replica's recovery conflict, a deadlock). HTTP 503 with `Retry-After`: the
  server reconnects by itself once the database is back, and asking again will do.

The exception comes wrapped by SQLAlchemy, by asyncpg's pool or by graphql-core; the chain is walked.
"""

from __future__ import annotations

import errno
import logging
import socket
from collections.abc import Iterable
from typing import Any

import orjson
from starlette.responses import Response

log = logging.getLogger("lerarenregister.storingen")

TIMEOUT = "TIMEOUT"
SERVICE_UNAVAILABLE = "SERVICE_UNAVAILABLE"

BERICHTEN = {
    TIMEOUT: "the database took too long to answer; ask for less or try again",
    SERVICE_UNAVAILABLE: "the register's database is unavailable; try again shortly",
}
RETRY_AFTER_SECONDEN = 2

# SQLSTATE: query_canceled (statement_timeout); connection exceptions (class 08), admin_shutdown,
# crash_shutdown, cannot_connect_now (starting up, shutting down), too_many_connections; and the
# transaction rollbacks that say "try again": serialization_failure (on a streaming replica this is a
# read cancelled by a recovery conflict: the replay of a vacuum or a lock on the primary) and
# deadlock_detected (a write chosen as the victim: rolled back, nothing of it written). For a client
# these are a fault of the moment, not of its request: 503 with Retry-After; an anonymous read that
# met one on the replica runs again on the primary (replica.py).
_SQLSTATE_TIMEOUT = {"57014"}
_SQLSTATE_WEG = {"57P01", "57P02", "57P03", "53300", "40001", "40P01"}
_NETWERK_ERRNOS = {
    errno.ECONNREFUSED,
    errno.ECONNRESET,
    errno.ECONNABORTED,
    errno.EHOSTUNREACH,
    errno.ENETUNREACH,
    errno.ETIMEDOUT,
    errno.EPIPE,
}


def _keten(exc: BaseException | None) -> list[BaseException]:
    """The exception and what it wraps: SQLAlchemy's `orig`, `__cause__`, `__context__`, GraphQL's
    `original_error`; bounded, since a chain may loop."""
    gezien: list[BaseException] = []
    while exc is not None and len(gezien) < 12 and all(exc is not g for g in gezien):
        gezien.append(exc)
        exc = getattr(exc, "original_error", None) or getattr(exc, "orig", None) or exc.__cause__ or exc.__context__
    return gezien


def _code_van(exc: BaseException) -> str | None:
    from sqlalchemy import exc as sa_exc

    sqlstate = getattr(exc, "sqlstate", None) or getattr(exc, "pgcode", None)
    if sqlstate in _SQLSTATE_TIMEOUT or getattr(exc, "sqlite_errorname", None) == "SQLITE_INTERRUPT":
        return TIMEOUT
    if isinstance(sqlstate, str) and (sqlstate.startswith("08") or sqlstate in _SQLSTATE_WEG):
        return SERVICE_UNAVAILABLE
    if isinstance(exc, sa_exc.DBAPIError) and exc.connection_invalidated:
        return SERVICE_UNAVAILABLE
    if isinstance(exc, sa_exc.TimeoutError):  # no pooled connection came free in time
        return SERVICE_UNAVAILABLE
    if isinstance(exc, sa_exc.PendingRollbackError) and exc.code == "8s2b":
        # "Can't reconnect until invalid transaction is rolled back": a statement of this transaction
        # met the connection gone and SQLAlchemy invalidated it; the commit in graphql.py's `finally`
        # then fails with this instead, and the disconnect it hides is not in its chain (raised in
        # another greenlet). Not "7s2a", the session's own rollback after a failed flush: a bug.
        return SERVICE_UNAVAILABLE
    if type(exc).__name__ in ("ConnectionDoesNotExistError", "ConnectionFailureError") or (
        type(exc).__name__ == "InterfaceError" and "connection is closed" in str(exc)
    ):
        return SERVICE_UNAVAILABLE  # asyncpg: the server went away under a connection
    if type(exc).__name__ == "InternalClientError" and "another operation (2)" in str(exc):
        # asyncpg, on a pooled connection whose server sent its last word (PostgreSQL stopping:
        # "terminating connection") while the connection was idle: the protocol is still consuming
        # that error when the next statement starts, just before the socket closes.
        return SERVICE_UNAVAILABLE
    if isinstance(exc, (ConnectionError, TimeoutError, socket.gaierror)):
        return SERVICE_UNAVAILABLE  # refused, reset, or the connect timeout (db.py) ran out
    # asyncio reports a refused connect to several addresses (localhost: ::1 and 127.0.0.1) as one
    # OSError without errno.
    if isinstance(exc, OSError) and (exc.errno in _NETWERK_ERRNOS or str(exc).startswith("Multiple exceptions")):
        return SERVICE_UNAVAILABLE
    return None


def storingscode(exc: BaseException | None) -> str | None:
    """Is this failure the database's (TIMEOUT, SERVICE_UNAVAILABLE) rather than the register's?"""
    for deel in _keten(exc):
        code = _code_van(deel)
        if code is not None:
            return code
    return None


def meld(code: str, exc: BaseException) -> None:
    """One short line per fault, no trace: the cause is outside the register's code."""
    oorzaak = next((d for d in reversed(_keten(exc)) if _code_van(d)), exc)
    log.warning("%s: %s: %s", code, type(oorzaak).__name__, str(oorzaak).splitlines()[0][:200] if str(oorzaak) else "")


def storingsfout(code: str, **extra: Any) -> dict[str, Any]:
    """The error object a client gets for a fault."""
    return {"message": BERICHTEN[code], **extra, "extensions": {"code": code}}


def storingsantwoord(exc: BaseException) -> Response | None:
    """A whole request that failed on the database: 503 (unavailable) or 200 (timeout) with the
    code; None when the failure is something else (then it is masked as an internal error)."""
    code = storingscode(exc)
    if code is None:
        return None
    meld(code, exc)
    return Response(
        orjson.dumps({"data": None, "errors": [storingsfout(code)]}),
        media_type="application/json",
        **status_en_koppen(code),
    )


def ergste_storing(fouten: Iterable[dict[str, Any]]) -> str | None:
    """The fault among a response's errors that decides its status: SERVICE_UNAVAILABLE before
    TIMEOUT; None when there is neither."""
    codes = {f.get("extensions", {}).get("code") for f in fouten}
    return SERVICE_UNAVAILABLE if SERVICE_UNAVAILABLE in codes else TIMEOUT if TIMEOUT in codes else None


def status_en_koppen(code: str | None, request_id: str | None = None) -> dict[str, Any]:
    """The HTTP status of an answer whose worst fault is `code`, and its headers (never cached)."""
    koppen = {"Cache-Control": "no-store"} | ({"X-Request-ID": request_id} if request_id else {})
    if code == SERVICE_UNAVAILABLE:
        return {"status_code": 503, "headers": {"Retry-After": str(RETRY_AFTER_SECONDEN), **koppen}}
    return {"status_code": 200, "headers": koppen}
