"""The row path's data (schema/rijenpad.py): a board's staff page and the teacher's own portfolio
page read as plain asyncpg records on the request's own connection, batched as the loaders batch
them for the executor (resolvers/loaders.py, leraren.laad_pagina_vooruit), in no more statements:
a board's page in as many; the teacher's own page is schema/rijenik.py's (tests/test_snelpad.py
counts both).

Which teachers are listed and which audiences the asker has for each come from the resolvers
themselves (`leraren.mijn_bestuur`, `leraren.medewerkers`, `Inzage`); the current period, the
standing aantekening's consequence and the warnings from their rule functions
(resolvers/herregistratie.py, resolvers/leraren.py); which activities count for a period from
herregistratie.huidige_keuze. What is restated here is SQL only: the children's statements;
tests/test_snelpad.py compares every answer.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from operator import itemgetter
from typing import Any, NamedTuple

import asyncpg
from sqlalchemy import Date, Integer, bindparam, func, literal_column, select, true
from sqlalchemy.dialects.postgresql.asyncpg import dialect as asyncpg_dialect

from ..auth.policy import Onderwerp
from ..models import Leraar
from ..regels.herregistratie import Criteria
from ..resolvers import herregistratie, leraren
from ..resolvers.paginering import Pagina, totaal_uit_venster, venster
from ..resolvers.werkgever import personeel


class Rij(asyncpg.Record):  # asyncpg ships no types: pyproject.toml lets this module subclass it
    """A record whose columns read as attributes too, as the rule functions read SQLAlchemy's rows
    (the columns they read most as properties in C, any other through __getattr__)."""

    def __getattr__(self, naam: str) -> Any:
        try:
            return self[naam]
        except KeyError:
            raise AttributeError(naam) from None


for _kolom in (
    "id",
    "leraar_id",
    "vak",
    "soort",
    "voor_herregistratie",
    "behaald_op",
    "status",
    "eerste_levering_op",
    "portfolio_openbaar",
    "termijn_einde",
    "afgesloten",
    "bron",
):
    setattr(Rij, _kolom, property(itemgetter(_kolom)))


class Rijdict(dict[str, Any]):
    """A SQLAlchemy row's columns as `Rij` reads them: by name and as attributes."""

    def __getattr__(self, naam: str) -> Any:
        try:
            return self[naam]
        except KeyError:
            raise AttributeError(naam) from None


class Periode(NamedTuple):
    periode_start: Any
    periode_einde: Any
    criteria_id: int | None
    uitkomst: str | None


class Aantekening(NamedTuple):
    id: int
    geplaatst_op: Any
    opgeheven_op: Any
    status: str


class Bestuur(NamedTuple):
    id: int
    bevoegd_gezag_nummer: str
    naam: str


