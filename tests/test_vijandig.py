"""Generated hostile traffic (issue 9, point 6): no request, however odd, yields an internal error.

Queries and mutations are generated from the schema by hypothesis-graphql (valid documents and
documents with one schema violation), then made hostile by a mutator of our own: odd values in
every argument (NUL, control characters, bidi overrides, huge numbers, cursors that point anywhere,
very long strings, ids of other people's rows), aliases, named and inline fragments, directives,
variables of the wrong type, unknown fields, broken syntax, and odd HTTP bodies. Each role (and a
bad token) sends them to a register seeded through the API on PostgreSQL, one request at a time.

Every answer: no HTTP 5xx, no INTERNAL_SERVER_ERROR, every error with an `extensions.code`, no
stack trace or SQL text. The server's log must hold no internal error and no "never awaited".

Reproducible: hypothesis runs derandomized (no database, no shrinking) to make the base documents
once, and the mutator draws from a seeded `random.Random` per role. The number of requests per role
is `REGISTER_VIJANDIG_AANTAL` (default 500); `REGISTER_VIJANDIG_SEED` changes the mutator's seed.
Hypothesis also draws constants from the modules loaded, so this file alone and the whole suite each
generate their own (fixed) base documents.
"""

from __future__ import annotations

import base64
import dataclasses
import datetime as dt
import gc
import json
import logging
import os
import random
import re
import time
import warnings
from collections import Counter
from collections.abc import Callable, Iterator
from typing import Any

import dateutil.parser
import graphql
import hypothesis_graphql as hg
import pytest
from conftest import AUDIENCE, ISSUER, VANDAAG, Api, Sleutels, leeg
from gegevens import benoeming, bevestig, bsn, klaarzetten, levering
from graphql import (
    ArgumentNode,
    BooleanValueNode,
    DirectiveNode,
    DocumentNode,
    EnumValueNode,
    FieldNode,
    FloatValueNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    InlineFragmentNode,
    IntValueNode,
    ListValueNode,
    NamedTypeNode,
    NameNode,
    NullValueNode,
    ObjectFieldNode,
    ObjectValueNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    StringValueNode,
    ValueNode,
    VariableDefinitionNode,
    VariableNode,
    get_named_type,
)
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from joserfc import jwt
from joserfc.jwk import OctKey, RSAKey

from lerarenregister.regels.tekst import Tekstsoort, tekstfout
from lerarenregister.schema import bouw_schema

pytestmark = pytest.mark.postgres

AANTAL = int(os.environ.get("REGISTER_VIJANDIG_AANTAL", "500"))  # requests per role
SEED = int(os.environ.get("REGISTER_VIJANDIG_SEED", "9"))
VERSLAG = os.environ.get("REGISTER_VIJANDIG_VERSLAG")  # a file: every request and answer, one JSON line each
SCHEMA = bouw_schema()._schema
ROLLEN = ["publiek", "leraar", "schoolbestuur", "duo", "aanbieder", "beroepsgroep", "slecht_token"]

# Boards: A employs the teachers, B did, C employs one. D0: the deliveries and confirmations, five years ago.
A, B, C = "30001", "30002", "30003"
D0 = dt.date(2021, 11, 1)


# --- the seeded register ------------------------------------------------------------------------------


@dataclasses.dataclass
class Register:
    """What the seed made, as the values the generator mixes into its requests."""

    bsns: dict[str, str]
    nummers: list[str] = dataclasses.field(default_factory=list)
    ids: dict[str, list[str]] = dataclasses.field(default_factory=dict)
    cursors: list[str] = dataclasses.field(default_factory=list)


async def zaai(api: Api) -> Register:
    """A small register through the API: deliveries, confirmations, an assessment with aantekeningen,
    an objection, catalogue activities, a portfolio made public, a report of wrong data."""
    s = api.sleutels
    r = Register(
        bsns={
            "zelf": bsn(9001),
            "collega": bsn(9002),
            "klaar": bsn(9003),
            "voorportaal": bsn(9004),
            "elders": bsn(9005),
        }
    )
    bevoegdheden = [
        {"vak": "Wiskunde", "soort": "TWEEDEGRAADS", "behaaldOp": "2010-06-30"},
        {"vak": "Engels", "soort": "EERSTEGRAADS", "behaaldOp": "2012-06-30"},
    ]
    async with api.op(D0) as toen:
        r.nummers = await klaarzetten(
            toen,
            [
                levering(
                    r.bsns["zelf"],
                    bevoegdheden=bevoegdheden,
                    benoemingen=[
                        benoeming(A, "Wiskunde", "2020-08-01"),
                        benoeming(A, "Natuurkunde", "2025-01-01", "2030-07-31"),
                        benoeming(B, "Engels", "2012-08-01", "2019-07-31"),
                    ],
                ),
                levering(
                    r.bsns["collega"],
                    achternaam="Jansen",
                    tussenvoegsel=None,
                    voornamen="Piet",
                    benoemingen=[benoeming(A, "Wiskunde", "2018-08-01")],
                ),
                levering(r.bsns["klaar"], achternaam="Müller", tussenvoegsel=None, benoemingen=[benoeming(A, "Duits")]),
                levering(
                    r.bsns["voorportaal"],
                    achternaam="Berg",
                    tussenvoegsel="van den",
                    bevoegdheden=[],
                    benoemingen=[benoeming(A, "Biologie", "2026-01-01")],
                ),
                levering(
                    r.bsns["elders"],
                    achternaam="Yılmaz",
                    tussenvoegsel=None,
                    benoemingen=[benoeming(C, "Wiskunde", "2019-08-01")],
                ),
            ],
        )
        for wie in ("zelf", "collega", "elders"):
            await bevestig(toen, r.bsns[wie])
    # The first periods ended 2025-10-31 without hours: an aantekening on each bevoegdheid.
    await api.ok(
        "mutation($d: Date!) { beoordeelHerregistraties(peildatum: $d) { nietVoldaan } }",
        {"d": VANDAAG.isoformat()},
        s.beroepsgroep(),
    )
    zelf = s.leraar(r.bsns["zelf"])
    ik = (
        await api.ok(
            "{ ik { bevoegdheden { id aantekening { id } } benoemingen { id } voorportaal { id } } }", token=zelf
        )
    )["ik"]
    r.ids["bevoegdheid"] = [b["id"] for b in ik["bevoegdheden"]]
    r.ids["aantekening"] = [b["aantekening"]["id"] for b in ik["bevoegdheden"] if b["aantekening"]]
    r.ids["benoeming"] = [b["id"] for b in ik["benoemingen"]]
    r.ids["voorportaal"] = [v["id"] for v in ik["voorportaal"]]
    bezwaar = await api.ok(
        'mutation($a: ID!) { dienBezwaarIn(aantekening: $a, motivering: "Ziek") { id } }',
        {"a": r.ids["aantekening"][0]},
        zelf,
    )
    r.ids["bezwaar"] = [bezwaar["dienBezwaarIn"]["id"]]
    aanbieder = s.aanbieder("AANB1", "Academie")
    r.ids["activiteit"] = []
    for titel, contact, zelfstudie in (
        ("Vakdidactiek wiskunde", 8, 4),
        ("Engels in de klas", 16, 0),
        ("Zelfstudie statistiek", 2, 10),
    ):
        act = await api.ok(
            "mutation($i: CatalogusActiviteitInvoer!) { publiceerActiviteit(invoer: $i) { id } }",
            {
                "i": {
                    "titel": titel,
                    "soort": "CURSUS",
                    "contacturen": contact,
                    "zelfstudieuren": zelfstudie,
                    "gebied": "VAKDIDACTISCH",
                    "toetsing": True,
                }
            },
            aanbieder,
        )
        r.ids["activiteit"].append(act["publiceerActiviteit"]["id"])
    await api.ok("mutation($id: ID!) { trekActiviteitIn(id: $id) { id } }", {"id": r.ids["activiteit"][2]}, aanbieder)
    r.ids["portfolio"] = []
    for titel, datum, catalogus in (("Vakdag", "2026-11-01", None), ("Cursus", "2026-10-01", r.ids["activiteit"][0])):
        act = await api.ok(
            "mutation($i: ActiviteitInvoer!) { voegActiviteitToe(invoer: $i) { id } }",
            {
                "i": {
                    "titel": titel,
                    "datum": datum,
                    "uren": 3,
                    "gebied": "VAKINHOUDELIJK",
                    "bevoegdheden": r.ids["bevoegdheid"],
                    "catalogusActiviteit": catalogus,
                }
            },
            zelf,
        )
        r.ids["portfolio"].append(act["voegActiviteitToe"]["id"])
    await api.ok("mutation { zetPortfolioOpenbaar(openbaar: true) { registernummer } }", token=zelf)
    melding = await api.ok(
        'mutation($b: ID) { meldFout(benoeming: $b, toelichting: "Klopt niet") { id } }',
        {"b": r.ids["benoeming"][0]},
        zelf,
    )
    r.ids["foutmelding"] = [melding["meldFout"]["id"]]
    pagina = await api.ok(
        '{ zoekLeraren(zoekterm: "j", first: 1) { edges { cursor } } zoekActiviteiten(first: 1) { edges { cursor } } }'
    )
    r.cursors = [e["cursor"] for v in pagina.values() for e in v["edges"]]
    return r


# --- values a hostile client sends ---------------------------------------------------------------------


class Getal(str):
    """A number literal written as is into the document (`1e400`, `99999999999999999999`)."""


@dataclasses.dataclass(frozen=True)
class EnumLiteraal:
    naam: str


@dataclasses.dataclass(frozen=True)
class Variabele:
    naam: str


def _b64(tekst: str | bytes) -> str:
    return base64.urlsafe_b64encode(tekst.encode() if isinstance(tekst, str) else tekst).decode()


