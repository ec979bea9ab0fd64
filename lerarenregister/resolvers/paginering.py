"""Forward pagination (Relay's first/after) with opaque offset cursors and exact totals."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Generic, TypeVar

from .fouten import OngeldigeInvoer

T = TypeVar("T")
PUBLIEK_MAX = 50
MAX = 100
# No list of the register holds a million entries: a cursor past that is beyond any page, and refusing
# it keeps absurd offsets away from the database (a 64-bit parameter overflows; a huge OFFSET scans).
MAX_POSITIE = 1_000_000


@dataclass
class Pagina(Generic[T]):
    items: list[T]
    offset: int
    totaal: int

    @property
    def heeft_volgende(self) -> bool:
        return self.offset + len(self.items) < self.totaal


def totaal_uit_venster(eerste: int | None, offset: int, limit: int) -> int | None:
    """A page's total read with it as `count(*) OVER ()`: the first row's (`eerste`; None when the page
    is empty), 0 for an empty first page, and None when it must be counted apart: past the end, or no
    page asked for (first: 0), where no row carries it."""
    if eerste is not None:
        return eerste
    return None if offset or limit == 0 else 0


_CURSORS: dict[int, str] = {}  # the first pages' cursors, made once: every edge of every page asks
_CURSORS_BEWAARD = 10_000


def cursor(positie: int) -> str:
    bewaard = _CURSORS.get(positie)
    if bewaard is not None:
        return bewaard
    uit = base64.urlsafe_b64encode(f"p:{positie}".encode()).decode()
    if 0 <= positie < _CURSORS_BEWAARD:
        _CURSORS[positie] = uit
    return uit


def venster(first: int | None, after: str | None, maximum: int = MAX) -> tuple[int, int]:
    """(limit, offset) for first/after; a page larger than `maximum` is BAD_USER_INPUT."""
    limit = 20 if first is None else first
    if limit < 0 or limit > maximum:
        raise OngeldigeInvoer(f"first must be between 0 and {maximum}", "first")
    offset = 0
    if after:
        try:
            soort, _, getal = base64.urlsafe_b64decode(after.encode()).decode().partition(":")
            if soort != "p":
                raise ValueError(after)
            if not getal.isdigit() or len(getal) > len(str(MAX_POSITIE)):
                raise ValueError(after)
            offset = int(getal) + 1
        except Exception:
            raise OngeldigeInvoer("after is not a cursor of this list", "after") from None
        if offset < 1 or offset > MAX_POSITIE:
            raise OngeldigeInvoer("after is beyond any page of this list", "after")
    return limit, offset
