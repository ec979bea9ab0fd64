"""Herregistratie: criteria, hours per criterion, the pace rule and the period's outcome.

The criteria themselves are data (dated records owned by the beroepsgroep); these functions only
apply whatever criteria they are handed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from . import datums

PRIMAIR_PROCES = frozenset({"VAKINHOUDELIJK", "VAKDIDACTISCH", "PEDAGOGISCH"})
VO_SOORTEN = frozenset({"EERSTEGRAADS", "TWEEDEGRAADS"})
OP_SCHEMA, RISICO, VOLDAAN, NIET_VOLDAAN = "OP_SCHEMA", "RISICO", "VOLDAAN", "NIET_VOLDAAN"
# Hours are floats summed one activity at a time: a hundred activities of 1.6 hours add up to
# 159.9999999999997, and 1/3 of 120 hours is not exactly 40. Far below any hour a teacher can enter.
MARGE = 1e-6


@dataclass(frozen=True)
class Criteria:
    geldig_vanaf: dt.date
    totaal_uren: float
    primair_proces_uren: float
    vakinhoudelijk_vo_uren: float


class Uren(NamedTuple):
    """Hours counted for one bevoegdheid in one span, per criterion (a tuple: the assessment makes
    one per due period, and a frozen dataclass costs several times as much to build)."""

    totaal: float = 0.0
    primair_proces: float = 0.0
    vakinhoudelijk: float = 0.0


def tel_uren(activiteiten: Iterable[tuple[str, float]]) -> Uren:
    """Sum (gebied, uren) pairs into the three quantities the criteria look at."""
    return tel_uren_tussen(((dt.date.min, g, u) for g, u in activiteiten), dt.date.min, dt.date.min)


def tel_uren_tussen(activiteiten: Iterable[tuple[dt.date, str, float]], van: dt.date, tot: dt.date) -> Uren:
    """The hours of the (datum, gebied, uren) of the activities dated van to tot inclusive, in one
    pass without a generator between (a board's page counts a hundred periods per request, the
    assessment one per due period)."""
    totaal = primair = vak = 0.0
    for datum, gebied, uren in activiteiten:
        if van <= datum <= tot:
            totaal += uren
            if gebied in PRIMAIR_PROCES:
                primair += uren
            if gebied == "VAKINHOUDELIJK":
                vak += uren
    return Uren(totaal, primair, vak)


def eisen(criteria: Criteria, soort: str) -> tuple[float, float, float]:
    """The hours required of (totaal, primair proces, vakinhoudelijk) for this kind of bevoegdheid;
    0 for a criterion that does not apply to it (hours are never negative, so 0 is always met)."""
    vo = criteria.vakinhoudelijk_vo_uren if soort in VO_SOORTEN else 0.0
    return (criteria.totaal_uren, criteria.primair_proces_uren, vo)


def voldoet(uren: Uren, criteria: Criteria, soort: str) -> bool:
    """Do these hours meet every criterion in full?"""
    totaal, primair, vak = eisen(criteria, soort)
    return (
        uren.totaal + MARGE >= totaal and uren.primair_proces + MARGE >= primair and uren.vakinhoudelijk + MARGE >= vak
    )


def verwacht_aandeel(start: dt.date, einde: dt.date, dag: dt.date) -> float:
    """Expected share of each criterion on day `dag` (API.md, "Criteria and pace").

    Nothing is expected in the first year; from the first anniversary s1 the share grows by day to
    the whole on the last day: clamp(days from s1 to dag inclusive, 0, n) / n, n the days from s1 to
    the last day inclusive.
    """
    s1 = datums.verjaardag(start, 1)
    n = (einde - s1).days + 1
    verstreken = (dag - s1).days + 1
    return min(max(verstreken, 0), n) / n


def voortgang(start: dt.date, einde: dt.date, dag: dt.date, uren: Uren, criteria: Criteria, soort: str) -> str:
    """OP_SCHEMA or RISICO on `dag`; a period that has ended keeps the status of its last day."""
    dag = min(dag, einde)
    aandeel = verwacht_aandeel(start, einde, dag)
    totaal, primair, vak = eisen(criteria, soort)
    if (
        uren.totaal + MARGE < totaal * aandeel
        or uren.primair_proces + MARGE < primair * aandeel
        or uren.vakinhoudelijk + MARGE < vak * aandeel
    ):
        return RISICO
    return OP_SCHEMA


def criteria_op(alle: Sequence[Criteria], dag: dt.date) -> Criteria | None:
    """The criteria in force on `dag`: the latest geldig_vanaf on or before it."""
    geldig = [c for c in alle if c.geldig_vanaf <= dag]
    return max(geldig, key=lambda c: c.geldig_vanaf) if geldig else None


def criteria_id_op(alle: Mapping[int, Criteria], dag: dt.date) -> int:
    """The id of the criteria a period starting on `dag` uses: those in force then, or, before any
    record took effect, the oldest record."""
    geldig = [(c.geldig_vanaf, i) for i, c in alle.items() if c.geldig_vanaf <= dag]
    return max(geldig)[1] if geldig else min((c.geldig_vanaf, i) for i, c in alle.items())[1]


def periode_op(eerste_start: dt.date, dag: dt.date) -> tuple[dt.date, dt.date]:
    """The period (start, last day) that contains `dag`, in the chain that began on eerste_start.

    Periods follow each other without gaps, each starting the day after the last one ended; a day
    before eerste_start belongs to the first period.
    """
    start = eerste_start
    einde = datums.periode_einde(start)
    while einde < dag:
        start = datums.volgende_periode_start(einde)
        einde = datums.periode_einde(start)
    return start, einde


def opheffingsdatum(
    geplaatst_op: dt.date,
    vandaag: dt.date,
    activiteiten: Iterable[tuple[dt.date, str, float]],
    criteria: Criteria,
    soort: str,
) -> dt.date | None:
    """The first day from geplaatst_op up to today on which the activities dated in the four years up
    to that day meet the criteria (API.md, "Assessment"); None while they do not.

    The four-year window's hours only grow on a day an activity enters it, so only geplaatst_op and
    activity dates can be that first day.
    """
    acts = sorted(activiteiten)
    kandidaten = sorted({geplaatst_op} | {d for d, _, _ in acts if geplaatst_op <= d <= vandaag})
    for dag in kandidaten:
        if dag > vandaag:
            break
        van = datums.verjaardag(dag, -datums.PERIODE_JAREN) + dt.timedelta(days=1)
        uren = tel_uren_tussen(acts, van, dag)
        if voldoet(uren, criteria, soort):
            return dag
    return None