def _parseert(parser: Callable[[str], Any], tekst: str) -> bool:
    try:
        parser(tekst)
    except (ValueError, OverflowError):
        return False
    return True


VREEMDE_TEKSTEN = [
    "",
    " ",
    "  \t ",
    "a",
    "\x00",
    "a\x00",
    "\x00" * 8,
    "Vries\x00",
    "\u202eseirv",
    "\u202aa\u202c",
    "\u2066x\u2069",
    "\u200f\u200e",
    "\x01\x02\x1b[31m",
    "\t\n\r",
    "\x7f",
    "\x85",
    "\ufeff",
    "\uffff",
    "\ufffe",
    "\U0001f600" * 3,
    "e\u0301" * 200,
    "مرحبا",
    "Ærø Ölçü",
    "ß",
    "İ",
    "ﬁ",
    "a" * 100,
    "a" * 101,
    "a" * 5000,
    "a " * 60,
    " ".join(["woord"] * 11),
    "' OR '1'='1",
    "'; DROP TABLE leraar; --",
    "%",
    "_",
    "%_%",
    "\\",
    "\\\\%",
    '"',
    "<script>alert(1)</script>",
    "${jndi:ldap://x}",
    "{{7*7}}",
    "NaN",
    "null",
    "undefined",
    "0",
    "-1",
    "1e309",
    "99999999999999999999",
    "١٢٣",
    "１２３",
    " 12 ",
    "1_000",
    "0x10",
    "+5",
    "van",
    "de",
    "'t",
    "d'",
    "van der",
    "muller",
    "MÜLLER",
    "jansen",
    "de Vries",
    "vRiEs",
    "*",
    "?",
    "[a-z]",
    "\u0000\u202e",
]
# Split by the register's own free-text rule, so that most requests get past it to the resolvers.
TOEGESTANE_TEKSTEN = [t for t in VREEMDE_TEKSTEN if tekstfout(t, Tekstsoort.KORT) is None]
VERBODEN_TEKSTEN = [t for t in VREEMDE_TEKSTEN if tekstfout(t, Tekstsoort.KORT) is not None]
TEKENS = ["a", "Z", "é", " ", "'", "%", "_", "\\", "😀", "\ufffd", "9", "ß", "\u0301", "ش", "\u200b"]
VERBODEN_TEKENS = ["\x00", "\u202e", "\u2069", "\x1f", "\n", "\x85"]
# Int literals: the valid ones lie within 32 bits; the rest graphql-core refuses before any resolver.
GELDIGE_GETALLEN: list[Any] = [0, 1, -1, 2, 20, 49, 50, 51, 99, 100, 101, 1000, 2**31 - 1, -(2**31), Getal("-0")]
ONGELDIGE_GETALLEN: list[Any] = [Getal(str(2**31)), Getal(str(2**63)), Getal("99999999999999999999"), Getal("1e3"), 1.5]
GELDIGE_FLOATS: list[Any] = [
    0,
    -0.0,
    1,
    0.5,
    2000,
    2000.0001,
    1e-300,
    1.7976931348623157e308,
    -1,
    -1e308,
    160,
    1e15,
    Getal("1E308"),
    Getal("0.0000000000000000000001"),
    Getal("123456789012345678901234567890"),
]
ONGELDIGE_FLOATS: list[Any] = [Getal("1e400"), Getal("-1e400"), "1.5", True]
VREEMDE_IDS = [
    "0",
    "-1",
    "1",
    "2147483647",
    "2147483648",
    "9223372036854775807",
    "9223372036854775808",
    "99999999999999999999",
    "1" * 400,
    "1" * 5000,
    "1e3",
    "1.5",
    "abc",
    "",
    " ",
    "\x00",
    " 1 ",
    "١",
    "１",
    "1_0",
    "+1",
    "0x1",
    "\u202e1",
    "ID:1",
    "null",
    2**31 - 1,
    0,
    -1,
]
VREEMDE_DATUMS = [
    "2026-11-28",
    "2026-11-29",
    "2027-01-01",
    "2026-02-29",
    "2024-02-29",
    "2026-02-30",
    "0001-01-01",
    "9999-12-31",
    "1900-01-01",
    "1989-12-31",
    "1990-01-01",
    "2021-11-01",
    "2025-10-31",
    "20261128",
    "2026-1-1",
    "",
    "\x00",
    "2026-11-28T00:00:00",
    "+10000-01-01",
    "2026-13-01",
    "2026-W48-6",
    "28-11-2026",
    "2026-11-28\x00",
]
VREEMDE_TIJDSTIPPEN = [
    "2026-11-28T10:00:00+00:00",
    "2026-11-28T10:00:00Z",
    "2026-11-28T10:00:00",
    "0001-01-01T00:00:00+14:00",
    "0001-01-01T00:00:00-14:00",
    "9999-12-31T23:59:59-14:00",
    "9999-12-31T23:59:59+14:00",
    "2026-11-28",
    "1970-01-01T00:00:00+00:00",
    "",
    "nu",
    "2026-11-28T10:00:00+25:00",
    "2026-11-28T24:00:00+00:00",
    "2026-11-28T10:00:00.123456789+01:00",
    "0001-01-01T00:00:00Z",
    "9999-12-31T23:59:59.999999Z",
]
GELDIGE_DATUMS = [d for d in VREEMDE_DATUMS if _parseert(dt.date.fromisoformat, d)]
GELDIGE_TIJDSTIPPEN = [d for d in VREEMDE_TIJDSTIPPEN if _parseert(dateutil.parser.isoparse, d)]
VREEMDE_BESTUREN = ["", "99999", "A" * 21, "3000 1", "30001\x00", "\u202e30001", "abc-def", "1" * 1000]
# Values of the wrong kind, for a type confusion.
VERWARD: list[Any] = [
    0,
    -1,
    Getal(str(2**31)),
    1.5,
    True,
    None,
    "tekst",
    [],
    [None],
    [[1, [2]]],
    {},
    {"a": {"b": 1}},
    EnumLiteraal("ONBEKEND"),
    Variabele("nietGedeclareerd"),
    Getal("1e400"),
    "\x00" * 3,
]


def vreemde_cursors(echt: list[str]) -> list[str]:
    return [
        *echt,
        _b64("p:-1"),
        _b64("p:-2"),
        _b64("p:0"),
        _b64("p:1"),
        _b64("p:49"),
        _b64("p:1000000"),
        _b64("p:2147483647"),
        _b64("p:9223372036854775806"),
        _b64("p:9223372036854775807"),
        _b64("p:99999999999999999999"),
        _b64("p:" + "9" * 4000),
        _b64("p:" + "9" * 5000),
        _b64("p:1e5"),
        _b64("p: 5"),
        _b64("p:5\x00"),
        _b64("p:١٢"),
        _b64("p:1_0"),
        _b64("p:"),
        _b64("x:1"),
        _b64("p"),
        _b64(b"\xff\xfe\x00"),
        "",
        "=",
        "!!!",
        "p:5",
        _b64("p:5").rstrip("="),
        "\x00",
        "a" * 10_000,
        _b64("p:5") * 50,
    ]


# Values that pass the input rules but stress what is derived from them.
GELDIGE_NAMEN = [
    "Anna",
    "Vries",
    " ".join(["ß"] * 61),
    "ﬃ" * 200,
    "a" * 200,
    " ".join(["a"] * 100),
    "Ærø Ölçü",
    "d'Ancona",
    "O\u2019Brien",
    "'t Hart",
    "Le",
    "van der",
    "İlker",
    "Zoë\u0301",
    "﷽" * 10,
    "\U0001f600",
    "a\u200bb",
    "مرحبا",
    "%_%",
    "' OR '1'='1",
]
VAKKEN = [
    "Wiskunde",
    "wiskunde",
    "WISKUNDE",
    "Wískunde",
    "Frans",
    "frans",
    "Fráns",
    "Duits",
    "ß" * 100,
    "ß" * 50 + "a",
    "ß" * 50 + "b",
    "ﬃ" * 100,
    "a" * 100,
    "Natuur- en scheikunde",
]
RANDBEGIN = [
    "2020-08-01",
    "2020-08-01",
    VANDAAG.isoformat(),
    "2026-11-29",
    "2024-02-29",
    "1900-01-01",
    "2099-01-01",
    "9995-12-31",
    "9996-01-01",
    "9998-06-01",
]
RANDEIND = [None, None, "9999-12-31", "2026-11-27", VANDAAG.isoformat(), "2099-12-31"]
GEBIEDEN = ["VAKINHOUDELIJK", "VAKDIDACTISCH", "PEDAGOGISCH", "OVERIG"]
INVOER_TYPEN = {"Levering", "ActiviteitInvoer", "CorrectieInvoer", "CatalogusActiviteitInvoer", "CriteriaInvoer"}

# Which pool a value is drawn from, by the name of its argument or input field.
ID_NAMEN = {
    "id": "portfolio",
    "aantekening": "aantekening",
    "bezwaar": "bezwaar",
    "inschrijving": "voorportaal",
    "benoeming": "benoeming",
    "bevoegdheid": "bevoegdheid",
    "bevoegdheden": "bevoegdheid",
    "herregistratieBevoegdheden": "bevoegdheid",
    "catalogusActiviteit": "activiteit",
}
DATUM_NAMEN = {"peildatum", "datum", "geboortedatum", "behaaldOp", "begindatum", "einddatum", "geldigVanaf"}
UREN_NAMEN = {"uren", "contacturen", "zelfstudieuren", "totaalUren", "primairProcesUren", "vakinhoudelijkVoUren"}


def _is_lijst(type_: Any) -> bool:
    if isinstance(type_, GraphQLNonNull):
        type_ = type_.of_type
    return isinstance(type_, GraphQLList)


