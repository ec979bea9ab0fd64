"""The register's object types. Every field declares its audiences with `zichtbaar(...)`.

Each object carries `onderwerp`: whose data it is, so the one enforcement point can decide.
Types whose fields take their parent's audiences repeat that parent field's declaration.
One module per part of the register: `leraar` (the teacher, the boards, a page of teachers),
`bevoegdheid` (a bevoegdheid and its herregistratie), `portfolio`; `basis` what they share.
"""

from .basis import Ctx, van_leraar
from .bevoegdheid import Aantekening, Bevoegdheid, Bezwaar, Herregistratie
from .leraar import (
    Benoeming,
    Leraar,
    LeraarConnection,
    LeraarEdge,
    Naam,
    Registratie,
    Schoolbestuur,
    Voorportaalinschrijving,
    Waarschuwing,
)
from .portfolio import PortfolioActiviteit, PortfolioConnection, PortfolioEdge

__all__ = [
    "Aantekening",
    "Benoeming",
    "Bevoegdheid",
    "Bezwaar",
    "Ctx",
    "Herregistratie",
    "Leraar",
    "LeraarConnection",
    "LeraarEdge",
    "Naam",
    "PortfolioActiviteit",
    "PortfolioConnection",
    "PortfolioEdge",
    "Registratie",
    "Schoolbestuur",
    "Voorportaalinschrijving",
    "Waarschuwing",
    "van_leraar",
]
