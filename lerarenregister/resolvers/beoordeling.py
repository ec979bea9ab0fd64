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
from typing import TYPE_CHECKING, Any

from sqlalchemy import Date, Float, Integer, String, and_, case, column, func, select, table, text, update
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.base import Executable
from sqlalchemy.sql.elements import ClauseElement

from ..models import (
    Aantekening,
    Bevoegdheid,
    Herregistratiecriteria,
    Herregistratieperiode,
    PortfolioActiviteit,
    portfolio_bevoegdheid,
)
from ..models.base import nu
from ..regels import datums
from ..regels import herregistratie as regels
from .fouten import OngeldigeInvoer
from .schrijven import een_van, verhoog_dataversie, voeg_toe

if TYPE_CHECKING:
    from .verzoek import Verzoek

PARTIJ = 20_000  # due periods assessed per round


@dataclass
class Beoordeling:
    beoordeeld: int = 0
    voldaan: int = 0
    niet_voldaan: int = 0


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


# Typed, so that SQLite's text dates come back as Python dates.
_UITKOMSTEN = table(
    "te_beoordelen", column("id", Integer), column("bevoegdheid_id", Integer), column("periode_einde", Date),
    column("soort", String), column("criteria_id", Integer),
    *(column(naam, Float) for naam in ("u_totaal", "u_primair", "u_vak")),
)
_PERIODE = Herregistratieperiode.__table__  # Core: nothing here needs an ORM object or its bookkeeping


def _te_beoordelen(peildatum: dt.date, na_id: int | None) -> Any:
    """Every due period with the hours that count for it, per criterion: one aggregate over all of
    them, grouped by period id alone (the columns that ride along are joined after, so that the
    aggregate does not sort a million link rows by many keys). Only periods of bevoegdheden chosen
    for herregistratie are due. `na_id`: only periods written after that id (a later pass)."""
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
        .where(p.uitkomst.is_(None), p.periode_einde < peildatum, Bevoegdheid.voor_herregistratie.is_(True),
               *([p.id > na_id] if na_id is not None else []))
        .group_by(p.id)
        .subquery("uren")
    )
    return (
        select(p.id, p.bevoegdheid_id, p.periode_einde, Bevoegdheid.soort, p.criteria_id,
               uren.c.u_totaal, uren.c.u_primair, uren.c.u_vak)
        .select_from(uren)
        .join(p, p.id == uren.c.periode_id)
        .join(Bevoegdheid, Bevoegdheid.id == p.bevoegdheid_id)
    )


async def beoordeel(v: "Verzoek", peildatum: dt.date) -> Beoordeling:
    if peildatum > v.vandaag:
        raise OngeldigeInvoer("peildatum must not be after today", "peildatum")
    uitkomst = Beoordeling()
    alle_criteria = await _criteria(v)
    moment = nu()  # one stamp for the whole run: a board's gewijzigdSinds finds the teachers by it
    if v.db.dialect == "postgresql":
        # A batch job in its own transaction: room to hash every activity of the register in one go
        # (at 64 MB the hash spilled to disk in four batches: a fifth slower at national scale).
        await v.db.execute(text("SET LOCAL work_mem = '128MB'"))
    na_id: int | None = None
    while True:
        # A later pass only looks at the periods written after this point: every other due period
        # is judged in this pass. Saying so lets the planner walk a few thousand periods by index
        # instead of hashing every activity in the register again.
        grens = (await v.db.lees(select(func.max(_PERIODE.c.id)))).scalar_one() or 0
        # One aggregate over every due period into a temporary table (at national scale a parallel
        # hash join: about three times faster than walking the links period by period), then the
        # outcomes a batch at a time in id order, so that memory stays flat however many are due.
        await v.db.execute(_MaakTijdelijk("te_beoordelen", _te_beoordelen(peildatum, na_id)))
        # Read back a batch at a time by id: with an index each batch is a range, not a scan and
        # sort of the whole table (fifteen of them at national scale).
        await v.db.execute(text("CREATE INDEX ix_te_beoordelen ON te_beoordelen (id)"))
        if v.db.dialect == "postgresql":  # a new table has no statistics: plan the reads on real ones
            await v.db.execute(text("ANALYZE te_beoordelen"))
        laatste_id, nog_een_ronde = 0, False
        while True:
            res = await v.db.lees(select(_UITKOMSTEN).where(_UITKOMSTEN.c.id > laatste_id)
                                  .order_by(_UITKOMSTEN.c.id).limit(PARTIJ))
            rijen = res.all()
            if not rijen:
                break
            laatste_id = rijen[-1][0]
            nog_een_ronde |= await _verwerk(v, peildatum, moment, alle_criteria, rijen, uitkomst)
        await v.db.execute(text("DROP TABLE te_beoordelen"))
        # A next period can itself be due already (a period missed for years): only then another pass.
        if not nog_een_ronde:
            break
        na_id = grens
    if uitkomst.beoordeeld:
        await verhoog_dataversie(v)
    v.loaders.vergeet()
    return uitkomst