def _binnenste(type_: Any) -> Any:
    if isinstance(type_, GraphQLNonNull):
        type_ = type_.of_type
    return type_.of_type if isinstance(type_, GraphQLList) else type_


class Pools:
    """The values of one role's requests: odd ones, and the seeded register's own (ids, numbers, cursors)."""

    def __init__(self, r: Register):
        self.r = r
        self.verboden_tekens = True  # set per request
        self.cursors = vreemde_cursors(r.cursors)
        self.nummers = [
            *r.nummers,
            *(n[:-1] + str((int(n[-1]) + 1) % 10) for n in r.nummers[:2]),
            "1000000000",
            "9999999999",
            " " + r.nummers[0] + " ",
            r.nummers[0] + "\x00",
            "1" * 10_000,
        ]
        self.bsns = [
            *r.bsns.values(),
            bsn(9100),
            bsn(9101),
            bsn(9102),
            "123456789",
            "000000000",
            "12345678",
            "1234567890",
            "11111111\x00",
            "１２３４５６７８９",
        ]

    def id_(self, rng: random.Random, soort: str | None) -> Any:
        eigen = self.r.ids.get(soort or "", [])
        keuze = rng.random()
        if eigen and keuze < 0.45:
            return rng.choice(eigen)
        if keuze < 0.65:
            return rng.choice([i for v in self.r.ids.values() for i in v])
        return rng.choice(VREEMDE_IDS)

    def tekst(self, rng: random.Random) -> str:
        """An odd text; one with NUL, a control character or a bidi override only when the request is
        to carry one (`verboden_tekens`), since the free-text rules refuse it before any resolver."""
        keuze = rng.random()
        if keuze < 0.6:
            return rng.choice(VERBODEN_TEKSTEN if self.verboden_tekens and rng.random() < 0.5 else TOEGESTANE_TEKSTEN)
        if keuze < 0.8:  # a random mix of the odd characters
            tekens = TEKENS + (VERBODEN_TEKENS if self.verboden_tekens else [])
            return "".join(rng.choice(tekens) for _ in range(rng.randint(1, 40)))
        if keuze < 0.9:
            return rng.choice(self.nummers)
        return rng.choice(["Vries", "Jansen", "Müller", "Berg", "Yılmaz", "wiskunde", "Engels", "Vakdidactiek"])

    def voor(self, rng: random.Random, naam: str | None, type_: Any, geldig: bool = True) -> Any:
        """A value for the argument or input field `naam` of `type_`: of the right type when `geldig`
        (odd as it may be: NUL, 2**31-1, year 9999, a cursor past the end), else of any kind."""
        genoemd = get_named_type(type_) if type_ is not None else None
        if not geldig and rng.random() < 0.3:
            return rng.choice(VERWARD)
        if _is_lijst(type_) and (geldig or rng.random() < 0.85):
            lengte = rng.choice([0, 1, 2, 3, 5, 101]) if rng.random() < 0.25 else rng.randint(1, 3)
            return [self.voor(rng, naam, _binnenste(type_), geldig) for _ in range(lengte)]
        if isinstance(genoemd, GraphQLEnumType):
            if geldig or rng.random() < 0.5:
                return EnumLiteraal(rng.choice(list(genoemd.values)))
            return rng.choice([EnumLiteraal("ONBEKEND"), rng.choice(list(genoemd.values)), EnumLiteraal("true"), 1])
        if isinstance(genoemd, GraphQLInputObjectType):
            return self.object(rng, genoemd, geldig)
        naam_type = genoemd.name if genoemd is not None else None
        if naam_type == "Boolean":
            return rng.choice([True, False]) if geldig else rng.choice([True, "true", 1, None])
        if naam_type == "Int" or naam == "first":
            return rng.choice(GELDIGE_GETALLEN if geldig else GELDIGE_GETALLEN + ONGELDIGE_GETALLEN)
        if naam_type == "Float" or naam in UREN_NAMEN:
            return rng.choice(GELDIGE_FLOATS if geldig else GELDIGE_FLOATS + ONGELDIGE_FLOATS)
        if naam_type == "Date" or naam in DATUM_NAMEN:
            return rng.choice(GELDIGE_DATUMS if geldig else VREEMDE_DATUMS)
        if naam_type == "DateTime" or naam == "gewijzigdSinds":
            return rng.choice(GELDIGE_TIJDSTIPPEN if geldig else VREEMDE_TIJDSTIPPEN)
        if naam == "after":
            return rng.choice(self.cursors)
        if naam == "zoekterm":
            return (
                self.tekst(rng)
                if rng.random() < 0.7
                else rng.choice(["vries", "VRIES", "de vries", "Müller", "muller", "jan", "wisk", "engels in"])
            )
        if naam in ("registernummer", "registernummers"):
            return rng.choice(self.nummers) if rng.random() < 0.8 else self.tekst(rng)
        if naam in ID_NAMEN or naam_type == "ID":
            waarde = self.id_(rng, ID_NAMEN.get(naam or ""))
            return str(waarde) if naam_type == "String" else waarde
        if naam == "bsn":
            return rng.choice(self.bsns)
        if naam == "bevoegdGezagNummer":
            return rng.choice([A, B, C, *VREEMDE_BESTUREN])
        return self.tekst(rng)

    def invoer(self, rng: random.Random, typenaam: str) -> dict[str, Any]:
        """An input that passes its field checks most of the time, with values at the edges of the
        rules (dates at the calendar's ends, names that fold or decompose longer, subjects alike but
        for case), so that the request reaches the register's logic and storage."""
        naam = lambda: rng.choice(GELDIGE_NAMEN)  # noqa: E731
        vak = lambda: rng.choice(VAKKEN)  # noqa: E731
        if typenaam == "Levering":
            return {
                "bsn": rng.choice(self.bsns[:8]),
                "voornamen": naam(),
                "achternaam": naam(),
                "tussenvoegsel": rng.choice([None, "van", "de", "van den", "'t", "ß" * 40]),
                "geboortedatum": rng.choice(["1985-03-01", "1900-01-01", "1960-02-29"]),
                "bevoegdheden": [
                    {
                        "vak": vak(),
                        "soort": rng.choice(["PO", "EERSTEGRAADS", "TWEEDEGRAADS", "PDG"]),
                        "behaaldOp": rng.choice(["2010-06-30", "2000-02-29", VANDAAG.isoformat()]),
                    }
                    for _ in range(rng.randint(0, 3))
                ],
                "benoemingen": self._benoemingen(rng),
            }
        if typenaam == "ActiviteitInvoer":
            return {
                "titel": naam(),
                "datum": rng.choice(["1990-01-01", "2024-02-29", "2022-11-01", VANDAAG.isoformat()]),
                "uren": rng.choice([0.01, 1e-300, 2000, 0.5, 3]),
                "gebied": rng.choice(GEBIEDEN),
                "bevoegdheden": rng.sample(self.r.ids["bevoegdheid"], rng.randint(1, len(self.r.ids["bevoegdheid"]))),
                "catalogusActiviteit": rng.choice([None, None, *self.r.ids["activiteit"]]),
            }
        if typenaam == "CorrectieInvoer":
            return {
                k: rng.choice([naam(), None]) if k == "tussenvoegsel" else naam()
                for k in rng.sample(["voornamen", "tussenvoegsel", "achternaam"], rng.randint(1, 3))
            }
        if typenaam == "CatalogusActiviteitInvoer":
            contact, zelf = rng.choice([0, 1e-300, 8, 1000, 1e15]), rng.choice([0, 4, 1e15])
            return {
                "titel": naam(),
                "omschrijving": rng.choice([None, "Regel één\nRegel twee\t.", naam()]),
                "soort": rng.choice(["CURSUS", "OPLEIDING", "ZELFSTUDIE"]),
                "contacturen": contact,
                "zelfstudieuren": zelf,
                "gebied": rng.choice(GEBIEDEN),
                "toetsing": rng.choice([True, False]),
            }
        assert typenaam == "CriteriaInvoer", typenaam
        return {
            "geldigVanaf": rng.choice([VANDAAG.isoformat(), "2026-11-29", "2027-08-01", "9999-12-31"]),
            "totaalUren": rng.choice([160, 0, 1e308]),
            "primairProcesUren": rng.choice([100, 0, 1e308]),
            "vakinhoudelijkVoUren": rng.choice([40, 0, 1e308]),
        }

    def _benoemingen(self, rng: random.Random) -> list[dict[str, Any]]:
        uit: list[dict[str, Any]] = []
        for _ in range(rng.randint(0, 4)):
            if uit and rng.random() < 0.5:  # the same board and day as the one before, another spelling
                uit.append({**uit[-1], "vak": rng.choice(VAKKEN), "einddatum": rng.choice(RANDEIND)})
            else:
                uit.append(
                    {
                        "bevoegdGezagNummer": rng.choice([A, B, C, "Z9", "A" * 20]),
                        "schoolbestuurNaam": rng.choice(GELDIGE_NAMEN),
                        "vak": rng.choice(VAKKEN),
                        "begindatum": rng.choice(RANDBEGIN),
                        "einddatum": rng.choice(RANDEIND),
                    }
                )
        return uit

    def object(self, rng: random.Random, type_: GraphQLInputObjectType, geldig: bool = True) -> dict[str, Any]:
        if geldig and type_.name in INVOER_TYPEN and rng.random() < 0.6:
            return self.invoer(rng, type_.name)
        uit: dict[str, Any] = {}
        for naam, veld in type_.fields.items():
            verplicht = isinstance(veld.type, GraphQLNonNull)
            if verplicht and not geldig and rng.random() < 0.1:
                continue  # a required input field left out
            if not verplicht and rng.random() < 0.4:
                continue
            uit[naam] = self.voor(rng, naam, veld.type, geldig)
        if not geldig and rng.random() < 0.1:
            uit[rng.choice(["onbekend", "bsn", "__typename", "id"])] = "x"  # an input field the type lacks
        return uit


