"""The catalogue of professional-development activities and the providers (aanbieders) behind it."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Float, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Sleutel, Tijdstip, nu


class Aanbieder(Base):
    __tablename__ = "aanbieder"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(40), unique=True)
    naam: Mapped[str | None] = mapped_column(String(200))


class CatalogusActiviteit(Base):
    __tablename__ = "catalogus_activiteit"

    id: Mapped[int] = mapped_column(primary_key=True)
    aanbieder_id: Mapped[int] = mapped_column(ForeignKey("aanbieder.id"), index=True)
    titel: Mapped[str] = mapped_column(String(300))
    zoektitel: Mapped[str] = mapped_column(Sleutel)
    omschrijving: Mapped[str | None] = mapped_column(Text)
    soort: Mapped[str] = mapped_column(String(20))
    contacturen: Mapped[float] = mapped_column(Float)
    zelfstudieuren: Mapped[float] = mapped_column(Float)
    gebied: Mapped[str] = mapped_column(String(20))
    toetsing: Mapped[bool] = mapped_column(Boolean, default=False)
    ingetrokken: Mapped[bool] = mapped_column(Boolean, default=False)
    gepubliceerd_op: Mapped[dt.datetime] = mapped_column(Tijdstip, default=nu)
