"""Date arithmetic of the register.

A date that ends something is the last day on which it still holds (API.md, "Dates"): N years from a
start end the day before the Nth anniversary; the anniversary of 29 February is 1 March.
"""

from __future__ import annotations

import datetime as dt

PERIODE_JAREN = 4
VOORPORTAAL_JAREN = 2
VOORPORTAAL_VERLENGING_JAREN = 2


def verjaardag(start: dt.date, jaren: int) -> dt.date:
    """The Nth anniversary of start; 29 February's falls on 1 March in a common year."""
    try:
        return start.replace(year=start.year + jaren)
    except ValueError:  # 29 February into a common year
        return dt.date(start.year + jaren, 3, 1)


def laatste_dag(start: dt.date, jaren: int) -> dt.date:
    """The last day of a span of N years that starts on start (inclusive)."""
    return verjaardag(start, jaren) - dt.timedelta(days=1)


def periode_einde(start: dt.date) -> dt.date:
    """Last day of a herregistratie period starting on start."""
    return laatste_dag(start, PERIODE_JAREN)


def volgende_periode_start(einde: dt.date) -> dt.date:
    """The next period starts the day after the last day, either way (DOMAIN.md, life cycle 6)."""
    return einde + dt.timedelta(days=1)


def voorportaal_termijn_einde(begindatum: dt.date, verlengd: bool) -> dt.date:
    """Last day of a voorportaal term: two years, four with the one extension."""
    jaren = VOORPORTAAL_JAREN + (VOORPORTAAL_VERLENGING_JAREN if verlengd else 0)
    return laatste_dag(begindatum, jaren)


def voorportaal_te_volgen(begindatum: dt.date) -> bool:
    """Can the register follow a voorportaal term from this begindatum: its last day with the extension,
    and the day after (when its warning window closes), within the calendar it can write (year 9999)?"""
    try:
        voorportaal_termijn_einde(begindatum, verlengd=True) + dt.timedelta(days=1)
    except (ValueError, OverflowError):
        return False
    return True


def is_lopend(begindatum: dt.date, einddatum: dt.date | None, vandaag: dt.date) -> bool:
    """Does an appointment hold today? begindatum <= today <= einddatum, no einddatum open-ended."""
    return begindatum <= vandaag and (einddatum is None or vandaag <= einddatum)
