"""SQLAlchemy 2 models of the register. Imports nothing else of the package."""

from .base import Base
from .catalogus import Aanbieder, CatalogusActiviteit
from .herregistratie import Aantekening, Bezwaar, Herregistratiecriteria, Herregistratieperiode
from .inzagelog import Inzagelogregel
from .leraar import Benoeming, Bevoegdheid, Leraar, RegisternummerTeller, Voorportaalinschrijving
from .meldingen import DataVersie, Foutmelding, VrijwilligAccount
from .portfolio import PortfolioActiviteit, portfolio_bevoegdheid
from .schoolbestuur import Schoolbestuur

__all__ = [
    "Base",
    "Aanbieder",
    "CatalogusActiviteit",
    "Aantekening",
    "Bezwaar",
    "Herregistratiecriteria",
    "Herregistratieperiode",
    "Inzagelogregel",
    "Benoeming",
    "Bevoegdheid",
    "Leraar",
    "RegisternummerTeller",
    "Voorportaalinschrijving",
    "DataVersie",
    "Foutmelding",
    "VrijwilligAccount",
    "PortfolioActiviteit",
    "portfolio_bevoegdheid",
    "Schoolbestuur",
]
