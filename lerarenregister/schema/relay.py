"""Relay's PageInfo, shared by every connection of the schema."""

from __future__ import annotations

from typing import Any

import strawberry

from ..resolvers import paginering
from ..resolvers.paginering import Pagina
from .zichtbaarheid import structureel


@structureel
@strawberry.type
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: str | None
    end_cursor: str | None


def page_info(p: Pagina[Any]) -> PageInfo:
    return PageInfo(
        has_next_page=p.heeft_volgende,
        has_previous_page=p.offset > 0,
        start_cursor=paginering.cursor(p.offset) if p.items else None,
        end_cursor=paginering.cursor(p.offset + len(p.items) - 1) if p.items else None,
    )
