"""Demo data and the demo banner: six school boards and 300 teachers to try the register with.

Everything is made through the register's own operations: GraphQL documents run against the real
schema with a real viewer and a `Verzoek`, one session and one commit per operation, as the server
does; never raw SQL. DUO delivers (klaarzetten), providers publish catalogue activities, teachers
confirm, correct their name, report an error, keep a portfolio and give consent, the beroepsgroep
runs the end-of-period assessment and a teacher objects to an aantekening. History is made by
running an operation with a Verzoek whose "today" lies in the past, in date order.

All dates are offsets from the register's today, so the demo shows the same situations whenever it
is loaded; the people come from one seeded random generator, so every load makes the same register
(and the banner can name a demo teacher without asking the database who it is).
"""
from __future__ import annotations

import asyncio
import datetime as dt
import heapq
import itertools
import json
import math
import random
import re
import shlex
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func, select

from .auth.viewer import AanbiederViewer, BeroepsgroepViewer, DuoViewer, LeraarViewer, Viewer
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
# DUO's first delivery: a little over four years ago. Teachers confirm from 45 days after it on, so
# their first period is still running today; only the few assessed ones confirmed earlier.
EERSTE_LEVERING_DAGEN = 4 * 365 + 40
EERSTE_BEVESTIGING_DAGEN = 45
# The beroepsgroep assessed the periods that ended before this many days ago; objections run 42 days.
BEOORDEELD_DAGEN_GELEDEN = 21
ACTIVITEITEN_PER_VERZOEK = 40

Stap = Callable[[], Awaitable[None]]  # one operation of the demo's history
_LANGE_GETALLEN = re.compile(r"\d{6,}")


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

