"""Input types, named as API.md names them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from functools import cache
from types import SimpleNamespace
from typing import Any, TypeVar

import strawberry
from strawberry.types.arguments import InputContext
from strawberry.types.base import StrawberryList, StrawberryOptional, get_object_definition, has_object_definition

from .enums import Activiteitsoort, Bekwaamheidsgebied, Bevoegdheidsoort, Registratiestatus

T = TypeVar("T", bound=type)


def zonder_omzetting(cls: T) -> T:
    """An input type whose values reach the resolver as graphql-core coerced them, under their Python
    names (a SimpleNamespace), instead of as instances of the class.

    graphql-core has already checked every value against the input type; strawberry's conversion of
    a thousand deliveries into input classes on top of that cost more than the delivery itself. The
    names come from strawberry's own field definitions, so a new input field arrives by itself.
    """
    get_object_definition(cls, strict=True).from_input = _als_namespace  # strawberry's hook for it
    return cls


@cache
def _velden(cls: type, naamgever: Any) -> tuple[tuple[str, str, Any], ...]:
    """(GraphQL name, Python name, type to convert or None for a leaf) of each field of an input type."""
    uit = []
    for veld in get_object_definition(cls, strict=True).fields:
        binnen = veld.type
        while isinstance(binnen, (StrawberryList, StrawberryOptional)):
            binnen = binnen.of_type
        uit.append((naamgever.from_field(veld), veld.python_name, veld.type if has_object_definition(binnen) else None))
    return tuple(uit)


def _als_namespace(cls: type, waarde: Mapping[str, Any], context: InputContext) -> SimpleNamespace:
    return SimpleNamespace(
        **{
            python: None
            if (v := waarde.get(graphql)) is None
            else (v if type_ is None else context.convert(v, type_, graphql))
            for graphql, python, type_ in _velden(cls, context.config.name_converter)
        }
    )


@zonder_omzetting
@strawberry.input
class BevoegdheidInvoer:
    vak: str
    soort: Bevoegdheidsoort
    behaald_op: dt.date


@zonder_omzetting
@strawberry.input(description="No einddatum: open-ended.")
class BenoemingInvoer:
    bevoegd_gezag_nummer: str
    schoolbestuur_naam: str
    vak: str
    begindatum: dt.date
    einddatum: dt.date | None = None


@zonder_omzetting
@strawberry.input(description="The full current state DUO holds for one BSN.")
class Levering:
    bsn: str
    voornamen: str
    achternaam: str
    geboortedatum: dt.date
    bevoegdheden: list[BevoegdheidInvoer]
    benoemingen: list[BenoemingInvoer]
    tussenvoegsel: str | None = None


@strawberry.input
class ActiviteitInvoer:
    titel: str
    datum: dt.date
    uren: float
    gebied: Bekwaamheidsgebied
    bevoegdheden: list[strawberry.ID]
    catalogus_activiteit: strawberry.ID | None = strawberry.field(
        default=None, description="With a catalogue activity, uren and gebied are taken from it."
    )


@strawberry.input
class MedewerkerFilter:
    registratiestatus: Registratiestatus | None = None
    met_waarschuwing: bool | None = None


@strawberry.input
class CatalogusActiviteitInvoer:
    titel: str
    soort: Activiteitsoort
    contacturen: float
    zelfstudieuren: float
    gebied: Bekwaamheidsgebied
    toetsing: bool
    omschrijving: str | None = None


@strawberry.input(description="An omitted field stays unchanged; tussenvoegsel: null clears it.")
class CorrectieInvoer:
    voornamen: str | None = strawberry.UNSET
    tussenvoegsel: str | None = strawberry.UNSET
    achternaam: str | None = strawberry.UNSET


@strawberry.input
class CriteriaInvoer:
    geldig_vanaf: dt.date
    totaal_uren: float
    primair_proces_uren: float
    vakinhoudelijk_vo_uren: float
