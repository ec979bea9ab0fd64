"""Loading the demo plan through the register's own operations (see the package docstring)."""

from __future__ import annotations

import datetime as dt
import heapq
import itertools
import math
import random
import re
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from ..auth.viewer import AanbiederViewer, BeroepsgroepViewer, DuoViewer, LeraarViewer, Viewer
from ..db import make_engine, make_sessionmaker
from ..models import Leraar
from ..regels import datums
from ..regels.bsn import bsn_hash
from ..regels.herregistratie import verwacht_aandeel
from ..resolvers.verzoek import Db, Verzoek
from ..schema import bouw_schema
from ..settings import Settings
from .gegevens import AANBIEDERS, PO_VAK, TITELS
from .plan import ZAAD, DemoLeraar, demo_plan, willekeurige_dag

# The beroepsgroep assessed the periods that ended before this many days ago; objections run 42 days.
BEOORDEELD_DAGEN_GELEDEN = 21
ACTIVITEITEN_PER_VERZOEK = 40
Stap = Callable[[], Awaitable[None]]  # one operation of the demo's history
_LANGE_GETALLEN = re.compile(r"\d{6,}")

KLAARZETTEN = """mutation Klaarzetten($leveringen: [Levering!]!) {
  zetGegevensKlaar(leveringen: $leveringen) { registernummers }
}"""
# DUO reads back what it delivered; the bevoegdheid ids are what the teachers confirm with.
GELEVERD = """query Geleverd($nummers: [String!]!) {
  leraren(registernummers: $nummers) { registernummer bevoegdheden { id vak } }
}"""
PUBLICEER = """mutation Publiceer($invoer: CatalogusActiviteitInvoer!) {
  publiceerActiviteit(invoer: $invoer) { id titel uren gebied }
}"""
BEVESTIG = """mutation Bevestig($ids: [ID!]!) {
  bevestigRegistratie(herregistratieBevoegdheden: $ids) { registratie { status } }
}"""
CORRIGEER = """mutation Corrigeer($achternaam: String!) {
  corrigeerPersoonsgegevens(invoer: { achternaam: $achternaam }) { registernummer }
}"""
MELD_FOUT = """mutation MeldFout($bevoegdheid: ID!, $toelichting: String!) {
  meldFout(bevoegdheid: $bevoegdheid, toelichting: $toelichting) { id }
}"""
BEOORDEEL = """mutation Beoordeel($peildatum: Date!) {
  beoordeelHerregistraties(peildatum: $peildatum) { beoordeeld voldaan nietVoldaan }
}"""
IK_AANTEKENINGEN = "{ ik { bevoegdheden { aantekening { id } } } }"
BEZWAAR = """mutation Bezwaar($aantekening: ID!, $motivering: String!) {
  dienBezwaarIn(aantekening: $aantekening, motivering: $motivering) { id status }
}"""


class Uitvoerder:
    """Runs one GraphQL operation as the server would: a fresh session, commit only without errors."""

    def __init__(self, settings: Settings, maker: Any):
        self.settings = settings
        self.maker = maker
        self.schema = bouw_schema()

    async def __call__(
        self, viewer: Viewer, vandaag: dt.date, document: str, variabelen: dict[str, Any] | None = None
    ) -> dict[str, Any]:
        db = Db(self.maker)
        uitkomst = None
        try:
            uitkomst = await self.schema.execute(
                document, variable_values=variabelen, context_value=Verzoek(self.settings, db, viewer, vandaag)
            )
        finally:
            await db.close(commit=uitkomst is not None and not uitkomst.errors)
        if uitkomst.errors:
            # A coercion error can quote the input: long digit runs (a BSN) are blanked before it is shown.
            bericht = _LANGE_GETALLEN.sub("…", uitkomst.errors[0].message)
            raise RuntimeError(f"demo data: the register refused an operation: {bericht}")
        assert uitkomst.data is not None
        return uitkomst.data


def _levering(leraar: DemoLeraar, bevoegdheden: Iterable[tuple[str, str, dt.date]]) -> dict[str, Any]:
    return {
        "bsn": leraar.bsn,
        "voornamen": leraar.voornamen,
        "tussenvoegsel": leraar.tussenvoegsel,
        "achternaam": leraar.duo_achternaam or leraar.achternaam,
        "geboortedatum": leraar.geboortedatum.isoformat(),
        "bevoegdheden": [{"vak": v, "soort": s, "behaaldOp": d.isoformat()} for v, s, d in bevoegdheden],
        "benoemingen": [
            {
                "bevoegdGezagNummer": b.nummer,
                "schoolbestuurNaam": b.naam,
                "vak": vak,
                "begindatum": begin.isoformat(),
                "einddatum": einde.isoformat() if einde else None,
            }
            for b, vak, begin, einde in leraar.benoemingen
        ],
    }


