"""The steps of a plan (schema/plannen.py): one selected field (`Veld`), one request's walk (`Run`), and
the functions that walk: graphql-core's execute_field, execute_fields and completion (non-null,
list, leaf, object), each fixed per field when the plan is made. Every field first passes
`zichtbaarheid.controleer`, the check the executor's extension calls.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from types import CoroutineType
from typing import Any

from graphql import (
    FieldNode,
    GraphQLBoolean,
    GraphQLError,
    GraphQLID,
    GraphQLObjectType,
    GraphQLResolveInfo,
    GraphQLString,
    located_error,
)
from graphql.execution.values import get_argument_values
from graphql.pyutils import Path, Undefined, is_awaitable, is_iterable
from strawberry.types.arguments import convert_arguments

from .uitvoering import alles_afwachten
from .zichtbaarheid import controleer

Voltooier = Callable[[Any, Any, "Run"], Any]  # (value, its path, run) -> completed value or a coroutine


class Terugval(Exception):
    """This request is answered by the executor (an error that would null a non-null parent)."""


@dataclass(eq=False)
class Veld:
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


class Run:
    """One request's walk of a plan."""

    __slots__ = ("verzoek", "variabelen", "fouten", "kwargs", "plan", "regels")

    def __init__(self, plan: Any, verzoek: Any, variabelen: Any):
        self.plan = plan
        self.regels = plan.schema.regels  # the schema's own (schema/__init__.py), as its extension has them
        self.verzoek = verzoek
        self.variabelen = variabelen
        self.fouten: list[GraphQLError] = []
        self.kwargs: dict[
            int, dict[str, Any] | Exception
        ] = {}  # per field: the resolver's keyword arguments, or the error making them

    def argumenten(self, v: Veld, pad: Any) -> dict[str, Any]:
        """The resolver's keyword arguments, as strawberry makes them (once per request and field:
        they depend on the variables only). Info's path is that of the field's first object."""
        kw = self.kwargs.get(v.index)
        if kw is None:
            kw = self.kwargs[v.index] = self._maak(v, pad)
        if isinstance(kw, Exception):
            raise kw
        return kw

    def _maak(self, v: Veld, pad: Any) -> Any:
        plan = self.plan
        raw = GraphQLResolveInfo(
            v.naam,
            v.knopen,
            v.definitie.type,
            v.ouder_type,
            Path(pad, v.sleutel, v.ouder),
            plan.graphql_schema,
            {},
            None,
            plan.operatie,
            self.variabelen,
            self.verzoek,
            is_awaitable,
            None,
            None,  # type: ignore[arg-type]  # async_helpers: graphql-core fills them in its executor only
        )
        info = plan.schema.config.info_class(_raw_info=raw, _field=v.strawberry_veld)
        try:
            kale = (
                get_argument_values(v.definitie, v.knopen[0], self.variabelen)
                if v.definitie.args or v.knopen[0].arguments
                else {}
            )
            kw = convert_arguments(
                kale,
                v.strawberry_veld.arguments,
                scalar_registry=plan.schema.schema_converter.scalar_registry,
                config=plan.schema.config,
                info=info,
            )
        except Exception as exc:  # as the executor: an error of this field, wherever it is asked
            return exc
        if v.info_naam:
            kw[v.info_naam] = info
        return kw


# --- running -------------------------------------------------------------------------------------


def _fout(v: Veld, exc: Exception, pad: Any, run: Run, verplicht: bool, sleutel: Any) -> None:
    """graphql-core's handle_field_error: a nullable field (or list item) records the error and is
    null; a non-null one would null its parent: the executor answers instead."""
    if verplicht or isinstance(exc, Terugval):
        raise Terugval() from exc
    run.fouten.append(
        located_error(exc, v.knopen, Path(pad, sleutel, v.ouder if isinstance(sleutel, str) else None).as_list())
    )


def _stap(v: Veld, bron: Any, pad: Any, run: Run) -> Any:
    """graphql-core's execute_field for one object: the check, the value, its completion."""
    try:
        wacht = controleer(run.regels, v.ouder, v.naam, bron, run.verzoek)
        if wacht is not None:
            return _na_controle(v, wacht, bron, pad, run)
        if v.functie is None:
            waarde = getattr(bron, v.attribuut) if v.attribuut is not None else v.vast
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


