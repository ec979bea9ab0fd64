"""Per-request state: the session (serialised), the viewer, the register's today, and caches."""

from __future__ import annotations

import asyncio
import datetime as dt
from typing import Any

from sqlalchemy.engine import URL
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from ..auth.viewer import Viewer
from ..settings import Settings

# No cycle: these modules name Verzoek (and Db) in type hints only.
from .inzage import Inzage
from .inzagelog import Inzagen
from .loaders import Loaders


class Db:
    """One AsyncSession per request, opened on first use; one statement at a time.

    strawberry resolves sibling fields concurrently and an AsyncSession allows one operation at a
    time, so every statement goes through this lock.
    """

    def __init__(self, maker: async_sessionmaker[AsyncSession]):
        self._maker = maker
        self._session: AsyncSession | None = None
        self._lock = asyncio.Lock()
        self.geschreven = False  # set by writes that bump the public data version

    @property
    def session(self) -> AsyncSession:
        if self._session is None:
            self._session = self._maker()
        return self._session

    @property
    def url(self) -> URL:
        """The database this request's sessions connect to."""
        bind: AsyncEngine = self._maker.kw["bind"]
        return bind.url

    @property
    def dialect(self) -> str:
        """'postgresql' or 'sqlite': for the few statements whose spelling differs."""
        naam: str = self._maker.kw["bind"].dialect.name
        return naam

    async def execute(self, stmt: Any, params: Any = None) -> Any:
        async with self._lock:
            return await self.session.execute(stmt, params)

    async def lees(self, stmt: Any, params: Any = None) -> Any:
        """A Core read (plain rows) on the request's connection, skipping the ORM's execution layer.

        Hot read paths pass statements built once at import with bind parameters, so that each
        request neither builds nor re-keys them.
        """
        async with self._lock:
            conn = await self.session.connection()
            return await conn.execute(stmt, params)

    async def flush(self) -> None:
        async with self._lock:
            await self.session.flush()

    async def close(self, commit: bool) -> None:
        if self._session is None:
            return
        try:
            if commit:
                await self._session.commit()
            else:
                await self._session.rollback()
        finally:
            await self._session.close()


class Verzoek:
    """Everything a resolver needs about the request it serves; strawberry's context."""

    def __init__(self, settings: Settings, db: Db, viewer: Viewer, vandaag: dt.date):
        self.settings = settings
        self.db = db
        self.viewer = viewer
        self.vandaag = vandaag
        self.inzage = Inzage(db, viewer, vandaag)
        self._loaders: Loaders | None = None
        self.inzagen = Inzagen()  # the access log of this request, written when it is answered
        # The compiled path's own asyncpg connections on the primary, for a read that writes nothing (the row
        # path's `ik`); None when the request may not use it (SQLite, a write, the replica).
        self.pool: Any = None

    @property
    def loaders(self) -> Loaders:
        """The request's dataloaders, made on first use: a trusted document answered from rows
        (schema/rijenpad.py) needs none of its fifteen."""
        if self._loaders is None:
            self._loaders = Loaders(self.db)
        return self._loaders
