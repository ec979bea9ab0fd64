"""Input types, named as API.md names them."""
from __future__ import annotations

import datetime as dt
from typing import Optional

import strawberry

from .enums import Activiteitsoort, Bekwaamheidsgebied, Bevoegdheidsoort, Registratiestatus


@strawberry.input
class BevoegdheidInvoer:
    vak: str
    soort: Bevoegdheidsoort
    behaald_op: dt.date


@strawberry.input(description="No einddatum: open-ended.")
class BenoemingInvoer:
    bevoegd_gezag_nummer: str
    schoolbestuur_naam: str
    vak: str
    begindatum: dt.date
    einddatum: Optional[dt.date] = None


@strawberry.input(description="The full current state DUO holds for one BSN.")
class Levering:
    bsn: str
    voornamen: str
    achternaam: str
    geboortedatum: dt.date
    bevoegdheden: list[BevoegdheidInvoer]
    benoemingen: list[BenoemingInvoer]
    tussenvoegsel: Optional[str] = None


@strawberry.input
class ActiviteitInvoer:
    titel: str
    datum: dt.date
    uren: float
    gebied: Bekwaamheidsgebied
    bevoegdheden: list[strawberry.ID]
    catalogus_activiteit: Optional[strawberry.ID] = strawberry.field(
        default=None, description="With a catalogue activity, uren and gebied are taken from it."
    )


@strawberry.input
class MedewerkerFilter:
    registratiestatus: Optional[Registratiestatus] = None
    met_waarschuwing: Optional[bool] = None


@strawberry.input
class CatalogusActiviteitInvoer:
    titel: str
    soort: Activiteitsoort
    contacturen: float
    zelfstudieuren: float
    gebied: Bekwaamheidsgebied
    toetsing: bool
    omschrijving: Optional[str] = None


@strawberry.input(description="An omitted field stays unchanged; tussenvoegsel: null clears it.")
class CorrectieInvoer:
    voornamen: Optional[str] = strawberry.UNSET
    tussenvoegsel: Optional[str] = strawberry.UNSET
    achternaam: Optional[str] = strawberry.UNSET


@strawberry.input
class CriteriaInvoer:
    geldig_vanaf: dt.date
    totaal_uren: float
    primair_proces_uren: float
    vakinhoudelijk_vo_uren: float
