"""The register's GraphQL schema: one schema for every audience, visibility declared per field."""
from __future__ import annotations

from functools import lru_cache
from typing import Any

import strawberry
from strawberry.extensions import ParserCache, ValidationCache
from strawberry.printer import print_schema

from .mutation import Mutation, klaarzetten_zonder_omzetting
from .query import Query
from .zichtbaarheid import Zichtbaarheidscontrole, ongedeclareerd, verzamel_regels


class RegisterSchema(strawberry.Schema):
    def process_errors(self, errors: Any, execution_context: Any = None) -> None:
        """Errors are logged once, by the HTTP layer, with a correlation id for unexpected ones."""


@lru_cache(maxsize=1)
def bouw_schema() -> RegisterSchema:
    # A repeated document is parsed and validated once (clients send the same few documents).
    schema = RegisterSchema(
        query=Query,
        mutation=Mutation,
        extensions=[lambda: ParserCache(maxsize=512), lambda: ValidationCache(maxsize=512), Zichtbaarheidscontrole],
    )
    Zichtbaarheidscontrole.regels = verzamel_regels(schema._schema)
    schema._schema.mutation_type.fields["zetGegevensKlaar"].resolve = klaarzetten_zonder_omzetting
    return schema


def sdl() -> str:
    """The SDL as published at /schema.graphql, directives included."""
    return print_schema(bouw_schema()) + "\n"


def zonder_declaratie() -> list[str]:
    schema = bouw_schema()
    return ongedeclareerd(schema._schema, Zichtbaarheidscontrole.regels)
