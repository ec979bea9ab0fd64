"""Health (API.md, "Production", Operations): live, ready, and why not ready; on both stores."""

from __future__ import annotations

import asyncio
import socket
import uuid
from pathlib import Path
from typing import Any

import pytest
from alembic import command
from conftest import PG_ADMIN, VANDAAG, Api, _maak_pg_database, _pg_url, _verwijder_pg_database

from lerarenregister.db import alembic_config
from lerarenregister.http.gezondheid import laatste_migraties


async def test_live_en_gereed(api: Api) -> None:
    assert api.client is not None
    for pad in ("/health/live", "/health"):  # /health: the old name, kept
        r = await api.client.get(pad)
        assert r.status_code == 200 and r.json() == {"status": "ok"}, pad
        assert r.headers["cache-control"] == "no-store"
    r = await api.client.get("/health/ready")
    assert r.status_code == 200, r.text
    assert r.json() == {"status": "ok", "migration": sorted(laatste_migraties())}


def _oudere_revisie() -> str:
    """The revision before the latest: a database an operator forgot to migrate after a deploy."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config())
    (kop,) = script.get_heads()
    vorige = script.get_revision(kop).down_revision
    assert isinstance(vorige, str)
    return vorige


async def _gereed(store: str, url: str, sleutels: Any) -> Any:
    async with Api(store, url, sleutels, VANDAAG) as a:
        assert a.client is not None
        live = await a.client.get("/health/live")
        assert live.status_code == 200  # the process answers whatever the database does
        return await a.client.get("/health/ready")


@pytest.fixture(params=["sqlite", "postgres"])
def lege_database(request: pytest.FixtureRequest, tmp_path: Path) -> Any:
    """A database of its own for this test, on each store (migrated by the test, as far as it wants)."""
    if request.param == "sqlite":
        yield request.param, f"sqlite+aiosqlite:///{tmp_path / 'oud.sqlite3'}"
        return
    naam = f"lr_gezond_{uuid.uuid4().hex[:8]}"
    asyncio.run(_maak_pg_database(naam))
    try:
        yield request.param, _pg_url(naam)
    finally:
        asyncio.run(_verwijder_pg_database(naam))


async def test_niet_op_de_laatste_migratie(lege_database: tuple[str, str], sleutels: Any) -> None:
    store, url = lege_database
    oud = _oudere_revisie()
    await asyncio.to_thread(command.upgrade, alembic_config(url), oud)  # alembic runs a loop of its own
    r = await _gereed(store, url, sleutels)
    assert r.status_code == 503, r.text
    body = r.json()
    assert body["status"] == "unavailable" and "latest migration" in body["reason"]
    assert body["migration"] == [oud] and body["expected"] == sorted(laatste_migraties())
    await asyncio.to_thread(command.upgrade, alembic_config(url), "head")  # migrated: ready
    r = await _gereed(store, url, sleutels)
    assert r.status_code == 200, r.text


async def test_nooit_gemigreerd(lege_database: tuple[str, str], sleutels: Any) -> None:
    store, url = lege_database
    r = await _gereed(store, url, sleutels)
    assert r.status_code == 503 and r.json()["migration"] == [], r.text


def _dichte_poort() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]  # closed again when the socket goes: nothing listens there


@pytest.mark.parametrize("store", ["sqlite", "postgres"])
async def test_database_weg(store: str, tmp_path: Path, sleutels: Any) -> None:
    if store == "sqlite":  # a file in a folder that does not exist (SQLite never makes folders)
        url = f"sqlite+aiosqlite:///{tmp_path / 'bestaat-niet' / 'nog-minder' / 'register.sqlite3'}"
    else:
        gebruiker = PG_ADMIN.split("://", 1)[1].split("@", 1)[0]
        url = f"postgresql+asyncpg://{gebruiker}@127.0.0.1:{_dichte_poort()}/postgres"
    r = await _gereed(store, url, sleutels)
    assert r.status_code == 503, r.text
    body = r.json()
    assert body["status"] == "unavailable" and body["reason"].startswith("the database does not answer"), body
