"""A national register for the bench: fills a PostgreSQL database by COPY, fast and deterministic.

    .venv/bin/python bench/genereer.py                        # 300,000 teachers into lr_bench
    .venv/bin/python bench/genereer.py --leraren 20000        # a small one to develop with
    .venv/bin/python bench/genereer.py --alleen-replay 5000 --server http://127.0.0.1:8000

The schema comes from the project's own migrations; the rows are written by COPY with the
secondary indexes and constraints dropped, then those are rebuilt exactly as the migrations made
them, and the tables are vacuumed and analysed so that no autovacuum runs during a measurement.

Every teacher is drawn from a generator seeded with (seed, teacher number): the same seed, number
of teachers and `--vandaag` give the same register whatever the chunking or number of processes.
Teacher i has a BSN that only depends on i (`bsn_van`), so the harness can mint a teacher token
for any of them, and `--replay` can deliver teachers N, N+1, ... that are not in the register yet.
"""

from __future__ import annotations

import argparse
import asyncio
import bisect
import datetime as dt
import functools
import io
import math
import multiprocessing
import os
import random
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from lerarenregister.regels import datums  # noqa: E402
from lerarenregister.regels import herregistratie as hr  # noqa: E402
from lerarenregister.regels import naam as naamregels  # noqa: E402
from lerarenregister.regels import waarschuwingen as ww  # noqa: E402
from lerarenregister.regels.bsn import bsn_hash  # noqa: E402
from lerarenregister.regels.registernummer import EERSTE_VOLGNUMMER, registernummer  # noqa: E402
from lerarenregister.settings import DEMO_SECRET_KEY  # noqa: E402

STANDAARD_URL = "postgresql://postgres@127.0.0.1:5432/lr_bench"
ZAAD = 20180801
OPENING = dt.date(2018, 8, 1)  # registration opened (DOMAIN.md)
VERPLICHT = dt.date(2019, 8, 1)  # mandatory from
# The beroepsgroep assessed the periods that ended before this day (the first assessments, 2023);
# every period that ended since is due: the backlog the bench's assessment scenario clears.
BEOORDEELD_TOT = dt.date(2023, 7, 1)
CRITERIA = hr.Criteria(OPENING, 160.0, 100.0, 40.0)
CRITERIA_ID = 1
MAX_BEVOEGDHEDEN = 3  # id slots per teacher: ids are teacher * slots + k, so chunks need no coordination
MAX_ACTIVITEITEN = 48
MAX_PERIODEN = 4

# --- pools ---------------------------------------------------------------------------------------

VOORNAMEN = (
    "Anna",
    "Maria",
    "Sanne",
    "Lotte",
    "Emma",
    "Noor",
    "Fleur",
    "Iris",
    "Eva",
    "Femke",
    "Marieke",
    "Renée",
    "Chloë",
    "Zoë",
    "Inge",
    "Esther",
    "Fatima",
    "Samira",
    "Elif",
    "Ayşe",
    "Merel",
    "Karin",
    "Judith",
    "Hanneke",
    "Jan",
    "Pieter",
    "Daan",
    "Bram",
    "Thijs",
    "Sander",
    "Ruben",
    "Joost",
    "Willem",
    "Hendrik",
    "Joël",
    "André",
    "José",
    "Mohammed",
    "Yusuf",
    "Emre",
    "Kees",
    "Gerrit",
    "Mark",
    "Jeroen",
    "Bas",
    "Niels",
    "Koen",
    "Stijn",
    "Sophie",
    "Julia",
    "Tess",
    "Sara",
    "Lieke",
    "Anouk",
    "Ingrid",
    "Monique",
    "Petra",
    "Wilma",
    "Ellen",
    "Linda",
    "Marco",
    "Erik",
    "Rob",
    "Frank",
    "Hans",
    "Paul",
    "Tom",
    "Luuk",
    "Lars",
    "Jesse",
    "Kevin",
    "Dennis",
    "Johanna",
    "Cornelia",
    "Wilhelmina",
    "Geertruida",
    "Theodorus",
    "Johannes",
    "Cornelis",
    "Adrianus",
)
# The commonest Dutch surnames, heaviest first; the tail below is made of syllables.
GEWONE_ACHTERNAMEN = (
    ("de", "Jong"),
    (None, "Jansen"),
    ("de", "Vries"),
    ("van den", "Berg"),
    ("van", "Dijk"),
    (None, "Bakker"),
    (None, "Janssen"),
    (None, "Visser"),
    (None, "Smit"),
    (None, "Meijer"),
    ("de", "Boer"),
    (None, "Mulder"),
    ("de", "Groot"),
    (None, "Bos"),
    (None, "Vos"),
    (None, "Peters"),
    (None, "Hendriks"),
    ("van", "Leeuwen"),
    (None, "Dekker"),
    (None, "Brouwer"),
    ("de", "Wit"),
    (None, "Dijkstra"),
    (None, "Smits"),
    ("de", "Graaf"),
    (None, "Sanders"),
    ("van der", "Meer"),
    ("van der", "Linden"),
    (None, "Kok"),
    (None, "Jacobs"),
    ("de", "Haan"),
    (None, "Vermeulen"),
    ("van den", "Heuvel"),
    ("van der", "Veen"),
    ("van den", "Broek"),
    ("de", "Bruijn"),
    ("de", "Bruin"),
    ("van der", "Heijden"),
    (None, "Schouten"),
    ("van", "Beek"),
    (None, "Willems"),
    ("van", "Vliet"),
    ("van de", "Ven"),
    (None, "Hoekstra"),
    (None, "Maas"),
    (None, "Verhoeven"),
    (None, "Koster"),
    ("van", "Dam"),
    ("van der", "Wal"),
    (None, "Prins"),
    (None, "Blom"),
    (None, "Huisman"),
    ("de", "Jonge"),
    (None, "Kuipers"),
    ("van", "Veen"),
    (None, "Post"),
    (None, "Kuiper"),
    (None, "Veenstra"),
    (None, "Kramer"),
    ("van den", "Brink"),
    (None, "Scholten"),
    ("van", "Wijk"),
    (None, "Postma"),
    (None, "Martens"),
    (None, "Vink"),
    ("de", "Ruiter"),
    (None, "Timmermans"),
    (None, "Groen"),
    (None, "Gerritsen"),
    (None, "Jonker"),
    ("van", "Loon"),
    (None, "Boer"),
    ("van der", "Velde"),
    (None, "Willemsen"),
    ("de", "Lange"),
    ("de", "Vos"),
    (None, "Bosch"),
    ("van", "Dongen"),
    (None, "Schipper"),
    ("de", "Koning"),
    ("van der", "Laan"),
    (None, "Koning"),
    ("van der", "Velden"),
    (None, "Driessen"),
    ("van", "Doorn"),
    (None, "Hermans"),
    (None, "Evers"),
    ("van den", "Bosch"),
    ("van der", "Meulen"),
    (None, "Hofman"),
    (None, "Bosman"),
    (None, "Wolters"),
    (None, "Sluiter"),
    (None, "Müller"),
    (None, "Yılmaz"),
    (None, "Öztürk"),
    (None, "Çelik"),
    (None, "Şahin"),
    (None, "El Amrani"),
    (None, "Bouzid"),
    (None, "Nguyen"),
    (None, "Kowalski"),
    (None, "Sánchez"),
    ("in 't", "Veld"),
    ("van 't", "Hof"),
    ("ten", "Hove"),
    ("ter", "Horst"),
    ("d'", "Ancona"),
    (None, "Ünal"),
)
_BEGIN = (
    "Hoog",
    "Laag",
    "Groot",
    "Klein",
    "Oost",
    "West",
    "Noord",
    "Zuid",
    "Berg",
    "Dijk",
    "Veld",
    "Bosch",
    "Brink",
    "Kamp",
    "Haar",
    "Heer",
    "Ker",
    "Lin",
    "Mol",
    "Rijn",
    "Schaap",
    "Steen",
    "Ter",
    "Vaart",
    "Wester",
    "Zand",
    "Ak",
    "Blok",
    "Dorst",
    "Elst",
    "Ger",
    "Hul",
    "Kors",
    "Lam",
    "Mees",
    "Nij",
    "Op",
    "Pol",
    "Roo",
    "Stok",
    "Tuin",
    "Uit",
    "Vel",
    "Wou",
    "Zee",
    "Ham",
    "Gel",
    "Bra",
    "Har",
    "Leu",
    "Aal",
    "Bak",
    "Bier",
    "Dam",
    "Dek",
    "Eek",
    "Fel",
    "Gaal",
    "Hee",
    "Hek",
    "Holt",
    "Jon",
    "Kal",
    "Klo",
    "Kui",
    "Lan",
    "Lee",
    "Mar",
    "Mei",
    "Mun",
    "Naar",
    "Ol",
    "Pa",
    "Pet",
    "Ram",
    "Ren",
    "Rui",
    "Sal",
    "Schol",
    "Slot",
    "Sme",
    "Ste",
    "Swa",
    "Tim",
    "Tol",
    "Val",
    "Ven",
    "Vis",
    "Wal",
    "Wes",
    "Wil",
    "Zwa",
)
_MIDDEN = ("", "", "e", "en", "er", "el", "ink", "st", "ke", "s")
_EIND = (
    "man",
    "mans",
    "sma",
    "stra",
    "inga",
    "ink",
    "veld",
    "dijk",
    "berg",
    "kamp",
    "horst",
    "hout",
    "broek",
    "huis",
    "hof",
    "meer",
    "beek",
    "sen",
    "ing",
    "ma",
    "er",
    "ers",
    "tjes",
    "kes",
    "ing",
    "rink",
    "bos",
    "laar",
    "hagen",
    "heim",
)
STAART = 20_000  # of some 27,000 combinations of the syllables below

