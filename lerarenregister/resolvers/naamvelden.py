"""The stored name columns of a teacher that derive from the effective name (DUO's, or the teacher's
correction): the delivery (resolvers/levering.py) and the corrections (resolvers/correcties.py) write
them alike.
"""

from __future__ import annotations

from typing import Any

from ..models import Leraar
from ..models.base import lengte
from ..regels.naam import normaliseer, sorteernaam, voorletters

# What the derived name columns hold: a name within its input limits can derive more (100 given names,
# 'ß' folds to 'ss', 'ﬃ' decomposes to 'ffi'), and PostgreSQL's VARCHAR(n) refuses the excess.
_VOORLETTERS_MAX = lengte(Leraar, "voorletters")
_SLEUTEL_MAX = lengte(Leraar, "zoeknaam")


def naam_velden(voornamen: str, tussenvoegsel: str | None, achternaam: str) -> dict[str, Any]:
    """The stored name columns that derive from the effective name. The search and sort keys are cut
    to their columns: a search term is far shorter, and names alike in 200 characters sort as equals."""
    vl = voorletters(voornamen, _VOORLETTERS_MAX)
    return {
        "voornamen": voornamen,
        "tussenvoegsel": tussenvoegsel,
        "achternaam": achternaam,
        "voorletters": vl,
        "zoeknaam": normaliseer(achternaam)[:_SLEUTEL_MAX],
        "sorteernaam": sorteernaam(achternaam, vl)[:_SLEUTEL_MAX],
    }


def naam_velden_uit(naam: dict[str, str | None]) -> dict[str, Any]:
    """As naam_velden, from the three names by field; voornamen and achternaam are required (validated)."""
    voornamen, achternaam = naam["voornamen"], naam["achternaam"]
    assert voornamen is not None and achternaam is not None, "required names are validated before"
    return naam_velden(voornamen, naam["tussenvoegsel"], achternaam)
