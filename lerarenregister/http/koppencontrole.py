"""uvicorn's check of every response header, its own verdicts remembered.

uvicorn's httptools protocol refuses a response header whose name or value holds a byte that may
not be there (header injection), with one regular-expression search each: `HEADER_RE.search(name)`
and `HEADER_VALUE_RE.search(value)`. A search costs about 0.3 µs however short the text (the
matcher's set-up, not the bytes), so two per header and eight to ten headers an answer cost a
public lookup some 5 µs, and the rate limit's three RateLimit-* headers alone about 2 µs of what
issue 9's checks cost the lookup (bench/RESULTS.md, "Issue 9"). Remembered, a check is one
dictionary lookup in C (about 35 ns, and no Python frame).

The texts repeat: the same few names on every answer, and mostly the same values (a content type,
a remaining budget, seconds to a reset). `installeer()` puts in the patterns' place a `Bewaard`
per pattern, whose `search` answers from what the pattern itself said about that very text
before, and asks the pattern when it has not seen it: the verdict is always the pattern's. It keeps
at most `MAX_BEWAARD` texts per pattern (a client's X-Request-ID is echoed, so values are not a
closed set); when full it starts again. When uvicorn no longer has these patterns, nothing is
replaced and uvicorn checks as it always did (tests/test_koppencontrole.py).
"""

from __future__ import annotations

import logging
import re
from typing import Any

log = logging.getLogger("lerarenregister.koppencontrole")

MAX_BEWAARD = 4096
_NAMEN = ("HEADER_RE", "HEADER_VALUE_RE")


class Bewaard(dict[bytes, bool | None]):
    """`re.Pattern.search` with the pattern's answers per text remembered (true when it found
    something, None when not: uvicorn asks no more than that).

    `search` is the dict's own item lookup, bound once: a text seen before is answered in C, with no
    Python frame, which matters more in a server than a micro-benchmark shows (py-spy put 2% of a
    public lookup's samples in the Python method this replaced: some twenty checks an answer, each
    a cold frame). A text not seen yet goes to `__missing__`, which asks the pattern. ASGI headers
    are bytes; anything unhashable (a bytearray) raises TypeError instead of passing unchecked."""

    __slots__ = ("patroon", "search")

    def __init__(self, patroon: re.Pattern[bytes]):
        super().__init__()
        self.patroon = patroon
        self.search = self.__getitem__

    def __missing__(self, waarde: bytes) -> bool | None:
        gevonden = True if self.patroon.search(waarde) else None
        if len(self) >= MAX_BEWAARD:
            self.clear()
        self[waarde] = gevonden
        return gevonden


def installeer() -> bool:
    """Put a `Bewaard` in place of uvicorn's two header patterns (once per process); False when
    uvicorn has no such patterns."""
    try:
        from uvicorn.protocols.http import httptools_impl
    except ImportError:  # uvicorn without httptools: h11 checks headers its own way
        return False
    huidig: list[Any] = [getattr(httptools_impl, naam, None) for naam in _NAMEN]
    if all(isinstance(p, Bewaard) for p in huidig):
        return True
    if not all(isinstance(p, re.Pattern) for p in huidig):
        log.warning("uvicorn has no header patterns where koppencontrole looks; uvicorn checks headers itself")
        return False
    for naam, patroon in zip(_NAMEN, huidig, strict=True):
        setattr(httptools_impl, naam, Bewaard(patroon))
    return True
