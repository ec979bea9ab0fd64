"""Loading ahead: the one way a field answers from what its page loaded, and what a page loads,
read from its fields' declarations.

A field that a page can load ahead for declares the step it answers from beside its audiences:
`@zichtbaar(Z, W, metadata=vooruit(Vooruit.WAARSCHUWINGEN))`. A page's resolver asks `gevraagd(info)`
which steps the fields asked of its nodes declare, each with the audiences that may see those
fields (their `zichtbaar` declarations), and loads them (`laad_pagina_vooruit` in
resolvers/leraren.py and resolvers/portfolio.py). The field then answers with `klaar_of_laad`: at
once from what is at hand, else by awaiting its loader.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from functools import lru_cache
from typing import TYPE_CHECKING, Any, TypeAlias, TypeVar

from graphql import GraphQLObjectType, get_named_type
from strawberry.types import Info
from strawberry.types.nodes import SelectedField

from ..auth.policy import Doelgroep
from ..resolvers.loaders import NIET, Niet, Vooruit
from .zichtbaarheid import ZichtbaarVoor

V = TypeVar("V")
R = TypeVar("R")

if TYPE_CHECKING:
    # What a field that may answer at once returns: its value, or an awaitable of it.
    NuOfLater: TypeAlias = R | Awaitable[R]
else:

    class NuOfLater:
        """To strawberry, `NuOfLater[X]` is X: the field's GraphQL type. graphql-core awaits whatever
        a resolver returns that is awaitable, so a plain resolver may hand back either."""

        def __class_getitem__(cls, item: Any) -> Any:
            return item


def klaar_of_laad(waarde: V | Niet, laad: Callable[[], Awaitable[V]], maak: Callable[[V], R]) -> NuOfLater[R]:
    """A field's answer made by `maak` from `waarde` when that is at hand (`loaders.klaar`): at once,
    without a coroutine and the task graphql-core makes for each one in a list (most of the cost of
    a large page). Else from what `laad` loads, awaited."""
    if waarde is NIET:
        return _later(laad, maak)
    return maak(waarde)


async def _later(laad: Callable[[], Awaitable[V]], maak: Callable[[V], R]) -> R:
    return maak(await laad())


_VOORUIT = "vooruit"


def vooruit(stap: Vooruit) -> dict[str, Vooruit]:
    """A field's metadata: its page can load `stap` ahead for it."""
    return {_VOORUIT: stap}


Stappen = Mapping[Vooruit, frozenset[Doelgroep]]
# path of field names from the node -> (the step its field declares, the field's audiences)
_Tabel = dict[tuple[str, ...], tuple[Vooruit, frozenset[Doelgroep]]]


def _object(type_: Any) -> GraphQLObjectType:
    benoemd = get_named_type(type_)
    assert isinstance(benoemd, GraphQLObjectType), benoemd
    return benoemd


def _doelgroepen(definitie: Any) -> frozenset[Doelgroep]:
    """A field's declared audiences, as the schema's rules read them (zichtbaarheid.verzamel_regels)."""
    return frozenset(d for r in definitie.directives if isinstance(r, ZichtbaarVoor) for d in r.doelgroepen)


@lru_cache(maxsize=16)
def _tabel(ouder: GraphQLObjectType, veld: str) -> tuple[_Tabel, frozenset[tuple[str, ...]]]:
    """For the connection `ouder.veld` returns: the declared steps below its node type, and the paths
    to descend to find them (a field that declares a step leads on to the fields of its own type: a
    page that loads bevoegdheden can load their herregistratie too). Read once per field."""
    knoop = _object(_object(_object(ouder.fields[veld].type).fields["edges"].type).fields["node"].type)
    tabel: _Tabel = {}
    dalen: set[tuple[str, ...]] = set()

    def loop(type_: GraphQLObjectType, pad: tuple[str, ...], gezien: frozenset[str]) -> None:
        for naam, v in type_.fields.items():
            definitie = (v.extensions or {}).get("strawberry-definition")
            stap = (getattr(definitie, "metadata", None) or {}).get(_VOORUIT)
            if stap is None:
                continue
            hier = (*pad, naam)
            tabel[hier] = (stap, _doelgroepen(definitie))
            kind = get_named_type(v.type)
            if isinstance(kind, GraphQLObjectType) and kind.name not in gezien:
                dalen.add(hier)
                loop(kind, hier, gezien | {kind.name})

    loop(knoop, (), frozenset({knoop.name}))
    return tabel, frozenset(dalen)


def _kinderen(selecties: list[Any], naam: str) -> list[Any]:
    uit: list[Any] = []
    for sel in selecties:
        if isinstance(sel, SelectedField):
            if sel.name == naam:
                uit.extend(sel.selections)
        else:  # a fragment: its fields count as the parent's
            uit.extend(_kinderen(sel.selections, naam))
    return uit


def _verzamel(
    selecties: list[Any],
    pad: tuple[str, ...],
    tabel: _Tabel,
    dalen: frozenset[tuple[str, ...]],
    uit: dict[Vooruit, frozenset[Doelgroep]],
) -> None:
    for sel in selecties:
        if isinstance(sel, SelectedField):
            hier = (*pad, sel.name)
            gevonden = tabel.get(hier)
            if gevonden is not None:
                stap, groepen = gevonden
                uit[stap] = uit.get(stap, frozenset()) | groepen
                if hier in dalen:
                    _verzamel(sel.selections, hier, tabel, dalen, uit)
        else:  # a fragment: its fields count as the parent's
            _verzamel(sel.selections, pad, tabel, dalen, uit)


def gevraagd(info: Info[Any, Any]) -> Stappen:
    """For the connection this field returns (edges { node { ... } }): the steps the fields asked of
    each node declare, each with the audiences that may see a field that asked for it."""
    tabel, dalen = _tabel(info._raw_info.parent_type, info.field_name)
    uit: dict[Vooruit, frozenset[Doelgroep]] = {}
    _verzamel(_kinderen(_kinderen(info.selected_fields[0].selections, "edges"), "node"), (), tabel, dalen, uit)
    return uit
