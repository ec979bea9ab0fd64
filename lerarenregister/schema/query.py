"""The Query root (API.md). Root fields declare the roles that may ask them."""

from __future__ import annotations

import strawberry

from ..auth.policy import ALGEMEEN, Doelgroep
from ..resolvers import bezwaar, catalogus, correcties, leraren
from .catalogus import ActiviteitConnection, BezwaarConnection, FoutmeldingConnection, Herregistratiecriteria
from .enums import BezwaarStatus
from .types import Ctx, Leraar, LeraarConnection, Schoolbestuur
from .vooruit import gevraagd
from .zichtbaarheid import zichtbaar

P, Z, SZ = Doelgroep.PUBLIEK, Doelgroep.LERAAR_ZELF, Doelgroep.SCHOOLBESTUUR_ZELF
DUO, BG = Doelgroep.DUO, Doelgroep.BEROEPSGROEP


@strawberry.type
class Query:
    @zichtbaar(
        P, description="The public register: GEREGISTREERD teachers by name or registernummer; at most 50 a page."
    )
    async def zoek_leraren(
        self, info: Ctx, zoekterm: str, first: int | None = 20, after: str | None = None
    ) -> LeraarConnection:
        p = await leraren.zoek(info.context, zoekterm, first, after)
        await leraren.laad_pagina_vooruit(info.context, p.items, gevraagd(info))
        return LeraarConnection.van(p)

    @zichtbaar(P, description="A teacher outside the public register only to that teacher, a current employer and DUO.")
    async def leraar(self, info: Ctx, registernummer: str) -> Leraar | None:
        rij = await leraren.op_registernummer(info.context, registernummer.strip())
        return Leraar.van(rij) if rij else None

    @zichtbaar(P, description="Bulk check of at most 100, in input order; null where not visible.")
    async def leraren(self, info: Ctx, registernummers: list[str]) -> list[Leraar | None]:
        rijen = await leraren.op_registernummers(info.context, [n.strip() for n in registernummers])
        return [Leraar.van(r) if r else None for r in rijen]

    @zichtbaar(P, description="Catalogue activities; each word of the term is a prefix of a word of the title.")
    async def zoek_activiteiten(
        self, info: Ctx, zoekterm: str | None = None, first: int | None = 20, after: str | None = None
    ) -> ActiviteitConnection:
        return ActiviteitConnection.van(await catalogus.zoek(info.context, zoekterm, first, after))

    @zichtbaar(P, description="The criteria in force today.")
    async def herregistratiecriteria(self, info: Ctx) -> Herregistratiecriteria:
        return Herregistratiecriteria(rij=await catalogus.criteria_vandaag(info.context), onderwerp=ALGEMEEN)

    @zichtbaar(Z, description="The logged-in teacher.")
    async def ik(self, info: Ctx) -> Leraar | None:
        return Leraar.van(await leraren.ik(info.context))

    @zichtbaar(SZ, description="The logged-in school board.")
    async def mijn_schoolbestuur(self, info: Ctx) -> Schoolbestuur | None:
        return Schoolbestuur.van(await leraren.mijn_bestuur(info.context))

    @zichtbaar(BG, description="Objections, oldest first.")
    async def bezwaren(
        self, info: Ctx, status: BezwaarStatus | None = None, first: int | None = 50, after: str | None = None
    ) -> BezwaarConnection | None:
        p = await bezwaar.lijst(info.context, status.value if status else None, first, after)
        return BezwaarConnection.van(p)

    @zichtbaar(DUO, description="Open reports of wrong data, for DUO to correct in a delivery.")
    async def foutmeldingen(
        self, info: Ctx, first: int | None = 50, after: str | None = None
    ) -> FoutmeldingConnection | None:
        return FoutmeldingConnection.van(await correcties.open_meldingen(info.context, first, after))
