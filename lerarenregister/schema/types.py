"""The register's object types. Every field declares its audiences with `zichtbaar(...)`.

Each object carries `onderwerp`: whose data it is, so the one enforcement point can decide.
Types whose fields take their parent's audiences repeat that parent field's declaration.
"""
from __future__ import annotations

import asyncio
import datetime as dt
from typing import Annotated, Optional

import strawberry
from strawberry.types import Info

from .. import models as m
from ..auth import policy
from ..auth.policy import Doelgroep, Onderwerp
from ..regels import naam as naamregels
from ..regels import waarschuwingen as w
from ..resolvers import herregistratie, leraren, paginering, portfolio
from ..resolvers.paginering import Pagina
from ..resolvers.verzoek import Verzoek
from .enums import (
    AantekeningStatus,
    Bekwaamheidsgebied,
    Bevoegdheidsoort,
    BezwaarStatus,
    Bron,
    Gevolg,
    HerregistratieStatus,
    Indiener,
    Registratiestatus,
    Waarschuwingsoort,
)
from .zichtbaarheid import structureel, zichtbaar

P, Z, W, T = Doelgroep.PUBLIEK, Doelgroep.LERAAR_ZELF, Doelgroep.WERKGEVER, Doelgroep.MET_TOESTEMMING
SZ, AZ, DUO, BG = Doelgroep.SCHOOLBESTUUR_ZELF, Doelgroep.AANBIEDER_ZELF, Doelgroep.DUO, Doelgroep.BEROEPSGROEP
Ctx = Info[Verzoek, None]


def van_leraar(leraar_id: int) -> Onderwerp:
    return Onderwerp(leraar_id=leraar_id)


# --- Relay plumbing -----------------------------------------------------------------------------


@structureel
@strawberry.type
class PageInfo:
    has_next_page: bool
    has_previous_page: bool
    start_cursor: Optional[str]
    end_cursor: Optional[str]


def page_info(p: Pagina) -> PageInfo:  # type: ignore[type-arg]
    return PageInfo(
        has_next_page=p.heeft_volgende,
        has_previous_page=p.offset > 0,
        start_cursor=paginering.cursor(p.offset) if p.items else None,
        end_cursor=paginering.cursor(p.offset + len(p.items) - 1) if p.items else None,
    )


# --- The teacher ------------------------------------------------------------------------------


@strawberry.type(description="A teacher's name; voorletters like 'A.M.'.")
class Naam:
    rij: strawberry.Private[m.Leraar]
    onderwerp: strawberry.Private[Onderwerp]

    @zichtbaar(P)
    def voorletters(self) -> str:
        return self.rij.voorletters

    @zichtbaar(P)
    def tussenvoegsel(self) -> Optional[str]:
        return self.rij.tussenvoegsel

    @zichtbaar(P)
    def achternaam(self) -> str:
        return self.rij.achternaam

    @zichtbaar(P, description="Voorletters, tussenvoegsel, achternaam ('A.M. de Vries').")
    def weergavenaam(self) -> str:
        return naamregels.weergavenaam(self.rij.voorletters, self.rij.tussenvoegsel, self.rij.achternaam)

    @zichtbaar(Z, DUO)
    def voornamen(self) -> Optional[str]:
        return self.rij.voornamen


@strawberry.type
class Registratie:
    rij: strawberry.Private[m.Leraar]
    onderwerp: strawberry.Private[Onderwerp]

    @zichtbaar(Z, W, DUO)
    def status(self) -> Registratiestatus:
        return Registratiestatus(self.rij.status)

    @zichtbaar(Z, W, DUO)
    def geregistreerd_op(self) -> Optional[dt.date]:
        return self.rij.geregistreerd_op


