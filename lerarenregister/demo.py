"""Demo data and the demo banner: a register with school boards and some 300 teachers to try.

Everything is made through the register's own operations (the GraphQL schema with a real viewer
and a real Verzoek, one session and one commit per operation, as the server does), never by raw
SQL: DUO delivers (klaarzetten), teachers confirm and choose bevoegdheden, keep a portfolio and
give consent. History is made by running an operation with a Verzoek whose "today" lies in the
past (a delivery four years ago, a confirmation two years ago). All dates are offsets from the
register's today, so the demo shows the same situations whenever it is loaded, and the choice of
people comes from one seeded random generator, so every load makes the same register.
"""
from __future__ import annotations

import asyncio
import datetime as dt
import json
import random
import shlex
from dataclasses import dataclass, field
from typing import Any, Iterable

from sqlalchemy import func, select

from .auth.viewer import DuoViewer, LeraarViewer, Viewer
from .db import make_engine, make_sessionmaker
from .models import Leraar
from .regels import datums
from .regels.bsn import bsn_hash, elfproef
from .regels.herregistratie import verwacht_aandeel
from .regels.naam import voorletters, weergavenaam
from .resolvers.verzoek import Db, Verzoek
from .schema import bouw_schema
from .settings import Settings

ZAAD = 20190801
AANTAL_LERAREN = 300
# DUO's first delivery: a little over four years before today, so every period is still running.
EERSTE_LEVERING_DAGEN = 4 * 365 + 40
ACTIVITEITEN_PER_VERZOEK = 40


@dataclass(frozen=True)
class Bestuur:
    nummer: str
    naam: str
    sector: str  # po, vo or mbo


BESTUREN = (
    Bestuur("31842", "Stichting Openbaar Primair Onderwijs Waterland", "po"),
    Bestuur("27615", "Vereniging voor Christelijk Primair Onderwijs De Vallei", "po"),
    Bestuur("41207", "Stichting Voortgezet Onderwijs Amstelland", "vo"),
    Bestuur("40583", "Vereniging Katholiek Voortgezet Onderwijs Oost-Brabant", "vo"),
    Bestuur("42976", "Stichting Scholengemeenschap Rijn en IJssel", "vo"),
    Bestuur("30519", "Stichting Regionaal Opleidingencentrum Zuidwest-Friesland", "mbo"),
)
UITGELICHT_BESTUUR = BESTUREN[2]

VO_VAKKEN = ("Wiskunde", "Nederlands", "Engels", "Geschiedenis", "Biologie", "Lichamelijke opvoeding",
             "Aardrijkskunde", "Frans", "Duits", "Natuurkunde", "Scheikunde", "Economie")
VO_GEWICHTEN = (14, 14, 12, 8, 8, 8, 5, 5, 5, 5, 4, 4)
MBO_VAKKEN = ("Nederlands", "Engels", "Rekenen", "Economie", "Zorg en welzijn", "Techniek")
PO_VAK = "Basisonderwijs"

VOORNAMEN = (
    "Anna", "Maria", "Sanne", "Lotte", "Emma", "Noor", "Fleur", "Iris", "Eva", "Femke", "Marieke", "Renée",
    "Chloë", "Zoë", "Inge", "Esther", "Fatima", "Samira", "Elif", "Ayşe", "Merel", "Karin", "Judith", "Hanneke",
    "Jan", "Pieter", "Daan", "Bram", "Thijs", "Sander", "Ruben", "Joost", "Willem", "Hendrik", "Joël", "André",
    "José", "Mohammed", "Yusuf", "Emre", "Kees", "Gerrit", "Mark", "Jeroen", "Bas", "Niels", "Koen", "Stijn",
)
ACHTERNAMEN = (
    ("de", "Vries"), ("van", "Dijk"), ("van der", "Meer"), ("de", "Jong"), ("van den", "Berg"), (None, "Bakker"),
    (None, "Müller"), (None, "Çelik"), (None, "Ünal"), (None, "Brouwer"), (None, "Yılmaz"), (None, "Öztürk"),
    (None, "Janssen"), ("ten", "Hove"), ("in 't", "Veld"), ("van 't", "Hof"), (None, "El Amrani"),
    (None, "Bouzid"), (None, "Kowalski"), (None, "Nguyen"), (None, "Smit"), (None, "Visser"), ("de", "Groot"),
    (None, "Mulder"), (None, "Peters"), (None, "Hendriks"), ("van", "Leeuwen"), (None, "Dekker"),
    (None, "Verhoeven"), (None, "Schouten"), ("van", "Beek"), (None, "Hoekstra"), (None, "Postma"),
    (None, "Dijkstra"), (None, "Kuipers"), (None, "Meijer"), (None, "Sánchez"), (None, "Şahin"),
    ("van", "Wijk"), ("ter", "Horst"), ("de", "Boer"), (None, "Bosman"),
)