_BEVOEGDHEID = "b.id, b.leraar_id, b.vak, b.soort, b.behaald_op, b.voor_herregistratie"
BEVOEGDHEDEN = f"SELECT {_BEVOEGDHEID} FROM bevoegdheid b WHERE b.leraar_id = ANY($1::int[]) ORDER BY b.vak, b.soort"
BEVOEGDHEDEN_MET_HERREGISTRATIE = (
    f"SELECT {_BEVOEGDHEID}, p.id AS p_id, p.periode_start, p.periode_einde, p.criteria_id, p.uitkomst, "
    "a.id AS a_id, a.geplaatst_op, a.opgeheven_op, a.status AS a_status FROM bevoegdheid b "
    "LEFT OUTER JOIN herregistratieperiode p ON p.bevoegdheid_id = b.id "
    "LEFT OUTER JOIN aantekening a ON a.bevoegdheid_id = b.id AND a.status = 'STAAT' "
    "WHERE b.leraar_id = ANY($1::int[]) "
    "ORDER BY b.vak, b.soort, b.id, p.periode_start, a.geplaatst_op DESC, a.id DESC"
)
VOORPORTAAL = (
    "SELECT v.id, v.leraar_id, v.vak, v.begindatum, v.termijn_einde, v.verlengd, v.afgesloten, "
    "s.id AS sb_id, s.bevoegd_gezag_nummer AS sb_nummer, s.naam AS sb_naam FROM voorportaalinschrijving v "
    "JOIN schoolbestuur s ON s.id = v.schoolbestuur_id WHERE v.leraar_id = ANY($1::int[]) "
    "ORDER BY v.begindatum DESC, v.id"
)
# The activities that count for each bevoegdheid's current period (herregistratie.huidige_keuze's
# window), as three arrays per bevoegdheid: a page's thousands of (datum, gebied, uren) decoded by
# the driver, not a record each, and none the period's count would skip. Their order is the
# database's, as the loader's is (hours are summed; halves add up exactly in any order).
ACTIVITEITEN = (
    "SELECT w.bid, array_agg(a.datum), array_agg(a.gebied), array_agg(a.uren) "
    "FROM unnest($1::int[], $2::date[], $3::date[]) AS w(bid, van, tot) "
    "JOIN portfolio_bevoegdheid pb ON pb.bevoegdheid_id = w.bid "
    "JOIN portfolio_activiteit a ON a.id = pb.activiteit_id AND a.datum BETWEEN w.van AND w.tot GROUP BY w.bid"
)
_L = Leraar.__table__.c
_STAF_KOLOMMEN = (
    _L.id,
    _L.registernummer,
    _L.voorletters,
    _L.tussenvoegsel,
    _L.achternaam,
    _L.voornamen,
    _L.geboortedatum,
    _L.status,
    _L.geregistreerd_op,
    _L.portfolio_openbaar,
    _L.eerste_levering_op,
)


def _sql(statement: Any) -> tuple[str, tuple[str, ...]]:
    """A statement's text for the driver, and its parameters' names in their order."""
    gecompileerd = statement.compile(dialect=asyncpg_dialect())
    return str(gecompileerd), tuple(gecompileerd.positiontup or ())


def _staf(met_status: bool) -> tuple[str, tuple[str, ...]]:
    """leraren.medewerkers' page (without gewijzigdSinds or a warnings filter), its window count
    included, its teachers those of werkgever.personeel with bound values.

    Written from the board's side: its current staff's ids first, then each teacher read by primary
    key (a LATERAL with OFFSET 0, which the planner may not flatten). As `EXISTS` from `leraar` (the
    executor's filter) the planner, estimating a large board's staff, chose a (parallel) scan of all
    300,000 teachers for a board of 5,377: 62 ms against 24 ms this way (bench, 2026-12-02), and the
    largest board's page set the whole dashboard's throughput. A small board's page is as fast either way."""
    staf = personeel(bindparam("bestuur", type_=Integer), bindparam("vandaag", type_=Date)).subquery("staf")
    per_leraar = select(*_STAF_KOLOMMEN, Leraar.zoeknaam).where(Leraar.id == staf.c.leraar_id)
    if met_status:
        per_leraar = per_leraar.where(Leraar.status == bindparam("status"))
    rij = per_leraar.offset(literal_column("0")).lateral("leraar")
    return _sql(
        select(*(rij.c[k.name] for k in _STAF_KOLOMMEN), func.count().over().label("totaal_aantal"))
        .select_from(staf)
        .join(rij, true())
        .order_by(rij.c.zoeknaam, rij.c.registernummer)
        .limit(bindparam("limit"))
        .offset(bindparam("offset"))
    )


STAF = {met: _staf(met) for met in (False, True)}

BESTUUR = "SELECT id, bevoegd_gezag_nummer, naam FROM schoolbestuur WHERE bevoegd_gezag_nummer = $1"
CRITERIA = (
    "SELECT id, geldig_vanaf, totaal_uren, primair_proces_uren, vakinhoudelijk_vo_uren FROM herregistratiecriteria"
)


