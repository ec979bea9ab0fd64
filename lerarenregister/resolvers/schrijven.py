"""Helpers every write shares: the public data version (for ETags) and registernummer allocation."""
from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import update

from ..models import DataVersie, RegisternummerTeller
from ..models.base import nu
from ..regels.registernummer import registernummer

if TYPE_CHECKING:
    from .verzoek import Verzoek


async def verhoog_dataversie(v: "Verzoek") -> None:
    """Bump the data version in the same transaction as a write that can change a public answer."""
    v.db.geschreven = True
    await v.db.execute(update(DataVersie).where(DataVersie.id == 1).values(versie=DataVersie.versie + 1,
                                                                            gewijzigd_op=nu()))


async def nieuwe_registernummers(v: "Verzoek", aantal: int) -> list[str]:
    """`aantal` fresh registernummers from the counter, which only goes up: never reused."""
    if aantal == 0:
        return []
    res = await v.db.execute(
        update(RegisternummerTeller)
        .where(RegisternummerTeller.id == 1)
        .values(volgende=RegisternummerTeller.volgende + aantal)
        .returning(RegisternummerTeller.volgende)
    )
    tot = res.scalar_one()
    return [registernummer(n) for n in range(tot - aantal, tot)]
