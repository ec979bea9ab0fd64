"""The end-of-period assessment (beroepsgroep) and lifting aantekeningen again.

Only periods of bevoegdheden chosen for herregistratie are assessed: a dropped one keeps its
history but is not judged. The assessment is set-based: one aggregate query over every due period (into a temporary table),
then bulk updates and inserts a batch at a time, repeated while a newly started period is itself
already due. It is idempotent: a period is
assessed once (uitkomst set), so running it again finds nothing due.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterable

from sqlalchemy import (
    Boolean, Date, Float, Integer, String, and_, case, column, func, select, table, text, update,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.base import Executable
from sqlalchemy.sql.elements import ClauseElement

from ..models import (
    Aantekening,
    Bevoegdheid,
    Herregistratiecriteria,
    Herregistratieperiode,
    Leraar,
    PortfolioActiviteit,
    portfolio_bevoegdheid,
)
from ..models.base import nu
from ..regels import datums
from ..regels import herregistratie as regels
from .fouten import OngeldigeInvoer
from .schrijven import verhoog_dataversie, voeg_toe

if TYPE_CHECKING:
    from .verzoek import Verzoek

BLOK = 5000  # ids per IN list: SQLite allows 32766 parameters, and smaller statements plan faster
PARTIJ = 20_000  # due periods assessed per round


@dataclass
class Beoordeling:
    beoordeeld: int = 0
    voldaan: int = 0
    niet_voldaan: int = 0


def _blokken(ids: list[int]) -> Iterable[list[int]]:
    for i in range(0, len(ids), BLOK):
        yield ids[i:i + BLOK]


async def _criteria(v: "Verzoek") -> dict[int, regels.Criteria]:
    res = await v.db.execute(select(Herregistratiecriteria))
    return {c.id: regels.Criteria(c.geldig_vanaf, c.totaal_uren, c.primair_proces_uren, c.vakinhoudelijk_vo_uren)
            for c in res.scalars().all()}


class _MaakTijdelijk(Executable, ClauseElement):
    """CREATE TEMPORARY TABLE name AS <select>: PostgreSQL may plan that in parallel (an
    INSERT ... SELECT it may not), and SQLite has it too."""

    inherit_cache = False

    def __init__(self, naam: str, query: Any):
        self.naam, self.query = naam, query


@compiles(_MaakTijdelijk)
def _maak_tijdelijk(element: _MaakTijdelijk, compiler: Any, **kw: Any) -> str:
    return f"CREATE TEMPORARY TABLE {element.naam} AS " + compiler.sql_compiler.process(
        element.query, literal_binds=True)


# Typed, so that SQLite's text dates and integer booleans come back as Python dates and booleans.
_UITKOMSTEN = table(
    "te_beoordelen", column("id", Integer), column("bevoegdheid_id", Integer), column("periode_einde", Date),
    column("soort", String), column("voor_herregistratie", Boolean), column("leraar_id", Integer),
    *(column(naam, Float) for naam in ("totaal_uren", "primair_proces_uren", "vakinhoudelijk_vo_uren", "u_totaal",
                                       "u_primair", "u_vak")),
)


def _te_beoordelen(peildatum: dt.date) -> Any:
    """Every due period with the hours that count for it, per criterion: one aggregate over all of
    them, grouped by period id alone (the columns that ride along are joined after, so that the
    aggregate does not sort a million link rows by eight keys)."""
    p, a = Herregistratieperiode, PortfolioActiviteit
    binnen = and_(a.id == portfolio_bevoegdheid.c.activiteit_id, a.datum >= p.periode_start,
                  a.datum <= p.periode_einde)
    uren = (
        select(
            p.id.label("periode_id"),
            func.coalesce(func.sum(a.uren), 0.0).label("u_totaal"),
            func.coalesce(func.sum(case((a.gebied.in_(list(regels.PRIMAIR_PROCES)), a.uren), else_=0.0)), 0.0)
            .label("u_primair"),
            func.coalesce(func.sum(case((a.gebied == "VAKINHOUDELIJK", a.uren), else_=0.0)), 0.0).label("u_vak"),
        )
        .join(Bevoegdheid, Bevoegdheid.id == p.bevoegdheid_id)
        .outerjoin(portfolio_bevoegdheid, portfolio_bevoegdheid.c.bevoegdheid_id == p.bevoegdheid_id)
        .outerjoin(a, binnen)
        .where(p.uitkomst.is_(None), p.periode_einde < peildatum, Bevoegdheid.voor_herregistratie.is_(True))
        .group_by(p.id)
        .subquery("uren")
    )
    return (
        select(
            p.id, p.bevoegdheid_id, p.periode_einde, Bevoegdheid.soort, Bevoegdheid.voor_herregistratie,
            Bevoegdheid.leraar_id, Herregistratiecriteria.totaal_uren, Herregistratiecriteria.primair_proces_uren,
            Herregistratiecriteria.vakinhoudelijk_vo_uren, uren.c.u_totaal, uren.c.u_primair, uren.c.u_vak,
        )
        .select_from(uren)
        .join(p, p.id == uren.c.periode_id)
        .join(Bevoegdheid, Bevoegdheid.id == p.bevoegdheid_id)
        .join(Herregistratiecriteria, Herregistratiecriteria.id == p.criteria_id)
    )


async def beoordeel(v: "Verzoek", peildatum: dt.date) -> Beoordeling:
    if peildatum > v.vandaag:
        raise OngeldigeInvoer("peildatum must not be after today", "peildatum")
    uitkomst = Beoordeling()
    alle_criteria = await _criteria(v)
    leraren_tabel = select(_UITKOMSTEN.c.leraar_id).scalar_subquery()
    if v.db.dialect == "postgresql":
        # A batch job in its own transaction: room to hash and sort the aggregate in memory.
        await v.db.execute(text("SET LOCAL work_mem = '64MB'"))
    while True:
        # One aggregate over every due period into a temporary table (at national scale a parallel
        # hash join: about three times faster than walking the links period by period), then the
        # outcomes a batch at a time in id order, so that memory stays flat however many are due.
        # A pass can start a next period that is itself due already: the next pass finds those.
        await v.db.execute(_MaakTijdelijk("te_beoordelen", _te_beoordelen(peildatum)))
        if v.db.dialect == "postgresql":  # a new table has no statistics: plan the reads and update on real ones
            await v.db.execute(text("ANALYZE te_beoordelen"))
        laatste_id, in_deze_ronde = 0, 0
        while True:
            res = await v.db.execute(select(_UITKOMSTEN).where(_UITKOMSTEN.c.id > laatste_id)
                                     .order_by(_UITKOMSTEN.c.id).limit(PARTIJ))
            rijen = res.all()
            if not rijen:
                break
            laatste_id = rijen[-1][0]
            in_deze_ronde += len(rijen)
            await _verwerk(v, peildatum, alle_criteria, rijen, uitkomst)
        if in_deze_ronde:  # one statement for every teacher whose data changed (gewijzigdSinds)
            await v.db.execute(update(Leraar).where(Leraar.id.in_(leraren_tabel)).values(gewijzigd_op=nu()))
        await v.db.execute(text("DROP TABLE te_beoordelen"))
        if not in_deze_ronde:
            break
    if uitkomst.beoordeeld:
        await verhoog_dataversie(v)
    v.loaders.vergeet()
    return uitkomst


async def _verwerk(v: "Verzoek", peildatum: dt.date, alle_criteria: dict[int, regels.Criteria], rijen: Any,
                   uitkomst: Beoordeling) -> None:
    """Outcomes, next periods and aantekeningen for one batch of assessed periods."""
    voldaan, niet, volgende = [], [], []
    for (pid, bid, einde, soort, gekozen, _leraar_id, tot, prim, vo, u_tot, u_prim, u_vak) in rijen:
        c = regels.Criteria(dt.date.min, tot, prim, vo)
        ok = regels.voldoet(regels.Uren(u_tot, u_prim, u_vak), c, soort)
        (voldaan if ok else niet).append((pid, bid))
        if gekozen:
            start = datums.volgende_periode_start(einde)
            volgende.append({"bevoegdheid_id": bid, "periode_start": start,
                             "periode_einde": datums.periode_einde(start),
                             "criteria_id": regels.criteria_id_op(alle_criteria, start)})
    for lijst, waarde in ((voldaan, "VOLDAAN"), (niet, "NIET_VOLDAAN")):
        for blok in _blokken([pid for pid, _ in lijst]):
            await v.db.execute(update(Herregistratieperiode).where(Herregistratieperiode.id.in_(blok))
                               .values(uitkomst=waarde, beoordeeld_op=peildatum))
    # At most one aantekening stands per bevoegdheid.
    staand: set[int] = set()
    for blok in _blokken([bid for _, bid in niet]):
        res = await v.db.execute(select(Aantekening.bevoegdheid_id).where(
            Aantekening.bevoegdheid_id.in_(blok), Aantekening.status == "STAAT"))
        staand.update(res.scalars().all())
    nieuw: dict[int, dict[str, Any]] = {}
    for pid, bid in niet:
        if bid not in staand and bid not in nieuw:
            nieuw[bid] = {"bevoegdheid_id": bid, "periode_id": pid, "geplaatst_op": peildatum, "status": "STAAT"}
    if nieuw:
        await voeg_toe(v, Aantekening, list(nieuw.values()))
    if volgende:
        await voeg_toe(v, Herregistratieperiode, volgende)
    uitkomst.beoordeeld += len(rijen)
    uitkomst.voldaan += len(voldaan)
    uitkomst.niet_voldaan += len(niet)


async def hef_op_waar_voldaan(v: "Verzoek", leraar_id: int) -> int:
    """Lift each standing aantekening of this teacher whose rolling four years meet the criteria again.

    Called after every portfolio change. Returns how many were lifted.
    """
    res = await v.db.execute(
        select(Aantekening, Bevoegdheid)
        .join(Bevoegdheid, Bevoegdheid.id == Aantekening.bevoegdheid_id)
        .where(Bevoegdheid.leraar_id == leraar_id, Aantekening.status == "STAAT")
    )
    staand = res.all()
    if not staand:
        return 0
    from . import herregistratie

    v.loaders.vergeet()
    opgeheven = 0
    alle_criteria = await _criteria(v)
    for aantekening, bev in staand:
        activiteiten = await v.loaders.activiteiten_by_bevoegdheid.load(bev.id)
        stand = await herregistratie.huidige_periode(v, bev)
        start = stand.start if stand else v.vandaag
        criteria = alle_criteria[regels.criteria_id_op(alle_criteria, start)]
        dag = regels.opheffingsdatum(aantekening.geplaatst_op, v.vandaag, activiteiten, criteria, bev.soort)
        if dag is not None:
            aantekening.status, aantekening.opgeheven_op = "OPGEHEVEN", dag
            opgeheven += 1
    if opgeheven:
        await v.db.flush()
        v.loaders.vergeet()
    return opgeheven