TITELS = {
    "VAKINHOUDELIJK": ("Masterclass {vak}", "Nascholing {vak}: het nieuwe examenprogramma", "Vakdag {vak}",
                       "Summerschool {vak}", "Actuele ontwikkelingen in het vak {vak}", "Vakconferentie {vak}"),
    "VAKDIDACTISCH": ("Formatief evalueren in de les {vak}", "Didactiek van {vak}: activerende werkvormen",
                      "Differentiëren in de klas", "Werken met leerlijnen", "Lesson study met collega's",
                      "Digitale leermiddelen inzetten in de les"),
    "PEDAGOGISCH": ("Klassenmanagement en groepsdynamiek", "Omgaan met gedragsproblemen in de klas",
                    "Mentoraat en loopbaanbegeleiding", "Passend onderwijs: ondersteuningsbehoeften",
                    "Sociale veiligheid op school", "Omgaan met hoogbegaafde leerlingen"),
    "OVERIG": ("Werkgroep schoolontwikkeling", "Begeleiding van stagiairs", "Collegiale visitatie",
               "Intervisie met collega's", "Bedrijfshulpverlening: herhaling"),
}


@dataclass
class DemoLeraar:
    """One demo teacher as DUO knows them, and what they do in the register."""

    bsn: str
    voornamen: str
    tussenvoegsel: str | None
    achternaam: str
    geboortedatum: dt.date
    bevoegdheden: list[tuple[str, str, dt.date]]          # (vak, soort, behaaldOp)
    benoemingen: list[tuple[Bestuur, str, dt.date, dt.date | None]]  # (board, vak, begin, einde)
    geleverd_op: dt.date
    bevestigd_op: dt.date | None = None
    alle_kiezen: bool = True
    tempo: float = 1.3         # hours reached as a share of the expected hours today
    openbaar: bool = False
    # A later delivery, with the bevoegdheid that the teacher obtained meanwhile.
    bevoegd_geworden: tuple[dt.date, tuple[str, str, dt.date]] | None = None
    kenmerken: set[str] = field(default_factory=set)

    @property
    def weergavenaam(self) -> str:
        return weergavenaam(voorletters(self.voornamen), self.tussenvoegsel, self.achternaam)


def _jaren_terug(dag: dt.date, jaren: int) -> dt.date:
    try:
        return dag.replace(year=dag.year - jaren)
    except ValueError:  # 29 February
        return dag.replace(year=dag.year - jaren, day=28)


def _dag(rng: random.Random, van: dt.date, tot: dt.date) -> dt.date:
    if tot <= van:
        return van
    return van + dt.timedelta(days=rng.randint(0, (tot - van).days))


def _eerste_van_volgende_maand(dag: dt.date) -> dt.date:
    return (dag.replace(day=1) + dt.timedelta(days=32)).replace(day=1)


