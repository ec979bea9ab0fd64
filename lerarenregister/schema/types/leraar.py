"""The teacher, with what belongs to one teacher: name, registration, appointments and voorportaal
(and so the school boards they name, whose staff are teachers again), warnings; a page of teachers."""

from __future__ import annotations

import datetime as dt
from typing import Any

import strawberry

from ... import models as m
from ...auth import policy
from ...auth.policy import Doelgroep, Onderwerp
from ...regels import naam as naamregels
from ...regels import waarschuwingen as w
from ...resolvers import inzagelog, leraren, paginering, portfolio
from ...resolvers.loaders import NIET, Vooruit, klaar
from ...resolvers.paginering import Pagina
from ..enums import Registratiestatus, Waarschuwingsoort
from ..invoer import MedewerkerFilter
from ..inzagelog import InzagelogConnection
from ..relay import PageInfo, page_info
from ..vooruit import NuOfLater, gevraagd, klaar_of_laad, vooruit
from ..zichtbaarheid import structureel, zichtbaar
from .basis import DUO, SZ, Ctx, P, T, W, Z, van_leraar
from .bevoegdheid import Bevoegdheid
from .portfolio import PortfolioConnection

# --- The teacher ------------------------------------------------------------------------------
# Plain fields are filled when the object is made: strawberry then resolves them without a
# resolver call, which is most of the cost of a large page. Only fields that load data have one.


@strawberry.type(description="A teacher's name; voorletters like 'A.M.'.")
class Naam:
    onderwerp: strawberry.Private[Onderwerp]
    voorletters: str = zichtbaar(P)
    tussenvoegsel: str | None = zichtbaar(P)
    achternaam: str = zichtbaar(P)
    weergavenaam: str = zichtbaar(P, description="Voorletters, tussenvoegsel, achternaam ('A.M. de Vries').")
    voornamen: str | None = zichtbaar(Z, DUO)

    @staticmethod
    def van(rij: m.Leraar, onderwerp: Onderwerp) -> Naam:
        return Naam(
            onderwerp=onderwerp,
            voorletters=rij.voorletters,
            tussenvoegsel=rij.tussenvoegsel,
            achternaam=rij.achternaam,
            voornamen=rij.voornamen,
            weergavenaam=naamregels.weergavenaam(rij.voorletters, rij.tussenvoegsel, rij.achternaam),
        )


@strawberry.type
class Registratie:
    onderwerp: strawberry.Private[Onderwerp]
    status: Registratiestatus = zichtbaar(Z, W, DUO)
    geregistreerd_op: dt.date | None = zichtbaar(Z, W, DUO)


@strawberry.type
class Schoolbestuur:
    id_: strawberry.Private[int]
    onderwerp: strawberry.Private[Onderwerp]
    bevoegd_gezag_nummer: str = zichtbaar(P)
    naam: str = zichtbaar(P)

    @staticmethod
    def van(rij: m.Schoolbestuur) -> Schoolbestuur:
        return Schoolbestuur(
            id_=rij.id,
            onderwerp=Onderwerp(schoolbestuur=rij.bevoegd_gezag_nummer),
            bevoegd_gezag_nummer=rij.bevoegd_gezag_nummer,
            naam=rij.naam,
        )

    @zichtbaar(SZ, description="Teachers with a current appointment at this board, by achternaam.")
    async def medewerkers(
        self,
        info: Ctx,
        filter: MedewerkerFilter | None = None,
        first: int | None = 50,
        after: str | None = None,
        gewijzigd_sinds: dt.datetime | None = None,
    ) -> LeraarConnection | None:
        status = filter.registratiestatus.value if filter and filter.registratiestatus else None
        met = filter.met_waarschuwing if filter else None
        p = await leraren.medewerkers(info.context, self.id_, status, met, gewijzigd_sinds, first, after)
        await leraren.laad_pagina_vooruit(info.context, p.items, gevraagd(info))
        return LeraarConnection.van(p)


