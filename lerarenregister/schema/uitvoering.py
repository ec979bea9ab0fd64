"""How the executor waits for sibling fields: every sibling settles before an error propagates.

graphql-core 3.3 gathers sibling fields (and list items) with `gather_with_cancel`: when one fails in
a way that nulls its parent (a non-null field), it cancels the others. Which sibling errors then
reach the answer depended on timing (issue 15: the same request gave different errors under load),
and a resolver coroutine cancelled before its first step was reported as "never awaited". The
register's rule (README, "Rules chosen"): every field that was resolved or denied reports its error,
ordered by its place in the document (schema/fouten.py sorts them). So siblings are awaited to the
end; the first error in document order then propagates as before. The cost: a failing request
waits for its slowest sibling, which statement timeouts bound.
"""

from __future__ import annotations

from asyncio import ensure_future, gather
from collections.abc import Awaitable
from typing import Any

from graphql.execution import executor

# graphql-core does not export its sibling scheduler: it is read and replaced through the module's namespace.
_GRAPHQL_CORE_GATHER = vars(executor)["gather_with_cancel"]


async def alles_afwachten(*awaitables: Awaitable[Any]) -> list[Any]:
    """As gather_with_cancel, but nothing is cancelled: all settle, then the first error is raised."""
    uitkomsten = await gather(*(ensure_future(a) for a in awaitables), return_exceptions=True)
    for uitkomst in uitkomsten:
        if isinstance(uitkomst, BaseException):
            raise uitkomst
    return uitkomsten


def installeer() -> None:
    """Make graphql-core's executor await every sibling (idempotent)."""
    vars(executor)["gather_with_cancel"] = alles_afwachten