# (code, naam, [(titel, soort, contacturen, zelfstudieuren, gebied, toetsing)])
AANBIEDERS: tuple[tuple[str, str, tuple[tuple[str, str, float, float, str, bool], ...]], ...] = (
    ("ONDERWIJSACADEMIE-NOORD", "Onderwijsacademie Noord", (
        ("Leergang klassenmanagement", "CURSUS", 18, 6, "PEDAGOGISCH", False),
        ("Passend onderwijs in de praktijk", "CURSUS", 12, 4, "PEDAGOGISCH", False),
        ("Coachend begeleiden van leerlingen", "OPLEIDING", 30, 30, "PEDAGOGISCH", True),
        ("Studiedag sociale veiligheid", "STUDIEDAG", 6, 0, "PEDAGOGISCH", False),
    )),
    ("VAKDIDACTIEK-NL", "Stichting Vakdidactiek Nederland", (
        ("Formatief evalueren: van toets naar feedback", "CURSUS", 16, 8, "VAKDIDACTISCH", False),
        ("Taalgericht vakonderwijs", "CURSUS", 12, 12, "VAKDIDACTISCH", True),
        ("Conferentie Vakdidactiek", "CONFERENTIE", 8, 0, "VAKDIDACTISCH", False),
        ("Digitale didactiek voor gevorderden", "CURSUS", 10, 6, "VAKDIDACTISCH", False),
    )),
    ("NASCHOLING-VAKINHOUD", "Nascholingscentrum Vakinhoud", (
        ("Masterclass moderne wiskunde", "CURSUS", 20, 10, "VAKINHOUDELIJK", False),
        ("Geschiedenis: nieuwe canon, nieuwe bronnen", "CURSUS", 14, 10, "VAKINHOUDELIJK", False),
        ("Engelse literatuur na 1945", "OPLEIDING", 24, 36, "VAKINHOUDELIJK", True),
        ("Vakdag biologie: genetica en ethiek", "STUDIEDAG", 7, 0, "VAKINHOUDELIJK", False),
    )),
)

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
    "VAKINHOUDELIJK": ("Masterclass {vak}", "Nascholing {vak}: de nieuwe kerndoelen", "Vakdag {vak}",
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

    nummer: int
    bsn: str
    voornamen: str
    tussenvoegsel: str | None
    achternaam: str
    geboortedatum: dt.date
    bevoegdheden: list[tuple[str, str, dt.date]]                     # (vak, soort, behaaldOp)
    benoemingen: list[tuple[Bestuur, str, dt.date, dt.date | None]]  # (board, vak, begin, einde)
    geleverd_op: dt.date
    bevestigd_op: dt.date | None = None
    alle_kiezen: bool = True
    tempo: float = 1.3  # hours reached, as a share of what the pace rule expects today
    openbaar: bool = False
    # A later delivery, with the bevoegdheid that the teacher obtained meanwhile.
    bevoegd_geworden: tuple[dt.date, tuple[str, str, dt.date]] | None = None
    # DUO's spelling of the achternaam, which the teacher corrects after confirming.
    duo_achternaam: str | None = None
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
        rest = sum(w * int(c) for w, c in zip(range(9, 1, -1), romp, strict=True)) % 11
        kandidaat = romp + str(rest)
        if rest < 10 and elfproef(kandidaat) and kandidaat not in gezien:
            gezien.add(kandidaat)
            uit.append(kandidaat)
    return uit


def _voorportaal_begin(vandaag: dt.date, dagen_over: int) -> dt.date:
    """An appointment start whose two-year voorportaal term ends `dagen_over` days from today."""
    return _jaren_terug(vandaag + dt.timedelta(days=dagen_over + 1), datums.VOORPORTAAL_JAREN)


def demo_plan(vandaag: dt.date) -> list[DemoLeraar]:
    """The demo teachers, the same people every time; dates are offsets from `vandaag`."""
    rng = random.Random(ZAAD)
    t0 = vandaag - dt.timedelta(days=EERSTE_LEVERING_DAGEN)
    besturen = {s: [b for b in BESTUREN if b.sector == s] for s in ("po", "vo", "mbo")}
    leraren: list[DemoLeraar] = []

    for i, bsn in enumerate(_bsns(rng, AANTAL_LERAREN)):
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
        leraar = DemoLeraar(i, bsn, voornamen, tussenvoegsel, achternaam, geboren, bevoegdheden, benoemingen,
                            geleverd_op=geleverd)
        soort = rng.random()
        if soort < 0.10:
            leraar.kenmerken.add("klaargezet")
        elif soort < 0.14:
            # New at the register: delivered weeks ago, not confirmed yet (a reminder after 31 days).
            leraar.geleverd_op = max(geleverd, vandaag - dt.timedelta(days=rng.randint(7, 75)))
            leraar.kenmerken.add("klaargezet")
        else:
            leraar.bevestigd_op = _dag(rng, geleverd + dt.timedelta(days=EERSTE_BEVESTIGING_DAGEN),
                                       vandaag - dt.timedelta(days=20))
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
    """The people the banner points at, and the cases the demo should show at least once."""
    bestuur = UITGELICHT_BESTUUR
    # A.M. de Vries: mathematics teacher, behind schedule, covering physics with the term running out.
    a = leraren[0]
    a.voornamen, a.tussenvoegsel, a.achternaam = "Anna Maria", "de", "Vries"
    a.geboortedatum = dt.date(vandaag.year - 41, 3, 1)
    a.bevoegdheden = [("Wiskunde", "TWEEDEGRAADS", dt.date(vandaag.year - 18, 6, 30))]
    a.benoemingen = [(bestuur, "Wiskunde", dt.date(vandaag.year - 15, 8, 1), None),
                     (bestuur, "Natuurkunde", _voorportaal_begin(vandaag, 45), None)]
    a.geleverd_op, a.bevestigd_op = t0, vandaag - dt.timedelta(days=2 * 365 + 100)
    a.alle_kiezen, a.tempo, a.openbaar = True, 0.35, False
    a.kenmerken = {"uitgelicht", "achter", "voorportaal"}

    # A side-entrant (zij-instromer) without any bevoegdheid: only in the voorportaal, term ending soon.
    z = leraren[1]
    z.voornamen, z.tussenvoegsel, z.achternaam = "Mohammed", None, "El Amrani"
    z.bevoegdheden = []
    z.benoemingen = [(BESTUREN[3], "Scheikunde", _voorportaal_begin(vandaag, 70), None)]
    z.geleverd_op, z.bevestigd_op = z.benoemingen[0][2], None
    z.kenmerken = {"zij-instromer", "voorportaal", "klaargezet"}

    # Side-entrants who obtained the bevoegdheid later; a second delivery closes their entry.
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

    # At the featured board, not confirmed yet (try bevestigRegistratie), and with a report for DUO.
    k = leraren[4]
    k.voornamen, k.tussenvoegsel, k.achternaam = "Fatima", None, "Öztürk"
    k.bevoegdheden = [("Nederlands", "EERSTEGRAADS", dt.date(vandaag.year - 9, 7, 1)),
                      ("Engels", "TWEEDEGRAADS", dt.date(vandaag.year - 6, 7, 1))]
    k.benoemingen = [(bestuur, "Nederlands", dt.date(vandaag.year - 3, 8, 1), None)]
    k.geleverd_op, k.bevestigd_op = t0, None
    k.kenmerken = {"klaargezet", "uitgelicht-klaargezet", "foutmelding"}

    gewoon = [x for x in leraren[5:] if x.geleverd_op == t0 and x.bevestigd_op and not x.kenmerken
              and x.bevoegdheden[0][1] in ("EERSTEGRAADS", "TWEEDEGRAADS")]
    # A period that ends within six months, on schedule yet short of the full hours.
    e = gewoon.pop(0)
    e.bevestigd_op, e.tempo = vandaag - dt.timedelta(days=4 * 365 - 150), 1.1
    e.kenmerken.add("periode-eindigt")

    # Periods that ended months ago and were assessed: most met the criteria, two did not (aantekening),
    # one of which objects. Their deliveries and confirmations lie before the first regular delivery.
    oud = vandaag - dt.timedelta(days=4 * 365 + 300)
    beoordeeld = [x for x in gewoon if max(b[2] for b in x.bevoegdheden) < oud][:6]
    for n, leraar in enumerate(beoordeeld):
        leraar.geleverd_op = oud
        leraar.bevestigd_op = vandaag - dt.timedelta(days=4 * 365 + rng.randint(60, 250))
        leraar.alle_kiezen, leraar.openbaar = True, False
        if n < 2:
            leraar.tempo = rng.uniform(0.5, 0.75)
            leraar.kenmerken.add("aantekening")
            leraar.benoemingen[0] = (bestuur, *leraar.benoemingen[0][1:])
            if n == 0:
                leraar.kenmerken.add("bezwaar")
        else:
            leraar.tempo = rng.uniform(1.05, 1.2)
            leraar.kenmerken.add("voldaan")

    # DUO delivered "Muller"; the teacher corrects it to "Müller" after confirming.
    m = next(x for x in leraren[5:] if x.achternaam == "Müller" and x.bevestigd_op and not x.kenmerken)
    m.duo_achternaam = "Muller"
    m.kenmerken.add("correctie")


# ---------------------------------------------------------------------------------------------
# Loading

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
            # A coercion error can quote the input: long digit runs (a BSN) are blanked before it is shown.
            bericht = _LANGE_GETALLEN.sub("…", uitkomst.errors[0].message)
            raise RuntimeError(f"demo data: the register refused an operation: {bericht}")
        assert uitkomst.data is not None
        return uitkomst.data


def _levering(leraar: DemoLeraar, bevoegdheden: Iterable[tuple[str, str, dt.date]]) -> dict[str, Any]:
    return {
        "bsn": leraar.bsn, "voornamen": leraar.voornamen, "tussenvoegsel": leraar.tussenvoegsel,
        "achternaam": leraar.duo_achternaam or leraar.achternaam, "geboortedatum": leraar.geboortedatum.isoformat(),
        "bevoegdheden": [{"vak": v, "soort": s, "behaaldOp": d.isoformat()} for v, s, d in bevoegdheden],
        "benoemingen": [{"bevoegdGezagNummer": b.nummer, "schoolbestuurNaam": b.naam, "vak": vak,
                         "begindatum": begin.isoformat(), "einddatum": einde.isoformat() if einde else None}
                        for b, vak, begin, einde in leraar.benoemingen],
    }


@dataclass(frozen=True)
class CatalogusItem:
    id: str
    titel: str
    uren: float
    gebied: str


def _activiteiten_in(rng: random.Random, vak: str, ids: list[str], van: dt.date, tot: dt.date, doel: float,
                     catalogus: list[CatalogusItem]) -> list[dict[str, Any]]:
    """About `doel` hours dated between van and tot, spread so that every criterion grows alike.

    No `doel` (the first year of a period expects nothing): a study day or two, or nothing yet.
    """
    if doel <= 0:
        return [{"titel": rng.choice(TITELS[g]).format(vak=vak), "datum": _dag(rng, van, tot).isoformat(),
                 "uren": rng.choice((4.0, 6.0, 8.0)), "gebied": g, "bevoegdheden": ids}
                for g in rng.sample(list(TITELS), rng.choice((0, 1, 1, 2)))]
    # Shares keep vakinhoudelijk above 25% and the three areas above 62.5% (40 and 100 of 160).
    vakinhoudelijk = rng.uniform(0.30, 0.40)
    vakdidactisch = rng.uniform(0.20, 0.28)
    overig = rng.choice((0.0, 0.0, rng.uniform(0.05, 0.15)))
    verdeling = {"VAKINHOUDELIJK": vakinhoudelijk, "VAKDIDACTISCH": vakdidactisch,
                 "PEDAGOGISCH": 1.0 - vakinhoudelijk - vakdidactisch - overig, "OVERIG": overig}
    uit: list[dict[str, Any]] = []
    for gebied, deel in verdeling.items():
        uren = float(math.ceil(doel * deel))  # whole hours, rounded up: never below the share aimed at
        passend = [c for c in catalogus if c.gebied == gebied and c.uren + 4 <= uren]
        if passend and rng.random() < 0.35:
            # From the catalogue: hours and area come from the provider's activity.
            c = rng.choice(passend)
            uit.append({"titel": c.titel, "datum": _dag(rng, van, tot).isoformat(), "uren": c.uren,
                        "gebied": gebied, "bevoegdheden": ids, "catalogusActiviteit": c.id})
            uren -= c.uren
        if uren <= 0:
            continue
        # Courses, study days, conferences and longer trainings (contact plus self-study hours).
        stukken = max(1, round(uren / rng.uniform(30.0, 60.0)))
        per_stuk = float(round(uren / stukken))
        for n in range(stukken):
            deze = per_stuk if n < stukken - 1 else uren - per_stuk * (stukken - 1)
            uit.append({"titel": rng.choice(TITELS[gebied]).format(vak=vak),
                        "datum": _dag(rng, van, tot).isoformat(), "uren": deze, "gebied": gebied,
                        "bevoegdheden": ids})
    return uit


def _portfolio(leraar: DemoLeraar, start: dt.date, vandaag: dt.date, ids: list[str],
               catalogus: list[CatalogusItem]) -> list[dict[str, Any]]:
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
        await _Lader(settings, _Uitvoerder(settings, maker)).vul()
    finally:
        await engine.dispose()


class _Lader:
    """Plays the demo's history in date order; each step is one operation of the register."""

    def __init__(self, settings: Settings, voer_uit: _Uitvoerder):
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
            data = await self.voer_uit(viewer, dag, PUBLICEER, {"invoer": {
                "titel": titel, "soort": soort, "contacturen": contact, "zelfstudieuren": zelfstudie,
                "gebied": gebied, "toetsing": toetsing}})
            a = data["publiceerActiviteit"]
            self.catalogus.append(CatalogusItem(a["id"], a["titel"], a["uren"], a["gebied"]))
        return stap

    def _klaarzetten(self, dag: dt.date, leveringen: list[dict[str, Any]]) -> Stap:
        async def stap() -> None:
            data = await self.voer_uit(DuoViewer(), dag, KLAARZETTEN, {"leveringen": leveringen})
            nummers = data["zetGegevensKlaar"]["registernummers"]
            bsn_van = {n: lev["bsn"] for n, lev in zip(nummers, leveringen, strict=True)}
            for i in range(0, len(nummers), 100):
                terug = await self.voer_uit(DuoViewer(), dag, GELEVERD, {"nummers": nummers[i:i + 100]})
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
            invoeren = sorted(_portfolio(leraar, dag, self.vandaag, gekozen, self.catalogus),
                              key=lambda a: a["datum"])
            # Entries are written on the day they could first be written, so the assessment sees them.
            na = invoeren
            if datums.periode_einde(dag) < self.peildatum:
                voor = [a for a in invoeren if dt.date.fromisoformat(a["datum"]) < self.peildatum]
                na = invoeren[len(voor):]
                self.plan_in(self.peildatum, 3, self._portfolio(leraar, self.peildatum, voor, False))
            self.plan_in(self.vandaag, 3, self._portfolio(leraar, self.vandaag, na, leraar.openbaar))
        return stap

    def _portfolio(self, leraar: DemoLeraar, dag: dt.date, invoeren: list[dict[str, Any]],
                   openbaar: bool) -> Stap:
        async def stap() -> None:
            viewer = self.leraar(leraar)
            delen = [invoeren[i:i + ACTIVITEITEN_PER_VERZOEK]
                     for i in range(0, len(invoeren), ACTIVITEITEN_PER_VERZOEK)] or [[]]
            for n, deel in enumerate(delen):
                laatste = n == len(delen) - 1
                if deel or (laatste and openbaar):
                    document, variabelen = _portfolio_document(deel, openbaar and laatste)
                    await self.voer_uit(viewer, dag, document, variabelen)
        return stap

    def _beoordeel(self) -> Stap:
        async def stap() -> None:
            await self.voer_uit(BeroepsgroepViewer(), self.peildatum, BEOORDEEL,
                                {"peildatum": self.peildatum.isoformat()})
        return stap

    def _meld_fout(self, leraar: DemoLeraar) -> Stap:
        async def stap() -> None:
            dag = self.vandaag - dt.timedelta(days=3)
            engels = next(b for b in self.bevoegdheden[leraar.bsn] if b["vak"] == "Engels")
            await self.voer_uit(self.leraar(leraar), dag, MELD_FOUT, {
                "bevoegdheid": engels["id"],
                "toelichting": "Mijn bevoegdheid Engels is eerstegraads (behaald aan de lerarenopleiding), "
                               "niet tweedegraads."})
        return stap

    def _bezwaar(self, leraar: DemoLeraar) -> Stap:
        async def stap() -> None:
            dag = self.vandaag - dt.timedelta(days=2)
            viewer = self.leraar(leraar)
            data = await self.voer_uit(viewer, dag, IK_AANTEKENINGEN)
            staand = [b["aantekening"]["id"] for b in data["ik"]["bevoegdheden"] if b["aantekening"]]
            await self.voer_uit(viewer, dag, BEZWAAR, {
                "aantekening": staand[0],
                "motivering": "Ik was een half jaar met zwangerschapsverlof; daardoor kon ik de "
                              "nascholing niet volgen. Ik vraag om de aantekening in te trekken."})
        return stap


# ---------------------------------------------------------------------------------------------
# The banner

def _met_kenmerk(plan: list[DemoLeraar], kenmerk: str) -> DemoLeraar:
    return next(x for x in plan if kenmerk in x.kenmerken)


async def _registernummers(settings: Settings, leraren: list[DemoLeraar]) -> dict[int, str]:
    """The registernummers of these demo teachers, each asked as that teacher (`ik`)."""
    engine = make_engine(settings.database_url)
    uit: dict[int, str] = {}
    try:
        voer_uit = _Uitvoerder(settings, make_sessionmaker(engine))
        for leraar in leraren:
            viewer = LeraarViewer(bsn_hash=bsn_hash(settings.bsn_key, leraar.bsn))
            try:
                data = await voer_uit(viewer, settings.today(), "{ ik { registernummer } }")
            except RuntimeError:  # not in this database (demo data switched off)
                continue
            uit[leraar.nummer] = data["ik"]["registernummer"]
    finally:
        await engine.dispose()
    return uit


def _curl(basis_url: str, query: str, token_var: str | None) -> str:
    delen = ["curl -s", shlex.quote(f"{basis_url}/graphql"), "-H 'Content-Type: application/json'"]
    if token_var:
        delen.append(f'-H "Authorization: Bearer ${token_var}"')
    delen.append("-d " + shlex.quote(json.dumps({"query": query}, ensure_ascii=False)))
    return " ".join(delen)


def voorbeelden(settings: Settings) -> list[tuple[str, dict[str, Any] | None, str | None, str]]:
    """Per role: (title, token claims or None for the public, shell variable, example query)."""
    plan = demo_plan(settings.today())
    leraar = _met_kenmerk(plan, "uitgelicht")
    nieuw = _met_kenmerk(plan, "uitgelicht-klaargezet")
    try:
        nummers = asyncio.run(_registernummers(settings, [leraar, nieuw]))
    except Exception:  # the banner must never stop the server; the examples work without numbers
        nummers = {}
    nummer = nummers.get(leraar.nummer, "<registernummer>")
    code, naam, _ = AANBIEDERS[1]
    bestuur = UITGELICHT_BESTUUR
    return [
        ("publiek (no token)", None, None,
         '{ zoekLeraren(zoekterm: "de Vries") { totalCount edges { node { registernummer '
         'naam { weergavenaam } bevoegdheden { vak soort voorHerregistratie } } } } }'),
        (f"leraar: demo teacher {leraar.weergavenaam} ({nummer}): behind schedule, voorportaal term ending",
         {"rol": "leraar", "bsn": leraar.bsn}, "LR_LERAAR",
         "{ ik { registernummer naam { weergavenaam voornamen } registratie { status geregistreerdOp } "
         "bevoegdheden { id vak soort herregistratie { periodeEinde status behaaldeUren vereisteUren } } "
         "voorportaal { vak termijnEinde afgesloten } waarschuwingen { soort bericht datum } "
         "portfolio(first: 5) { totalCount edges { node { titel datum uren gebied bron } } } } }"),
        (f"leraar: demo teacher {nieuw.weergavenaam} ({nummers.get(nieuw.nummer, '<registernummer>')}): "
         "not confirmed yet; confirm with bevestigRegistratie",
         {"rol": "leraar", "bsn": nieuw.bsn}, "LR_LERAAR_NIEUW",
         "{ ik { registratie { status } bevoegdheden { id vak soort } waarschuwingen { soort bericht } } }"),
        (f"schoolbestuur: {bestuur.naam} ({bestuur.nummer})",
         {"rol": "schoolbestuur", "bevoegd_gezag": bestuur.nummer}, "LR_BESTUUR",
         "{ mijnSchoolbestuur { naam medewerkers(filter: { metWaarschuwing: true }, first: 10) { totalCount "
         "edges { node { registernummer naam { weergavenaam } registratie { status } "
         "waarschuwingen { soort datum } } } } } }"),
        ("duo", {"rol": "duo"}, "LR_DUO",
         f'{{ leraar(registernummer: "{nummer}") {{ naam {{ voornamen weergavenaam }} geboortedatum '
         "registratie { status } benoemingen { vak begindatum einddatum schoolbestuur { naam } } "
         "voorportaal { vak termijnEinde afgesloten } } "
         "foutmeldingen { totalCount edges { node { onderwerp toelichting gemeldOp } } } }"),
        (f"aanbieder: {naam} ({code})", {"rol": "aanbieder", "aanbieder": code, "name": naam}, "LR_AANBIEDER",
         'mutation { publiceerActiviteit(invoer: { titel: "Formatief evalueren in de praktijk", '
         "soort: CURSUS, contacturen: 12, zelfstudieuren: 4, gebied: VAKDIDACTISCH, toetsing: false }) "
         "{ id titel uren aanbieder { naam } } }"),
        ("beroepsgroep", {"rol": "beroepsgroep"}, "LR_BEROEPSGROEP",
         "{ bezwaren(status: INGEDIEND) { totalCount edges { node { id ingediendOp ingediendDoor motivering } } } "
         "herregistratiecriteria { geldigVanaf totaalUren primairProcesUren vakinhoudelijkVoUren } }"),
    ]


def toon_demo(settings: Settings, basis_url: str) -> None:
    """Print a ready token, an example query and a curl line per role. No BSN is printed."""
    from .auth.demo import maak_token

    regels = ["", "=" * 100,
              f"lerarenregister demo at {basis_url} (the register's today: {settings.today().isoformat()})",
              f"GraphiQL: open {basis_url}/graphql in a browser; the SDL: {basis_url}/schema.graphql",
              "Everyone below is demo data. Tokens hold for 8 hours: paste an export line into your shell.",
              "=" * 100]
    for titel, claims, var, query in voorbeelden(settings):
        regels += ["", f"## {titel}"]
        if claims is not None and var:
            claims = dict(claims)
            rol = claims.pop("rol")
            regels.append(f"export {var}={maak_token(settings, rol, **claims)}")
        regels += [f"query: {query}", _curl(basis_url, query, var)]
    regels += ["", "More tokens: lerarenregister token --rol ROL [--bsn …] [--bevoegd-gezag …] [--aanbieder …]",
               "=" * 100, ""]
    print("\n".join(regels), flush=True)
