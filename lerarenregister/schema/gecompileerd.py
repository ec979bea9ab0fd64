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

from ..auth import policy
from ..auth.viewer import ANONIEM
from ..regels import naam as naamregels
from ..resolvers import leraren, paginering
from ..resolvers.fouten import Onbevoegd, RegisterFout
from ..resolvers.paginering import PUBLIEK_MAX, Pagina
from ..storingen import TIMEOUT, storingscode
from . import zichtbaarheidsregels
from .fouten import formatteer
from .gecompileerd_sql import OPZOEKEN, ZOEK, compileer_pool
from .leesverbindingen import Leesverbindingen
from .relay import page_info
from .zichtbaarheid import ROOTS, STRUCTUREEL

log = logging.getLogger(__name__)

DOCUMENTEN = Path(__file__).resolve().parent.parent / "documenten"

Bouwer = Callable[[Any, Any, list[GraphQLError]], Any]  # (source, linked path, errors)


class NietCompileerbaar(Exception):
    """The compiler does not handle this document: the executor answers it."""


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
# Each selection becomes one generated Python function: its fields' reads as expressions and the
# answer's dict in one display, children built by their own functions (as schema/rijenbouw.py does
# for the row path). A search page of 20 teachers is built in about a third of the time a tree of
# closures took, one call per field (bench: 53 µs a page, a fifth of the request's server CPU).
# A path is built only for an error: `pad` is linked, (parent, key), with None above the root.


def _plat(pad: Any) -> list[Any]:
    """A linked path as GraphQL's list of keys and indexes."""
    uit: list[Any] = []
    while pad is not None:
        pad, sleutel = pad
        uit.append(sleutel)
    uit.reverse()
    return uit


def _geweigerd(type_naam: str, veld: FieldNode, naam: str) -> Callable[[Any, list[GraphQLError]], None]:
    bericht = f"not visible to you: {type_naam}.{naam}"

    def weiger(pad: Any, fouten: list[GraphQLError]) -> None:
        fouten.append(GraphQLError(bericht, nodes=[veld], path=_plat(pad), original_error=Onbevoegd(bericht)))

    return weiger


@dataclass
class _Leraar:
    """A teacher's row with its bevoegdheden parsed from the statement's JSON."""

    rij: Any
    bevoegdheden: list[list[Any]]


# What each supported field answers, per type, as a Python expression over the source `b`: a leaf,
# or (the child's source, child type, is list).
_LEZERS: dict[str, dict[str, Any]] = {
    "Leraar": {
        "registernummer": "b.rij['registernummer']",
        "naam": ("b.rij", "Naam", False),
        "bevoegdheden": ("b.bevoegdheden", "Bevoegdheid", True),
    },
    "Naam": {
        "voorletters": "b['voorletters']",
        "tussenvoegsel": "b['tussenvoegsel']",
        "achternaam": "b['achternaam']",
        "weergavenaam": "weergavenaam(b['voorletters'], b['tussenvoegsel'], b['achternaam'])",
    },
    "Bevoegdheid": {
        "id": "str(b[0])",
        "vak": "b[1]",
        "soort": "b[2]",
        "voorHerregistratie": "b[3]",
    },
    "LeraarConnection": {
        "totalCount": "b.totaal",
        "edges": ("[(b.offset + i, x) for i, x in enumerate(b.items)]", "LeraarEdge", True),
        "pageInfo": ("page_info(b)", "PageInfo", False),
    },
    "LeraarEdge": {
        "cursor": "cursor(b[0])",
        "node": ("b[1]", "Leraar", False),
    },
    "PageInfo": {
        "hasNextPage": "b.has_next_page",
        "hasPreviousPage": "b.has_previous_page",
        "startCursor": "b.start_cursor",
        "endCursor": "b.end_cursor",
    },
}
# The names the expressions above use.
_NAMEN: dict[str, Any] = {
    "weergavenaam": naamregels.weergavenaam,
    "cursor": paginering.cursor,
    "page_info": page_info,
}


