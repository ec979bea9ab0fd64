"""Helpers every write shares: the public data version (for ETags), registernummer allocation, bulk
inserts and id lists in conditions, each spelled as the store handles it fastest."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from typing import TYPE_CHECKING, Any, Protocol

from sqlalchemy import ColumnElement, Table, any_, bindparam, func, insert, select, update
from sqlalchemy.dialects.postgresql import ARRAY

from ..models import DataVersie, RegisternummerTeller, base
from ..models.base import nu
from ..regels.registernummer import registernummer

if TYPE_CHECKING:
    from .verzoek import Verzoek

BLOK = 5000  # values per IN list off PostgreSQL: SQLite allows 32766 parameters, and smaller statements plan faster


class Gestempeld(Protocol):
    """A row that records when it last changed in a way a board sees (a board's `gewijzigdSinds`)."""

    gewijzigd_op: Any


async def leg_vast(
    v: Verzoek, *, gewijzigd: Iterable[Gestempeld] = (), dataversie: bool = True, inzage_van: Iterable[int] = ()
) -> None:
    """The end of every write, in one order: stamp the rows whose change the boards see, flush, bump
    the public data version (`dataversie`: only when a public answer can have changed), and forget
    what this request has read (the loaders' caches; the audiences of `inzage_van`, teachers whose
    consent or appointments may have moved)."""
    moment = nu()
    for rij in gewijzigd:
        rij.gewijzigd_op = moment
    await v.db.flush()
    if dataversie:
        await verhoog_dataversie(v)
    v.loaders.vergeet()
    for leraar_id in inzage_van:
        v.inzage.vergeet(leraar_id)


async def verhoog_dataversie(v: Verzoek) -> None:
    """Bump the data version in the same transaction as a write that can change a public answer."""
    v.db.geschreven = True
    await v.db.execute(
        update(DataVersie).where(DataVersie.id == 1).values(versie=DataVersie.versie + 1, gewijzigd_op=nu())
    )


async def nieuwe_registernummers(v: Verzoek, aantal: int) -> list[str]:
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


async def voeg_toe(v: Verzoek, doel: Any, rijen: list[dict[str, Any]]) -> None:
    """Insert many rows (dicts with the same keys) into a model's table in one statement.

    On PostgreSQL the rows travel as one array per column (INSERT ... SELECT FROM unnest): a
    thousand rows are a few parameters instead of thousands, which the server parses and binds
    several times faster. Elsewhere an executemany. Core, not the ORM: nothing here needs an object.
    """
    if not rijen:
        return
    tabel: Table = doel if isinstance(doel, Table) else base.tabel(doel)
    if v.db.dialect != "postgresql":
        await v.db.execute(insert(tabel), rijen)
        return
    kolommen = list(rijen[0])
    reeksen = select(
        *(
            func.unnest(bindparam(f"r_{k}", [r[k] for r in rijen], type_=ARRAY(tabel.c[k].type))).label(k)
            for k in kolommen
        )
    )
    await v.db.execute(insert(tabel).from_select(kolommen, reeksen))


def een_van(v: Verzoek, kolom: Any, waarden: Sequence[Any]) -> Iterator[ColumnElement[bool]]:
    """`kolom IN waarden` as few conditions as the store allows: on PostgreSQL one `= ANY(array)`
    (one parameter, one cached plan, however many values), elsewhere IN lists of BLOK values. None
    for no values, on either store: nothing can match."""
    if not waarden:
        return
    if v.db.dialect == "postgresql":
        yield kolom == any_(bindparam(None, list(waarden), type_=ARRAY(kolom.type)))
        return
    for i in range(0, len(waarden), BLOK):
        yield kolom.in_(waarden[i : i + BLOK])
