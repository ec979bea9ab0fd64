"""Herregistratie as clients see it: the current period per bevoegdheid, its hours and status, history."""
from __future__ import annotations

import asyncio
import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from ..models import Aantekening, Bevoegdheid, Herregistratieperiode
from ..regels import herregistratie as regels
from ..regels.herregistratie import Criteria

if TYPE_CHECKING:
    from .verzoek import Verzoek


@dataclass(frozen=True)
class PeriodeStand:
    bevoegdheid: Bevoegdheid
    start: dt.date
    einde: dt.date
    status: str
    behaalde_uren: float
    vereiste_uren: float
    voldaan: bool
    opgeslagen: bool


async def _stand(
    v: "Verzoek", bev: Bevoegdheid, start: dt.date, einde: dt.date, criteria: Criteria, uitkomst: str | None,
    opgeslagen: bool,
) -> PeriodeStand:
    activiteiten = await v.loaders.activiteiten_by_bevoegdheid.load(bev.id)
    tot = min(einde, v.vandaag)
    uren = regels.tel_uren((g, u) for d, g, u in activiteiten if start <= d <= tot)
    voldaan = regels.voldoet(uren, criteria, bev.soort)
    status = uitkomst or regels.voortgang(start, einde, v.vandaag, uren, criteria, bev.soort)
    return PeriodeStand(bev, start, einde, status, uren.totaal, criteria.totaal_uren, voldaan, opgeslagen)


async def _criteria_voor(v: "Verzoek", periode: Herregistratieperiode | None, start: dt.date) -> Criteria:
    alle = await v.loaders.criteria()
    if periode is not None and periode.criteria_id in alle:
        return alle[periode.criteria_id]
    gevonden = regels.criteria_op(list(alle.values()), start)
    if gevonden is None:  # a start before any criteria: the oldest record applies
        gevonden = min(alle.values(), key=lambda c: c.geldig_vanaf)
    return gevonden


async def perioden(v: "Verzoek", bev: Bevoegdheid) -> list[PeriodeStand]:
    """Every period of this bevoegdheid up to the one containing today, newest first."""
    opgeslagen: list[Herregistratieperiode] = await v.loaders.perioden_by_bevoegdheid.load(bev.id)
    if not opgeslagen:
        return []
    criteria = [await _criteria_voor(v, p, p.periode_start) for p in opgeslagen]
    standen = list(await asyncio.gather(
        *(_stand(v, bev, p.periode_start, p.periode_einde, c, p.uitkomst, True) for p, c in zip(opgeslagen, criteria))
    ))
    laatste = opgeslagen[-1]
    if laatste.periode_einde < v.vandaag and bev.voor_herregistratie:
        # The next period starts the day after, either way; it exists before anyone stores it.
        start, einde = regels.periode_op(laatste.periode_start, v.vandaag)
        standen.append(await _stand(v, bev, start, einde, await _criteria_voor(v, None, start), None, False))
    return sorted(standen, key=lambda s: s.start, reverse=True)


async def huidige_periode(v: "Verzoek", bev: Bevoegdheid) -> PeriodeStand | None:
    """The period containing today; None when the bevoegdheid is not chosen for herregistratie."""
    if not bev.voor_herregistratie:
        return None
    alle = await perioden(v, bev)
    for stand in alle:
        if stand.start <= v.vandaag <= stand.einde:
            return stand
    return alle[0] if alle else None


def gevolg(v: "Verzoek", aantekening: Aantekening) -> str:
    """ALLEEN_ONDER_BEGELEIDING from the configured date while the aantekening stands (FAQ 16)."""
    if aantekening.status == "STAAT" and v.vandaag >= v.settings.gevolg_vanaf:
        return "ALLEEN_ONDER_BEGELEIDING"
    return "GEEN"


async def staande_aantekening(v: "Verzoek", bev: Bevoegdheid) -> Aantekening | None:
    for a in await v.loaders.aantekeningen_by_bevoegdheid.load(bev.id):
        if a.status == "STAAT":
            return a
    return None
