"""Catalogue activities, their providers, the criteria, and the results of role-only operations."""

from __future__ import annotations

import datetime as dt
from typing import Any

import strawberry

from .. import models as m
from ..auth.policy import Doelgroep, Onderwerp
from ..resolvers import leraren, paginering
from ..resolvers.paginering import Pagina
from .enums import Activiteitsoort, Bekwaamheidsgebied
from .relay import PageInfo, page_info
from .types import Bezwaar, Ctx, Leraar
from .zichtbaarheid import structureel, zichtbaar

P, Z, DUO, BG = Doelgroep.PUBLIEK, Doelgroep.LERAAR_ZELF, Doelgroep.DUO, Doelgroep.BEROEPSGROEP


@strawberry.type
class Aanbieder:
    rij: strawberry.Private[m.Aanbieder]
    onderwerp: strawberry.Private[Onderwerp]

    @zichtbaar(P)
    def code(self) -> str:
        return self.rij.code

    @zichtbaar(P)
    def naam(self) -> str | None:
        return self.rij.naam


@strawberry.type
class Activiteit:
    rij: strawberry.Private[m.CatalogusActiviteit]
    aanbieder_rij: strawberry.Private[m.Aanbieder]
    onderwerp: strawberry.Private[Onderwerp]

    @staticmethod
    def van(rij: m.CatalogusActiviteit, aanbieder: m.Aanbieder) -> Activiteit:
        return Activiteit(rij=rij, aanbieder_rij=aanbieder, onderwerp=Onderwerp(aanbieder=aanbieder.code))

    @zichtbaar(P)
    def id(self) -> strawberry.ID:
        return strawberry.ID(str(self.rij.id))

    @zichtbaar(P)
    def titel(self) -> str:
        return self.rij.titel

    @zichtbaar(P)
    def omschrijving(self) -> str | None:
        return self.rij.omschrijving

    @zichtbaar(P)
    def aanbieder(self) -> Aanbieder:
        return Aanbieder(rij=self.aanbieder_rij, onderwerp=self.onderwerp)

    @zichtbaar(P)
    def soort(self) -> Activiteitsoort:
        return Activiteitsoort(self.rij.soort)

    @zichtbaar(P)
    def contacturen(self) -> float:
        return self.rij.contacturen

    @zichtbaar(P)
    def zelfstudieuren(self) -> float:
        return self.rij.zelfstudieuren

    @zichtbaar(P, description="contacturen + zelfstudieuren.")
    def uren(self) -> float:
        return self.rij.contacturen + self.rij.zelfstudieuren

    @zichtbaar(P)
    def gebied(self) -> Bekwaamheidsgebied:
        return Bekwaamheidsgebied(self.rij.gebied)

    @zichtbaar(P)
    def toetsing(self) -> bool:
        return self.rij.toetsing

    @zichtbaar(P)
    def ingetrokken(self) -> bool:
        return self.rij.ingetrokken


@structureel
@strawberry.type
class ActiviteitEdge:
    node: Activiteit
    cursor: str


@structureel
@strawberry.type
class ActiviteitConnection:
    edges: list[ActiviteitEdge]
    page_info: PageInfo
    total_count: int

    @staticmethod
    def van(p: Pagina[Any]) -> ActiviteitConnection:
        edges = [
            ActiviteitEdge(node=Activiteit.van(a, b), cursor=paginering.cursor(p.offset + i))
            for i, (a, b) in enumerate(p.items)
        ]
        return ActiviteitConnection(edges=edges, page_info=page_info(p), total_count=p.totaal)


