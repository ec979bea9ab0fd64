"""The access log (API.md, "Production", Access log): collected by the one enforcement point,
written once per request, read by the teacher.

A field read is logged when the audience that let it through is WERKGEVER, DUO or BEROEPSGROEP
and no audience that would show it anyway (PUBLIEK, LERAAR_ZELF, MET_TOESTEMMING) applies: public
reads, consented portfolio reads and the teacher's own are not logged. One row per request and
teacher, with the names of the fields (`Type.veld`), never their values; all rows of a request in
one INSERT. The answer is given only once its rows are written (fail closed).
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from sqlalchemy import and_, delete, func, insert, select, text

from ..auth.policy import DOELGROEPEN, Doelgroep
from ..auth.viewer import Viewer
from ..models import Inzagelogregel, Schoolbestuur
from ..models.base import nu
from .paginering import Pagina, venster

if TYPE_CHECKING:
    from .verzoek import Db, Verzoek

D = Doelgroep
# Audiences under which the reader could see the data anyway: nothing to record.
_ZONDER_LOG = frozenset({D.PUBLIEK, D.LERAAR_ZELF, D.MET_TOESTEMMING})
_GELOGD = tuple(d for d, k in DOELGROEPEN.items() if k.gelogd)  # WERKGEVER, DUO, BEROEPSGROEP
_te_loggen: dict[tuple[frozenset[Doelgroep], frozenset[Doelgroep]], Doelgroep | None] = {}


def te_loggen(groepen: frozenset[Doelgroep], regel: frozenset[Doelgroep]) -> Doelgroep | None:
    """Through which logged audience does a reader with these audiences see a field with this
    declaration, if only through one of them? (Cached: a handful of combinations exist.)"""
    sleutel = (groepen, regel)
    try:
        return _te_loggen[sleutel]
    except KeyError:
        doorgelaten = groepen & regel
        uit = None if doorgelaten & _ZONDER_LOG else next((d for d in _GELOGD if d in doorgelaten), None)
        _te_loggen[sleutel] = uit
        return uit


def door(viewer: Viewer) -> str | None:
    """Who, as the log records it: a board by its number (its name is joined when read), DUO, the
    beroepsgroep."""
    return viewer.in_inzagelog


@dataclass
class Inzagen:
    """The logged reads of one request: per teacher, the audience and the fields."""

    per_leraar: dict[int, tuple[Doelgroep, set[str]]] = field(default_factory=dict)

    def noteer(self, leraar_id: int, doelgroep: Doelgroep, type_: str, veld: str) -> None:
        bestaand = self.per_leraar.get(leraar_id)
        if bestaand is None:
            self.per_leraar[leraar_id] = (doelgroep, {f"{type_}.{veld}"})
        else:
            bestaand[1].add(f"{type_}.{veld}")

    def rijen(self, viewer: Viewer, sub: str | None, operatie: str | None, request_id: str) -> list[dict[str, Any]]:
        wie = door(viewer)
        if wie is None or not self.per_leraar:
            return []
        tijdstip = nu()
        return [
            {
                "leraar_id": lid,
                "tijdstip": tijdstip,
                "doelgroep": dg.value,
                "door": wie,
                "sub": sub,
                "velden": sorted(velden),
                "operatie": operatie,
                "request_id": request_id,
            }
            for lid, (dg, velden) in sorted(self.per_leraar.items())
        ]


# On PostgreSQL a request's rows go in as one statement whose text is the same for every page size:
# what differs per row as arrays zipped by ROWS FROM, what the request shares as single values.
# `velden` is a json column: the lists go as one JSON array of each list's text as SQLAlchemy's JSON
# type serializes it (json.dumps; the engines set no serializer of their own), and
# json_array_elements hands each element's text on as it is, so each row stores what the
# executemany stored. A document logs a handful of distinct lists: each list's text is kept.
_GEDEELD = ("tijdstip", "door", "sub", "operatie", "request_id")
_gedeeld = itemgetter(*_GEDEELD)
_TEKSTEN: dict[tuple[str, ...], str] = {}


def _als_json(velden: list[str]) -> str:
    sleutel = tuple(velden)
    tekst = _TEKSTEN.get(sleutel)
    if tekst is None:
        if len(_TEKSTEN) >= 4096:  # bounded, whatever the documents
            _TEKSTEN.clear()
        tekst = _TEKSTEN[sleutel] = json.dumps(velden)
    return tekst


_SCHRIJF_PG = text(
    "INSERT INTO inzagelog (leraar_id, tijdstip, doelgroep, door, sub, velden, operatie, request_id) "
    "SELECT leraar_id, CAST(:tijdstip AS timestamptz), doelgroep, CAST(:door AS varchar), CAST(:sub AS varchar), "
    "velden, CAST(:operatie AS varchar), CAST(:request_id AS varchar) FROM ROWS FROM ("
    "unnest(CAST(:leraar_id AS int[])), unnest(CAST(:doelgroep AS varchar[])), "
    "json_array_elements(CAST(:velden AS json))) AS rij(leraar_id, doelgroep, velden)"
)


async def schrijf(db: Db, rijen: list[dict[str, Any]]) -> None:
    """All rows of a request in one statement, on the request's own connection (inside a mutation's
    transaction, so that both stand or fall together). On PostgreSQL an INSERT from arrays
    (_SCHRIJF_PG): a multi-row VALUES differs in shape with every page size, so SQLAlchemy compiled
    it anew each time (the board page's server CPU rose from 1.06x to 1.47x on the bench), and an
    executemany, one execution a row, cost a 100-staff board page about 2 ms of server CPU, most of
    it SQLAlchemy's per-row parameter handling and a json.dumps a row. On SQLite (and for rows that
    do not share the request's values, which Inzagen.rijen never makes) that executemany."""
    if not rijen:
        return
    eerste = _gedeeld(rijen[0])
    if db.dialect == "postgresql" and all(_gedeeld(r) == eerste for r in rijen):
        waarden = dict(zip(_GEDEELD, eerste))
        waarden["leraar_id"] = [r["leraar_id"] for r in rijen]
        waarden["doelgroep"] = [r["doelgroep"] for r in rijen]
        waarden["velden"] = "[" + ", ".join([_als_json(r["velden"]) for r in rijen]) + "]"
        await db.lees(_SCHRIJF_PG, waarden)
    else:
        await db.lees(insert(Inzagelogregel), rijen)


async def snoei(db: Db, dagen: int) -> int:
    """Remove entries older than the retention (REGISTER_INZAGELOG_DAGEN)."""
    grens = nu() - dt.timedelta(days=dagen)
    res = await db.lees(delete(Inzagelogregel).where(Inzagelogregel.tijdstip < grens))
    return int(res.rowcount or 0)


async def pagina(v: Verzoek, leraar_id: int, first: int | None, after: str | None) -> Pagina[Any]:
    """The teacher's log, newest first; a board named by its current name and number."""
    limit, offset = venster(first, after)
    naam = (
        select(Schoolbestuur.naam)
        .where(
            and_(
                Inzagelogregel.doelgroep == D.WERKGEVER.value, Schoolbestuur.bevoegd_gezag_nummer == Inzagelogregel.door
            )
        )
        .scalar_subquery()
    )
    rijen = (
        await v.db.execute(
            select(Inzagelogregel, naam)
            .where(Inzagelogregel.leraar_id == leraar_id)
            .order_by(Inzagelogregel.tijdstip.desc(), Inzagelogregel.id.desc())
            .limit(limit)
            .offset(offset)
        )
    ).all()
    totaal = (
        await v.db.execute(
            select(func.count()).select_from(Inzagelogregel).where(Inzagelogregel.leraar_id == leraar_id)
        )
    ).scalar_one()
    return Pagina([(r, n) for r, n in rijen], offset, totaal)
