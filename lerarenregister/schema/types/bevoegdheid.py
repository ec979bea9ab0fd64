"""A bevoegdheid and its herregistratie: the current and past periods, aantekeningen and the
objections to them."""

from __future__ import annotations

import datetime as dt

import strawberry

from ... import models as m
from ...auth import policy
from ...auth.policy import Onderwerp
from ...resolvers import herregistratie, leraren
from ...resolvers.loaders import Vooruit, klaar
from ..enums import AantekeningStatus, Bevoegdheidsoort, BezwaarStatus, Gevolg, HerregistratieStatus, Indiener
from ..vooruit import NuOfLater, klaar_of_laad, vooruit
from ..zichtbaarheid import zichtbaar
from .basis import BG, DUO, Ctx, P, W, Z, van_leraar


@strawberry.type
class Bezwaar:
    onderwerp: strawberry.Private[Onderwerp]
    id: strawberry.ID = zichtbaar(Z, W, BG)
    ingediend_op: dt.date = zichtbaar(Z, W, BG)
    ingediend_door: Indiener = zichtbaar(Z, W, BG)
    motivering: str = zichtbaar(Z, W, BG)
    status: BezwaarStatus = zichtbaar(Z, W, BG)
    aantekening_id: strawberry.ID = zichtbaar(Z, W, BG, description="The aantekening objected to.")

    @staticmethod
    def van(rij: m.Bezwaar, onderwerp: Onderwerp) -> Bezwaar:
        return Bezwaar(
            onderwerp=onderwerp,
            id=strawberry.ID(str(rij.id)),
            ingediend_op=rij.ingediend_op,
            ingediend_door=Indiener(rij.ingediend_door),
            motivering=rij.motivering,
            status=BezwaarStatus(rij.status),
            aantekening_id=strawberry.ID(str(rij.aantekening_id)),
        )

    @zichtbaar(Z, W, BG, description="The teacher whose aantekening it is.")
    async def registernummer(self, info: Ctx) -> str:
        rijen = await leraren.op_ids(info.context, [self.onderwerp.leraar_id or 0])
        return rijen[0].registernummer


@strawberry.type
class Aantekening:
    rij: strawberry.Private[m.Aantekening]
    onderwerp: strawberry.Private[Onderwerp]
    id: strawberry.ID = zichtbaar(Z, W)
    geplaatst_op: dt.date = zichtbaar(Z, W)
    opgeheven_op: dt.date | None = zichtbaar(Z, W)
    status: AantekeningStatus = zichtbaar(Z, W)

    @staticmethod
    def van(rij: m.Aantekening, onderwerp: Onderwerp) -> Aantekening:
        return Aantekening(
            rij=rij,
            onderwerp=onderwerp,
            id=strawberry.ID(str(rij.id)),
            geplaatst_op=rij.geplaatst_op,
            opgeheven_op=rij.opgeheven_op,
            status=AantekeningStatus(rij.status),
        )

    @zichtbaar(
        Z, W, description="Derived from today: ALLEEN_ONDER_BEGELEIDING from the configured date while it stands."
    )
    def gevolg(self, info: Ctx) -> Gevolg:
        return Gevolg(herregistratie.gevolg(info.context, self.rij))

    @zichtbaar(Z, W, description="A WERKGEVER sees the objections its own board filed only.")
    async def bezwaren(self, info: Ctx) -> list[Bezwaar] | None:
        rijen = await info.context.loaders.bezwaren_by_aantekening.load(self.rij.id)
        # A teacher's motivation (illness, private matters) and another board's are not an employer's
        # business: the same row rule as for benoemingen and voorportaal (README, Rules).
        groepen = await info.context.inzage.van(self.onderwerp)
        bestuur = await info.context.inzage.eigen_bestuur_id() if policy.alleen_eigen_bestuur(groepen) else None
        return [Bezwaar.van(r, self.onderwerp) for r in rijen if bestuur is None or r.schoolbestuur_id == bestuur]


