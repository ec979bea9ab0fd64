"""The end-of-period assessment (beroepsgroep) and lifting aantekeningen again.

Only periods of bevoegdheden chosen for herregistratie are assessed: a dropped one keeps its
history but is not judged. The assessment is set-based: one aggregate query over every due period
(into a temporary table); then, a batch at a time, Python judges each period (regels.voldoet) and
works out the dates of the periods after them (regels.datums), and SQL writes the outcomes, the
aantekeningen and the next periods from the temporary table. Repeated while a newly started period
is itself already due. It is idempotent: a period is assessed once (uitkomst set), so running it
again finds nothing due.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import (
    Column,
    Date,
    Float,
    Integer,
    MetaData,
    String,
    Table,
    and_,
    case,
    column,
    exists,
    func,
    insert,
    literal,
    select,
    table,
    text,
    update,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.schema import CreateTable, DropTable
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
from ..models.base import nu, tabel
from ..models.statussen import AantekeningStatus
from ..regels import datums
from ..regels import herregistratie as regels
from . import herregistratie
from .fouten import OngeldigeInvoer
from .schrijven import een_van, leg_vast, voeg_toe

if TYPE_CHECKING:
    from .verzoek import Verzoek

PARTIJ = 20_000  # due periods assessed per round


@dataclass
class Beoordeling:
    beoordeeld: int = 0
    voldaan: int = 0
    niet_voldaan: int = 0


async def _criteria(v: Verzoek) -> dict[int, regels.Criteria]:
    res = await v.db.execute(select(Herregistratiecriteria))
    return {
        c.id: regels.Criteria(c.geldig_vanaf, c.totaal_uren, c.primair_proces_uren, c.vakinhoudelijk_vo_uren)
        for c in res.scalars().all()
    }


class _MaakTijdelijk(Executable, ClauseElement):
    """CREATE TEMPORARY TABLE name AS <select>: PostgreSQL may plan that in parallel (an
    INSERT ... SELECT it may not), and SQLite has it too."""

    inherit_cache = False

    def __init__(self, naam: str, query: Any):
        self.naam, self.query = naam, query


@compiles(_MaakTijdelijk)
def _maak_tijdelijk(element: _MaakTijdelijk, compiler: Any, **kw: Any) -> str:
    query: str = compiler.sql_compiler.process(element.query, literal_binds=True)
    return f"CREATE TEMPORARY TABLE {element.naam} AS " + query


# The temporary table of due periods with their hours; typed, so that SQLite's text dates come back
# as Python dates.
_TE_BEOORDELEN = table(
    "te_beoordelen",
    column("id", Integer),
    column("bevoegdheid_id", Integer),
    column("periode_einde", Date),
    column("soort", String),
    column("criteria_id", Integer),
    *(column(naam, Float) for naam in ("u_totaal", "u_primair", "u_vak")),
)
_PERIODE = tabel(Herregistratieperiode)  # Core: nothing here needs an ORM object or its bookkeeping
# For each last day of a judged period, the period after it (worked out by regels.datums, in Python):
# the next periods are then written by one join in SQL instead of travelling as rows.
_VOLGENDE = Table(
    "volgende_periode",
    MetaData(),
    Column("na", Date, primary_key=True),
    Column("periode_start", Date),
    Column("periode_einde", Date),
    Column("criteria_id", Integer),
    prefixes=["TEMPORARY"],
)


def _uren_per_periode(peildatum: dt.date, na_id: int | None) -> Any:
    """Every due period with the hours that count for it, per criterion: one aggregate over all of
    them, grouped by period id alone (the columns that ride along are joined after, so that the
    aggregate does not sort a million link rows by many keys). Only periods of bevoegdheden chosen
    for herregistratie are due. `na_id`: only periods written after that id (a later pass)."""
    p, a = Herregistratieperiode, PortfolioActiviteit
    binnen = and_(a.id == portfolio_bevoegdheid.c.activiteit_id, a.datum >= p.periode_start, a.datum <= p.periode_einde)
    uren = (
        select(
            p.id.label("periode_id"),
            func.coalesce(func.sum(a.uren), 0.0).label("u_totaal"),
            func.coalesce(func.sum(case((a.gebied.in_(list(regels.PRIMAIR_PROCES)), a.uren), else_=0.0)), 0.0).label(
                "u_primair"
            ),
            func.coalesce(func.sum(case((a.gebied == "VAKINHOUDELIJK", a.uren), else_=0.0)), 0.0).label("u_vak"),
        )
        .join(Bevoegdheid, Bevoegdheid.id == p.bevoegdheid_id)
        .outerjoin(portfolio_bevoegdheid, portfolio_bevoegdheid.c.bevoegdheid_id == p.bevoegdheid_id)
        .outerjoin(a, binnen)
        .where(
            p.uitkomst.is_(None),
            p.periode_einde < peildatum,
            Bevoegdheid.voor_herregistratie.is_(True),
            *([p.id > na_id] if na_id is not None else []),
        )
        .group_by(p.id)
        .subquery("uren")
    )
    return (
        select(
            p.id,
            p.bevoegdheid_id,
            p.periode_einde,
            Bevoegdheid.soort,
            p.criteria_id,
            uren.c.u_totaal,
            uren.c.u_primair,
            uren.c.u_vak,
        )
        .select_from(uren)
        .join(p, p.id == uren.c.periode_id)
        .join(Bevoegdheid, Bevoegdheid.id == p.bevoegdheid_id)
    )


async def beoordeel(v: Verzoek, peildatum: dt.date) -> Beoordeling:
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
    # A run that failed half-way on SQLite (whose DDL is not part of the request's transaction there)
    # may have left its temporary tables on this pooled connection. Qualified: never a real table.
    tijdelijk = "pg_temp" if v.db.dialect == "postgresql" else "temp"
    for naam in (_TE_BEOORDELEN.name, _VOLGENDE.name):
        await v.db.execute(text(f"DROP TABLE IF EXISTS {tijdelijk}.{naam}"))
    await v.db.lees(CreateTable(_VOLGENDE))
    bekend: dict[dt.date, dt.date] = {}  # last day -> last day of the period after (in volgende_periode)
    while True:
        # A later pass only looks at the periods written after this point: every other due period
        # is judged in this pass. Saying so lets the planner walk a few thousand periods by index
        # instead of hashing every activity in the register again.
        grens = (await v.db.lees(select(func.max(_PERIODE.c.id)))).scalar_one() or 0
        # One aggregate over every due period into a temporary table (at national scale a parallel
        # hash join: about three times faster than walking the links period by period), then the
        # outcomes a batch at a time in id order, so that memory stays flat however many are due.
        await v.db.execute(_MaakTijdelijk(_TE_BEOORDELEN.name, _uren_per_periode(peildatum, na_id)))
        # Read back a batch at a time by id: with an index each batch is a range, not a scan and
        # sort of the whole table (fifteen of them at national scale).
        await v.db.execute(text(f"CREATE INDEX ix_{_TE_BEOORDELEN.name} ON {_TE_BEOORDELEN.name} (id)"))
        if v.db.dialect == "postgresql":  # a new table has no statistics: plan the reads on real ones
            await v.db.execute(text(f"ANALYZE {_TE_BEOORDELEN.name}"))
        laatste_id, nog_een_ronde = 0, False
        while True:
            res = await v.db.lees(
                select(_TE_BEOORDELEN)
                .where(_TE_BEOORDELEN.c.id > laatste_id)
                .order_by(_TE_BEOORDELEN.c.id)
                .limit(PARTIJ)
            )
            rijen = res.all()
            if not rijen:
                break
            nog_een_ronde |= await _verwerk(v, peildatum, moment, alle_criteria, rijen, laatste_id, bekend, uitkomst)
            laatste_id = rijen[-1][0]
        await v.db.execute(text(f"DROP TABLE {_TE_BEOORDELEN.name}"))
        # A next period can itself be due already (a period missed for years): only then another pass.
        if not nog_een_ronde:
            break
        na_id = grens
    await v.db.lees(DropTable(_VOLGENDE))
    await leg_vast(v, dataversie=uitkomst.beoordeeld > 0)
    return uitkomst


async def _verwerk(
    v: Verzoek,
    peildatum: dt.date,
    moment: dt.datetime,
    alle_criteria: dict[int, regels.Criteria],
    rijen: Any,
    vanaf_id: int,
    bekend: dict[dt.date, dt.date],
    uitkomst: Beoordeling,
) -> bool:
    """Outcomes, next periods and aantekeningen for one batch of assessed periods (the rows of
    te_beoordelen after `vanaf_id`, up to the last of `rijen`). Python judges each period and works
    out the dates; the rows themselves are written from the temporary table. True when a next
    period written here is itself due on the peildatum."""
    voldaan: list[int] = []
    niet: list[int] = []
    nieuwe_dagen: list[dict[str, Any]] = []
    volgende_due = False
    for pid, _bid, einde, soort, criteria_id, u_tot, u_prim, u_vak in rijen:
        if regels.voldoet(regels.Uren(u_tot, u_prim, u_vak), alle_criteria[criteria_id], soort):
            voldaan.append(pid)
        else:
            niet.append(pid)
        volgend_einde = bekend.get(einde)
        if volgend_einde is None:  # many periods end on the same day: each day's next period once
            start = datums.volgende_periode_start(einde)
            volgend_einde = bekend[einde] = datums.periode_einde(start)
            nieuwe_dagen.append(
                {
                    "na": einde,
                    "periode_start": start,
                    "periode_einde": volgend_einde,
                    "criteria_id": regels.criteria_id_op(alle_criteria, start),
                }
            )
        volgende_due |= volgend_einde < peildatum
    await voeg_toe(v, _VOLGENDE, nieuwe_dagen)
    for ids, waarde in ((voldaan, regels.VOLDAAN), (niet, regels.NIET_VOLDAAN)):
        for waar in een_van(v, _PERIODE.c.id, ids):
            await v.db.lees(
                update(_PERIODE)
                .where(waar)
                .values(uitkomst=waarde, beoordeeld_op=peildatum, beoordeeld_tijdstip=moment)
            )
    # An aantekening for each bevoegdheid that fell short, unless one stands already: at most one
    # stands per bevoegdheid (the first period that fell short, should a bevoegdheid have two).
    t, a = _TE_BEOORDELEN, tabel(Aantekening)
    staat_al = exists().where(a.c.bevoegdheid_id == t.c.bevoegdheid_id, a.c.status == AantekeningStatus.STAAT.value)
    for waar in een_van(v, t.c.id, niet):
        tekort = (
            select(
                t.c.bevoegdheid_id,
                func.min(t.c.id),
                literal(peildatum, Date),
                literal(AantekeningStatus.STAAT.value, String),
            )
            .where(waar, ~staat_al)
            .group_by(t.c.bevoegdheid_id)
        )
        await v.db.lees(insert(a).from_select(["bevoegdheid_id", "periode_id", "geplaatst_op", "status"], tekort))
    # The next period of every one judged, whatever its outcome: it starts the day after.
    n = _VOLGENDE.c
    await v.db.lees(
        insert(_PERIODE).from_select(
            ["bevoegdheid_id", "periode_start", "periode_einde", "criteria_id"],
            select(t.c.bevoegdheid_id, n.periode_start, n.periode_einde, n.criteria_id)
            .join_from(t, _VOLGENDE, n.na == t.c.periode_einde)
            .where(t.c.id > vanaf_id, t.c.id <= rijen[-1][0]),
        )
    )
    uitkomst.beoordeeld += len(rijen)
    uitkomst.voldaan += len(voldaan)
    uitkomst.niet_voldaan += len(niet)
    return volgende_due


async def hef_op_waar_voldaan(v: Verzoek, leraar_id: int) -> int:
    """Lift each standing aantekening of this teacher whose rolling four years meet the criteria again.

    Called after every portfolio change. Returns how many were lifted.
    """
    res = await v.db.execute(
        select(Aantekening, Bevoegdheid)
        .join(Bevoegdheid, Bevoegdheid.id == Aantekening.bevoegdheid_id)
        .where(Bevoegdheid.leraar_id == leraar_id, Aantekening.status == AantekeningStatus.STAAT.value)
    )
    staand = res.all()
    if not staand:
        return 0
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
            aantekening.status, aantekening.opgeheven_op = AantekeningStatus.OPGEHEVEN.value, dag
            opgeheven += 1
    if opgeheven:
        await v.db.flush()
        v.loaders.vergeet()
    return opgeheven
