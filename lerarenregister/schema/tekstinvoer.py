"""The free-text inputs of a document (API.md, "Production", Limits; README, "Limits", Free text): which
kind of text each argument and input field takes, and the check of their values against `regels.tekst`.

The limits' walk (schema/limieten.py) notes where a document's text inputs are, literals with their
value and variables with their input type; `tekstfouten` checks them per request, so that every text
argument and input field obeys the free-text rules in one place.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from graphql import GraphQLInputObjectType, GraphQLInputType, GraphQLList, GraphQLNonNull, GraphQLScalarType

from ..regels.tekst import Tekstsoort, tekstfout

# Text inputs by (parent, argument or input field); any other String or ID is a short text.
_TEKSTSOORT = {
    ("Query.zoekLeraren", "zoekterm"): Tekstsoort.ZOEKTERM,
    ("Query.zoekActiviteiten", "zoekterm"): Tekstsoort.ZOEKTERM_CATALOGUS,
    ("Mutation.meldFout", "toelichting"): Tekstsoort.LANG,
    ("Mutation.dienBezwaarIn", "motivering"): Tekstsoort.LANG,
    ("CatalogusActiviteitInvoer", "omschrijving"): Tekstsoort.LANG,
}


@dataclass(frozen=True)
class Tekstinvoer:
    """A text input of the document: a literal, or a variable (possibly deep inside an input type)."""

    veld: str  # the path into the input, as errors name it (`invoer.titel`, `leveringen[0].achternaam`)
    soort: Tekstsoort
    type_: GraphQLInputType | None  # for a variable: the type to walk its value with
    variabele: str | None = None
    waarde: str | None = None  # for a literal


def is_tekst(type_: Any) -> bool:
    return isinstance(type_, GraphQLScalarType) and type_.name in ("String", "ID")


def soort(eigenaar: str, naam: str) -> Tekstsoort:
    """The kind of text of argument or input field `naam` of `eigenaar` ('Query.zoekLeraren', an input type)."""
    return _TEKSTSOORT.get((eigenaar, naam), Tekstsoort.KORT)


def tekstfouten(t: Tekstinvoer, variabelen: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(field, reason) for each text under `t` that breaks the rules, with this request's variables."""
    if t.variabele is None:
        if t.waarde is not None and (reden := tekstfout(t.waarde, t.soort)):
            yield t.veld, reden
        return
    if t.variabele in variabelen:
        yield from _in_waarde(variabelen[t.variabele], t.type_, t.veld, t.soort)


class Tekstcontrole:
    """The text checks of one operation, prepared once from its `Tekstinvoer`s: a literal's verdict
    at analysis (its value never changes), a variable of a text type in one loop, anything deeper
    (lists, input objects) walked with its type. The same verdicts as `tekstfouten` over each input
    (tests/test_limieten.py holds the two together), for a fraction of the work per request."""

    def __init__(self, teksten: list[Tekstinvoer]):
        variabel = [t for t in teksten if t.variabele is not None]
        self.vast = [f for t in teksten if t.variabele is None for f in tekstfouten(t, {})]
        self.eenvoudig = [(t.variabele or "", t.soort, t.veld) for t in variabel if is_tekst(_zonder_non_null(t.type_))]
        self.diep = [t for t in variabel if not is_tekst(_zonder_non_null(t.type_))]

    def fouten(self, variabelen: dict[str, Any]) -> list[tuple[str, str]]:
        """(field, reason) for each text that breaks the rules, with this request's variables."""
        uit = list(self.vast)
        for naam, soort_, veld in self.eenvoudig:
            waarde = variabelen.get(naam)
            if isinstance(waarde, str) and (reden := tekstfout(waarde, soort_)):
                uit.append((veld, reden))
        for t in self.diep:
            uit.extend(tekstfouten(t, variabelen))
        return uit


def _zonder_non_null(type_: Any) -> Any:
    return type_.of_type if isinstance(type_, GraphQLNonNull) else type_


def _in_waarde(waarde: Any, type_: Any, pad: str, soort_: Tekstsoort) -> Iterator[tuple[str, str]]:
    """Text rules over a variable's JSON value, walked with its input type (wrong shapes are left to coercion)."""
    if isinstance(type_, GraphQLNonNull):
        type_ = type_.of_type
    if isinstance(type_, GraphQLList):
        items = waarde if isinstance(waarde, list) else [waarde]
        for i, item in enumerate(items):
            yield from _in_waarde(item, type_.of_type, f"{pad}[{i}]" if isinstance(waarde, list) else pad, soort_)
    elif isinstance(type_, GraphQLInputObjectType) and isinstance(waarde, dict):
        for naam, veld_def in type_.fields.items():
            if naam in waarde:
                yield from _in_waarde(waarde[naam], veld_def.type, f"{pad}.{naam}", soort(type_.name, naam))
    elif is_tekst(type_) and isinstance(waarde, str):
        reden = tekstfout(waarde, soort_)
        if reden:
            yield pad, reden