@dataclass(frozen=True)
class CatalogusItem:
    id: str
    titel: str
    uren: float
    gebied: str


def _activiteiten_in(
    rng: random.Random,
    vak: str,
    ids: list[str],
    van: dt.date,
    tot: dt.date,
    doel: float,
    catalogus: list[CatalogusItem],
) -> list[dict[str, Any]]:
    """About `doel` hours dated between van and tot, spread so that every criterion grows alike.

    No `doel` (the first year of a period expects nothing): a study day or two, or nothing yet.
    """
    if doel <= 0:
        return [
            {
                "titel": rng.choice(TITELS[g]).format(vak=vak),
                "datum": willekeurige_dag(rng, van, tot).isoformat(),
                "uren": rng.choice((4.0, 6.0, 8.0)),
                "gebied": g,
                "bevoegdheden": ids,
            }
            for g in rng.sample(list(TITELS), rng.choice((0, 1, 1, 2)))
        ]
    # Shares keep vakinhoudelijk above 25% and the three areas above 62.5% (40 and 100 of 160).
    vakinhoudelijk = rng.uniform(0.30, 0.40)
    vakdidactisch = rng.uniform(0.20, 0.28)
    overig = rng.choice((0.0, 0.0, rng.uniform(0.05, 0.15)))
    verdeling = {
        "VAKINHOUDELIJK": vakinhoudelijk,
        "VAKDIDACTISCH": vakdidactisch,
        "PEDAGOGISCH": 1.0 - vakinhoudelijk - vakdidactisch - overig,
        "OVERIG": overig,
    }
    uit: list[dict[str, Any]] = []
    for gebied, deel in verdeling.items():
        uren = float(math.ceil(doel * deel))  # whole hours, rounded up: never below the share aimed at
        passend = [c for c in catalogus if c.gebied == gebied and c.uren + 4 <= uren]
        if passend and rng.random() < 0.35:
            # From the catalogue: hours and area come from the provider's activity.
            c = rng.choice(passend)
            uit.append(
                {
                    "titel": c.titel,
                    "datum": willekeurige_dag(rng, van, tot).isoformat(),
                    "uren": c.uren,
                    "gebied": gebied,
                    "bevoegdheden": ids,
                    "catalogusActiviteit": c.id,
                }
            )
            uren -= c.uren
        if uren <= 0:
            continue
        # Courses, study days, conferences and longer trainings (contact plus self-study hours).
        stukken = max(1, round(uren / rng.uniform(30.0, 60.0)))
        per_stuk = float(round(uren / stukken))
        for n in range(stukken):
            deze = per_stuk if n < stukken - 1 else uren - per_stuk * (stukken - 1)
            uit.append(
                {
                    "titel": rng.choice(TITELS[gebied]).format(vak=vak),
                    "datum": willekeurige_dag(rng, van, tot).isoformat(),
                    "uren": deze,
                    "gebied": gebied,
                    "bevoegdheden": ids,
                }
            )
    return uit


def _portfolio(
    leraar: DemoLeraar, start: dt.date, vandaag: dt.date, ids: list[str], catalogus: list[CatalogusItem]
) -> list[dict[str, Any]]:
    """Hours at `tempo` times the pace rule's expectation today; a period that ended gets its full share."""
    rng = random.Random(ZAAD * 1000 + leraar.nummer)
    vak = leraar.bevoegdheden[0][0] if leraar.bevoegdheden else "het vak"
    if vak == PO_VAK:
        vak = rng.choice(("rekenen-wiskunde", "taal en lezen", "wereldoriëntatie"))
    einde = datums.periode_einde(start)
    if einde < vandaag:
        uit = _activiteiten_in(rng, vak, ids, start, einde, leraar.tempo * 160.0, catalogus)
        volgende = datums.volgende_periode_start(einde)
        doel = verwacht_aandeel(volgende, datums.periode_einde(volgende), vandaag) * 1.2 * 160.0
        return uit + _activiteiten_in(rng, vak, ids, volgende, vandaag, doel, catalogus)
    doel = min(verwacht_aandeel(start, einde, vandaag) * leraar.tempo, 1.25) * 160.0
    return _activiteiten_in(rng, vak, ids, start, vandaag, doel, catalogus)