def _bsns(rng: random.Random, aantal: int) -> list[str]:
    """Valid BSNs from the 9999xxxxx range that test environments use, so none is a real person's."""
    gezien: set[str] = set()
    uit: list[str] = []
    while len(uit) < aantal:
        romp = "9999" + f"{rng.randrange(10_000):04d}"
        rest = sum(w * int(c) for w, c in zip(range(9, 1, -1), romp)) % 11
        kandidaat = romp + str(rest)
        if rest < 10 and elfproef(kandidaat) and kandidaat not in gezien:
            gezien.add(kandidaat)
            uit.append(kandidaat)
    return uit


def _voorportaal_begin_verloopt(vandaag: dt.date, dagen_over: int) -> dt.date:
    """An appointment start whose two-year voorportaal term ends `dagen_over` days from today."""
    return _jaren_terug(vandaag + dt.timedelta(days=dagen_over + 1), datums.VOORPORTAAL_JAREN)


def demo_plan(vandaag: dt.date) -> list[DemoLeraar]:
    """The demo teachers, the same people every time; dates are offsets from `vandaag`."""
    rng = random.Random(ZAAD)
    t0 = vandaag - dt.timedelta(days=EERSTE_LEVERING_DAGEN)
    bsns = _bsns(rng, AANTAL_LERAREN)
    besturen = {s: [b for b in BESTUREN if b.sector == s] for s in ("po", "vo", "mbo")}
    leraren: list[DemoLeraar] = []

    for i, bsn in enumerate(bsns):
        sector = rng.choices(("po", "vo", "mbo"), weights=(35, 55, 10))[0]
        leeftijd = rng.randint(25, 63)
        geboren = _dag(rng, _jaren_terug(vandaag, leeftijd + 1), _jaren_terug(vandaag, leeftijd))
        tussenvoegsel, achternaam = rng.choice(ACHTERNAMEN)
        namen = rng.sample(VOORNAMEN, 2)
        voornamen = " ".join(namen) if rng.random() < 0.3 else namen[0]
        vroegst = _jaren_terug(geboren, -22)
        laatst = min(vandaag - dt.timedelta(days=60), _jaren_terug(geboren, -45))

        if sector == "po":
            vakken = [(PO_VAK, "PO")]
            if rng.random() < 0.12:  # vakleerkracht bewegingsonderwijs
                vakken.append(("Lichamelijke opvoeding", "TWEEDEGRAADS"))
        elif sector == "vo":
            aantal = rng.choices((1, 2, 3), weights=(60, 30, 10))[0]
            gekozen: list[str] = []
            while len(gekozen) < aantal:
                vak = rng.choices(VO_VAKKEN, weights=VO_GEWICHTEN)[0]
                if vak not in gekozen:
                    gekozen.append(vak)
            graad = "EERSTEGRAADS" if rng.random() < 0.4 else "TWEEDEGRAADS"
            vakken = [(v, graad) for v in gekozen]
        else:
            vakken = [(v, "PDG") for v in rng.sample(MBO_VAKKEN, rng.choice((1, 1, 2)))]
        bevoegdheden = [(vak, soort, _dag(rng, vroegst, laatst)) for vak, soort in vakken]

        eerste_bestuur = rng.choice(besturen[sector])
        begin = _dag(rng, max(bevoegdheden[0][2], t0 - dt.timedelta(days=20 * 365)),
                     vandaag - dt.timedelta(days=60))
        einde = None if rng.random() < 0.85 else vandaag + dt.timedelta(days=rng.randint(60, 900))
        benoemingen: list[tuple[Bestuur, str, dt.date, dt.date | None]] = [
            (eerste_bestuur, bevoegdheden[0][0], begin, einde)]
        if rng.random() < 0.25:
            # An earlier employer whose appointment has ended: that board now sees what the public sees.
            ander = rng.choice([b for b in BESTUREN if b.sector == sector and b != eerste_bestuur] or BESTUREN)
            oud_begin = _dag(rng, _jaren_terug(begin, 6), begin - dt.timedelta(days=400))
            benoemingen.append((ander, bevoegdheden[-1][0], oud_begin, begin - dt.timedelta(days=rng.randint(1, 200))))

        # DUO delivers a teacher who qualified after the first delivery at the start of the next month.
        laatste_bevoegdheid = max(b[2] for b in bevoegdheden)
        geleverd = t0 if laatste_bevoegdheid < t0 else _eerste_van_volgende_maand(laatste_bevoegdheid)
        leraar = DemoLeraar(bsn, voornamen, tussenvoegsel, achternaam, geboren, bevoegdheden, benoemingen,
                            geleverd_op=geleverd)
        soort = rng.random()
        if soort < 0.10:
            leraar.kenmerken.add("klaargezet")
        elif soort < 0.14:
            # New at the register: delivered weeks ago, not confirmed yet (a reminder after 31 days).
            leraar.geleverd_op = max(geleverd, vandaag - dt.timedelta(days=rng.randint(7, 75)))
            leraar.kenmerken.add("klaargezet")
        else:
            leraar.bevestigd_op = _dag(rng, geleverd + dt.timedelta(days=10), vandaag - dt.timedelta(days=20))
            leraar.alle_kiezen = rng.random() < 0.75
            leraar.openbaar = rng.random() < 0.12
            if rng.random() < 0.25 and (vandaag - leraar.bevestigd_op).days > 450:
                leraar.tempo = rng.uniform(0.15, 0.7)
                leraar.kenmerken.add("achter")
            else:
                leraar.tempo = rng.uniform(1.05, 1.7)
        if sector == "vo" and rng.random() < 0.07:
            # Covering a subject without the bevoegdheid for it: the voorportaal for that subject.
            vak = rng.choice([v for v in VO_VAKKEN if v not in {b[0] for b in bevoegdheden}])
            vp_begin = _dag(rng, vandaag - dt.timedelta(days=600), vandaag - dt.timedelta(days=30))
            leraar.benoemingen.append((eerste_bestuur, vak, vp_begin, None))
            leraar.kenmerken.add("voorportaal")
        leraren.append(leraar)

    _bijzondere_gevallen(rng, leraren, vandaag, t0)
    return leraren