def als_ast(waarde: Any) -> ValueNode:
    """A Python value as a GraphQL literal."""
    if isinstance(waarde, EnumLiteraal):
        return EnumValueNode(value=waarde.naam)
    if isinstance(waarde, Variabele):
        return VariableNode(name=NameNode(value=waarde.naam))
    if isinstance(waarde, Getal):
        return (FloatValueNode if any(c in waarde for c in ".eE") else IntValueNode)(value=str(waarde))
    if waarde is None:
        return NullValueNode()
    if isinstance(waarde, bool):
        return BooleanValueNode(value=waarde)
    if isinstance(waarde, int):
        return IntValueNode(value=str(waarde))
    if isinstance(waarde, float):
        return FloatValueNode(value=repr(waarde))
    if isinstance(waarde, str):
        return StringValueNode(value=waarde)
    if isinstance(waarde, list):
        return ListValueNode(values=tuple(als_ast(w) for w in waarde))
    return ObjectValueNode(
        fields=tuple(ObjectFieldNode(name=NameNode(value=k), value=als_ast(v)) for k, v in waarde.items())
    )


def als_json(waarde: Any) -> Any:
    """The same value as a variable's JSON (a number beyond a float stays a string of digits)."""
    if isinstance(waarde, EnumLiteraal):
        return waarde.naam
    if isinstance(waarde, Variabele):
        return "$" + waarde.naam
    if isinstance(waarde, Getal):
        try:
            return int(waarde)
        except ValueError:
            return float(waarde) if abs(float(waarde)) != float("inf") else str(waarde)
    if isinstance(waarde, list):
        return [als_json(w) for w in waarde]
    if isinstance(waarde, dict):
        return {k: als_json(v) for k, v in waarde.items()}
    return waarde


# --- the base documents: hypothesis-graphql, derandomized ----------------------------------------------


def basisdocumenten(aantal: int, negatief: bool) -> list[DocumentNode]:
    """`aantal` queries and mutations from the schema: valid ones, or each with one schema violation."""
    scalars = {
        "Date": (st.sampled_from(VREEMDE_DATUMS) | st.dates().map(dt.date.isoformat)).map(
            lambda t: StringValueNode(value=t)
        ),
        "DateTime": (
            st.sampled_from(VREEMDE_TIJDSTIPPEN) | st.datetimes(timezones=st.just(dt.UTC)).map(dt.datetime.isoformat)
        ).map(lambda t: StringValueNode(value=t)),
    }
    ruw: dict[str, Any] = {"custom_scalars": scalars, "print_ast": lambda d: d}
    if negatief:
        ruw["mode"] = hg.Mode.NEGATIVE
    # Queries twice: most traffic reads.
    strategie = st.one_of(hg.queries(SCHEMA, **ruw), hg.queries(SCHEMA, **ruw), hg.mutations(SCHEMA, **ruw))
    uit: list[DocumentNode] = []

    @settings(
        max_examples=aantal,
        derandomize=True,
        database=None,
        phases=[Phase.generate],
        deadline=None,
        suppress_health_check=list(HealthCheck),
        print_blob=False,
    )
    @given(strategie)
    def verzamel(document: DocumentNode) -> None:
        uit.append(document)

    verzamel()
    return uit


# --- the mutator ------------------------------------------------------------------------------------------


@dataclasses.dataclass
class Verzoek:
    """One request as it goes over the wire."""

    omschrijving: str  # which generator made it (for the report)
    query: Any = None
    variabelen: Any = None
    operatie: Any = None
    methode: str = "POST"
    ruw: bytes | None = None  # a body sent as is, instead of the JSON of the fields above
    koppen: dict[str, str] = dataclasses.field(default_factory=dict)

    def tekst(self, max_: int = 600) -> str:
        if self.ruw is not None:
            return f"{self.methode} raw body {self.ruw[:max_]!r}"
        deel = {"query": self.query, "variables": self.variabelen, "operationName": self.operatie}
        tekst = json.dumps(deel, ensure_ascii=True, default=str)
        return self.methode + " " + (tekst if len(tekst) <= max_ else tekst[:max_] + f"... ({len(tekst)} chars)")


def _veld_def(type_: Any, naam: str) -> Any:
    velden = getattr(type_, "fields", None)
    if velden is None or naam.startswith("__"):
        return None
    return velden.get(naam)


# One defect per invalid request, so that the rest of it still says something about the register.
DEFECTEN = [
    "verward",
    "ongeldige_waarde",
    "onbekend_argument",
    "onbekend_veld",
    "richtlijn",
    "fragment",
    "alias_conflict",
    "variabele",
    "operatie",
    "tekst",
]


