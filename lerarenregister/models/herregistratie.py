"""Herregistratie: dated criteria, four-year periods per bevoegdheid, aantekeningen and objections."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Date, Float, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Tijdstip, nu
from .statussen import AantekeningStatus, BezwaarStatus


class Herregistratiecriteria(Base):
    """The beroepsgroep's criteria, in force from geldig_vanaf until the next record's date."""

    __tablename__ = "herregistratiecriteria"

    id: Mapped[int] = mapped_column(primary_key=True)
    geldig_vanaf: Mapped[dt.date] = mapped_column(Date, unique=True)
    totaal_uren: Mapped[float] = mapped_column(Float)
    primair_proces_uren: Mapped[float] = mapped_column(Float)
    vakinhoudelijk_vo_uren: Mapped[float] = mapped_column(Float)


class Herregistratieperiode(Base):
    """One four-year period of one bevoegdheid; uitkomst is set once by the assessment."""

    __tablename__ = "herregistratieperiode"

    id: Mapped[int] = mapped_column(primary_key=True)
    bevoegdheid_id: Mapped[int] = mapped_column(ForeignKey("bevoegdheid.id"))
    periode_start: Mapped[dt.date] = mapped_column(Date)
    periode_einde: Mapped[dt.date] = mapped_column(Date)
    criteria_id: Mapped[int] = mapped_column(ForeignKey("herregistratiecriteria.id"))
    uitkomst: Mapped[str | None] = mapped_column(String(20))  # VOLDAAN | NIET_VOLDAAN once assessed
    beoordeeld_op: Mapped[dt.date | None] = mapped_column(Date)  # the peildatum
    # When the assessment wrote the outcome: a board's gewijzigdSinds looks here (migration 0004).
    beoordeeld_tijdstip: Mapped[dt.datetime | None] = mapped_column(Tijdstip)

    __table_args__ = (
        UniqueConstraint("bevoegdheid_id", "periode_start", name="uq_periode_start"),
        Index("ix_herregistratieperiode_beoordeeld_tijdstip", "beoordeeld_tijdstip"),  # gewijzigdSinds (0008)
    )


class Aantekening(Base):
    """The mark on a bevoegdheid after a period ended short of the criteria (FAQ 15, 16)."""

    __tablename__ = "aantekening"

    id: Mapped[int] = mapped_column(primary_key=True)
    bevoegdheid_id: Mapped[int] = mapped_column(ForeignKey("bevoegdheid.id"), index=True)
    periode_id: Mapped[int] = mapped_column(ForeignKey("herregistratieperiode.id"))
    geplaatst_op: Mapped[dt.date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default=AantekeningStatus.STAAT.value)
    opgeheven_op: Mapped[dt.date | None] = mapped_column(Date)


class Bezwaar(Base):
    """An objection to an aantekening by the teacher or a current employer."""

    __tablename__ = "bezwaar"

    id: Mapped[int] = mapped_column(primary_key=True)
    aantekening_id: Mapped[int] = mapped_column(ForeignKey("aantekening.id"), index=True)
    ingediend_op: Mapped[dt.date] = mapped_column(Date)
    ingediend_door: Mapped[str] = mapped_column(String(20))  # LERAAR | SCHOOLBESTUUR
    schoolbestuur_id: Mapped[int | None] = mapped_column(ForeignKey("schoolbestuur.id"))
    motivering: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(20), default=BezwaarStatus.INGEDIEND.value)
    behandeld_op: Mapped[dt.date | None] = mapped_column(Date)
    # When it was filed or decided: the filing board's `gewijzigdSinds` finds it (None: before 0006).
    gewijzigd_op: Mapped[dt.datetime | None] = mapped_column(Tijdstip, default=nu)

    # A board's gewijzigdSinds reads its changed objections by this index (migration 0008).
    __table_args__ = (Index("ix_bezwaar_bestuur_gewijzigd", "schoolbestuur_id", "gewijzigd_op"),)