@strawberry.type
class Schoolbestuur:
    rij: strawberry.Private[m.Schoolbestuur]
    onderwerp: strawberry.Private[Onderwerp]

    @staticmethod
    def van(rij: m.Schoolbestuur) -> "Schoolbestuur":
        return Schoolbestuur(rij=rij, onderwerp=Onderwerp(schoolbestuur=rij.bevoegd_gezag_nummer))

    @zichtbaar(P)
    def bevoegd_gezag_nummer(self) -> str:
        return self.rij.bevoegd_gezag_nummer

    @zichtbaar(P)
    def naam(self) -> str:
        return self.rij.naam

    @zichtbaar(SZ, description="Teachers with a current appointment at this board, by achternaam.")
    async def medewerkers(
        self,
        info: Ctx,
        filter: Optional[Annotated["MedewerkerFilter", strawberry.lazy(".invoer")]] = None,
        first: int = 50,
        after: Optional[str] = None,
        gewijzigd_sinds: Optional[dt.datetime] = None,
    ) -> Optional["LeraarConnection"]:
        status = filter.registratiestatus.value if filter and filter.registratiestatus else None
        met = filter.met_waarschuwing if filter else None
        p = await leraren.medewerkers(info.context, self.rij.id, status, met, gewijzigd_sinds, first, after)
        return LeraarConnection.van(p)


@strawberry.type
class Benoeming:
    rij: strawberry.Private[m.Benoeming]
    bestuur: strawberry.Private[m.Schoolbestuur]
    onderwerp: strawberry.Private[Onderwerp]

    @zichtbaar(Z, W, DUO)
    def id(self) -> strawberry.ID:
        return strawberry.ID(str(self.rij.id))

    @zichtbaar(Z, W, DUO)
    def schoolbestuur(self) -> Schoolbestuur:
        return Schoolbestuur.van(self.bestuur)

    @zichtbaar(Z, W, DUO)
    def vak(self) -> str:
        return self.rij.vak

    @zichtbaar(Z, W, DUO)
    def begindatum(self) -> dt.date:
        return self.rij.begindatum

    @zichtbaar(Z, W, DUO, description="No einddatum: open-ended.")
    def einddatum(self) -> Optional[dt.date]:
        return self.rij.einddatum


@strawberry.type
class Voorportaalinschrijving:
    rij: strawberry.Private[m.Voorportaalinschrijving]
    bestuur: strawberry.Private[m.Schoolbestuur]
    onderwerp: strawberry.Private[Onderwerp]

    @zichtbaar(Z, W, DUO)
    def id(self) -> strawberry.ID:
        return strawberry.ID(str(self.rij.id))

    @zichtbaar(Z, W, DUO)
    def vak(self) -> str:
        return self.rij.vak

    @zichtbaar(Z, W, DUO)
    def schoolbestuur(self) -> Schoolbestuur:
        return Schoolbestuur.van(self.bestuur)

    @zichtbaar(Z, W, DUO)
    def begindatum(self) -> dt.date:
        return self.rij.begindatum

    @zichtbaar(Z, W, DUO, description="The last day of the term (inclusive).")
    def termijn_einde(self) -> dt.date:
        return self.rij.termijn_einde

    @zichtbaar(Z, W, DUO)
    def verlengd(self) -> bool:
        return self.rij.verlengd

    @zichtbaar(Z, W, DUO)
    def afgesloten(self) -> bool:
        return self.rij.afgesloten


@strawberry.type
class Bezwaar:
    rij: strawberry.Private[m.Bezwaar]
    onderwerp: strawberry.Private[Onderwerp]

    @zichtbaar(Z, W, BG)
    def id(self) -> strawberry.ID:
        return strawberry.ID(str(self.rij.id))

    @zichtbaar(Z, W, BG)
    def ingediend_op(self) -> dt.date:
        return self.rij.ingediend_op

    @zichtbaar(Z, W, BG)
    def ingediend_door(self) -> Indiener:
        return Indiener(self.rij.ingediend_door)

    @zichtbaar(Z, W, BG)
    def motivering(self) -> str:
        return self.rij.motivering

    @zichtbaar(Z, W, BG)
    def status(self) -> BezwaarStatus:
        return BezwaarStatus(self.rij.status)

    @zichtbaar(Z, W, BG, description="The aantekening objected to.")
    def aantekening_id(self) -> strawberry.ID:
        return strawberry.ID(str(self.rij.aantekening_id))

    @zichtbaar(Z, W, BG, description="The teacher whose aantekening it is.")
    async def registernummer(self, info: Ctx) -> str:
        rijen = await leraren.op_ids(info.context, [self.onderwerp.leraar_id or 0])
        return rijen[0].registernummer


