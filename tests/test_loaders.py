"""The loaders (resolvers/loaders.py) on their own, on a real SQLite file and a real PostgreSQL: each
answers N keys with one statement, in the order of the keys, an unknown key with its empty answer,
and reads again after `vergeet()`. The rows are written here directly, so that every expected value
is known."""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import pytest
from sqlalchemy import insert, select, text

from lerarenregister.db import make_sessionmaker
from lerarenregister.models import (
    Aantekening,
    Benoeming,
    Bevoegdheid,
    Bezwaar,
    Herregistratiecriteria,
    Herregistratieperiode,
    Leraar,
    PortfolioActiviteit,
    Schoolbestuur,
    Voorportaalinschrijving,
    portfolio_bevoegdheid,
)
from lerarenregister.resolvers.loaders import NIET, Loaders, klaar, klaar_alle, laad_pagina
from lerarenregister.resolvers.verzoek import Db

D = dt.date
ONBEKEND = 999_999  # no row has this id


@dataclass
class Rijen:
    """The ids of what `_schrijf` wrote."""

    leraren: dict[str, int]
    besturen: dict[str, int]
    bevoegdheden: dict[str, int]
    perioden: dict[str, int]
    aantekeningen: dict[str, int]
    activiteiten: dict[str, int]


async def _voeg_toe(db: Db, model: Any, **waarden: Any) -> int:
    res = await db.execute(insert(model).values(**waarden).returning(model.id))
    return int(res.scalar_one())