VAKKEN_VO = (
    "Wiskunde",
    "Nederlands",
    "Engels",
    "Geschiedenis",
    "Biologie",
    "Lichamelijke opvoeding",
    "Aardrijkskunde",
    "Frans",
    "Duits",
    "Natuurkunde",
    "Scheikunde",
    "Economie",
    "Informatica",
    "Muziek",
    "Tekenen",
    "Maatschappijleer",
    "Godsdienst",
    "Filosofie",
    "Latijn",
    "Grieks",
)
GEWICHT_VO = (14, 14, 12, 8, 8, 8, 5, 5, 5, 5, 4, 4, 2, 2, 2, 2, 1, 1, 1, 1)
VAKKEN_MBO = (
    "Nederlands",
    "Engels",
    "Rekenen",
    "Economie",
    "Zorg en welzijn",
    "Techniek",
    "Ict",
    "Loopbaan en burgerschap",
    "Horeca",
    "Handel",
)
PO = ("Basisonderwijs", "PO")

TITELS = {
    "VAKINHOUDELIJK": (
        "Masterclass {vak}",
        "Nascholing {vak}: het nieuwe examenprogramma",
        "Vakdag {vak}",
        "Summerschool {vak}",
        "Actuele ontwikkelingen in het vak {vak}",
        "Vakconferentie {vak}",
        "Leergang {vak} voor gevorderden",
        "Verdieping {vak}",
    ),
    "VAKDIDACTISCH": (
        "Formatief evalueren in de les {vak}",
        "Didactiek van {vak}: activerende werkvormen",
        "Differentiëren in de klas",
        "Werken met leerlijnen",
        "Lesson study met collega's",
        "Digitale leermiddelen inzetten in de les",
        "Taalgericht vakonderwijs",
    ),
    "PEDAGOGISCH": (
        "Klassenmanagement en groepsdynamiek",
        "Omgaan met gedragsproblemen in de klas",
        "Mentoraat en loopbaanbegeleiding",
        "Passend onderwijs: ondersteuningsbehoeften",
        "Sociale veiligheid op school",
        "Omgaan met hoogbegaafde leerlingen",
        "Oudergesprekken voeren",
    ),
    "OVERIG": (
        "Werkgroep schoolontwikkeling",
        "Begeleiding van stagiairs",
        "Collegiale visitatie",
        "Intervisie met collega's",
        "Bedrijfshulpverlening: herhaling",
        "Schoolplan opstellen",
    ),
}
GEBIEDEN = ("VAKINHOUDELIJK", "VAKDIDACTISCH", "PEDAGOGISCH", "OVERIG")
GEBIED_GEWICHT = (35, 25, 25, 15)
GEBIED_TABEL = tuple(g for g, n in zip(GEBIEDEN, GEBIED_GEWICHT) for _ in range(n // 5))
ACTIVITEITSOORTEN = ("OPLEIDING", "CURSUS", "STUDIEDAG", "CONFERENTIE", "BINNENSCHOOLS", "BUITENSCHOOLS", "ZELFSTUDIE")
BESTUUR_SOORT = ("Stichting", "Vereniging", "Stichting", "Coöperatie", "Stichting")
BESTUUR_WAT = {
    "po": ("Openbaar Primair Onderwijs", "Christelijk Primair Onderwijs", "Katholiek Basisonderwijs", "Basisscholen"),
    "vo": ("Voortgezet Onderwijs", "Scholengemeenschap", "Lyceum", "Katholiek Voortgezet Onderwijs"),
    "mbo": ("Regionaal Opleidingencentrum", "Vakcollege", "Beroepsonderwijs"),
}
STREKEN = (
    "Waterland",
    "De Vallei",
    "Amstelland",
    "Oost-Brabant",
    "Rijn en IJssel",
    "Zuidwest-Friesland",
    "Twente",
    "Drechtsteden",
    "Kennemerland",
    "Zeeuws-Vlaanderen",
    "De Liemers",
    "Achterhoek",
    "Westland",
    "Gooi en Vecht",
    "Noord-Limburg",
    "Drenthe",
    "Groningen-Stad",
    "Haaglanden",
    "Rijnmond",
    "Utrecht-West",
    "Veluwe",
    "Kempen",
    "Betuwe",
    "Zaanstreek",
    "Hoeksche Waard",
)


def _achternamen() -> tuple[list[tuple[str | None, str]], list[float]]:
    """The real surnames' head as in the Netherlands (De Jong about 0.6% of people falling to some
    0.06% at the hundredth, together about 12%), and a long made-up tail for the rest."""
    rng = random.Random(ZAAD)
    kop = list(GEWONE_ACHTERNAMEN)
    gewichten = [1.0 / (r + 1) ** 0.5 for r in range(len(kop))]
    schaal = 0.12 / sum(gewichten)
    gewichten = [g * schaal for g in gewichten]
    gezien = {a for _, a in kop}
    staart: list[tuple[str | None, str]] = []
    while len(staart) < STAART:
        naam = rng.choice(_BEGIN) + rng.choice(_MIDDEN) + rng.choice(_EIND)
        if naam in gezien:
            continue
        gezien.add(naam)
        tv = rng.choice(("van", "de", "van der", "van den", "ter", "te")) if rng.random() < 0.15 else None
        staart.append((tv, naam))
    rest = 0.88 / len(staart)
    namen = kop + staart
    cum, totaal = [], 0.0
    for g in gewichten + [rest] * len(staart):
        totaal += g
        cum.append(totaal)
    return namen, cum


ACHTERNAMEN, ACHTERNAAM_CUM = _achternamen()


# --- small helpers ---------------------------------------------------------------------------------


def bsn_van(i: int) -> str:
    """Teacher i's BSN: nine digits passing the elfproef, different for every i."""
    prefix = 10_000_000 + 2 * i
    for kandidaat in (prefix, prefix + 1):
        cijfers = f"{kandidaat:08d}"
        s = sum(w * int(c) for w, c in zip(range(9, 1, -1), cijfers))
        if s % 11 != 10:
            return cijfers + str(s % 11)
    raise AssertionError("unreachable: the two sums differ by 2 mod 11")


def registernummer_van(i: int) -> str:
    return registernummer(EERSTE_VOLGNUMMER + i)


def _dag(rng: random.Random, van: dt.date, tot: dt.date) -> dt.date:
    if tot <= van:
        return van
    return van + dt.timedelta(days=rng.randrange((tot - van).days + 1))


def _jaren(d: dt.date, jaren: int) -> dt.date:
    return datums.verjaardag(d, jaren)


@dataclass(frozen=True)
class Bestuur:
    id: int
    nummer: str
    naam: str
    sector: str


def besturen(aantal: int, zaad: int) -> tuple[list[Bestuur], list[float]]:
    """School boards with skewed sizes: a lognormal weight, from one school to several thousand staff."""
    rng = random.Random(zaad * 7919)
    uit, cum, totaal = [], [], 0.0
    for b in range(aantal):
        r = rng.random()
        sector = "po" if r < 0.6 else "vo" if r < 0.9 else "mbo"
        naam = f"{rng.choice(BESTUUR_SOORT)} {rng.choice(BESTUUR_WAT[sector])} {rng.choice(STREKEN)} {b + 1}"
        uit.append(Bestuur(b + 1, f"{10001 + b * 53}", naam, sector))
        gewicht = math.exp(rng.gauss(0.0, 1.2)) * (2.0 if sector == "mbo" else 1.0)
        totaal += gewicht
        cum.append(totaal)
    return uit, cum


# --- one teacher -------------------------------------------------------------------------------------


@dataclass
class Persoon:
    """What DUO delivers about teacher i (a Levering)."""

    i: int
    bsn: str
    voornamen: str
    tussenvoegsel: str | None
    achternaam: str
    geboortedatum: dt.date
    bevoegdheden: list[tuple[str, str, dt.date]]  # (vak, soort, behaaldOp)
    benoemingen: list[tuple[Bestuur, str, dt.date, dt.date | None]]
    rng: random.Random = field(repr=False)

    def levering(self) -> dict[str, Any]:
        return {
            "bsn": self.bsn,
            "voornamen": self.voornamen,
            "tussenvoegsel": self.tussenvoegsel,
            "achternaam": self.achternaam,
            "geboortedatum": self.geboortedatum.isoformat(),
            "bevoegdheden": [{"vak": v, "soort": s, "behaaldOp": d.isoformat()} for v, s, d in self.bevoegdheden],
            "benoemingen": [
                {
                    "bevoegdGezagNummer": b.nummer,
                    "schoolbestuurNaam": b.naam,
                    "vak": vak,
                    "begindatum": begin.isoformat(),
                    "einddatum": eind.isoformat() if eind else None,
                }
                for b, vak, begin, eind in self.benoemingen
            ],
        }


class Wereld:
    """Everything shared by all teachers: the date, the boards, the catalogue."""

    def __init__(self, vandaag: dt.date, zaad: int, aantal_besturen: int, aantal_catalogus: int):
        self.vandaag = vandaag
        self.zaad = zaad
        self.besturen, self.bestuur_cum = besturen(aantal_besturen, zaad)
        self.per_sector = {s: [b for b in self.besturen if b.sector == s] for s in ("po", "vo", "mbo")}
        self.aantal_catalogus = aantal_catalogus
        rng = random.Random(zaad * 31)
        # (id, uren, gebied) of each catalogue activity, for portfolio entries that name one
        self.catalogus = []
        for c in range(aantal_catalogus):
            contact = rng.choice((2.0, 4.0, 6.0, 8.0, 12.0, 16.0, 24.0))
            zelf = rng.choice((0.0, 0.0, 2.0, 4.0, 8.0))
            self.catalogus.append((c + 1, contact + zelf, rng.choices(GEBIEDEN, GEBIED_GEWICHT)[0], contact, zelf))

    def bestuur(self, rng: random.Random, sector: str | None = None) -> Bestuur:
        if sector is not None and rng.random() < 0.5 and self.per_sector[sector]:
            return rng.choice(self.per_sector[sector])
        return self.besturen[bisect.bisect_left(self.bestuur_cum, rng.random() * self.bestuur_cum[-1])]

    def persoon(self, i: int) -> Persoon:
        rng = random.Random(self.zaad * 1_000_003 + i)
        v = self.vandaag
        b1 = self.bestuur(rng)
        sector = b1.sector
        aantal_vn = rng.choices((1, 2, 3), (55, 35, 10))[0]
        voornamen = " ".join(rng.sample(VOORNAMEN, aantal_vn))
        tv, achternaam = ACHTERNAMEN[bisect.bisect_left(ACHTERNAAM_CUM, rng.random() * ACHTERNAAM_CUM[-1])]
        geboren = _dag(rng, _jaren(v, -66), _jaren(v, -23))
        volwassen = _jaren(geboren, 22)
        # Bevoegdheden: none for an unqualified starter or side-entrant (voorportaal only).
        aantal_bev = 0 if rng.random() < 0.02 else rng.choices((1, 2, 3), (55, 33, 12))[0]
        bevoegdheden: list[tuple[str, str, dt.date]] = []
        sleutels = set()
        for k in range(aantal_bev):
            if sector == "po" and k == 0:
                vak, soort = PO
            elif sector == "po" or sector == "vo":
                vak = rng.choices(VAKKEN_VO, GEWICHT_VO)[0]
                soort = "EERSTEGRAADS" if rng.random() < 0.3 else "TWEEDEGRAADS"
            else:
                vak, soort = rng.choice(VAKKEN_MBO), "PDG"
            if (vak, soort) in sleutels:
                continue
            sleutels.add((vak, soort))
            bevoegdheden.append((vak, soort, _dag(rng, volwassen, min(v, _jaren(volwassen, 25)))))
        bevoegd = [vak for vak, _, _ in bevoegdheden]
        # Benoemingen: one or two; now and then for a subject without a bevoegdheid (voorportaal).
        benoemingen: list[tuple[Bestuur, str, dt.date, dt.date | None]] = []
        for k in range(rng.choices((1, 2), (70, 30))[0]):
            bestuur = b1 if k == 0 or rng.random() < 0.5 else self.bestuur(rng, sector)
            onbevoegd = not bevoegd or rng.random() < 0.05
            if onbevoegd:
                vak = rng.choice(VAKKEN_MBO if bestuur.sector == "mbo" else VAKKEN_VO)
                if vak in bevoegd:
                    vak = "Techniek" if vak != "Techniek" else "Informatica"
                begin = _dag(rng, _jaren(v, -4) - dt.timedelta(days=200), v)
            else:
                vak = bevoegd[k % len(bevoegd)]
                begin = _dag(rng, max(volwassen, _jaren(v, -30)), v - dt.timedelta(days=30))
            r = rng.random()
            einde = (
                None
                if r < 0.85
                else _dag(rng, begin, v - dt.timedelta(days=1))
                if r < 0.95
                else _dag(rng, v + dt.timedelta(days=30), v + dt.timedelta(days=700))
            )
            if einde is not None and einde < begin:
                einde = None
            if any(b.id == bestuur.id and x == vak and bd == begin for b, x, bd, _ in benoemingen):
                continue
            benoemingen.append((bestuur, vak, begin, einde))
        return Persoon(i, bsn_van(i), voornamen, tv, achternaam, geboren, bevoegdheden, benoemingen, rng)


# The name rules are the register's own; a national register repeats the same few thousand names.
normaliseer = functools.lru_cache(maxsize=None)(naamregels.normaliseer)
sorteernaam = functools.lru_cache(maxsize=None)(naamregels.sorteernaam)
vak_sleutel = functools.lru_cache(maxsize=None)(naamregels.vak_sleutel)
voorletters = functools.lru_cache(maxsize=None)(naamregels.voorletters)

# --- COPY text format ----------------------------------------------------------------------------

N = "\\N"
_ISO: dict[int, str] = {}


def _iso(ordinaal: int) -> str:
    s = _ISO.get(ordinaal)
    if s is None:
        s = _ISO[ordinaal] = dt.date.fromordinal(ordinaal).isoformat()
    return s


_TITELS: dict[str, dict[str, list[str]]] = {}


def _titels(vak: str) -> dict[str, list[str]]:
    per = _TITELS.get(vak)
    if per is None:
        per = _TITELS[vak] = {g: [x.format(vak=vak) for x in lijst] for g, lijst in TITELS.items()}
    return per


def d(x: dt.date | None) -> str:
    if x is None:
        return N
    o = x.toordinal()
    s = _ISO.get(o)
    if s is None:
        s = _ISO[o] = x.isoformat()
    return s


def t(x: str | None) -> str:
    if x is None:
        return N
    if "\\" in x or "\t" in x or "\n" in x or "\r" in x:
        x = x.replace("\\", "\\\\").replace("\t", "\\t").replace("\n", "\\n").replace("\r", "\\r")
    return x


def b(x: bool) -> str:
    return "t" if x else "f"


def ts(x: dt.date) -> str:
    return d(x) + " 09:00:00+00"


KOLOMMEN = {
    "leraar": (
        "id",
        "registernummer",
        "bsn_hash",
        "voornamen",
        "tussenvoegsel",
        "achternaam",
        "voorletters",
        "duo_voornamen",
        "duo_tussenvoegsel",
        "duo_achternaam",
        "geboortedatum",
        "zoeknaam",
        "sorteernaam",
        "status",
        "geregistreerd_op",
        "eerste_levering_op",
        "portfolio_openbaar",
        "gewijzigd_op",
    ),
    "bevoegdheid": ("id", "leraar_id", "vak", "vak_sleutel", "soort", "behaald_op", "voor_herregistratie"),
    "benoeming": ("id", "leraar_id", "schoolbestuur_id", "vak", "begindatum", "einddatum"),
    "voorportaalinschrijving": (
        "id",
        "leraar_id",
        "schoolbestuur_id",
        "vak",
        "vak_sleutel",
        "begindatum",
        "termijn_einde",
        "verlengd",
        "afgesloten",
        "afgesloten_op",
    ),
    "herregistratieperiode": (
        "id",
        "bevoegdheid_id",
        "periode_start",
        "periode_einde",
        "criteria_id",
        "uitkomst",
        "beoordeeld_op",
    ),
    "aantekening": ("id", "bevoegdheid_id", "periode_id", "geplaatst_op", "status", "opgeheven_op"),
    "bezwaar": (
        "id",
        "aantekening_id",
        "ingediend_op",
        "ingediend_door",
        "schoolbestuur_id",
        "motivering",
        "status",
        "behandeld_op",
    ),
    "portfolio_activiteit": (
        "id",
        "leraar_id",
        "titel",
        "datum",
        "uren",
        "gebied",
        "bron",
        "catalogus_activiteit_id",
        "aangemaakt_op",
    ),
    "portfolio_bevoegdheid": ("activiteit_id", "bevoegdheid_id"),
    "foutmelding": (
        "id",
        "leraar_id",
        "benoeming_id",
        "bevoegdheid_id",
        "onderwerp",
        "toelichting",
        "gemeld_op",
        "opgelost",
    ),
}
GROTE_TABELLEN = tuple(KOLOMMEN)
# vrijwillig_account refers to leraar: its key must go and come back with leraar's.
SLEUTEL_TABELLEN = GROTE_TABELLEN + ("vrijwillig_account",)
SOORTEN_WAARSCHUWING = (
    "ACHTER_OP_SCHEMA",
    "HERREGISTRATIE_ZES_MAANDEN",
    "HERREGISTRATIE_TWAALF_WEKEN",
    "VOORPORTAALTERMIJN_VERLOOPT",
    "AANTEKENING",
    "REGISTRATIE_NIET_BEVESTIGD",
)


class Blok:
    """The COPY text of a range of teachers, table by table, and what it holds."""

    def __init__(self) -> None:
        self.regels: dict[str, list[str]] = {k: [] for k in KOLOMMEN}
        self.tellingen: dict[str, int] = {}

    def tel(self, wat: str, n: int = 1) -> None:
        self.tellingen[wat] = self.tellingen.get(wat, 0) + n

    def rij(self, tabel: str, *waarden: str) -> None:
        self.regels[tabel].append("\t".join(waarden))

    def als_bytes(self) -> dict[str, bytes]:
        return {k: ("\n".join(v) + "\n").encode() if v else b"" for k, v in self.regels.items()}


def _geregistreerd_op(rng: random.Random, v: dt.date) -> dt.date:
    """Early adopters (voluntary phase), the mandatory wave, and a steady stream since."""
    r = rng.random()
    if r < 0.20:
        return _dag(rng, OPENING, VERPLICHT - dt.timedelta(days=1))
    if r < 0.65:
        return _dag(rng, VERPLICHT, min(v, dt.date(2020, 12, 31)))
    return _dag(rng, min(v, dt.date(2021, 1, 1)), v)


def schrijf_leraar(w: Wereld, p: Persoon, blok: Blok, sleutel: bytes) -> None:
    """Teacher i's register state: status, choices, periods, portfolio, voorportaal, aantekeningen."""
    rng, v, i = p.rng, w.vandaag, p.i
    lid = i + 1
    heeft_bev = bool(p.bevoegdheden)
    geregistreerd = heeft_bev and rng.random() < 0.85
    if geregistreerd:
        reg_op = max(_geregistreerd_op(rng, v), max(bd for _, _, bd in p.bevoegdheden[:1]))
        reg_op = min(reg_op, v)
        geleverd = max(OPENING - dt.timedelta(days=60), reg_op - dt.timedelta(days=rng.randrange(1, 150)))
    else:
        reg_op = None
        # Most unconfirmed teachers were delivered long ago (REGISTRATIE_NIET_BEVESTIGD), some recently.
        geleverd = _dag(rng, v - dt.timedelta(days=30), v) if rng.random() < 0.2 else _dag(rng, OPENING, v)
    vl = voorletters(p.voornamen)
    blok.rij(
        "leraar",
        str(lid),
        registernummer_van(i),
        bsn_hash(sleutel, p.bsn),
        t(p.voornamen),
        t(p.tussenvoegsel),
        t(p.achternaam),
        vl,
        t(p.voornamen),
        t(p.tussenvoegsel),
        t(p.achternaam),
        d(p.geboortedatum),
        t(normaliseer(p.achternaam)),
        t(sorteernaam(p.achternaam, vl)),
        "GEREGISTREERD" if geregistreerd else "KLAARGEZET",
        d(reg_op),
        d(geleverd),
        b(geregistreerd and rng.random() < 0.1),
        ts(max(geleverd, reg_op or geleverd)),
    )
    blok.tel("leraar")
    blok.tel("geregistreerd" if geregistreerd else "klaargezet")
    if not geregistreerd and (v - geleverd).days >= ww.NIET_BEVESTIGD_DAGEN:
        blok.tel("w:REGISTRATIE_NIET_BEVESTIGD")

    # Bevoegdheden; a registered teacher chose all of them for herregistratie, or some.
    bev_ids: list[int] = []
    gekozen: list[int] = []
    vakken = set()
    for k, (vak, soort, behaald) in enumerate(p.bevoegdheden):
        bid = i * MAX_BEVOEGDHEDEN + k + 1
        bev_ids.append(bid)
        vakken.add(vak_sleutel(vak))
        kies = geregistreerd and behaald <= reg_op and (k == 0 or rng.random() < 0.7)  # type: ignore[operator]
        if kies:
            gekozen.append(k)
        blok.rij("bevoegdheid", str(bid), str(lid), t(vak), t(vak_sleutel(vak)), soort, d(behaald), b(kies))
    blok.tel("bevoegdheid", len(bev_ids))

    # Benoemingen and the voorportaal entries they open.
    for k, (bestuur, vak, begin, einde) in enumerate(p.benoemingen):
        bid = i * 2 + k + 1
        blok.rij("benoeming", str(bid), str(lid), str(bestuur.id), t(vak), d(begin), d(einde))
        blok.tel("benoeming")
        vs = vak_sleutel(vak)
        if vs in vakken:
            continue
        verlengd = rng.random() < 0.2
        termijn = datums.voorportaal_termijn_einde(begin, verlengd)
        blok.rij(
            "voorportaalinschrijving",
            str(bid),
            str(lid),
            str(bestuur.id),
            t(vak),
            t(vs),
            d(begin),
            d(termijn),
            b(verlengd),
            "f",
            N,
        )
        blok.tel("voorportaal")
        opent = ww.maanden_terug(termijn + dt.timedelta(days=1), ww.VOORPORTAAL_MAANDEN)
        if opent <= v <= termijn:
            blok.tel("w:VOORPORTAALTERMIJN_VERLOOPT")

    if not geregistreerd:
        if rng.random() < 0.01 and p.benoemingen:
            blok.rij(
                "foutmelding",
                str(i + 1),
                str(lid),
                str(i * 2 + 1),
                N,
                "Benoeming",
                "De einddatum van deze benoeming klopt niet.",
                d(_dag(rng, geleverd, v)),
                "f",
            )
            blok.tel("foutmelding")
        return
    assert reg_op is not None

    # Portfolio: 5 to 42 activities from a few months before registering until today; a teacher's
    # pace decides whether the periods end met, at risk or short. Dates are ordinals in this loop.
    r = rng.random()
    ijver = rng.uniform(1.1, 1.8) if r < 0.65 else rng.uniform(0.7, 1.1) if r < 0.87 else rng.uniform(0.2, 0.7)
    aantal = rng.randint(5, 42)
    van = max(dt.date(2014, 1, 1), reg_op - dt.timedelta(days=120)).toordinal()
    spanne = max(v.toordinal() - van, 30) + 1
    gemiddeld = 160.0 * ijver * spanne / (4 * 365.25) / aantal
    vak0 = p.bevoegdheden[gekozen[0]][0]
    titels = _titels(vak0)
    verplicht = VERPLICHT.toordinal()
    acts: dict[int, list[tuple[int, str, float]]] = {k: [] for k in gekozen}
    rnd = rng.random
    activiteiten, koppelingen = blok.regels["portfolio_activiteit"], blok.regels["portfolio_bevoegdheid"]
    slid = str(lid)
    koppelingen_voor = len(koppelingen)
    for j in range(aantal):
        aid = str(i * MAX_ACTIVITEITEN + j + 1)
        datum = van + int(rnd() * spanne)
        r = rnd()
        cat = N
        if r < 0.05 and datum < verplicht:
            bron, koppel = "VRIJWILLIG_REGISTER", ()
        else:
            bron = "EIGEN"
            koppel = gekozen if len(gekozen) == 1 or rnd() < 0.5 else (gekozen[int(rnd() * len(gekozen))],)
        if bron == "EIGEN" and r > 0.9:
            cid, uren, gebied, _, _ = w.catalogus[int(rnd() * len(w.catalogus))]
            bron, cat = "CATALOGUS", str(cid)
            titel = f"Catalogusactiviteit {cid}"
        else:
            gebied = GEBIED_TABEL[int(rnd() * len(GEBIED_TABEL))]
            # Halves only: sums are exact, so every server adds them up to the same float.
            uren = min(200.0, max(0.5, round(-math.log(1.0 - rnd()) * gemiddeld * 2) / 2))
            lijst = titels[gebied]
            titel = lijst[int(rnd() * len(lijst))]
        iso = _ISO.get(datum) or _iso(datum)
        activiteiten.append(f"{aid}\t{slid}\t{titel}\t{iso}\t{uren!r}\t{gebied}\t{bron}\t{cat}\t{iso} 09:00:00+00")
        for k in koppel:
            koppelingen.append(f"{aid}\t{bev_ids[k]}")
            acts[k].append((datum, gebied, uren))
    blok.tel("koppeling", len(koppelingen) - koppelingen_voor)
    blok.tel("activiteit", aantal)

    # Periods per chosen bevoegdheid, in a chain from the registration; those that ended before
    # BEOORDEELD_TOT were assessed (with an aantekening when short), the rest is due or running.
    for k in gekozen:
        bid = bev_ids[k]
        soort = p.bevoegdheden[k][1]
        start = reg_op
        n = 0
        staande = False

        def uren_in(van_: dt.date, tot_: dt.date, lijst: list[tuple[int, str, float]] = acts[k]) -> hr.Uren:
            a, z = van_.toordinal(), tot_.toordinal()
            return hr.tel_uren((g, u) for dd, g, u in lijst if a <= dd <= z)

        while True:
            einde = datums.periode_einde(start)
            pid = bid * MAX_PERIODEN + n
            if einde < BEOORDEELD_TOT and einde < v:
                uren = uren_in(start, einde)
                peildatum = min(
                    datums.volgende_periode_start(einde).replace(day=1) + dt.timedelta(days=32), BEOORDEELD_TOT
                ).replace(day=1)
                ok = hr.voldoet(uren, CRITERIA, soort)
                blok.rij(
                    "herregistratieperiode",
                    str(pid),
                    str(bid),
                    d(start),
                    d(einde),
                    str(CRITERIA_ID),
                    "VOLDAAN" if ok else "NIET_VOLDAAN",
                    d(peildatum),
                )
                blok.tel("periode_beoordeeld")
                if not ok and not staande:
                    datiert = [(dt.date.fromordinal(dd), g, u) for dd, g, u in acts[k]]
                    opgeheven = hr.opheffingsdatum(peildatum, v, datiert, CRITERIA, soort)
                    r = rng.random()
                    status = "OPGEHEVEN" if opgeheven else "INGETROKKEN" if r < 0.05 else "STAAT"
                    blok.rij("aantekening", str(pid), str(bid), str(pid), d(peildatum), status, d(opgeheven))
                    blok.tel("aantekening")
                    staande = status == "STAAT"
                    if status == "STAAT":
                        blok.tel("w:AANTEKENING")
                    if status == "INGETROKKEN" or r < 0.15:
                        uitspraak = "GEGROND" if status == "INGETROKKEN" else "ONGEGROND"
                        werkgever = p.benoemingen[0][0].id if p.benoemingen and r < 0.08 else None
                        blok.rij(
                            "bezwaar",
                            str(pid),
                            str(pid),
                            d(peildatum + dt.timedelta(days=20)),
                            "SCHOOLBESTUUR" if werkgever else "LERAAR",
                            str(werkgever) if werkgever else N,
                            "De nascholing is wel gedaan maar niet op tijd ingevoerd.",
                            uitspraak,
                            d(peildatum + dt.timedelta(days=60)),
                        )
                        blok.tel("bezwaar")
                start, n = datums.volgende_periode_start(einde), n + 1
                continue
            blok.rij("herregistratieperiode", str(pid), str(bid), d(start), d(einde), str(CRITERIA_ID), N, N)
            if einde < v:
                blok.tel("periode_te_beoordelen")
                # The assessment will also judge the period after it when that has ended too.
                volgende = datums.volgende_periode_start(einde)
                if datums.periode_einde(volgende) < v:
                    blok.tel("periode_te_beoordelen")
                start, einde = hr.periode_op(start, v)
            else:
                blok.tel("periode_lopend")
            uren = uren_in(start, min(einde, v))
            status = hr.voortgang(start, einde, v, uren, CRITERIA, soort)
            for wsch in ww.periode_waarschuwingen(bid, "", einde, status, hr.voldoet(uren, CRITERIA, soort), v):
                blok.tel("w:" + wsch.soort)
            break


_WERELD: Wereld | None = None
_SLEUTEL = b""


def _zet_wereld(w: Wereld, sleutel: bytes) -> None:
    global _WERELD, _SLEUTEL
    _WERELD, _SLEUTEL = w, sleutel


def genereer_blok(bereik: tuple[int, int]) -> tuple[dict[str, bytes], dict[str, int]]:
    """COPY text for teachers van..tot (runs in a generator process)."""
    w, sleutel = _WERELD, _SLEUTEL
    assert w is not None
    van, tot = bereik
    blok = Blok()
    for i in range(van, tot):
        schrijf_leraar(w, w.persoon(i), blok, sleutel)
    return blok.als_bytes(), blok.tellingen


# --- the database ----------------------------------------------------------------------------------


def asyncpg_url(url: str) -> str:
    return "postgresql://" + url.split("://", 1)[1]


def sqlalchemy_url(url: str) -> str:
    return "postgresql+asyncpg://" + url.split("://", 1)[1]


def db_naam(url: str) -> str:
    return url.rsplit("/", 1)[1].split("?", 1)[0]


def controleer_bench_naam(url: str) -> None:
    """Only ever drop or fill a database whose name says it is the bench's."""
    if not db_naam(url).startswith("lr_bench"):
        sys.exit(f"genereer: refusing to touch {db_naam(url)!r}: bench databases are named lr_bench*")


async def maak_database(url: str) -> None:
    import asyncpg

    naam = db_naam(url)
    beheer = await asyncpg.connect(asyncpg_url(url).rsplit("/", 1)[0] + "/postgres")
    try:
        await beheer.execute(f'DROP DATABASE IF EXISTS "{naam}" WITH (FORCE)')
        await beheer.execute(f'CREATE DATABASE "{naam}"')
    finally:
        await beheer.close()


async def _definities(conn: Any) -> tuple[list[str], list[str], list[str]]:
    """The statements that recreate the constraints and indexes of the big tables, as they are now."""
    tabellen = list(SLEUTEL_TABELLEN)
    cons = await conn.fetch(
        """SELECT c.conrelid::regclass::text AS tabel, c.conname, c.contype::text AS contype,
                  pg_get_constraintdef(c.oid) AS def
           FROM pg_constraint c WHERE c.conrelid::regclass::text = ANY($1::text[]) AND c.contype IN ('p','u','f')""",
        tabellen,
    )
    idx = await conn.fetch(
        """SELECT i.indexrelid::regclass::text AS naam, pg_get_indexdef(i.indexrelid) AS def
           FROM pg_index i WHERE i.indrelid::regclass::text = ANY($1::text[])
           AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)""",
        tabellen,
    )
    drop = [
        f'ALTER TABLE "{c["tabel"]}" DROP CONSTRAINT "{c["conname"]}"'
        for c in sorted(cons, key=lambda c: c["contype"] != "f")
    ]
    drop += [f'DROP INDEX "{x["naam"]}"' for x in idx]
    sleutels = [
        f'ALTER TABLE "{c["tabel"]}" ADD CONSTRAINT "{c["conname"]}" {c["def"]}' for c in cons if c["contype"] in "pu"
    ] + [x["def"] for x in idx]
    fks = [
        f'ALTER TABLE "{c["tabel"]}" ADD CONSTRAINT "{c["conname"]}" {c["def"]}' for c in cons if c["contype"] == "f"
    ]
    return drop, sleutels, fks


async def _parallel(url: str, statements: list[str], verbindingen: int = 2) -> None:
    """Run statements over a few connections at once (index builds use both cores)."""
    import asyncpg

    wachtrij = list(statements)

    async def werker() -> None:
        conn = await asyncpg.connect(url)
        try:
            await conn.execute("SET maintenance_work_mem = '512MB'")
            while wachtrij:
                await conn.execute(wachtrij.pop(0))
        finally:
            await conn.close()

    await asyncio.gather(*(werker() for _ in range(verbindingen)))


def _verdeel(aantal: int, grootte: int) -> Iterator[tuple[int, int]]:
    for van in range(0, aantal, grootte):
        yield van, min(aantal, van + grootte)


async def vul(url: str, aantal: int, w: Wereld, processen: int, sleutel: bytes) -> dict[str, int]:
    import asyncpg

    klok = time.perf_counter()

    def meld(wat: str) -> None:
        print(f"  {time.perf_counter() - klok:7.1f} s  {wat}", flush=True)

    conn = await asyncpg.connect(asyncpg_url(url))
    try:
        await conn.execute("SET synchronous_commit = off")
        drop, sleutels, fks = await _definities(conn)
        for s in drop:
            await conn.execute(s)
        meld("dropped constraints and indexes of the big tables")

        rng = random.Random(w.zaad)
        await conn.copy_records_to_table(
            "schoolbestuur",
            records=[(x.id, x.nummer, x.naam) for x in w.besturen],
            columns=("id", "bevoegd_gezag_nummer", "naam"),
        )
        aanbieders = max(1, len(w.catalogus) // 40)
        await conn.copy_records_to_table(
            "aanbieder",
            records=[(a + 1, f"AANB{a + 1:04d}", f"Opleider {rng.choice(STREKEN)} {a + 1}") for a in range(aanbieders)],
            columns=("id", "code", "naam"),
        )
        from lerarenregister.resolvers.catalogus import zoektitel

        gepubliceerd = dt.datetime(2019, 1, 1, tzinfo=dt.UTC)
        cat = []
        for cid, _uren, gebied, contact, zelf in w.catalogus:
            soort = ACTIVITEITSOORTEN[cid % len(ACTIVITEITSOORTEN)]
            titel = f"{rng.choice(TITELS[gebied]).format(vak=rng.choice(VAKKEN_VO))} ({soort.lower()} {cid})"
            cat.append(
                (
                    cid,
                    (cid - 1) % aanbieders + 1,
                    titel,
                    zoektitel(titel),
                    None,
                    soort,
                    contact,
                    zelf,
                    gebied,
                    zelf > contact or rng.random() < 0.2,
                    cid % 50 == 0,
                    gepubliceerd,
                )
            )
        await conn.copy_records_to_table(
            "catalogus_activiteit",
            records=cat,
            columns=(
                "id",
                "aanbieder_id",
                "titel",
                "zoektitel",
                "omschrijving",
                "soort",
                "contacturen",
                "zelfstudieuren",
                "gebied",
                "toetsing",
                "ingetrokken",
                "gepubliceerd_op",
            ),
        )
        meld(f"{len(w.besturen)} boards, {aanbieders} providers, {len(cat)} catalogue activities")

        tellingen: dict[str, int] = {}
        blokken = list(_verdeel(aantal, 2000))
        gedaan = 0
        volgende_melding = 0.0
        ctx = multiprocessing.get_context("fork")
        with ctx.Pool(processen, initializer=_zet_wereld, initargs=(w, sleutel)) as pool:
            for teksten, tel in pool.imap(genereer_blok, blokken):
                for tabel, tekst in teksten.items():
                    if tekst:
                        await conn.copy_to_table(
                            tabel, source=io.BytesIO(tekst), columns=KOLOMMEN[tabel], format="text"
                        )
                for k, n in tel.items():
                    tellingen[k] = tellingen.get(k, 0) + n
                gedaan += tel.get("leraar", 0)
                if time.perf_counter() - klok >= volgende_melding:
                    meld(f"{gedaan:,} teachers written")
                    volgende_melding = time.perf_counter() - klok + 15
        meld(f"all {gedaan:,} teachers written")

        await _parallel(asyncpg_url(url), sleutels)
        meld("primary keys, unique constraints and indexes rebuilt")
        await _parallel(asyncpg_url(url), fks)
        meld("foreign keys rebuilt and validated")
        for tabel in ("schoolbestuur", "aanbieder", "catalogus_activiteit") + GROTE_TABELLEN:
            if "id" in KOLOMMEN.get(tabel, ("id",)):
                await conn.execute(
                    f"SELECT setval(pg_get_serial_sequence('{tabel}', 'id'), "
                    f"coalesce((SELECT max(id) FROM {tabel}), 0) + 1, false)"
                )
        await conn.execute("UPDATE registernummer_teller SET volgende = $1 WHERE id = 1", EERSTE_VOLGNUMMER + aantal)
        await conn.execute("UPDATE data_versie SET versie = versie + 1, gewijzigd_op = now() WHERE id = 1")
        await conn.execute("CREATE SCHEMA IF NOT EXISTS bench_meta")
        await conn.execute("CREATE TABLE IF NOT EXISTS bench_meta.gegevens (sleutel text PRIMARY KEY, waarde text)")
        await conn.executemany(
            "INSERT INTO bench_meta.gegevens VALUES ($1, $2) ON CONFLICT (sleutel) DO UPDATE SET waarde = $2",
            [
                ("vandaag", w.vandaag.isoformat()),
                ("leraren", str(aantal)),
                ("zaad", str(w.zaad)),
                ("besturen", str(len(w.besturen))),
                ("catalogus", str(w.aantal_catalogus)),
            ],
        )
        meld("sequences, registernummer counter and bench_meta set")
        await conn.execute("VACUUM (ANALYZE)")
        meld("VACUUM (ANALYZE): statistics fresh, visibility map set, no autovacuum pending")
    finally:
        await conn.close()
    return tellingen


# --- replay through the API --------------------------------------------------------------------------

from scenarios import LEVERING as MUTATIE  # noqa: E402


def duo_token() -> str:
    from lerarenregister.auth.demo import maak_token
    from lerarenregister.settings import Settings

    return maak_token(Settings(), "duo")


def replay(
    server: str,
    token: str,
    w: Wereld,
    van: int,
    aantal: int,
    per_aanroep: int = 1000,
    max_seconden: float | None = None,
) -> dict[str, Any]:
    """Deliver teachers van..van+aantal through zetGegevensKlaar; time only the HTTP calls."""
    import httpx
    import orjson

    totaal = {"nieuw": 0, "gewijzigd": 0, "ongewijzigd": 0}
    gemeten = 0.0
    aanroepen = []
    geleverd = 0
    with httpx.Client(
        base_url=server, timeout=600.0, headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
    ) as client:
        for a, z in _verdeel(aantal, per_aanroep):
            leveringen = [w.persoon(van + i).levering() for i in range(a, z)]
            body = orjson.dumps({"query": MUTATIE, "variables": {"leveringen": leveringen}})
            begin = time.perf_counter()
            antwoord = client.post("/graphql", content=body)
            duur = time.perf_counter() - begin
            gemeten += duur
            aanroepen.append(duur)
            inhoud = antwoord.json()
            if antwoord.status_code != 200 or inhoud.get("errors"):
                raise RuntimeError(f"delivery failed ({antwoord.status_code}): {str(inhoud)[:500]}")
            for k in totaal:
                totaal[k] += inhoud["data"]["zetGegevensKlaar"][k]
            geleverd += z - a
            if max_seconden is not None and gemeten >= max_seconden:
                break
    aanroepen.sort()
    return {
        "leraren": geleverd,
        "seconden": gemeten,
        "per_seconde": geleverd / gemeten if gemeten else 0.0,
        "aanroepen": len(aanroepen),
        "p50_aanroep_s": aanroepen[len(aanroepen) // 2] if aanroepen else 0.0,
        "max_aanroep_s": aanroepen[-1] if aanroepen else 0.0,
        **totaal,
    }


async def bewaar_meta(url: str, waarden: dict[str, str]) -> None:
    import asyncpg

    conn = await asyncpg.connect(asyncpg_url(url))
    try:
        await conn.executemany(
            "INSERT INTO bench_meta.gegevens VALUES ($1, $2) ON CONFLICT (sleutel) DO UPDATE SET waarde = $2",
            list(waarden.items()),
        )
    finally:
        await conn.close()


async def lees_meta(url: str) -> dict[str, str]:
    import asyncpg

    conn = await asyncpg.connect(asyncpg_url(url))
    try:
        rijen = await conn.fetch("SELECT sleutel, waarde FROM bench_meta.gegevens")
        meta = {r["sleutel"]: r["waarde"] for r in rijen}
        meta["in_register"] = str(await conn.fetchval("SELECT count(*) FROM leraar"))
        return meta
    finally:
        await conn.close()


def wereld_uit_meta(meta: dict[str, str]) -> Wereld:
    return Wereld(
        dt.date.fromisoformat(meta["vandaag"]), int(meta["zaad"]), int(meta["besturen"]), int(meta["catalogus"])
    )


# --- command line ------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("url", nargs="?", default=STANDAARD_URL, help=f"PostgreSQL URL (default {STANDAARD_URL})")
    ap.add_argument("--leraren", type=int, default=300_000)
    ap.add_argument("--besturen", type=int, help="school boards (default: one per 200 teachers, 1,500 at 300,000)")
    ap.add_argument("--zaad", type=int, default=ZAAD, help="seed")
    ap.add_argument("--vandaag", type=dt.date.fromisoformat, help="the register's today (default: today)")
    ap.add_argument(
        "--processen",
        type=int,
        default=max(1, (os.cpu_count() or 2) - 1),
        help="generator processes (default: cores - 1; PostgreSQL takes the other)",
    )
    ap.add_argument("--replay", type=int, default=0, help="afterwards deliver this many new teachers via the API")
    ap.add_argument("--alleen-replay", type=int, metavar="N", help="only deliver N new teachers via the API")
    ap.add_argument("--server", default="http://127.0.0.1:8000", help="running server for --replay")
    ap.add_argument("--token", help="DUO bearer token for --replay (default: minted in demo mode)")
    args = ap.parse_args(argv)
    controleer_bench_naam(args.url)
    sleutel = (os.environ.get("REGISTER_SECRET_KEY") or DEMO_SECRET_KEY).encode()

    if args.alleen_replay is None:
        from lerarenregister.settings import AMSTERDAM

        vandaag = args.vandaag or dt.datetime.now(AMSTERDAM).date()
        besturen_n = args.besturen or max(5, round(args.leraren / 200))
        w = Wereld(vandaag, args.zaad, besturen_n, max(100, min(3000, args.leraren // 100)))
        print(
            f"generating {args.leraren:,} teachers at {besturen_n:,} boards, today {vandaag}, seed {args.zaad}, "
            f"{args.processen} generator process(es)",
            flush=True,
        )
        begin = time.perf_counter()
        asyncio.run(maak_database(args.url))
        from lerarenregister.db import migrate

        migrate(sqlalchemy_url(args.url))
        print(f"  {time.perf_counter() - begin:7.1f} s  database created, schema migrated", flush=True)
        tellingen = asyncio.run(vul(args.url, args.leraren, w, args.processen, sleutel))
        duur = time.perf_counter() - begin
        print(f"loaded in {duur:.1f} s")
        asyncio.run(
            bewaar_meta(
                args.url,
                {
                    "laadtijd_s": f"{duur:.1f}",
                    "processen": str(args.processen),
                    **{f"telling:{k}": str(n) for k, n in tellingen.items()},
                },
            )
        )
        for k in sorted(tellingen):
            print(f"  {k:34s} {tellingen[k]:>12,}")
        ontbrekend = [s for s in SOORTEN_WAARSCHUWING if not tellingen.get("w:" + s)]
        if ontbrekend:
            print(f"  WARNING: no teacher has a warning of kind {', '.join(ontbrekend)}")
    aantal = args.alleen_replay if args.alleen_replay is not None else args.replay
    if aantal:
        meta = asyncio.run(lees_meta(args.url))
        w = wereld_uit_meta(meta)
        van = int(meta["in_register"])
        uit = replay(args.server, args.token or duo_token(), w, van, aantal)
        print(
            f"replayed {uit['leraren']:,} teachers through zetGegevensKlaar in {uit['seconden']:.1f} s "
            f"({uit['per_seconde']:.0f}/s; {uit['aanroepen']} calls, p50 {uit['p50_aanroep_s']:.2f} s, "
            f"max {uit['max_aanroep_s']:.2f} s; nieuw {uit['nieuw']}, gewijzigd {uit['gewijzigd']}, "
            f"ongewijzigd {uit['ongewijzigd']})"
        )


if __name__ == "__main__":
    main()
