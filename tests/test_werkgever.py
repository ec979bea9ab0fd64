""" "Current employer" in SQL (resolvers/werkgever.py) against the rule (regels/datums.is_lopend), on both
stores, at the edges: the day before begindatum, begindatum, einddatum, the day after, open-ended."""

from __future__ import annotations

import datetime as dt

from gegevens import KLAARZETTEN, benoeming, bsn, levering
from sqlalchemy import select

from lerarenregister.models import Benoeming
from lerarenregister.regels.datums import is_lopend
from lerarenregister.resolvers.werkgever import lopend

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