async def _schrijf(db: Db) -> Rijen:
    """Three teachers (the third with nothing), two boards, and each kind of child, in an order that
    differs from the order the loaders answer in."""
    besturen = {
        b: await _voeg_toe(db, Schoolbestuur, bevoegd_gezag_nummer=n, naam=f"Stichting {b}")
        for b, n in (("A", "70001"), ("B", "70002"))
    }
    leraren = {}
    for i, naam in enumerate(("Jansen", "Bakker", "Visser")):
        leraren[naam] = await _voeg_toe(
            db,
            Leraar,
            registernummer=f"1000000{i}00",
            bsn_hash=f"hash-{i}",
            voornamen="Anna",
            achternaam=naam,
            voorletters="A.",
            duo_voornamen="Anna",
            duo_achternaam=naam,
            geboortedatum=D(1985, 3, 1),
            zoeknaam=naam.lower(),
            sorteernaam=naam.lower(),
            eerste_levering_op=D(2018, 8, 1),
        )
    bevoegdheden = {}
    for sleutel, leraar, vak, soort in (
        ("J-wiskunde", "Jansen", "Wiskunde", "TWEEDEGRAADS"),
        ("J-biologie", "Jansen", "Biologie", "EERSTEGRAADS"),
        ("B-engels", "Bakker", "Engels", "TWEEDEGRAADS"),
    ):
        bevoegdheden[sleutel] = await _voeg_toe(
            db,
            Bevoegdheid,
            leraar_id=leraren[leraar],
            vak=vak,
            vak_sleutel=vak.lower(),
            soort=soort,
            behaald_op=D(2010, 6, 30),
            voor_herregistratie=True,
        )
    for leraar, bestuur, vak, begin in (
        ("Jansen", "A", "Wiskunde", D(2019, 8, 1)),
        ("Jansen", "B", "Biologie", D(2022, 8, 1)),
        ("Bakker", "A", "Engels", D(2020, 8, 1)),
    ):
        await _voeg_toe(
            db, Benoeming, leraar_id=leraren[leraar], schoolbestuur_id=besturen[bestuur], vak=vak, begindatum=begin
        )
    for bestuur, vak, begin in (("A", "Duits", D(2024, 8, 1)), ("B", "Frans", D(2025, 8, 1))):
        await _voeg_toe(
            db,
            Voorportaalinschrijving,
            leraar_id=leraren["Bakker"],
            schoolbestuur_id=besturen[bestuur],
            vak=vak,
            vak_sleutel=vak.lower(),
            begindatum=begin,
            termijn_einde=begin.replace(year=begin.year + 2) - dt.timedelta(days=1),
        )
    criteria = (await db.execute(select(Herregistratiecriteria.id))).scalar_one()
    perioden = {}
    for sleutel, bevoegdheid, start in (
        ("J-wiskunde-2", "J-wiskunde", D(2022, 8, 1)),
        ("J-wiskunde-1", "J-wiskunde", D(2018, 8, 1)),
        ("B-engels-1", "B-engels", D(2020, 8, 1)),
    ):
        perioden[sleutel] = await _voeg_toe(
            db,
            Herregistratieperiode,
            bevoegdheid_id=bevoegdheden[bevoegdheid],
            periode_start=start,
            periode_einde=start.replace(year=start.year + 4) - dt.timedelta(days=1),
            criteria_id=criteria,
        )
    aantekeningen = {}
    for sleutel, periode, geplaatst, status in (
        ("oud", "J-wiskunde-1", D(2022, 8, 1), "OPGEHEVEN"),
        ("staand", "J-wiskunde-2", D(2024, 9, 1), "STAAT"),
    ):
        aantekeningen[sleutel] = await _voeg_toe(
            db,
            Aantekening,
            bevoegdheid_id=bevoegdheden["J-wiskunde"],
            periode_id=perioden[periode],
            geplaatst_op=geplaatst,
            status=status,
        )
    for ingediend, motivering in ((D(2024, 9, 10), "later"), (D(2024, 9, 5), "eerder")):
        await _voeg_toe(
            db,
            Bezwaar,
            aantekening_id=aantekeningen["staand"],
            ingediend_op=ingediend,
            ingediend_door="LERAAR",
            motivering=motivering,
        )
    activiteiten = {}
    for sleutel, datum, uren, gebied, voor in (
        ("cursus", D(2024, 1, 10), 12.0, "VAKINHOUDELIJK", ("J-wiskunde", "J-biologie")),
        ("congres", D(2023, 5, 2), 6.5, "PEDAGOGISCH", ("J-wiskunde",)),
        ("los", D(2023, 6, 1), 2.0, "OVERIG", ()),
    ):
        activiteiten[sleutel] = await _voeg_toe(
            db, PortfolioActiviteit, leraar_id=leraren["Jansen"], titel=sleutel, datum=datum, uren=uren, gebied=gebied
        )
        for b in voor:
            await db.execute(
                insert(portfolio_bevoegdheid).values(
                    activiteit_id=activiteiten[sleutel], bevoegdheid_id=bevoegdheden[b]
                )
            )
    return Rijen(leraren, besturen, bevoegdheden, perioden, aantekeningen, activiteiten)


@pytest.fixture
async def gegevens(api: Any) -> AsyncIterator[tuple[Any, Db, Rijen]]:
    """The register's database of this store with the rows above, and a request's session on the
    engine whose statements `api.tel()` counts; rolled back afterwards."""
    db = Db(make_sessionmaker(api.app.state.engine))
    try:
        rijen = await _schrijf(db)
        await db.execute(text("SELECT 1"))  # the connection is open before anything is counted
        yield api, db, rijen
    finally:
        await db.close(commit=False)


# Per loader: the keys to ask (an unknown one among them, the others out of order), and each
# answer's projection to plain values. The expected answers follow from the rows of `_schrijf`.
@dataclass
class Geval:
    loader: str
    sleutels: Callable[[Rijen], list[int]]
    projectie: Callable[[Any], Any]
    verwacht: Callable[[Rijen], list[Any]]


def _vakken(rijen: list[Any]) -> list[tuple[str, str]]:
    return [(r.vak, r.soort) for r in rijen]


