"""Migrations are the only way the schema is made: what they build must be what the models say."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import uuid

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from conftest import _maak_pg_database, _pg_url, _verwijder_pg_database
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from lerarenregister.http.gezondheid import laatste_migraties
from lerarenregister.models import Base


async def test_migraties_en_modellen_komen_overeen(api):
    engine = create_async_engine(api.url)
    try:
        async with engine.connect() as conn:
            verschil = await conn.run_sync(lambda c: compare_metadata(MigrationContext.configure(c), Base.metadata))
    finally:
        await engine.dispose()
    assert verschil == [], verschil


def test_gelijktijdige_migraties_wachten_op_elkaar(tmp_path):
    """Four instances starting at once on an empty PostgreSQL database each run `migrate`: all four
    succeed and the schema ends at head once (migrations/env.py takes an advisory lock in turn)."""
    naam = f"lr_migr_{uuid.uuid4().hex[:8]}"
    asyncio.run(_maak_pg_database(naam))
    try:
        url = _pg_url(naam)
        procs = [  # db.migrate as `serve` and `migrate` call it, in processes of their own
            subprocess.Popen(
                [sys.executable, "-c", f"from lerarenregister.db import migrate; migrate({url!r})"],
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
            )
            for _ in range(4)
        ]
        uitvoer = [p.communicate(timeout=180)[0].decode(errors="replace") for p in procs]
        assert [p.returncode for p in procs] == [0, 0, 0, 0], "\n---\n".join(u[-1500:] for u in uitvoer)
        assert asyncio.run(_koppen(url)) == sorted(laatste_migraties())
    finally:
        asyncio.run(_verwijder_pg_database(naam))


async def _koppen(url: str) -> list[str]:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as conn:
            return sorted(r[0] for r in await conn.execute(text("SELECT version_num FROM alembic_version")))
    finally:
        await engine.dispose()
