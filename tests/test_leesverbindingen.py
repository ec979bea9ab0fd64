"""The compiled path's own connections (schema/leesverbindingen.py) against a real PostgreSQL: a
connection is reused, survives a PostgreSQL error, is dropped after a cancelled statement or when
the server ended it, at most `max_size` are open, and closing ends them all."""

from __future__ import annotations

import asyncio

import asyncpg
import pytest

from lerarenregister.schema.gecompileerd_sql import compileer_pool


@pytest.fixture
async def verbindingen(database_urls):
    pool = await compileer_pool(database_urls["postgres"], [])
    yield pool
    await pool.close()


async def _pid(pool) -> int:
    async with pool.acquire() as v:
        return await v.fetchval("SELECT pg_backend_pid()")


async def test_hergebruik_en_een_postgresfout_houdt_de_verbinding(verbindingen):
    eerste = await _pid(verbindingen)
    assert await _pid(verbindingen) == eerste
    with pytest.raises(asyncpg.PostgresError):
        async with verbindingen.acquire() as v:
            await v.fetchval("SELECT 1 / 0")
    assert await _pid(verbindingen) == eerste
    assert (verbindingen.get_size(), verbindingen.get_idle_size()) == (1, 1)


async def test_afgebroken_statement_kost_de_verbinding(verbindingen):
    eerste = await _pid(verbindingen)

    async def slaap() -> None:
        async with verbindingen.acquire() as v:
            await v.fetchval("SELECT pg_sleep(5)")

    taak = asyncio.ensure_future(slaap())
    await asyncio.sleep(0.2)
    taak.cancel()
    with pytest.raises(asyncio.CancelledError):
        await taak
    assert verbindingen.get_size() == 0  # terminated, not handed to the next request mid-statement
    tweede = await _pid(verbindingen)
    assert tweede != eerste


async def test_door_de_server_beeindigd_wordt_vervangen(verbindingen, database_urls):
    eerste = await _pid(verbindingen)
    beheer = await asyncpg.connect(database_urls["postgres"].replace("+asyncpg", ""))
    try:
        assert await beheer.fetchval("SELECT pg_terminate_backend($1)", eerste)
    finally:
        await beheer.close()
    for _ in range(50):  # asyncpg hears the socket close on the loop's next turns
        await asyncio.sleep(0.02)
        async with verbindingen.acquire() as v:
            pid = await v.fetchval("SELECT pg_backend_pid()")
        if pid != eerste:
            break
    assert pid != eerste and verbindingen.get_size() == 1


async def test_hoogstens_max_size_open_en_sluiten(database_urls):
    from lerarenregister.schema.leesverbindingen import Leesverbindingen

    url = database_urls["postgres"].replace("+asyncpg", "")
    pool = Leesverbindingen(lambda: asyncpg.connect(url), max_size=2)
    vast = asyncio.Event()
    binnen = 0

    async def houd() -> None:
        nonlocal binnen
        async with pool.acquire() as v:
            binnen += 1
            await vast.wait()
            await v.fetchval("SELECT 1")

    taken = [asyncio.ensure_future(houd()) for _ in range(3)]
    await asyncio.sleep(0.5)
    assert binnen == 2 and pool.get_size() == 2  # the third waits for a connection
    vast.set()
    await asyncio.gather(*taken)
    assert binnen == 3 and pool.get_size() == 2 and pool.get_idle_size() == 2
    open_ = list(pool._vrij)
    await pool.close()
    assert pool.get_size() == 0 and all(v.is_closed() for v in open_)
    with pytest.raises(asyncpg.InterfaceError):
        async with pool.acquire():
            pass
