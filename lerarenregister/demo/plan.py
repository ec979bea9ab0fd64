"""Who the demo teachers are and what happens to them: a seeded plan, the same at every load."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from ..regels import datums
from ..regels.bsn import elfproef
from ..regels.naam import voorletters, weergavenaam
from .gegevens import (
    ACHTERNAMEN,
    BESTUREN,
    MBO_VAKKEN,
    PO_VAK,
    UITGELICHT_BESTUUR,
    VO_GEWICHTEN,
    VO_VAKKEN,
    VOORNAMEN,
    Bestuur,
)

ZAAD = 20190801
AANTAL_LERAREN = 300
# DUO's first delivery: a little over four years ago. Teachers confirm from 45 days after it on, so
# their first period is still running today; only the few assessed ones confirmed earlier.
EERSTE_LEVERING_DAGEN = 4 * 365 + 40
EERSTE_BEVESTIGING_DAGEN = 45


@dataclass
class DemoLeraar:
    """One demo teacher as DUO knows them, and what they do in the register."""

    nummer: int
    bsn: str
    voornamen: str
    tussenvoegsel: str | None
    achternaam: str
    geboortedatum: dt.date
    bevoegdheden: list[tuple[str, str, dt.date]]  # (vak, soort, behaaldOp)
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


def willekeurige_dag(rng: random.Random, van: dt.date, tot: dt.date) -> dt.date:
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
        geboren = willekeurige_dag(rng, _jaren_terug(vandaag, leeftijd + 1), _jaren_terug(vandaag, leeftijd))
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
        bevoegdheden = [(vak, soort, willekeurige_dag(rng, vroegst, laatst)) for vak, soort in vakken]

        eerste_bestuur = rng.choice(besturen[sector])
        begin = willekeurige_dag(
            rng, max(bevoegdheden[0][2], t0 - dt.timedelta(days=20 * 365)), vandaag - dt.timedelta(days=60)
        )
        einde = None if rng.random() < 0.85 else vandaag + dt.timedelta(days=rng.randint(60, 900))
        benoemingen: list[tuple[Bestuur, str, dt.date, dt.date | None]] = [
            (eerste_bestuur, bevoegdheden[0][0], begin, einde)
        ]
        if rng.random() < 0.25:
            # An earlier employer whose appointment has ended: that board now sees what the public sees.
            ander = rng.choice([b for b in BESTUREN if b.sector == sector and b != eerste_bestuur] or BESTUREN)
            oud_begin = willekeurige_dag(rng, _jaren_terug(begin, 6), begin - dt.timedelta(days=400))
            benoemingen.append((ander, bevoegdheden[-1][0], oud_begin, begin - dt.timedelta(days=rng.randint(1, 200))))

        # DUO delivers a teacher who qualified after the first delivery at the start of the next month.
        laatste_bevoegdheid = max(b[2] for b in bevoegdheden)
        geleverd = t0 if laatste_bevoegdheid < t0 else _eerste_van_volgende_maand(laatste_bevoegdheid)
        leraar = DemoLeraar(
            i, bsn, voornamen, tussenvoegsel, achternaam, geboren, bevoegdheden, benoemingen, geleverd_op=geleverd
        )
        soort = rng.random()
        if soort < 0.10:
            leraar.kenmerken.add("klaargezet")
        elif soort < 0.14:
            # New at the register: delivered weeks ago, not confirmed yet (a reminder after 31 days).
            leraar.geleverd_op = max(geleverd, vandaag - dt.timedelta(days=rng.randint(7, 75)))
            leraar.kenmerken.add("klaargezet")
        else:
            leraar.bevestigd_op = willekeurige_dag(
                rng, geleverd + dt.timedelta(days=EERSTE_BEVESTIGING_DAGEN), vandaag - dt.timedelta(days=20)
            )
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
            vp_begin = willekeurige_dag(rng, vandaag - dt.timedelta(days=600), vandaag - dt.timedelta(days=30))
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
    a.benoemingen = [
        (bestuur, "Wiskunde", dt.date(vandaag.year - 15, 8, 1), None),
        (bestuur, "Natuurkunde", _voorportaal_begin(vandaag, 45), None),
    ]
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
    k.bevoegdheden = [
        ("Nederlands", "EERSTEGRAADS", dt.date(vandaag.year - 9, 7, 1)),
        ("Engels", "TWEEDEGRAADS", dt.date(vandaag.year - 6, 7, 1)),
    ]
    k.benoemingen = [(bestuur, "Nederlands", dt.date(vandaag.year - 3, 8, 1), None)]
    k.geleverd_op, k.bevestigd_op = t0, None
    k.kenmerken = {"klaargezet", "uitgelicht-klaargezet", "foutmelding"}

    gewoon = [
        x
        for x in leraren[5:]
        if x.geleverd_op == t0
        and x.bevestigd_op
        and not x.kenmerken
        and x.bevoegdheden[0][1] in ("EERSTEGRAADS", "TWEEDEGRAADS")
    ]
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


def met_kenmerk(plan: list[DemoLeraar], kenmerk: str) -> DemoLeraar:
    return next(x for x in plan if kenmerk in x.kenmerken)
