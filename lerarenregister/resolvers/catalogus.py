"""The catalogue: public search over activities, and the criteria in force."""
from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import and_, func, select

from ..models import Aanbieder, CatalogusActiviteit, Herregistratiecriteria
from ..regels.naam import zonder_accenten
from .paginering import Pagina, venster

if TYPE_CHECKING:
    from .verzoek import Verzoek


def zoektitel(titel: str) -> str:
    """Titles are searched case- and accent-blind, word by word."""
    return " ".join(zonder_accenten(titel).casefold().split())


def _escape(woord: str) -> str:
    return woord.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


async def zoek(v: "Verzoek", zoekterm: str | None, first: int | None, after: str | None) -> Pagina:  # type: ignore[type-arg]
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


async def criteria_vandaag(v: "Verzoek") -> Herregistratiecriteria:
    """The criteria in force today (the latest geldig_vanaf on or before today)."""
    res = await v.db.execute(
        select(Herregistratiecriteria)
        .where(Herregistratiecriteria.geldig_vanaf <= v.vandaag)
        .order_by(Herregistratiecriteria.geldig_vanaf.desc())
        .limit(1)
    )
    gevonden = res.scalar_one_or_none()
    if gevonden is None:
        res = await v.db.execute(select(Herregistratiecriteria).order_by(Herregistratiecriteria.geldig_vanaf).limit(1))
        gevonden = res.scalar_one()
    return gevonden
