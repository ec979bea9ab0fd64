"""Who saw a teacher's data (API.md, "Production", Access log): one row per request and teacher."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Tijdstip


class Inzagelogregel(Base):
    """Data of this teacher given to someone else through WERKGEVER, DUO or BEROEPSGROEP.

    Field names only (`Type.veld`), never values. `door` is who it was (a board's name and number,
    `DUO`, `Beroepsgroep`); `sub` the token's subject, for the identity provider's own records.
    """

    __tablename__ = "inzagelog"
    __table_args__ = (Index("ix_inzagelog_leraar_tijdstip", "leraar_id", "tijdstip"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # No foreign key: the log outlives nothing it describes, and its writes must not wait on teacher rows.
    leraar_id: Mapped[int] = mapped_column()
    tijdstip: Mapped[dt.datetime] = mapped_column(Tijdstip, index=True)
    doelgroep: Mapped[str] = mapped_column(String(20))
    door: Mapped[str] = mapped_column(String(300))
    sub: Mapped[str | None] = mapped_column(String(300))
    velden: Mapped[list[str]] = mapped_column(JSON)
    operatie: Mapped[str | None] = mapped_column(String(200))
    request_id: Mapped[str] = mapped_column(String(128))
