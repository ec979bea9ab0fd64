"""The herregistratie criteria as dated data over HTTP on both stores: the public sees those in force
today, only the beroepsgroep sets new ones and never in the past, a period uses the criteria in force
on its first day, and the vo vakinhoudelijk minimum applies to EERSTEGRAADS and TWEEDEGRAADS only."""

from __future__ import annotations

import datetime as dt
from typing import Any

from conftest import fouten
from gegevens import bevestig, bsn, klaarzetten, levering

D = dt.date
CRITERIA = "{ herregistratiecriteria { geldigVanaf totaalUren primairProcesUren vakinhoudelijkVoUren } }"
STEL_VAST = """mutation($i: CriteriaInvoer!) { stelCriteriaVast(invoer: $i) {
  geldigVanaf totaalUren primairProcesUren vakinhoudelijkVoUren } }"""
STAND = """{ ik { bevoegdheden { id soort herregistratie { periodeStart periodeEinde status vereisteUren behaaldeUren }
  herregistraties { periodeStart status } aantekening { geplaatstOp } } } }"""
ACTIVITEIT = "mutation($i: ActiviteitInvoer!) { voegActiviteitToe(invoer: $i) { id } }"
BEOORDEEL = "mutation($p: Date!) { beoordeelHerregistraties(peildatum: $p) { beoordeeld voldaan nietVoldaan } }"

STANDAARD = {"geldigVanaf": "2018-08-01", "totaalUren": 160.0, "primairProcesUren": 100.0, "vakinhoudelijkVoUren": 40.0}
NIEUW = {"geldigVanaf": "2027-01-01", "totaalUren": 200.0, "primairProcesUren": 120.0, "vakinhoudelijkVoUren": 50.0}


async def criteria(api: Any, token: str | None = None) -> dict:
    return (await api.ok(CRITERIA, token=token))["herregistratiecriteria"]


async def test_standaardcriteria_openbaar(api):
    assert await criteria(api) == STANDAARD
    assert await criteria(api, api.sleutels.leraar(bsn(1))) == STANDAARD
    assert await criteria(api, api.sleutels.aanbieder("NSO")) == STANDAARD


async def test_alleen_de_beroepsgroep_stelt_vast_en_niet_in_het_verleden(api):
    s = api.sleutels
    for token in (s.leraar(bsn(1)), s.bestuur("10001"), s.duo(), s.aanbieder("NSO")):
        body = await api.gql(STEL_VAST, {"i": NIEUW}, token)
        assert body["data"] is None and fouten(body, "FORBIDDEN"), body
    body = await api.gql(STEL_VAST, {"i": NIEUW})
    assert body["data"] is None and fouten(body, "UNAUTHENTICATED"), body

    gisteren = {**NIEUW, "geldigVanaf": "2026-11-27"}
    body = await api.gql(STEL_VAST, {"i": gisteren}, s.beroepsgroep())
    assert body["data"] is None
    assert [e["extensions"].get("field") for e in fouten(body, "BAD_USER_INPUT")] == ["geldigVanaf"], body
    assert await criteria(api) == STANDAARD

    # From today is not in the past: in force at once.
    vandaag = {**NIEUW, "geldigVanaf": "2026-11-28"}
    assert (await api.ok(STEL_VAST, {"i": vandaag}, s.beroepsgroep()))["stelCriteriaVast"] == vandaag
    assert await criteria(api) == vandaag


async def test_toekomstige_criteria_gelden_vanaf_hun_datum(api):
    assert (await api.ok(STEL_VAST, {"i": NIEUW}, api.sleutels.beroepsgroep()))["stelCriteriaVast"] == NIEUW
    assert await criteria(api) == STANDAARD
    async with api.op(D(2026, 12, 31)) as a:
        assert await criteria(a) == STANDAARD
    async with api.op(D(2027, 1, 1)) as a:
        assert await criteria(a) == NIEUW


async def _bevestigd(api: Any, n: int, bevoegdheden: list[dict] | None = None) -> list[dict]:
    await klaarzetten(api, [levering(bsn(n), achternaam=f"Leraar{n}", tussenvoegsel=None, bevoegdheden=bevoegdheden)])
    return (await bevestig(api, bsn(n)))["bevoegdheden"]


async def _stand(api: Any, n: int) -> list[dict]:
    return (await api.ok(STAND, token=api.sleutels.leraar(bsn(n))))["ik"]["bevoegdheden"]