@strawberry.type(description="One four-year period of a bevoegdheid; dates are inclusive last days.")
class Herregistratie:
    onderwerp: strawberry.Private[Onderwerp]
    periode_start: dt.date = zichtbaar(Z, W)
    periode_einde: dt.date = zichtbaar(Z, W)
    status: HerregistratieStatus = zichtbaar(Z, W)
    behaalde_uren: float | None = zichtbaar(Z, description="Hours counted for this bevoegdheid in the period so far.")
    vereiste_uren: float | None = zichtbaar(Z, description="totaalUren of the criteria this period uses.")

    @staticmethod
    def van(stand: herregistratie.PeriodeStand, onderwerp: Onderwerp) -> Herregistratie:
        return Herregistratie(
            onderwerp=onderwerp,
            periode_start=stand.start,
            periode_einde=stand.einde,
            status=HerregistratieStatus(stand.status),
            behaalde_uren=stand.behaalde_uren,
            vereiste_uren=stand.vereiste_uren,
        )


@strawberry.type
class Bevoegdheid:
    rij: strawberry.Private[m.Bevoegdheid]
    onderwerp: strawberry.Private[Onderwerp]
    id: strawberry.ID = zichtbaar(P)
    vak: str = zichtbaar(P)
    soort: Bevoegdheidsoort = zichtbaar(P)
    voor_herregistratie: bool = zichtbaar(P, description="Whether the teacher goes for herregistratie with it.")
    behaald_op: dt.date | None = zichtbaar(Z, W, DUO)

    @staticmethod
    def van(rij: m.Bevoegdheid) -> Bevoegdheid:
        return Bevoegdheid(
            rij=rij,
            onderwerp=van_leraar(rij.leraar_id),
            id=strawberry.ID(str(rij.id)),
            vak=rij.vak,
            soort=Bevoegdheidsoort(rij.soort),
            voor_herregistratie=rij.voor_herregistratie,
            behaald_op=rij.behaald_op,
        )

    # Fields declared `vooruit(...)` answer at once when their page loaded them ahead
    # (leraren.laad_pagina_vooruit), and wait for their loader otherwise (schema/vooruit.py).

    @zichtbaar(
        Z,
        W,
        description="The period containing today; null when not chosen for herregistratie.",
        metadata=vooruit(Vooruit.HERREGISTRATIE),
    )
    def herregistratie(self, info: Ctx) -> NuOfLater[Herregistratie | None]:
        return klaar_of_laad(
            klaar(info.context.loaders.standen, self.rij.id),
            lambda: herregistratie.huidige_periode(info.context, self.rij),
            lambda stand: Herregistratie.van(stand, self.onderwerp) if stand else None,
        )

    @zichtbaar(
        Z, W, description="The standing aantekening (STAAT), else null.", metadata=vooruit(Vooruit.HERREGISTRATIE)
    )
    def aantekening(self, info: Ctx) -> NuOfLater[Aantekening | None]:
        return klaar_of_laad(
            klaar(info.context.loaders.staande, self.rij.id),
            lambda: herregistratie.staande_aantekening(info.context, self.rij),
            lambda rij: Aantekening.van(rij, self.onderwerp) if rij else None,
        )

    @zichtbaar(Z, W, description="Every period, newest first.")
    async def herregistraties(self, info: Ctx) -> list[Herregistratie] | None:
        standen = await herregistratie.perioden(info.context, self.rij)
        return [Herregistratie.van(s, self.onderwerp) for s in standen]

    @zichtbaar(Z, W, description="Every aantekening, newest first.")
    async def aantekeningen(self, info: Ctx) -> list[Aantekening] | None:
        rijen = await info.context.loaders.aantekeningen_by_bevoegdheid.load(self.rij.id)
        return [Aantekening.van(r, self.onderwerp) for r in rijen]
