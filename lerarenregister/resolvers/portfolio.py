"""The teacher's portfolio: activities with hours, each counting for chosen bevoegdheden.

Error fields of an ActiviteitInvoer name the input field itself (`datum`, `bevoegdheden`), as
API.md's rules do.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import delete, func, insert, select

from ..auth.policy import Doelgroep
from ..models import CatalogusActiviteit, Leraar, PortfolioActiviteit, portfolio_bevoegdheid
from ..models.base import nu
from ..models.statussen import Registratiestatus
from . import herregistratie, leraren
from .beoordeling import hef_op_waar_voldaan
from .fouten import Conflict, NietGevonden, Onbevoegd, Verzamelaar
from .ids import id_getal
from .loaders import Vooruit
from .paginering import Pagina, venster
from .schrijven import leg_vast

if TYPE_CHECKING:
    from .verzoek import Verzoek

MAX_UREN = 2000.0  # more than a year of full-time study in one entry is a typing error
OUDSTE = dt.date(1990, 1, 1)


async def pagina(v: Verzoek, leraar_id: int, first: int | None, after: str | None) -> Pagina[PortfolioActiviteit]:
    """The portfolio, newest datum first."""
    limit, offset = venster(50 if first is None else first, after)
    totaal = (
        await v.db.execute(
            select(func.count()).select_from(PortfolioActiviteit).where(PortfolioActiviteit.leraar_id == leraar_id)
        )
    ).scalar_one()
    res = await v.db.lees(
        select(*PortfolioActiviteit.__table__.c)
        .where(PortfolioActiviteit.leraar_id == leraar_id)
        .order_by(PortfolioActiviteit.datum.desc(), PortfolioActiviteit.id.desc())
        .limit(limit)
        .offset(offset)
    )
    return Pagina(list(res.all()), offset, totaal)


async def laad_pagina_vooruit(
    v: Verzoek, rijen: Sequence[PortfolioActiviteit], stappen: Mapping[Vooruit, frozenset[Doelgroep]]
) -> None:
    """The bevoegdheden of a page of activities, loaded with the page rather than per entry, when a
    field asked of each entry answers from them (`stappen`: schema/vooruit.py `gevraagd`)."""
    if Vooruit.ACTIVITEIT_BEVOEGDHEDEN in stappen:
        per_activiteit = await v.loaders.bevoegdheden_by_activiteit.load_many([r.id for r in rijen])
        await v.loaders.bevoegdheid_by_id.load_many(sorted({i for ids in per_activiteit for i in ids}))


async def bevoegdheden_van(v: Verzoek, activiteit_id: int) -> list[Any]:
    """The bevoegdheden (plain rows; None for an id gone) an activity counts for."""
    ids = await v.loaders.bevoegdheden_by_activiteit.load(activiteit_id)
    return await v.loaders.bevoegdheid_by_id.load_many(ids)


async def _geregistreerde_ik(v: Verzoek) -> Leraar:
    leraar = await leraren.ik(v)
    if leraar.status != Registratiestatus.GEREGISTREERD:
        raise Conflict("confirm the registration first (bevestigRegistratie): only then is there a portfolio")
    return leraar


async def _valideer(v: Verzoek, leraar: Leraar, invoer: Any) -> tuple[dict[str, Any], list[int]]:
    z = Verzamelaar()
    titel = " ".join((invoer.titel or "").split())
    if not titel:
        z.fout("titel", "must not be empty")
    elif len(titel) > 300:
        z.fout("titel", "must be at most 300 characters")
    if invoer.datum > v.vandaag:
        z.fout("datum", "must not be after today")
    elif invoer.datum < OUDSTE:
        z.fout("datum", f"must not be before {OUDSTE.isoformat()}")
    uren, gebied, bron, catalogus_id = invoer.uren, getattr(invoer.gebied, "value", invoer.gebied), "EIGEN", None
    if invoer.catalogus_activiteit is not None:
        try:
            catalogus_id = id_getal(invoer.catalogus_activiteit, "catalogusActiviteit")
            res = await v.db.execute(select(CatalogusActiviteit).where(CatalogusActiviteit.id == catalogus_id))
            act = res.scalar_one_or_none()
        except Exception:
            act = None
        if act is None or act.ingetrokken:
            z.fout("catalogusActiviteit", "no such activity in the catalogue (or it was withdrawn)")
        else:
            uren, gebied, bron = act.contacturen + act.zelfstudieuren, act.gebied, "CATALOGUS"
    if not (uren > 0):
        z.fout("uren", "must be more than 0")
    elif uren > MAX_UREN:
        z.fout("uren", f"must be at most {MAX_UREN:g}")
    eigen = {b.id: b for b in await v.loaders.bevoegdheden_by_leraar.load(leraar.id)}
    gekozen: list[int] = []
    if not invoer.bevoegdheden:
        z.fout("bevoegdheden", "name at least one of your bevoegdheden chosen for herregistratie")
    for ruw in invoer.bevoegdheden:
        try:
            i = id_getal(ruw, "bevoegdheden")
        except Exception:
            i = -1
        if i not in eigen or not eigen[i].voor_herregistratie:
            z.fout("bevoegdheden", f"{ruw} is not one of your bevoegdheden chosen for herregistratie")
        elif i not in gekozen:
            gekozen.append(i)
    z.controleer()
    return {
        "titel": titel,
        "datum": invoer.datum,
        "uren": float(uren),
        "gebied": gebied,
        "bron": bron,
        "catalogus_activiteit_id": catalogus_id,
    }, gekozen


async def zichtbare_stand(v: Verzoek, leraar: Leraar) -> tuple[Any, ...]:
    """What an employer sees of this teacher that a portfolio change can move: each current period's
    status, each standing aantekening, the warnings (API.md, "Visible changes only")."""
    bevoegdheden = await v.loaders.bevoegdheden_by_leraar.load(leraar.id)
    perioden = await herregistratie.huidige_perioden(v, bevoegdheden)
    staande = await herregistratie.staande_aantekeningen(v, [b.id for b in bevoegdheden])
    waarschuwingen = await leraren.waarschuwingen(v, leraar)
    return (
        tuple((p.start, p.einde, p.status) if p else None for p in perioden),
        tuple((a.id, a.status) if a else None for a in staande),
        tuple(waarschuwingen),
    )


async def _na_wijziging(v: Verzoek, leraar: Leraar, stand_voor: tuple[Any, ...]) -> None:
    await leg_vast(v)
    # An aantekening is lifted as soon as the criteria are met again (FAQ 16): check on every change.
    await hef_op_waar_voldaan(v, leraar.id)
    v.loaders.vergeet()
    # A portfolio is no employer's business: only a change it moves in what they see shows to them.
    if await zichtbare_stand(v, leraar) != stand_voor:
        await leg_vast(v, gewijzigd=[leraar], dataversie=False)  # bumped above, in this transaction


async def voeg_toe(v: Verzoek, invoer: Any) -> PortfolioActiviteit:
    leraar = await _geregistreerde_ik(v)
    velden, bevoegdheden = await _valideer(v, leraar, invoer)
    stand = await zichtbare_stand(v, leraar)
    res = await v.db.execute(
        insert(PortfolioActiviteit).returning(PortfolioActiviteit.id),
        [{"leraar_id": leraar.id, "aangemaakt_op": nu(), **velden}],
    )
    nieuw_id = res.scalar_one()
    await v.db.execute(
        insert(portfolio_bevoegdheid), [{"activiteit_id": nieuw_id, "bevoegdheid_id": b} for b in bevoegdheden]
    )
    await _na_wijziging(v, leraar, stand)
    res = await v.db.execute(select(PortfolioActiviteit).where(PortfolioActiviteit.id == nieuw_id))
    nieuw: PortfolioActiviteit = res.scalar_one()
    return nieuw


async def _eigen_activiteit(v: Verzoek, leraar: Leraar, ruw: Any) -> PortfolioActiviteit:
    act_id = id_getal(ruw, "id")
    res = await v.db.execute(select(PortfolioActiviteit).where(PortfolioActiviteit.id == act_id))
    act: PortfolioActiviteit | None = res.scalar_one_or_none()
    if act is None:
        raise NietGevonden("no such activity", "id")
    if act.leraar_id != leraar.id:
        raise Onbevoegd("this activity is not yours", "id")
    return act


async def wijzig(v: Verzoek, ruw_id: Any, invoer: Any) -> PortfolioActiviteit:
    leraar = await _geregistreerde_ik(v)
    act = await _eigen_activiteit(v, leraar, ruw_id)
    if act.bron == "VRIJWILLIG_REGISTER":
        raise Conflict("entries imported from the voluntary register are read-only; delete it instead", "id")
    velden, bevoegdheden = await _valideer(v, leraar, invoer)
    stand = await zichtbare_stand(v, leraar)
    for k, waarde in velden.items():
        setattr(act, k, waarde)
    await v.db.execute(delete(portfolio_bevoegdheid).where(portfolio_bevoegdheid.c.activiteit_id == act.id))
    await v.db.execute(
        insert(portfolio_bevoegdheid), [{"activiteit_id": act.id, "bevoegdheid_id": b} for b in bevoegdheden]
    )
    await _na_wijziging(v, leraar, stand)
    return act


async def verwijder(v: Verzoek, ruw_id: Any) -> str:
    leraar = await _geregistreerde_ik(v)
    act = await _eigen_activiteit(v, leraar, ruw_id)
    stand = await zichtbare_stand(v, leraar)
    await v.db.execute(delete(portfolio_bevoegdheid).where(portfolio_bevoegdheid.c.activiteit_id == act.id))
    await v.db.execute(delete(PortfolioActiviteit).where(PortfolioActiviteit.id == act.id))
    await _na_wijziging(v, leraar, stand)
    return str(act.id)


def bewerkbaar(act: PortfolioActiviteit) -> bool:
    return act.bron != "VRIJWILLIG_REGISTER"


__all__: Sequence[str] = ["pagina", "voeg_toe", "wijzig", "verwijder", "bewerkbaar"]