async def test_periode_gebruikt_criteria_van_haar_eerste_dag(api):
    s = api.sleutels
    await api.ok(STEL_VAST, {"i": NIEUW}, s.beroepsgroep())
    oud_bev = (await _bevestigd(api, 61))[0]["id"]  # period from 2026-11-28
    async with api.op(D(2027, 2, 1)) as a:
        nieuw_bev = (await _bevestigd(a, 62))[0]["id"]  # period from 2027-02-01
        oud, nieuw = (await _stand(a, 61))[0], (await _stand(a, 62))[0]
        assert (oud["herregistratie"]["periodeStart"], oud["herregistratie"]["vereisteUren"]) == ("2026-11-28", 160.0)
        assert (nieuw["herregistratie"]["periodeStart"], nieuw["herregistratie"]["vereisteUren"]) == (
            "2027-02-01",
            200.0,
        )
        # 170 hours, all VAKINHOUDELIJK: enough under the old criteria, not under the new.
        for n, bev in ((61, oud_bev), (62, nieuw_bev)):
            await a.ok(
                ACTIVITEIT,
                {
                    "i": {
                        "titel": "Vakstudie",
                        "datum": "2027-02-01",
                        "uren": 170,
                        "gebied": "VAKINHOUDELIJK",
                        "bevoegdheden": [bev],
                    }
                },
                s.leraar(bsn(n)),
            )
    # Both periods have ended; the assessment applies each period's own criteria.
    async with api.op(D(2031, 3, 1)) as a:
        uit = (await a.ok(BEOORDEEL, {"p": "2031-03-01"}, s.beroepsgroep()))["beoordeelHerregistraties"]
        assert uit == {"beoordeeld": 2, "voldaan": 1, "nietVoldaan": 1}
        oud, nieuw = (await _stand(a, 61))[0], (await _stand(a, 62))[0]
        assert [h["status"] for h in oud["herregistraties"]][1:] == ["VOLDAAN"]
        assert [h["status"] for h in nieuw["herregistraties"]][1:] == ["NIET_VOLDAAN"]
        assert oud["aantekening"] is None and nieuw["aantekening"] == {"geplaatstOp": "2031-03-01"}
        # The periods that started after 2027-01-01 use the new criteria.
        assert oud["herregistratie"]["periodeStart"] == "2030-11-28"
        assert oud["herregistratie"]["vereisteUren"] == 200.0


async def test_vo_minimum_vakinhoudelijk_alleen_voor_eerste_en_tweedegraads(api):
    s = api.sleutels
    bevoegdheden = [
        {"vak": "Basisonderwijs", "soort": "PO", "behaaldOp": "2010-06-30"},
        {"vak": "Engels", "soort": "TWEEDEGRAADS", "behaaldOp": "2010-06-30"},
        {"vak": "Frans", "soort": "EERSTEGRAADS", "behaaldOp": "2010-06-30"},
        {"vak": "Techniek", "soort": "PDG", "behaaldOp": "2010-06-30"},
    ]
    async with api.op(D(2022, 1, 10)) as a:
        bevs = await _bevestigd(a, 63, bevoegdheden)
        # 160 hours, all VAKDIDACTISCH, naming every bevoegdheid: total and primary process met.
        await a.ok(
            ACTIVITEIT,
            {
                "i": {
                    "titel": "Leergang didactiek",
                    "datum": "2022-01-10",
                    "uren": 160,
                    "gebied": "VAKDIDACTISCH",
                    "bevoegdheden": [b["id"] for b in bevs],
                }
            },
            s.leraar(bsn(63)),
        )
    uit = (await api.ok(BEOORDEEL, {"p": "2026-11-28"}, s.beroepsgroep()))["beoordeelHerregistraties"]
    assert uit == {"beoordeeld": 4, "voldaan": 2, "nietVoldaan": 2}
    per_soort = {b["soort"]: b for b in await _stand(api, 63)}
    uitkomst = {soort: b["herregistraties"][1]["status"] for soort, b in per_soort.items()}
    assert uitkomst == {
        "PO": "VOLDAAN",
        "PDG": "VOLDAAN",
        "TWEEDEGRAADS": "NIET_VOLDAAN",
        "EERSTEGRAADS": "NIET_VOLDAAN",
    }
    assert {soort for soort, b in per_soort.items() if b["aantekening"]} == {"TWEEDEGRAADS", "EERSTEGRAADS"}
