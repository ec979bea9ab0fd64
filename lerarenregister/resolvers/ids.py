"""The register's IDs as clients send them back: row numbers, checked before they reach SQL."""

from __future__ import annotations

from typing import Any

from .fouten import OngeldigeInvoer

ID_MAX = 2**31 - 1


def id_getal(waarde: Any, veld: str) -> int:
    """Our IDs are row numbers; anything else is bad input naming the field."""
    tekst = str(waarde)
    # Row numbers are 32-bit integers on both stores; a longer digit run is no id (and must not reach SQL).
    if not tekst.isascii() or not tekst.isdigit() or len(tekst) > 10 or not 0 < int(tekst) <= ID_MAX:
        raise OngeldigeInvoer("not an id of the register", veld)
    return int(tekst)
