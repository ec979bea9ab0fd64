"""The Mutation root (API.md). Each mutation declares the role that may call it."""
from __future__ import annotations

import strawberry

from ..auth.policy import Doelgroep
from ..resolvers import levering, portfolio, registratie
from .catalogus import KlaarzetResultaat
from .invoer import ActiviteitInvoer, Levering
from .types import Ctx, Leraar, PortfolioActiviteit
from .zichtbaarheid import zichtbaar

Z, DUO = Doelgroep.LERAAR_ZELF, Doelgroep.DUO


@strawberry.type
class Mutation:
    @zichtbaar(DUO, description="DUO prepares teachers: each Levering is the full current state for one BSN.")
    async def zet_gegevens_klaar(self, info: Ctx, leveringen: list[Levering]) -> KlaarzetResultaat:
        u = await levering.zet_gegevens_klaar(info.context, leveringen)
        return KlaarzetResultaat(nieuw=u.nieuw, gewijzigd=u.gewijzigd, ongewijzigd=u.ongewijzigd,
                                 registernummers=u.registernummers)

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
