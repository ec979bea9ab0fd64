"""Visible changes only (API.md, "Production"): `medewerkers(gewijzigdSinds:)` shows a teacher to a
board only when something that board may see changed. Boards A and C both employ the teacher now."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from conftest import Api
from gegevens import KLAARZETTEN, levering
from test_zichtbaarheid import BENOEMINGEN, BEVOEGDHEDEN, A, C, Gegevens, bouw_gegevens

GEWIJZIGD = """query($s: DateTime!) { mijnSchoolbestuur { medewerkers(gewijzigdSinds: $s) {
  edges { node { registernummer } } } } }"""


async def _wie_ziet(api: Api, sinds: dt.datetime) -> set[str]:
    """The boards (A, C) to which the teacher shows as changed since `sinds`."""
    uit = set()
    for bestuur in (A, C):
        data = await api.ok(GEWIJZIGD, {"s": sinds.isoformat()}, api.sleutels.bestuur(bestuur))
        if data["mijnSchoolbestuur"]["medewerkers"]["edges"]:
            uit.add(bestuur)
    return uit


async def _na(api: Api, actie: Any) -> set[str]:
    sinds = dt.datetime.now(dt.UTC)
    await actie()
    return await _wie_ziet(api, sinds)


def _levering(g: Gegevens, **wijziging: Any) -> dict[str, Any]:
    lev = levering(g.bsn, bevoegdheden=[dict(b) for b in BEVOEGDHEDEN], benoemingen=[dict(b) for b in BENOEMINGEN])
    for k, v in wijziging.items():
        lev[k] = v
    return lev


@pytest.fixture
async def g(api: Api) -> Gegevens:
    gegevens = await bouw_gegevens(api)
    assert await _wie_ziet(api, dt.datetime.now(dt.UTC)) == set()
    return gegevens


async def test_wat_elk_bestuur_ziet(api: Api, g: Gegevens) -> None:
    duo = api.sleutels.duo()
    # A new name, as DUO delivers it.
    assert await _na(api, lambda: api.ok(KLAARZETTEN, {"leveringen": [_levering(g, achternaam="Visser")]}, duo)) == {
        A,
        C,
    }
    # A new bevoegdheid.
    extra = [*BEVOEGDHEDEN, {"vak": "Frans", "soort": "TWEEDEGRAADS", "behaaldOp": "2020-06-30"}]
    assert await _na(
        api, lambda: api.ok(KLAARZETTEN, {"leveringen": [_levering(g, achternaam="Visser", bevoegdheden=extra)]}, duo)
    ) == {A, C}


async def test_eigen_rijen_alleen_voor_dat_bestuur(api: Api, g: Gegevens) -> None:
    duo = api.sleutels.duo()
    # DUO moves the end of board C's appointment: C sees it, A does not.
    benoemingen = [dict(b) for b in BENOEMINGEN]
    for b in benoemingen:
        if b["bevoegdGezagNummer"] == C and b["vak"] == "Wiskunde":
            b["einddatum"] = "2030-07-31"
    assert await _na(
        api, lambda: api.ok(KLAARZETTEN, {"leveringen": [_levering(g, benoemingen=benoemingen)]}, duo)
    ) == {C}
    # A removed appointment of C (C keeps another one): C sees it, A does not.
    zonder = [b for b in benoemingen if not (b["bevoegdGezagNummer"] == C and b["vak"] == "Biologie")]
    assert await _na(api, lambda: api.ok(KLAARZETTEN, {"leveringen": [_levering(g, benoemingen=zonder)]}, duo)) == {C}
    # Board A extends its voorportaal term: only A.
    ik = (await api.ok("{ ik { voorportaal { id vak } } }", token=api.sleutels.leraar(g.bsn)))["ik"]
    [natuurkunde] = [p for p in ik["voorportaal"] if p["vak"] == "Natuurkunde"]
    verleng = "mutation($id: ID!) { verlengVoorportaaltermijn(inschrijving: $id) { verlengd } }"
    assert await _na(api, lambda: api.ok(verleng, {"id": natuurkunde["id"]}, api.sleutels.bestuur(A))) == {A}


async def test_bezwaren_per_bestuur_en_intrekking_voor_iedereen(api: Api, g: Gegevens) -> None:
    s = api.sleutels
    ik = (await api.ok("{ ik { bevoegdheden { aantekening { id bezwaren { id } } } } }", token=s.leraar(g.bsn)))["ik"]
    aantekening = ik["bevoegdheden"][0]["aantekening"]
    dien_in = 'mutation($a: ID!) { dienBezwaarIn(aantekening: $a, motivering: "Begeleiding") { id } }'
    # Board C objects: only C sees a change (its own objection).
    assert await _na(api, lambda: api.ok(dien_in, {"a": aantekening["id"]}, s.bestuur(C))) == {C}
    # The beroepsgroep rejects the teacher's objection: nothing any board sees.
    behandel = "mutation($b: ID!, $u: BezwaarStatus!) { behandelBezwaar(bezwaar: $b, uitspraak: $u) { status } }"
    eigen = aantekening["bezwaren"][0]["id"]
    assert await _na(api, lambda: api.ok(behandel, {"b": eigen, "u": "ONGEGROND"}, s.beroepsgroep())) == set()
    # C's objection upheld: the aantekening is withdrawn, which every employer sees.
    alle = (
        await api.ok("{ bezwaren(status: INGEDIEND) { edges { node { id ingediendDoor } } } }", token=s.beroepsgroep())
    )["bezwaren"]["edges"]
    [van_c] = [e["node"]["id"] for e in alle if e["node"]["ingediendDoor"] == "SCHOOLBESTUUR"]
    assert await _na(api, lambda: api.ok(behandel, {"b": van_c, "u": "GEGROND"}, s.beroepsgroep())) == {A, C}


async def test_toestemming_en_portfolio_alleen_als_het_iets_verandert(api: Api, g: Gegevens) -> None:
    token = api.sleutels.leraar(g.bsn)
    openbaar = "mutation($o: Boolean!) { zetPortfolioOpenbaar(openbaar: $o) { portfolioOpenbaar } }"
    assert await _na(api, lambda: api.ok(openbaar, {"o": True}, token)) == set()
    ik = (await api.ok("{ ik { bevoegdheden { id } } }", token=token))["ik"]
    ids = [b["id"] for b in ik["bevoegdheden"]]
    voeg_toe = "mutation($i: ActiviteitInvoer!) { voegActiviteitToe(invoer: $i) { id } }"

    def activiteit(uren: float) -> Any:
        return lambda: api.ok(
            voeg_toe,
            {
                "i": {
                    "titel": "Leesgroep",
                    "datum": "2026-11-20",
                    "uren": uren,
                    "gebied": "VAKINHOUDELIJK",
                    "bevoegdheden": ids,
                }
            },
            token,
        )

    # Half an hour: still behind the pace, no warning moves.
    assert await _na(api, activiteit(0.5)) == set()
    # Enough to be on schedule: ACHTER_OP_SCHEMA goes, which the employers see.
    assert await _na(api, activiteit(40)) == {A, C}


async def test_andere_leraar_van_een_ander_bestuur_niet(api: Api, g: Gegevens) -> None:
    # The other teacher works at board D only: a change there shows to neither A nor C.
    duo = api.sleutels.duo()
    lev = levering(
        g.ander_bsn,
        achternaam="Smit",
        tussenvoegsel=None,
        voornamen="Piet",
        benoemingen=[
            {
                "bevoegdGezagNummer": "20004",
                "schoolbestuurNaam": "Stichting 20004",
                "vak": "Wiskunde",
                "begindatum": "2015-08-01",
                "einddatum": None,
            }
        ],
    )
    assert await _na(api, lambda: api.ok(KLAARZETTEN, {"leveringen": [lev]}, duo)) == set()