@strawberry.type
class Aantekening:
    rij: strawberry.Private[m.Aantekening]
    onderwerp: strawberry.Private[Onderwerp]

    @zichtbaar(Z, W)
    def id(self) -> strawberry.ID:
        return strawberry.ID(str(self.rij.id))

    @zichtbaar(Z, W)
    def geplaatst_op(self) -> dt.date:
        return self.rij.geplaatst_op

    @zichtbaar(Z, W, description="Derived from today: ALLEEN_ONDER_BEGELEIDING from the configured date while it stands.")
    def gevolg(self, info: Ctx) -> Gevolg:
        return Gevolg(herregistratie.gevolg(info.context, self.rij))

    @zichtbaar(Z, W)
    def opgeheven_op(self) -> Optional[dt.date]:
        return self.rij.opgeheven_op

    @zichtbaar(Z, W)
    def status(self) -> AantekeningStatus:
        return AantekeningStatus(self.rij.status)

    @zichtbaar(Z, W)
    async def bezwaren(self, info: Ctx) -> Optional[list[Bezwaar]]:
        rijen = await info.context.loaders.bezwaren_by_aantekening.load(self.rij.id)
        return [Bezwaar(rij=r, onderwerp=self.onderwerp) for r in rijen]


@strawberry.type(description="One four-year period of a bevoegdheid; dates are inclusive last days.")
class Herregistratie:
    stand: strawberry.Private[herregistratie.PeriodeStand]
    onderwerp: strawberry.Private[Onderwerp]

    @zichtbaar(Z, W)
    def periode_start(self) -> dt.date:
        return self.stand.start

    @zichtbaar(Z, W)
    def periode_einde(self) -> dt.date:
        return self.stand.einde

    @zichtbaar(Z, W)
    def status(self) -> HerregistratieStatus:
        return HerregistratieStatus(self.stand.status)

    @zichtbaar(Z, description="Hours counted for this bevoegdheid in the period so far.")
    def behaalde_uren(self) -> Optional[float]:
        return self.stand.behaalde_uren

    @zichtbaar(Z, description="totaalUren of the criteria this period uses.")
    def vereiste_uren(self) -> Optional[float]:
        return self.stand.vereiste_uren


