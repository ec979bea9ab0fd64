"""The end-of-period assessment over HTTP on both stores: who may run it, which periods it handles
(last day before the peildatum), at most one standing aantekening per bevoegdheid, the next period
starting the day after, the aantekening's gevolg switching on 2027-08-01, the bevoegdheid staying in
the public register, and a statement count that does not grow with the number of due periods."""

from __future__ import annotations

import datetime as dt
from typing import Any

from conftest import fouten
from gegevens import (
    IK_BEVOEGDHEDEN,
    benoeming,
    bevestig_alle,
    bsn,
    geldige_bsns,
    klaarzetten,
    levering,
)

D = dt.date
BEOORDEEL = "mutation($p: Date!) { beoordeelHerregistraties(peildatum: $p) { beoordeeld voldaan nietVoldaan } }"
STAND = """{ ik { bevoegdheden { id herregistratie { periodeStart periodeEinde status }
  herregistraties { periodeStart periodeEinde status }
  aantekening { id geplaatstOp gevolg status } aantekeningen { id geplaatstOp status } } } }"""
BESTUUR = """{ mijnSchoolbestuur { medewerkers { edges { node { registernummer
  bevoegdheden { aantekening { geplaatstOp gevolg } } } } } } }"""
BESTUUR_STAND = """{ mijnSchoolbestuur { medewerkers { edges { node { waarschuwingen { soort }
  bevoegdheden { herregistratie { periodeStart status } aantekening { geplaatstOp status } } } } } } }"""
PUBLIEK = """query($r: String!) {
  leraar(registernummer: $r) { registernummer bevoegdheden { vak soort voorHerregistratie } } }"""
ACTIVITEIT = "mutation($i: ActiviteitInvoer!) { voegActiviteitToe(invoer: $i) { id } }"


def niets(uitkomst: dict) -> bool:
    return uitkomst == {"beoordeeld": 0, "voldaan": 0, "nietVoldaan": 0}


async def beoordeel(api: Any, peildatum: str) -> dict:
    return (await api.ok(BEOORDEEL, {"p": peildatum}, api.sleutels.beroepsgroep()))["beoordeelHerregistraties"]


async def bevestigd_op(api: Any, dag: D, bsns: list[str], nummer: str = "70001") -> list[str]:
    """Deliver and confirm these teachers on `dag` (one Wiskunde bevoegdheid each, employed at `nummer`);
    returns their registernummers."""
    async with api.op(dag) as a:
        nummers = await klaarzetten(
            a,
            [
                levering(
                    b,
                    achternaam=f"Leraar{i}",
                    tussenvoegsel=None,
                    benoemingen=[benoeming(nummer, begindatum="2015-08-01")],
                )
                for i, b in enumerate(bsns)
            ],
        )
        await bevestig_alle(a, bsns, nummers)
    return nummers


async def stand(api: Any, bsn_: str) -> dict:
    return (await api.ok(STAND, token=api.sleutels.leraar(bsn_)))["ik"]["bevoegdheden"][0]


async def test_peildatum_niet_na_vandaag(api):
    body = await api.gql(BEOORDEEL, {"p": "2026-11-29"}, api.sleutels.beroepsgroep())
    assert body["data"] is None
    assert [e["extensions"].get("field") for e in fouten(body, "BAD_USER_INPUT")] == ["peildatum"], body
    assert niets(await beoordeel(api, "2026-11-28"))


async def test_alleen_de_beroepsgroep_beoordeelt(api):
    s = api.sleutels
    await bevestigd_op(api, D(2022, 1, 10), [bsn(71)])
    for token in (s.leraar(bsn(71)), s.bestuur("70001"), s.duo(), s.aanbieder("NSO")):
        body = await api.gql(BEOORDEEL, {"p": "2026-11-28"}, token)
        assert body["data"] is None and fouten(body, "FORBIDDEN"), body
    body = await api.gql(BEOORDEEL, {"p": "2026-11-28"})
    assert body["data"] is None and fouten(body, "UNAUTHENTICATED"), body
    # Nothing was assessed by the refused calls.
    assert (await beoordeel(api, "2026-11-28"))["beoordeeld"] == 1


async def test_periode_die_op_de_peildatum_eindigt_wacht(api):
    await bevestigd_op(api, D(2022, 11, 28), [bsn(72)])  # last day 2026-11-27
    assert (await stand(api, bsn(72)))["herregistraties"][-1]["periodeEinde"] == "2026-11-27"
    assert niets(await beoordeel(api, "2026-11-27"))
    assert await beoordeel(api, "2026-11-28") == {"beoordeeld": 1, "voldaan": 0, "nietVoldaan": 1}
    assert niets(await beoordeel(api, "2026-11-28"))
    bev = await stand(api, bsn(72))
    assert bev["herregistraties"] == [
        {"periodeStart": "2026-11-28", "periodeEinde": "2030-11-27", "status": "OP_SCHEMA"},
        {"periodeStart": "2022-11-28", "periodeEinde": "2026-11-27", "status": "NIET_VOLDAAN"},
    ]
    assert bev["aantekening"]["geplaatstOp"] == "2026-11-28"