async def _na_controle(v: Veld, wacht: Any, bron: Any, pad: Any, run: Run) -> Any:
    """As the extension's own wait: the teacher's audiences first, then the field."""
    try:
        await wacht
        if v.functie is None:
            waarde = getattr(bron, v.attribuut) if v.attribuut is not None else v.vast
        else:
            kw = run.argumenten(v, pad)
            waarde = v.functie(bron, **kw) if v.zelf else v.functie(**kw)
            if is_awaitable(waarde):
                waarde = await waarde
        uit = v.voltooi(waarde, pad if v.leeg_pad else Path(pad, v.sleutel, v.ouder), run)
        return (await uit) if type(uit) is CoroutineType else uit
    except Exception as exc:
        return _fout(v, exc, pad, run, v.verplicht, v.sleutel)


async def _later(v: Veld, waarde: Any, pad: Any, run: Run) -> Any:
    try:
        waarde = await waarde
        uit = v.voltooi(waarde, pad if v.leeg_pad else Path(pad, v.sleutel, v.ouder), run)
        return (await uit) if type(uit) is CoroutineType else uit
    except Exception as exc:
        return _fout(v, exc, pad, run, v.verplicht, v.sleutel)


async def _voltooid_later(v: Veld, uit: Any, pad: Any, run: Run) -> Any:
    try:
        return await uit
    except Exception as exc:
        return _fout(v, exc, pad, run, v.verplicht, v.sleutel)


def _sluit(wachtend: Iterable[Any]) -> None:
    """Awaitables made before a Terugval that nobody will await: closed, never run."""
    for w in wachtend:
        if type(w) is CoroutineType:
            w.close()


def velden(alle: list[Veld], bron: Any, pad: Any, run: Run) -> Any:
    """graphql-core's execute_fields: every field in order; those that wait, awaited together."""
    uit: dict[str, Any] = {}
    wachtend: list[str] | None = None
    try:
        for v in alle:
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


def blad(v: Veld, type_: Any) -> Voltooier:
    zet_om = type_.coerce_output_value
    tekst = type_ in (GraphQLString, GraphQLID)

    def voltooi(w: Any, _pad: Any, _run: Run) -> Any:
        if w is None or w is Undefined:
            return None
        if tekst and type(w) is str:  # what coerce_output_value gives back unchanged
            return w
        if isinstance(w, Exception):
            raise w
        uit = zet_om(w)
        if uit is None or uit is Undefined:
            raise TypeError(
                f"Expected `{type_}.coerce_output_value({w!r})` to return non-nullable value, returned: {uit!r}"
            )
        return uit

    if type_ is GraphQLBoolean:

        def voltooi_bool(w: Any, pad: Any, run: Run) -> Any:
            return w if type(w) is bool else voltooi(w, pad, run)

        return voltooi_bool
    return voltooi


def niet_null(v: Veld, binnen: Voltooier) -> Voltooier:
    bericht = f"Cannot return null for non-nullable field {v.ouder}.{v.naam}."

    def voltooi(w: Any, pad: Any, run: Run) -> Any:
        uit = binnen(w, pad, run)
        if uit is None:
            raise TypeError(bericht)
        return uit

    return voltooi


def object_(kinderen: list[Veld]) -> Voltooier:
    def voltooi(w: Any, pad: Any, run: Run) -> Any:
        if w is None or w is Undefined:
            return None
        if isinstance(w, Exception):
            raise w
        return velden(kinderen, w, pad, run)

    return voltooi


def lijst(v: Veld, item: Voltooier, item_verplicht: bool) -> Voltooier:
    bericht = f"Expected Iterable, but did not find one for field '{v.ouder}.{v.naam}'."

    def voltooi(w: Any, pad: Any, run: Run) -> Any:
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
                        _fout(v, exc, pad, run, item_verplicht, i)
                        r = None
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


async def _item_later(v: Veld, item: Voltooier, x: Any, ipad: Any, run: Run, verplicht: bool) -> Any:
    try:
        uit = item(await x, ipad, run)
        return (await uit) if type(uit) is CoroutineType else uit
    except Exception as exc:
        return _fout(v, exc, ipad.prev, run, verplicht, ipad.key)


async def _item_voltooid_later(v: Veld, r: Any, pad: Any, i: int, run: Run, verplicht: bool) -> Any:
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
