"""The end-of-period assessment (beroepsgroep) and lifting aantekeningen again.

Only periods of bevoegdheden chosen for herregistratie are assessed: a dropped one keeps its
history but is not judged. The assessment is set-based: one aggregate query over every due period, then bulk updates and
inserts, repeated while a newly started period is itself already due. It is idempotent: a period is
assessed once (uitkomst set), so running it again finds nothing due.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterable

from sqlalchemy import and_, case, func, insert, select, update

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
from .schrijven import verhoog_dataversie

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


async def beoordeel(v: "Verzoek", peildatum: dt.date) -> Beoordeling:
    if peildatum > v.vandaag:
        raise OngeldigeInvoer("peildatum must not be after today", "peildatum")
    uitkomst = Beoordeling()
    alle_criteria = await _criteria(v)
    primair = list(regels.PRIMAIR_PROCES)
    laatste_id = 0
    while True:
        # A batch of due periods at a time, in id order: memory stays flat however many are due, and
        # the next periods this inserts (higher ids) are met later in the same pass when due too.
        p, a = Herregistratieperiode, PortfolioActiviteit
        te_doen = (
            select(p.id)
            .join(Bevoegdheid, Bevoegdheid.id == p.bevoegdheid_id)
            .where(p.uitkomst.is_(None), p.periode_einde < peildatum, Bevoegdheid.voor_herregistratie.is_(True),
                   p.id > laatste_id)
            .order_by(p.id)
            .limit(PARTIJ)
        )
        binnen = and_(a.id == portfolio_bevoegdheid.c.activiteit_id, a.datum >= p.periode_start,
                      a.datum <= p.periode_einde)
        res = await v.db.execute(
            select(
                p.id, p.bevoegdheid_id, p.periode_einde, Bevoegdheid.soort, Bevoegdheid.voor_herregistratie,
                Bevoegdheid.leraar_id, Herregistratiecriteria.totaal_uren, Herregistratiecriteria.primair_proces_uren,
                Herregistratiecriteria.vakinhoudelijk_vo_uren,
                func.coalesce(func.sum(a.uren), 0.0),
                func.coalesce(func.sum(case((a.gebied.in_(primair), a.uren), else_=0.0)), 0.0),
                func.coalesce(func.sum(case((a.gebied == "VAKINHOUDELIJK", a.uren), else_=0.0)), 0.0),
            )
            .join(Bevoegdheid, Bevoegdheid.id == p.bevoegdheid_id)
            .join(Herregistratiecriteria, Herregistratiecriteria.id == p.criteria_id)
            .outerjoin(portfolio_bevoegdheid, portfolio_bevoegdheid.c.bevoegdheid_id == p.bevoegdheid_id)
            .outerjoin(a, binnen)
            .where(p.id.in_(te_doen.scalar_subquery()))
            .group_by(p.id, p.bevoegdheid_id, p.periode_einde, Bevoegdheid.soort, Bevoegdheid.voor_herregistratie,
                      Bevoegdheid.leraar_id, Herregistratiecriteria.totaal_uren,
                      Herregistratiecriteria.primair_proces_uren, Herregistratiecriteria.vakinhoudelijk_vo_uren)
        )
        rijen = res.all()
        if not rijen:
            break
        laatste_id = max(r[0] for r in rijen)
        voldaan, niet, volgende, leraren = [], [], [], set()
        for (pid, bid, einde, soort, gekozen, leraar_id, tot, prim, vo, u_tot, u_prim, u_vak) in rijen:
            c = regels.Criteria(dt.date.min, tot, prim, vo)
            ok = regels.voldoet(regels.Uren(u_tot, u_prim, u_vak), c, soort)
            (voldaan if ok else niet).append((pid, bid))
            leraren.add(leraar_id)
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
            await v.db.execute(insert(Aantekening), list(nieuw.values()))
        if volgende:
            await v.db.execute(insert(Herregistratieperiode), volgende)
        for blok in _blokken(sorted(leraren)):
            await v.db.execute(update(Leraar).where(Leraar.id.in_(blok)).values(gewijzigd_op=nu()))
        uitkomst.beoordeeld += len(rijen)
        uitkomst.voldaan += len(voldaan)
        uitkomst.niet_voldaan += len(niet)
    if uitkomst.beoordeeld:
        await verhoog_dataversie(v)
    v.loaders.vergeet()
    return uitkomst


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
