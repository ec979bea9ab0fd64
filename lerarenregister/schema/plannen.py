"""Plans (issue 12): trusted documents answered without graphql-core's per-field work, for every audience.

A trusted document's operation is compiled once, at start, into a tree of plain Python steps: per
field its response key, how to get its value (the attribute strawberry reads, or the resolver
function strawberry calls, with the same converted arguments and `Info`), and how to complete it
(graphql-core's rules for non-null, lists, leaves and objects, fixed per field). At request time
the plan walks the data with the request's `Verzoek`: every field first passes
`zichtbaarheid.controleer`, the function the schema's extension calls for the executor, so that
visibility, denials and the access log come from the one enforcement point; loaders and the
page loading ahead are the resolvers' own. Sibling fields and list items that wait are awaited
together as the executor does (its `alles_afwachten`), so that loaders batch alike. Errors are
located as graphql-core locates them and formatted by the same code (schema/fouten.py orders
them by place, not by schedule).

What a plan cannot do identically it leaves to the executor. At compile time: fragments,
directives, mutations, meta fields other than __typename, a field strawberry resolves otherwise
than by attribute or plain resolver. At request time: variables the executor would reject, and
any error that would null a non-null parent (graphql-core then also decides which sibling errors
survive): the request is answered again by the executor with a fresh `Verzoek`, as if the plan had
never run. tests/test_snelpad.py checks that both answer alike for every trusted document and
audience.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass, field
from types import CoroutineType
from typing import Any, Callable, Iterable

from graphql import (
    FieldNode,
    GraphQLBoolean,
    GraphQLError,
    GraphQLID,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLResolveInfo,
    GraphQLString,
    OperationDefinitionNode,
    OperationType,
    is_leaf_type,
    located_error,
    parse,
    validate,
)
from graphql.execution import ExecutionResult
from graphql.execution.values import get_argument_values, get_variable_values
from graphql.pyutils import Path, Undefined, is_awaitable, is_iterable
from strawberry.types.arguments import convert_arguments

from .uitvoering import alles_afwachten
from .zichtbaarheid import controleer

log = logging.getLogger(__name__)

Voltooier = Callable[[Any, Any, "_Run"], Any]  # (value, its path, run) -> completed value or a coroutine


class NietTePlannen(Exception):
    """This document is answered by the executor."""


class Terugval(Exception):
    """This request is answered by the executor (an error that would null a non-null parent)."""


@dataclass(eq=False)
class _Veld:
    """One selected field: where its value comes from and how it is completed."""

    index: int  # per-request caches (arguments, Info) are kept by it
    sleutel: str  # the response key (alias or name)
    naam: str
    ouder: str  # the parent type's name
    ouder_type: GraphQLObjectType
    definitie: Any  # graphql-core's GraphQLField
    knopen: list[FieldNode]
    strawberry_veld: Any
    functie: Callable[..., Any] | None  # the resolver function; None: an attribute
    attribuut: str | None  # the attribute strawberry reads (or, for __typename, None and `vast`)
    vast: Any = None
    zelf: bool = False  # the resolver takes the parent as `self`
    info_naam: str | None = None  # the resolver's Info parameter
    verplicht: bool = False  # a non-null field: its error nulls the parent (Terugval)
    leeg_pad: bool = True  # a leaf: its path is made only for an error
    voltooi: Voltooier = field(default=lambda w, p, r: w)


class _Run:
    """One request's walk of a plan."""

    __slots__ = ("verzoek", "variabelen", "fouten", "kwargs", "plan")

    def __init__(self, plan: "Plan", verzoek: Any, variabelen: Any):
        self.plan = plan
        self.verzoek = verzoek
        self.variabelen = variabelen
        self.fouten: list[GraphQLError] = []
        self.kwargs: dict[int, Any] = {}  # per field: the resolver's keyword arguments, or the error making them

    def argumenten(self, v: _Veld, pad: Any) -> dict[str, Any]:
        """The resolver's keyword arguments, as strawberry makes them (once per request and field:
        they depend on the variables only). Info's path is that of the field's first object."""
        kw = self.kwargs.get(v.index)
        if kw is None:
            kw = self.kwargs[v.index] = self._maak(v, pad)
        if isinstance(kw, Exception):
            raise kw
        return kw  # type: ignore[no-any-return]

    def _maak(self, v: _Veld, pad: Any) -> Any:
        plan = self.plan
        raw = GraphQLResolveInfo(
            v.naam, v.knopen, v.definitie.type, v.ouder_type, Path(pad, v.sleutel, v.ouder), plan.graphql_schema, {},
            None, plan.operatie, self.variabelen, self.verzoek, is_awaitable, None, None)  # type: ignore[arg-type]
        info = plan.schema.config.info_class(_raw_info=raw, _field=v.strawberry_veld)
        try:
            kale = (get_argument_values(v.definitie, v.knopen[0], self.variabelen)
                    if v.definitie.args or v.knopen[0].arguments else {})
            kw = convert_arguments(kale, v.strawberry_veld.arguments, scalar_registry=plan.schema.schema_converter
                                   .scalar_registry, config=plan.schema.config, info=info)
        except Exception as exc:  # as the executor: an error of this field, wherever it is asked
            return exc
        if v.info_naam:
            kw[v.info_naam] = info
        return kw


