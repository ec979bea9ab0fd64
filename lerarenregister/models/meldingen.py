"""Reports by teachers of wrong DUO data, and the old voluntary register's accounts to import."""

from __future__ import annotations

import datetime as dt
from typing import Any

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Tijdstip, nu


class Foutmelding(Base):
    __tablename__ = "foutmelding"

    id: Mapped[int] = mapped_column(primary_key=True)
    leraar_id: Mapped[int] = mapped_column(ForeignKey("leraar.id"), index=True)
    benoeming_id: Mapped[int | None] = mapped_column(ForeignKey("benoeming.id", ondelete="SET NULL"))
    bevoegdheid_id: Mapped[int | None] = mapped_column(ForeignKey("bevoegdheid.id"))
    onderwerp: Mapped[str] = mapped_column(String(300))
    toelichting: Mapped[str] = mapped_column(Text)
    gemeld_op: Mapped[dt.date] = mapped_column(Date)
    opgelost: Mapped[bool] = mapped_column(Boolean, default=False)


class VrijwilligAccount(Base):
    """An account of the old voluntary register, loaded from its export; ended by the import."""

    __tablename__ = "vrijwillig_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    gebruikersnaam: Mapped[str] = mapped_column(String(200), unique=True)
    wachtwoord_hash: Mapped[str] = mapped_column(String(100))
    activiteiten: Mapped[list[dict[str, Any]]] = mapped_column(JSON)
    geimporteerd_door: Mapped[int | None] = mapped_column(ForeignKey("leraar.id"))
    mislukte_pogingen: Mapped[int] = mapped_column(Integer, default=0)
    laatste_mislukking: Mapped[dt.datetime | None] = mapped_column(Tijdstip)


class DataVersie(Base):
    """One row whose number goes up with every write that can change a public answer (for ETags)."""

    __tablename__ = "data_versie"

    id: Mapped[int] = mapped_column(primary_key=True)
    versie: Mapped[int] = mapped_column(Integer, default=0)
    gewijzigd_op: Mapped[dt.datetime] = mapped_column(Tijdstip, default=nu)