GEVALLEN = [
    Geval(
        "bevoegdheden_by_leraar",
        lambda r: [r.leraren["Bakker"], ONBEKEND, r.leraren["Jansen"], r.leraren["Visser"]],
        _vakken,
        lambda r: [
            [("Engels", "TWEEDEGRAADS")],
            [],
            [("Biologie", "EERSTEGRAADS"), ("Wiskunde", "TWEEDEGRAADS")],  # by vak, then soort
            [],
        ],
    ),
    Geval(
        "bevoegdheden_met_herregistratie_by_leraar",
        lambda r: [r.leraren["Jansen"], ONBEKEND, r.leraren["Bakker"]],
        _vakken,
        lambda r: [[("Biologie", "EERSTEGRAADS"), ("Wiskunde", "TWEEDEGRAADS")], [], [("Engels", "TWEEDEGRAADS")]],
    ),
    Geval(
        "benoemingen_by_leraar",
        lambda r: [r.leraren["Visser"], r.leraren["Jansen"], ONBEKEND, r.leraren["Bakker"]],
        lambda rijen: [(b.vak, b.begindatum, s.bevoegd_gezag_nummer, s.naam) for b, s in rijen],
        lambda r: [
            [],
            [  # newest begindatum first
                ("Biologie", D(2022, 8, 1), "70002", "Stichting B"),
                ("Wiskunde", D(2019, 8, 1), "70001", "Stichting A"),
            ],
            [],
            [("Engels", D(2020, 8, 1), "70001", "Stichting A")],
        ],
    ),
    Geval(
        "voorportaal_by_leraar",
        lambda r: [r.leraren["Bakker"], r.leraren["Jansen"], ONBEKEND],
        lambda rijen: [(v.vak, v.termijn_einde, s.bevoegd_gezag_nummer) for v, s in rijen],
        lambda r: [[("Frans", D(2027, 7, 31), "70002"), ("Duits", D(2026, 7, 31), "70001")], [], []],
    ),
    Geval(
        "perioden_by_bevoegdheid",
        lambda r: [r.bevoegdheden["J-wiskunde"], ONBEKEND, r.bevoegdheden["B-engels"], r.bevoegdheden["J-biologie"]],
        lambda rijen: [(p.periode_start, p.periode_einde) for p in rijen],
        lambda r: [
            [(D(2018, 8, 1), D(2022, 7, 31)), (D(2022, 8, 1), D(2026, 7, 31))],  # oldest first
            [],
            [(D(2020, 8, 1), D(2024, 7, 31))],
            [],
        ],
    ),
    Geval(
        "aantekeningen_by_bevoegdheid",
        lambda r: [r.bevoegdheden["B-engels"], r.bevoegdheden["J-wiskunde"], ONBEKEND],
        lambda rijen: [(a.geplaatst_op, a.status) for a in rijen],
        lambda r: [[], [(D(2024, 9, 1), "STAAT"), (D(2022, 8, 1), "OPGEHEVEN")], []],  # newest first
    ),
    Geval(
        "bezwaren_by_aantekening",
        lambda r: [ONBEKEND, r.aantekeningen["staand"], r.aantekeningen["oud"]],
        lambda rijen: [(b.ingediend_op, b.motivering) for b in rijen],
        lambda r: [[], [(D(2024, 9, 5), "eerder"), (D(2024, 9, 10), "later")], []],  # oldest first
    ),
    Geval(
        "activiteiten_by_bevoegdheid",
        lambda r: [r.bevoegdheden["J-biologie"], ONBEKEND, r.bevoegdheden["J-wiskunde"]],
        sorted,
        lambda r: [
            [(D(2024, 1, 10), "VAKINHOUDELIJK", 12.0)],
            [],
            [(D(2023, 5, 2), "PEDAGOGISCH", 6.5), (D(2024, 1, 10), "VAKINHOUDELIJK", 12.0)],
        ],
    ),
    Geval(
        "bevoegdheden_by_activiteit",
        lambda r: [r.activiteiten["los"], r.activiteiten["cursus"], ONBEKEND, r.activiteiten["congres"]],
        list,
        lambda r: [
            [],
            sorted([r.bevoegdheden["J-wiskunde"], r.bevoegdheden["J-biologie"]]),
            [],
            [r.bevoegdheden["J-wiskunde"]],
        ],
    ),
    Geval(
        "bevoegdheid_by_id",
        lambda r: [r.bevoegdheden["B-engels"], ONBEKEND, r.bevoegdheden["J-wiskunde"]],
        lambda rij: None if rij is None else (rij.vak, rij.soort),
        lambda r: [("Engels", "TWEEDEGRAADS"), None, ("Wiskunde", "TWEEDEGRAADS")],
    ),
]