class Mutator:
    """Makes one base document hostile, drawing from a seeded `random.Random`.

    Every request gets odd but well-typed values, and often aliases, fragments and variables; about
    one in three also gets exactly one defect (a type confusion, an unknown field, a bad fragment, ...),
    which graphql-core should refuse with a code before any resolver runs.
    """

    def __init__(self, rng: random.Random, pools: Pools):
        self.rng = rng
        self.pools = pools
        self.defect: str | None = None
        self.aliassen = self.fragmenten_maken = False
        self.fragmenten: list[Any] = []

    def _toe(self, defect: str, kans: float = 0.3) -> bool:
        """Apply `defect` here? Once per request, at a random one of the places that allow it."""
        if self.defect == defect and self.rng.random() < kans:
            self.defect = None
            return True
        return False

    # values ---------------------------------------------------------------------------------------

    def _literaal(self, node: ValueNode, naam: str | None, type_: Any) -> ValueNode:
        rng = self.rng
        if isinstance(node, VariableNode):
            return node
        if self._toe("verward", 0.2):
            return als_ast(rng.choice(VERWARD))
        if self._toe("ongeldige_waarde", 0.2):
            return als_ast(self.pools.voor(rng, naam, type_, geldig=False))
        genoemd = get_named_type(type_) if type_ is not None else None
        if isinstance(node, ObjectValueNode) and isinstance(genoemd, GraphQLInputObjectType):
            velden = genoemd.fields
            return dataclasses.replace(
                node,
                fields=tuple(
                    dataclasses.replace(
                        f, value=self._literaal(f.value, f.name.value, getattr(velden.get(f.name.value), "type", None))
                    )
                    for f in node.fields
                ),
            )
        if isinstance(node, ListValueNode):
            binnen = _binnenste(type_)
            return dataclasses.replace(node, values=tuple(self._literaal(v, naam, binnen) for v in node.values))
        # hypothesis-graphql's strings hold any character; most requests are to get past the free-text rules.
        vies = (
            isinstance(node, StringValueNode)
            and not self.pools.verboden_tekens
            and tekstfout(node.value, Tekstsoort.KORT) is not None
        )
        if (vies or rng.random() < 0.6) and type_ is not None:
            waarde = self.pools.voor(rng, naam, type_)
            if waarde is None and isinstance(type_, GraphQLNonNull):
                return node
            return als_ast(waarde)
        return node

    # selections -----------------------------------------------------------------------------------

    def selecties(self, sel: SelectionSetNode | None, type_: Any, diepte: int) -> Any:
        if sel is None:
            return None
        rng = self.rng
        nieuw: list[Any] = []
        for s in sel.selections:
            if not isinstance(s, FieldNode):
                nieuw.append(s)
                continue
            definitie = _veld_def(type_, s.name.value)
            kind_type = get_named_type(definitie.type) if definitie is not None else None
            argumenten = tuple(
                dataclasses.replace(
                    a,
                    value=self._literaal(
                        a.value,
                        a.name.value,
                        definitie.args[a.name.value].type
                        if definitie is not None and a.name.value in definitie.args
                        else None,
                    ),
                )
                for a in s.arguments
            )
            if self._toe("onbekend_argument", 0.2):
                argumenten += (
                    ArgumentNode(
                        name=NameNode(value=rng.choice(["onbekend", "bsn", "first", "zoekterm"])),
                        value=als_ast(rng.choice(VERWARD[:7])),
                    ),
                )
            s = dataclasses.replace(
                s, arguments=argumenten, selection_set=self.selecties(s.selection_set, kind_type, diepte + 1)
            )
            if self._toe("richtlijn", 0.2):
                s = dataclasses.replace(s, directives=(self._richtlijn(geldig=False),))
            elif rng.random() < 0.03:
                s = dataclasses.replace(s, directives=(self._richtlijn(geldig=True),))
            nieuw.append(s)
            if self.aliassen and rng.random() < 0.15:  # the same field again under other names
                for i in range(rng.choice([1, 2, 3, 8, 30])):
                    nieuw.append(dataclasses.replace(s, alias=NameNode(value=f"a{diepte}_{len(nieuw)}_{i}")))
            if (
                isinstance(nieuw[0], FieldNode)
                and nieuw[0].name.value != s.name.value
                and self._toe("alias_conflict", 0.5)
            ):  # one response name for two different fields
                nieuw.append(
                    dataclasses.replace(nieuw[0], alias=NameNode(value=s.alias.value if s.alias else s.name.value))
                )
        if rng.random() < 0.03:
            nieuw.append(FieldNode(name=NameNode(value="__typename")))
        if self._toe("onbekend_veld", 0.25):
            nieuw.append(
                FieldNode(
                    name=NameNode(
                        value=rng.choice(["onbekendVeld", "bsn", "wachtwoordHash", "id", "__schema", "bsnHash"])
                    )
                )
            )
        if isinstance(type_, GraphQLObjectType) and nieuw:
            if self._toe("fragment", 0.25):
                nieuw = self._fragment(nieuw, type_, geldig=False)
            elif self.fragmenten_maken and rng.random() < 0.3:
                nieuw = self._fragment(nieuw, type_, geldig=True)
        return dataclasses.replace(sel, selections=tuple(nieuw))

    def _richtlijn(self, geldig: bool) -> DirectiveNode:
        keuzes = [
            ("include", {"if": True}),
            ("include", {"if": False}),
            ("skip", {"if": True}),
            ("skip", {"if": False}),
        ]
        if not geldig:
            keuzes = [
                ("skip", {"if": "ja"}),
                ("skip", {}),
                ("onbekend", {}),
                ("include", {"if": Variabele("niet")}),
                ("zichtbaarVoor", {"doelgroepen": [EnumLiteraal("PUBLIEK")]}),
                ("deprecated", {"reason": "x"}),
            ]
        naam, argumenten = self.rng.choice(keuzes)
        return DirectiveNode(
            name=NameNode(value=naam),
            arguments=tuple(ArgumentNode(name=NameNode(value=k), value=als_ast(v)) for k, v in argumenten.items()),
        )

    def _fragment(self, selecties: list[Any], type_: GraphQLObjectType, geldig: bool) -> list[Any]:
        rng = self.rng
        soort = rng.choice(
            ["genoemd", "inline", "inline_zonder_type", "twee_keer"]
            if geldig
            else ["verkeerd_type", "onbekend", "kring", "ongebruikt"]
        )
        aantal = rng.randint(1, len(selecties))
        binnen, buiten = selecties[:aantal], selecties[aantal:]
        doel = type_.name
        if soort == "verkeerd_type":
            doel = rng.choice(["Activiteit", "Schoolbestuur", "Naam", "Query", "Onbekend", "String"])
        if soort in ("inline", "inline_zonder_type") or (soort == "verkeerd_type" and rng.random() < 0.5):
            voorwaarde = None if soort == "inline_zonder_type" else NamedTypeNode(name=NameNode(value=doel))
            return [
                InlineFragmentNode(type_condition=voorwaarde, selection_set=SelectionSetNode(selections=tuple(binnen))),
                *buiten,
            ]
        naam = f"F{len(self.fragmenten)}"
        if soort == "onbekend":
            return [FragmentSpreadNode(name=NameNode(value="Onbekend")), *selecties]
        if soort == "kring":  # a fragment that spreads itself
            binnen = [*binnen, FragmentSpreadNode(name=NameNode(value=naam))]
        self.fragmenten.append(
            FragmentDefinitionNode(
                name=NameNode(value=naam),
                type_condition=NamedTypeNode(name=NameNode(value=doel)),
                selection_set=SelectionSetNode(selections=tuple(binnen)),
            )
        )
        if soort == "ongebruikt":
            return selecties
        spreiding = FragmentSpreadNode(name=NameNode(value=naam))
        return [spreiding, *([spreiding] if soort == "twee_keer" else []), *buiten]

    # variables ------------------------------------------------------------------------------------

    def naar_variabelen(self, op: OperationDefinitionNode, root: Any) -> tuple[OperationDefinitionNode, dict[str, Any]]:
        """Move some root arguments into variables, declared with their type and given as JSON."""
        rng = self.rng
        definities: list[VariableDefinitionNode] = list(op.variable_definitions or ())
        waarden: dict[str, Any] = {}
        velden = []
        for s in op.selection_set.selections:
            definitie = _veld_def(root, s.name.value) if isinstance(s, FieldNode) else None
            if definitie is None:
                velden.append(s)
                continue
            argumenten = []
            for a in s.arguments:
                arg = definitie.args.get(a.name.value)
                if arg is None or rng.random() < 0.3:
                    argumenten.append(a)
                    continue
                naam = f"v{len(definities)}"
                typetekst = str(arg.type)
                defect = self._toe("variabele", 0.4)
                if defect and rng.random() < 0.4:
                    typetekst = rng.choice(
                        [
                            "Int",
                            "String",
                            "[String!]!",
                            "Boolean!",
                            "Onbekend",
                            "Levering",
                            typetekst.rstrip("!"),
                            f"[{typetekst}]",
                        ]
                    )
                standaard = None
                if not isinstance(arg.type, GraphQLNonNull) and rng.random() < 0.1:
                    standaard = als_ast(self.pools.voor(rng, a.name.value, arg.type))
                definities.append(
                    VariableDefinitionNode(
                        variable=VariableNode(name=NameNode(value=naam)),
                        type=graphql.parse_type(typetekst),
                        default_value=standaard,
                    )
                )
                if defect and rng.random() < 0.5:
                    if rng.random() < 0.7:
                        waarden[naam] = als_json(self.pools.voor(rng, a.name.value, arg.type, geldig=False))
                    # else: declared, used, and not given
                else:
                    waarden[naam] = als_json(self.pools.voor(rng, a.name.value, arg.type))
                argumenten.append(dataclasses.replace(a, value=VariableNode(name=NameNode(value=naam))))
            velden.append(dataclasses.replace(s, arguments=tuple(argumenten)))
        if self._toe("variabele", 0.5):
            waarden[rng.choice(["ongebruikt", "__proto__"])] = rng.choice([1, "x", None, {"a": []}])
        op = dataclasses.replace(
            op,
            variable_definitions=tuple(definities),
            selection_set=dataclasses.replace(op.selection_set, selections=tuple(velden)),
        )
        return op, waarden

    # the whole request ------------------------------------------------------------------------------

    def verzoek(self, basis: DocumentNode, negatief: bool) -> Verzoek:
        rng = self.rng
        self.defect = rng.choice(DEFECTEN) if not negatief and rng.random() < 0.3 else None
        self.aliassen = rng.random() < 0.3
        self.fragmenten_maken = rng.random() < 0.3
        self.fragmenten = []
        op = basis.definitions[0]
        assert isinstance(op, OperationDefinitionNode)
        root = SCHEMA.query_type if op.operation == OperationType.QUERY else SCHEMA.mutation_type
        op = dataclasses.replace(op, selection_set=self.selecties(op.selection_set, root, 0))
        variabelen: dict[str, Any] = {}
        if rng.random() < 0.35 or self.defect == "variabele":
            op, variabelen = self.naar_variabelen(op, root)
        operatie = None
        if rng.random() < 0.15:
            op = dataclasses.replace(op, name=NameNode(value="Vijandig"))
            operatie = "Vijandig" if rng.random() < 0.7 else None
        definities: list[Any] = [op, *self.fragmenten]
        if self._toe("operatie", 1.0):
            keuze = rng.randrange(4)
            if keuze == 0:
                definities[0] = dataclasses.replace(op, operation=rng.choice(list(OperationType)))
            elif keuze == 1:  # a second operation in the same document
                definities.append(
                    graphql.parse("query Tweede { herregistratiecriteria { totaalUren } }").definitions[0]
                )
                operatie = rng.choice(["Tweede", None, "Vijandig"])
            elif keuze == 2:
                operatie = rng.choice(["Anders", "", "vijandig"])
            else:
                definities.append(graphql.parse("fragment Los on Leraar { registernummer }").definitions[0])
        tekst = graphql.print_ast(DocumentNode(definitions=tuple(definities)))
        omschrijving = "hypothesis-graphql" + (" (negative)" if negatief else "") + " + mutator"
        if self._toe("tekst", 1.0):
            tekst, omschrijving = self._verknip(tekst), omschrijving + ", text corrupted"
        v = Verzoek(omschrijving, tekst, variabelen, operatie)
        if rng.random() < 0.04 and op.operation == OperationType.QUERY:
            v.methode = "GET"
        return v

    def _verknip(self, tekst: str) -> str:
        rng = self.rng
        plek = rng.randint(0, max(len(tekst) - 1, 0))
        return rng.choice(
            [
                lambda: tekst[:plek],
                lambda: (
                    tekst[:plek]
                    + rng.choice(
                        [
                            "{",
                            "}",
                            "(",
                            ")",
                            '"',
                            "$",
                            "@",
                            "...",
                            "\x00",
                            "\u202e",
                            "#",
                            "\\",
                            '"""',
                            "!",
                            ":",
                            "[",
                            "0x",
                            "é",
                        ]
                    )
                    + tekst[plek:]
                ),
                lambda: tekst.replace("{", "{ " + rng.choice(["", "...", "@", "a:", "1"]) + " ", 1),
                lambda: "\ufeff" + tekst,
                lambda: tekst + " " + tekst,
                lambda: tekst.replace('"', '"""', 2),
                lambda: tekst + "\n# " + "x" * 1000,
            ]
        )()


# --- hand-made hostile shapes, filled from the pools ----------------------------------------------------


# The shapes each role is most often after (the rest come up too, for every role).
EIGEN_SJABLONEN = {
    "publiek": [0, 1, 5],
    "leraar": [2, 6, 6, 7, 8, 13, 17],
    "schoolbestuur": [3, 3, 12, 8],
    "duo": [10, 10, 10, 5],
    "aanbieder": [9, 9, 1],
    "beroepsgroep": [11, 11, 5],
}


