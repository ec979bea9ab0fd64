"""The teacher's corrections of personal data, and reports of wrong DUO data (meldFout).

A correction stands beside DUO's value: a later delivery with the same old value keeps it, one with
a new value replaces it (see levering._werk_persoon_bij). A report stays open until the next delivery
for that teacher, which is DUO's answer to it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import strawberry
from sqlalchemy import func, select

from ..models import Benoeming, Bevoegdheid, Foutmelding, Leraar, Schoolbestuur
from . import leraren
from .fouten import NietGevonden, Onbevoegd, OngeldigeInvoer, Verzamelaar
from .ids import id_getal
from .naamvelden import naam_velden_uit
from .paginering import Pagina, venster
from .schrijven import leg_vast

if TYPE_CHECKING:
    from .verzoek import Verzoek


def _gezet(waarde: Any) -> bool:
    return waarde is not strawberry.UNSET


async def corrigeer(v: Verzoek, invoer: Any) -> Leraar:
    leraar = await leraren.ik(v)
    z = Verzamelaar()
    nieuw: dict[str, str | None] = {
        "voornamen": leraar.voornamen,
        "tussenvoegsel": leraar.tussenvoegsel,
        "achternaam": leraar.achternaam,
    }
    for veld, verplicht, maximum in (("voornamen", True, 200), ("tussenvoegsel", False, 40), ("achternaam", True, 200)):
        waarde = getattr(invoer, veld)
        if not _gezet(waarde):
            continue
        schoon = " ".join(waarde.split()) if waarde is not None else None
        if verplicht and not schoon:
            z.fout(veld, "must not be empty")
        elif schoon and len(schoon) > maximum:
            z.fout(veld, f"must be at most {maximum} characters")
        else:
            nieuw[veld] = schoon or None
    z.controleer()
    for k, waarde in naam_velden_uit(nieuw).items():
        setattr(leraar, k, waarde)
    await leg_vast(v, gewijzigd=[leraar])
    return leraar


async def meld_fout(v: Verzoek, benoeming: Any, bevoegdheid: Any, toelichting: str) -> Foutmelding:
    leraar = await leraren.ik(v)
    tekst = " ".join((toelichting or "").split())
    if not tekst:
        raise OngeldigeInvoer("toelichting must not be empty", "toelichting")
    if (benoeming is None) == (bevoegdheid is None):
        raise OngeldigeInvoer(
            "name exactly one benoeming or one bevoegdheid", "benoeming" if benoeming else "bevoegdheid"
        )
    if benoeming is not None:
        ben_id = id_getal(benoeming, "benoeming")
        res = await v.db.execute(
            select(Benoeming, Schoolbestuur)
            .join(Schoolbestuur, Schoolbestuur.id == Benoeming.schoolbestuur_id)
            .where(Benoeming.id == ben_id)
        )
        rij = res.first()
        if rij is None:
            raise NietGevonden("no such benoeming", "benoeming")
        if rij[0].leraar_id != leraar.id:
            raise Onbevoegd("this benoeming is not yours", "benoeming")
        onderwerp = f"Benoeming {rij[0].vak} bij {rij[1].naam} vanaf {rij[0].begindatum.isoformat()}"
        velden = {"benoeming_id": ben_id}
    else:
        bev_id = id_getal(bevoegdheid, "bevoegdheid")
        res = await v.db.execute(select(Bevoegdheid).where(Bevoegdheid.id == bev_id))
        bev = res.scalar_one_or_none()
        if bev is None:
            raise NietGevonden("no such bevoegdheid", "bevoegdheid")
        if bev.leraar_id != leraar.id:
            raise Onbevoegd("this bevoegdheid is not yours", "bevoegdheid")
        onderwerp = f"Bevoegdheid {bev.vak} ({bev.soort})"
        velden = {"bevoegdheid_id": bev_id}
    melding = Foutmelding(
        leraar_id=leraar.id,
        onderwerp=onderwerp,
        toelichting=tekst[:5000],
        gemeld_op=v.vandaag,
        opgelost=False,
        **velden,
    )
    v.db.session.add(melding)
    await v.db.flush()
    return melding


async def open_meldingen(v: Verzoek, first: int | None, after: str | None) -> Pagina[Foutmelding]:
    """Open reports for DUO, oldest first."""
    limit, offset = venster(50 if first is None else first, after)
    waar = Foutmelding.opgelost.is_(False)
    totaal = (await v.db.execute(select(func.count()).select_from(Foutmelding).where(waar))).scalar_one()
    res = await v.db.execute(
        select(Foutmelding).where(waar).order_by(Foutmelding.gemeld_op, Foutmelding.id).limit(limit).offset(offset)
    )
    return Pagina(list(res.scalars().all()), offset, totaal)
