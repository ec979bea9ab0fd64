"""@zichtbaarVoor: who may see a field, declared once on the field and enforced in one place.

`zichtbaar(...)` declares a field's audiences (shown in the SDL and echoed in its description);
`Zichtbaarheidscontrole` is the one extension that checks every resolved field against them; the
audiences of the asker come from `Inzage`, worked out once per request per teacher.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Mapping, TypeVar, cast

import strawberry
from graphql import GraphQLObjectType
from graphql import GraphQLResolveInfo as _Info
from strawberry.extensions import SchemaExtension
from strawberry.schema_directive import Location

from ..auth import policy
from ..auth.policy import Doelgroep, Onderwerp
from ..resolvers.inzagelog import te_loggen
from ..resolvers.fouten import NietAangemeld, Onbevoegd
from ..auth.viewer import Anoniem

strawberry.enum(Doelgroep, name="Doelgroep", description="Who may see a field (API.md, Visibility).")

# graphql-core's info is generic in its context: ours is the request (resolvers/verzoek.py).
GraphQLResolveInfo = _Info[Any]

ROOTS = frozenset({"Query", "Mutation"})
# Relay's plumbing takes the audiences of the field that leads to it.
STRUCTUREEL: set[str] = set()


@strawberry.schema_directive(
    locations=[Location.FIELD_DEFINITION],
    name="zichtbaarVoor",
    description="The audiences that may see this field; a field without it is visible to nobody.",
)
class ZichtbaarVoor:
    doelgroepen: list[Doelgroep]


F = TypeVar("F", bound=Callable[..., Any])
T = TypeVar("T", bound=type)

if TYPE_CHECKING:
    class Veld(Any):  # type: ignore[misc]  # to a type checker: a field's default of any type, as strawberry.field is
        """What `zichtbaar(...)` gives: a class attribute's value, or a decorator that keeps the
        resolver's signature."""

        def __call__(self, resolver: F) -> F: ...


def zichtbaar(*doelgroepen: Doelgroep, description: str | None = None, **kwargs: Any) -> Veld:
    """A strawberry field visible to exactly these audiences."""
    tekst = "Zichtbaar voor: " + ", ".join(d.value for d in doelgroepen) + "."
    return cast("Veld", strawberry.field(
        description=f"{description} {tekst}" if description else tekst,
        directives=[ZichtbaarVoor(doelgroepen=list(doelgroepen))],
        **kwargs,
    ))


def structureel(cls: T) -> T:
    """Mark a Connection/Edge/PageInfo type: its fields take the audiences of the field leading to it."""
    STRUCTUREEL.add(getattr(cls, "__strawberry_definition__").name)
    return cls


Regels = Mapping[tuple[str, str], frozenset[Doelgroep]]


def verzamel_regels(graphql_schema: Any) -> Regels:
    """(type, field) -> declared audiences, read from the built schema's field definitions."""
    regels: dict[tuple[str, str], frozenset[Doelgroep]] = {}
    for type_ in graphql_schema.type_map.values():
        if not isinstance(type_, GraphQLObjectType) or type_.name.startswith("__"):
            continue
        for naam, veld in type_.fields.items():
            definitie = (veld.extensions or {}).get("strawberry-definition")
            for richtlijn in getattr(definitie, "directives", None) or ():
                if isinstance(richtlijn, ZichtbaarVoor):
                    regels[(type_.name, naam)] = frozenset(richtlijn.doelgroepen)
    return regels


def ongedeclareerd(graphql_schema: Any, regels: Regels) -> list[str]:
    """Fields of domain types that declare no audiences (and so are visible to nobody)."""
    uit: list[str] = []
    for type_ in graphql_schema.type_map.values():
        if not isinstance(type_, GraphQLObjectType) or type_.name.startswith("__") or type_.name in STRUCTUREEL:
            continue
        uit.extend(f"{type_.name}.{n}" for n in type_.fields if (type_.name, n) not in regels)
    return uit


def _weiger(info: GraphQLResolveInfo) -> Exception:
    if info.parent_type.name in ROOTS and isinstance(info.context.viewer, Anoniem):
        return NietAangemeld(f"log in to use {info.field_name}")
    return Onbevoegd(f"not visible to you: {info.parent_type.name}.{info.field_name}")


def _noteer_inzage(info: GraphQLResolveInfo, onderwerp: Onderwerp, groepen: frozenset[Doelgroep],
                   regel: frozenset[Doelgroep]) -> None:
    """A teacher's field let through for someone else (WERKGEVER, DUO, BEROEPSGROEP) goes in the
    request's access log (resolvers/inzagelog.py)."""
    if onderwerp.leraar_id is not None:
        doelgroep = te_loggen(groepen, regel)
        if doelgroep is not None:
            info.context.inzagen.noteer(onderwerp.leraar_id, doelgroep, info.parent_type.name, info.field_name)


class Zichtbaarheidscontrole(SchemaExtension):
    """The one enforcement point: every field's declaration against the asker's audiences."""

    def __init__(self, regels: Regels):
        self.regels = regels  # handed in by the schema that owns them (schema/__init__.py)

    def resolve(self, _next: Callable[..., Any], root: Any, info: GraphQLResolveInfo, *args: str, **kwargs: Any) -> Any:
        ouder = info.parent_type.name
        regel = self.regels.get((ouder, info.field_name))
        if regel is None:
            if ouder in STRUCTUREEL or info.field_name.startswith("__") or ouder.startswith("__"):
                return _next(root, info, *args, **kwargs)
            raise _weiger(info)  # declared by nobody: visible to nobody
        inzage = info.context.inzage
        if ouder in ROOTS:
            groepen = inzage.rol
        else:
            groepen = inzage.bekend(root.onderwerp)
            if groepen is None:
                return self._na_laden(_next, root, info, regel, *args, **kwargs)
        if not policy.mag_zien(groepen, regel):
            raise _weiger(info)
        if ouder not in ROOTS:
            _noteer_inzage(info, root.onderwerp, groepen, regel)
        return _next(root, info, *args, **kwargs)

    async def _na_laden(
        self, _next: Callable[..., Any], root: Any, info: GraphQLResolveInfo, regel: frozenset[Doelgroep],
        *args: str, **kwargs: Any,
    ) -> Any:
        # Only objects that did not come through a page loader get here; one query for this teacher.
        groepen = await info.context.inzage.van(root.onderwerp)
        if not policy.mag_zien(groepen, regel):
            raise _weiger(info)
        _noteer_inzage(info, root.onderwerp, groepen, regel)
        uitkomst = _next(root, info, *args, **kwargs)
        if hasattr(uitkomst, "__await__"):
            uitkomst = await uitkomst
        return uitkomst
