"""The teacher and what DUO delivers about them: bevoegdheden, benoemingen, voorportaal entries."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import Boolean, Date, ForeignKey, Index, Integer, String, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base, Sleutel, Tijdstip, nu
from .statussen import Registratiestatus


class RegisternummerTeller(Base):
    """One row: the next serial for a registernummer. It only goes up, so numbers are never reused."""

    __tablename__ = "registernummer_teller"

    id: Mapped[int] = mapped_column(primary_key=True)
    volgende: Mapped[int] = mapped_column(Integer)


class Leraar(Base):
    __tablename__ = "leraar"

    id: Mapped[int] = mapped_column(primary_key=True)
    registernummer: Mapped[str] = mapped_column(String(10), unique=True)
    # HMAC-SHA256 of the BSN under REGISTER_SECRET_KEY; the BSN itself is never stored.
    bsn_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # Which key made bsn_hash (regels.bsn.sleutel_id); None: hashed before migration 0007.
    bsn_sleutel: Mapped[str | None] = mapped_column(String(16))
    voornamen: Mapped[str] = mapped_column(String(200))
    tussenvoegsel: Mapped[str | None] = mapped_column(String(40))
    achternaam: Mapped[str] = mapped_column(String(200))
    voorletters: Mapped[str] = mapped_column(String(60))
    # As DUO last delivered them: a teacher's correction stands until DUO delivers a new value.
    duo_voornamen: Mapped[str] = mapped_column(String(200))
    duo_tussenvoegsel: Mapped[str | None] = mapped_column(String(40))
    duo_achternaam: Mapped[str] = mapped_column(String(200))
    geboortedatum: Mapped[dt.date] = mapped_column(Date)
    zoeknaam: Mapped[str] = mapped_column(Sleutel)
    sorteernaam: Mapped[str] = mapped_column(Sleutel)
    status: Mapped[str] = mapped_column(String(20), default=Registratiestatus.KLAARGEZET.value)
    geregistreerd_op: Mapped[dt.date | None] = mapped_column(Date)
    eerste_levering_op: Mapped[dt.date] = mapped_column(Date)
    portfolio_openbaar: Mapped[bool] = mapped_column(Boolean, default=False)
    gewijzigd_op: Mapped[dt.datetime] = mapped_column(Tijdstip, default=nu)

    __table_args__ = (
        # Public search: a name prefix on sorteernaam, a page in index order, only the public register.
        Index(
            "ix_leraar_openbaar_sorteernaam",
            "sorteernaam",
            "registernummer",
            postgresql_where=text(f"status = '{Registratiestatus.GEREGISTREERD}'"),
            sqlite_where=text(f"status = '{Registratiestatus.GEREGISTREERD}'"),
        ),
        Index("ix_leraar_sorteernaam", "sorteernaam", "registernummer"),
    )


class Bevoegdheid(Base):
    """A teaching qualification; keyed by (vak, soort) per teacher and never removed (FAQ 27)."""

    __tablename__ = "bevoegdheid"

    id: Mapped[int] = mapped_column(primary_key=True)
    leraar_id: Mapped[int] = mapped_column(ForeignKey("leraar.id"), index=True)
    vak: Mapped[str] = mapped_column(String(100))
    vak_sleutel: Mapped[str] = mapped_column(String(100))
    soort: Mapped[str] = mapped_column(String(20))
    behaald_op: Mapped[dt.date] = mapped_column(Date)
    voor_herregistratie: Mapped[bool] = mapped_column(Boolean, default=False)

    __table_args__ = (UniqueConstraint("leraar_id", "vak_sleutel", "soort", name="uq_bevoegdheid_sleutel"),)


class Benoeming(Base):
    """An appointment at a school board for a subject; keyed by (board, vak, begindatum)."""

    __tablename__ = "benoeming"

    id: Mapped[int] = mapped_column(primary_key=True)
    leraar_id: Mapped[int] = mapped_column(ForeignKey("leraar.id"), index=True)
    schoolbestuur_id: Mapped[int] = mapped_column(ForeignKey("schoolbestuur.id"))
    vak: Mapped[str] = mapped_column(String(100))
    begindatum: Mapped[dt.date] = mapped_column(Date)
    einddatum: Mapped[dt.date | None] = mapped_column(Date)
    # When this row last changed in a way its board sees (a board's `gewijzigdSinds`); None: before 0006.
    gewijzigd_op: Mapped[dt.datetime | None] = mapped_column(Tijdstip, default=nu)

    __table_args__ = (
        UniqueConstraint("leraar_id", "schoolbestuur_id", "vak", "begindatum", name="uq_benoeming_sleutel"),
        Index("ix_benoeming_bestuur_leraar", "schoolbestuur_id", "leraar_id"),
        Index("ix_benoeming_bestuur_gewijzigd", "schoolbestuur_id", "gewijzigd_op"),  # gewijzigdSinds (0008)
    )


class Voorportaalinschrijving(Base):
    """A teacher teaching a subject without the bevoegdheid for it (FAQ 7, 29-31)."""

    __tablename__ = "voorportaalinschrijving"

    id: Mapped[int] = mapped_column(primary_key=True)
    leraar_id: Mapped[int] = mapped_column(ForeignKey("leraar.id"), index=True)
    # Indexed as the first column of ix_voorportaal_bestuur_gewijzigd (migration 0008).
    schoolbestuur_id: Mapped[int] = mapped_column(ForeignKey("schoolbestuur.id"))
    vak: Mapped[str] = mapped_column(String(100))
    vak_sleutel: Mapped[str] = mapped_column(String(100))
    begindatum: Mapped[dt.date] = mapped_column(Date)
    termijn_einde: Mapped[dt.date] = mapped_column(Date)
    verlengd: Mapped[bool] = mapped_column(Boolean, default=False)
    afgesloten: Mapped[bool] = mapped_column(Boolean, default=False)
    afgesloten_op: Mapped[dt.date | None] = mapped_column(Date)
    # When this row last changed in a way its board sees (a board's `gewijzigdSinds`); None: before 0006.
    gewijzigd_op: Mapped[dt.datetime | None] = mapped_column(Tijdstip, default=nu)

    __table_args__ = (
        UniqueConstraint("leraar_id", "schoolbestuur_id", "vak_sleutel", "begindatum", name="uq_voorportaal_sleutel"),
        Index("ix_voorportaal_bestuur_gewijzigd", "schoolbestuur_id", "gewijzigd_op"),  # gewijzigdSinds (0008)
    )
