"""Who sees what (API.md, Visibility), checked against the schema's own declarations.

The matrix test asks, as every audience, for every field of Leraar that `leraar(registernummer:)` can
reach (the selection is generated from the schema), and checks every field of the answer against its
@zichtbaarVoor declaration and the audiences this test expects for that asker.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
import strawberry
from conftest import VANDAAG, Api, Sleutels, fouten
from gegevens import KLAARZETTEN, benoeming, bevestig, bsn, klaarzetten, levering
from graphql import GraphQLNonNull, GraphQLObjectType, get_named_type
from graphql.pyutils import Undefined
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from lerarenregister.auth.policy import ALGEMEEN, Doelgroep, Onderwerp
from lerarenregister.auth.viewer import ANONIEM, DuoViewer
from lerarenregister.db import make_sessionmaker
from lerarenregister.resolvers.verzoek import Db, Verzoek
from lerarenregister.schema import bouw_schema, zichtbaarheidsregels, zonder_declaratie
from lerarenregister.schema.fouten import formatteer
from lerarenregister.schema.zichtbaarheid import (
    Zichtbaarheidscontrole,
    ongedeclareerd,
    verzamel_regels,
    zichtbaar,
)

P, Z, W, T = Doelgroep.PUBLIEK, Doelgroep.LERAAR_ZELF, Doelgroep.WERKGEVER, Doelgroep.MET_TOESTEMMING
SZ, DUO, BG = Doelgroep.SCHOOLBESTUUR_ZELF, Doelgroep.DUO, Doelgroep.BEROEPSGROEP

# Boards: A employs the teacher now, B did until 2019, C also employs the teacher now, D never did.
A, B, C, D = "20001", "20002", "20003", "20004"
# The teacher was delivered and confirmed on D0; the first period (to 2025-10-31) is assessed today.
D0 = dt.date(2021, 11, 1)

# Types whose objects are a teacher's data; Schoolbestuur is the board's own. A type reachable from
# Leraar that is in neither must be classified here before the matrix can judge it.
LERAAR_TYPEN = {
    "Leraar",
    "Naam",
    "Registratie",
    "Benoeming",
    "Voorportaalinschrijving",
    "Bevoegdheid",
    "Herregistratie",
    "Aantekening",
    "Bezwaar",
    "Waarschuwing",
    "PortfolioActiviteit",
    "Inzagelogregel",
}
BESTUUR_TYPEN = {"Schoolbestuur"}


def structureel(typenaam: str) -> bool:
    return typenaam.endswith(("Connection", "Edge")) or typenaam == "PageInfo"


# Fields that may be null although the asker may see them, and when (given the parent object).
MAG_NULL: dict[tuple[str, str], Callable[[dict[str, Any]], bool]] = {
    # Only a lifted aantekening has a date of lifting; here every one stands.
    ("Aantekening", "opgehevenOp"): lambda ouder: ouder.get("status") in (None, "STAAT"),
    # A voorportaal warning concerns no bevoegdheid.
    ("Waarschuwing", "bevoegdheid"): lambda ouder: (
        ouder.get("soort") in (None, "VOORPORTAALTERMIJN_VERLOOPT", "REGISTRATIE_NIET_BEVESTIGD")
    ),
    # An empty page has no cursors.
    ("PageInfo", "startCursor"): lambda ouder: True,
    ("PageInfo", "endCursor"): lambda ouder: True,
    # A request without an operation name logs none (the matrix's own requests are unnamed).
    ("Inzagelogregel", "operatie"): lambda ouder: True,
}
# Null in every answer of this data set, whoever asks (so the coverage check leaves them out).
NOOIT_GEVULD = {("Aantekening", "opgehevenOp")}


# --- the selection, generated from the schema ----------------------------------------------------


@dataclass
class Veld:
    naam: str
    typenaam: str | None  # the object type it leads to, None for a leaf
    kinderen: list[Veld] = field(default_factory=list)


def _velden(type_: GraphQLObjectType, pad: tuple[str, ...]) -> list[Veld]:
    uit = []
    for naam, definitie in type_.fields.items():
        verplicht = [
            a
            for a, arg in definitie.args.items()
            if isinstance(arg.type, GraphQLNonNull) and arg.default_value is Undefined
        ]
        assert not verplicht, f"{type_.name}.{naam} needs arguments {verplicht}: teach the matrix test to give them"
        doel = get_named_type(definitie.type)
        if isinstance(doel, GraphQLObjectType):
            if doel.name in pad:  # back into a type on the path (a board's staff are Leraar again)
                continue
            uit.append(Veld(naam, doel.name, _velden(doel, pad + (doel.name,))))
        else:
            assert not hasattr(doel, "fields"), f"{type_.name}.{naam}: interfaces/unions are not handled"
            uit.append(Veld(naam, None))
    return uit


def _tekst(velden: list[Veld]) -> str:
    return " ".join(f"{v.naam} {{ {_tekst(v.kinderen)} }}" if v.typenaam else v.naam for v in velden)


LERAAR_SELECTIE = _velden(bouw_schema()._schema.type_map["Leraar"], ("Leraar",))  # type: ignore[arg-type]
LERAAR_VRAAG = "query($nr: String!) { leraar(registernummer: $nr) { " + _tekst(LERAAR_SELECTIE) + " } }"


# --- who asks ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Vrager:
    token: Callable[[Sleutels, Gegevens], str | None]
    leraar: frozenset[Doelgroep]  # the audiences for the teacher's data, consent aside
    bestuur: str | None = None  # the board it is
    rol: frozenset[Doelgroep] = frozenset()  # role audiences that hold for any data

    def voor_leraar(self, toestemming: bool) -> frozenset[Doelgroep]:
        return self.leraar | ({T} if toestemming else frozenset())

    def voor_bestuur(self, nummer: str) -> frozenset[Doelgroep]:
        return frozenset({P}) | self.rol | ({SZ} if nummer == self.bestuur else frozenset())


VRAGERS: dict[str, Vrager] = {
    "publiek": Vrager(lambda s, g: None, frozenset({P})),
    "leraar_zelf": Vrager(lambda s, g: s.leraar(g.bsn), frozenset({P, Z})),
    "andere_leraar": Vrager(lambda s, g: s.leraar(g.ander_bsn), frozenset({P})),
    "huidige_werkgever": Vrager(lambda s, g: s.bestuur(A), frozenset({P, W}), A),
    "vroegere_werkgever": Vrager(lambda s, g: s.bestuur(B), frozenset({P}), B),
    "ander_bestuur": Vrager(lambda s, g: s.bestuur(D), frozenset({P}), D),
    "duo": Vrager(lambda s, g: s.duo(), frozenset({P, DUO}), rol=frozenset({DUO})),
    "beroepsgroep": Vrager(lambda s, g: s.beroepsgroep(), frozenset({P, BG}), rol=frozenset({BG})),
    "aanbieder": Vrager(lambda s, g: s.aanbieder("AANB1", "Academie"), frozenset({P})),
}


# --- the data -----------------------------------------------------------------------------------------


@dataclass
class Gegevens:
    bsn: str
    nummer: str
    ander_bsn: str
    ander_nummer: str


BEVOEGDHEDEN = [
    {"vak": "Wiskunde", "soort": "TWEEDEGRAADS", "behaaldOp": "2010-06-30"},
    {"vak": "Engels", "soort": "EERSTEGRAADS", "behaaldOp": "2012-06-30"},
]
BENOEMINGEN = [
    benoeming(A, "Wiskunde", "2020-08-01", "2030-07-31"),
    # No bevoegdheid for these: voorportaal. A's term ends 2026-12-31, so its warning stands today.
    benoeming(A, "Natuurkunde", "2025-01-01", "2030-07-31"),
    benoeming(B, "Engels", "2012-08-01", "2019-07-31"),
    benoeming(B, "Scheikunde", "2014-08-01", "2019-07-31"),
    benoeming(C, "Wiskunde", "2021-08-01", "2031-07-31"),
    benoeming(C, "Biologie", "2026-01-01", "2031-07-31"),
]


async def bouw_gegevens(api: Api) -> Gegevens:
    """A teacher with as much data as every field can show, and another teacher at board D."""
    g = Gegevens(bsn(101), "", bsn(102), "")
    s = api.sleutels
    async with api.op(D0) as toen:
        g.nummer, g.ander_nummer = await klaarzetten(
            toen,
            [
                levering(g.bsn, bevoegdheden=BEVOEGDHEDEN, benoemingen=BENOEMINGEN),
                levering(
                    g.ander_bsn,
                    achternaam="Jansen",
                    tussenvoegsel=None,
                    voornamen="Piet",
                    benoemingen=[benoeming(D, "Wiskunde", "2015-08-01")],
                ),
            ],
        )
        await bevestig(toen, g.bsn)
        await bevestig(toen, g.ander_bsn)
    # The first period ended 2025-10-31 without hours: an aantekening on each bevoegdheid.
    uitslag = await api.ok(
        "mutation($d: Date!) { beoordeelHerregistraties(peildatum: $d) { nietVoldaan } }",
        {"d": VANDAAG.isoformat()},
        s.beroepsgroep(),
    )
    assert uitslag["beoordeelHerregistraties"]["nietVoldaan"] >= 2
    token = s.leraar(g.bsn)
    ik = (await api.ok("{ ik { bevoegdheden { id aantekening { id } } } }", token=token))["ik"]
    for bev in ik["bevoegdheden"]:
        assert bev["aantekening"] is not None, ik
        await api.ok(
            'mutation($a: ID!) { dienBezwaarIn(aantekening: $a, motivering: "Ziek geweest") { id } }',
            {"a": bev["aantekening"]["id"]},
            token,
        )
    # Two hours early in the new period: behind the pace, so a warning that names a bevoegdheid.
    await api.ok(
        "mutation($i: ActiviteitInvoer!) { voegActiviteitToe(invoer: $i) { id } }",
        {
            "i": {
                "titel": "Vakdag wiskunde",
                "datum": "2026-11-01",
                "uren": 2,
                "gebied": "VAKINHOUDELIJK",
                "bevoegdheden": [b["id"] for b in ik["bevoegdheden"]],
            }
        },
        token,
    )
    # DUO looks the teacher up (a named operation): the teacher's access log has an entry to show.
    await api.ok(
        "query DuoControle($nr: String!) { leraar(registernummer: $nr) { geboortedatum } }", {"nr": g.nummer}, s.duo()
    )
    return g


async def zet_toestemming(api: Api, g: Gegevens, openbaar: bool) -> None:
    data = await api.ok(
        "mutation($o: Boolean!) { zetPortfolioOpenbaar(openbaar: $o) { portfolioOpenbaar } }",
        {"o": openbaar},
        api.sleutels.leraar(g.bsn),
    )
    assert data["zetPortfolioOpenbaar"]["portfolioOpenbaar"] is openbaar


# --- judging one answer -------------------------------------------------------------------------------


@dataclass
class Oordeel:
    vrager: Vrager
    toestemming: bool
    verboden: set[tuple[Any, ...]]  # the paths the answer reports as FORBIDDEN
    problemen: list[str] = field(default_factory=list)
    verwacht_verboden: set[tuple[Any, ...]] = field(default_factory=set)
    gevuld: set[tuple[str, str]] = field(default_factory=set)
    gezien: int = 0

    def doelgroepen(self, typenaam: str, obj: dict[str, Any]) -> frozenset[Doelgroep]:
        if typenaam in LERAAR_TYPEN:
            return self.vrager.voor_leraar(self.toestemming)
        if typenaam in BESTUUR_TYPEN:
            return self.vrager.voor_bestuur(obj["bevoegdGezagNummer"])
        raise AssertionError(f"whose data is a {typenaam}? Classify it in test_zichtbaarheid.py")

    def object(
        self,
        typenaam: str,
        obj: dict[str, Any],
        velden: list[Veld],
        pad: tuple[Any, ...],
        ouder_groepen: frozenset[Doelgroep] | None,
    ) -> None:
        groepen = ouder_groepen if structureel(typenaam) else self.doelgroepen(typenaam, obj)
        regels = zichtbaarheidsregels()
        for v in velden:
            p = pad + (v.naam,)
            waarde = obj.get(v.naam, "<missing>")
            self.gezien += 1
            if waarde == "<missing>":
                self.problemen.append(f"{p}: missing from the answer")
                continue
            if structureel(typenaam):
                mag = True
            else:
                verklaard = regels.get((typenaam, v.naam))
                mag = verklaard is not None and not verklaard.isdisjoint(groepen)
            if mag:
                if p in self.verboden:
                    self.problemen.append(f"{p}: FORBIDDEN although visible to {sorted(d.value for d in groepen)}")
                if waarde is None:
                    mag_null = MAG_NULL.get((typenaam, v.naam))
                    if mag_null is None or not mag_null(obj):
                        self.problemen.append(f"{p}: visible but null")
                    continue
                self.gevuld.add((typenaam, v.naam))
            else:
                self.verwacht_verboden.add(p)
                if waarde is not None:
                    self.problemen.append(
                        f"{p}: shown although declared {sorted(d.value for d in verklaard or ())} "
                        f"and the asker is {sorted(d.value for d in groepen)}"
                    )
                if p not in self.verboden:
                    self.problemen.append(f"{p}: null without a FORBIDDEN error at its path")
                continue
            if v.typenaam is None:
                continue
            items = list(enumerate(waarde)) if isinstance(waarde, list) else [(None, waarde)]
            for i, item in items:
                q = p if i is None else p + (i,)
                if item is None:
                    self.problemen.append(f"{q}: a null item in a list")
                else:
                    self.object(v.typenaam, item, v.kinderen, q, groepen)


async def vraag_alles(api: Api, g: Gegevens, naam: str, toestemming: bool) -> Oordeel:
    vrager = VRAGERS[naam]
    body = await api.gql(LERAAR_VRAAG, {"nr": g.nummer}, vrager.token(api.sleutels, g))
    andere = [e for e in body.get("errors", []) if e.get("extensions", {}).get("code") != "FORBIDDEN"]
    oordeel = Oordeel(vrager, toestemming, {tuple(e["path"]) for e in fouten(body, "FORBIDDEN")})
    if andere:
        oordeel.problemen.append(f"errors other than FORBIDDEN: {andere}")
    leraar = body["data"]["leraar"]
    if leraar is None:
        oordeel.problemen.append("leraar is null")
        return oordeel
    oordeel.object("Leraar", leraar, LERAAR_SELECTIE, ("leraar",), None)
    if oordeel.verboden != oordeel.verwacht_verboden:
        oordeel.problemen.append(
            f"FORBIDDEN paths not expected: {sorted(map(str, oordeel.verboden - oordeel.verwacht_verboden))}"
        )
    verwacht_inzage = vrager.voor_leraar(toestemming)
    if leraar.get("inzage") is not None and set(leraar["inzage"]) != {d.value for d in verwacht_inzage}:
        oordeel.problemen.append(f"inzage {leraar['inzage']} but expected {sorted(d.value for d in verwacht_inzage)}")
    return oordeel


def _alle_velden(typenaam: str, velden: list[Veld], uit: set[tuple[str, str]]) -> set[tuple[str, str]]:
    for v in velden:
        uit.add((typenaam, v.naam))
        if v.typenaam:
            _alle_velden(v.typenaam, v.kinderen, uit)
    return uit


# This test asks for every field along every path that repeats no type, for every audience at once:
# far more than any screen does, and over the cost limits (README, "Limits"), which test_limieten tests.
@pytest.mark.instellingen(max_kosten_publiek=10**9, max_kosten_aangemeld=10**9)
async def test_zichtbaarheidsmatrix(api: Api) -> None:
    g = await bouw_gegevens(api)
    alle = _alle_velden("Leraar", LERAAR_SELECTIE, set())
    problemen: list[str] = []
    for toestemming in (False, True):
        await zet_toestemming(api, g, toestemming)
        stand = f"{'met' if toestemming else 'zonder'} toestemming"
        gevuld: set[tuple[str, str]] = set()
        for naam in VRAGERS:
            oordeel = await vraag_alles(api, g, naam, toestemming)
            assert oordeel.gezien > 10, naam
            problemen.extend(f"[{naam}, {stand}] {p}" for p in oordeel.problemen)
            gevuld |= oordeel.gevuld
        # The data must give every field a value for someone, or the matrix proves nothing about it.
        for veld in sorted(alle - gevuld - NOOIT_GEVULD):
            problemen.append(f"[{stand}] {veld}: never shown with a value; extend the data set")
    assert not problemen, "\n".join(problemen)


# API.md's audiences for the fields the contract names, written out by hand: the matrix above trusts
# the declarations, this holds the declarations to the contract.
CONTRACT: dict[tuple[str, str], set[Doelgroep]] = {
    ("Leraar", "registernummer"): {P},
    ("Leraar", "naam"): {P},
    ("Leraar", "bevoegdheden"): {P},
    ("Leraar", "geboortedatum"): {Z, DUO},
    ("Leraar", "registratie"): {Z, W, DUO},
    ("Leraar", "benoemingen"): {Z, W, DUO},
    ("Leraar", "voorportaal"): {Z, W, DUO},
    ("Leraar", "waarschuwingen"): {Z, W},
    ("Leraar", "portfolio"): {Z, T},
    ("Leraar", "portfolioOpenbaar"): {Z},
    ("Leraar", "inzage"): {P},
    ("Naam", "voorletters"): {P},
    ("Naam", "tussenvoegsel"): {P},
    ("Naam", "achternaam"): {P},
    ("Naam", "weergavenaam"): {P},
    ("Naam", "voornamen"): {Z, DUO},
    ("Bevoegdheid", "id"): {P},
    ("Bevoegdheid", "vak"): {P},
    ("Bevoegdheid", "soort"): {P},
    ("Bevoegdheid", "voorHerregistratie"): {P},
    ("Bevoegdheid", "behaaldOp"): {Z, W, DUO},
    ("Bevoegdheid", "herregistratie"): {Z, W},
    ("Bevoegdheid", "aantekening"): {Z, W},
    ("Bevoegdheid", "herregistraties"): {Z, W},
    ("Bevoegdheid", "aantekeningen"): {Z, W},
    ("Herregistratie", "periodeStart"): {Z, W},
    ("Herregistratie", "periodeEinde"): {Z, W},
    ("Herregistratie", "status"): {Z, W},
    ("Herregistratie", "behaaldeUren"): {Z},
    ("Herregistratie", "vereisteUren"): {Z},
    ("Schoolbestuur", "bevoegdGezagNummer"): {P},
    ("Schoolbestuur", "naam"): {P},
    ("Schoolbestuur", "medewerkers"): {SZ},
    ("Bezwaar", "motivering"): {Z, W, BG},
    ("Query", "ik"): {Z},
    ("Query", "mijnSchoolbestuur"): {SZ},
    ("Mutation", "zetGegevensKlaar"): {DUO},
}


def test_declaraties_volgen_api_md() -> None:
    regels = zichtbaarheidsregels()
    afwijkend = {
        f"{t}.{v}": (sorted(d.value for d in regels.get((t, v), ())), sorted(d.value for d in verwacht))
        for (t, v), verwacht in CONTRACT.items()
        if regels.get((t, v)) != verwacht
    }
    assert not afwijkend, f"declared vs API.md: {afwijkend}"
    # Types whose fields take the parent field's audiences repeat them exactly.
    for typenaam, ouder in (
        ("Registratie", ("Leraar", "registratie")),
        ("Benoeming", ("Leraar", "benoemingen")),
        ("Voorportaalinschrijving", ("Leraar", "voorportaal")),
        ("PortfolioActiviteit", ("Leraar", "portfolio")),
        ("Aantekening", ("Bevoegdheid", "aantekening")),
        ("Waarschuwing", ("Leraar", "waarschuwingen")),
    ):
        velden = [(t, v) for (t, v) in regels if t == typenaam]
        assert velden, typenaam
        for sleutel in velden:
            assert regels[sleutel] == regels[ouder], (sleutel, regels[sleutel], ouder, regels[ouder])


# --- root fields per role ---------------------------------------------------------------------------


def _codes(body: dict[str, Any]) -> list[tuple[str, list[Any]]]:
    return [(e["extensions"]["code"], e.get("path")) for e in body.get("errors", [])]


async def test_ik_per_rol(api: Api) -> None:
    b = bsn(201)
    [nummer] = await klaarzetten(api, [levering(b)])
    s = api.sleutels
    vraag = "{ ik { registernummer } }"
    body = await api.gql(vraag)
    assert body["data"] == {"ik": None} and _codes(body) == [("UNAUTHENTICATED", ["ik"])], body
    for token in (s.bestuur(A), s.duo(), s.beroepsgroep(), s.aanbieder("AANB1")):
        body = await api.gql(vraag, token=token)
        assert body["data"] == {"ik": None} and _codes(body) == [("FORBIDDEN", ["ik"])], body
    body = await api.gql(vraag, token=s.leraar(bsn(202)))
    assert body["data"] == {"ik": None} and _codes(body) == [("NOT_FOUND", ["ik"])], body
    assert (await api.ok(vraag, token=s.leraar(b)))["ik"]["registernummer"] == nummer


async def test_mijn_schoolbestuur_per_rol(api: Api) -> None:
    await klaarzetten(api, [levering(bsn(203), benoemingen=[benoeming(A, naam="Stichting Het Baken")])])
    s = api.sleutels
    vraag = "{ mijnSchoolbestuur { bevoegdGezagNummer naam } }"
    body = await api.gql(vraag)
    assert body["data"] == {"mijnSchoolbestuur": None}
    assert _codes(body) == [("UNAUTHENTICATED", ["mijnSchoolbestuur"])], body
    for token in (s.leraar(bsn(203)), s.duo(), s.beroepsgroep(), s.aanbieder("AANB1")):
        body = await api.gql(vraag, token=token)
        assert body["data"] == {"mijnSchoolbestuur": None}
        assert _codes(body) == [("FORBIDDEN", ["mijnSchoolbestuur"])], body
    body = await api.gql(vraag, token=s.bestuur("99999"))
    assert body["data"] == {"mijnSchoolbestuur": None}
    assert _codes(body) == [("NOT_FOUND", ["mijnSchoolbestuur"])], body
    data = await api.ok(vraag, token=s.bestuur(A))
    assert data["mijnSchoolbestuur"] == {"bevoegdGezagNummer": A, "naam": "Stichting Het Baken"}


async def _tellingen(url: str) -> dict[str, Any]:
    engine = create_async_engine(url)
    try:
        async with engine.connect() as conn:
            uit: dict[str, Any] = {}
            for tabel in ("leraar", "bevoegdheid", "benoeming", "schoolbestuur", "voorportaalinschrijving"):
                uit[tabel] = (await conn.execute(text(f"SELECT count(*) FROM {tabel}"))).scalar_one()
            uit["versie"] = (await conn.execute(text("SELECT versie FROM data_versie"))).scalar_one()
            return uit
    finally:
        await engine.dispose()


async def test_zet_gegevens_klaar_alleen_voor_duo(api: Api) -> None:
    await klaarzetten(api, [levering(bsn(204), benoemingen=[benoeming(A)])])
    voor = await _tellingen(api.url)
    s = api.sleutels
    leveringen = {"leveringen": [levering(bsn(205), benoemingen=[benoeming(B, vak="Frans")])]}
    body = await api.gql(KLAARZETTEN, leveringen)
    assert body["data"] is None and _codes(body) == [("UNAUTHENTICATED", ["zetGegevensKlaar"])], body
    for token in (s.leraar(bsn(204)), s.bestuur(A), s.beroepsgroep(), s.aanbieder("AANB1")):
        body = await api.gql(KLAARZETTEN, leveringen, token)
        assert body["data"] is None and _codes(body) == [("FORBIDDEN", ["zetGegevensKlaar"])], body
    assert await _tellingen(api.url) == voor  # nothing written


# --- rows a board may see --------------------------------------------------------------------------


RIJEN = """query($nr: String!) { leraar(registernummer: $nr) {
  benoemingen { vak schoolbestuur { bevoegdGezagNummer } }
  voorportaal { vak schoolbestuur { bevoegdGezagNummer } }
  waarschuwingen { soort }
} }"""


async def test_werkgever_ziet_alleen_eigen_rijen(api: Api) -> None:
    b = bsn(206)
    [nummer] = await klaarzetten(api, [levering(b, bevoegdheden=BEVOEGDHEDEN, benoemingen=BENOEMINGEN)])
    await bevestig(api, b)
    s = api.sleutels

    async def rijen(token: str) -> tuple[dict[str, set[str]], list[str]]:
        leraar = (await api.gql(RIJEN, {"nr": nummer}, token))["data"]["leraar"]
        uit: dict[str, set[str]] = {}
        for lijst in ("benoemingen", "voorportaal"):
            uit[lijst] = {f"{r['schoolbestuur']['bevoegdGezagNummer']}:{r['vak']}" for r in leraar[lijst] or ()}
        return uit, [w["soort"] for w in leraar["waarschuwingen"] or ()]

    alles = {
        "benoemingen": {f"{x['bevoegdGezagNummer']}:{x['vak']}" for x in BENOEMINGEN},
        "voorportaal": {f"{A}:Natuurkunde", f"{B}:Scheikunde", f"{C}:Biologie"},
    }
    assert (await rijen(s.leraar(b)))[0] == alles
    assert (await rijen(s.duo()))[0] == alles
    for bestuur in (A, C):
        gezien, waarschuwingen = await rijen(s.bestuur(bestuur))
        assert gezien == {k: {r for r in v if r.startswith(bestuur + ":")} for k, v in alles.items()}, bestuur
        # The voorportaal warning is about A's row: it follows the row.
        assert ("VOORPORTAALTERMIJN_VERLOOPT" in waarschuwingen) == (bestuur == A), (bestuur, waarschuwingen)
    for bestuur in (B, D):  # no current appointment: not a WERKGEVER at all
        body = await api.gql(RIJEN, {"nr": nummer}, s.bestuur(bestuur))
        assert body["data"]["leraar"] == {"benoemingen": None, "voorportaal": None, "waarschuwingen": None}
        assert sorted(e["path"][-1] for e in fouten(body, "FORBIDDEN")) == [
            "benoemingen",
            "voorportaal",
            "waarschuwingen",
        ]


# --- a teacher outside the public register -------------------------------------------------------


async def test_klaargezette_leraar_alleen_voor_zelf_werkgever_en_duo(api: Api) -> None:
    b, ander = bsn(207), bsn(208)
    [nummer, _] = await klaarzetten(
        api,
        [
            levering(
                b, achternaam="Klaar", benoemingen=[benoeming(A), benoeming(B, "Engels", "2010-08-01", "2019-07-31")]
            ),
            levering(ander, achternaam="Anders", benoemingen=[benoeming(D)]),
        ],
    )
    await bevestig(api, ander)
    s = api.sleutels
    vraag = (
        "query($nr: String!) { leraar(registernummer: $nr) { registernummer registratie { status } } "
        "leraren(registernummers: [$nr]) { registernummer } "
        'zoekLeraren(zoekterm: "Klaar") { totalCount } }'
    )
    for token in (s.leraar(b), s.bestuur(A), s.duo()):
        data = await api.ok(vraag, {"nr": nummer}, token)
        assert data["leraar"] == {"registernummer": nummer, "registratie": {"status": "KLAARGEZET"}}
        assert data["leraren"] == [{"registernummer": nummer}]
        assert data["zoekLeraren"]["totalCount"] == 0  # search covers only the public register
    for token in (None, s.leraar(ander), s.bestuur(B), s.bestuur(D), s.beroepsgroep(), s.aanbieder("AANB1")):
        body = await api.gql(vraag, {"nr": nummer}, token)
        assert "errors" not in body, body  # null WITHOUT an error: its existence is not disclosed
        assert body["data"] == {"leraar": None, "leraren": [None], "zoekLeraren": {"totalCount": 0}}


# --- deny by default -------------------------------------------------------------------------------


def test_elk_veld_is_gedeclareerd() -> None:
    assert zonder_declaratie() == []


@strawberry.type
class Proefding:
    onderwerp: strawberry.Private[Onderwerp]

    @zichtbaar(P)
    def naam(self) -> str:
        return "zichtbaar"

    @strawberry.field
    def vergeten(self) -> str | None:  # declared by nobody
        return "geheim"


@strawberry.type(name="Query")
class ProefQuery:
    @zichtbaar(P)
    def ding(self) -> Proefding:
        return Proefding(onderwerp=ALGEMEEN)


async def test_veld_zonder_declaratie_is_voor_niemand(api: Api) -> None:
    eigen: dict[tuple[str, str], frozenset[Doelgroep]] = {}
    # The enforcement point gets its rules from the schema that made it: here, this test's own.
    schema = strawberry.Schema(query=ProefQuery, extensions=[lambda: Zichtbaarheidscontrole(eigen)])
    eigen.update(verzamel_regels(schema._schema))
    assert ongedeclareerd(schema._schema, eigen) == ["Proefding.vergeten"]
    for viewer in (ANONIEM, DuoViewer()):
        verzoek = Verzoek(api.settings, Db(make_sessionmaker(api.app.state.engine)), viewer, VANDAAG)
        uitkomst = await schema.execute("{ ding { naam vergeten } }", context_value=verzoek)
        assert uitkomst.data == {"ding": {"naam": "zichtbaar", "vergeten": None}}
        client_fouten, _ = formatteer(uitkomst.errors or [])
        assert [(f["extensions"]["code"], f["path"]) for f in client_fouten] == [("FORBIDDEN", ["ding", "vergeten"])]
        assert "geheim" not in repr(uitkomst.data)
    assert ("Proefding", "vergeten") not in zichtbaarheidsregels()
    assert ("Leraar", "registernummer") in zichtbaarheidsregels()
