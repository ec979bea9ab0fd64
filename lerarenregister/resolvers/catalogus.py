"""The catalogue (providers publish, the public searches) and the herregistratie criteria."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, func, select

from ..auth.viewer import AanbiederViewer
from ..models import Aanbieder, CatalogusActiviteit, Herregistratiecriteria
from ..models.base import lengte
from ..regels.naam import zonder_accenten
from .fouten import Conflict, NietGevonden, Onbevoegd, Verzamelaar
from .ids import id_getal
from .paginering import Pagina, venster
from .schrijven import leg_vast

if TYPE_CHECKING:
    from .verzoek import Verzoek

_NIET_WOORD = re.compile(r"[\W_]+")


def zoektitel(titel: str) -> str:
    """Titles are searched case- and accent-blind, word by word; punctuation separates words."""
    return " ".join(_NIET_WOORD.sub(" ", zonder_accenten(titel).casefold()).split())


# A title may have 300 characters and fold longer ('ﬃ' is 'ffi'); the stored search key keeps what its
# column holds (PostgreSQL refused more: an INTERNAL_SERVER_ERROR).
_ZOEKTITEL_MAX = lengte(CatalogusActiviteit, "zoektitel")


def _escape(woord: str) -> str:
    return woord.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


async def zoek(v: Verzoek, zoekterm: str | None, first: int | None, after: str | None) -> Pagina[Any]:
    """Activities not withdrawn whose title has, for each word of the term, a word starting with it."""
    limit, offset = venster(first, after)
    waar = [CatalogusActiviteit.ingetrokken.is_(False)]
    for woord in zoektitel(zoekterm or "").split():
        waar.append((" " + CatalogusActiviteit.zoektitel).like(f"% {_escape(woord)}%", escape="\\"))
    voorwaarde = and_(*waar)
    totaal = (await v.db.execute(select(func.count()).select_from(CatalogusActiviteit).where(voorwaarde))).scalar_one()
    res = await v.db.execute(
        select(CatalogusActiviteit, Aanbieder)
        .join(Aanbieder, Aanbieder.id == CatalogusActiviteit.aanbieder_id)
        .where(voorwaarde)
        .order_by(CatalogusActiviteit.zoektitel, CatalogusActiviteit.id)
        .limit(limit)
        .offset(offset)
    )
    return Pagina([tuple(r) for r in res.all()], offset, totaal)


async def criteria_vandaag(v: Verzoek) -> Herregistratiecriteria:
    """The criteria in force today (the latest geldig_vanaf on or before today)."""
    res = await v.db.execute(
        select(Herregistratiecriteria)
        .where(Herregistratiecriteria.geldig_vanaf <= v.vandaag)
        .order_by(Herregistratiecriteria.geldig_vanaf.desc())
        .limit(1)
    )
    gevonden: Herregistratiecriteria | None = res.scalar_one_or_none()
    if gevonden is None:
        res = await v.db.execute(select(Herregistratiecriteria).order_by(Herregistratiecriteria.geldig_vanaf).limit(1))
        gevonden = res.scalar_one()
    return gevonden


async def publiceer(v: Verzoek, invoer: Any) -> tuple[CatalogusActiviteit, Aanbieder]:
    """A provider publishes an activity (validation rules of the beroepsgroep, API.md "Catalogue")."""
    viewer = v.viewer
    assert isinstance(viewer, AanbiederViewer)  # the field's declaration admits providers only
    z = Verzamelaar()
    titel = " ".join((invoer.titel or "").split())
    if not titel:
        z.fout("titel", "must not be empty")
    elif len(titel) > 300:
        z.fout("titel", "must be at most 300 characters")
    for veld in ("contacturen", "zelfstudieuren"):
        waarde = getattr(invoer, veld)
        if waarde < 0 or waarde > 2000:
            z.fout(veld, "must be between 0 and 2000")
    if invoer.contacturen + invoer.zelfstudieuren <= 0:
        z.fout("contacturen", "an activity needs more than 0 hours")
    if invoer.zelfstudieuren > invoer.contacturen and not invoer.toetsing:
        z.fout("toetsing", "an activity with more self-study than contact hours needs toetsing: true")
    omschrijving = (invoer.omschrijving or "").strip() or None
    if omschrijving and len(omschrijving) > 10_000:
        z.fout("omschrijving", "must be at most 10000 characters")
    z.controleer()
    res = await v.db.execute(select(Aanbieder).where(Aanbieder.code == viewer.code))
    aanbieder = res.scalar_one_or_none()
    if aanbieder is None:
        aanbieder = Aanbieder(code=viewer.code, naam=viewer.naam)
        v.db.session.add(aanbieder)
        await v.db.flush()
    elif viewer.naam and aanbieder.naam != viewer.naam:
        aanbieder.naam = viewer.naam
    act = CatalogusActiviteit(
        aanbieder_id=aanbieder.id,
        titel=titel,
        zoektitel=zoektitel(titel)[:_ZOEKTITEL_MAX],
        omschrijving=omschrijving,
        soort=getattr(invoer.soort, "value", invoer.soort),
        contacturen=float(invoer.contacturen),
        zelfstudieuren=float(invoer.zelfstudieuren),
        gebied=getattr(invoer.gebied, "value", invoer.gebied),
        toetsing=invoer.toetsing,
        ingetrokken=False,
    )
    v.db.session.add(act)
    await leg_vast(v)
    return act, aanbieder


async def trek_in(v: Verzoek, ruw_id: Any) -> tuple[CatalogusActiviteit, Aanbieder]:
    """A provider withdraws its own activity; entries that used it keep it."""
    viewer = v.viewer
    assert isinstance(viewer, AanbiederViewer)
    act_id = id_getal(ruw_id, "id")
    res = await v.db.execute(
        select(CatalogusActiviteit, Aanbieder)
        .join(Aanbieder, Aanbieder.id == CatalogusActiviteit.aanbieder_id)
        .where(CatalogusActiviteit.id == act_id)
    )
    rij = res.first()
    if rij is None:
        raise NietGevonden("no such activity", "id")
    act, aanbieder = rij
    if aanbieder.code != viewer.code:
        raise Onbevoegd("this activity belongs to another provider", "id")
    if act.ingetrokken:
        raise Conflict("this activity has been withdrawn already", "id")
    act.ingetrokken = True
    await leg_vast(v)
    return act, aanbieder


async def stel_criteria_vast(v: Verzoek, invoer: Any) -> Herregistratiecriteria:
    """The beroepsgroep decides new criteria, in force from a date not in the past."""
    z = Verzamelaar()
    if invoer.geldig_vanaf < v.vandaag:
        z.fout("geldigVanaf", "must not be in the past")
    for veld, naam in (
        ("totaal_uren", "totaalUren"),
        ("primair_proces_uren", "primairProcesUren"),
        ("vakinhoudelijk_vo_uren", "vakinhoudelijkVoUren"),
    ):
        waarde = getattr(invoer, veld)
        if waarde < 0 or waarde > 10_000:
            z.fout(naam, "must be between 0 and 10000")
    if invoer.primair_proces_uren > invoer.totaal_uren:
        z.fout("primairProcesUren", "must not exceed totaalUren")
    if invoer.vakinhoudelijk_vo_uren > invoer.primair_proces_uren:
        z.fout("vakinhoudelijkVoUren", "must not exceed primairProcesUren (vakinhoudelijk is part of it)")
    z.controleer()
    res = await v.db.execute(
        select(Herregistratiecriteria).where(Herregistratiecriteria.geldig_vanaf == invoer.geldig_vanaf)
    )
    rij: Herregistratiecriteria | None = res.scalar_one_or_none()
    if rij is None:
        rij = Herregistratiecriteria(geldig_vanaf=invoer.geldig_vanaf)
        v.db.session.add(rij)
    # A decision for a date still to come may be corrected before it takes effect.
    rij.totaal_uren = float(invoer.totaal_uren)
    rij.primair_proces_uren = float(invoer.primair_proces_uren)
    rij.vakinhoudelijk_vo_uren = float(invoer.vakinhoudelijk_vo_uren)
    await leg_vast(v)
    return rij
