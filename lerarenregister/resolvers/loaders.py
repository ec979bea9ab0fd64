"""Per-request DataLoaders, named XByYLoader: children for a whole page in one statement each."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections import defaultdict
from collections.abc import Awaitable, Callable, Sequence
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from sqlalchemy import bindparam, literal_column, select
from strawberry.dataloader import DataLoader

from ..models import (
    Aantekening,
    Benoeming,
    Bevoegdheid,
    Bezwaar,
    Herregistratiecriteria,
    Herregistratieperiode,
    PortfolioActiviteit,
    Schoolbestuur,
    Voorportaalinschrijving,
    portfolio_bevoegdheid,
)
from ..regels.herregistratie import Criteria

if TYPE_CHECKING:
    from .verzoek import Verzoek

K = TypeVar("K")
T = TypeVar("T")


def _gegroepeerd(keys: Sequence[K], rows: Any, key_of: Callable[[Any], K]) -> list[list[Any]]:
    per: dict[K, list[Any]] = defaultdict(list)
    for row in rows:
        per[key_of(row)].append(row)
    return [per.get(k, []) for k in keys]


_BEVOEGDHEDEN = (
    select(*Bevoegdheid.__table__.c)
    .where(Bevoegdheid.leraar_id.in_(bindparam("ids", expanding=True)))
    .order_by(Bevoegdheid.vak, Bevoegdheid.soort)
)
_BEVOEGDHEID = select(*Bevoegdheid.__table__.c).where(Bevoegdheid.id.in_(bindparam("ids", expanding=True)))


_PERIODEN = (
    select(*Herregistratieperiode.__table__.c)
    .where(Herregistratieperiode.bevoegdheid_id.in_(bindparam("ids", expanding=True)))
    .order_by(Herregistratieperiode.periode_start)
)
_AANTEKENINGEN = (
    select(*Aantekening.__table__.c)
    .where(Aantekening.bevoegdheid_id.in_(bindparam("ids", expanding=True)))
    .order_by(Aantekening.geplaatst_op.desc(), Aantekening.id.desc())
)

_ACTIVITEITEN = (
    select(
        portfolio_bevoegdheid.c.bevoegdheid_id,
        PortfolioActiviteit.datum,
        PortfolioActiviteit.gebied,
        PortfolioActiviteit.uren,
    )
    .join(PortfolioActiviteit, PortfolioActiviteit.id == portfolio_bevoegdheid.c.activiteit_id)
    .where(portfolio_bevoegdheid.c.bevoegdheid_id.in_(bindparam("ids", expanding=True)))
)


class PeriodeRij(NamedTuple):
    id: int
    bevoegdheid_id: int
    periode_start: dt.date
    periode_einde: dt.date
    criteria_id: int
    uitkomst: str | None
    beoordeeld_op: dt.date | None


class AantekeningRij(NamedTuple):
    id: int
    bevoegdheid_id: int
    periode_id: int
    geplaatst_op: dt.date
    status: str
    opgeheven_op: dt.date | None


_P = Herregistratieperiode.__table__.c
_A = Aantekening.__table__.c
# A dashboard page asks for herregistratie and warnings of every bevoegdheid: its periods and its
# standing aantekening come along with it (left joins), one statement instead of three.
_BEVOEGDHEDEN_MET_HERREGISTRATIE = (
    select(*Bevoegdheid.__table__.c, *(c.label(f"p_{c.name}") for c in _P), *(c.label(f"a_{c.name}") for c in _A))
    .outerjoin(Herregistratieperiode, _P.bevoegdheid_id == Bevoegdheid.id)
    .outerjoin(Aantekening, (_A.bevoegdheid_id == Bevoegdheid.id) & (_A.status == literal_column("'STAAT'")))
    .where(Bevoegdheid.leraar_id.in_(bindparam("ids", expanding=True)))
    .order_by(
        Bevoegdheid.vak, Bevoegdheid.soort, Bevoegdheid.id, _P.periode_start, _A.geplaatst_op.desc(), _A.id.desc()
    )
)
_PERIODE_VELDEN = PeriodeRij._fields
_AANTEKENING_VELDEN = AantekeningRij._fields


class BestuurRij(NamedTuple):
    id: int
    bevoegd_gezag_nummer: str
    naam: str


def _met_bestuur(rij: Any) -> tuple[Any, BestuurRij]:
    """A plain row of an entry joined with its board: the row (its own columns by name) and the board."""
    return rij, BestuurRij(rij.sb_id, rij.sb_nummer, rij.sb_naam)


_BESTUUR_KOLOMMEN = (
    Schoolbestuur.id.label("sb_id"),
    Schoolbestuur.bevoegd_gezag_nummer.label("sb_nummer"),
    Schoolbestuur.naam.label("sb_naam"),
)
_BENOEMING_KOLOMMEN = tuple(Benoeming.__table__.c)
_BENOEMINGEN = (
    select(*_BENOEMING_KOLOMMEN, *_BESTUUR_KOLOMMEN)
    .join(Schoolbestuur, Schoolbestuur.id == Benoeming.schoolbestuur_id)
    .where(Benoeming.leraar_id.in_(bindparam("ids", expanding=True)))
    .order_by(Benoeming.begindatum.desc(), Benoeming.id)
)
_VOORPORTAAL_KOLOMMEN = tuple(Voorportaalinschrijving.__table__.c)
_VOORPORTAAL = (
    select(*_VOORPORTAAL_KOLOMMEN, *_BESTUUR_KOLOMMEN)
    .join(Schoolbestuur, Schoolbestuur.id == Voorportaalinschrijving.schoolbestuur_id)
    .where(Voorportaalinschrijving.leraar_id.in_(bindparam("ids", expanding=True)))
    .order_by(Voorportaalinschrijving.begindatum.desc(), Voorportaalinschrijving.id)
)

NIET = object()  # "not loaded yet"


def klaar(loader: DataLoader[Any, Any], key: Any) -> Any:
    """The value for key if a page already loaded it, else NIET: then a field can answer at once,
    without a coroutine and the task graphql-core makes for each one in a list."""
    fut = loader.cache_map.get(key)
    if fut is not None and fut.done() and not fut.cancelled() and fut.exception() is None:
        return fut.result()
    return NIET


async def laad_pagina(loader: DataLoader[Any, Any], keys: Sequence[Any]) -> list[Any]:
    """As `load_many`, for a whole page loaded ahead of its fields: one call of the batch function for
    the keys not cached yet, and no future awaited per key (each costs a callback on the event loop,
    about a thousand on a board's page). Per-item callers keep using load/load_many, so that their
    loads still meet in one batch."""
    cache = loader.cache_map
    ontbrekend = list(dict.fromkeys(k for k in keys if cache.get(k) is None))
    if ontbrekend:
        loader.prime_many(dict(zip(ontbrekend, await loader.load_fn(ontbrekend))))
    futures = [cache.get(k) for k in keys]
    if any(f is None or not f.done() for f in futures):  # a batch in flight holds some: wait as usual
        return await loader.load_many(keys)
    return [f.result() for f in futures]


async def laad_veel(loader: DataLoader[Any, Any], keys: Sequence[Any], pagina: bool) -> list[Any]:
    """`laad_pagina` for a whole page, else `load_many` (callers per item share one batch)."""
    return await (laad_pagina(loader, keys) if pagina else loader.load_many(keys))


class Loaders:
    def __init__(self, verzoek: Verzoek):
        self._v = verzoek
        db = verzoek.db

        def loader(fn: Callable[[list[Any]], Awaitable[list[Any]]]) -> DataLoader[Any, Any]:
            return DataLoader(load_fn=fn)

        async def bevoegdheden(ids: list[int]) -> list[list[Bevoegdheid]]:
            # Plain rows: read-only, and the hottest child of public search.
            res = await db.lees(_BEVOEGDHEDEN, {"ids": ids})
            rijen = res.all()
            # A warning names its bevoegdheid by id: it is then already at hand.
            self.bevoegdheid_by_id.prime_many({b.id: b for b in rijen})
            return _gegroepeerd(ids, rijen, lambda b: b.leraar_id)

        async def bevoegdheden_met_herregistratie(ids: list[int]) -> list[list[Bevoegdheid]]:
            res = await db.lees(_BEVOEGDHEDEN_MET_HERREGISTRATIE, {"ids": ids})
            per_bevoegdheid: dict[int, Any] = {}
            perioden: dict[int, dict[int, PeriodeRij]] = defaultdict(dict)
            for r in res.all():
                eerste = per_bevoegdheid.setdefault(r.id, r)  # its own columns by name, like a plain row
                if r.p_id is not None:
                    perioden[r.id][r.p_id] = PeriodeRij(*(getattr(r, f"p_{k}") for k in _PERIODE_VELDEN))
                if eerste is r:  # at most one stands; were there more, the newest (as `staand` picks)
                    self.staande[r.id] = (
                        AantekeningRij(*(getattr(r, f"a_{k}") for k in _AANTEKENING_VELDEN))
                        if r.a_id is not None
                        else None
                    )
            rijen = list(per_bevoegdheid.values())
            self.perioden_by_bevoegdheid.prime_many({b: list(perioden[b].values()) for b in per_bevoegdheid})
            self.bevoegdheid_by_id.prime_many({b.id: b for b in rijen})
            lijsten = _gegroepeerd(ids, rijen, lambda b: b.leraar_id)
            self.bevoegdheden_by_leraar.prime_many(dict(zip(ids, lijsten)))
            return lijsten

        async def benoemingen(ids: list[int]) -> list[list[Any]]:
            res = await db.lees(_BENOEMINGEN, {"ids": ids})
            return _gegroepeerd(ids, [_met_bestuur(r) for r in res.all()], lambda r: r[0].leraar_id)

        async def voorportaal(ids: list[int]) -> list[list[Any]]:
            res = await db.lees(_VOORPORTAAL, {"ids": ids})
            return _gegroepeerd(ids, [_met_bestuur(r) for r in res.all()], lambda r: r[0].leraar_id)

        async def perioden(ids: list[int]) -> list[list[Herregistratieperiode]]:
            res = await db.lees(_PERIODEN, {"ids": ids})
            return _gegroepeerd(ids, res.all(), lambda p: p.bevoegdheid_id)

        async def aantekeningen(ids: list[int]) -> list[list[Aantekening]]:
            res = await db.lees(_AANTEKENINGEN, {"ids": ids})
            return _gegroepeerd(ids, res.all(), lambda a: a.bevoegdheid_id)

        async def bezwaren(ids: list[int]) -> list[list[Bezwaar]]:
            res = await db.execute(
                select(Bezwaar).where(Bezwaar.aantekening_id.in_(ids)).order_by(Bezwaar.ingediend_op, Bezwaar.id)
            )
            return _gegroepeerd(ids, res.scalars().all(), lambda b: b.aantekening_id)

        async def activiteiten_per_bevoegdheid(ids: list[int]) -> list[list[tuple[dt.date, str, float]]]:
            # (datum, gebied, uren) of every activity that counts for the bevoegdheid; periods slice it.
            res = await db.lees(_ACTIVITEITEN, {"ids": ids})
            per: dict[int, list[tuple[dt.date, str, float]]] = defaultdict(list)
            for bid, datum, gebied, uren in res.all():
                per[bid].append((datum, gebied, uren))
            return [per.get(i, []) for i in ids]

        async def bevoegdheden_van_activiteit(ids: list[int]) -> list[list[int]]:
            res = await db.execute(
                select(portfolio_bevoegdheid.c.activiteit_id, portfolio_bevoegdheid.c.bevoegdheid_id).where(
                    portfolio_bevoegdheid.c.activiteit_id.in_(ids)
                )
            )
            per: dict[int, list[int]] = defaultdict(list)
            for aid, bid in res.all():
                per[aid].append(bid)
            return [sorted(per.get(i, [])) for i in ids]

        async def bevoegdheid_by_id(ids: list[int]) -> list[Bevoegdheid | None]:
            res = await db.lees(_BEVOEGDHEID, {"ids": ids})
            per = {b.id: b for b in res.all()}
            return [per.get(i) for i in ids]

        self.bevoegdheden_by_leraar = loader(bevoegdheden)
        self.bevoegdheden_met_herregistratie_by_leraar = loader(bevoegdheden_met_herregistratie)
        self.benoemingen_by_leraar = loader(benoemingen)
        self.voorportaal_by_leraar = loader(voorportaal)
        self.perioden_by_bevoegdheid = loader(perioden)
        self.aantekeningen_by_bevoegdheid = loader(aantekeningen)
        self.bezwaren_by_aantekening = loader(bezwaren)
        self.activiteiten_by_bevoegdheid = loader(activiteiten_per_bevoegdheid)
        self.bevoegdheden_by_activiteit = loader(bevoegdheden_van_activiteit)
        self.bevoegdheid_by_id = loader(bevoegdheid_by_id)
        self._criteria: asyncio.Future[dict[int, Criteria]] | None = None
        # Worked out for a whole page ahead of its fields (leraren.laad_pagina_vooruit).
        self.standen: dict[int, Any] = {}  # bevoegdheid id -> current PeriodeStand or None
        self.waarschuwingen: dict[int, list[Any]] = {}  # leraar id -> warnings
        self.staande: dict[int, Any] = {}  # bevoegdheid id -> its standing aantekening or None

    async def _lees_criteria(self) -> dict[int, Criteria]:
        res = await self._v.db.execute(select(*Herregistratiecriteria.__table__.c))
        return {
            c.id: Criteria(c.geldig_vanaf, c.totaal_uren, c.primair_proces_uren, c.vakinhoudelijk_vo_uren)
            for c in res.all()
        }

    async def criteria(self) -> dict[int, Criteria]:
        """Every criteria record by id: a handful of rows, read once per request.

        Concurrent callers share one read, so that they resume together and their next loads
        still fall into one batch.
        """
        if self._criteria is None:
            self._criteria = asyncio.ensure_future(self._lees_criteria())
        return await self._criteria

    def vergeet(self) -> None:
        """After a write in this request, later reads must see it."""
        for waarde in vars(self).values():
            if isinstance(waarde, DataLoader):
                waarde.clear_all()
        self._criteria = None
        self.standen.clear()
        self.waarschuwingen.clear()
        self.staande.clear()
