"""The teacher's portfolio: activities and the bevoegdheden each counts for, a page at a time."""

from __future__ import annotations

import datetime as dt

import strawberry

from ... import models as m
from ...auth.policy import Onderwerp
from ...resolvers import paginering, portfolio
from ...resolvers.loaders import NIET, Vooruit, klaar, klaar_alle
from ...resolvers.paginering import Pagina
from ..enums import Bekwaamheidsgebied, Bron
from ..relay import PageInfo, page_info
from ..vooruit import NuOfLater, klaar_of_laad, vooruit
from ..zichtbaarheid import structureel, zichtbaar
from .basis import Ctx, T, Z, van_leraar
from .bevoegdheid import Bevoegdheid


@strawberry.type
class PortfolioActiviteit:
    id_: strawberry.Private[int]
    onderwerp: strawberry.Private[Onderwerp]
    id: strawberry.ID = zichtbaar(Z, T)
    titel: str = zichtbaar(Z, T)
    datum: dt.date = zichtbaar(Z, T)
    uren: float = zichtbaar(Z, T)
    gebied: Bekwaamheidsgebied = zichtbaar(Z, T)
    bron: Bron = zichtbaar(Z, T)
    bewerkbaar: bool = zichtbaar(Z, T, description="False for entries imported from the voluntary register.")

    @staticmethod
    def van(rij: m.PortfolioActiviteit) -> PortfolioActiviteit:
        return PortfolioActiviteit(
            id_=rij.id,
            onderwerp=van_leraar(rij.leraar_id),
            id=strawberry.ID(str(rij.id)),
            titel=rij.titel,
            datum=rij.datum,
            uren=rij.uren,
            gebied=Bekwaamheidsgebied(rij.gebied),
            bron=Bron(rij.bron),
            bewerkbaar=portfolio.bewerkbaar(rij),
        )

    @zichtbaar(Z, T, metadata=vooruit(Vooruit.ACTIVITEIT_BEVOEGDHEDEN))
    def bevoegdheden(self, info: Ctx) -> NuOfLater[list[Bevoegdheid]]:
        loaders = info.context.loaders
        ids = klaar(loaders.bevoegdheden_by_activiteit, self.id_)
        return klaar_of_laad(
            NIET if ids is NIET else klaar_alle(loaders.bevoegdheid_by_id, ids),
            lambda: portfolio.bevoegdheden_van(info.context, self.id_),
            lambda rijen: [Bevoegdheid.van(r) for r in rijen if r is not None],
        )


@structureel
@strawberry.type
class PortfolioEdge:
    node: PortfolioActiviteit
    cursor: str


@structureel
@strawberry.type
class PortfolioConnection:
    edges: list[PortfolioEdge]
    page_info: PageInfo
    total_count: int

    @staticmethod
    def van(p: Pagina[m.PortfolioActiviteit]) -> PortfolioConnection:
        edges = [
            PortfolioEdge(node=PortfolioActiviteit.van(r), cursor=paginering.cursor(p.offset + i))
            for i, r in enumerate(p.items)
        ]
        return PortfolioConnection(edges=edges, page_info=page_info(p), total_count=p.totaal)
