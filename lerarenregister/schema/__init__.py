"""The register's GraphQL schema: one schema for every audience, visibility declared per field."""

from __future__ import annotations

from collections.abc import Iterator
from functools import lru_cache
from types import MappingProxyType
from typing import Any

import strawberry
from graphql.validation import ValuesOfCorrectTypeRule
from strawberry.extensions import SchemaExtension
from strawberry.printer import print_schema

from ..auth.policy import Doelgroep
from .fouten import LiteralenMetVeld
from .mutation import Mutation
from .ontleden import DocumentCache
from .query import Query
from .uitvoering import installeer as _siblings_settle
from .zichtbaarheid import Regels, Zichtbaarheidscontrole, ongedeclareerd, verzamel_regels


class RegisterSchema(strawberry.Schema):
    """The schema and the visibility rules read from its declarations, built together: the rules
    are handed to the one enforcement point, the compiled path and the matrix from here."""

    def __init__(self, **kwargs: Any) -> None:
        # The extension is made per request from this schema's rules, which exist once the schema does.
        extensions = [*kwargs.pop("extensions", ()), self._controle]
        super().__init__(**kwargs, extensions=extensions)
        self.regels: Regels = MappingProxyType(verzamel_regels(self._schema))

    def _controle(self) -> Zichtbaarheidscontrole:
        return Zichtbaarheidscontrole(self.regels)

    def process_errors(self, errors: Any, execution_context: Any = None) -> None:
        """Errors are logged once, by the HTTP layer, with a correlation id for unexpected ones."""


class VeldInLiteralen(SchemaExtension):
    """Validate literals with LiteralenMetVeld instead of graphql-core's plain rule, so that a bad
    literal names its input field as a bad variable does."""

    def on_operation(self) -> Iterator[None]:
        regels = self.execution_context.validation_rules
        self.execution_context.validation_rules = tuple(
            LiteralenMetVeld if r is ValuesOfCorrectTypeRule else r for r in regels
        )
        yield


@lru_cache(maxsize=2)
def bouw_schema(sporen: Any = None) -> RegisterSchema:
    """The schema; `sporen` is the traces' extension (sporen.py) when traces are on: first, so that
    its operation span holds the others' work."""
    _siblings_settle()
    # A repeated document is parsed and validated once (clients send the same few documents).
    extensies: list[Any] = [VeldInLiteralen, DocumentCache]  # the visibility check is added by RegisterSchema, last
    return RegisterSchema(
        query=Query, mutation=Mutation, extensions=[sporen, *extensies] if sporen is not None else extensies
    )


def zichtbaarheidsregels() -> Regels:
    """(type, field) -> the audiences declared on it, for every declared field."""
    return bouw_schema().regels


def sdl() -> str:
    """The SDL as published at /schema.graphql, directives included."""
    return print_schema(bouw_schema()) + "\n"


def toestemmingsvelden() -> frozenset[tuple[str, str]]:
    """(type, field) of every field whose audiences include MET_TOESTEMMING."""
    return frozenset(k for k, v in zichtbaarheidsregels().items() if Doelgroep.MET_TOESTEMMING in v)


def zonder_declaratie() -> list[str]:
    schema = bouw_schema()
    return ongedeclareerd(schema._schema, schema.regels)
