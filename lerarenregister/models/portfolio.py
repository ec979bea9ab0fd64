"""The teacher's portfolio: activities done, each counting for one or more chosen bevoegdheden."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Column, Date, Float, ForeignKey, Index, String, Table
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Tijdstip, nu

portfolio_bevoegdheid = Table(
    "portfolio_bevoegdheid",
    Base.metadata,
    Column("activiteit_id", ForeignKey("portfolio_activiteit.id", ondelete="CASCADE"), primary_key=True),
    Column("bevoegdheid_id", ForeignKey("bevoegdheid.id"), primary_key=True),
    Index("ix_portfolio_bevoegdheid_bevoegdheid", "bevoegdheid_id"),
)


class PortfolioActiviteit(Base):
    __tablename__ = "portfolio_activiteit"

    id: Mapped[int] = mapped_column(primary_key=True)
    leraar_id: Mapped[int] = mapped_column(ForeignKey("leraar.id"))
    titel: Mapped[str] = mapped_column(String(300))
    datum: Mapped[dt.date] = mapped_column(Date)
    uren: Mapped[float] = mapped_column(Float)
    gebied: Mapped[str] = mapped_column(String(20))
    bron: Mapped[str] = mapped_column(String(30), default="EIGEN")  # EIGEN | CATALOGUS | VRIJWILLIG_REGISTER
    catalogus_activiteit_id: Mapped[int | None] = mapped_column(ForeignKey("catalogus_activiteit.id"))
    aangemaakt_op: Mapped[dt.datetime] = mapped_column(Tijdstip, default=nu)

    __table_args__ = (Index("ix_portfolio_leraar_datum", "leraar_id", "datum"),)