async def test_hoogstens_een_staande_aantekening_per_bevoegdheid(api):
    await bevestigd_op(api, D(2018, 8, 10), [bsn(73), bsn(74)])  # periods end 2022-08-09 and 2026-08-09
    async with api.op(D(2022, 9, 1)) as a:
        assert await beoordeel(a, "2022-09-01") == {"beoordeeld": 2, "voldaan": 0, "nietVoldaan": 2}
        eerste = await stand(a, bsn(73))
        assert eerste["herregistratie"]["periodeStart"] == "2022-08-10"  # the day after 2022-08-09
        assert eerste["aantekening"]["geplaatstOp"] == "2022-09-01"
    # The second period falls short too: it counts, but no second aantekening is placed.
    assert await beoordeel(api, "2026-11-28") == {"beoordeeld": 2, "voldaan": 0, "nietVoldaan": 2}
    bev = await stand(api, bsn(73))
    assert bev["herregistraties"] == [
        {"periodeStart": "2026-08-10", "periodeEinde": "2030-08-09", "status": "OP_SCHEMA"},
        {"periodeStart": "2022-08-10", "periodeEinde": "2026-08-09", "status": "NIET_VOLDAAN"},
        {"periodeStart": "2018-08-10", "periodeEinde": "2022-08-09", "status": "NIET_VOLDAAN"},
    ]
    assert [(x["geplaatstOp"], x["status"]) for x in bev["aantekeningen"]] == [("2022-09-01", "STAAT")]
    assert bev["aantekening"]["id"] == eerste["aantekening"]["id"]
    # The board's page brings periods and the standing aantekening along with each bevoegdheid
    # (one joined statement): three periods still make one bevoegdheid, with the same answers.
    staf = (await api.ok(BESTUUR_STAND, token=api.sleutels.bestuur("70001")))["mijnSchoolbestuur"]["medewerkers"]
    assert [e["node"]["bevoegdheden"] for e in staf["edges"]] == [
        [
            {
                "herregistratie": {"periodeStart": "2026-08-10", "status": "OP_SCHEMA"},
                "aantekening": {"geplaatstOp": "2022-09-01", "status": "STAAT"},
            }
        ]
    ] * 2
    assert {w["soort"] for e in staf["edges"] for w in e["node"]["waarschuwingen"]} == {"AANTEKENING"}


async def test_twee_verlopen_perioden_in_een_beoordeling_geven_een_aantekening(api):
    await bevestigd_op(api, D(2018, 8, 10), [bsn(75)])
    assert await beoordeel(api, "2026-11-28") == {"beoordeeld": 2, "voldaan": 0, "nietVoldaan": 2}
    bev = await stand(api, bsn(75))
    assert [h["status"] for h in bev["herregistraties"]] == ["OP_SCHEMA", "NIET_VOLDAAN", "NIET_VOLDAAN"]
    assert [h["periodeStart"] for h in bev["herregistraties"]] == ["2026-08-10", "2022-08-10", "2018-08-10"]
    assert len(bev["aantekeningen"]) == 1 and bev["aantekening"]["geplaatstOp"] == "2026-11-28"


async def test_gevolg_vanaf_1_augustus_2027_en_bevoegdheid_blijft_openbaar(api):
    [nummer] = await bevestigd_op(api, D(2022, 1, 10), [bsn(76)])
    await beoordeel(api, "2026-11-28")
    for dag, gevolg in (
        (D(2026, 11, 28), "GEEN"),
        (D(2027, 7, 31), "GEEN"),
        (D(2027, 8, 1), "ALLEEN_ONDER_BEGELEIDING"),
        (D(2028, 1, 1), "ALLEEN_ONDER_BEGELEIDING"),
    ):
        async with api.op(dag) as a:
            assert (await stand(a, bsn(76)))["aantekening"]["gevolg"] == gevolg, dag
            staf = (await a.ok(BESTUUR, token=a.sleutels.bestuur("70001")))["mijnSchoolbestuur"]["medewerkers"]
            assert staf["edges"][0]["node"]["bevoegdheden"][0]["aantekening"] == {
                "geplaatstOp": "2026-11-28",
                "gevolg": gevolg,
            }, dag
            # The bevoegdheid is never lost: the public still finds it, chosen for herregistratie.
            publiek = (await a.ok(PUBLIEK, {"r": nummer}))["leraar"]
            assert publiek["bevoegdheden"] == [{"vak": "Wiskunde", "soort": "TWEEDEGRAADS", "voorHerregistratie": True}]