class Verbinding:
    """The request's own connection (its session's, opened as the executor would open it), spoken to
    through its driver; every statement is told to the engine's before_cursor_execute listeners,
    as SQLAlchemy tells them its own."""

    def __init__(self, driver: Any, sync: Any):
        self._driver = driver
        self._sync = sync

    @staticmethod
    async def van(db: Any) -> Verbinding:
        conn = await db.session.connection()
        ruw = await conn.get_raw_connection()
        return Verbinding(ruw.driver_connection, conn.sync_connection)

    def _meld(self, sql: str, args: tuple[Any, ...]) -> None:
        if self._sync is None:  # a connection of the compiled path's pool: its own query logger tells them
            return
        luisteraars = self._sync.dispatch.before_cursor_execute
        if luisteraars:
            luisteraars(self._sync, None, sql, args, None, False)

    async def rijen(self, sql: str, *args: Any) -> list[Rij]:
        self._meld(sql, args)
        rijen: list[Rij] = await self._driver.fetch(sql, *args, record_class=Rij)
        return rijen

    async def waarde(self, sql: str, *args: Any) -> Any:
        self._meld(sql, args)
        return await self._driver.fetchval(sql, *args)


@dataclass
class Gegevens:
    """What one request's answer is built from."""

    bestuur: Any = None
    pagina: Pagina[Any] | None = None  # the staff page, or the portfolio page
    leraar: Any = None  # the teacher of `ik`
    bevoegdheden: dict[int, list[Any]] = field(default_factory=dict)  # per teacher
    voorportaal: dict[int, list[tuple[Any, Bestuur]]] = field(default_factory=dict)  # as the asker may see them
    standen: dict[int, Any] = field(default_factory=dict)  # per bevoegdheid: the current period or None
    staande: dict[int, Aantekening | None] = field(default_factory=dict)  # per bevoegdheid
    perioden: dict[int, list[Periode]] = field(default_factory=dict)  # per bevoegdheid, stored ones
    waarschuwingen: dict[int, list[Any]] = field(default_factory=dict)  # per teacher
    bevoegdheden_van: dict[int, list[Any]] = field(default_factory=dict)  # per portfolio activity
    onderwerpen: dict[int, Onderwerp] = field(default_factory=dict)

    def onderwerp(self, leraar_id: int) -> Onderwerp:
        o = self.onderwerpen.get(leraar_id)
        if o is None:
            o = self.onderwerpen[leraar_id] = Onderwerp(leraar_id=leraar_id)
        return o


class Terugval(Exception):
    """The executor answers this request (something the row path does not reproduce)."""


async def staf_pagina(
    v: Any, con: Verbinding, bestuur_id: int, status: str | None, first: int | None, after: str | None
) -> Pagina[Any]:
    """As leraren.medewerkers without gewijzigdSinds and the warnings filter: the page, its total, and
    the asker's audiences for its teachers (selected as the board's current staff)."""
    limit, offset = venster(50 if first is None else first, after)
    sql, namen = STAF[status is not None]
    waarden = {"bestuur": bestuur_id, "vandaag": v.vandaag, "status": status, "limit": limit, "offset": offset}
    rijen = await con.rijen(sql, *(waarden[n] for n in namen))
    totaal = totaal_uit_venster(rijen[0]["totaal_aantal"] if rijen else None, offset, limit)
    if totaal is None:
        raise Terugval("a total counted apart")
    await v.inzage.laad(rijen, huidig_personeel=True)
    return Pagina(rijen, offset, totaal)


