"""The Mutation root (API.md). Each mutation declares the role that may call it."""

from __future__ import annotations

import datetime as dt

import strawberry

from ..auth.policy import ALGEMEEN, Doelgroep, Onderwerp
from ..resolvers import (
    beoordeling,
    bezwaar,
    catalogus,
    correcties,
    levering,
    portfolio,
    registratie,
    voorportaal,
    vrijwillig,
)
from ..resolvers import bezwaar as bezwaar_
from .catalogus import (
    Activiteit,
    BeoordelingResultaat,
    Foutmelding,
    Herregistratiecriteria,
    ImportResultaat,
    KlaarzetResultaat,
)
from .enums import BezwaarStatus
from .invoer import ActiviteitInvoer, CatalogusActiviteitInvoer, CorrectieInvoer, CriteriaInvoer, Levering
from .types import Bezwaar, Ctx, Leraar, PortfolioActiviteit, Voorportaalinschrijving
from .zichtbaarheid import zichtbaar

Z, DUO, SZ = Doelgroep.LERAAR_ZELF, Doelgroep.DUO, Doelgroep.SCHOOLBESTUUR_ZELF
AZ, BG = Doelgroep.AANBIEDER_ZELF, Doelgroep.BEROEPSGROEP


@strawberry.type
class Mutation:
    @zichtbaar(DUO, description="DUO prepares teachers: each Levering is the full current state for one BSN.")
    async def zet_gegevens_klaar(self, info: Ctx, leveringen: list[Levering]) -> KlaarzetResultaat:
        u = await levering.zet_gegevens_klaar(info.context, leveringen)
        return KlaarzetResultaat(
            nieuw=u.nieuw, gewijzigd=u.gewijzigd, ongewijzigd=u.ongewijzigd, registernummers=u.registernummers
        )

    @zichtbaar(Z, description="Confirm the registration, choosing the bevoegdheden for herregistratie.")
    async def bevestig_registratie(self, info: Ctx, herregistratie_bevoegdheden: list[strawberry.ID]) -> Leraar:
        return Leraar.van(await registratie.bevestig(info.context, herregistratie_bevoegdheden))

    @zichtbaar(Z, description="Choose again; a newly chosen one starts a period, a dropped one keeps its history.")
    async def kies_herregistratie_bevoegdheden(self, info: Ctx, bevoegdheden: list[strawberry.ID]) -> Leraar:
        return Leraar.van(await registratie.kies_bevoegdheden(info.context, bevoegdheden))

    @zichtbaar(Z)
    async def voeg_activiteit_toe(self, info: Ctx, invoer: ActiviteitInvoer) -> PortfolioActiviteit:
        return PortfolioActiviteit.van(await portfolio.voeg_toe(info.context, invoer))

    @zichtbaar(Z, description="Imported entries are read-only: CONFLICT.")
    async def wijzig_activiteit(self, info: Ctx, id: strawberry.ID, invoer: ActiviteitInvoer) -> PortfolioActiviteit:
        return PortfolioActiviteit.van(await portfolio.wijzig(info.context, id, invoer))

    @zichtbaar(Z)
    async def verwijder_activiteit(self, info: Ctx, id: strawberry.ID) -> strawberry.ID:
        return strawberry.ID(await portfolio.verwijder(info.context, id))

    @zichtbaar(Z, description="Consent: make the portfolio visible to anyone, or withdraw it.")
    async def zet_portfolio_openbaar(self, info: Ctx, openbaar: bool) -> Leraar:
        return Leraar.van(await registratie.zet_portfolio_openbaar(info.context, openbaar))

    @zichtbaar(Z, description="A correction stands until DUO delivers a new value; omitted fields stay.")
    async def corrigeer_persoonsgegevens(self, info: Ctx, invoer: CorrectieInvoer) -> Leraar:
        return Leraar.van(await correcties.corrigeer(info.context, invoer))

    @zichtbaar(Z, description="Report a wrong benoeming or bevoegdheid, for DUO to correct.")
    async def meld_fout(
        self,
        info: Ctx,
        toelichting: str,
        benoeming: strawberry.ID | None = None,
        bevoegdheid: strawberry.ID | None = None,
    ) -> Foutmelding:
        rij = await correcties.meld_fout(info.context, benoeming, bevoegdheid, toelichting)
        return Foutmelding(rij=rij, onderwerp=Onderwerp(leraar_id=rij.leraar_id))

    @zichtbaar(Z, description="Once, with the old register's credentials; entries arrive read-only.")
    async def importeer_vrijwillig_portfolio(self, info: Ctx, gebruikersnaam: str, wachtwoord: str) -> ImportResultaat:
        return ImportResultaat(aantal=await vrijwillig.importeer(info.context, gebruikersnaam, wachtwoord))

    @zichtbaar(SZ, description="Once, by a current employer: the term becomes four years.")
    async def verleng_voorportaaltermijn(self, info: Ctx, inschrijving: strawberry.ID) -> Voorportaalinschrijving:
        rij, bestuur = await voorportaal.verleng(info.context, inschrijving)
        return Voorportaalinschrijving.van(rij, bestuur, Onderwerp(leraar_id=rij.leraar_id))

    @zichtbaar(Z, SZ, description="By the teacher or a current employer, up to 42 days after geplaatstOp.")
    async def dien_bezwaar_in(self, info: Ctx, aantekening: strawberry.ID, motivering: str) -> Bezwaar:
        rij, leraar_id = await bezwaar.dien_in(info.context, aantekening, motivering)
        return Bezwaar.van(rij, Onderwerp(leraar_id=leraar_id))

    @zichtbaar(BG, description="GEGROND withdraws the aantekening (INGETROKKEN).")
    async def behandel_bezwaar(self, info: Ctx, bezwaar: strawberry.ID, uitspraak: BezwaarStatus) -> Bezwaar:
        rij, leraar_id = await bezwaar_.behandel(info.context, bezwaar, uitspraak.value)
        return Bezwaar.van(rij, Onderwerp(leraar_id=leraar_id))

    @zichtbaar(BG, description="Assess every period whose last day is before the peildatum, once.")
    async def beoordeel_herregistraties(self, info: Ctx, peildatum: dt.date) -> BeoordelingResultaat:
        u = await beoordeling.beoordeel(info.context, peildatum)
        return BeoordelingResultaat(beoordeeld=u.beoordeeld, voldaan=u.voldaan, niet_voldaan=u.niet_voldaan)

    @zichtbaar(
        BG, description="New criteria from a date not in the past; a period uses those in force on its first day."
    )
    async def stel_criteria_vast(self, info: Ctx, invoer: CriteriaInvoer) -> Herregistratiecriteria:
        rij = await catalogus.stel_criteria_vast(info.context, invoer)
        return Herregistratiecriteria(rij=rij, onderwerp=ALGEMEEN)

    @zichtbaar(AZ, description="uren = contacturen + zelfstudieuren; more self-study than contact needs toetsing.")
    async def publiceer_activiteit(self, info: Ctx, invoer: CatalogusActiviteitInvoer) -> Activiteit:
        return Activiteit.van(*await catalogus.publiceer(info.context, invoer))

    @zichtbaar(AZ, description="Own activities only; entries that used it keep it.")
    async def trek_activiteit_in(self, info: Ctx, id: strawberry.ID) -> Activiteit:
        return Activiteit.van(*await catalogus.trek_in(info.context, id))
