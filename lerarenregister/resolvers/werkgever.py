""" "Current employer" (DOMAIN.md): a board with an appointment of the teacher that holds today.

The rule itself is regels/datums.py `is_lopend` (begindatum <= today <= einddatum, none open-ended);
this module is its one spelling in SQL, for the questions the register asks of it: which of a
page of teachers the asking board employs (resolvers/inzage.py), and a board's staff, as a filter
(resolvers/leraren.py `medewerkers`) or as the ids to start from (schema/rijengegevens.py `STAF`).
tests/test_werkgever.py checks SQL and rule agree at the edges.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Select, exists, select

from ..models import Benoeming, Leraar


def lopend(vandaag: dt.date | ColumnElement[dt.date]) -> ColumnElement[bool]:
    """SQL of `datums.is_lopend` for a Benoeming row."""
    return (Benoeming.begindatum <= vandaag) & (Benoeming.einddatum.is_(None) | (Benoeming.einddatum >= vandaag))


def huidig_bij(bestuur_id: int | ColumnElement[int], vandaag: dt.date | ColumnElement[dt.date]) -> ColumnElement[bool]:
    """Filter on Leraar: the board is a current employer of the teacher (the policy rule as a filter)."""
    return exists().where(Benoeming.leraar_id == Leraar.id, Benoeming.schoolbestuur_id == bestuur_id, lopend(vandaag))


def personeel(bestuur_id: int | ColumnElement[int], vandaag: dt.date | ColumnElement[dt.date]) -> Select[Any]:
    """The ids of the teachers this board currently employs, each once."""
    return select(Benoeming.leraar_id).where(Benoeming.schoolbestuur_id == bestuur_id, lopend(vandaag)).distinct()


def werknemers(bestuur_id: int, leraar_ids: Sequence[int], vandaag: dt.date) -> Select[Any]:
    """The ids among `leraar_ids` of teachers this board currently employs."""
    return personeel(bestuur_id, vandaag).where(Benoeming.leraar_id.in_(leraar_ids))