@pytest.mark.parametrize("geval", GEVALLEN, ids=[g.loader for g in GEVALLEN])
async def test_een_statement_voor_alle_sleutels_in_hun_volgorde(gegevens: Any, geval: Geval) -> None:
    api, db, rijen = gegevens
    loader = getattr(Loaders(db), geval.loader)
    sleutels = geval.sleutels(rijen)
    with api.tel() as t:
        antwoorden = await loader.load_many(sleutels)
    assert t.aantal == 1, api.statements
    assert [geval.projectie(a) for a in antwoorden] == geval.verwacht(rijen)
    with api.tel() as t:  # asked again: from the cache
        opnieuw = await loader.load_many(list(reversed(sleutels)))
    assert t.aantal == 0, api.statements
    assert [geval.projectie(a) for a in reversed(opnieuw)] == geval.verwacht(rijen)


@pytest.mark.parametrize("geval", GEVALLEN, ids=[g.loader for g in GEVALLEN])
async def test_losse_vragen_van_een_beurt_gaan_samen(gegevens: Any, geval: Geval) -> None:
    # Fields resolved side by side each ask for one key: their loads meet in one batch.
    api, db, rijen = gegevens
    loader = getattr(Loaders(db), geval.loader)
    with api.tel() as t:
        antwoorden = await asyncio.gather(*(loader.load(k) for k in geval.sleutels(rijen)))
    assert t.aantal == 1, api.statements
    assert [geval.projectie(a) for a in antwoorden] == geval.verwacht(rijen)


@pytest.mark.parametrize("geval", GEVALLEN, ids=[g.loader for g in GEVALLEN])
async def test_vergeet_leest_opnieuw(gegevens: Any, geval: Geval) -> None:
    api, db, rijen = gegevens
    loaders = Loaders(db)
    loader = getattr(loaders, geval.loader)
    sleutels = geval.sleutels(rijen)
    await loader.load_many(sleutels)
    assert all(klaar(loader, k) is not NIET for k in sleutels)
    loaders.vergeet()
    assert all(klaar(loader, k) is NIET for k in sleutels)
    with api.tel() as t:
        antwoorden = await loader.load_many(sleutels)
    assert t.aantal == 1, api.statements
    assert [geval.projectie(a) for a in antwoorden] == geval.verwacht(rijen)


async def test_na_vergeet_ziet_een_loader_wat_intussen_geschreven_is(gegevens: Any) -> None:
    api, db, rijen = gegevens
    loaders = Loaders(db)
    jansen = rijen.leraren["Jansen"]
    assert len(await loaders.bevoegdheden_by_leraar.load(jansen)) == 2
    nieuw = {"vak": "Aardrijkskunde", "vak_sleutel": "aardrijkskunde", "soort": "TWEEDEGRAADS"}
    await _voeg_toe(db, Bevoegdheid, leraar_id=jansen, behaald_op=D(2012, 6, 30), **nieuw)
    assert len(await loaders.bevoegdheden_by_leraar.load(jansen)) == 2  # cached: as read before the write
    loaders.vergeet()
    assert [b.vak for b in await loaders.bevoegdheden_by_leraar.load(jansen)] == [
        "Aardrijkskunde",
        "Biologie",
        "Wiskunde",
    ]


