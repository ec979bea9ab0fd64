"""Plans (issue 12): queries answered without graphql-core's per-field work, for every audience.

A trusted document's operation is compiled once, at start (another short text at its first use,
kept in a bounded cache), into a tree of plain Python steps (schema/planstappen.py): per field its
response key, how to get its value (the attribute strawberry reads, or the resolver function
strawberry calls, with the same converted arguments and `Info`), and how to complete it
(graphql-core's rules for non-null, lists, leaves and objects, fixed per field). At request time
the plan walks the data with the request's `Verzoek`: every field first passes
`zichtbaarheid.controleer`, the function the schema's extension calls for the executor, so that
visibility, denials and the access log come from the one enforcement point; loaders and the page
loading ahead are the resolvers' own. Sibling fields and list items that wait are awaited together
as the executor does (its `alles_afwachten`), so that loaders batch alike. Errors are located as
graphql-core locates them and formatted by the same code (schema/fouten.py orders them by place,
not by schedule).

On PostgreSQL a board's staff page and the teacher's own portfolio page go further: the plan hands
them to the row path (schema/rijenpad.py), which answers from plain rows with controleer's verdicts
per type and audiences, and falls back to the walk below for anything it does not cover.

What a plan cannot do identically it leaves to the executor. At compile time: a document the
executor would refuse, several operations, fragments, directives, mutations, meta fields other
than __typename, a field strawberry resolves otherwise than by attribute or plain resolver. At
request time: variables the executor would reject, and any error that would null a non-null
parent (graphql-core then also decides which sibling errors survive): the request is answered
again by the executor with a fresh `Verzoek`, as if the plan had never run. tests/test_snelpad.py
checks that both answer alike for every trusted document and audience, and for other documents.
"""

from __future__ import annotations

import logging
from collections import OrderedDict
from collections.abc import Iterable
from dataclasses import dataclass
from types import CoroutineType
from typing import Any

from graphql import (
    FieldNode,
    GraphQLError,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    OperationDefinitionNode,
    OperationType,
    is_leaf_type,
    specified_rules,
)
from graphql.execution import ExecutionResult
from graphql.execution.values import get_variable_values
from strawberry.schema.schema import validate_document

from .ontleden import KLEIN, ontleed
from .planstappen import Run, Terugval, Veld, Voltooier, blad, lijst, niet_null, object_, velden
from .rijenpad import NIET_GEDAAN, NietOpRijen, RijenPlan, rijenplan

log = logging.getLogger(__name__)


class NietTePlannen(Exception):
    """This document is answered by the executor."""


# --- compiling -----------------------------------------------------------------------------------


class _Bouwer:
    def __init__(self, schema: Any):
        self.schema = schema
        self.aantal = 0

    def selectie(self, type_: GraphQLObjectType, selecties: Any) -> list[Veld]:
        velden: list[Veld] = []
        for sel in selecties.selections:
            if not isinstance(sel, FieldNode) or sel.directives:
                raise NietTePlannen("fragments and directives")
            sleutel = sel.alias.value if sel.alias else sel.name.value
            if any(v.sleutel == sleutel for v in velden):
                raise NietTePlannen(f"the response key {sleutel} twice")
            velden.append(self.veld(type_, sel, sleutel))
        return velden

    def veld(self, type_: GraphQLObjectType, knoop: FieldNode, sleutel: str) -> Veld:
        naam = knoop.name.value
        self.aantal += 1
        if naam == "__typename":
            return Veld(
                self.aantal,
                sleutel,
                naam,
                type_.name,
                type_,
                None,
                [knoop],
                None,
                None,
                None,
                vast=type_.name,
                voltooi=lambda w, p, r: w,
            )
        definitie = type_.fields.get(naam)
        if definitie is None:
            raise NietTePlannen(f"{type_.name}.{naam}")
        sv = (definitie.extensions or {}).get("strawberry-definition")
        resolve = getattr(definitie.resolve, "__qualname__", "")
        if sv is None or sv.extensions or not resolve.startswith("GraphQLCoreConverter.from_resolver"):
            raise NietTePlannen(f"{type_.name}.{naam} is not resolved as strawberry resolves plain fields")
        v = Veld(self.aantal, sleutel, naam, type_.name, type_, definitie, [knoop], sv, None, sv.python_name)
        r = sv.base_resolver
        if r is not None:
            if r.parent_parameter or r.root_parameter:
                raise NietTePlannen(f"{type_.name}.{naam} takes its parent as an argument")
            v.functie, v.attribuut, v.zelf = r.wrapped_func, None, r.self_parameter is not None
            v.info_naam = r.info_parameter.name if r.info_parameter else None
        elif knoop.arguments:
            raise NietTePlannen(f"{type_.name}.{naam} has arguments and no resolver")
        v.verplicht = isinstance(definitie.type, GraphQLNonNull)
        v.voltooi, v.leeg_pad = self.voltooier(v, definitie.type, knoop)
        return v

    def voltooier(self, v: Veld, type_: Any, knoop: FieldNode) -> tuple[Voltooier, bool]:
        if isinstance(type_, GraphQLNonNull):
            binnen, leeg = self.voltooier(v, type_.of_type, knoop)
            return niet_null(v, binnen), leeg
        if isinstance(type_, GraphQLList):
            item, _ = self.voltooier(v, type_.of_type, knoop)
            return lijst(v, item, isinstance(type_.of_type, GraphQLNonNull)), False
        if is_leaf_type(type_):
            if knoop.selection_set is not None:
                raise NietTePlannen("a selection on a leaf")
            return blad(v, type_), True
        if isinstance(type_, GraphQLObjectType) and type_.is_type_of is None and knoop.selection_set is not None:
            return object_(self.selectie(type_, knoop.selection_set)), False
        raise NietTePlannen(f"{v.ouder}.{v.naam}: an abstract type or a type that checks its values")