@strawberry.type(description="The criteria in force from geldigVanaf.")
class Herregistratiecriteria:
    rij: strawberry.Private[m.Herregistratiecriteria]
    onderwerp: strawberry.Private[Onderwerp]

    @zichtbaar(P)
    def geldig_vanaf(self) -> dt.date:
        return self.rij.geldig_vanaf

    @zichtbaar(P, description="Hours per four-year period.")
    def totaal_uren(self) -> float:
        return self.rij.totaal_uren

    @zichtbaar(P, description="At least this many in VAKINHOUDELIJK, VAKDIDACTISCH and PEDAGOGISCH together.")
    def primair_proces_uren(self) -> float:
        return self.rij.primair_proces_uren

    @zichtbaar(P, description="For a vo bevoegdheid: at least this many VAKINHOUDELIJK.")
    def vakinhoudelijk_vo_uren(self) -> float:
        return self.rij.vakinhoudelijk_vo_uren


@strawberry.type(description="registernummers in input order.")
class KlaarzetResultaat:
    nieuw: int = zichtbaar(DUO)
    gewijzigd: int = zichtbaar(DUO)
    ongewijzigd: int = zichtbaar(DUO)
    registernummers: list[str] = zichtbaar(DUO)
    onderwerp: strawberry.Private[Onderwerp] = Onderwerp()


@strawberry.type
class BeoordelingResultaat:
    beoordeeld: int = zichtbaar(BG)
    voldaan: int = zichtbaar(BG)
    niet_voldaan: int = zichtbaar(BG)
    onderwerp: strawberry.Private[Onderwerp] = Onderwerp()


@strawberry.type
class ImportResultaat:
    aantal: int = zichtbaar(Z)
    onderwerp: strawberry.Private[Onderwerp] = Onderwerp()


@strawberry.type(description="A teacher's report of wrong DUO data, for DUO to correct in a delivery.")
class Foutmelding:
    rij: strawberry.Private[m.Foutmelding]
    onderwerp: strawberry.Private[Onderwerp]

    @zichtbaar(Z, DUO)
    def id(self) -> strawberry.ID:
        return strawberry.ID(str(self.rij.id))

    @zichtbaar(Z, DUO, name="onderwerp")
    def onderwerp_tekst(self) -> str:  # the Python name "onderwerp" holds whose data this is
        return self.rij.onderwerp

    @zichtbaar(Z, DUO)
    def toelichting(self) -> str:
        return self.rij.toelichting

    @zichtbaar(Z, DUO)
    def gemeld_op(self) -> dt.date:
        return self.rij.gemeld_op

    @zichtbaar(Z, DUO)
    async def leraar(self, info: Ctx) -> Leraar:
        rij = (await leraren.op_ids(info.context, [self.rij.leraar_id]))[0]
        return Leraar.van(rij)


@structureel
@strawberry.type
class BezwaarEdge:
    node: Bezwaar
    cursor: str


@structureel
@strawberry.type
class BezwaarConnection:
    edges: list[BezwaarEdge]
    page_info: PageInfo
    total_count: int

    @staticmethod
    def van(p: Pagina[Any]) -> BezwaarConnection:
        edges = [
            BezwaarEdge(node=Bezwaar.van(b, Onderwerp(leraar_id=lid)), cursor=paginering.cursor(p.offset + i))
            for i, (b, lid) in enumerate(p.items)
        ]
        return BezwaarConnection(edges=edges, page_info=page_info(p), total_count=p.totaal)


@structureel
@strawberry.type
class FoutmeldingEdge:
    node: Foutmelding
    cursor: str


@structureel
@strawberry.type
class FoutmeldingConnection:
    edges: list[FoutmeldingEdge]
    page_info: PageInfo
    total_count: int

    @staticmethod
    def van(p: Pagina[Any]) -> FoutmeldingConnection:
        edges = [
            FoutmeldingEdge(
                node=Foutmelding(rij=f, onderwerp=Onderwerp(leraar_id=f.leraar_id)),
                cursor=paginering.cursor(p.offset + i),
            )
            for i, f in enumerate(p.items)
        ]
        return FoutmeldingConnection(edges=edges, page_info=page_info(p), total_count=p.totaal)
