"""The teacher's own registration: confirm, choose bevoegdheden for herregistratie, consent."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import insert, select, update

from ..models import Bevoegdheid, Herregistratieperiode, Leraar
from ..models.statussen import Registratiestatus
from ..regels import datums
from ..regels.herregistratie import criteria_id_op
from . import leraren
from .fouten import Conflict, OngeldigeInvoer
from .ids import id_getal
from .schrijven import leg_vast

if TYPE_CHECKING:
    from .verzoek import Verzoek


async def _gekozen(v: Verzoek, leraar: Leraar, ids: Sequence[Any], veld: str) -> list[Bevoegdheid]:
    if not ids:
        raise OngeldigeInvoer("choose at least one of your bevoegdheden", veld)
    gevraagd = [id_getal(i, f"{veld}[{n}]") for n, i in enumerate(ids)]
    eigen = {b.id: b for b in await v.loaders.bevoegdheden_by_leraar.load(leraar.id)}
    for n, i in enumerate(gevraagd):
        if i not in eigen:
            raise OngeldigeInvoer("not one of your bevoegdheden", f"{veld}[{n}]")
    return [eigen[i] for i in dict.fromkeys(gevraagd)]


async def _start_perioden(v: Verzoek, bevoegdheden: Sequence[Bevoegdheid]) -> None:
    """Start a period today for each bevoegdheid that has none yet (a dropped one resumes its chain)."""
    if not bevoegdheden:
        return
    res = await v.db.execute(
        select(Herregistratieperiode.bevoegdheid_id).where(
            Herregistratieperiode.bevoegdheid_id.in_([b.id for b in bevoegdheden])
        )
    )
    met_periode = set(res.scalars().all())
    alle = await v.loaders.criteria()
    criteria_id = criteria_id_op(alle, v.vandaag)
    rijen = [
        {
            "bevoegdheid_id": b.id,
            "periode_start": v.vandaag,
            "periode_einde": datums.periode_einde(v.vandaag),
            "criteria_id": criteria_id,
        }
        for b in bevoegdheden
        if b.id not in met_periode
    ]
    if rijen:
        await v.db.execute(insert(Herregistratieperiode), rijen)


async def _kies(v: Verzoek, leraar: Leraar, gekozen: list[Bevoegdheid]) -> None:
    gekozen_ids = [b.id for b in gekozen]
    await v.db.execute(
        update(Bevoegdheid)
        .where(Bevoegdheid.leraar_id == leraar.id)
        .values(voor_herregistratie=Bevoegdheid.id.in_(gekozen_ids))
    )
    await _start_perioden(v, gekozen)
    await leg_vast(v, gewijzigd=[leraar])


async def bevestig(v: Verzoek, herregistratie_bevoegdheden: Sequence[Any]) -> Leraar:
    leraar = await leraren.ik(v)
    if leraar.status == Registratiestatus.GEREGISTREERD:
        raise Conflict("the registration is already confirmed")
    gekozen = await _gekozen(v, leraar, herregistratie_bevoegdheden, "herregistratieBevoegdheden")
    leraar.status = Registratiestatus.GEREGISTREERD.value
    leraar.geregistreerd_op = v.vandaag
    await _kies(v, leraar, gekozen)
    return leraar


async def kies_bevoegdheden(v: Verzoek, bevoegdheden: Sequence[Any]) -> Leraar:
    leraar = await leraren.ik(v)
    if leraar.status != Registratiestatus.GEREGISTREERD:
        raise Conflict("confirm the registration first (bevestigRegistratie)")
    gekozen = await _gekozen(v, leraar, bevoegdheden, "bevoegdheden")
    await _kies(v, leraar, gekozen)
    return leraar


async def zet_portfolio_openbaar(v: Verzoek, openbaar: bool) -> Leraar:
    leraar = await leraren.ik(v)
    if leraar.portfolio_openbaar != openbaar:
        leraar.portfolio_openbaar = openbaar  # not a change any board sees: gewijzigd_op stays
        await leg_vast(v, inzage_van=[leraar.id])
        await v.inzage.laad([leraar])
    return leraar
