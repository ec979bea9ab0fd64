"""The compiled path (issue 4): registered public documents answered by one SQL statement each.

A registered document is a `.graphql` file in `lerarenregister/documenten/`, known to clients in
advance (a persisted document). When the anonymous public sends exactly that text, on PostgreSQL,
the answer comes from one statement built when the server started, not from graphql-core's
executor: no resolver runs per field, which is what a search page of some 300 fields costs.

What is visible is decided from the same declarations and the same policy, once, at compile time:
for every selected field, its `@zichtbaarVoor` audiences (the schema's `regels`) against the
audiences `policy.leraar_doelgroepen` gives the anonymous public for a teacher, with and without
the teacher's consent. A field visible in neither case is not read from the database (the
statements select only the columns of the fields below): its answer is null with the same
FORBIDDEN error the executor gives. The statement itself keeps the public
register's rule (`IN_REGISTER`, the search conditions of `resolvers/leraren.py`).

Anything the compiler does not handle makes the document fall back to the executor, whole: a field
outside the types below, fragments, a field whose visibility would depend on the row (consent), a
denied field that cannot be null, or (at request time) variables the executor would reject, so that
every error keeps coming from one place. On SQLite the executor answers everything.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from operator import attrgetter, itemgetter
from pathlib import Path
from typing import Any

import orjson
from graphql import (
    FieldNode,
    GraphQLError,
    GraphQLNonNull,
    GraphQLObjectType,
    OperationDefinitionNode,
    OperationType,
    get_named_type,
    parse,
    validate,
)
from graphql.execution.values import get_argument_values, get_variable_values
from sqlalchemy import Boolean, bindparam, func, literal, literal_column, select, true, union_all
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.dialects.postgresql.asyncpg import dialect as asyncpg_dialect

from ..auth import policy
from ..auth.viewer import ANONIEM
from ..models import Bevoegdheid, Leraar
from ..regels import naam as naamregels
from ..resolvers import leraren, paginering
from ..resolvers.fouten import Onbevoegd, RegisterFout
from ..resolvers.paginering import PUBLIEK_MAX, Pagina
from ..storingen import TIMEOUT, storingscode
from . import zichtbaarheidsregels
from .fouten import formatteer
from .relay import page_info
from .zichtbaarheid import ROOTS, STRUCTUREEL

log = logging.getLogger(__name__)

DOCUMENTEN = Path(__file__).resolve().parent.parent / "documenten"

Bouwer = Callable[[Any, tuple[Any, ...], list[GraphQLError]], Any]


class NietCompileerbaar(Exception):
    """The compiler does not handle this document: the executor answers it."""


# --- the statements ------------------------------------------------------------------------------

# Only the columns the readers below use: what no supported field shows is not read.
_KOLOMMEN = (
    Leraar.id,
    Leraar.registernummer,
    Leraar.voorletters,
    Leraar.tussenvoegsel,
    Leraar.achternaam,
    Leraar.sorteernaam,
)

# A teacher's bevoegdheden as one JSON array of [id, vak, soort, voorHerregistratie], in the
# executor's order (vak, soort).
_B = Bevoegdheid.__table__.c


def _bevoegdheden_van(leraar_id: Any) -> Any:
    return (
        select(
            func.coalesce(
                func.json_agg(
                    aggregate_order_by(
                        func.json_build_array(_B.id, _B.vak, _B.soort, _B.voor_herregistratie), _B.vak, _B.soort
                    )
                ),
                literal_column("'[]'::json"),
            )
        )
        .where(_B.leraar_id == leraar_id)
        .scalar_subquery()
    )


def _zoek_statement() -> Any:
    """The search page and its total in one statement: the exact registernummer first, then names in
    index order (resolvers/leraren.py `zoek` does the same in three)."""
    is_exact = (
        leraren.IN_REGISTER & (Leraar.registernummer == bindparam("exact")) & bindparam("met_exact", type_=Boolean)
    )
    naam_past = leraren.IN_REGISTER & leraren.NAAM_BEGINT_MET & bindparam("met_namen", type_=Boolean)
    exact = select(*_KOLOMMEN, literal(0).label("rang")).where(is_exact)
    namen = (
        select(*_KOLOMMEN, literal(1).label("rang"))
        .where(naam_past)
        .order_by(Leraar.sorteernaam, Leraar.registernummer)
        .limit(bindparam("tot"))
    )
    beide = union_all(exact, namen).subquery("beide")
    pagina = (
        select(beide, _bevoegdheden_van(beide.c.id).label("bevoegdheden_json"))
        .order_by(beide.c.rang, beide.c.sorteernaam, beide.c.registernummer)
        .limit(bindparam("limit"))
        .offset(bindparam("offset"))
        .subquery("pagina")
    )
    aantal_exact = select(func.count()).select_from(Leraar).where(is_exact).scalar_subquery()
    aantal_namen = select(func.count()).select_from(Leraar).where(naam_past).scalar_subquery()
    totaal = select((aantal_exact + aantal_namen).label("totaal")).subquery("totaal")
    # One row even for an empty page: the total, with the page's rows joined to it.
    return (
        select(totaal.c.totaal, pagina)
        .select_from(totaal.outerjoin(pagina, true()))
        .order_by(pagina.c.rang, pagina.c.sorteernaam, pagina.c.registernummer)
    )


def _opzoek_statement() -> Any:
    return select(*_KOLOMMEN, _bevoegdheden_van(Leraar.id).label("bevoegdheden_json")).where(
        leraren.IN_REGISTER & (Leraar.registernummer == bindparam("nummer"))
    )


class _Sql:
    """A statement compiled once for asyncpg. The compiled path is PostgreSQL's only and talks to the
    driver directly, on a pool of its own (server.py): SQLAlchemy's connection and execution layers
    were half of its time per request."""

    def __init__(self, statement: Any):
        gecompileerd = statement.compile(dialect=asyncpg_dialect())
        self.tekst = str(gecompileerd)
        self._namen = list(gecompileerd.positiontup or ())
        self._vast = dict(gecompileerd.params)

    async def rijen(self, verbinding: Any, waarden: dict[str, Any]) -> list[Any]:
        return await verbinding.fetch(self.tekst, *(waarden.get(n, self._vast.get(n)) for n in self._namen))


_ZOEK = _Sql(_zoek_statement())
_OPZOEK = _Sql(_opzoek_statement())


# --- visibility, decided once from the declarations and the policy ------------------------------


def _zicht(type_naam: str, veld: str) -> bool:
    """Is this field visible to the anonymous public, whatever the row? NietCompileerbaar when it
    depends on the row (the teacher's consent)."""
    if type_naam in STRUCTUREEL:
        return True
    regel = zichtbaarheidsregels().get((type_naam, veld))
    if regel is None:
        return False  # declared by nobody: visible to nobody
    if type_naam in ROOTS:
        return policy.mag_zien(policy.rol_doelgroepen(ANONIEM), regel)
    zonder, met = (
        policy.mag_zien(policy.leraar_doelgroepen(ANONIEM, zelf=False, werkgever=False, toestemming=t), regel)
        for t in (False, True)
    )
    if zonder != met:
        raise NietCompileerbaar(f"{type_naam}.{veld} depends on the teacher's consent")
    return zonder


def _vindt_alleen_openbaar() -> bool:
    """Does the public find only teachers in the public register (the statements' IN_REGISTER)?"""
    return not any(
        policy.ziet_buiten_openbaar_register(
            policy.leraar_doelgroepen(ANONIEM, zelf=False, werkgever=False, toestemming=t)
        )
        for t in (False, True)
    )


# --- building the answer from rows --------------------------------------------------------------


def _geweigerd(type_naam: str, veld: FieldNode, naam: str) -> Bouwer:
    bericht = f"not visible to you: {type_naam}.{naam}"

    def bouw(_bron: Any, pad: tuple[Any, ...], fouten: list[GraphQLError]) -> None:
        fouten.append(GraphQLError(bericht, nodes=[veld], path=list(pad), original_error=Onbevoegd(bericht)))
        return None

    return bouw


@dataclass
class _Veld:
    sleutel: str
    blad: Callable[[Any], Any] | None  # a leaf: read from the source, no path needed
    bouw: Bouwer | None = None  # anything else: built with its path (for a denial's error)


def _object(velden: list[_Veld]) -> Bouwer:
    def bouw(bron: Any, pad: tuple[Any, ...], fouten: list[GraphQLError]) -> dict[str, Any]:
        uit = {}
        for v in velden:
            uit[v.sleutel] = v.blad(bron) if v.blad is not None else v.bouw(bron, (*pad, v.sleutel), fouten)  # type: ignore[misc]
        return uit

    return bouw


def _lijst(lees: Callable[[Any], list[Any]], item: Bouwer) -> Bouwer:
    def bouw(bron: Any, pad: tuple[Any, ...], fouten: list[GraphQLError]) -> list[Any]:
        return [item(x, (*pad, i), fouten) for i, x in enumerate(lees(bron))]

    return bouw


def _kind(lees: Callable[[Any], Any], kind: Bouwer) -> Bouwer:
    def bouw(bron: Any, pad: tuple[Any, ...], fouten: list[GraphQLError]) -> Any:
        waarde = lees(bron)
        return None if waarde is None else kind(waarde, pad, fouten)

    return bouw


@dataclass
class _Leraar:
    """A teacher's row with its bevoegdheden parsed from the statement's JSON."""

    rij: Any
    bevoegdheden: list[list[Any]]


# What each supported field answers, per type: a leaf reader, or (reader, child type, is list).
_LEZERS: dict[str, dict[str, Any]] = {
    "Leraar": {
        "registernummer": lambda b: b.rij["registernummer"],
        "naam": (attrgetter("rij"), "Naam", False),
        "bevoegdheden": (attrgetter("bevoegdheden"), "Bevoegdheid", True),
    },
    "Naam": {
        "voorletters": itemgetter("voorletters"),
        "tussenvoegsel": itemgetter("tussenvoegsel"),
        "achternaam": itemgetter("achternaam"),
        "weergavenaam": lambda r: naamregels.weergavenaam(r["voorletters"], r["tussenvoegsel"], r["achternaam"]),
    },
    "Bevoegdheid": {
        "id": lambda b: str(b[0]),
        "vak": itemgetter(1),
        "soort": itemgetter(2),
        "voorHerregistratie": itemgetter(3),
    },
    "LeraarConnection": {
        "totalCount": attrgetter("totaal"),
        "edges": (lambda p: [(p.offset + i, x) for i, x in enumerate(p.items)], "LeraarEdge", True),
        "pageInfo": (page_info, "PageInfo", False),
    },
    "LeraarEdge": {
        "cursor": lambda e: paginering.cursor(e[0]),
        "node": (itemgetter(1), "Leraar", False),
    },
    "PageInfo": {
        "hasNextPage": attrgetter("has_next_page"),
        "hasPreviousPage": attrgetter("has_previous_page"),
        "startCursor": attrgetter("start_cursor"),
        "endCursor": attrgetter("end_cursor"),
    },
}


def _compileer_selectie(type_: GraphQLObjectType, selecties: Any) -> Bouwer:
    lezers = _LEZERS.get(type_.name)
    if lezers is None:
        raise NietCompileerbaar(f"type {type_.name}")
    velden: list[_Veld] = []
    for sel in selecties.selections:
        if not isinstance(sel, FieldNode) or sel.directives:
            raise NietCompileerbaar("fragments and directives")
        naam = sel.name.value
        sleutel = sel.alias.value if sel.alias else naam
        if naam == "__typename":
            velden.append(_Veld(sleutel, lambda _b, t=type_.name: t))
            continue
        definitie = type_.fields.get(naam)
        if definitie is None:
            raise NietCompileerbaar(f"{type_.name}.{naam}")
        if not _zicht(type_.name, naam):
            if isinstance(definitie.type, GraphQLNonNull):
                raise NietCompileerbaar(f"{type_.name}.{naam} is denied and cannot be null")
            velden.append(_Veld(sleutel, None, _geweigerd(type_.name, sel, naam)))
            continue
        if sel.arguments or naam not in lezers:
            raise NietCompileerbaar(f"{type_.name}.{naam}")
        lezer = lezers[naam]
        if isinstance(lezer, tuple):
            lees, kind_type, is_lijst = lezer
            if get_named_type(definitie.type).name != kind_type:
                raise NietCompileerbaar(f"{type_.name}.{naam} is not a {kind_type}")
            kind = _compileer_selectie(get_named_type(definitie.type), sel.selection_set)  # type: ignore[arg-type]
            velden.append(_Veld(sleutel, None, _lijst(lees, kind) if is_lijst else _kind(lees, kind)))
        else:
            velden.append(_Veld(sleutel, lezer))
    return _object(velden)


# --- plans ---------------------------------------------------------------------------------------


class _Afwijzing(Exception):
    """Input the executor must answer (with its own error)."""


@dataclass
class Plan:
    """One registered document, compiled."""

    schema: Any
    operatie: OperationDefinitionNode
    veld: FieldNode
    sleutel: str
    bouw: Bouwer
    soort: str  # "zoek" | "opzoek"

    async def antwoord(self, verbinding: Any, variabelen: dict[str, Any] | None) -> dict[str, Any] | None:
        """The response, or None when the executor must answer (input it would reject).

        `verbinding` is an asyncpg connection of the request's own (no ORM session: nothing here needs one)."""
        waarden = get_variable_values(self.schema, self.operatie.variable_definitions or (), variabelen or {})
        if isinstance(waarden, list):
            return None
        try:
            argumenten = get_argument_values(self.schema.query_type.fields[self.veld.name.value], self.veld, waarden)
            bron = await (
                self._zoek(verbinding, argumenten) if self.soort == "zoek" else self._opzoek(verbinding, argumenten)
            )
        except (GraphQLError, RegisterFout, _Afwijzing):
            return None
        except Exception as exc:  # the statement timeout: null at the field with TIMEOUT, as the executor
            if storingscode(exc) != TIMEOUT:
                raise
            verplicht = isinstance(self.schema.query_type.fields[self.veld.name.value].type, GraphQLNonNull)
            return {
                "data": None if verplicht else {self.sleutel: None},
                "errors": formatteer([GraphQLError(str(exc), [self.veld], path=[self.sleutel], original_error=exc)])[0],
            }
        fouten: list[GraphQLError] = []
        data = {self.sleutel: None if bron is None else self.bouw(bron, (self.sleutel,), fouten)}
        antwoord: dict[str, Any] = {"data": data}
        if fouten:
            antwoord["errors"] = formatteer(fouten)[0]
        return antwoord

    async def _zoek(self, verbinding: Any, arg: dict[str, Any]) -> Pagina[_Leraar]:
        limit, offset = paginering.venster(arg.get("first"), arg.get("after"), PUBLIEK_MAX)
        params, met_exact, met_namen = leraren.zoekparameters(arg["zoekterm"])
        rijen = await _ZOEK.rijen(
            verbinding,
            {
                **params,
                "met_exact": met_exact,
                "met_namen": met_namen,
                "tot": offset + limit,
                "limit": limit,
                "offset": offset,
            },
        )
        items = [_Leraar(r, orjson.loads(r["bevoegdheden_json"])) for r in rijen if r["id"] is not None]
        return Pagina(items, offset, rijen[0]["totaal"])

    async def _opzoek(self, verbinding: Any, arg: dict[str, Any]) -> _Leraar | None:
        rijen = await _OPZOEK.rijen(verbinding, {"nummer": arg["registernummer"].strip()})
        return _Leraar(rijen[0], orjson.loads(rijen[0]["bevoegdheden_json"])) if rijen else None


_WORTELS = {"zoekLeraren": "zoek", "leraar": "opzoek"}  # the root fields compiled, and how


def compileer(schema: Any, tekst: str) -> Plan:
    """A plan for one document, or NietCompileerbaar. A registered document must be valid."""
    document = parse(tekst)
    fouten = validate(schema, document)
    if fouten:
        raise ValueError(f"a registered document is not valid: {fouten[0].message}")
    operaties = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if len(operaties) != len(document.definitions) or len(operaties) != 1:
        raise NietCompileerbaar("one operation, no fragments")
    operatie = operaties[0]
    if operatie.operation != OperationType.QUERY or len(operatie.selection_set.selections) != 1:
        raise NietCompileerbaar("one root field of Query")
    veld = operatie.selection_set.selections[0]
    if not isinstance(veld, FieldNode) or veld.name.value not in _WORTELS or veld.directives:
        raise NietCompileerbaar("zoekLeraren or leraar")
    soort = _WORTELS[veld.name.value]
    if not _zicht("Query", veld.name.value) or not _vindt_alleen_openbaar():
        raise NietCompileerbaar("not for the public")
    type_ = get_named_type(schema.query_type.fields[veld.name.value].type)
    bouw = _compileer_selectie(type_, veld.selection_set)  # type: ignore[arg-type]
    return Plan(schema, operatie, veld, veld.alias.value if veld.alias else veld.name.value, bouw, soort)


class Documenten:
    """The registered documents by their exact text, each with its plan (None: the executor answers)."""

    def __init__(self, schema: Any, teksten: Iterable[str]):
        self._plannen: dict[str, Plan | None] = {}
        for tekst in teksten:
            tekst = tekst.strip()  # a file's last newline; clients send the text itself
            try:
                self._plannen[tekst] = compileer(schema, tekst)
            except NietCompileerbaar as exc:
                log.info("registered document answered by the executor (%s)", exc)
                self._plannen[tekst] = None

    @staticmethod
    def uit_map(schema: Any, map_: Path = DOCUMENTEN) -> Documenten:
        return Documenten(schema, (p.read_text(encoding="utf-8") for p in sorted(map_.glob("*.graphql"))))

    def plan(self, tekst: str, operatie: str | None) -> Plan | None:
        plan = self._plannen.get(tekst.strip())
        if plan is None or (
            operatie is not None and (plan.operatie.name is None or plan.operatie.name.value != operatie)
        ):
            return None
        return plan

    def __len__(self) -> int:
        return len(self._plannen)

    def gecompileerd(self) -> int:
        return sum(1 for p in self._plannen.values() if p is not None)


async def compileer_pool(
    database_url: str,
    luisteraars: list[Callable[[str], None]],
    statement_timeout_ms: int = 0,
    connect_timeout_seconds: float = 0,
) -> Any:
    """The compiled path's own asyncpg pool: connections opened as needed, kept for 16 concurrent
    requests and more; JIT off, the read statement timeout and the connect timeout as on the engine
    (db.py). A connection the server closed is replaced by asyncpg at acquire. When `luisteraars`
    has any (the test suite's statement counter) before a connection opens, each statement it runs
    is told to them; otherwise the driver's query logging stays off the hot path."""
    import asyncpg
    from sqlalchemy.engine import make_url

    from ..db import pg_connect_args

    dsn = make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)

    async def bij_verbinden(verbinding: Any) -> None:
        if luisteraars:
            verbinding.add_query_logger(lambda q: [f(q.query) for f in luisteraars])

    async def niets_terug_te_zetten(_verbinding: Any) -> None:
        """The compiled path only reads, one statement outside any transaction, and leaves no
        session state behind: the pool's default reset would be a second round trip per request."""

    return await asyncpg.create_pool(
        dsn,
        min_size=0,
        max_size=20,
        init=bij_verbinden,
        reset=niets_terug_te_zetten,
        **pg_connect_args(statement_timeout_ms, connect_timeout_seconds),
    )
