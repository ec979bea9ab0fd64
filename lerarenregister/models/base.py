"""Declarative base shared by every model; constraint names are fixed so migrations are stable."""

from __future__ import annotations

import datetime as dt
from typing import cast

from sqlalchemy import DateTime, MetaData, String, Table
from sqlalchemy.dialects import postgresql
from sqlalchemy.orm import DeclarativeBase

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}

# Search and sort keys compare byte-wise on both stores: SQLite's default is binary, PostgreSQL is
# told "C" so that ORDER BY agrees and a plain btree index serves LIKE 'prefix%'.
Sleutel = String(200).with_variant(postgresql.VARCHAR(200, collation="C"), "postgresql")
Tijdstip = DateTime(timezone=True)


def nu() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)


def tabel(model: type[Base]) -> Table:
    """A model's table, for Core statements (SQLAlchemy types `__table__` as any FromClause)."""
    return cast(Table, model.__table__)


def lengte(model: type[Base], kolom: str) -> int:
    """The declared length of a text column (VARCHAR(n)): what PostgreSQL holds at most."""
    n = cast(String, tabel(model).c[kolom].type).length
    assert n is not None, f"{model.__name__}.{kolom} has no length"
    return n