def _compileer_selectie(type_: GraphQLObjectType, selecties: Any) -> Bouwer:
    """(source, linked path, errors) -> the selection's answer, as one generated function."""
    lezers = _LEZERS.get(type_.name)
    if lezers is None:
        raise NietCompileerbaar(f"type {type_.name}")
    ns: dict[str, Any] = dict(_NAMEN)
    regels = ["def bouw(b, pad, fouten):"]
    waarden: list[str] = []
    for i, sel in enumerate(selecties.selections):
        if not isinstance(sel, FieldNode) or sel.directives:
            raise NietCompileerbaar("fragments and directives")
        naam = sel.name.value
        sleutel = sel.alias.value if sel.alias else naam
        if naam == "__typename":
            waarden.append(f"{sleutel!r}: {type_.name!r}")
            continue
        definitie = type_.fields.get(naam)
        if definitie is None:
            raise NietCompileerbaar(f"{type_.name}.{naam}")
        if not _zicht(type_.name, naam):
            if isinstance(definitie.type, GraphQLNonNull):
                raise NietCompileerbaar(f"{type_.name}.{naam} is denied and cannot be null")
            ns[f"G{i}"] = _geweigerd(type_.name, sel, naam)
            waarden.append(f"{sleutel!r}: G{i}((pad, {sleutel!r}), fouten)")
            continue
        if sel.arguments or naam not in lezers:
            raise NietCompileerbaar(f"{type_.name}.{naam}")
        lezer = lezers[naam]
        if isinstance(lezer, tuple):
            expressie, kind_type, is_lijst = lezer
            if get_named_type(definitie.type).name != kind_type:
                raise NietCompileerbaar(f"{type_.name}.{naam} is not a {kind_type}")
            ns[f"B{i}"] = _compileer_selectie(get_named_type(definitie.type), sel.selection_set)
            regels.append(f"    w{i} = {expressie}")
            if is_lijst:
                regels.append(f"    p{i} = (pad, {sleutel!r})")
                waarden.append(f"{sleutel!r}: [B{i}(x, (p{i}, j), fouten) for j, x in enumerate(w{i})]")
            else:
                waarden.append(f"{sleutel!r}: None if w{i} is None else B{i}(w{i}, (pad, {sleutel!r}), fouten)")
        else:
            waarden.append(f"{sleutel!r}: {lezer}")
    regels.append("    return {" + ", ".join(waarden) + "}")
    exec(compile("\n".join(regels), f"<gecompileerd {type_.name}>", "exec"), ns)
    bouw: Bouwer = ns["bouw"]
    return bouw


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

    async def antwoord(self, pool: Leesverbindingen, variabelen: dict[str, Any] | None) -> dict[str, Any] | None:
        """The response, or None when the executor must answer (input it would reject).

        `pool` holds the compiled path's asyncpg connections (no ORM session: nothing here needs one):
        a search takes one for its statement, a lookup goes with the others that arrive with it."""
        waarden = get_variable_values(self.schema, self.operatie.variable_definitions or (), variabelen or {})
        if isinstance(waarden, list):
            return None
        try:
            argumenten = get_argument_values(self.schema.query_type.fields[self.veld.name.value], self.veld, waarden)
            bron = await (self._zoek(pool, argumenten) if self.soort == "zoek" else self._opzoek(pool, argumenten))
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
        data = {self.sleutel: None if bron is None else self.bouw(bron, (None, self.sleutel), fouten)}
        antwoord: dict[str, Any] = {"data": data}
        if fouten:
            antwoord["errors"] = formatteer(fouten)[0]
        return antwoord

    async def _zoek(self, pool: Leesverbindingen, arg: dict[str, Any]) -> Pagina[_Leraar]:
        limit, offset = paginering.venster(arg.get("first"), arg.get("after"), PUBLIEK_MAX)
        params, met_exact, met_namen = leraren.zoekparameters(arg["zoekterm"])
        waarden = {
            **params,
            "met_exact": met_exact,
            "met_namen": met_namen,
            "tot": offset + limit,
            "limit": limit,
            "offset": offset,
        }
        async with pool.acquire() as verbinding:
            rijen = await ZOEK.rijen(verbinding, waarden)
        items = [_Leraar(r, orjson.loads(r["bevoegdheden_json"])) for r in rijen if r["id"] is not None]
        return Pagina(items, offset, rijen[0]["totaal"])

    async def _opzoek(self, pool: Leesverbindingen, arg: dict[str, Any]) -> _Leraar | None:
        rij = await OPZOEKEN.haal(pool, arg["registernummer"].strip())
        return None if rij is None else _Leraar(rij, orjson.loads(rij["bevoegdheden_json"]))


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
    bouw = _compileer_selectie(type_, veld.selection_set)
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


__all__ = ["DOCUMENTEN", "Documenten", "NietCompileerbaar", "Plan", "compileer", "compileer_pool"]