def _bijzondere_gevallen(rng: random.Random, leraren: list[DemoLeraar], vandaag: dt.date, t0: dt.date) -> None:
    """The people the banner points at, and the cases a demo should show at least once."""
    bestuur = UITGELICHT_BESTUUR
    # 0: A.M. de Vries, mathematics teacher, behind schedule, covering physics with the term running out.
    a = leraren[0]
    a.voornamen, a.tussenvoegsel, a.achternaam = "Anna Maria", "de", "Vries"
    a.geboortedatum = dt.date(vandaag.year - 41, 3, 1)
    a.bevoegdheden = [("Wiskunde", "TWEEDEGRAADS", dt.date(vandaag.year - 18, 6, 30))]
    a.benoemingen = [(bestuur, "Wiskunde", dt.date(vandaag.year - 15, 8, 1), None),
                     (bestuur, "Natuurkunde", _voorportaal_begin_verloopt(vandaag, 45), None)]
    a.geleverd_op, a.bevestigd_op = t0, vandaag - dt.timedelta(days=2 * 365 + 100)
    a.alle_kiezen, a.tempo, a.openbaar = True, 0.35, False
    a.kenmerken = {"uitgelicht", "achter", "voorportaal"}

    # 1: a side-entrant (zij-instromer) without any bevoegdheid: only in the voorportaal, term ending soon.
    z = leraren[1]
    z.voornamen, z.tussenvoegsel, z.achternaam = "Mohammed", None, "El Amrani"
    z.bevoegdheden = []
    z.benoemingen = [(BESTUREN[3], "Scheikunde", _voorportaal_begin_verloopt(vandaag, 70), None)]
    z.geleverd_op, z.bevestigd_op = z.benoemingen[0][2], None
    z.kenmerken = {"zij-instromer", "voorportaal", "klaargezet"}

    # 2 and 3: side-entrants who obtained the bevoegdheid later; a second delivery closes their entry.
    for index, (vak, b) in ((2, ("Engels", BESTUREN[4])), (3, ("Biologie", bestuur))):
        s = leraren[index]
        begin = vandaag - dt.timedelta(days=3 * 365 + rng.randint(0, 60))
        s.bevoegdheden = []
        s.benoemingen = [(b, vak, begin, None)]
        s.geleverd_op = begin
        behaald = begin + dt.timedelta(days=600 + rng.randint(0, 60))
        s.bevoegd_geworden = (behaald + dt.timedelta(days=14), (vak, "TWEEDEGRAADS", behaald))
        s.bevestigd_op = behaald + dt.timedelta(days=30)
        s.alle_kiezen, s.tempo = True, 1.4
        s.kenmerken = {"zij-instromer", "bevoegd-geworden"}

    # A teacher whose period ends within six months with hours still missing.
    e = next(l for l in leraren[6:] if l.geleverd_op == t0 and l.bevoegdheden[0][1] != "PO")
    e.geleverd_op, e.bevestigd_op = t0, vandaag - dt.timedelta(days=4 * 365 - 150)
    e.tempo = 1.1  # on schedule, yet short of the full hours: the six-month notice
    e.kenmerken = (e.kenmerken - {"klaargezet", "achter"}) | {"periode-eindigt"}

    # 5: a teacher at the featured board who has not confirmed yet: try bevestigRegistratie with it.
    k = leraren[5]
    k.voornamen, k.tussenvoegsel, k.achternaam = "Fatima", None, "Öztürk"
    k.bevoegdheden = [("Nederlands", "EERSTEGRAADS", dt.date(vandaag.year - 9, 7, 1)),
                      ("Engels", "TWEEDEGRAADS", dt.date(vandaag.year - 6, 7, 1))]
    k.benoemingen = [(bestuur, "Nederlands", dt.date(vandaag.year - 3, 8, 1), None)]
    k.geleverd_op, k.bevestigd_op = t0, None
    k.kenmerken = {"klaargezet", "uitgelicht-klaargezet"}