async def test_vergeet_wist_ook_wat_een_pagina_vooruit_uitwerkte(gegevens: Any) -> None:
    api, db, rijen = gegevens
    loaders = Loaders(db)
    loaders.standen[1] = None
    loaders.staande[1] = None
    loaders.waarschuwingen[1] = []
    with api.tel() as t:
        criteria = await loaders.criteria()
        assert await loaders.criteria() is criteria  # read once per request
    assert t.aantal == 1 and [c.totaal_uren for c in criteria.values()] == [160]
    loaders.vergeet()
    assert (loaders.standen, loaders.staande, loaders.waarschuwingen) == ({}, {}, {})
    with api.tel() as t:
        await loaders.criteria()
    assert t.aantal == 1


async def test_bevoegdheden_met_herregistratie_brengt_perioden_en_staande_aantekening_mee(gegevens: Any) -> None:
    api, db, rijen = gegevens
    loaders = Loaders(db)
    ids = [rijen.leraren["Jansen"], rijen.leraren["Bakker"], rijen.leraren["Visser"]]
    with api.tel() as t:
        await laad_pagina(loaders.bevoegdheden_met_herregistratie_by_leraar, ids)
    assert t.aantal == 1, api.statements
    b = rijen.bevoegdheden
    with api.tel() as t:  # all at hand: no statement, no waiting
        assert [_vakken(klaar(loaders.bevoegdheden_by_leraar, i)) for i in ids] == [
            [("Biologie", "EERSTEGRAADS"), ("Wiskunde", "TWEEDEGRAADS")],
            [("Engels", "TWEEDEGRAADS")],
            [],
        ]
        perioden = klaar_alle(loaders.perioden_by_bevoegdheid, [b["J-wiskunde"], b["J-biologie"], b["B-engels"]])
        assert perioden is not NIET
        assert [[p.periode_start for p in lijst] for lijst in perioden] == [
            [D(2018, 8, 1), D(2022, 8, 1)],
            [],
            [D(2020, 8, 1)],
        ]
        staand = loaders.staande[b["J-wiskunde"]]
        assert staand is not None and (staand.geplaatst_op, staand.status) == (D(2024, 9, 1), "STAAT")
        assert loaders.staande[b["J-biologie"]] is None and loaders.staande[b["B-engels"]] is None
        assert klaar(loaders.bevoegdheid_by_id, b["B-engels"]).vak == "Engels"
    assert t.aantal == 0, api.statements


async def test_klaar_en_laad_pagina(gegevens: Any) -> None:
    api, db, rijen = gegevens
    loaders = Loaders(db)
    loader = loaders.bevoegdheid_by_id
    b = rijen.bevoegdheden
    assert klaar(loader, b["J-wiskunde"]) is NIET
    assert klaar(loaders.standen, b["J-wiskunde"]) is NIET
    loaders.standen[b["J-wiskunde"]] = None  # None is an answer: "no current period"
    assert klaar(loaders.standen, b["J-wiskunde"]) is None
    with api.tel() as t:
        eerst = await laad_pagina(loader, [b["J-wiskunde"], ONBEKEND])
        dan = await laad_pagina(loader, [ONBEKEND, b["B-engels"], b["J-wiskunde"]])  # only B-engels is new
    assert t.aantal == 2, api.statements
    assert [r and r.vak for r in eerst] == ["Wiskunde", None]
    assert [r and r.vak for r in dan] == [None, "Engels", "Wiskunde"]
    assert klaar(loader, ONBEKEND) is None
    assert klaar_alle(loader, [b["J-biologie"], b["B-engels"]]) is NIET  # one of them not loaded
    assert [r.vak for r in klaar_alle(loader, [b["B-engels"], b["J-wiskunde"]])] == ["Engels", "Wiskunde"]