# --- running -------------------------------------------------------------------------------------


def _fout(v: _Veld, exc: Exception, pad: Any, run: _Run, verplicht: bool, sleutel: Any) -> None:
    """graphql-core's handle_field_error: a nullable field (or list item) records the error and is
    null; a non-null one would null its parent: the executor answers instead."""
    if verplicht or isinstance(exc, Terugval):
        raise Terugval() from exc
    run.fouten.append(located_error(exc, v.knopen, Path(pad, sleutel, v.ouder if isinstance(sleutel, str)
                                                        else None).as_list()))


def _stap(v: _Veld, bron: Any, pad: Any, run: _Run) -> Any:
    """graphql-core's execute_field for one object: the check, the value, its completion."""
    try:
        wacht = controleer(v.ouder, v.naam, bron, run.verzoek)
        if wacht is not None:
            return _na_controle(v, wacht, bron, pad, run)
        if v.functie is None:
            waarde = getattr(bron, v.attribuut) if v.attribuut is not None else v.vast  # type: ignore[arg-type]
        else:
            kw = run.argumenten(v, pad)
            waarde = v.functie(bron, **kw) if v.zelf else v.functie(**kw)
            if is_awaitable(waarde):
                return _later(v, waarde, pad, run)
        uit = v.voltooi(waarde, pad if v.leeg_pad else Path(pad, v.sleutel, v.ouder), run)
        if type(uit) is CoroutineType:
            return _voltooid_later(v, uit, pad, run)
        return uit
    except Exception as exc:
        return _fout(v, exc, pad, run, v.verplicht, v.sleutel)


async def _na_controle(v: _Veld, wacht: Any, bron: Any, pad: Any, run: _Run) -> Any:
    """As the extension's own wait: the teacher's audiences first, then the field."""
    try:
        await wacht
        if v.functie is None:
            waarde = getattr(bron, v.attribuut) if v.attribuut is not None else v.vast  # type: ignore[arg-type]
        else:
            kw = run.argumenten(v, pad)
            waarde = v.functie(bron, **kw) if v.zelf else v.functie(**kw)
            if is_awaitable(waarde):
                waarde = await waarde
        uit = v.voltooi(waarde, pad if v.leeg_pad else Path(pad, v.sleutel, v.ouder), run)
        return (await uit) if type(uit) is CoroutineType else uit
    except Exception as exc:
        return _fout(v, exc, pad, run, v.verplicht, v.sleutel)


async def _later(v: _Veld, waarde: Any, pad: Any, run: _Run) -> Any:
    try:
        waarde = await waarde
        uit = v.voltooi(waarde, pad if v.leeg_pad else Path(pad, v.sleutel, v.ouder), run)
        return (await uit) if type(uit) is CoroutineType else uit
    except Exception as exc:
        return _fout(v, exc, pad, run, v.verplicht, v.sleutel)


async def _voltooid_later(v: _Veld, uit: Any, pad: Any, run: _Run) -> Any:
    try:
        return await uit
    except Exception as exc:
        return _fout(v, exc, pad, run, v.verplicht, v.sleutel)


def _sluit(wachtend: Iterable[Any]) -> None:
    """Awaitables made before a Terugval that nobody will await: closed, never run."""
    for w in wachtend:
        if type(w) is CoroutineType:
            w.close()


def _velden(velden: list[_Veld], bron: Any, pad: Any, run: _Run) -> Any:
    """graphql-core's execute_fields: every field in order; those that wait, awaited together."""
    uit: dict[str, Any] = {}
    wachtend: list[str] | None = None
    try:
        for v in velden:
            w = _stap(v, bron, pad, run)
            uit[v.sleutel] = w
            if type(w) is CoroutineType:
                if wachtend is None:
                    wachtend = [v.sleutel]
                else:
                    wachtend.append(v.sleutel)
    except Terugval:
        _sluit(uit[k] for k in wachtend or ())
        raise
    if wachtend is None:
        return uit
    return _wacht_velden(uit, wachtend)


