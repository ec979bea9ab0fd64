"""Parsing and validation of documents, cached for the texts clients repeat.

Clients send the same few documents, so each is parsed and validated once. A public endpoint also
receives texts it never saw and will not see again, up to the body limit in size: only short texts
are cached, so unique large documents cannot fill memory (a cache of N entries holds at most N
short ones). The limits (schema/limieten.py) and the executor share the one parse.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator
from typing import Any

from graphql import DocumentNode, GraphQLError, GraphQLSchema, parse
from strawberry.extensions import SchemaExtension
from strawberry.schema.schema import validate_document  # graphql-core's validate plus strawberry's own rules

KLEIN = 8192  # characters: every first-party document is far shorter
CACHE_GROOTTE = 512
# Parsing is most of the cost of a refused document (200 aliases of a search page: 6,600 tokens,
# 40 ms); graphql-core stops at this many, in a few milliseconds. Every first-party document has
# a few hundred (README, "Limits"); DUO sends its deliveries as variables, which are no tokens.
MAX_TOKENS = 2000


@functools.lru_cache(maxsize=CACHE_GROOTTE)
def _ontleed_klein(query: str) -> DocumentNode:
    return parse(query, max_tokens=MAX_TOKENS)


def ontleed(query: str) -> DocumentNode:
    """The parsed document (GraphQLError when it does not parse or has more than MAX_TOKENS tokens;
    RecursionError when nested absurdly)."""
    return _ontleed_klein(query) if len(query) <= KLEIN else parse(query, max_tokens=MAX_TOKENS)


@functools.lru_cache(maxsize=CACHE_GROOTTE)
def _valideer_klein(schema: GraphQLSchema, query: str, regels: tuple[Any, ...]) -> list[GraphQLError]:
    return validate_document(schema, _ontleed_klein(query), regels)


class DocumentCache(SchemaExtension):
    """strawberry's parse and validation steps through the caches above (in place of its
    ParserCache and ValidationCache, which would keep any document however large)."""

    def on_parse(self) -> Iterator[None]:
        ec = self.execution_context
        assert ec.query is not None
        ec.graphql_document = ontleed(ec.query)
        yield

    def on_validate(self) -> Iterator[None]:
        ec = self.execution_context
        assert ec.query is not None and ec.graphql_document is not None
        schema = ec.schema._schema
        regels = tuple(ec.validation_rules)
        ec.pre_execution_errors = (
            _valideer_klein(schema, ec.query, regels)
            if len(ec.query) <= KLEIN
            else validate_document(schema, ec.graphql_document, regels)
        )
        yield