def sjablonen(rng: random.Random, pools: Pools, rol: str) -> Verzoek:
    v = lambda naam, type_=None: als_json(pools.voor(rng, naam, type_, geldig=rng.random() < 0.85))  # noqa: E731
    t = SCHEMA.type_map
    keuze = rng.choice(EIGEN_SJABLONEN[rol]) if rol in EIGEN_SJABLONEN and rng.random() < 0.7 else rng.randrange(18)
    if keuze == 0:
        return Verzoek(
            "template: search page with variables",
            "query($t: String!, $f: Int, $a: String) { zoekLeraren(zoekterm: $t, first: $f, after: $a) "
            "{ totalCount pageInfo { hasNextPage endCursor } edges { cursor node { registernummer "
            "naam { weergavenaam } bevoegdheden { vak } } } } }",
            {"t": v("zoekterm"), "f": v("first"), "a": v("after")},
        )
    if keuze == 1:
        return Verzoek(
            "template: catalogue search",
            "query($t: String, $f: Int, $a: String) { zoekActiviteiten(zoekterm: $t, first: $f, after: $a) "
            "{ totalCount edges { cursor node { id titel uren aanbieder { code naam } } } } }",
            {"t": v("zoekterm"), "f": v("first"), "a": v("after")},
        )
    if keuze == 2:
        return Verzoek(
            "template: own portfolio page",
            "query($f: Int, $a: String) { ik { portfolio(first: $f, after: $a) { totalCount edges { cursor "
            "node { id titel datum uren bevoegdheden { vak } } } } } }",
            {"f": v("first"), "a": v("after")},
        )
    if keuze == 3:
        niveaus = rng.choice([1, 2, 3, 4])
        binnen = "registernummer"
        for _ in range(niveaus):
            binnen = (
                f"registernummer benoemingen {{ vak schoolbestuur {{ naam "
                f"medewerkers(first: {rng.choice([1, 20, 100])}) "
                f"{{ totalCount edges {{ node {{ {binnen} }} }} }} }} }}"
            )
        return Verzoek(
            f"template: board walk {niveaus} deep",
            "query($f: MedewerkerFilter, $s: DateTime, $a: String) { mijnSchoolbestuur { naam "
            "medewerkers(filter: $f, gewijzigdSinds: $s, after: $a) { totalCount edges { node { "
            + binnen
            + " } } } } }",
            {"f": v("filter", t["MedewerkerFilter"]), "s": v("gewijzigdSinds"), "a": v("after")},
        )
    if keuze == 4:
        n = rng.choice([2, 10, 50, 200])
        velden = " ".join(
            f"a{i}: zoekLeraren(zoekterm: {json.dumps(rng.choice(['a', 'v', '', 'jan']))}, first: 50) "
            "{ edges { node { registernummer bevoegdheden { vak } portfolio(first: 100) { totalCount } } } }"
            for i in range(n)
        )
        return Verzoek(f"template: {n} aliases of a search page", "{ " + velden + " }")
    if keuze == 5:
        n = rng.choice([0, 1, 10, 100, 101, 1000])
        nummers = [rng.choice(pools.nummers) if rng.random() < 0.8 else pools.tekst(rng) for _ in range(n)]
        return Verzoek(
            f"template: leraren with {n} numbers",
            "query($n: [String!]!) { leraren(registernummers: $n) { registernummer naam { weergavenaam } "
            "registratie { status } portfolio(first: 100) { totalCount } bevoegdheden { herregistraties "
            "{ status } } } }",
            {"n": nummers},
        )
    if keuze == 6:
        return Verzoek(
            "template: add/change a portfolio entry",
            "mutation($i: ActiviteitInvoer!, $id: ID!) { a: voegActiviteitToe(invoer: $i) { id titel uren } "
            "b: wijzigActiviteit(id: $id, invoer: $i) { id bron } }",
            {"i": v("invoer", t["ActiviteitInvoer"]), "id": v("id")},
        )
    if keuze == 7:
        return Verzoek(
            "template: name correction",
            "mutation($i: CorrectieInvoer!) { corrigeerPersoonsgegevens(invoer: $i) { naam { weergavenaam "
            "voornamen } } }",
            {"i": v("invoer", t["CorrectieInvoer"])},
        )
    if keuze == 8:
        return Verzoek(
            "template: report and objection",
            "mutation($b: ID, $c: ID, $t: String!, $a: ID!, $m: String!) { meldFout(benoeming: $b, "
            "bevoegdheid: $c, toelichting: $t) { id onderwerp } dienBezwaarIn(aantekening: $a, "
            "motivering: $m) { id status } }",
            {
                "b": v("benoeming") if rng.random() < 0.6 else None,
                "c": v("bevoegdheid") if rng.random() < 0.5 else None,
                "t": v("toelichting"),
                "a": v("aantekening"),
                "m": v("motivering"),
            },
        )
    if keuze == 9:
        return Verzoek(
            "template: catalogue publish/withdraw",
            "mutation($i: CatalogusActiviteitInvoer!, $id: ID!) { publiceerActiviteit(invoer: $i) { id uren } "
            "trekActiviteitIn(id: $id) { id ingetrokken } }",
            {"i": v("invoer", t["CatalogusActiviteitInvoer"]), "id": v("catalogusActiviteit")},
        )
    if keuze == 10:
        n = rng.choice([0, 1, 2, 3, 1001]) if rng.random() < 0.2 else rng.choice([1, 2])
        return Verzoek(
            f"template: delivery of {n}",
            "mutation($l: [Levering!]!) { zetGegevensKlaar(leveringen: $l) { nieuw gewijzigd ongewijzigd "
            "registernummers } }",
            {
                "l": [
                    pools.invoer(rng, "Levering") if rng.random() < 0.8 else v("levering", t["Levering"])
                    for _ in range(n)
                ]
            },
        )
    if keuze == 11:
        return Verzoek(
            "template: assessment, criteria, objection ruling",
            "mutation($p: Date!, $c: CriteriaInvoer!, $b: ID!, $u: BezwaarStatus!) { "
            "beoordeelHerregistraties(peildatum: $p) { beoordeeld } stelCriteriaVast(invoer: $c) { geldigVanaf } "
            "behandelBezwaar(bezwaar: $b, uitspraak: $u) { id status } }",
            {
                "p": v("peildatum"),
                "c": v("invoer", t["CriteriaInvoer"]),
                "b": v("bezwaar"),
                "u": v("uitspraak", t["BezwaarStatus"]),
            },
        )
    if keuze == 12:
        return Verzoek(
            "template: board objection, term extension, lists",
            "mutation($i: ID!, $a: ID!, $m: String!) { verlengVoorportaaltermijn(inschrijving: $i) "
            "{ termijnEinde } dienBezwaarIn(aantekening: $a, motivering: $m) { id } }",
            {"i": v("inschrijving"), "a": v("aantekening"), "m": v("motivering")},
        )
    if keuze == 13:
        return Verzoek(
            "template: choose bevoegdheden, confirm, consent",
            "mutation($b: [ID!]!, $o: Boolean!) { kiesHerregistratieBevoegdheden(bevoegdheden: $b) "
            "{ registernummer } bevestigRegistratie(herregistratieBevoegdheden: $b) { registernummer } "
            'zetPortfolioOpenbaar(openbaar: $o) { portfolioOpenbaar } verwijderActiviteit(id: "0") }',
            {"b": v("bevoegdheden", t["ActiviteitInvoer"].fields["bevoegdheden"].type), "o": rng.choice([True, False])},
        )
    if keuze == 14:
        diepte = rng.choice([50, 300, 3000])
        return Verzoek(
            f"template: {diepte} nested brackets",
            rng.choice(
                [
                    "{ a " + "{ a " * diepte + "}" * diepte + " }",
                    "{ leraren(registernummers: " + "[" * diepte + "]" * diepte + ") { registernummer } }",
                    '{ zoekLeraren(zoekterm: "a") { edges { node { naam '
                    + "{ naam " * diepte
                    + "}" * diepte
                    + " } } } }",
                ]
            ),
        )
    if keuze == 15:
        n = rng.choice([1000, 20000])
        return Verzoek(f"template: {n} tokens", "{ " + "__typename " * n + "}")
    if keuze == 16:
        return Verzoek(
            "template: introspection",
            rng.choice(
                [
                    "{ __schema { types { name fields { name args { name type { name } } } } } }",
                    '{ __type(name: "Leraar") { fields { name } } }',
                    '{ __type(name: "\\u0000") { name } }',
                    "{ __typename }",
                ]
            ),
        )
    return Verzoek(
        "template: voluntary register import",
        "mutation($g: String!, $w: String!) { importeerVrijwilligPortfolio(gebruikersnaam: $g, "
        "wachtwoord: $w) { aantal } }",
        {"g": v("gebruikersnaam"), "w": v("wachtwoord")},
    )


def ruwe_verzoeken(rng: random.Random) -> Verzoek:
    """Bodies that are not a well-formed GraphQL-over-HTTP request."""
    keuze = rng.randrange(14)
    q = "{ herregistratiecriteria { totaalUren } }"
    lichamen: list[tuple[str, bytes]] = [
        ("not JSON", b"{ herregistratiecriteria"),
        ("empty body", b""),
        ("a JSON array (batch)", json.dumps([{"query": q}, {"query": q}]).encode()),
        ("query is a number", b'{"query": 5}'),
        ("variables a list", json.dumps({"query": q, "variables": [1, 2]}).encode()),
        ("operationName a number", json.dumps({"query": q, "operationName": 3}).encode()),
        ("a lone surrogate", b'{"query": "{ zoekLeraren(zoekterm: \\"\\ud800\\") { totalCount } }"}'),
        (
            "a lone surrogate in a variable",
            b'{"query": "query($t: String!) { zoekLeraren(zoekterm: $t) { totalCount } }", '
            b'"variables": {"t": "\\udfff"}}',
        ),
        ("invalid UTF-8", b'{"query": "{ zoekLeraren(zoekterm: \\"\xff\xfe\\") { totalCount } }"}'),
        (
            "NaN and Infinity",
            b'{"query": "query($f: Int) { zoekActiviteiten(first: $f) { totalCount } }", "variables": {"f": NaN}}',
        ),
        (
            "a body of 200 kB",
            json.dumps({"query": '{ zoekLeraren(zoekterm: "' + "a" * 200_000 + '") { totalCount } }'}).encode(),
        ),
        ("duplicate keys", b'{"query": "{ __typename }", "query": "{ ik { registernummer } }"}'),
        (
            "a number of 5000 digits",
            (
                '{"query": "query($f: Int) { zoekActiviteiten(first: $f) { totalCount } }", '
                '"variables": {"f": ' + "9" * 5000 + "}}"
            ).encode(),
        ),
        (
            "nested 10000 deep",
            ('{"query": "{ __typename }", "variables": {"a": ' + "[" * 10_000 + "]" * 10_000 + "}}").encode(),
        ),
    ]
    naam, lichaam = lichamen[keuze]
    return Verzoek(
        f"raw: {naam}",
        ruw=lichaam,
        koppen={
            "Content-Type": rng.choice(
                ["application/json", "application/json", "text/plain", "application/graphql-response+json"]
            )
        },
    )