async def staf(v: Any, g: Gegevens, con: Verbinding, gevraagd: set[str]) -> None:
    """A page's children, as leraren.laad_pagina_vooruit loads them for these fields."""
    assert g.pagina is not None
    rijen = g.pagina.items
    if not rijen:
        return
    ids = [r.id for r in rijen]
    alleen: dict[int, int | None] = {}  # a board's staff page: every teacher is the board's, with its own rows only
    for i in ids:
        bekend, alleen[i] = v.inzage.alleen_bestuur(i)
        if not bekend:
            raise Terugval("audiences not known")
    met_herregistratie = bool(gevraagd & {"waarschuwingen", "bevoegdheden.herregistratie", "bevoegdheden.aantekening"})
    if met_herregistratie:
        await _met_herregistratie(g, con, ids)
    elif "bevoegdheden" in gevraagd:
        per: dict[int, list[Any]] = defaultdict(list)
        for b in await con.rijen(BEVOEGDHEDEN, ids):
            per[b.leraar_id].append(b)
        g.bevoegdheden = {i: per.get(i, []) for i in ids}
    if gevraagd & {"voorportaal", "waarschuwingen"}:
        per_vp: dict[int, list[tuple[Any, Bestuur]]] = defaultdict(list)
        for r in await con.rijen(VOORPORTAAL, ids):
            per_vp[r["leraar_id"]].append((r, Bestuur(r["sb_id"], r["sb_nummer"], r["sb_naam"])))
        for i in ids:
            eigen = alleen[i]
            g.voorportaal[i] = [(r, s) for r, s in per_vp.get(i, ()) if eigen is None or s.id == eigen]
    if met_herregistratie:
        await _huidige_perioden(v, g, con)
    if "waarschuwingen" in gevraagd:
        for r in rijen:
            bevs = g.bevoegdheden[r.id]
            g.waarschuwingen[r.id] = leraren.waarschuwingen_uit(
                v, r, [(b, g.standen[b.id], g.staande[b.id]) for b in bevs], g.voorportaal[r.id]
            )


async def _met_herregistratie(g: Gegevens, con: Verbinding, ids: list[int]) -> None:
    per_leraar: dict[int, list[Any]] = defaultdict(list)
    perioden: dict[int, dict[int, Periode]] = {}
    for r in await con.rijen(BEVOEGDHEDEN_MET_HERREGISTRATIE, ids):
        bid = r["id"]
        eigen = perioden.get(bid)
        if eigen is None:  # its first row: the bevoegdheid, and its newest standing aantekening
            eigen = perioden[bid] = {}
            per_leraar[r["leraar_id"]].append(r)
            a_id = r["a_id"]
            g.staande[bid] = (
                Aantekening(a_id, r["geplaatst_op"], r["opgeheven_op"], r["a_status"]) if a_id is not None else None
            )
        p_id = r["p_id"]
        if p_id is not None and p_id not in eigen:
            eigen[p_id] = Periode(r["periode_start"], r["periode_einde"], r["criteria_id"], r["uitkomst"])
    g.bevoegdheden = {i: per_leraar.get(i, []) for i in ids}
    g.perioden = {b: list(p.values()) for b, p in perioden.items()}


async def _huidige_perioden(v: Any, g: Gegevens, con: Verbinding) -> None:
    """herregistratie.huidige_perioden over every bevoegdheid of the page: the current period chosen
    first, then only the activities in its window read and counted."""
    criteria = {c[0]: Criteria(*c[1:]) for c in await con.rijen(CRITERIA)}  # as the loaders read them
    keuzes: dict[int, tuple[Any, herregistratie.Keuze]] = {}
    for lijst in g.bevoegdheden.values():
        for b in lijst:
            g.standen[b.id] = None
            if b.voor_herregistratie:
                k = herregistratie.huidige_keuze(v.vandaag, b, g.perioden[b.id], criteria)
                if k is not None:
                    keuzes[b.id] = (b, k)
    if not keuzes:
        return
    vensters = [k.venster(v.vandaag) for _, k in keuzes.values()]
    activiteiten: dict[int, Any] = {}
    for bid, datums, gebieden, uren in await con.rijen(
        ACTIVITEITEN, list(keuzes), [van for van, _ in vensters], [tot for _, tot in vensters]
    ):
        activiteiten[bid] = zip(datums, gebieden, uren)
    for bid, (b, k) in keuzes.items():
        g.standen[bid] = herregistratie.stand(v, b, k, activiteiten.get(bid, ()))
