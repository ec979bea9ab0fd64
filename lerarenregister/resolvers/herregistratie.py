"""Herregistratie as clients see it: the current period per bevoegdheid, its hours and status, history."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, NamedTuple

from ..models import Aantekening, Bevoegdheid, Herregistratieperiode
from ..models.statussen import AantekeningStatus
from ..regels import herregistratie as regels
from ..regels.herregistratie import Criteria
from .loaders import laad_veel

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


def _stand(
    v: Verzoek,
    bev: Bevoegdheid,
    start: dt.date,
    einde: dt.date,
    criteria: Criteria,
    uitkomst: str | None,
    opgeslagen: bool,
    activiteiten: Iterable[tuple[dt.date, str, float]],
) -> PeriodeStand:
    tot = min(einde, v.vandaag)
    uren = regels.tel_uren_tussen(activiteiten, start, tot)
    voldaan = regels.voldoet(uren, criteria, bev.soort)
    status = uitkomst or regels.voortgang(start, einde, v.vandaag, uren, criteria, bev.soort)
    return PeriodeStand(bev, start, einde, status, uren.totaal, criteria.totaal_uren, voldaan, opgeslagen)


def _criteria_voor(alle: dict[int, Criteria], periode: Any, start: dt.date) -> Criteria:
    if periode is not None and periode.criteria_id in alle:
        return alle[periode.criteria_id]
    return alle[regels.criteria_id_op(alle, start)]


@dataclass(frozen=True)
class _Gegevens:
    opgeslagen: list[Herregistratieperiode]
    activiteiten: list[tuple[dt.date, str, float]]


async def _gegevens(
    v: Verzoek, bevoegdheden: list[Bevoegdheid], pagina: bool = False
) -> tuple[list[_Gegevens], dict[int, Criteria]]:
    """Periods and activities of these bevoegdheden: one batch each for a whole page.

    No task per bevoegdheid: the loaders' load_many hands out futures, and every caller on a page
    takes the same steps in the same order, so their loads meet in the same batches.
    """
    ids = [b.id for b in bevoegdheden]
    perioden_ = await laad_veel(v.loaders.perioden_by_bevoegdheid, ids, pagina)
    activiteiten = await laad_veel(v.loaders.activiteiten_by_bevoegdheid, ids, pagina)
    criteria = await v.loaders.criteria()
    return [_Gegevens(p, a) for p, a in zip(perioden_, activiteiten)], criteria


def _alle(v: Verzoek, bev: Bevoegdheid, g: _Gegevens, alle: dict[int, Criteria]) -> list[PeriodeStand]:
    if not g.opgeslagen:
        return []
    standen = [
        _stand(
            v,
            bev,
            p.periode_start,
            p.periode_einde,
            _criteria_voor(alle, p, p.periode_start),
            p.uitkomst,
            True,
            g.activiteiten,
        )
        for p in g.opgeslagen
    ]
    laatste = g.opgeslagen[-1]
    if laatste.periode_einde < v.vandaag and bev.voor_herregistratie:
        # The next period starts the day after, either way; it exists before anyone stores it.
        start, einde = regels.periode_op(laatste.periode_start, v.vandaag)
        standen.append(_stand(v, bev, start, einde, _criteria_voor(alle, None, start), None, False, g.activiteiten))
    return sorted(standen, key=lambda s: s.start, reverse=True)


class Keuze(NamedTuple):
    """Which period is a bevoegdheid's current one, before its hours are counted."""

    start: dt.date
    einde: dt.date
    criteria: Criteria
    uitkomst: str | None
    opgeslagen: bool

    def venster(self, vandaag: dt.date) -> tuple[dt.date, dt.date]:
        """The days whose activities count for this period today (none when it starts later)."""
        return self.start, min(self.einde, vandaag)


