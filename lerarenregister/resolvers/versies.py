"""The data versions behind private ETags (http/revalidatie.py), each read by one statement.

The register's data version (`data_versie`, one row) moves with every committed write. A board's
staff page has a finer version of its own: its name, its current staff, and the moments of change
that the board's `medewerkers(gewijzigdSinds:)` reads (migrations 0004 and 0006: the teacher's own
moment moves only for what every current employer sees; a board's own rows carry theirs), over its
current staff only, so that nothing of a teacher it may not see moves it.

Moments are added up, never compared by their maximum: a transaction stamps its rows before it
commits, so a write that commits later may carry an earlier moment than one already seen, and a
maximum would miss it. A sum (with the number of rows) changes with any stamp that changes (a
stamp only moves forward), any row added and any row removed.

The board's parts are worked out again only after the data version moved (http/revalidatie.py
keeps them with the version they were read with), so that an unchanged register costs one
primary-key read.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache
from typing import Any

from sqlalchemy import (
    ColumnElement,
    ColumnExpressionArgument,
    Date,
    Integer,
    ScalarSelect,
    Select,
    String,
    bindparam,
    cast,
    extract,
    func,
    literal,
    select,
)
from sqlalchemy.orm import aliased

from ..models import (
    Aantekening,
    Benoeming,
    Bevoegdheid,
    Bezwaar,
    DataVersie,
    Herregistratiecriteria,
    Herregistratieperiode,
    Leraar,
    Schoolbestuur,
    Voorportaalinschrijving,
)
from ..models.inzagelog import Inzagelogregel


def _tekst(*delen: ColumnExpressionArgument[Any]) -> ColumnElement[str]:
    """Parts joined as one text ('a:b:c'), on both stores."""
    uit: ColumnElement[str] = cast(delen[0], String)
    for deel in delen[1:]:
        uit = uit + literal(":") + func.coalesce(cast(deel, String), "")
    return uit


def _stempels(
    dialect: str, kolom: ColumnExpressionArgument[Any], *waar: ColumnExpressionArgument[bool]
) -> ScalarSelect[str]:
    """The rows `waar` selects and the exact sum of their moments `kolom`, as one text. PostgreSQL
    sums epoch seconds as numeric (exact to the microsecond); SQLite keeps a moment as fixed-width
    text ('2026-11-28 09:12:03.114512'), summed as whole seconds and microseconds apart."""
    if dialect == "postgresql":
        som: list[Any] = [func.sum(extract("epoch", kolom))]
    else:
        som = [func.sum(cast(func.strftime("%s", kolom), Integer)), func.sum(cast(func.substr(kolom, 21, 6), Integer))]
    return select(_tekst(func.count(), func.count(kolom), *som)).where(*waar).scalar_subquery()


_VERSIE = select(DataVersie.versie).where(DataVersie.id == 1)


def register() -> Select[Any]:
    """The register's data version alone."""
    return _VERSIE


@cache
def leraar_met_inzagelog() -> Select[Any]:
    """The data version and the teacher's access log (its length and its oldest entry: new entries
    lengthen it, the daily pruning removes the oldest), for `ik { inzagelog }`: other people's
    reads write the log without a write of the register's own."""
    eigen = select(Leraar.id).where(Leraar.bsn_hash.in_(bindparam("hashes", expanding=True)))
    log = (
        select(_tekst(func.count(), func.min(Inzagelogregel.tijdstip)))
        .where(Inzagelogregel.leraar_id.in_(eigen))
        .scalar_subquery()
    )
    return select(DataVersie.versie, log).where(DataVersie.id == 1)


@cache
def bestuur(dialect: str) -> Select[Any]:
    """The data version and what the board with bevoegd-gezagnummer `:nummer` may see of its staff
    on `:vandaag`, in parts: its work grows with the board's staff, so it runs only after a write."""
    vandaag = bindparam("vandaag", type_=Date)
    bestuur_ = (
        select(Schoolbestuur.id, Schoolbestuur.naam)
        .where(Schoolbestuur.bevoegd_gezag_nummer == bindparam("nummer"))
        .cte("bestuur")
    )
    id_ = select(bestuur_.c.id).scalar_subquery()
    b = aliased(Benoeming)
    huidig = (
        (b.schoolbestuur_id == id_) & (b.begindatum <= vandaag) & (b.einddatum.is_(None) | (b.einddatum >= vandaag))
    )
    # API.md: a current appointment makes a WERKGEVER. Each of the board's current appointments once.
    personeel = select(b.leraar_id).where(huidig).cte("personeel")
    leraren = select(personeel.c.leraar_id)
    bevoegdheden = select(Bevoegdheid.id).where(Bevoegdheid.leraar_id.in_(leraren)).cte("bevoegdheden")
    vp = Voorportaalinschrijving
    delen = [
        select(bestuur_.c.naam).scalar_subquery(),
        select(func.count()).select_from(personeel).scalar_subquery(),  # a current appointment gone
        _stempels(dialect, Benoeming.gewijzigd_op, Benoeming.schoolbestuur_id == id_, Benoeming.leraar_id.in_(leraren)),
        _stempels(dialect, Leraar.gewijzigd_op, Leraar.id.in_(leraren)),
        _stempels(dialect, vp.gewijzigd_op, vp.schoolbestuur_id == id_, vp.leraar_id.in_(leraren)),
        _stempels(
            dialect,
            Bezwaar.gewijzigd_op,
            Bezwaar.schoolbestuur_id == id_,
            Bezwaar.aantekening_id.in_(
                select(Aantekening.id).where(Aantekening.bevoegdheid_id.in_(select(bevoegdheden.c.id)))
            ),
        ),
        # The assessment stamps the periods it judged, not the teachers (migration 0004).
        _stempels(
            dialect,
            Herregistratieperiode.beoordeeld_tijdstip,
            Herregistratieperiode.bevoegdheid_id.in_(select(bevoegdheden.c.id)),
        ),
        # A period not stored yet takes the criteria in force on its first day, which may be today's,
        # and today's may still be decided or corrected today (stelCriteriaVast).
        select(
            _tekst(
                Herregistratiecriteria.id,
                Herregistratiecriteria.totaal_uren,
                Herregistratiecriteria.primair_proces_uren,
                Herregistratiecriteria.vakinhoudelijk_vo_uren,
            )
        )
        .where(Herregistratiecriteria.geldig_vanaf <= vandaag)
        .order_by(Herregistratiecriteria.geldig_vanaf.desc())
        .limit(1)
        .scalar_subquery(),
    ]
    return select(DataVersie.versie, *delen).where(DataVersie.id == 1)


def delen(rij: Sequence[Any]) -> tuple[str | None, ...]:
    """The parts after the data version, as texts (PostgreSQL's numeric sums are Decimals)."""
    return tuple(None if d is None else str(d) for d in rij[1:])