@strawberry.type
class Benoeming:
    onderwerp: strawberry.Private[Onderwerp]
    id: strawberry.ID = zichtbaar(Z, W, DUO)
    schoolbestuur: Schoolbestuur = zichtbaar(Z, W, DUO)
    vak: str = zichtbaar(Z, W, DUO)
    begindatum: dt.date = zichtbaar(Z, W, DUO)
    einddatum: dt.date | None = zichtbaar(Z, W, DUO, description="No einddatum: open-ended.")

    @staticmethod
    def van(rij: m.Benoeming, bestuur: m.Schoolbestuur, onderwerp: Onderwerp) -> Benoeming:
        return Benoeming(
            onderwerp=onderwerp,
            id=strawberry.ID(str(rij.id)),
            schoolbestuur=Schoolbestuur.van(bestuur),
            vak=rij.vak,
            begindatum=rij.begindatum,
            einddatum=rij.einddatum,
        )


@strawberry.type
class Voorportaalinschrijving:
    onderwerp: strawberry.Private[Onderwerp]
    id: strawberry.ID = zichtbaar(Z, W, DUO)
    vak: str = zichtbaar(Z, W, DUO)
    schoolbestuur: Schoolbestuur = zichtbaar(Z, W, DUO)
    begindatum: dt.date = zichtbaar(Z, W, DUO)
    termijn_einde: dt.date = zichtbaar(Z, W, DUO, description="The last day of the term (inclusive).")
    verlengd: bool = zichtbaar(Z, W, DUO)
    afgesloten: bool = zichtbaar(Z, W, DUO)

    @staticmethod
    def van(rij: m.Voorportaalinschrijving, bestuur: m.Schoolbestuur, onderwerp: Onderwerp) -> Voorportaalinschrijving:
        return Voorportaalinschrijving(
            onderwerp=onderwerp,
            id=strawberry.ID(str(rij.id)),
            vak=rij.vak,
            schoolbestuur=Schoolbestuur.van(bestuur),
            begindatum=rij.begindatum,
            termijn_einde=rij.termijn_einde,
            verlengd=rij.verlengd,
            afgesloten=rij.afgesloten,
        )


@strawberry.type
class Waarschuwing:
    bevoegdheid_id: strawberry.Private[int | None]
    onderwerp: strawberry.Private[Onderwerp]
    soort: Waarschuwingsoort = zichtbaar(Z, W)
    bericht: str = zichtbaar(Z, W)
    datum: dt.date = zichtbaar(Z, W, description="The day the warning's window opened.")

    @staticmethod
    def van(item: w.Waarschuwing, onderwerp: Onderwerp) -> Waarschuwing:
        return Waarschuwing(
            bevoegdheid_id=item.bevoegdheid_id,
            onderwerp=onderwerp,
            soort=Waarschuwingsoort(item.soort),
            bericht=item.bericht,
            datum=item.datum,
        )

    @zichtbaar(Z, W)
    def bevoegdheid(self, info: Ctx) -> NuOfLater[Bevoegdheid | None]:
        bevoegdheid_id = self.bevoegdheid_id
        if bevoegdheid_id is None:
            return None
        loader = info.context.loaders.bevoegdheid_by_id
        return klaar_of_laad(
            klaar(loader, bevoegdheid_id),  # its page read it already
            lambda: loader.load(bevoegdheid_id),
            lambda rij: Bevoegdheid.van(rij) if rij else None,
        )