async def _wacht_velden(uit: dict[str, Any], wachtend: list[str]) -> dict[str, Any]:
    if len(wachtend) == 1:
        uit[wachtend[0]] = await uit[wachtend[0]]
    else:
        uit.update(zip(wachtend, await alles_afwachten(*(uit[k] for k in wachtend))))
    return uit


# --- completion, fixed per field at compile time ---------------------------------------------------


def _blad(v: _Veld, type_: Any) -> Voltooier:
    zet_om = type_.coerce_output_value
    tekst = type_ in (GraphQLString, GraphQLID)

    def voltooi(w: Any, _pad: Any, _run: _Run) -> Any:
        if w is None or w is Undefined:
            return None
        if tekst and type(w) is str:  # what coerce_output_value gives back unchanged
            return w
        if isinstance(w, Exception):
            raise w
        uit = zet_om(w)
        if uit is None or uit is Undefined:
            raise TypeError(f"Expected `{type_}.coerce_output_value({w!r})` to return non-nullable value, "
                            f"returned: {uit!r}")
        return uit

    if type_ is GraphQLBoolean:
        def voltooi_bool(w: Any, pad: Any, run: _Run) -> Any:
            return w if type(w) is bool else voltooi(w, pad, run)
        return voltooi_bool
    return voltooi


def _niet_null(v: _Veld, binnen: Voltooier) -> Voltooier:
    bericht = f"Cannot return null for non-nullable field {v.ouder}.{v.naam}."

    def voltooi(w: Any, pad: Any, run: _Run) -> Any:
        uit = binnen(w, pad, run)
        if uit is None:
            raise TypeError(bericht)
        return uit

    return voltooi


def _object(velden: list[_Veld]) -> Voltooier:
    def voltooi(w: Any, pad: Any, run: _Run) -> Any:
        if w is None or w is Undefined:
            return None
        if isinstance(w, Exception):
            raise w
        return _velden(velden, w, pad, run)

    return voltooi


def _lijst(v: _Veld, item: Voltooier, item_verplicht: bool) -> Voltooier:
    bericht = f"Expected Iterable, but did not find one for field '{v.ouder}.{v.naam}'."

    def voltooi(w: Any, pad: Any, run: _Run) -> Any:
        if w is None or w is Undefined:
            return None
        if isinstance(w, Exception):
            raise w
        if not is_iterable(w):
            raise GraphQLError(bericht)
        uit: list[Any] = []
        wachtend: list[int] | None = None
        try:
            for i, x in enumerate(w):
                ipad = Path(pad, i, None)
                if is_awaitable(x):
                    r: Any = _item_later(v, item, x, ipad, run, item_verplicht)
                else:
                    try:
                        r = item(x, ipad, run)
                    except Exception as exc:
                        r = _fout(v, exc, pad, run, item_verplicht, i)
                    if type(r) is CoroutineType:
                        r = _item_voltooid_later(v, r, pad, i, run, item_verplicht)
                uit.append(r)
                if type(r) is CoroutineType:
                    if wachtend is None:
                        wachtend = [i]
                    else:
                        wachtend.append(i)
        except Terugval:
            _sluit(uit[i] for i in wachtend or ())
            raise
        if wachtend is None:
            return uit
        return _wacht_items(uit, wachtend)

    return voltooi


async def _item_later(v: _Veld, item: Voltooier, x: Any, ipad: Any, run: _Run, verplicht: bool) -> Any:
    try:
        uit = item(await x, ipad, run)
        return (await uit) if type(uit) is CoroutineType else uit
    except Exception as exc:
        return _fout(v, exc, ipad.prev, run, verplicht, ipad.key)


async def _item_voltooid_later(v: _Veld, r: Any, pad: Any, i: int, run: _Run, verplicht: bool) -> Any:
    try:
        return await r
    except Exception as exc:
        return _fout(v, exc, pad, run, verplicht, i)


async def _wacht_items(uit: list[Any], wachtend: list[int]) -> list[Any]:
    if len(wachtend) == 1:
        uit[wachtend[0]] = await uit[wachtend[0]]
    else:
        for i, w in zip(wachtend, await alles_afwachten(*(uit[i] for i in wachtend))):
            uit[i] = w
    return uit


# --- compiling -----------------------------------------------------------------------------------