def _portfolio_document(invoeren: list[dict[str, Any]], openbaar: bool) -> tuple[str, dict[str, Any]]:
    """Many portfolio entries in one request: the fields of a mutation run one after the other."""
    koppen = [f"$a{i}: ActiviteitInvoer!" for i in range(len(invoeren))]
    velden = [f"a{i}: voegActiviteitToe(invoer: $a{i}) {{ id }}" for i in range(len(invoeren))]
    if openbaar:
        velden.append("openbaar: zetPortfolioOpenbaar(openbaar: true) { portfolioOpenbaar }")
    kop = f"({', '.join(koppen)})" if koppen else ""
    return f"mutation Portfolio{kop} {{ {' '.join(velden)} }}", {f"a{i}": v for i, v in enumerate(invoeren)}


async def laad_demodata(settings: Settings) -> None:
    """Fill an empty register with the demo; a register that has teachers is left alone."""
    engine = make_engine(settings.database_url)
    try:
        maker = make_sessionmaker(engine)
        async with maker() as session:
            if (await session.execute(select(func.count()).select_from(Leraar))).scalar_one():
                return
        await _Lader(settings, Uitvoerder(settings, maker)).vul()
    finally:
        await engine.dispose()


class _Lader:
    """Plays the demo's history in date order; each step is one operation of the register."""

    def __init__(self, settings: Settings, voer_uit: Uitvoerder):
        self.settings = settings
        self.voer_uit = voer_uit
        self.vandaag = settings.today()
        self.peildatum = self.vandaag - dt.timedelta(days=BEOORDEELD_DAGEN_GELEDEN)
        self.catalogus: list[CatalogusItem] = []
        self.bevoegdheden: dict[str, list[dict[str, str]]] = {}  # per BSN, as DUO read them back
        self._agenda: list[tuple[dt.date, int, int, Stap]] = []
        self._volgorde = itertools.count()

    def plan_in(self, dag: dt.date, rang: int, stap: Stap) -> None:
        """Steps run by date; on one day by rang (deliveries 0, confirmations 2, portfolios 3, ...)."""
        heapq.heappush(self._agenda, (dag, rang, next(self._volgorde), stap))

    def leraar(self, leraar: DemoLeraar) -> LeraarViewer:
        return LeraarViewer(bsn_hash=bsn_hash(self.settings.bsn_key, leraar.bsn))

    async def vul(self) -> None:
        plan = demo_plan(self.vandaag)
        eerste = min(x.geleverd_op for x in plan)
        for code, naam, activiteiten in AANBIEDERS:
            for invoer in activiteiten:
                self.plan_in(eerste, -1, self._publiceer(AanbiederViewer(code=code, naam=naam), eerste, invoer))

        per_dag: dict[dt.date, list[dict[str, Any]]] = {}
        for leraar in plan:
            per_dag.setdefault(leraar.geleverd_op, []).append(_levering(leraar, leraar.bevoegdheden))
            if leraar.bevoegd_geworden:
                dag, bevoegdheid = leraar.bevoegd_geworden
                leraar.bevoegdheden = [*leraar.bevoegdheden, bevoegdheid]
                per_dag.setdefault(dag, []).append(_levering(leraar, leraar.bevoegdheden))
            if leraar.bevestigd_op:
                self.plan_in(leraar.bevestigd_op, 2, self._bevestig(leraar, leraar.bevestigd_op))
            if "foutmelding" in leraar.kenmerken:
                self.plan_in(self.vandaag - dt.timedelta(days=3), 5, self._meld_fout(leraar))
            if "bezwaar" in leraar.kenmerken:
                self.plan_in(self.vandaag - dt.timedelta(days=2), 5, self._bezwaar(leraar))
        for dag, leveringen in per_dag.items():
            self.plan_in(dag, 0, self._klaarzetten(dag, leveringen))
        self.plan_in(self.peildatum, 4, self._beoordeel())

        while self._agenda:
            *_, stap = heapq.heappop(self._agenda)
            await stap()

    def _publiceer(self, viewer: AanbiederViewer, dag: dt.date, invoer: tuple[Any, ...]) -> Stap:
        async def stap() -> None:
            titel, soort, contact, zelfstudie, gebied, toetsing = invoer
            data = await self.voer_uit(
                viewer,
                dag,
                PUBLICEER,
                {
                    "invoer": {
                        "titel": titel,
                        "soort": soort,
                        "contacturen": contact,
                        "zelfstudieuren": zelfstudie,
                        "gebied": gebied,
                        "toetsing": toetsing,
                    }
                },
            )
            a = data["publiceerActiviteit"]
            self.catalogus.append(CatalogusItem(a["id"], a["titel"], a["uren"], a["gebied"]))

        return stap

    def _klaarzetten(self, dag: dt.date, leveringen: list[dict[str, Any]]) -> Stap:
        async def stap() -> None:
            data = await self.voer_uit(DuoViewer(), dag, KLAARZETTEN, {"leveringen": leveringen})
            nummers = data["zetGegevensKlaar"]["registernummers"]
            bsn_van = {n: lev["bsn"] for n, lev in zip(nummers, leveringen, strict=True)}
            for i in range(0, len(nummers), 100):
                terug = await self.voer_uit(DuoViewer(), dag, GELEVERD, {"nummers": nummers[i : i + 100]})
                for leraar in terug["leraren"]:
                    self.bevoegdheden[bsn_van[leraar["registernummer"]]] = leraar["bevoegdheden"]

        return stap

    def _bevestig(self, leraar: DemoLeraar, dag: dt.date) -> Stap:
        async def stap() -> None:
            viewer = self.leraar(leraar)
            eigen = self.bevoegdheden[leraar.bsn]
            gekozen = [b["id"] for b in eigen] if leraar.alle_kiezen else [eigen[0]["id"]]
            await self.voer_uit(viewer, dag, BEVESTIG, {"ids": gekozen})
            if leraar.duo_achternaam:
                await self.voer_uit(viewer, dag, CORRIGEER, {"achternaam": leraar.achternaam})
            invoeren = sorted(_portfolio(leraar, dag, self.vandaag, gekozen, self.catalogus), key=lambda a: a["datum"])
            # Entries are written on the day they could first be written, so the assessment sees them.
            na = invoeren
            if datums.periode_einde(dag) < self.peildatum:
                voor = [a for a in invoeren if dt.date.fromisoformat(a["datum"]) < self.peildatum]
                na = invoeren[len(voor) :]
                self.plan_in(self.peildatum, 3, self._portfolio(leraar, self.peildatum, voor, False))
            self.plan_in(self.vandaag, 3, self._portfolio(leraar, self.vandaag, na, leraar.openbaar))

        return stap

    def _portfolio(self, leraar: DemoLeraar, dag: dt.date, invoeren: list[dict[str, Any]], openbaar: bool) -> Stap:
        async def stap() -> None:
            viewer = self.leraar(leraar)
            delen = [
                invoeren[i : i + ACTIVITEITEN_PER_VERZOEK] for i in range(0, len(invoeren), ACTIVITEITEN_PER_VERZOEK)
            ] or [[]]
            for n, deel in enumerate(delen):
                laatste = n == len(delen) - 1
                if deel or (laatste and openbaar):
                    document, variabelen = _portfolio_document(deel, openbaar and laatste)
                    await self.voer_uit(viewer, dag, document, variabelen)

        return stap

    def _beoordeel(self) -> Stap:
        async def stap() -> None:
            await self.voer_uit(
                BeroepsgroepViewer(), self.peildatum, BEOORDEEL, {"peildatum": self.peildatum.isoformat()}
            )

        return stap

    def _meld_fout(self, leraar: DemoLeraar) -> Stap:
        async def stap() -> None:
            dag = self.vandaag - dt.timedelta(days=3)
            engels = next(b for b in self.bevoegdheden[leraar.bsn] if b["vak"] == "Engels")
            await self.voer_uit(
                self.leraar(leraar),
                dag,
                MELD_FOUT,
                {
                    "bevoegdheid": engels["id"],
                    "toelichting": "Mijn bevoegdheid Engels is eerstegraads (behaald aan de lerarenopleiding), "
                    "niet tweedegraads.",
                },
            )

        return stap

    def _bezwaar(self, leraar: DemoLeraar) -> Stap:
        async def stap() -> None:
            dag = self.vandaag - dt.timedelta(days=2)
            viewer = self.leraar(leraar)
            data = await self.voer_uit(viewer, dag, IK_AANTEKENINGEN)
            staand = [b["aantekening"]["id"] for b in data["ik"]["bevoegdheden"] if b["aantekening"]]
            await self.voer_uit(
                viewer,
                dag,
                BEZWAAR,
                {
                    "aantekening": staand[0],
                    "motivering": "Ik was een half jaar met zwangerschapsverlof; daardoor kon ik de "
                    "nascholing niet volgen. Ik vraag om de aantekening in te trekken.",
                },
            )

        return stap


# ---------------------------------------------------------------------------------------------
# The banner