@dataclass
class Plan:
    """One trusted document's operation, compiled."""

    schema: Any  # the strawberry schema
    graphql_schema: Any
    operatie: OperationDefinitionNode
    velden: list[Veld]
    rijen: RijenPlan | None = None  # on PostgreSQL, from plain rows (schema/rijenpad.py)

    async def voer_uit(self, verzoek: Any, variabelen: dict[str, Any] | None) -> ExecutionResult | None:
        """The executor's result for this request, or None when the executor must answer it."""
        waarden = get_variable_values(self.graphql_schema, self.operatie.variable_definitions or (), variabelen or {})
        if isinstance(waarden, list):
            return None
        if self.rijen is not None:
            uit: ExecutionResult | None = await self.rijen.voer_uit(verzoek, waarden)
            if uit is not NIET_GEDAAN:
                return uit
        run = Run(self, verzoek, waarden)
        try:
            data = velden(self.velden, None, None, run)
            if type(data) is CoroutineType:
                data = await data
        except Terugval:
            return None
        return ExecutionResult(data, run.fouten or None)


def plan(schema: Any, tekst: str) -> Plan:
    """A plan for one document's single query operation, or NietTePlannen (also for a document the
    executor would refuse: its rules, strawberry's two included, decide validity)."""
    graphql_schema = schema._schema
    try:
        document = ontleed(tekst)
    except (GraphQLError, RecursionError):
        raise NietTePlannen("does not parse") from None
    if validate_document(graphql_schema, document, tuple(specified_rules)):
        raise NietTePlannen("not valid")
    if len(document.definitions) != 1 or not isinstance(document.definitions[0], OperationDefinitionNode):
        raise NietTePlannen("one operation, no fragments")
    operatie = document.definitions[0]
    if operatie.operation != OperationType.QUERY or operatie.directives:
        raise NietTePlannen("queries only")
    velden_ = _Bouwer(schema).selectie(graphql_schema.query_type, operatie.selection_set)
    try:
        rijen: RijenPlan | None = rijenplan(schema, operatie)
    except NietOpRijen:
        rijen = None
    return Plan(schema, graphql_schema, operatie, velden_, rijen)


class Plannen:
    """The trusted documents' plans by their text (None: the executor answers that document), and
    plans made on first use for other short texts, the last LOS_AANTAL of them kept (a client's
    unregistered documents repeat too; a stream of unique ones costs a parse and a validation each,
    which the executor would spend on them anyway, and no more memory than the cache holds)."""

    LOS_AANTAL = 512

    def __init__(self, schema: Any, teksten: Iterable[str]):
        self._schema = schema
        self._plannen: dict[str, Plan | None] = {}
        self._los: OrderedDict[str, Plan | None] = OrderedDict()
        for tekst in teksten:
            tekst = tekst.strip()
            try:
                self._plannen[tekst] = plan(schema, tekst)
            except NietTePlannen as exc:
                log.info("trusted document answered by the executor (%s)", exc)
                self._plannen[tekst] = None

    def plan(self, tekst: str, operatie: str | None) -> Plan | None:
        if tekst in self._plannen:
            gevonden = self._plannen[tekst]
        elif (kaal := tekst.strip()) in self._plannen:
            gevonden = self._plannen[kaal]
        else:
            gevonden = self._los_plan(tekst)
        if gevonden is None:
            return None
        if operatie is not None and (gevonden.operatie.name is None or gevonden.operatie.name.value != operatie):
            return None
        return gevonden

    def _los_plan(self, tekst: str) -> Plan | None:
        if len(tekst) > KLEIN:
            return None
        try:
            self._los.move_to_end(tekst)
            return self._los[tekst]
        except KeyError:
            pass
        try:
            gemaakt: Plan | None = plan(self._schema, tekst)
        except NietTePlannen:
            gemaakt = None
        self._los[tekst] = gemaakt
        if len(self._los) > self.LOS_AANTAL:
            self._los.popitem(last=False)
        return gemaakt

    def __len__(self) -> int:
        return sum(1 for p in self._plannen.values() if p is not None)