def _levering(leraar: DemoLeraar, bevoegdheden: Iterable[tuple[str, str, dt.date]]) -> dict[str, Any]:
    return {
        "bsn": leraar.bsn, "voornamen": leraar.voornamen, "tussenvoegsel": leraar.tussenvoegsel,
        "achternaam": leraar.achternaam, "geboortedatum": leraar.geboortedatum.isoformat(),
        "bevoegdheden": [{"vak": v, "soort": s, "behaaldOp": d.isoformat()} for v, s, d in bevoegdheden],
        "benoemingen": [{"bevoegdGezagNummer": b.nummer, "schoolbestuurNaam": b.naam, "vak": vak,
                         "begindatum": begin.isoformat(), "einddatum": einde.isoformat() if einde else None}
                        for b, vak, begin, einde in leraar.benoemingen],
    }


KLAARZETTEN = """mutation Klaarzetten($leveringen: [Levering!]!) {
  zetGegevensKlaar(leveringen: $leveringen) { nieuw gewijzigd ongewijzigd }
}"""
IK_BEVOEGDHEDEN = "{ ik { bevoegdheden { id vak } } }"
BEVESTIG = """mutation Bevestig($ids: [ID!]!) {
  bevestigRegistratie(herregistratieBevoegdheden: $ids) { bevoegdheden { id soort voorHerregistratie } }
}"""


class _Uitvoerder:
    """Runs one GraphQL operation as the server would: a fresh session, commit only without errors."""

    def __init__(self, settings: Settings, maker: Any):
        self.settings = settings
        self.maker = maker
        self.schema = bouw_schema()

    async def __call__(self, viewer: Viewer, vandaag: dt.date, document: str,
                       variabelen: dict[str, Any] | None = None) -> dict[str, Any]:
        db = Db(self.maker)
        uitkomst = None
        try:
            uitkomst = await self.schema.execute(document, variable_values=variabelen,
                                                 context_value=Verzoek(self.settings, db, viewer, vandaag))
        finally:
            await db.close(commit=uitkomst is not None and not uitkomst.errors)
        if uitkomst.errors:
            raise RuntimeError(f"demo data: the register refused an operation: {uitkomst.errors[0].message}")
        assert uitkomst.data is not None
        return uitkomst.data


