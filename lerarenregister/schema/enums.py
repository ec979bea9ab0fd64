"""The schema's enums, named as API.md names them."""

from __future__ import annotations

import enum

import strawberry

from ..models.statussen import AantekeningStatus as AantekeningStatus
from ..models.statussen import BezwaarStatus as BezwaarStatus
from ..models.statussen import Registratiestatus as Registratiestatus

# The stored statuses are the models' own enums, published as they are (strawberry.enum marks the class).
for _status in (Registratiestatus, AantekeningStatus, BezwaarStatus):
    strawberry.enum(_status)


@strawberry.enum(description="PO basisonderwijs; vo: EERSTE-/TWEEDEGRAADS; PDG mbo.")
class Bevoegdheidsoort(enum.Enum):
    PO = "PO"
    EERSTEGRAADS = "EERSTEGRAADS"
    TWEEDEGRAADS = "TWEEDEGRAADS"
    PDG = "PDG"


@strawberry.enum
class HerregistratieStatus(enum.Enum):
    OP_SCHEMA = "OP_SCHEMA"
    RISICO = "RISICO"
    VOLDAAN = "VOLDAAN"
    NIET_VOLDAAN = "NIET_VOLDAAN"


@strawberry.enum
class Gevolg(enum.Enum):
    GEEN = "GEEN"
    ALLEEN_ONDER_BEGELEIDING = "ALLEEN_ONDER_BEGELEIDING"


@strawberry.enum(description="OVERIG: e.g. school development.")
class Bekwaamheidsgebied(enum.Enum):
    VAKINHOUDELIJK = "VAKINHOUDELIJK"
    VAKDIDACTISCH = "VAKDIDACTISCH"
    PEDAGOGISCH = "PEDAGOGISCH"
    OVERIG = "OVERIG"


@strawberry.enum
class Bron(enum.Enum):
    EIGEN = "EIGEN"
    CATALOGUS = "CATALOGUS"
    VRIJWILLIG_REGISTER = "VRIJWILLIG_REGISTER"


@strawberry.enum
class Indiener(enum.Enum):
    LERAAR = "LERAAR"
    SCHOOLBESTUUR = "SCHOOLBESTUUR"


@strawberry.enum
class Waarschuwingsoort(enum.Enum):
    ACHTER_OP_SCHEMA = "ACHTER_OP_SCHEMA"
    HERREGISTRATIE_ZES_MAANDEN = "HERREGISTRATIE_ZES_MAANDEN"
    HERREGISTRATIE_TWAALF_WEKEN = "HERREGISTRATIE_TWAALF_WEKEN"
    VOORPORTAALTERMIJN_VERLOOPT = "VOORPORTAALTERMIJN_VERLOOPT"
    AANTEKENING = "AANTEKENING"
    REGISTRATIE_NIET_BEVESTIGD = "REGISTRATIE_NIET_BEVESTIGD"


@strawberry.enum
class Activiteitsoort(enum.Enum):
    OPLEIDING = "OPLEIDING"
    CURSUS = "CURSUS"
    STUDIEDAG = "STUDIEDAG"
    CONFERENTIE = "CONFERENTIE"
    BINNENSCHOOLS = "BINNENSCHOOLS"
    BUITENSCHOOLS = "BUITENSCHOOLS"
    ZELFSTUDIE = "ZELFSTUDIE"
