"""Rotating the BSN hash key (README, "Rotating the BSN key"): how far a rotation has come."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select

from ..db import make_engine
from ..models import Leraar
from ..regels.bsn import sleutel_id
from ..settings import Settings


@dataclass(frozen=True)
class Sleutelstand:
    huidig: str
    vorige: str | None
    onder_huidig: int
    onder_vorige: int
    anders: int  # another key, or hashed before key ids were kept (migration 0007)


async def per_sleutel(settings: Settings) -> Sleutelstand:
    """Teachers per key id, in one statement."""
    huidig = sleutel_id(settings.bsn_key)
    vorige = sleutel_id(settings.bsn_key_vorige) if settings.bsn_key_vorige else None
    engine = make_engine(settings.database_url)
    try:
        async with engine.connect() as conn:
            rijen = (await conn.execute(select(Leraar.bsn_sleutel, func.count()).group_by(Leraar.bsn_sleutel))).all()
    finally:
        await engine.dispose()
    telling = {k: n for k, n in rijen}
    onder_huidig = telling.pop(huidig, 0)
    onder_vorige = telling.pop(vorige, 0) if vorige else 0
    return Sleutelstand(huidig, vorige, onder_huidig, onder_vorige, sum(telling.values()))
