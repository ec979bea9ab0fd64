"""Objections to an aantekening (FAQ 15): filed by the teacher or a current employer, decided by the
beroepsgroep. GEGROND withdraws the aantekening (INGETROKKEN)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from sqlalchemy import func, select

from ..auth.policy import Doelgroep, Onderwerp
from ..models import Aantekening, Bevoegdheid, Bezwaar, Leraar
from ..models.base import nu
from ..models.statussen import AantekeningStatus, BezwaarStatus
from .fouten import Conflict, NietGevonden, Onbevoegd, OngeldigeInvoer
from .ids import id_getal
from .paginering import Pagina, venster
from .schrijven import leg_vast

if TYPE_CHECKING:
    from .verzoek import Verzoek

BEZWAARTERMIJN_DAGEN = 42


def bezwaar_mogelijk_tot(geplaatst_op: dt.date) -> dt.date:
    """The last day an objection can be filed: 42 days after geplaatstOp."""
    return geplaatst_op + dt.timedelta(days=BEZWAARTERMIJN_DAGEN)


async def dien_in(v: Verzoek, ruw_id: Any, motivering: str) -> tuple[Bezwaar, int]:
    """File an objection; returns it with the teacher's id (whose data it is)."""
    aantekening_id = id_getal(ruw_id, "aantekening")
    res = await v.db.execute(
        select(Aantekening, Bevoegdheid.leraar_id)
        .join(Bevoegdheid, Bevoegdheid.id == Aantekening.bevoegdheid_id)
        .where(Aantekening.id == aantekening_id)
    )
    rij = res.first()
    if rij is None:
        raise NietGevonden("no such aantekening", "aantekening")
    aantekening, leraar_id = rij
    groepen = await v.inzage.van(Onderwerp(leraar_id=leraar_id))
    if Doelgroep.LERAAR_ZELF in groepen:
        indiener, bestuur_id = "LERAAR", None
    elif Doelgroep.WERKGEVER in groepen:
        indiener, bestuur_id = "SCHOOLBESTUUR", await v.inzage.eigen_bestuur_id()
    else:
        raise Onbevoegd("only the teacher or a current employer can object to this aantekening", "aantekening")
    tekst = " ".join(motivering.split())
    if not tekst:
        raise OngeldigeInvoer("motivering must not be empty", "motivering")
    if len(tekst) > 10_000:
        raise OngeldigeInvoer("motivering must be at most 10000 characters", "motivering")
    if aantekening.status != AantekeningStatus.STAAT:
        raise Conflict("this aantekening no longer stands", "aantekening")
    if v.vandaag > bezwaar_mogelijk_tot(aantekening.geplaatst_op):
        raise Conflict(
            f"the objection period ended on {bezwaar_mogelijk_tot(aantekening.geplaatst_op).isoformat()}",
            "aantekening",
        )
    # A pending objection blocks another of the same party only: the teacher, or the same board
    # (API.md, "Visible changes only"); another board's or the teacher's does not.
    zelfde_partij = (
        (Bezwaar.schoolbestuur_id == bestuur_id) if bestuur_id is not None else (Bezwaar.ingediend_door == "LERAAR")
    )
    res = await v.db.execute(
        select(func.count())
        .select_from(Bezwaar)
        .where(Bezwaar.aantekening_id == aantekening.id, zelfde_partij, Bezwaar.status == BezwaarStatus.INGEDIEND.value)
    )
    if res.scalar_one():
        raise Conflict("an objection of yours against this aantekening is already pending", "aantekening")
    bezwaar = Bezwaar(
        aantekening_id=aantekening.id,
        ingediend_op=v.vandaag,
        ingediend_door=indiener,
        schoolbestuur_id=bestuur_id,
        motivering=tekst,
        status=BezwaarStatus.INGEDIEND.value,
    )
    v.db.session.add(bezwaar)  # stamped gewijzigd_op on insert: the filing board's own row
    await _raak_aan(v, None)
    return bezwaar, leraar_id


async def _raak_aan(v: Verzoek, leraar_id: int | None) -> None:
    """After a write: `leraar_id` when every employer sees the change (an aantekening withdrawn)."""
    gewijzigd = []
    if leraar_id is not None:
        res = await v.db.execute(select(Leraar).where(Leraar.id == leraar_id))
        gewijzigd.append(res.scalar_one())
    await leg_vast(v, gewijzigd=gewijzigd)


async def behandel(v: Verzoek, ruw_id: Any, uitspraak: str) -> tuple[Bezwaar, int]:
    if uitspraak not in (BezwaarStatus.GEGROND, BezwaarStatus.ONGEGROND):
        raise OngeldigeInvoer("uitspraak must be GEGROND or ONGEGROND", "uitspraak")
    bezwaar_id = id_getal(ruw_id, "bezwaar")
    res = await v.db.execute(
        select(Bezwaar, Aantekening, Bevoegdheid.leraar_id)
        .join(Aantekening, Aantekening.id == Bezwaar.aantekening_id)
        .join(Bevoegdheid, Bevoegdheid.id == Aantekening.bevoegdheid_id)
        .where(Bezwaar.id == bezwaar_id)
    )
    rij = res.first()
    if rij is None:
        raise NietGevonden("no such bezwaar", "bezwaar")
    bezwaar, aantekening, leraar_id = rij
    if bezwaar.status != BezwaarStatus.INGEDIEND:
        raise Conflict("this objection has been decided already", "bezwaar")
    bezwaar.status, bezwaar.behandeld_op, bezwaar.gewijzigd_op = uitspraak, v.vandaag, nu()
    ingetrokken = uitspraak == BezwaarStatus.GEGROND and aantekening.status == AantekeningStatus.STAAT
    if ingetrokken:
        aantekening.status = AantekeningStatus.INGETROKKEN.value
    await _raak_aan(v, leraar_id if ingetrokken else None)
    return bezwaar, leraar_id


async def lijst(v: Verzoek, status: str | None, first: int | None, after: str | None) -> Pagina[Any]:
    """Objections for the beroepsgroep, oldest first: (bezwaar, leraar_id) pairs."""
    limit, offset = venster(50 if first is None else first, after)
    waar = [] if status is None else [Bezwaar.status == status]
    totaal = (await v.db.execute(select(func.count()).select_from(Bezwaar).where(*waar))).scalar_one()
    res = await v.db.execute(
        select(Bezwaar, Bevoegdheid.leraar_id)
        .join(Aantekening, Aantekening.id == Bezwaar.aantekening_id)
        .join(Bevoegdheid, Bevoegdheid.id == Aantekening.bevoegdheid_id)
        .where(*waar)
        .order_by(Bezwaar.ingediend_op, Bezwaar.id)
        .limit(limit)
        .offset(offset)
    )
    rijen = [tuple(r) for r in res.all()]
    await v.inzage.laad_ids({lid for _, lid in rijen})
    return Pagina(rijen, offset, totaal)
