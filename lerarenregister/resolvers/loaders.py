"""Per-request DataLoaders, one class each, named XByYLoader (X by key Y): the children of a whole
page in one statement each. `Loaders` holds one of each for a request, and what its pages worked
out ahead; `klaar` says whether a value is at hand (a field then answers without waiting).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import enum
from collections import defaultdict
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final, Literal, NamedTuple, TypeVar, cast

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
    from ..regels.waarschuwingen import Waarschuwing
    from .herregistratie import PeriodeStand
    from .verzoek import Db

K = TypeVar("K")
V = TypeVar("V")


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

Rij = Any  # a plain row (SQLAlchemy Core): the table's columns by name, read-only


class _Niet(enum.Enum):
    NIET = "not loaded yet"


NIET: Final = _Niet.NIET  # "not loaded yet": None is an answer, so it cannot say that
Niet = Literal[_Niet.NIET]


def klaar(bron: DataLoader[K, V] | Mapping[K, V], key: K) -> V | Niet:
    """The value for key if it is at hand (a loader's finished load, or what a page worked out
    ahead), else NIET: then a field can answer at once, without a coroutine and the task
    graphql-core makes for each one in a list. The one way to ask "already loaded?"."""
    if not isinstance(bron, DataLoader):
        return bron.get(key, NIET)
    fut = bron.cache_map.get(key)
    if fut is not None and fut.done() and not fut.cancelled() and fut.exception() is None:
        return fut.result()
    return NIET


def klaar_alle(loader: DataLoader[K, V], keys: Sequence[K]) -> list[V] | Niet:
    """The values for all these keys if every one is at hand, else NIET."""
    uit: list[V] = []
    for key in keys:
        waarde = klaar(loader, key)
        if waarde is NIET:
            return NIET
        uit.append(waarde)
    return uit


async def laad_pagina(loader: DataLoader[K, V], keys: Sequence[K]) -> list[V]:
    """As `load_many`, for a whole page loaded ahead of its fields: one call of the batch function for
    the keys not cached yet, and no future awaited per key (each costs a callback on the event loop,
    about a thousand on a board's page). Per-item callers keep using load/load_many, so that their
    loads still meet in one batch."""
    cache = loader.cache_map
    ontbrekend = list(dict.fromkeys(k for k in keys if cache.get(k) is None))
    if ontbrekend:
        # The register's batch functions return values, never exceptions in their place.
        waarden = cast("Sequence[V]", await loader.load_fn(ontbrekend))
        loader.prime_many(dict(zip(ontbrekend, waarden)))
    futures = [cache.get(k) for k in keys]
    klaar_: list[V] = []
    for f in futures:
        if f is None or not f.done():  # a batch in flight holds some: wait as usual
            return await loader.load_many(keys)
        klaar_.append(f.result())
    return klaar_


async def laad_veel(loader: DataLoader[K, V], keys: Sequence[K], pagina: bool) -> list[V]:
    """`laad_pagina` for a whole page, else `load_many` (callers per item share one batch)."""
    return await (laad_pagina(loader, keys) if pagina else loader.load_many(keys))


class Vooruit(enum.Enum):
    """What a page of results can load ahead for the fields asked of its items. A field that answers
    from it declares the step (schema/vooruit.py `vooruit`); the page's resolver loads the steps its
    selection declares (leraren.laad_pagina_vooruit, portfolio.laad_pagina_vooruit)."""

    BEVOEGDHEDEN = "a teacher's bevoegdheden"
    HERREGISTRATIE = "each bevoegdheid's periods, current period and standing aantekening"
    VOORPORTAAL = "a teacher's voorportaal entries"
    WAARSCHUWINGEN = "a teacher's warnings (bevoegdheden, periods and voorportaal with them)"
    ACTIVITEIT_BEVOEGDHEDEN = "the bevoegdheden a portfolio activity counts for"


# --- The loaders: each one statement for every key asked together, results in key order ----------


class _Loader(DataLoader[K, V]):
    """A request's loader whose batch function is `laad`; it reads on the request's session and may
    prime its siblings in `loaders` with what its statement brought along."""

    def __init__(self, loaders: Loaders) -> None:
        super().__init__(load_fn=self.laad)
        self.db = loaders.db
        self.loaders = loaders

    async def laad(self, keys: list[K]) -> list[V]:
        raise NotImplementedError


class BevoegdhedenByLeraarLoader(_Loader[int, list[Rij]]):
    """A teacher's bevoegdheden by vak and soort; plain rows: read-only, and the hottest child of
    public search."""

    async def laad(self, keys: list[int]) -> list[list[Rij]]:
        rijen = (await self.db.lees(_BEVOEGDHEDEN, {"ids": keys})).all()
        # A warning names its bevoegdheid by id: it is then already at hand.
        self.loaders.bevoegdheid_by_id.prime_many({b.id: b for b in rijen})
        return _gegroepeerd(keys, rijen, lambda b: b.leraar_id)


class BevoegdhedenMetHerregistratieByLeraarLoader(_Loader[int, list[Rij]]):
    """As BevoegdhedenByLeraarLoader, with each bevoegdheid's periods and standing aantekening in the
    same statement (left joins): a dashboard page asks for herregistratie and warnings of every
    bevoegdheid. Primes the bevoegdheden, periods and bevoegdheid-by-id loaders and `staande`."""

    async def laad(self, keys: list[int]) -> list[list[Rij]]:
        res = await self.db.lees(_BEVOEGDHEDEN_MET_HERREGISTRATIE, {"ids": keys})
        per_bevoegdheid: dict[int, Rij] = {}
        perioden: dict[int, dict[int, PeriodeRij]] = defaultdict(dict)
        staande = self.loaders.staande
        for r in res.all():
            eerste = per_bevoegdheid.setdefault(r.id, r)  # its own columns by name, like a plain row
            if r.p_id is not None:
                perioden[r.id][r.p_id] = PeriodeRij(*(getattr(r, f"p_{k}") for k in _PERIODE_VELDEN))
            if eerste is r:  # at most one stands; were there more, the newest (as `staand` picks)
                staande[r.id] = (
                    AantekeningRij(*(getattr(r, f"a_{k}") for k in _AANTEKENING_VELDEN)) if r.a_id is not None else None
                )
        rijen = list(per_bevoegdheid.values())
        loaders = self.loaders
        loaders.perioden_by_bevoegdheid.prime_many({b: list(perioden[b].values()) for b in per_bevoegdheid})
        loaders.bevoegdheid_by_id.prime_many({b.id: b for b in rijen})
        lijsten = _gegroepeerd(keys, rijen, lambda b: b.leraar_id)
        loaders.bevoegdheden_by_leraar.prime_many(dict(zip(keys, lijsten)))
        return lijsten


class BenoemingenByLeraarLoader(_Loader[int, list[tuple[Rij, Rij]]]):
    """A teacher's benoemingen with their boards, newest begindatum first."""

    async def laad(self, keys: list[int]) -> list[list[tuple[Rij, Rij]]]:
        res = await self.db.lees(_BENOEMINGEN, {"ids": keys})
        return _gegroepeerd(keys, [_met_bestuur(r) for r in res.all()], lambda r: r[0].leraar_id)


class VoorportaalByLeraarLoader(_Loader[int, list[tuple[Rij, Rij]]]):
    """A teacher's voorportaal entries with their boards, newest begindatum first."""

    async def laad(self, keys: list[int]) -> list[list[tuple[Rij, Rij]]]:
        res = await self.db.lees(_VOORPORTAAL, {"ids": keys})
        return _gegroepeerd(keys, [_met_bestuur(r) for r in res.all()], lambda r: r[0].leraar_id)


class PeriodenByBevoegdheidLoader(_Loader[int, list[Rij]]):
    """A bevoegdheid's stored periods, oldest first."""

    async def laad(self, keys: list[int]) -> list[list[Rij]]:
        res = await self.db.lees(_PERIODEN, {"ids": keys})
        return _gegroepeerd(keys, res.all(), lambda p: p.bevoegdheid_id)


class AantekeningenByBevoegdheidLoader(_Loader[int, list[Rij]]):
    """A bevoegdheid's aantekeningen, newest first."""

    async def laad(self, keys: list[int]) -> list[list[Rij]]:
        res = await self.db.lees(_AANTEKENINGEN, {"ids": keys})
        return _gegroepeerd(keys, res.all(), lambda a: a.bevoegdheid_id)


class BezwarenByAantekeningLoader(_Loader[int, list[Bezwaar]]):
    """The objections to an aantekening, oldest first (ORM objects: a write may follow)."""

    async def laad(self, keys: list[int]) -> list[list[Bezwaar]]:
        res = await self.db.execute(
            select(Bezwaar).where(Bezwaar.aantekening_id.in_(keys)).order_by(Bezwaar.ingediend_op, Bezwaar.id)
        )
        return _gegroepeerd(keys, res.scalars().all(), lambda b: b.aantekening_id)


class ActiviteitenByBevoegdheidLoader(_Loader[int, list[tuple[dt.date, str, float]]]):
    """(datum, gebied, uren) of every activity that counts for the bevoegdheid; periods slice it."""

    async def laad(self, keys: list[int]) -> list[list[tuple[dt.date, str, float]]]:
        res = await self.db.lees(_ACTIVITEITEN, {"ids": keys})
        per: dict[int, list[tuple[dt.date, str, float]]] = defaultdict(list)
        for bid, datum, gebied, uren in res.all():
            per[bid].append((datum, gebied, uren))
        return [per.get(i, []) for i in keys]


class BevoegdhedenByActiviteitLoader(_Loader[int, list[int]]):
    """The ids of the bevoegdheden a portfolio activity counts for, ascending."""

    async def laad(self, keys: list[int]) -> list[list[int]]:
        res = await self.db.execute(
            select(portfolio_bevoegdheid.c.activiteit_id, portfolio_bevoegdheid.c.bevoegdheid_id).where(
                portfolio_bevoegdheid.c.activiteit_id.in_(keys)
            )
        )
        per: dict[int, list[int]] = defaultdict(list)
        for aid, bid in res.all():
            per[aid].append(bid)
        return [sorted(per.get(i, [])) for i in keys]


class BevoegdheidByIdLoader(_Loader[int, Rij | None]):
    """One bevoegdheid by its id; None for an id that does not exist."""

    async def laad(self, keys: list[int]) -> list[Rij | None]:
        res = await self.db.lees(_BEVOEGDHEID, {"ids": keys})
        per = {b.id: b for b in res.all()}
        return [per.get(i) for i in keys]


class Loaders:
    """One of each loader for a request, the criteria read once, and what its pages worked out ahead."""

    def __init__(self, db: Db):
        self.db = db
        self.bevoegdheden_by_leraar = BevoegdhedenByLeraarLoader(self)
        self.bevoegdheden_met_herregistratie_by_leraar = BevoegdhedenMetHerregistratieByLeraarLoader(self)
        self.benoemingen_by_leraar = BenoemingenByLeraarLoader(self)
        self.voorportaal_by_leraar = VoorportaalByLeraarLoader(self)
        self.perioden_by_bevoegdheid = PeriodenByBevoegdheidLoader(self)
        self.aantekeningen_by_bevoegdheid = AantekeningenByBevoegdheidLoader(self)
        self.bezwaren_by_aantekening = BezwarenByAantekeningLoader(self)
        self.activiteiten_by_bevoegdheid = ActiviteitenByBevoegdheidLoader(self)
        self.bevoegdheden_by_activiteit = BevoegdhedenByActiviteitLoader(self)
        self.bevoegdheid_by_id = BevoegdheidByIdLoader(self)
        self._criteria: asyncio.Future[dict[int, Criteria]] | None = None
        # Worked out for a whole page ahead of its fields (leraren.laad_pagina_vooruit); `klaar` reads them.
        self.standen: dict[int, PeriodeStand | None] = {}  # bevoegdheid id -> its current period
        self.waarschuwingen: dict[int, list[Waarschuwing]] = {}  # leraar id -> warnings
        self.staande: dict[int, Rij | None] = {}  # bevoegdheid id -> its standing aantekening

    async def _lees_criteria(self) -> dict[int, Criteria]:
        res = await self.db.execute(select(*Herregistratiecriteria.__table__.c))
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
