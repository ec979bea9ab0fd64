"""The compiled path's read connections (schema/gecompileerd.py's search page and lookup, the row
path's `ik`): plain asyncpg connections, one request at a time each, at most `max_size` open.

Why not asyncpg's own Pool: its `release` runs the connection's return in a task of its own behind
`asyncio.shield` (so that a cancelled request still gives its connection back), and waiting for that
task costs a turn of the event loop per request: about 40 µs of server CPU on a public lookup that
takes 150 µs in all (bench, 2026-12-01). These connections send single statements outside any
transaction and keep no session state, so giving one back is a list append, with nothing to await
and nothing a cancellation could interrupt.

What a connection that went wrong becomes: after a PostgreSQL error (a statement cut off by the
read timeout, say) it is as good as before and is kept; after anything else (a cancelled request
in the middle of a statement, a broken socket, PostgreSQL restarting) it is closed and a later
request opens a new one. A connection the server closed while it sat idle is noticed by asyncpg
without a round trip (`is_closed`) and replaced when it is drawn.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import asyncpg


class Leesverbindingen:
    """The compiled path's connections: `acquire()` as asyncpg's Pool has it, `get_size`,
    `get_idle_size` and `close` for the metrics and the shutdown."""

    def __init__(self, verbind: Callable[[], Awaitable[Any]], max_size: int, luisteraars: list[Any] | None = None):
        self._verbind = verbind
        self._luisteraars = luisteraars if luisteraars is not None else []
        self._vrij: list[Any] = []  # open and idle, the most recently used last
        self._open: set[Any] = set()
        self._plaatsen = asyncio.Semaphore(max_size)  # a request beyond max_size waits for a connection
        self._gesloten = False

    def get_size(self) -> int:
        return len(self._open)

    def get_idle_size(self) -> int:
        return len(self._vrij)

    @contextlib.asynccontextmanager
    async def acquire(self) -> AsyncIterator[Any]:
        if self._gesloten:
            raise asyncpg.InterfaceError("the compiled path's connections are closed")
        async with self._plaatsen:
            verbinding = None
            while self._vrij:
                kandidaat = self._vrij.pop()
                if not kandidaat.is_closed():
                    verbinding = kandidaat
                    break
                self._open.discard(kandidaat)
            if verbinding is None:
                verbinding = await self._verbind()
                self._open.add(verbinding)
            goed = True
            try:
                yield verbinding
            except asyncpg.PostgresError:
                raise  # the server answered: the connection is as good as before
            except BaseException:
                goed = False
                raise
            finally:
                self._terug(verbinding, goed)
                if self._luisteraars:
                    # asyncpg tells its query loggers (the test suite's statement counter) on the
                    # loop's next turn; the request must not end before they have heard. Never in
                    # production: nobody listens there.
                    await asyncio.sleep(0)

    def _terug(self, verbinding: Any, goed: bool) -> None:
        if goed and not self._gesloten and not verbinding.is_closed() and not verbinding.is_in_transaction():
            self._vrij.append(verbinding)
            return
        self._open.discard(verbinding)
        if not verbinding.is_closed():
            verbinding.terminate()  # no round trip: a cancelled statement's connection is in no state to talk

    async def close(self) -> None:
        """Close every connection; one still in use is closed when its request gives it back."""
        self._gesloten = True
        vrij, self._vrij = self._vrij, []
        for verbinding in vrij:
            self._open.discard(verbinding)
        await asyncio.gather(*(v.close() for v in vrij), return_exceptions=True)