# --- tokens per role ---------------------------------------------------------------------------------------


def slechte_tokens(s: Sleutels) -> list[str]:
    """Authorization headers that must be refused with 401, and tokens with odd but signed claims."""
    nu = int(time.time())
    basis = {"iss": ISSUER, "aud": AUDIENCE, "iat": nu, "nbf": nu - 1, "exp": nu + 600, "sub": "vijand"}
    vreemde_sleutel = RSAKey.generate_key(2048, parameters={"kid": "test-1"}, private=True)
    hmac = OctKey.import_key(b"x" * 32)

    def ondertekend(claims: dict[str, Any], kop: dict[str, Any] | None = None, sleutel: Any = None) -> str:
        return jwt.encode(kop or {"alg": "RS256", "kid": "test-1"}, {**basis, **claims}, sleutel or s.sleutel)

    def b64(x: Any) -> str:
        return base64.urlsafe_b64encode(json.dumps(x).encode()).decode().rstrip("=")

    return [
        f"Bearer {t}"
        for t in [
            "garbage",
            "a.b.c",
            "..",
            "...",
            "x" * 100_000,
            "\x00",
            "é.é.é",
            ondertekend({"rol": "duo", "exp": nu - 3600}),
            ondertekend({"rol": "duo", "nbf": nu + 3600}),
            ondertekend({"rol": "duo", "aud": "iemand-anders"}),
            ondertekend({"rol": "duo", "iss": "https://evil.example"}),
            ondertekend({"rol": "duo"}, sleutel=vreemde_sleutel),
            ondertekend({"rol": "duo"}, kop={"alg": "HS256", "kid": "test-1"}, sleutel=hmac),
            b64({"alg": "none"}) + "." + b64({**basis, "rol": "duo"}) + ".",
            b64({"alg": ["RS256"], "kid": {"a": 1}}) + "." + b64({**basis, "rol": "duo"}) + ".c2ln",
            b64({"alg": "RS256", "kid": "onbekend", "jku": "http://127.0.0.1:1/jwks"}) + "." + b64(basis) + ".c2ln",
            b64("geen object") + "." + b64(basis) + ".c2ln",
            ondertekend({"rol": "admin"}),
            ondertekend({"rol": None}),
            ondertekend({"rol": ["duo"]}),
            ondertekend({"rol": "leraar"}),
            ondertekend({"rol": "leraar", "bsn": "123456789"}),
            ondertekend({"rol": "leraar", "bsn": 111222333}),
            ondertekend({"rol": "leraar", "bsn": "\x00" * 9}),
            ondertekend({"rol": "schoolbestuur"}),
            ondertekend({"rol": "schoolbestuur", "bevoegd_gezag": ["30001"]}),
            ondertekend({"rol": "aanbieder", "aanbieder": {"code": 1}}),
            ondertekend({"rol": "duo", "exp": "morgen"}),
            ondertekend({"rol": "duo", "exp": 10**30}),
            ondertekend({"rol": "duo", "iat": "gisteren", "nbf": -(10**30)}),
        ]
    ] + [
        "Basic dXNlcjpwdw==",
        "Bearer",
        "Bearer ",
        "bearer  " + s.duo() + "x",
        "Token abc",
        # Signed and valid, with hostile claims: these are let in, and must not crash anything either.
        "Bearer " + ondertekend({"rol": "schoolbestuur", "bevoegd_gezag": "30001\x00"}),
        "Bearer " + ondertekend({"rol": "schoolbestuur", "bevoegd_gezag": "\u202e" + "9" * 5000}),
        "Bearer " + ondertekend({"rol": "aanbieder", "aanbieder": "A\x00B", "name": "\u202eNaam\x00"}),
        "Bearer " + ondertekend({"rol": "aanbieder", "aanbieder": "x" * 10_000}),
    ]


# Roles whose tokens are good: any 401 they get means the run stopped testing them (as once, when a
# 20,000 run outlived its tokens' ten minutes and five roles got nothing but 401).
GELDIGE_ROLLEN = frozenset({"leraar", "schoolbestuur", "duo", "aanbieder", "beroepsgroep"})
TOKEN_VERS_SECONDEN = 300  # the test tokens live 600 s (conftest.Sleutels): minted again well before


def tokens_per_rol(s: Sleutels, r: Register) -> dict[str, Callable[[random.Random], str | None]]:
    """Each role's Authorization header for the next request (mostly the seeded actor, sometimes
    another), minted again every TOKEN_VERS_SECONDEN so that a long run never sends an expired one."""

    def kies(maak: Callable[[], list[str]], voor: str = "Bearer ") -> Callable[[random.Random], str]:
        tokens, gemaakt = maak(), time.monotonic()

        def volgende(rng: random.Random) -> str:
            nonlocal tokens, gemaakt
            if time.monotonic() - gemaakt > TOKEN_VERS_SECONDEN:
                tokens, gemaakt = maak(), time.monotonic()
            return voor + rng.choice(tokens)

        return volgende

    return {
        "publiek": lambda rng: None,
        "leraar": kies(
            lambda: (
                [s.leraar(r.bsns["zelf"])] * 8
                + [s.leraar(r.bsns["klaar"]), s.leraar(r.bsns["voorportaal"]), s.leraar(bsn(9200))]
            )
        ),
        "schoolbestuur": kies(lambda: [s.bestuur(A)] * 8 + [s.bestuur(C), s.bestuur("99999")]),
        "duo": kies(lambda: [s.duo()]),
        "aanbieder": kies(lambda: [s.aanbieder("AANB1", "Academie")] * 8 + [s.aanbieder("AANB2")]),
        "beroepsgroep": kies(lambda: [s.beroepsgroep()]),
        # Whole headers; the signed ones with odd claims must stay unexpired too.
        "slecht_token": kies(lambda: slechte_tokens(s), voor=""),
    }


VREEMDE_KOPPEN: list[dict[str, str]] = [
    {"X-Request-ID": "\x00"},
    {"X-Request-ID": "a" * 10_000},
    {"X-Request-ID": "\u202e../../etc"},
    {"X-Forwarded-For": "not-an-ip, 999.1.1.1, ::ffff:127.0.0.1"},
    {"X-Forwarded-For": ",".join(["1.2.3.4"] * 500)},
    {"Accept": "text/html"},
    {"Accept": "application/graphql-response+json;q=0, */*;q=0"},
    {"Accept": "\x00"},
    {"If-None-Match": 'W/"' + "x" * 5000 + '"'},
    {"If-None-Match": "*"},
    {"Content-Encoding": "gzip"},
    {"Origin": "https://evil.example"},
    {"Cookie": "a=" + "b" * 4000},
]


def verzoeken(
    rol: str, basis: list[DocumentNode], negatief: list[DocumentNode], pools: Pools, aantal: int
) -> Iterator[Verzoek]:
    """One role's requests: mostly hypothesis-graphql's documents made hostile, some hand-made shapes,
    some broken HTTP bodies; now and then with odd headers."""
    rng = random.Random(f"{SEED}-{rol}")
    mutator = Mutator(rng, pools)
    for i in range(aantal):
        keuze = rng.random()
        pools.verboden_tekens = rng.random() < 0.25
        if keuze < 0.3:
            v = sjablonen(rng, pools, rol)
        elif keuze < 0.33:
            v = ruwe_verzoeken(rng)
        elif keuze < 0.43:
            v = mutator.verzoek(negatief[(i * 7 + ROLLEN.index(rol)) % len(negatief)], negatief=True)
        else:
            v = mutator.verzoek(basis[(i * 7 + ROLLEN.index(rol)) % len(basis)], negatief=False)
        if rng.random() < 0.04:
            v.koppen.update(rng.choice(VREEMDE_KOPPEN))
        yield v


# --- judging the answers -----------------------------------------------------------------------------------

SPOOR = re.compile(
    r"Traceback \(most recent|File \"[^\"]+\", line \d+|\.py\", line|sqlalchemy\.|asyncpg\.|"
    r"\[SQL: |psycopg|aiosqlite|sqlite3\.|\bat 0x[0-9a-f]{6,}"
)
# Said by the log record of a masked internal error (schema/fouten.py, server.py).
CORRELATIE = re.compile(r"internal error ([0-9a-f]{32})")


@dataclasses.dataclass
class Bevinding:
    """One answer that broke a rule: what was sent, what came back, and the cause in the server's log."""

    rol: str
    verzoek: Verzoek
    status: int
    probleem: str
    oorzaak: str = ""


def _oorzaak(exc: BaseException | None) -> str:
    """The deepest cause of an exception, as 'Type: first line'."""
    gezien = []
    while exc is not None and exc not in gezien:
        gezien.append(exc)
        exc = exc.__cause__ or exc.__context__
    if not gezien:
        return "(no exception in the log)"
    laatste = gezien[-1]
    regel = (str(laatste).strip().splitlines() or [""])[0][:200]
    return f"{type(laatste).__module__}.{type(laatste).__qualname__}: {regel}"


