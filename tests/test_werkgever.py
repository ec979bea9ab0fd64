""" "Current employer" in SQL (resolvers/werkgever.py) against the rule (regels/datums.is_lopend), on both
stores, at the edges: the day before begindatum, begindatum, einddatum, the day after, open-ended."""

from __future__ import annotations

import datetime as dt

from gegevens import KLAARZETTEN, benoeming, bsn, levering
from sqlalchemy import select

from lerarenregister.models import Benoeming, Leraar
from lerarenregister.regels.datums import is_lopend
from lerarenregister.resolvers.werkgever import huidig_bij, lopend, personeel

DAG = dt.timedelta(days=1)
BEGIN, EINDE = dt.date(2024, 2, 29), dt.date(2025, 2, 28)


async def test_sql_en_regel_gelijk_aan_de_randen(api) -> None:  # type: ignore[no-untyped-def]
    benoemingen = [
        benoeming("B1", "Frans", BEGIN.isoformat(), EINDE.isoformat()),
        benoeming("B1", "Duits", BEGIN.isoformat(), None),
        benoeming("B1", "Engels", BEGIN.isoformat(), BEGIN.isoformat()),
    ]  # one day only
    await api.ok(KLAARZETTEN, {"leveringen": [levering(bsn(1), benoemingen=benoemingen)]}, api.sleutels.duo())
    async with api.app.state.engine.connect() as conn:
        rijen = (await conn.execute(select(Benoeming.id, Benoeming.begindatum, Benoeming.einddatum))).all()
        assert len(rijen) == 3
        for dag in (BEGIN - DAG, BEGIN, BEGIN + DAG, EINDE, EINDE + DAG, dt.date(9999, 12, 31)):
            in_sql = set((await conn.execute(select(Benoeming.id).where(lopend(dag)))).scalars())
            volgens_regel = {r.id for r in rijen if is_lopend(r.begindatum, r.einddatum, dag)}
            assert in_sql == volgens_regel, dag
        # The edges matter: each appointment is in on some of these days and out on others.
        assert {r.id for r in rijen if is_lopend(r.begindatum, r.einddatum, BEGIN)} == {r.id for r in rijen}
        assert not {r.id for r in rijen if is_lopend(r.begindatum, r.einddatum, BEGIN - DAG)}


async def test_personeel_en_filter_kiezen_dezelfde_leraren(api) -> None:  # type: ignore[no-untyped-def]
    """The board's staff from its side (`personeel`, the row path's page) and as a filter on teachers
    (`huidig_bij`, the executor's): the same teachers on every edge day, a teacher with two current
    appointments at the board once."""
    leveringen = [
        levering(bsn(11), benoemingen=[benoeming("B1", "Frans", BEGIN.isoformat(), EINDE.isoformat())]),
        levering(
            bsn(12),
            benoemingen=[
                benoeming("B1", "Duits", BEGIN.isoformat(), None),
                benoeming("B1", "Engels", BEGIN.isoformat()),
            ],
        ),
        levering(bsn(13), benoemingen=[benoeming("B2", "Frans", BEGIN.isoformat(), None)]),
    ]
    await api.ok(KLAARZETTEN, {"leveringen": leveringen}, api.sleutels.duo())
    async with api.app.state.engine.connect() as conn:
        besturen = set((await conn.execute(select(Benoeming.schoolbestuur_id))).scalars())
        assert len(besturen) == 2
        gezien = set()
        for bestuur in besturen:
            for dag in (BEGIN - DAG, BEGIN, EINDE, EINDE + DAG):
                ids = list((await conn.execute(personeel(bestuur, dag))).scalars())
                assert len(ids) == len(set(ids)), (bestuur, dag)
                filter_ = set((await conn.execute(select(Leraar.id).where(huidig_bij(bestuur, dag)))).scalars())
                assert set(ids) == filter_, (bestuur, dag)
                gezien.add(len(ids))
        assert gezien >= {0, 1, 2}  # empty, one and two teachers: the comparison saw each case