@strawberry.type
class Bevoegdheid:
    rij: strawberry.Private[m.Bevoegdheid]
    onderwerp: strawberry.Private[Onderwerp]

    @staticmethod
    def van(rij: m.Bevoegdheid) -> "Bevoegdheid":
        return Bevoegdheid(rij=rij, onderwerp=van_leraar(rij.leraar_id))

    @zichtbaar(P)
    def id(self) -> strawberry.ID:
        return strawberry.ID(str(self.rij.id))

    @zichtbaar(P)
    def vak(self) -> str:
        return self.rij.vak

    @zichtbaar(P)
    def soort(self) -> Bevoegdheidsoort:
        return Bevoegdheidsoort(self.rij.soort)

    @zichtbaar(P, description="Whether the teacher goes for herregistratie with it.")
    def voor_herregistratie(self) -> bool:
        return self.rij.voor_herregistratie

    @zichtbaar(Z, W, DUO)
    def behaald_op(self) -> Optional[dt.date]:
        return self.rij.behaald_op

    @zichtbaar(Z, W, description="The period containing today; null when not chosen for herregistratie.")
    async def herregistratie(self, info: Ctx) -> Optional[Herregistratie]:
        stand = await herregistratie.huidige_periode(info.context, self.rij)
        return Herregistratie(stand=stand, onderwerp=self.onderwerp) if stand else None

    @zichtbaar(Z, W, description="The standing aantekening (STAAT), else null.")
    async def aantekening(self, info: Ctx) -> Optional[Aantekening]:
        rij = await herregistratie.staande_aantekening(info.context, self.rij)
        return Aantekening(rij=rij, onderwerp=self.onderwerp) if rij else None

    @zichtbaar(Z, W, description="Every period, newest first.")
    async def herregistraties(self, info: Ctx) -> Optional[list[Herregistratie]]:
        standen = await herregistratie.perioden(info.context, self.rij)
        return [Herregistratie(stand=s, onderwerp=self.onderwerp) for s in standen]

    @zichtbaar(Z, W, description="Every aantekening, newest first.")
    async def aantekeningen(self, info: Ctx) -> Optional[list[Aantekening]]:
        rijen = await info.context.loaders.aantekeningen_by_bevoegdheid.load(self.rij.id)
        return [Aantekening(rij=r, onderwerp=self.onderwerp) for r in rijen]


@strawberry.type
class Waarschuwing:
    item: strawberry.Private[w.Waarschuwing]
    onderwerp: strawberry.Private[Onderwerp]

    @zichtbaar(Z, W)
    def soort(self) -> Waarschuwingsoort:
        return Waarschuwingsoort(self.item.soort)

    @zichtbaar(Z, W)
    def bericht(self) -> str:
        return self.item.bericht

    @zichtbaar(Z, W, description="The day the warning's window opened.")
    def datum(self) -> dt.date:
        return self.item.datum

    @zichtbaar(Z, W)
    async def bevoegdheid(self, info: Ctx) -> Optional[Bevoegdheid]:
        if self.item.bevoegdheid_id is None:
            return None
        rij = await info.context.loaders.bevoegdheid_by_id.load(self.item.bevoegdheid_id)
        return Bevoegdheid.van(rij) if rij else None


@strawberry.type
class PortfolioActiviteit:
    rij: strawberry.Private[m.PortfolioActiviteit]
    onderwerp: strawberry.Private[Onderwerp]

    @staticmethod
    def van(rij: m.PortfolioActiviteit) -> "PortfolioActiviteit":
        return PortfolioActiviteit(rij=rij, onderwerp=van_leraar(rij.leraar_id))

    @zichtbaar(Z, T)
    def id(self) -> strawberry.ID:
        return strawberry.ID(str(self.rij.id))

    @zichtbaar(Z, T)
    def titel(self) -> str:
        return self.rij.titel

    @zichtbaar(Z, T)
    def datum(self) -> dt.date:
        return self.rij.datum

    @zichtbaar(Z, T)
    def uren(self) -> float:
        return self.rij.uren

    @zichtbaar(Z, T)
    def gebied(self) -> Bekwaamheidsgebied:
        return Bekwaamheidsgebied(self.rij.gebied)

    @zichtbaar(Z, T)
    async def bevoegdheden(self, info: Ctx) -> list[Bevoegdheid]:
        ids = await info.context.loaders.bevoegdheden_by_activiteit.load(self.rij.id)
        rijen = await asyncio.gather(*(info.context.loaders.bevoegdheid_by_id.load(i) for i in ids))
        return [Bevoegdheid.van(r) for r in rijen if r is not None]

    @zichtbaar(Z, T)
    def bron(self) -> Bron:
        return Bron(self.rij.bron)

    @zichtbaar(Z, T, description="False for entries imported from the voluntary register.")
    def bewerkbaar(self) -> bool:
        return portfolio.bewerkbaar(self.rij)


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
    def van(p: Pagina[m.PortfolioActiviteit]) -> "PortfolioConnection":
        edges = [PortfolioEdge(node=PortfolioActiviteit.van(r), cursor=paginering.cursor(p.offset + i))
                 for i, r in enumerate(p.items)]
        return PortfolioConnection(edges=edges, page_info=page_info(p), total_count=p.totaal)