@strawberry.type
class Leraar:
    id_: strawberry.Private[int]
    onderwerp: strawberry.Private[Onderwerp]
    rij: strawberry.Private[m.Leraar]
    registernummer: str = zichtbaar(
        P, description="The teacher's public number in the register (ten digits, the last a check digit)."
    )
    naam: Naam = zichtbaar(P)
    geboortedatum: dt.date | None = zichtbaar(Z, DUO)
    registratie: Registratie | None = zichtbaar(Z, W, DUO)
    portfolio_openbaar: bool | None = zichtbaar(Z)

    @staticmethod
    def van(rij: m.Leraar) -> Leraar:
        onderwerp = van_leraar(rij.id)
        return Leraar(
            id_=rij.id,
            onderwerp=onderwerp,
            rij=rij,
            registernummer=rij.registernummer,
            naam=Naam.van(rij, onderwerp),
            geboortedatum=rij.geboortedatum,
            registratie=Registratie(
                onderwerp=onderwerp, status=Registratiestatus(rij.status), geregistreerd_op=rij.geregistreerd_op
            ),
            portfolio_openbaar=rij.portfolio_openbaar,
        )

    @zichtbaar(P, metadata=vooruit(Vooruit.BEVOEGDHEDEN))
    def bevoegdheden(self, info: Ctx) -> NuOfLater[list[Bevoegdheid]]:
        loader = info.context.loaders.bevoegdheden_by_leraar
        rijen = klaar(loader, self.id_)
        return klaar_of_laad(rijen, lambda: loader.load(self.id_), lambda rijen: [Bevoegdheid.van(r) for r in rijen])

    async def _eigen_bestuur(self, info: Ctx) -> int | None:
        """A board that is only a current employer sees the rows of its own board."""
        groepen = await info.context.inzage.van(self.onderwerp)
        return await info.context.inzage.eigen_bestuur_id() if policy.alleen_eigen_bestuur(groepen) else None

    @zichtbaar(Z, W, DUO, description="A WERKGEVER sees its own board's rows only.")
    async def benoemingen(self, info: Ctx) -> list[Benoeming] | None:
        rijen = await info.context.loaders.benoemingen_by_leraar.load(self.id_)
        bestuur = await self._eigen_bestuur(info)
        return [Benoeming.van(b, s, self.onderwerp) for b, s in rijen if bestuur is None or s.id == bestuur]

    @zichtbaar(
        Z, W, DUO, description="A WERKGEVER sees its own board's rows only.", metadata=vooruit(Vooruit.VOORPORTAAL)
    )
    def voorportaal(self, info: Ctx) -> NuOfLater[list[Voorportaalinschrijving] | None]:
        rijen = klaar(info.context.loaders.voorportaal_by_leraar, self.id_)
        bekend, bestuur = info.context.inzage.alleen_bestuur(self.id_)  # the board known too, or wait for it
        return klaar_of_laad(
            NIET if rijen is NIET or not bekend else (rijen, bestuur),
            lambda: self._voorportaal(info),
            self._inschrijvingen,
        )

    async def _voorportaal(self, info: Ctx) -> tuple[list[Any], int | None]:
        return await info.context.loaders.voorportaal_by_leraar.load(self.id_), await self._eigen_bestuur(info)

    def _inschrijvingen(self, rijen_bestuur: tuple[list[Any], int | None]) -> list[Voorportaalinschrijving] | None:
        rijen, bestuur = rijen_bestuur
        return [
            Voorportaalinschrijving.van(v, s, self.onderwerp) for v, s in rijen if bestuur is None or s.id == bestuur
        ]

    @zichtbaar(Z, W, metadata=vooruit(Vooruit.WAARSCHUWINGEN))
    def waarschuwingen(self, info: Ctx) -> NuOfLater[list[Waarschuwing] | None]:
        return klaar_of_laad(
            klaar(info.context.loaders.waarschuwingen, self.id_),
            lambda: leraren.waarschuwingen(info.context, self.rij),
            lambda items: [Waarschuwing.van(i, self.onderwerp) for i in items],
        )

    @zichtbaar(Z, T, description="Newest datum first.")
    async def portfolio(
        self, info: Ctx, first: int | None = 50, after: str | None = None
    ) -> PortfolioConnection | None:
        p = await portfolio.pagina(info.context, self.id_, first, after)
        await portfolio.laad_pagina_vooruit(info.context, p.items, gevraagd(info))
        return PortfolioConnection.van(p)

    @zichtbaar(Z, description="Who saw this teacher's data through WERKGEVER, DUO or BEROEPSGROEP; newest first.")
    async def inzagelog(
        self, info: Ctx, first: int | None = 50, after: str | None = None
    ) -> InzagelogConnection | None:
        return InzagelogConnection.van(await inzagelog.pagina(info.context, self.id_, first, after), self.onderwerp)

    @zichtbaar(P, description="The audiences that apply to the asker for this teacher.")
    async def inzage(self, info: Ctx) -> list[Doelgroep]:
        groepen = await info.context.inzage.van(self.onderwerp)
        return [d for d in Doelgroep if d in groepen]


@structureel
@strawberry.type
class LeraarEdge:
    node: Leraar
    cursor: str


@structureel
@strawberry.type
class LeraarConnection:
    edges: list[LeraarEdge]
    page_info: PageInfo
    total_count: int

    @staticmethod
    def van(p: Pagina[m.Leraar]) -> LeraarConnection:
        edges = [LeraarEdge(node=Leraar.van(r), cursor=paginering.cursor(p.offset + i)) for i, r in enumerate(p.items)]
        return LeraarConnection(edges=edges, page_info=page_info(p), total_count=p.totaal)