async def _met_uren(api: Any, dag: D, bsns: list[str]) -> None:
    """Give these teachers 160 VAKINHOUDELIJK hours dated `dag`, within their first period."""
    async with api.op(dag) as a:
        for b in bsns:
            token = a.sleutels.leraar(b)
            bev = (await a.ok(IK_BEVOEGDHEDEN, token=token))["ik"]["bevoegdheden"][0]["id"]
            await a.ok(
                ACTIVITEIT,
                {
                    "i": {
                        "titel": "Vakstudie",
                        "datum": dag.isoformat(),
                        "uren": 160,
                        "gebied": "VAKINHOUDELIJK",
                        "bevoegdheden": [bev],
                    }
                },
                token,
            )


async def test_aantal_statements_groeit_niet_met_het_aantal_perioden(api):
    klein, groot = geldige_bsns(5, start=7), geldige_bsns(50, start=8)
    await bevestigd_op(api, D(2020, 1, 10), klein)  # due from 2024-01-10
    await bevestigd_op(api, D(2020, 6, 10), groot)  # due from 2024-06-10
    # Some of each group meet the criteria, so both runs place aantekeningen and record VOLDAAN.
    await _met_uren(api, D(2020, 7, 1), klein[:2] + groot[:20])

    with api.tel() as t5:
        assert await beoordeel(api, "2024-03-01") == {"beoordeeld": 5, "voldaan": 2, "nietVoldaan": 3}
    with api.tel() as t50:
        assert await beoordeel(api, "2024-07-01") == {"beoordeeld": 50, "voldaan": 20, "nietVoldaan": 30}
    assert t5.aantal == t50.aantal, (t5.aantal, t50.aantal, api.statements)


GEWIJZIGD = """query($s: DateTime) { mijnSchoolbestuur { medewerkers(gewijzigdSinds: $s) {
  edges { node { registernummer } } } } }"""


async def test_beoordeelde_leraar_is_gewijzigd_voor_het_bestuur(api):
    # The assessment stamps the periods it judges, not the teachers' rows; a board polling with
    # gewijzigdSinds must still find exactly the teachers whose outcome or aantekening is new.
    [vroeg] = await bevestigd_op(api, D(2020, 1, 10), [bsn(77)])  # due from 2024-01-10
    [laat] = await bevestigd_op(api, D(2022, 1, 10), [bsn(78)])  # due from 2026-01-10

    async def gewijzigd(sinds: dt.datetime) -> list[str]:
        moment = sinds.astimezone(dt.UTC).isoformat().replace("+00:00", "Z")
        data = await api.ok(GEWIJZIGD, {"s": moment}, api.sleutels.bestuur("70001"))
        return [e["node"]["registernummer"] for e in data["mijnSchoolbestuur"]["medewerkers"]["edges"]]

    voor = dt.datetime.now(dt.UTC)
    assert await gewijzigd(voor) == []
    async with api.op(D(2024, 3, 1)) as a:
        assert await beoordeel(a, "2024-03-01") == {"beoordeeld": 1, "voldaan": 0, "nietVoldaan": 1}
    tussen = dt.datetime.now(dt.UTC)
    assert await gewijzigd(voor) == [vroeg]
    assert await gewijzigd(tussen) == []
    assert await beoordeel(api, "2026-11-28") == {"beoordeeld": 1, "voldaan": 0, "nietVoldaan": 1}
    assert await gewijzigd(tussen) == [laat]
    assert sorted(await gewijzigd(voor)) == sorted([vroeg, laat])


async def test_een_afgebroken_beoordeling_laat_niets_achter(api, monkeypatch):
    # A run that fails half-way writes nothing, and the next run on the same pooled connections
    # still works (on SQLite its temporary tables outlive the rolled-back transaction).
    from lerarenregister.resolvers import beoordeling

    await bevestigd_op(api, D(2022, 1, 10), [bsn(79)])
    voor = await stand(api, bsn(79))

    async def kapot(*_args: Any, **_kwargs: Any) -> bool:
        raise RuntimeError("the disk is full")

    with monkeypatch.context() as m:
        m.setattr(beoordeling, "_verwerk", kapot)
        for _ in range(3):
            body = await api.gql(BEOORDEEL, {"p": "2026-11-28"}, api.sleutels.beroepsgroep())
            assert body["data"] is None and fouten(body, "INTERNAL_SERVER_ERROR"), body
    assert await stand(api, bsn(79)) == voor
    assert await beoordeel(api, "2026-11-28") == {"beoordeeld": 1, "voldaan": 0, "nietVoldaan": 1}