def beoordeel(rol: str, v: Verzoek, status: int, tekst: str, logboek: dict[str, str]) -> list[Bevinding]:
    uit: list[Bevinding] = []
    if status >= 500:
        uit.append(Bevinding(rol, v, status, f"HTTP {status}"))
    if SPOOR.search(tekst):
        uit.append(Bevinding(rol, v, status, f"trace or SQL text in the answer: {SPOOR.search(tekst).group(0)!r}"))
    if status == 304:
        return uit
    try:
        body = json.loads(tekst)
    except ValueError:
        return [*uit, Bevinding(rol, v, status, f"answer is not JSON: {tekst[:200]!r}")]
    if not isinstance(body, dict) or not ("data" in body or "errors" in body):
        return [*uit, Bevinding(rol, v, status, f"answer has neither data nor errors: {tekst[:200]!r}")]
    if status != 200 and not body.get("errors"):
        uit.append(Bevinding(rol, v, status, f"HTTP {status} without errors"))
    for fout in body.get("errors") or []:
        code = (fout.get("extensions") or {}).get("code") if isinstance(fout, dict) else None
        if not isinstance(code, str) or not code:
            uit.append(Bevinding(rol, v, status, f"an error without extensions.code: {json.dumps(fout)[:300]}"))
        elif code == "INTERNAL_SERVER_ERROR":
            correlatie = fout["extensions"].get("correlationId", "")
            uit.append(Bevinding(rol, v, status, "INTERNAL_SERVER_ERROR", logboek.get(correlatie, "")))
        if isinstance(fout, dict) and not isinstance(fout.get("message"), str):
            uit.append(Bevinding(rol, v, status, f"an error without a message: {json.dumps(fout)[:300]}"))
    for b in uit:
        if not b.oorzaak and status >= 500:
            correlaties = re.findall(r'"correlationId":\s*"([0-9a-f]+)"', tekst)
            b.oorzaak = logboek.get(correlaties[0], "") if correlaties else ""
    return uit


class Logboek(logging.Handler):
    """The server's log during the run: internal errors by correlation id, and every ERROR record."""

    def __init__(self) -> None:
        super().__init__(level=logging.WARNING)
        self.oorzaken: dict[str, str] = {}
        self.records: list[tuple[logging.LogRecord, str]] = []
        self.nu = ""  # the request being sent, for a record that names none

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append((record, self.nu))
        m = CORRELATIE.search(record.getMessage())
        if m:
            self.oorzaken[m.group(1)] = _oorzaak(record.exc_info[1] if record.exc_info else None)


# --- the test ---------------------------------------------------------------------------------------------


async def stuur(api: Api, v: Verzoek, autorisatie: str | None) -> tuple[int, str]:
    assert api.client is not None
    koppen = dict(v.koppen)
    if autorisatie is not None:
        koppen["Authorization"] = autorisatie
    # httpx sends str header values as ASCII only; a hostile client sends any bytes.
    koppen = {k: w if w.isascii() else w.encode() for k, w in koppen.items()}  # type: ignore[misc]
    if v.ruw is not None:
        r = await api.client.post("/graphql", content=v.ruw, headers=koppen)
    elif v.methode == "GET" and len(json.dumps(v.variabelen)) + len(v.query) < 20_000:  # httpx caps a URL at 64 kB
        params = {"query": v.query}
        if v.variabelen:
            params["variables"] = json.dumps(v.variabelen)
        if v.operatie is not None:
            params["operationName"] = v.operatie
        r = await api.client.get("/graphql", params=params, headers=koppen)
    elif v.operatie is None and not v.koppen and all(isinstance(w, str) for w in koppen.values()):
        # The usual shape goes through Api.post, so conftest's guard also checks that no BSN comes back.
        r = await api.post(v.query, v.variabelen, headers=koppen)
    else:
        body = {"query": v.query, "variables": v.variabelen, "operationName": v.operatie}
        r = await api.client.post(
            "/graphql", content=json.dumps(body).encode(), headers={"Content-Type": "application/json", **koppen}
        )
    return r.status_code, r.text


@pytest.fixture
async def register_pg(database_urls: dict[str, str], sleutels: Sleutels) -> Any:
    """The register on PostgreSQL only: the store production runs, and the stricter one (it refuses NUL
    in text, a VARCHAR overflow, a parameter beyond its integer type)."""
    await leeg(database_urls["postgres"])
    # Rate limits off: with them, most of a long run would be 429 (they have tests of their own).
    async with Api(
        "postgres", database_urls["postgres"], sleutels, VANDAAG, limiet_publiek="uit", limiet_aangemeld="uit"
    ) as a:
        yield a


async def test_vijandig_verkeer(register_pg: Api) -> None:
    api = register_pg
    begin = time.monotonic()
    r = await zaai(api)
    pools = Pools(r)
    basis = basisdocumenten(AANTAL, negatief=False)
    negatief = basisdocumenten(max(AANTAL // 4, 10), negatief=True)
    tokens = tokens_per_rol(api.sleutels, r)
    klaar_met_genereren = time.monotonic()

    logboek = Logboek()
    # The register's own log, and asyncio's ("Future exception was never retrieved", "Task was destroyed").
    loggers = [logging.getLogger("lerarenregister"), logging.getLogger("asyncio")]
    for logger in loggers:
        logger.addHandler(logboek)
    bevindingen: list[Bevinding] = []
    codes: Counter[str] = Counter()
    gestuurd: Counter[str] = Counter()
    uitgevoerd = 0
    beantwoord: set[str] = set()  # correlation ids that reached a client
    verslagbestand = open(VERSLAG, "w") if VERSLAG else None  # noqa: SIM115
    try:
        with warnings.catch_warnings(record=True) as waarschuwingen:
            warnings.simplefilter("always")
            for rol in ROLLEN:
                rng = random.Random(f"{SEED}-{rol}-token")
                for v in verzoeken(rol, basis, negatief, pools, AANTAL):
                    logboek.nu = f"[{rol} #{gestuurd[rol]}] {v.tekst(300)}"
                    status, tekst = await stuur(api, v, tokens[rol](rng))
                    gestuurd[rol] += 1
                    codes[str(status)] += 1
                    uitgevoerd += tekst.startswith('{"data":{')  # the executor ran (data not null)
                    for code in re.findall(r'"code":\s*"([A-Z_]+)"', tekst):
                        codes[code] += 1
                    beantwoord.update(re.findall(r'"correlationId":\s*"([0-9a-f]+)"', tekst))
                    bevindingen.extend(beoordeel(rol, v, status, tekst, logboek.oorzaken))
                    if rol in GELDIGE_ROLLEN and status == 401:
                        bevindingen.append(Bevinding(rol, v, status, f"a good token refused: {tekst[:200]}"))
                    if verslagbestand is not None:
                        verslagbestand.write(
                            json.dumps(
                                {
                                    "rol": rol,
                                    "soort": v.omschrijving,
                                    "verzoek": v.tekst(2000),
                                    "status": status,
                                    "antwoord": tekst[:2000],
                                }
                            )
                            + "\n"
                        )
            gc.collect()
    finally:
        for logger in loggers:
            logger.removeHandler(logboek)
        if verslagbestand is not None:
            verslagbestand.close()
    duur = time.monotonic() - klaar_met_genereren

    # The log: an internal error whose answer was counted above (by its correlation id) is not counted
    # twice; anything else logged at ERROR or with a traceback, and any coroutine never awaited, is a
    # finding of its own.
    for record, tijdens in logboek.records:
        correlatie = CORRELATIE.search(record.getMessage())
        if correlatie and correlatie.group(1) in beantwoord:
            continue
        if record.levelno >= logging.ERROR or record.exc_info:
            fout = record.exc_info[1] if record.exc_info else record.__dict__.get("exception")
            bevindingen.append(
                Bevinding(
                    "log",
                    Verzoek(f"logged while sending {tijdens}"),
                    0,
                    f"logged by {record.name}: {record.getMessage()[:300]}",
                    _oorzaak(fout),
                )
            )
    for w in waarschuwingen:
        if "never awaited" in str(w.message) or issubclass(w.category, ResourceWarning):
            bevindingen.append(Bevinding("log", Verzoek("warnings"), 0, f"{w.category.__name__}: {w.message}"))

    print(
        f"\nhostile traffic: {dict(gestuurd)} requests in {duur:.1f} s "
        f"(seed and generation {klaar_met_genereren - begin:.1f} s); {uitgevoerd} answered with data; "
        f"HTTP statuses and error codes: {dict(codes.most_common())}"
    )
    assert sum(gestuurd.values()) == AANTAL * len(ROLLEN)
    assert not bevindingen, verslag(bevindingen)


def verslag(bevindingen: list[Bevinding]) -> str:
    """Findings grouped by cause, with the first request of each."""
    groepen: dict[tuple[str, str], list[Bevinding]] = {}
    for b in bevindingen:
        groepen.setdefault((b.probleem.split(":")[0], b.oorzaak), []).append(b)
    regels = [f"{len(bevindingen)} findings in {len(groepen)} groups:"]
    for (probleem, oorzaak), lijst in sorted(groepen.items(), key=lambda kv: -len(kv[1])):
        eerste = lijst[0]
        rollen = sorted({b.rol for b in lijst})
        regels.append(
            f"- {len(lijst)}x {probleem} | cause: {oorzaak or '-'} | roles {rollen}\n"
            f"    e.g. [{eerste.rol}, HTTP {eerste.status}, {eerste.verzoek.omschrijving}] "
            f"{eerste.probleem[:200]}\n    {eerste.verzoek.tekst()}"
        )
    return "\n".join(regels)
