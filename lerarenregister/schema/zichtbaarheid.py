"""@zichtbaarVoor: who may see a field, declared once on the field and enforced in one place.

`zichtbaar(...)` declares a field's audiences (shown in the SDL and echoed in its description);
`Zichtbaarheidscontrole` is the one extension that checks every resolved field against them; the
audiences of the asker come from `Inzage`, worked out once per request per teacher.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar, cast

import strawberry
from graphql import GraphQLObjectType
from graphql import GraphQLResolveInfo as _Info
from strawberry.extensions import SchemaExtension
from strawberry.schema_directive import Location
from strawberry.types.base import get_object_definition

from ..auth import policy
from ..auth.policy import Doelgroep, Onderwerp
from ..auth.viewer import Anoniem
from ..resolvers.fouten import NietAangemeld, Onbevoegd
from ..resolvers.inzagelog import te_loggen

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

    class Veld(Any):
        """What `zichtbaar(...)` gives: a class attribute's value, or a decorator that keeps the
        resolver's signature. To a type checker only: a subclass of Any (Python 3.11 allows it; the
        module's mypy override in pyproject.toml says why) fits any field's annotation, as
        strawberry.field's value does, and its `__call__` keeps a resolver typed."""

        def __call__(self, resolver: F) -> F: ...


def zichtbaar(*doelgroepen: Doelgroep, description: str | None = None, **kwargs: Any) -> Veld:
    """A strawberry field visible to exactly these audiences."""
    tekst = "Zichtbaar voor: " + ", ".join(d.value for d in doelgroepen) + "."
    return cast(
        "Veld",
        strawberry.field(
            description=f"{description} {tekst}" if description else tekst,
            directives=[ZichtbaarVoor(doelgroepen=list(doelgroepen))],
            **kwargs,
        ),
    )


def structureel(cls: T) -> T:
    """Mark a Connection/Edge/PageInfo type: its fields take the audiences of the field leading to it."""
    STRUCTUREEL.add(get_object_definition(cls, strict=True).name)
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


def _weiger(ouder: str, veld: str, verzoek: Any) -> Exception:
    if ouder in ROOTS and isinstance(verzoek.viewer, Anoniem):
        return NietAangemeld(f"log in to use {veld}")
    return Onbevoegd(f"not visible to you: {ouder}.{veld}")


def _noteer_inzage(
    verzoek: Any,
    ouder: str,
    veld: str,
    onderwerp: Onderwerp,
    groepen: frozenset[Doelgroep],
    regel: frozenset[Doelgroep],
) -> None:
    """A teacher's field let through for someone else (WERKGEVER, DUO, BEROEPSGROEP) goes in the
    request's access log (resolvers/inzagelog.py)."""
    if onderwerp.leraar_id is not None:
        doelgroep = te_loggen(groepen, regel)
        if doelgroep is not None:
            verzoek.inzagen.noteer(onderwerp.leraar_id, doelgroep, ouder, veld)


def _laat_door(
    ouder: str, veld: str, root: Any, verzoek: Any, groepen: frozenset[Doelgroep], regel: frozenset[Doelgroep]
) -> None:
    if not policy.mag_zien(groepen, regel):
        raise _weiger(ouder, veld, verzoek)
    if ouder not in ROOTS:
        _noteer_inzage(verzoek, ouder, veld, root.onderwerp, groepen, regel)


async def _na_laden(ouder: str, veld: str, root: Any, verzoek: Any, regel: frozenset[Doelgroep]) -> None:
    # Only objects that did not come through a page loader get here; one query for this teacher.
    _laat_door(ouder, veld, root, verzoek, await verzoek.inzage.van(root.onderwerp), regel)


def controleer(regels: Regels, ouder: str, veld: str, root: Any, verzoek: Any) -> Awaitable[None] | None:
    """The one check of one field of one object (`ouder`.`veld` on `root`, for the request's `Verzoek`):
    its declaration against the asker's audiences. Raises the denial; notes a logged read; returns
    None when the field may be resolved now, or an awaitable that does the same once the teacher's
    audiences are read. The executor's extension below and the plans (schema/plannen.py) both call it."""
    regel = regels.get((ouder, veld))
    if regel is None:
        if ouder in STRUCTUREEL or veld.startswith("__") or ouder.startswith("__"):
            return None
        raise _weiger(ouder, veld, verzoek)  # declared by nobody: visible to nobody
    if ouder in ROOTS:
        groepen = verzoek.inzage.rol
    else:
        groepen = verzoek.inzage.bekend(root.onderwerp)
        if groepen is None:
            return _na_laden(ouder, veld, root, verzoek, regel)
    _laat_door(ouder, veld, root, verzoek, groepen, regel)
    return None


class Zichtbaarheidscontrole(SchemaExtension):
    """The one enforcement point: every field's declaration against the asker's audiences."""

    def __init__(self, regels: Regels):
        self.regels = regels  # handed in by the schema that owns them (schema/__init__.py)

    def resolve(self, _next: Callable[..., Any], root: Any, info: GraphQLResolveInfo, *args: str, **kwargs: Any) -> Any:
        wacht = controleer(self.regels, info.parent_type.name, info.field_name, root, info.context)
        if wacht is None:
            return _next(root, info, *args, **kwargs)
        return self._daarna(wacht, _next, root, info, *args, **kwargs)

    async def _daarna(
        self,
        wacht: Awaitable[None],
        _next: Callable[..., Any],
        root: Any,
        info: GraphQLResolveInfo,
        *args: str,
        **kwargs: Any,
    ) -> Any:
        await wacht
        uitkomst = _next(root, info, *args, **kwargs)
        if hasattr(uitkomst, "__await__"):
            uitkomst = await uitkomst
        return uitkomst
