"""Private revalidation (API.md, Caching): an authenticated GET carries an ETag that changes only
when something that asker may see in that answer changed; If-None-Match with it is 304 without
running the operation.

The ETag is a keyed hash (BLAKE2b under a key derived from REGISTER_SECRET_KEY) of who asks (the
viewer: the teacher's BSN hash, the board's number, the role; and the token's `sub`), the document,
its variables and operation name, the media type, the register's today, the settings that shape an
answer, and a data version that covers what that asker may see (resolvers/versies.py):

- a board asking only `mijnSchoolbestuur` (its staff pages, `gewijzigdSinds` included): the board's
  own version, which moves with its name, its current staff and what it may see of them, never
  with a teacher of another board;
- a teacher: the register's data version, and the teacher's access log when the document asks for
  `inzagelog` (other people's reads are written without a write of the register's own);
- anything else (DUO, the beroepsgroep, a provider; a board's other documents, or a staff page that
  asks for a portfolio or `inzage`, which move with a consent that leaves no moment of change): the
  register's data version. Coarser than the answer, never finer: it moves with every write.

Nobody can make another asker's ETag (it is keyed), and an ETag shows no data version or count.
The version is read before the operation runs: an answer may be newer than its ETag says (the next
poll then gets it again in full), never older.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import functools
import hashlib
import hmac
from importlib.metadata import PackageNotFoundError, version
from typing import Any

import orjson
from graphql import FieldNode, FragmentDefinitionNode, FragmentSpreadNode, InlineFragmentNode, OperationDefinitionNode

from ..auth.viewer import LeraarViewer, SchoolbestuurViewer, Viewer
from ..resolvers import versies
from ..schema.limieten import Operatie
from ..schema.ontleden import KLEIN, ontleed
from ..settings import Settings

CACHE_CONTROL = "private, no-cache"  # kept by the asker's own client only, and asked again every time
BESTUREN_MAX = 10_000  # boards whose last version a worker remembers (keys come from verified tokens)


@dataclasses.dataclass(frozen=True)
class Velden:
    wortels: frozenset[str]  # the operation's root fields
    alle: frozenset[str]  # every field name anywhere in it (fragments included)


def _velden(query: str, operatie: str | None) -> Velden | None:
    document = ontleed(query)  # parsed already by the limits: a cache hit
    fragmenten = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
    ops = [
        d
        for d in document.definitions
        if isinstance(d, OperationDefinitionNode)
        and (operatie is None or (d.name is not None and d.name.value == operatie))
    ]
    if len(ops) != 1:
        return None
    wortels: set[str] = set()
    alle: set[str] = set()

    def loop(selectie: Any, wortel: bool, gezien: frozenset[str]) -> None:
        for s in selectie.selections:
            if isinstance(s, FieldNode):
                (wortels if wortel else alle).add(s.name.value)
                alle.add(s.name.value)
                if s.selection_set is not None:
                    loop(s.selection_set, False, gezien)
            elif isinstance(s, InlineFragmentNode):
                loop(s.selection_set, wortel, gezien)
            elif isinstance(s, FragmentSpreadNode) and s.name.value in fragmenten and s.name.value not in gezien:
                loop(fragmenten[s.name.value].selection_set, wortel, gezien | {s.name.value})

    loop(ops[0].selection_set, True, frozenset())
    return Velden(frozenset(wortels), frozenset(alle))


_velden_klein = functools.lru_cache(maxsize=512)(_velden)


def velden(query: str, operatie: str | None) -> Velden | None:
    """The field names of the operation that will run (None when it cannot be told: then the coarse
    version applies). Only short texts are cached, as every parse cache here does."""
    return _velden_klein(query, operatie) if len(query) <= KLEIN else _velden(query, operatie)


def _pakketversie() -> str:
    try:
        return version("lerarenregister")
    except PackageNotFoundError:  # a source tree that was not installed
        return "?"


class Revalidatie:
    """ETags for authenticated GETs, per worker: the key, and each board's last version."""

    def __init__(self, settings: Settings, staat: dict[str, Any]):
        self.staat = staat
        # Its own key: the BSN hash's key never signs anything a client sees.
        self.sleutel = hmac.new(settings.bsn_key, b"lerarenregister private ETag", hashlib.sha256).digest()
        # What shapes an answer beside the data and the date: a release, and the date from which an
        # aantekening means teaching under supervision.
        self.vast = [_pakketversie(), settings.gevolg_vanaf.isoformat()]
        self.besturen: dict[tuple[str, dt.date], tuple[int, tuple[str | None, ...]]] = {}

    async def versie(self, viewer: Viewer, query: str, operatie: str | None, op: Operatie, vandaag: dt.date) -> Any:
        """The data version this asker's answer to this operation depends on: one statement (for a
        board's staff page, one more after a write in the register)."""
        v = velden(query, operatie)
        if (
            isinstance(viewer, SchoolbestuurViewer)
            and v is not None
            and "mijnSchoolbestuur" in v.wortels
            and v.wortels <= {"mijnSchoolbestuur", "__typename"}
            and not op.toestemming
            and "inzage" not in v.alle
        ):
            return await self._bestuur(viewer.bevoegd_gezag, vandaag)
        if isinstance(viewer, LeraarViewer) and (v is None or "inzagelog" in v.alle):
            rij = await self._lees(versies.leraar_met_inzagelog(), {"hashes": list(viewer.hashes)})
            return [rij[0], rij[1]]
        return (await self._lees(versies.register(), {}))[0]

    async def _bestuur(self, nummer: str, vandaag: dt.date) -> Any:
        sleutel = (nummer, vandaag)
        bekend = self.besturen.get(sleutel)
        if bekend is not None and (await self._lees(versies.register(), {}))[0] == bekend[0]:
            return list(bekend[1])  # no write since the parts were read: they stand
        # The parts with the version they belong to (one statement: one snapshot).
        rij = await self._lees(
            versies.bestuur(self.staat["lees_engine"].dialect.name), {"nummer": nummer, "vandaag": vandaag}
        )
        delen = versies.delen(rij)
        if len(self.besturen) >= BESTUREN_MAX:
            self.besturen.clear()
        self.besturen[sleutel] = (rij[0], delen)
        return list(delen)

    async def _lees(self, stmt: Any, params: dict[str, Any]) -> Any:
        # The primary: a signed-in caller sees their own writes at once (replica.py), so does the ETag.
        # A Core connection of the read engine (AUTOCOMMIT): no session for one statement.
        async with self.staat["lees_engine"].connect() as verbinding:
            return (await verbinding.execute(stmt, params)).one()

    def etag(
        self,
        viewer: Viewer,
        sub: str | None,
        query: str,
        variabelen: Any,
        operatie: Any,
        media: str,
        vandaag: dt.date,
        versie: Any,
    ) -> str:
        inhoud = orjson.dumps(
            [
                dataclasses.astuple(viewer),
                sub,
                query,
                variabelen,
                operatie,
                media,
                vandaag.isoformat(),
                self.vast,
                versie,
            ],
            option=orjson.OPT_SORT_KEYS,
        )
        # "p": never equal to a public ETag (those are unkeyed hashes of the same length).
        return 'W/"p' + hashlib.blake2b(inhoud, key=self.sleutel, digest_size=16).hexdigest() + '"'


def koppen(tag: str) -> dict[str, str]:
    # Vary: the answer is the token's, and the media type chooses its status and body.
    return {"Cache-Control": CACHE_CONTROL, "ETag": tag, "Vary": "Authorization, Accept"}


def komt_overeen(tag: str, if_none_match: str | None) -> bool:
    if not if_none_match:
        return False
    return tag in [t.strip() for t in if_none_match.split(",")]