async def _verwerk(v: "Verzoek", peildatum: dt.date, moment: dt.datetime, alle_criteria: dict[int, regels.Criteria],
                   rijen: Any, uitkomst: Beoordeling) -> bool:
    """Outcomes, next periods and aantekeningen for one batch of assessed periods. True when a
    next period written here is itself due on the peildatum."""
    voldaan: list[int] = []
    niet: list[tuple[int, int]] = []
    volgende: list[dict[str, Any]] = []
    # Many periods end on the same day: work out each day's next period once.
    na_einde: dict[dt.date, tuple[dt.date, dt.date, int]] = {}
    for (pid, bid, einde, soort, criteria_id, u_tot, u_prim, u_vak) in rijen:
        if regels.voldoet(regels.Uren(u_tot, u_prim, u_vak), alle_criteria[criteria_id], soort):
            voldaan.append(pid)
        else:
            niet.append((pid, bid))
        nieuw_ = na_einde.get(einde)
        if nieuw_ is None:
            start = datums.volgende_periode_start(einde)
            nieuw_ = na_einde[einde] = (start, datums.periode_einde(start), regels.criteria_id_op(alle_criteria, start))
        volgende.append({"bevoegdheid_id": bid, "periode_start": nieuw_[0], "periode_einde": nieuw_[1],
                         "criteria_id": nieuw_[2]})
    for ids, waarde in ((voldaan, regels.VOLDAAN), ([pid for pid, _ in niet], regels.NIET_VOLDAAN)):
        for waar in een_van(v, _PERIODE.c.id, ids):
            await v.db.lees(update(_PERIODE).where(waar).values(uitkomst=waarde, beoordeeld_op=peildatum,
                                                                beoordeeld_tijdstip=moment))
    # At most one aantekening stands per bevoegdheid.
    staand: set[int] = set()
    for waar in een_van(v, Aantekening.bevoegdheid_id, [bid for _, bid in niet]):
        res = await v.db.lees(select(Aantekening.bevoegdheid_id).where(waar, Aantekening.status == "STAAT"))
        staand.update(res.scalars().all())
    nieuw: dict[int, dict[str, Any]] = {}
    for pid, bid in niet:
        if bid not in staand and bid not in nieuw:
            nieuw[bid] = {"bevoegdheid_id": bid, "periode_id": pid, "geplaatst_op": peildatum, "status": "STAAT"}
    await voeg_toe(v, Aantekening, list(nieuw.values()))
    await voeg_toe(v, Herregistratieperiode, volgende)
    uitkomst.beoordeeld += len(rijen)
    uitkomst.voldaan += len(voldaan)
    uitkomst.niet_voldaan += len(niet)
    return any(einde < peildatum for _, einde, _ in na_einde.values())


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
