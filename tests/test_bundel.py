"""Lookups that arrive together go as one statement (schema/bundel.py).

The grouping itself is tested with a `vraag` of the test's own that holds each statement out until
the test lets it return, so that who waits for whom is decided by the test and not by timing; what
it returns is a pure function of the keys. The real thing (the lookup's statement on PostgreSQL,
through the app) is at the end: concurrent lookups, fewer statements, each answer its own."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from conftest import VANDAAG, Api, Sleutels, leeg
from test_gecompileerd import REGISTERED, _register

from lerarenregister.schema.bundel import Bundel


class Statements:
    """A `vraag` whose statements stay out until `laat(i)`; rows for keys starting with 'x' do not exist."""

    def __init__(self) -> None:
        self.gevraagd: list[list[str]] = []
        self._klaar: list[asyncio.Event] = []
        self.fout: list[BaseException | None] = []

    async def __call__(self, pool: Any, sleutels: list[str]) -> list[dict[str, str]]:
        self.gevraagd.append(sorted(sleutels))
        klaar = asyncio.Event()
        self._klaar.append(klaar)
        self.fout.append(None)
        i = len(self._klaar) - 1
        await klaar.wait()
        fout = self.fout[i]
        if fout is not None:
            raise fout
        return [{"nr": s, "pool": pool.naam} for s in reversed(sleutels) if not s.startswith("x")]

    def laat(self, i: int, fout: BaseException | None = None) -> None:
        self.fout[i] = fout
        self._klaar[i].set()


class Storing(Exception):
    """A statement's failure (not asyncio's TimeoutError: that is what `_af` raises for a lost task)."""


class _Pool:
    """What a Bundel keys its waiting on (the real one is a Leesverbindingen)."""

    def __init__(self, naam: str) -> None:
        self.naam = naam


P, PRIMAIR, REPLICA = _Pool("p"), _Pool("primair"), _Pool("replica")


async def _af(taak: Any) -> Any:
    """A task's outcome, or a failed test (not a hung one) when the grouping lost it."""
    return await asyncio.wait_for(taak, 1)


async def _draai() -> None:
    for _ in range(5):  # enough turns of the loop for every task to reach its next wait
        await asyncio.sleep(0)


@pytest.fixture
def st() -> Statements:
    return Statements()


async def _een_uit_en_wachtend(st: Statements, *sleutels: str) -> tuple[Bundel, Any, list[Any]]:
    """A Bundel whose first lookup ("a") has its statement out, and lookups of `sleutels` waiting for it."""
    b = Bundel(st, "nr")
    eerste = asyncio.create_task(b.haal(P, "a"))
    await _draai()
    wachtend = [asyncio.create_task(b.haal(P, k)) for k in sleutels]
    await _draai()
    return b, eerste, wachtend


async def test_alleen_gaat_meteen_en_wie_tijdens_een_statement_komt_gaat_samen(st):
    b = Bundel(st, "nr")
    eerste = asyncio.create_task(b.haal(P, "a"))
    await _draai()
    assert st.gevraagd == [["a"]]  # alone: sent at once, nobody waited for
    later = [asyncio.create_task(b.haal(P, k)) for k in ("c", "b", "x1", "b")]
    await _draai()
    assert st.gevraagd == [["a"]]  # they wait while the first statement is out
    st.laat(0)
    assert (await _af(eerste))["nr"] == "a"
    await _draai()
    assert st.gevraagd == [["a"], ["b", "c", "x1"]]  # all four as one, each key once
    st.laat(1)
    uit = [await _af(t) for t in later]
    assert [None if r is None else r["nr"] for r in uit] == ["c", "b", None, "b"]
    assert (await _af(_na(b, st, "d")))["nr"] == "d"  # and alone again afterwards


async def _na(b: Bundel, st: Statements, k: str) -> Any:
    t = asyncio.create_task(b.haal(P, k))
    await _draai()
    st.laat(len(st.gevraagd) - 1)
    return await _af(t)


async def test_elke_pool_voor_zich(st):
    b = Bundel(st, "nr")
    t1 = asyncio.create_task(b.haal(PRIMAIR, "a"))
    t2 = asyncio.create_task(b.haal(REPLICA, "a"))
    await _draai()
    assert st.gevraagd == [["a"], ["a"]]  # the replica's lookup does not wait for the primary's
    st.laat(0)
    st.laat(1)
    assert ((await _af(t1))["pool"], (await _af(t2))["pool"]) == ("primair", "replica")


