"""Migrations are the only way the schema is made: what they build must be what the models say."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.ext.asyncio import create_async_engine

from lerarenregister.models import Base


async def test_migraties_en_modellen_komen_overeen(api):
    engine = create_async_engine(api.url)
    try:
        async with engine.connect() as conn:
            verschil = await conn.run_sync(lambda c: compare_metadata(MigrationContext.configure(c), Base.metadata))
    finally:
        await engine.dispose()
    assert verschil == [], verschil
