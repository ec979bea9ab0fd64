"""Which audiences apply to the asker, per teacher: worked out once per request, a page at a time.

Field checks then are dictionary look-ups. For a board, "current employer" of a whole page of
teachers is one SQL statement.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterable
from typing import TYPE_CHECKING, Protocol

from sqlalchemy import select

from ..auth import policy
from ..auth.policy import Doelgroep, Onderwerp
from ..auth.viewer import LeraarViewer, SchoolbestuurViewer, Viewer
from ..models import Leraar, Schoolbestuur
from .werkgever import werknemers

if TYPE_CHECKING:
    from .verzoek import Db


class LeraarRij(Protocol):
    id: int
    portfolio_openbaar: bool


class Inzage:
    """The asker's audiences per teacher, for one request: what it needs of the request is its
    session, the viewer and the register's today."""

    def __init__(self, db: Db, viewer: Viewer, vandaag: dt.date):
        self._db = db
        self._viewer = viewer
        self._vandaag = vandaag
        self._per_leraar: dict[int, frozenset[Doelgroep]] = {}
        self._rol = policy.rol_doelgroepen(viewer)
        # None is an answer ("no such teacher/board"); whether it has been asked is kept apart.
        self._eigen_leraar_id: int | None = None
        self._leraar_gevraagd = False
        self._bestuur_id: int | None = None
        self._bestuur_bekend = False
        self._lock = asyncio.Lock()

    @property
    def rol(self) -> frozenset[Doelgroep]:
        """The audiences for the asker's own operations (root fields, mutation results)."""
        return self._rol

    async def eigen_leraar_id(self) -> int | None:
        """The teacher the logged-in leraar is (matched by BSN hash), once per request."""
        if not self._leraar_gevraagd:
            async with self._lock:  # concurrent resolvers share one look-up
                if not self._leraar_gevraagd:
                    viewer = self._viewer
                    gevonden = None
                    if isinstance(viewer, LeraarViewer):
                        res = await self._db.execute(select(Leraar.id).where(Leraar.bsn_hash.in_(viewer.hashes)))
                        gevonden = res.scalar_one_or_none()
                    self._eigen_leraar_id, self._leraar_gevraagd = gevonden, True
        return self._eigen_leraar_id

    async def eigen_bestuur_id(self) -> int | None:
        """The logged-in board's row id, once per request."""
        if not self._bestuur_bekend:
            async with self._lock:
                if not self._bestuur_bekend:
                    viewer = self._viewer
                    gevonden = None
                    if isinstance(viewer, SchoolbestuurViewer):
                        res = await self._db.execute(
                            select(Schoolbestuur.id).where(Schoolbestuur.bevoegd_gezag_nummer == viewer.bevoegd_gezag)
                        )
                        gevonden = res.scalar_one_or_none()
                    self._bestuur_id, self._bestuur_bekend = gevonden, True
        return self._bestuur_id

    def alleen_bestuur(self, leraar_id: int) -> tuple[bool, int | None]:
        """(known, board): the one board whose rows of this teacher the asker may see (None: every
        board), if that is known without a query."""
        groepen = self._per_leraar.get(leraar_id)
        if groepen is None:
            return False, None
        if not policy.alleen_eigen_bestuur(groepen):
            return True, None
        if not self._bestuur_bekend:
            return False, None
        return True, self._bestuur_id

    def ken_leraar(self, leraar_id: int | None) -> None:
        """The caller has already matched the logged-in teacher (schema/rijenpad.py): no second look."""
        self._eigen_leraar_id, self._leraar_gevraagd = leraar_id, True

    def ken_bestuur(self, bestuur_id: int) -> None:
        """The caller has already read the logged-in board's row: no need to look it up again."""
        self._bestuur_id, self._bestuur_bekend = bestuur_id, True

    async def laad(self, leraren: Iterable[LeraarRij], huidig_personeel: bool = False) -> None:
        """Work out the audiences for each of these teachers not yet known, in one go.

        `huidig_personeel`: the caller selected them as the asking board's current staff (a
        `medewerkers` page), so the employer question is answered already.
        """
        nieuw = {r.id: r.portfolio_openbaar for r in leraren if r.id not in self._per_leraar}
        if not nieuw:
            return
        viewer = self._viewer
        zelf_id = await self.eigen_leraar_id() if isinstance(viewer, LeraarViewer) else None
        werkgever_van: set[int] = set()
        if isinstance(viewer, SchoolbestuurViewer):
            werkgever_van = set(nieuw) if huidig_personeel else await self._huidig_werkgever_van(list(nieuw))
        for leraar_id, openbaar in nieuw.items():
            self._per_leraar[leraar_id] = policy.leraar_doelgroepen(
                viewer, zelf=leraar_id == zelf_id, werkgever=leraar_id in werkgever_van, toestemming=openbaar
            )

    async def laad_ids(self, ids: Iterable[int]) -> None:
        """As `laad`, for teachers whose rows the caller does not have at hand."""
        missend = [i for i in ids if i not in self._per_leraar]
        if missend:
            res = await self._db.execute(select(Leraar.id, Leraar.portfolio_openbaar).where(Leraar.id.in_(missend)))
            await self.laad(res.all())

    def vergeet(self, leraar_id: int) -> None:
        """Forget a teacher's audiences after a change that can move them (consent, appointments)."""
        self._per_leraar.pop(leraar_id, None)

    async def _huidig_werkgever_van(self, ids: list[int]) -> set[int]:
        bestuur_id = await self.eigen_bestuur_id()
        if bestuur_id is None:
            return set()
        res = await self._db.execute(werknemers(bestuur_id, ids, self._vandaag))
        return set(res.scalars().all())

    def bekend(self, onderwerp: Onderwerp) -> frozenset[Doelgroep] | None:
        """The audiences for this data if known without a query, else None."""
        if onderwerp.leraar_id is not None:
            return self._per_leraar.get(onderwerp.leraar_id)
        if onderwerp.schoolbestuur is not None:
            return policy.bestuur_doelgroepen(self._viewer, onderwerp.schoolbestuur)
        if onderwerp.aanbieder is not None:
            return policy.aanbieder_doelgroepen(self._viewer, onderwerp.aanbieder)
        return self._rol

    async def van(self, onderwerp: Onderwerp) -> frozenset[Doelgroep]:
        gevonden = self.bekend(onderwerp)
        if gevonden is None:
            assert onderwerp.leraar_id is not None
            await self.laad_ids([onderwerp.leraar_id])
            gevonden = self._per_leraar[onderwerp.leraar_id]
        return gevonden
