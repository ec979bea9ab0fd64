"""The register's object types. Every field declares its audiences with `zichtbaar(...)`.

Each object carries `onderwerp`: whose data it is, so the one enforcement point can decide.
Types whose fields take their parent's audiences repeat that parent field's declaration.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any

import strawberry
from strawberry.types import Info
from strawberry.types.nodes import SelectedField

from .. import models as m
from ..auth import policy
from ..auth.policy import Doelgroep, Onderwerp
from ..regels import naam as naamregels
from ..regels import waarschuwingen as w
from ..resolvers import herregistratie, inzagelog, leraren, paginering, portfolio
from ..resolvers.loaders import NIET, klaar
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
from .inzagelog import InzagelogConnection
from .relay import PageInfo, page_info
from .zichtbaarheid import structureel, zichtbaar

P, Z, W, T = Doelgroep.PUBLIEK, Doelgroep.LERAAR_ZELF, Doelgroep.WERKGEVER, Doelgroep.MET_TOESTEMMING
SZ, AZ, DUO, BG = Doelgroep.SCHOOLBESTUUR_ZELF, Doelgroep.AANBIEDER_ZELF, Doelgroep.DUO, Doelgroep.BEROEPSGROEP
Ctx = Info[Verzoek, None]


def _namen(selecties: list[Any], in_bevoegdheden: bool = False) -> set[str]:
    uit: set[str] = set()
    for sel in selecties:
        if isinstance(sel, SelectedField):
            uit.add(f"bevoegdheden.{sel.name}" if in_bevoegdheden else sel.name)
            if sel.name == "bevoegdheden" and not in_bevoegdheden:
                uit |= _namen(sel.selections, True)
        else:  # a fragment: its fields count as the parent's
            uit |= _namen(sel.selections, in_bevoegdheden)
    return uit


def _kinderen(selecties: list[Any], naam: str) -> list[Any]:
    uit: list[Any] = []
    for sel in selecties:
        if isinstance(sel, SelectedField):
            if sel.name == naam:
                uit.extend(sel.selections)
        else:
            uit.extend(_kinderen(sel.selections, naam))
    return uit


def knoop_velden(info: Ctx) -> set[str]:
    """The fields asked of each node of the connection this field returns (edges { node { ... } })."""
    return _namen(_kinderen(_kinderen(info.selected_fields[0].selections, "edges"), "node"))


def van_leraar(leraar_id: int) -> Onderwerp:
    return Onderwerp(leraar_id=leraar_id)


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
        filter: Annotated[MedewerkerFilter, strawberry.lazy(".invoer")] | None = None,
        first: int | None = 50,
        after: str | None = None,
        gewijzigd_sinds: dt.datetime | None = None,
    ) -> LeraarConnection | None:
        status = filter.registratiestatus.value if filter and filter.registratiestatus else None
        met = filter.met_waarschuwing if filter else None
        p = await leraren.medewerkers(info.context, self.id_, status, met, gewijzigd_sinds, first, after)
        await leraren.laad_pagina_vooruit(info.context, p.items, knoop_velden(info))
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

    # Fields below answer at once when their page loaded them ahead (leraren.laad_pagina_vooruit),
    # and wait for their loader otherwise.

    @zichtbaar(Z, W, description="The period containing today; null when not chosen for herregistratie.")
    def herregistratie(self, info: Ctx) -> Herregistratie | None:
        standen = info.context.loaders.standen
        if self.rij.id not in standen:
            return self._herregistratie(info)  # type: ignore[return-value]
        stand = standen[self.rij.id]
        return Herregistratie.van(stand, self.onderwerp) if stand else None

    async def _herregistratie(self, info: Ctx) -> Herregistratie | None:
        stand = await herregistratie.huidige_periode(info.context, self.rij)
        return Herregistratie.van(stand, self.onderwerp) if stand else None

    @zichtbaar(Z, W, description="The standing aantekening (STAAT), else null.")
    def aantekening(self, info: Ctx) -> Aantekening | None:
        staande = info.context.loaders.staande
        if self.rij.id not in staande:
            return self._aantekening(info)  # type: ignore[return-value]
        rij = staande[self.rij.id]
        return Aantekening.van(rij, self.onderwerp) if rij else None

    async def _aantekening(self, info: Ctx) -> Aantekening | None:
        rij = await herregistratie.staande_aantekening(info.context, self.rij)
        return Aantekening.van(rij, self.onderwerp) if rij else None

    @zichtbaar(Z, W, description="Every period, newest first.")
    async def herregistraties(self, info: Ctx) -> list[Herregistratie] | None:
        standen = await herregistratie.perioden(info.context, self.rij)
        return [Herregistratie.van(s, self.onderwerp) for s in standen]

    @zichtbaar(Z, W, description="Every aantekening, newest first.")
    async def aantekeningen(self, info: Ctx) -> list[Aantekening] | None:
        rijen = await info.context.loaders.aantekeningen_by_bevoegdheid.load(self.rij.id)
        return [Aantekening.van(r, self.onderwerp) for r in rijen]


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
    def bevoegdheid(self, info: Ctx) -> Bevoegdheid | None:
        if self.bevoegdheid_id is None:
            return None
        rij = klaar(info.context.loaders.bevoegdheid_by_id, self.bevoegdheid_id)  # its page read it already
        if rij is NIET:
            return self._bevoegdheid(info)  # type: ignore[return-value]
        return Bevoegdheid.van(rij) if rij else None

    async def _bevoegdheid(self, info: Ctx) -> Bevoegdheid | None:
        rij = await info.context.loaders.bevoegdheid_by_id.load(self.bevoegdheid_id)
        return Bevoegdheid.van(rij) if rij else None


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

    @zichtbaar(Z, T)
    def bevoegdheden(self, info: Ctx) -> list[Bevoegdheid]:
        loaders = info.context.loaders
        ids = klaar(loaders.bevoegdheden_by_activiteit, self.id_)
        rijen = [] if ids is NIET else [klaar(loaders.bevoegdheid_by_id, i) for i in ids]
        if ids is NIET or any(r is NIET for r in rijen):
            return self._bevoegdheden(info)  # type: ignore[return-value]
        return [Bevoegdheid.van(r) for r in rijen if r is not None]

    async def _bevoegdheden(self, info: Ctx) -> list[Bevoegdheid]:
        ids = await info.context.loaders.bevoegdheden_by_activiteit.load(self.id_)
        rijen = await info.context.loaders.bevoegdheid_by_id.load_many(ids)
        return [Bevoegdheid.van(r) for r in rijen if r is not None]


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

    @zichtbaar(P)
    def bevoegdheden(self, info: Ctx) -> list[Bevoegdheid]:
        rijen = klaar(info.context.loaders.bevoegdheden_by_leraar, self.id_)
        if rijen is NIET:
            return self._bevoegdheden(info)  # type: ignore[return-value]
        return [Bevoegdheid.van(r) for r in rijen]

    async def _bevoegdheden(self, info: Ctx) -> list[Bevoegdheid]:
        rijen = await info.context.loaders.bevoegdheden_by_leraar.load(self.id_)
        return [Bevoegdheid.van(r) for r in rijen]

    async def _eigen_bestuur(self, info: Ctx) -> int | None:
        """A board that is only a current employer sees the rows of its own board."""
        groepen = await info.context.inzage.van(self.onderwerp)
        return await info.context.inzage.eigen_bestuur_id() if policy.alleen_eigen_bestuur(groepen) else None

    @zichtbaar(Z, W, DUO, description="A WERKGEVER sees its own board's rows only.")
    async def benoemingen(self, info: Ctx) -> list[Benoeming] | None:
        rijen = await info.context.loaders.benoemingen_by_leraar.load(self.id_)
        bestuur = await self._eigen_bestuur(info)
        return [Benoeming.van(b, s, self.onderwerp) for b, s in rijen if bestuur is None or s.id == bestuur]

    @zichtbaar(Z, W, DUO, description="A WERKGEVER sees its own board's rows only.")
    def voorportaal(self, info: Ctx) -> list[Voorportaalinschrijving] | None:
        rijen = klaar(info.context.loaders.voorportaal_by_leraar, self.id_)
        bekend, bestuur = info.context.inzage.alleen_bestuur(self.id_)
        if rijen is NIET or not bekend:  # not loaded with its page: wait for it
            return self._voorportaal(info)  # type: ignore[return-value]
        return self._inschrijvingen(rijen, bestuur)

    async def _voorportaal(self, info: Ctx) -> list[Voorportaalinschrijving]:
        rijen = await info.context.loaders.voorportaal_by_leraar.load(self.id_)
        return self._inschrijvingen(rijen, await self._eigen_bestuur(info))

    def _inschrijvingen(self, rijen: list[Any], bestuur: int | None) -> list[Voorportaalinschrijving]:
        return [
            Voorportaalinschrijving.van(v, s, self.onderwerp) for v, s in rijen if bestuur is None or s.id == bestuur
        ]

    @zichtbaar(Z, W)
    def waarschuwingen(self, info: Ctx) -> list[Waarschuwing] | None:
        items = info.context.loaders.waarschuwingen.get(self.id_)
        if items is None:
            return self._waarschuwingen(info)  # type: ignore[return-value]
        return [Waarschuwing.van(i, self.onderwerp) for i in items]

    async def _waarschuwingen(self, info: Ctx) -> list[Waarschuwing] | None:
        items = await leraren.waarschuwingen(info.context, self.rij)
        return [Waarschuwing.van(i, self.onderwerp) for i in items]

    @zichtbaar(Z, T, description="Newest datum first.")
    async def portfolio(
        self, info: Ctx, first: int | None = 50, after: str | None = None
    ) -> PortfolioConnection | None:
        p = await portfolio.pagina(info.context, self.id_, first, after)
        if "bevoegdheden" in knoop_velden(info):  # loaded with the page, not per entry
            loaders = info.context.loaders
            per_activiteit = await loaders.bevoegdheden_by_activiteit.load_many([r.id for r in p.items])
            await loaders.bevoegdheid_by_id.load_many(sorted({i for ids in per_activiteit for i in ids}))
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


from .invoer import MedewerkerFilter  # noqa: E402  (resolves the lazy annotation above)