async def test_een_fout_treft_de_hele_groep_en_niet_de_volgende(st):
    b, eerste, groep = await _een_uit_en_wachtend(st, "b", "c")
    st.laat(0)
    await _af(eerste)
    await _draai()
    st.laat(1, Storing("canceling statement due to statement timeout"))
    for t in groep:
        with pytest.raises(Storing):
            await _af(t)
    assert (await _af(_na(b, st, "d")))["nr"] == "d"


async def test_afgebroken_wachter_wordt_overgeslagen(st):
    _, eerste, (weg, blijft) = await _een_uit_en_wachtend(st, "b", "c")
    weg.cancel()
    await _draai()
    st.laat(0)
    await _af(eerste)
    await _draai()
    st.laat(1)
    assert (await _af(blijft))["nr"] == "c"
    assert weg.cancelled()


async def test_afgebroken_verzender_geeft_zijn_groep_door(st):
    """The task sending a group's statement is cancelled while it is out: the others' keys go with
    the next statement, sent by one of them, and nobody waits for ever."""
    _, eerste, (tweede, derde) = await _een_uit_en_wachtend(st, "b", "c")  # tweede sends the second group
    st.laat(0)
    await _af(eerste)
    await _draai()
    assert st.gevraagd[1] == ["b", "c"]
    tweede.cancel()
    await _draai()
    assert st.gevraagd[2] == ["c"]  # the one left sends its own key again
    st.laat(2)
    assert (await _af(derde))["nr"] == "c"
    assert tweede.cancelled()


async def test_afgebroken_op_zijn_beurt_geeft_de_beurt_door(st):
    """A waiter told to send, cancelled before it ran: the next waiter sends instead."""
    _, eerste, (tweede, derde) = await _een_uit_en_wachtend(st, "b", "c")
    st.laat(0)
    await asyncio.sleep(0)  # the first returns and gives the turn to the second, which has not run yet
    tweede.cancel()
    await _draai()
    await _af(eerste)
    assert st.gevraagd[1:] == [["c"]]
    st.laat(1)
    assert (await _af(derde))["nr"] == "c"
    assert tweede.cancelled()


@pytest.fixture
async def pg_api(database_urls: dict[str, str], sleutels: Sleutels) -> AsyncIterator[Api]:
    """The compiled path is PostgreSQL's (on SQLite the executor answers lookups, one by one)."""
    await leeg(database_urls["postgres"])
    async with Api("postgres", database_urls["postgres"], sleutels, VANDAAG) as api:
        yield api


async def test_gelijktijdige_opzoekingen_in_een_statement(pg_api):
    """On PostgreSQL through the app: 40 public lookups at once (teachers, one outside the public
    register, an unknown number, a number with spaces, every one twice) are fewer statements than
    lookups, and each answer is the one it gets alone; a hostile key among them harms no other."""
    api = pg_api
    nummers = await _register(api)
    vragen = [*nummers.values(), "0000000000", f"  {nummers['visser']} "] * 2
    vragen = (vragen * (40 // len(vragen) + 1))[:40]
    alleen = {n: await api.ok(REGISTERED["leraar"], {"registernummer": n}) for n in set(vragen)}
    with api.tel() as t:
        samen = await asyncio.gather(*(api.ok(REGISTERED["leraar"], {"registernummer": n}) for n in vragen))
    assert samen == [alleen[n] for n in vragen]
    assert 1 <= t.aantal < len(vragen)
    assert {a["leraar"] is None for a in samen} == {True, False}
    # Hostile keys among them poison nobody's group: refused alone (a NUL) or simply not found (long).
    vijandig = ["1\u0000", "9" * 5000]
    uit = await asyncio.gather(
        *(api.gql(REGISTERED["leraar"], {"registernummer": n}) for n in [*vijandig, *vragen[:10]])
    )
    assert uit[0]["data"] is None and uit[0]["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
    assert uit[1] == {"data": {"leraar": None}}
    assert [u["data"] for u in uit[2:]] == [alleen[n] for n in vragen[:10]]