class _Bouwer:
    def __init__(self, schema: Any):
        self.schema = schema
        self.aantal = 0

    def selectie(self, type_: GraphQLObjectType, selecties: Any) -> list[_Veld]:
        velden: list[_Veld] = []
        for sel in selecties.selections:
            if not isinstance(sel, FieldNode) or sel.directives:
                raise NietTePlannen("fragments and directives")
            sleutel = sel.alias.value if sel.alias else sel.name.value
            if any(v.sleutel == sleutel for v in velden):
                raise NietTePlannen(f"the response key {sleutel} twice")
            velden.append(self.veld(type_, sel, sleutel))
        return velden

    def veld(self, type_: GraphQLObjectType, knoop: FieldNode, sleutel: str) -> _Veld:
        naam = knoop.name.value
        self.aantal += 1
        if naam == "__typename":
            return _Veld(self.aantal, sleutel, naam, type_.name, type_, None, [knoop], None, None, None,
                         vast=type_.name, voltooi=lambda w, p, r: w)
        definitie = type_.fields.get(naam)
        if definitie is None:
            raise NietTePlannen(f"{type_.name}.{naam}")
        sv = (definitie.extensions or {}).get("strawberry-definition")
        resolve = getattr(definitie.resolve, "__qualname__", "")
        if sv is None or sv.extensions or not resolve.startswith("GraphQLCoreConverter.from_resolver"):
            raise NietTePlannen(f"{type_.name}.{naam} is not resolved as strawberry resolves plain fields")
        v = _Veld(self.aantal, sleutel, naam, type_.name, type_, definitie, [knoop], sv, None, sv.python_name)
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

    def voltooier(self, v: _Veld, type_: Any, knoop: FieldNode) -> tuple[Voltooier, bool]:
        if isinstance(type_, GraphQLNonNull):
            binnen, leeg = self.voltooier(v, type_.of_type, knoop)
            return _niet_null(v, binnen), leeg
        if isinstance(type_, GraphQLList):
            item, _ = self.voltooier(v, type_.of_type, knoop)
            return _lijst(v, item, isinstance(type_.of_type, GraphQLNonNull)), False
        if is_leaf_type(type_):
            if knoop.selection_set is not None:
                raise NietTePlannen("a selection on a leaf")
            return _blad(v, type_), True
        if isinstance(type_, GraphQLObjectType) and type_.is_type_of is None and knoop.selection_set is not None:
            return _object(self.selectie(type_, knoop.selection_set)), False
        raise NietTePlannen(f"{v.ouder}.{v.naam}: an abstract type or a type that checks its values")


@dataclass
class Plan:
    """One trusted document's operation, compiled."""

    schema: Any  # the strawberry schema
    graphql_schema: Any
    operatie: OperationDefinitionNode
    velden: list[_Veld]

    async def voer_uit(self, verzoek: Any, variabelen: dict[str, Any] | None) -> ExecutionResult | None:
        """The executor's result for this request, or None when the executor must answer it."""
        waarden = get_variable_values(self.graphql_schema, self.operatie.variable_definitions or (), variabelen or {})
        if isinstance(waarden, list):
            return None
        run = _Run(self, verzoek, waarden)
        try:
            data = _velden(self.velden, None, None, run)
            if type(data) is CoroutineType:
                data = await data
        except Terugval:
            return None
        return ExecutionResult(data, run.fouten or None)


def plan(schema: Any, tekst: str) -> Plan:
    """A plan for one document's single query operation, or NietTePlannen."""
    graphql_schema = schema._schema
    document = parse(tekst)
    if validate(graphql_schema, document):
        raise NietTePlannen("not valid")
    if len(document.definitions) != 1 or not isinstance(document.definitions[0], OperationDefinitionNode):
        raise NietTePlannen("one operation, no fragments")
    operatie = document.definitions[0]
    if operatie.operation != OperationType.QUERY or operatie.directives:
        raise NietTePlannen("queries only")
    return Plan(schema, graphql_schema, operatie, _Bouwer(schema).selectie(graphql_schema.query_type,
                                                                           operatie.selection_set))


class Plannen:
    """The trusted documents' plans by their text (None: the executor answers that document)."""

    def __init__(self, schema: Any, teksten: Iterable[str]):
        self._plannen: dict[str, Plan | None] = {}
        for tekst in teksten:
            tekst = tekst.strip()
            try:
                self._plannen[tekst] = plan(schema, tekst)
            except NietTePlannen as exc:
                log.info("trusted document answered by the executor (%s)", exc)
                self._plannen[tekst] = None

    def plan(self, tekst: str, operatie: str | None) -> Plan | None:
        gevonden = self._plannen.get(tekst) or self._plannen.get(tekst.strip())
        if gevonden is None or (operatie is not None and (gevonden.operatie.name is None
                                                          or gevonden.operatie.name.value != operatie)):
            return None
        return gevonden

    def __len__(self) -> int:
        return sum(1 for p in self._plannen.values() if p is not None)