@strawberry.type
class Leraar:
    rij: strawberry.Private[m.Leraar]
    onderwerp: strawberry.Private[Onderwerp]

    @staticmethod
    def van(rij: m.Leraar) -> "Leraar":
        return Leraar(rij=rij, onderwerp=van_leraar(rij.id))

    @zichtbaar(P, description="The teacher's public number in the register (ten digits, the last a check digit).")
    def registernummer(self) -> str:
        return self.rij.registernummer

    @zichtbaar(P)
    def naam(self) -> Naam:
        return Naam(rij=self.rij, onderwerp=self.onderwerp)

    @zichtbaar(P)
    async def bevoegdheden(self, info: Ctx) -> list[Bevoegdheid]:
        rijen = await info.context.loaders.bevoegdheden_by_leraar.load(self.rij.id)
        return [Bevoegdheid(rij=r, onderwerp=self.onderwerp) for r in rijen]

    @zichtbaar(Z, DUO)
    def geboortedatum(self) -> Optional[dt.date]:
        return self.rij.geboortedatum

    @zichtbaar(Z, W, DUO)
    def registratie(self) -> Optional[Registratie]:
        return Registratie(rij=self.rij, onderwerp=self.onderwerp)

    async def _eigen_bestuur(self, info: Ctx) -> int | None:
        """A board that is only a current employer sees the rows of its own board."""
        groepen = await info.context.inzage.van(self.onderwerp)
        return await info.context.inzage.eigen_bestuur_id() if policy.alleen_eigen_bestuur(groepen) else None

    @zichtbaar(Z, W, DUO, description="A WERKGEVER sees its own board's rows only.")
    async def benoemingen(self, info: Ctx) -> Optional[list[Benoeming]]:
        rijen = await info.context.loaders.benoemingen_by_leraar.load(self.rij.id)
        bestuur = await self._eigen_bestuur(info)
        return [Benoeming(rij=b, bestuur=s, onderwerp=self.onderwerp) for b, s in rijen
                if bestuur is None or s.id == bestuur]

    @zichtbaar(Z, W, DUO, description="A WERKGEVER sees its own board's rows only.")
    async def voorportaal(self, info: Ctx) -> Optional[list[Voorportaalinschrijving]]:
        rijen = await info.context.loaders.voorportaal_by_leraar.load(self.rij.id)
        bestuur = await self._eigen_bestuur(info)
        return [Voorportaalinschrijving(rij=v, bestuur=s, onderwerp=self.onderwerp) for v, s in rijen
                if bestuur is None or s.id == bestuur]

    @zichtbaar(Z, W)
    async def waarschuwingen(self, info: Ctx) -> Optional[list[Waarschuwing]]:
        items = await leraren.waarschuwingen(info.context, self.rij)
        return [Waarschuwing(item=i, onderwerp=self.onderwerp) for i in items]

    @zichtbaar(Z, T, description="Newest datum first.")
    async def portfolio(self, info: Ctx, first: int = 50, after: Optional[str] = None) -> Optional[PortfolioConnection]:
        return PortfolioConnection.van(await portfolio.pagina(info.context, self.rij.id, first, after))

    @zichtbaar(Z)
    def portfolio_openbaar(self) -> Optional[bool]:
        return self.rij.portfolio_openbaar

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
    def van(p: Pagina[m.Leraar]) -> "LeraarConnection":
        edges = [LeraarEdge(node=Leraar.van(r), cursor=paginering.cursor(p.offset + i)) for i, r in enumerate(p.items)]
        return LeraarConnection(edges=edges, page_info=page_info(p), total_count=p.totaal)


from .invoer import MedewerkerFilter  # noqa: E402  (resolves the lazy annotation above)