def huidige_keuze(vandaag: dt.date, bev: Any, opgeslagen: Sequence[Any], alle: dict[int, Criteria]) -> Keuze | None:
    """The one of `_alle` that contains today (else the newest), without working out the others;
    None when the bevoegdheid has no current period. `opgeslagen`: its stored periods, oldest first."""
    if not bev.voor_herregistratie or not opgeslagen:
        return None
    for p in opgeslagen:
        if p.periode_start <= vandaag <= p.periode_einde:
            return Keuze(p.periode_start, p.periode_einde, _criteria_voor(alle, p, p.periode_start), p.uitkomst, True)
    laatste = opgeslagen[-1]
    if laatste.periode_einde < vandaag:  # as in _alle: the period after the last stored one, containing today
        start, einde = regels.periode_op(laatste.periode_start, vandaag)
        return Keuze(start, einde, _criteria_voor(alle, None, start), None, False)
    p = max(opgeslagen, key=lambda p: p.periode_start)
    return Keuze(p.periode_start, p.periode_einde, _criteria_voor(alle, p, p.periode_start), p.uitkomst, True)


def stand(v: Verzoek, bev: Any, k: Keuze, activiteiten: Iterable[tuple[dt.date, str, float]]) -> PeriodeStand:
    """The chosen period's state from the bevoegdheid's activities (any outside its window are skipped)."""
    return _stand(v, bev, k.start, k.einde, k.criteria, k.uitkomst, k.opgeslagen, activiteiten)


def _huidige(v: Verzoek, bev: Bevoegdheid, g: _Gegevens, alle: dict[int, Criteria]) -> PeriodeStand | None:
    k = huidige_keuze(v.vandaag, bev, g.opgeslagen, alle)
    return None if k is None else stand(v, bev, k, g.activiteiten)


async def perioden(v: Verzoek, bev: Bevoegdheid) -> list[PeriodeStand]:
    """Every period of this bevoegdheid up to the one containing today, newest first."""
    (g,), alle = await _gegevens(v, [bev])
    return _alle(v, bev, g, alle)


async def huidige_periode(v: Verzoek, bev: Bevoegdheid) -> PeriodeStand | None:
    """The period containing today; None when the bevoegdheid is not chosen for herregistratie."""
    if not bev.voor_herregistratie:
        return None
    (g,), alle = await _gegevens(v, [bev])
    return _huidige(v, bev, g, alle)


async def huidige_perioden(
    v: Verzoek, bevoegdheden: list[Bevoegdheid], pagina: bool = False
) -> list[PeriodeStand | None]:
    """As huidige_periode, for many bevoegdheden at once (`pagina`: those of a whole page)."""
    gekozen = [b for b in bevoegdheden if b.voor_herregistratie]  # the others have no current period
    gegevens, alle = await _gegevens(v, gekozen, pagina)
    per_id = {b.id: _huidige(v, b, g, alle) for b, g in zip(gekozen, gegevens)}
    uit = [per_id.get(b.id) for b in bevoegdheden]
    v.loaders.standen.update((b.id, stand) for b, stand in zip(bevoegdheden, uit))
    return uit


def gevolg(v: Verzoek, aantekening: Aantekening) -> str:
    """ALLEEN_ONDER_BEGELEIDING from the configured date while the aantekening stands (FAQ 16)."""
    if aantekening.status == AantekeningStatus.STAAT and v.vandaag >= v.settings.gevolg_vanaf:
        return "ALLEEN_ONDER_BEGELEIDING"
    return "GEEN"


def staand(aantekeningen: list[Aantekening]) -> Aantekening | None:
    """The standing aantekening among these, if any (at most one stands per bevoegdheid)."""
    return next((a for a in aantekeningen if a.status == AantekeningStatus.STAAT), None)


async def staande_aantekeningen(v: Verzoek, bevoegdheid_ids: list[int]) -> list[Aantekening | None]:
    """The standing aantekening of each bevoegdheid, or None: from its page when that brought them along."""
    bekend = v.loaders.staande
    if all(i in bekend for i in bevoegdheid_ids):
        return [bekend[i] for i in bevoegdheid_ids]
    return [staand(lijst) for lijst in await v.loaders.aantekeningen_by_bevoegdheid.load_many(bevoegdheid_ids)]


async def staande_aantekening(v: Verzoek, bev: Bevoegdheid) -> Aantekening | None:
    return (await staande_aantekeningen(v, [bev.id]))[0]
