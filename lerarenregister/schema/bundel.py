"""Public lookups that arrive together, asked of PostgreSQL as one statement.

A public lookup by registernummer is one tiny indexed statement; at saturation most of what it costs
is the round trip itself: asyncpg's execute, a socket write and read on each side, the backend's
protocol work. So lookups do not each send their own while one is out: the first goes at once (a
lookup alone never waits for company), those that arrive while its statement is out wait for it to
come back and then go together, as one `= ANY($1)` statement, sent by the first of them. Under a
steady load this makes groups of about as many lookups as arrive in one round trip.

Sharing a statement shares nothing else: the compiled path answers the anonymous public only, a
lookup's answer depends on its registernummer alone (the same public row for everyone who asks),
and every waiter gets the row of its own key, or None. A statement that fails (the read timeout,
PostgreSQL gone) fails every lookup in it, each answered with its code as if it had asked alone.

Cancellation never strands the others: a waiter cancelled before its turn is skipped; one cancelled
on its turn, or while its group's statement is out, hands the turn and its group's keys on.
"""

from __future__ import annotations

import asyncio
import weakref
from collections.abc import Awaitable, Callable, Hashable
from typing import Any

_BEURT = object()  # a waiter's result that means: the statement is yours to send


class _Staat:
    """One pool's lookups: whether a statement is out (or a waiter has been told to send the next),
    and who waits for the next one, in order of arrival."""

    __slots__ = ("lopend", "wachtend")

    def __init__(self) -> None:
        self.lopend = False
        self.wachtend: list[tuple[Hashable, asyncio.Future[Any]]] = []


class Bundel:
    """`haal(pool, sleutel)`: the row of `sleutel`, or None, from `vraag(pool, sleutels)`, which
    returns the rows of any number of keys (in any order), each row's key under `kolom`."""

    def __init__(self, vraag: Callable[[Any, list[Any]], Awaitable[list[Any]]], kolom: str):
        self._vraag = vraag
        self._kolom = kolom
        self._staten: weakref.WeakKeyDictionary[Any, _Staat] = weakref.WeakKeyDictionary()
        # The pool asked last and its state: a WeakKeyDictionary's get is Python code (a new weak
        # reference each time); a server asks of one pool (two with a replica). Held weakly too.
        self._laatste: tuple[Callable[[], Any], _Staat] = (lambda: _BEURT, _Staat())  # no pool yet

    def _staat(self, pool: Any) -> _Staat:
        staat = self._staten.get(pool)
        if staat is None:
            staat = self._staten[pool] = _Staat()
        self._laatste = (weakref.ref(pool), staat)
        return staat

    async def haal(self, pool: Any, sleutel: Hashable) -> Any:
        ref, staat = self._laatste
        if ref() is not pool:
            staat = self._staat(pool)
        eigen: asyncio.Future[Any] = asyncio.get_running_loop().create_future()
        staat.wachtend.append((sleutel, eigen))
        if staat.lopend:
            try:
                uitkomst = await eigen
            except BaseException:
                if _is_beurt(eigen):  # told to send, then cancelled before it could: the next one sends
                    staat.wachtend = [w for w in staat.wachtend if w[1] is not eigen]
                    staat.lopend = False
                    _geef_beurt(staat)
                raise
            if uitkomst is not _BEURT:
                return uitkomst
        staat.lopend = True
        groep, staat.wachtend = staat.wachtend, []
        try:
            rijen = await self._vraag(pool, list({s for s, _ in groep}))
        except Exception as exc:
            for _, f in groep:
                if f is not eigen and not f.done():
                    f.set_exception(exc)
            raise
        except BaseException:  # this task cancelled: its group's other keys go with the next statement
            staat.wachtend[:0] = [w for w in groep if w[1] is not eigen and not w[1].done()]
            raise
        finally:
            staat.lopend = False
            _geef_beurt(staat)
        per_sleutel = {r[self._kolom]: r for r in rijen}
        for s, f in groep:
            if f is not eigen and not f.done():
                f.set_result(per_sleutel.get(s))
        return per_sleutel.get(sleutel)


def _is_beurt(f: asyncio.Future[Any]) -> bool:
    return f.done() and not f.cancelled() and f.exception() is None and f.result() is _BEURT


def _geef_beurt(staat: _Staat) -> None:
    """The first waiter still waiting sends the next statement; the others keep waiting for it."""
    while staat.wachtend:
        f = staat.wachtend[0][1]
        if f.done():  # cancelled while it waited
            staat.wachtend.pop(0)
            continue
        staat.lopend = True  # until that waiter runs: a lookup arriving meanwhile joins its group
        f.set_result(_BEURT)
        return
