"""The register's GraphQL schema: one schema for every audience, visibility declared per field."""
from __future__ import annotations

from functools import lru_cache
from typing import Any, Iterator

import strawberry
from graphql.validation import ValuesOfCorrectTypeRule
from strawberry.extensions import SchemaExtension
from strawberry.printer import print_schema

from .mutation import Mutation, klaarzetten_zonder_omzetting
from .fouten import LiteralenMetVeld
from .ontleden import DocumentCache
from .uitvoering import installeer as _siblings_settle
from .query import Query
from ..auth.policy import Doelgroep
from .zichtbaarheid import Zichtbaarheidscontrole, ongedeclareerd, verzamel_regels


class RegisterSchema(strawberry.Schema):
    def process_errors(self, errors: Any, execution_context: Any = None) -> None:
        """Errors are logged once, by the HTTP layer, with a correlation id for unexpected ones."""


class VeldInLiteralen(SchemaExtension):
    """Validate literals with LiteralenMetVeld instead of graphql-core's plain rule, so that a bad
    literal names its input field as a bad variable does."""

    def on_operation(self) -> Iterator[None]:
        regels = self.execution_context.validation_rules
        self.execution_context.validation_rules = tuple(
            LiteralenMetVeld if r is ValuesOfCorrectTypeRule else r for r in regels)
        yield


@lru_cache(maxsize=2)
def bouw_schema(sporen: Any = None) -> RegisterSchema:
    """The schema; `sporen` is the traces' extension (sporen.py) when traces are on: first, so that
    its operation span holds the others' work."""
    _siblings_settle()
    # A repeated document is parsed and validated once (clients send the same few documents).
    extensies: list[Any] = [VeldInLiteralen, DocumentCache, Zichtbaarheidscontrole]
    schema = RegisterSchema(
        query=Query,
        mutation=Mutation,
        extensions=[sporen, *extensies] if sporen is not None else extensies,
    )
    Zichtbaarheidscontrole.regels = verzamel_regels(schema._schema)
    schema._schema.mutation_type.fields["zetGegevensKlaar"].resolve = klaarzetten_zonder_omzetting
    return schema


def sdl() -> str:
    """The SDL as published at /schema.graphql, directives included."""
    return print_schema(bouw_schema()) + "\n"


def toestemmingsvelden() -> frozenset[tuple[str, str]]:
    """(type, field) of every field whose audiences include MET_TOESTEMMING."""
    bouw_schema()
    return frozenset(k for k, v in Zichtbaarheidscontrole.regels.items() if Doelgroep.MET_TOESTEMMING in v)


def zonder_declaratie() -> list[str]:
    schema = bouw_schema()
    return ongedeclareerd(schema._schema, Zichtbaarheidscontrole.regels)