def _activiteiten(rng: random.Random, leraar: DemoLeraar, start: dt.date, vandaag: dt.date,
                  bevoegdheden: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A portfolio whose hours are `tempo` times what the pace rule expects today, in every criterion."""
    gekozen = [b for b in bevoegdheden if b["voorHerregistratie"]]
    einde = datums.periode_einde(start)
    aandeel = verwacht_aandeel(start, einde, vandaag)
    doel = min(aandeel * leraar.tempo, 1.25) * 160.0
    vak = leraar.bevoegdheden[0][0] if leraar.bevoegdheden else "het vak"
    ids = [b["id"] for b in gekozen]
    if aandeel == 0:  # the first year expects nothing; a newcomer has done a study day or so
        return [{"titel": rng.choice(TITELS[g]).format(vak=vak), "datum": _dag(rng, start, vandaag).isoformat(),
                 "uren": rng.choice((4.0, 6.0, 8.0, 16.0)), "gebied": g, "bevoegdheden": ids}
                for g in rng.sample(list(TITELS), rng.choice((0, 1, 1, 2)))]
    # Shares keep vakinhoudelijk above 25% and the three areas above 62.5% (40 and 100 of 160).
    vakinhoudelijk = rng.uniform(0.30, 0.40)
    vakdidactisch = rng.uniform(0.20, 0.28)
    overig = rng.choice((0.0, rng.uniform(0.05, 0.15)))
    verdeling = {"VAKINHOUDELIJK": vakinhoudelijk, "VAKDIDACTISCH": vakdidactisch,
                 "PEDAGOGISCH": 1.0 - vakinhoudelijk - vakdidactisch - overig, "OVERIG": overig}
    uit: list[dict[str, Any]] = []
    for gebied, deel in verdeling.items():
        uren = round(doel * deel * 2) / 2
        if uren <= 0:
            continue
        # Courses, study days and conferences of some 8 to 40 hours (contact plus self-study) each.
        stukken = max(1, round(uren / rng.uniform(20.0, 40.0)))
        per_stuk = round(uren / stukken * 2) / 2
        for n in range(stukken):
            deze = per_stuk if n < stukken - 1 else uren - per_stuk * (stukken - 1)
            uit.append({"titel": rng.choice(TITELS[gebied]).format(vak=vak),
                        "datum": _dag(rng, start, vandaag).isoformat(), "uren": deze, "gebied": gebied,
                        "bevoegdheden": ids})
    return uit


def _mutatie_met_aliassen(invoeren: list[dict[str, Any]], openbaar: bool) -> tuple[str, dict[str, Any]]:
    """Many portfolio entries in one request: mutation fields run one after the other."""
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
        await _vul(settings, _Uitvoerder(settings, maker))
    finally:
        await engine.dispose()


async def _vul(settings: Settings, voer_uit: _Uitvoerder) -> None:
    vandaag = settings.today()
    plan = demo_plan(vandaag)
    rng = random.Random(ZAAD + 1)
    duo = DuoViewer()

    # DUO delivers, oldest first; a later delivery brings a bevoegdheid obtained meanwhile.
    per_dag: dict[dt.date, list[dict[str, Any]]] = {}
    for leraar in plan:
        per_dag.setdefault(leraar.geleverd_op, []).append(_levering(leraar, leraar.bevoegdheden))
        if leraar.bevoegd_geworden:
            dag, bevoegdheid = leraar.bevoegd_geworden
            per_dag.setdefault(dag, []).append(_levering(leraar, [*leraar.bevoegdheden, bevoegdheid]))
            leraar.bevoegdheden = [*leraar.bevoegdheden, bevoegdheid]
    gebeurtenissen: list[tuple[dt.date, int, Any]] = [(d, 0, lev) for d, lev in per_dag.items()]
    gebeurtenissen += [(l.bevestigd_op, 1, l) for l in plan if l.bevestigd_op]
    gebeurtenissen.sort(key=lambda g: (g[0], g[1]))

    for dag, soort, wat in gebeurtenissen:
        if soort == 0:
            await voer_uit(duo, dag, KLAARZETTEN, {"leveringen": wat})
            continue
        leraar: DemoLeraar = wat
        viewer = LeraarViewer(bsn_hash=bsn_hash(settings.bsn_key, leraar.bsn))
        eigen = (await voer_uit(viewer, dag, IK_BEVOEGDHEDEN))["ik"]["bevoegdheden"]
        ids = [b["id"] for b in eigen] if leraar.alle_kiezen else [eigen[0]["id"]]
        bevestigd = await voer_uit(viewer, dag, BEVESTIG, {"ids": ids})
        invoeren = _activiteiten(rng, leraar, dag, vandaag, bevestigd["bevestigRegistratie"]["bevoegdheden"])
        invoeren.sort(key=lambda a: a["datum"])
        for begin in range(0, max(len(invoeren), 1), ACTIVITEITEN_PER_VERZOEK):
            deel = invoeren[begin:begin + ACTIVITEITEN_PER_VERZOEK]
            laatste = begin + ACTIVITEITEN_PER_VERZOEK >= len(invoeren)
            if deel or (laatste and leraar.openbaar):
                document, variabelen = _mutatie_met_aliassen(deel, leraar.openbaar and laatste)
                await voer_uit(viewer, vandaag, document, variabelen)


# ---------------------------------------------------------------------------------------------
# The banner

def _uitgelicht(plan: list[DemoLeraar], kenmerk: str) -> DemoLeraar:
    return next(l for l in plan if kenmerk in l.kenmerken)


async def _registernummers(settings: Settings, leraren: list[DemoLeraar]) -> dict[str, str]:
    """The registernummers of these demo teachers, asked as each teacher (`ik`)."""
    engine = make_engine(settings.database_url)
    uit: dict[str, str] = {}
    try:
        voer_uit = _Uitvoerder(settings, make_sessionmaker(engine))
        for leraar in leraren:
            viewer = LeraarViewer(bsn_hash=bsn_hash(settings.bsn_key, leraar.bsn))
            try:
                data = await voer_uit(viewer, settings.today(), "{ ik { registernummer } }")
            except RuntimeError:
                continue
            if data.get("ik"):
                uit[leraar.bsn] = data["ik"]["registernummer"]
    finally:
        await engine.dispose()
    return uit


def _heeft(veld: str, mutatie: bool = False) -> bool:
    schema = bouw_schema()._schema
    root = schema.mutation_type if mutatie else schema.query_type
    return root is not None and veld in root.fields


def _curl(basis_url: str, query: str, token_var: str | None) -> str:
    delen = ["curl -s", shlex.quote(f"{basis_url}/graphql"), "-H 'Content-Type: application/json'"]
    if token_var:
        delen.append(f'-H "Authorization: Bearer ${token_var}"')
    delen.append("-d " + shlex.quote(json.dumps({"query": query}, ensure_ascii=False)))
    return " ".join(delen)


def toon_demo(settings: Settings, basis_url: str) -> None:
    """Print a ready token, an example query and a curl line per role. No BSN is printed."""
    from .auth.demo import maak_token

    plan = demo_plan(settings.today())
    leraar = _uitgelicht(plan, "uitgelicht")
    nieuw = _uitgelicht(plan, "uitgelicht-klaargezet")
    try:
        nummers = asyncio.run(_registernummers(settings, [leraar, nieuw]))
    except Exception:  # the banner must not stop the server; the examples still work without numbers
        nummers = {}
    nummer = nummers.get(leraar.bsn, "<registernummer>")
    bestuur = UITGELICHT_BESTUUR

    rollen: list[tuple[str, str, str | None, str]] = [
        ("publiek (no token)", "", None,
         '{ zoekLeraren(zoekterm: "de Vries") { totalCount edges { node { registernummer '
         'naam { weergavenaam } bevoegdheden { vak soort voorHerregistratie } } } } }'),
        (f"leraar: demo teacher {leraar.weergavenaam} ({nummer}), behind schedule, voorportaal term ending",
         maak_token(settings, "leraar", bsn=leraar.bsn, name=leraar.weergavenaam), "LR_LERAAR",
         "{ ik { registernummer naam { weergavenaam voornamen } registratie { status geregistreerdOp } "
         "bevoegdheden { id vak soort herregistratie { periodeEinde status behaaldeUren vereisteUren } } "
         "voorportaal { vak termijnEinde afgesloten } waarschuwingen { soort bericht datum } "
         "portfolio(first: 5) { totalCount edges { node { titel datum uren gebied } } } } }"),
        (f"leraar (klaargezet): demo teacher {nieuw.weergavenaam} ({nummers.get(nieuw.bsn, '<registernummer>')}),"
         " not yet confirmed",
         maak_token(settings, "leraar", bsn=nieuw.bsn, name=nieuw.weergavenaam), "LR_LERAAR_NIEUW",
         "{ ik { registratie { status } bevoegdheden { id vak soort } waarschuwingen { soort bericht } } }"),
        (f"schoolbestuur: {bestuur.naam} ({bestuur.nummer})",
         maak_token(settings, "schoolbestuur", bevoegd_gezag=bestuur.nummer), "LR_BESTUUR",
         "{ mijnSchoolbestuur { naam medewerkers(filter: { metWaarschuwing: true }, first: 10) { totalCount "
         "edges { node { registernummer naam { weergavenaam } registratie { status } "
         "waarschuwingen { soort datum } } } } } }"),
        ("duo", maak_token(settings, "duo"), "LR_DUO",
         f'{{ leraar(registernummer: "{nummer}") {{ naam {{ voornamen weergavenaam }} geboortedatum '
         "registratie { status } benoemingen { vak begindatum einddatum schoolbestuur { naam } } "
         "voorportaal { vak termijnEinde afgesloten } } }"),
        ("aanbieder: demo provider DEMO-NSO (Demo Nascholing)",
         maak_token(settings, "aanbieder", aanbieder="DEMO-NSO", name="Demo Nascholing"), "LR_AANBIEDER",
         ('mutation { publiceerActiviteit(invoer: { titel: "Formatief evalueren in de praktijk", '
          "soort: CURSUS, contacturen: 12, zelfstudieuren: 4, gebied: VAKDIDACTISCH, toetsing: false }) "
          "{ id titel uren } }")
         if _heeft("publiceerActiviteit", mutatie=True)
         else '{ zoekActiviteiten(zoekterm: "formatief") { totalCount edges { node { titel uren } } } }'),
        ("beroepsgroep", maak_token(settings, "beroepsgroep"), "LR_BEROEPSGROEP",
         ("{ bezwaren(first: 10) { totalCount } herregistratiecriteria { geldigVanaf totaalUren "
          "primairProcesUren vakinhoudelijkVoUren } }")
         if _heeft("bezwaren")
         else "{ herregistratiecriteria { geldigVanaf totaalUren primairProcesUren vakinhoudelijkVoUren } }"),
    ]

    regels = ["", "=" * 100,
              f"lerarenregister demo at {basis_url}  (register date {settings.today().isoformat()})",
              f"GraphiQL: open {basis_url}/graphql in a browser; SDL: {basis_url}/schema.graphql",
              "All people below are demo data. Tokens are valid for 8 hours; paste the export lines into a shell.",
              "=" * 100]
    for titel, token, var, query in rollen:
        regels += ["", f"## {titel}"]
        if var:
            regels.append(f"export {var}={token}")
        regels += [f"query: {query}", _curl(basis_url, query, var)]
    regels += ["", "More tokens: lerarenregister token --rol ROL [--bsn … | --bevoegd-gezag … | --aanbieder …]",
               "=" * 100, ""]
    print("\n".join(regels), flush=True)
