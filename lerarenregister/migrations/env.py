"""Alembic environment: async engines on both stores, or a connection handed in by the caller."""

from __future__ import annotations

import asyncio

from alembic import context
from sqlalchemy.engine import Connection
from sqlalchemy.ext.asyncio import create_async_engine

from lerarenregister.models import Base

config = context.config
target_metadata = Base.metadata
# Several instances started at once each migrate before they serve (cli.py `serve`). On PostgreSQL
# they take turns on this advisory lock, held until the migration's transaction ends: the others wait,
# then find the schema at head and do nothing, instead of creating the same tables side by side.
# SQLite has one writer at a time anyway. The key is arbitrary and fixed ('lrmg').
MIGRATIESLOT = 0x6C726D67


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        if connection.dialect.name == "postgresql":
            connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({MIGRATIESLOT})")
        context.run_migrations()


async def _online(url: str) -> None:
    engine = create_async_engine(url)
    async with engine.connect() as conn:
        await conn.run_sync(_run)
        await conn.commit()
    await engine.dispose()


given = config.attributes.get("connection")
if given is not None:
    _run(given)
else:
    url = config.attributes.get("url") or config.get_main_option("sqlalchemy.url")
    if not url:
        from lerarenregister.settings import Settings

        url = Settings().database_url
    asyncio.run(_online(url))
