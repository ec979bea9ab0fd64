"""The teacher's portfolio over HTTP, on both stores (API.md, "Portfolio", "Criteria and pace", "Warnings").

Activities are validated field by field; hours count in full for each bevoegdheid named, only in the
period that contains the activity's date; pace is checked against the expected share of each
criterion, and falling behind warns the teacher and the current employer.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from conftest import assert_forbidden, fouten
from gegevens import BEVESTIG, benoeming, bsn, klaarzetten, levering

DRIE = [
    {"vak": "Wiskunde", "soort": "TWEEDEGRAADS", "behaaldOp": "2010-06-30"},
    {"vak": "Natuurkunde", "soort": "EERSTEGRAADS", "behaaldOp": "2014-06-30"},
    {"vak": "Scheikunde", "soort": "TWEEDEGRAADS", "behaaldOp": "2016-06-30"},
]

TOEVOEGEN = """
mutation($invoer: ActiviteitInvoer!) {
  voegActiviteitToe(invoer: $invoer) { id titel datum uren gebied bron bewerkbaar bevoegdheden { vak } }
}"""

VERWIJDER = "mutation($id: ID!) { verwijderActiviteit(id: $id) }"

PORTFOLIO = """
query($first: Int, $after: String) {
  ik {
    portfolio(first: $first, after: $after) {
      totalCount pageInfo { hasNextPage endCursor } edges { cursor node { id titel datum } }
    }
  }
}"""

UREN = """
{ ik { bevoegdheden { vak herregistratie { periodeStart status behaaldeUren vereisteUren }
                      herregistraties { periodeStart periodeEinde behaaldeUren } } } }"""

WAARSCHUWINGEN = """
query($n: String!) {
  leraar(registernummer: $n) {
    waarschuwingen { soort datum bevoegdheid { vak } }
    bevoegdheden { vak herregistratie { status periodeEinde behaaldeUren } }
  }
}"""


def wiskunde(data: dict[str, Any]) -> dict[str, Any]:
    """The herregistratie of the one bevoegdheid chosen (Wiskunde, a vo bevoegdheid)."""
    [bev] = [b for b in data["leraar"]["bevoegdheden"] if b["vak"] == "Wiskunde"]
    return bev["herregistratie"]


class Leraar:
    """A delivered teacher with a login; `ids` are the bevoegdheid ids by vak."""

    def __init__(self, api: Any, b: str, nr: str, ids: dict[str, str]):
        self.token = api.sleutels.leraar(b)
        self.bsn, self.nr, self.ids = b, nr, ids


async def klaargezet(api: Any, b: str, **extra: Any) -> Leraar:
    [nr] = await klaarzetten(api, [levering(b, **{"bevoegdheden": DRIE, **extra})])
    ik = (await api.ok("{ ik { bevoegdheden { id vak } } }", token=api.sleutels.leraar(b)))["ik"]
    return Leraar(api, b, nr, {x["vak"]: x["id"] for x in ik["bevoegdheden"]})


async def geregistreerd(
    api: Any, b: str, vakken: tuple[str, ...] = ("Wiskunde", "Natuurkunde"), **extra: Any
) -> Leraar:
    """Delivered and confirmed today, choosing these vakken for herregistratie."""
    leraar = await klaargezet(api, b, **extra)
    await api.ok(BEVESTIG, {"ids": [leraar.ids[v] for v in vakken]}, leraar.token)
    return leraar


def activiteit(bevoegdheden: list[str], **velden: Any) -> dict[str, Any]:
    return {
        "titel": "Cursus vakdidactiek",
        "datum": "2026-11-28",
        "uren": 8,
        "gebied": "VAKINHOUDELIJK",
        "bevoegdheden": bevoegdheden,
        **velden,
    }


async def voeg_toe(api: Any, leraar: Leraar, **velden: Any) -> dict[str, Any]:
    invoer = activiteit(velden.pop("bevoegdheden", [leraar.ids["Wiskunde"]]), **velden)
    return (await api.ok(TOEVOEGEN, {"invoer": invoer}, leraar.token))["voegActiviteitToe"]


async def aantal_activiteiten(api: Any, leraar: Leraar) -> int:
    return (await api.ok(PORTFOLIO, {}, leraar.token))["ik"]["portfolio"]["totalCount"]


async def uren(api: Any, leraar: Leraar) -> dict[str, dict[str, Any]]:
    return {x["vak"]: x for x in (await api.ok(UREN, token=leraar.token))["ik"]["bevoegdheden"]}


# --- validation -----------------------------------------------------------------------------------

ONGELDIG = [
    ("datum_na_vandaag", {"datum": "2026-11-29"}, None, ["datum"]),
    ("uren_nul", {"uren": 0}, None, ["uren"]),
    ("uren_negatief", {"uren": -2.5}, None, ["uren"]),
    ("titel_leeg", {"titel": ""}, None, ["titel"]),
    ("titel_spaties", {"titel": "   "}, None, ["titel"]),
    ("geen_bevoegdheid", {}, [], ["bevoegdheden"]),
    ("niet_gekozen", {}, ["Scheikunde"], ["bevoegdheden"]),
    ("van_een_ander", {}, ["ander"], ["bevoegdheden"]),
    ("onbekend", {}, ["999999"], ["bevoegdheden"]),
    ("eigen_en_van_een_ander", {}, ["Wiskunde", "ander"], ["bevoegdheden"]),
    ("drie_velden", {"datum": "2027-01-01", "uren": 0, "titel": ""}, None, ["datum", "titel", "uren"]),
]


async def test_ongeldige_activiteit(api):
    leraar = await geregistreerd(api, bsn(1))
    ander = await geregistreerd(api, bsn(2), achternaam="Ander")
    for naam, velden, bevoegdheden, verwacht in ONGELDIG:
        ids = (
            [leraar.ids["Wiskunde"]]
            if bevoegdheden is None
            else [ander.ids["Wiskunde"] if v == "ander" else leraar.ids.get(v, v) for v in bevoegdheden]
        )
        body = await api.gql(TOEVOEGEN, {"invoer": activiteit(ids, **velden)}, leraar.token)
        assert (body["data"] or {}).get("voegActiviteitToe") is None, (naam, body)
        assert all(e["extensions"]["code"] == "BAD_USER_INPUT" for e in body["errors"]), (naam, body)
        assert sorted(e["extensions"]["field"] for e in body["errors"]) == verwacht, (naam, body)
    # Nothing of the refused calls was written.
    assert await aantal_activiteiten(api, leraar) == 0
    assert (await uren(api, leraar))["Wiskunde"]["herregistratie"]["behaaldeUren"] == 0.0


async def test_ongeldig_gebied_bij_het_omzetten_van_variabelen(api):
    leraar = await geregistreerd(api, bsn(1))
    body = await api.gql(TOEVOEGEN, {"invoer": activiteit([leraar.ids["Wiskunde"]], gebied="SPORT")}, leraar.token)
    [fout] = body["errors"]
    assert fout["extensions"]["code"] == "BAD_USER_INPUT" and fout["extensions"]["field"].endswith("gebied"), fout


async def test_geldige_activiteit_van_vandaag(api):
    leraar = await geregistreerd(api, bsn(1))
    nieuw = await voeg_toe(
        api,
        leraar,
        titel="  Studiedag   rekenen ",
        uren=2.5,
        bevoegdheden=[leraar.ids["Wiskunde"], leraar.ids["Natuurkunde"]],
    )
    assert {k: nieuw[k] for k in ("titel", "datum", "uren", "gebied", "bron", "bewerkbaar")} == {
        "titel": "Studiedag rekenen",
        "datum": "2026-11-28",
        "uren": 2.5,
        "gebied": "VAKINHOUDELIJK",
        "bron": "EIGEN",
        "bewerkbaar": True,
    }
    assert sorted(x["vak"] for x in nieuw["bevoegdheden"]) == ["Natuurkunde", "Wiskunde"]


async def test_voor_bevestiging_is_er_geen_portfolio(api):
    leraar = await klaargezet(api, bsn(1))
    body = await api.gql(TOEVOEGEN, {"invoer": activiteit([leraar.ids["Wiskunde"]])}, leraar.token)
    assert fouten(body, "CONFLICT") and (body["data"] or {}).get("voegActiviteitToe") is None, body


# --- hours ----------------------------------------------------------------------------------------


async def test_uren_tellen_volledig_per_bevoegdheid_en_alleen_binnen_de_periode(api):
    b = bsn(1)
    async with api.op(dt.date(2025, 1, 10)) as toen:  # period 2025-01-10 .. 2029-01-09
        leraar = await geregistreerd(toen, b)
    w, n = leraar.ids["Wiskunde"], leraar.ids["Natuurkunde"]
    await voeg_toe(api, leraar, uren=10, datum="2026-05-01", bevoegdheden=[w, n])  # counts for both, in full
    await voeg_toe(api, leraar, uren=5, datum="2024-12-01", bevoegdheden=[w])  # before the period
    await voeg_toe(api, leraar, uren=3, datum="2025-01-10", bevoegdheden=[n])  # its first day
    laatste = await voeg_toe(api, leraar, uren=2, datum="2026-11-28", bevoegdheden=[w])  # today
    stand = await uren(api, leraar)
    assert stand["Wiskunde"]["herregistratie"]["behaaldeUren"] == 12.0
    assert stand["Natuurkunde"]["herregistratie"]["behaaldeUren"] == 13.0
    assert stand["Wiskunde"]["herregistratie"]["vereisteUren"] == 160.0
    assert stand["Scheikunde"]["herregistratie"] is None

    assert (await api.ok(VERWIJDER, {"id": laatste["id"]}, leraar.token))["verwijderActiviteit"] == laatste["id"]
    assert (await uren(api, leraar))["Wiskunde"]["herregistratie"]["behaaldeUren"] == 10.0

    # The next period starts the day after the last day and counts only its own activities.
    async with api.op(dt.date(2029, 1, 10)) as later:
        stand = await uren(later, leraar)
    assert stand["Wiskunde"]["herregistratie"]["periodeStart"] == "2029-01-10"
    assert stand["Wiskunde"]["herregistratie"]["behaaldeUren"] == 0.0
    assert [
        (p["periodeStart"], p["periodeEinde"], p["behaaldeUren"]) for p in stand["Wiskunde"]["herregistraties"]
    ] == [("2029-01-10", "2033-01-09", 0.0), ("2025-01-10", "2029-01-09", 10.0)]


# --- deleting -------------------------------------------------------------------------------------


async def test_verwijderen_van_andermans_of_onbekende_activiteit(api):
    leraar = await geregistreerd(api, bsn(1))
    ander = await geregistreerd(api, bsn(2), achternaam="Ander")
    van_ander = await voeg_toe(api, ander)
    body = await api.gql(VERWIJDER, {"id": van_ander["id"]}, leraar.token)
    assert fouten(body, "FORBIDDEN") and (body["data"] or {}).get("verwijderActiviteit") is None, body
    body = await api.gql(VERWIJDER, {"id": "999999"}, leraar.token)
    assert fouten(body, "NOT_FOUND"), body
    assert await aantal_activiteiten(api, ander) == 1  # still there

    eigen = await voeg_toe(api, leraar)
    assert (await api.ok(VERWIJDER, {"id": eigen["id"]}, leraar.token))["verwijderActiviteit"] == eigen["id"]
    assert await aantal_activiteiten(api, leraar) == 0
    assert fouten(await api.gql(VERWIJDER, {"id": eigen["id"]}, leraar.token), "NOT_FOUND")


# --- order and pages ------------------------------------------------------------------------------


async def test_portfolio_nieuwste_datum_eerst_en_paginering(api):
    async with api.op(dt.date(2025, 1, 10)) as toen:
        leraar = await geregistreerd(toen, bsn(1))
    datums = ["2025-03-01", "2026-11-28", "2025-01-10", "2026-02-14", "2025-09-30", "2026-02-14", "2023-06-01"]
    for i, d in enumerate(datums):
        await voeg_toe(api, leraar, titel=f"Activiteit {i}", datum=d)
    gezien: list[dict[str, Any]] = []
    after = None
    paginas = 0
    while True:
        p = (await api.ok(PORTFOLIO, {"first": 3, **({"after": after} if after else {})}, leraar.token))["ik"][
            "portfolio"
        ]
        paginas += 1
        assert p["totalCount"] == 7
        gezien += [e["node"] for e in p["edges"]]
        if not p["pageInfo"]["hasNextPage"]:
            break
        after = p["pageInfo"]["endCursor"]
    assert paginas == 3
    assert [x["datum"] for x in gezien] == sorted(datums, reverse=True)
    assert sorted(x["titel"] for x in gezien) == sorted(f"Activiteit {i}" for i in range(7))
    body = await api.gql(PORTFOLIO, {"first": 101}, leraar.token)
    assert [e["extensions"].get("field") for e in fouten(body, "BAD_USER_INPUT")] == ["first"], body


# --- pace and warnings ----------------------------------------------------------------------------

# Confirmed 2026-11-28: the period ends 2030-11-27, s1 = 2027-11-28 and n = 1096 days. On day 137
# from s1 (2028-04-12) the expected share is exactly 1/8: 20 of 160 hours, 12.5 of 100, 5 of 40.
OP_DE_GRENS = dt.date(2028, 4, 12)


async def _achterblijver(api: Any) -> tuple[Leraar, Leraar]:
    benoemingen = [benoeming("10001"), benoeming("10002", begindatum="2015-08-01", einddatum="2020-07-31")]
    weinig = await geregistreerd(api, bsn(1), vakken=("Wiskunde",), benoemingen=benoemingen)
    genoeg = await geregistreerd(
        api, bsn(2), vakken=("Wiskunde",), achternaam="Vlijtig", benoemingen=[benoeming("10001")]
    )
    await voeg_toe(api, weinig, uren=20, gebied="VAKINHOUDELIJK")
    await voeg_toe(api, genoeg, uren=60, gebied="VAKINHOUDELIJK")
    return weinig, genoeg


async def test_eerste_jaar_wordt_niets_verwacht(api):
    weinig, _ = await _achterblijver(api)
    async with api.op(dt.date(2027, 11, 27)) as a:
        data = await a.ok(WAARSCHUWINGEN, {"n": weinig.nr}, weinig.token)
    assert data["leraar"]["waarschuwingen"] == []
    assert wiskunde(data)["status"] == "OP_SCHEMA"


async def test_precies_op_schema_is_geen_risico(api):
    weinig, _ = await _achterblijver(api)
    async with api.op(OP_DE_GRENS) as a:
        data = await a.ok(WAARSCHUWINGEN, {"n": weinig.nr}, weinig.token)
    assert wiskunde(data)["status"] == "OP_SCHEMA"
    assert data["leraar"]["waarschuwingen"] == []


async def test_achter_op_schema_waarschuwt_leraar_en_huidige_werkgever(api):
    weinig, genoeg = await _achterblijver(api)
    dag = OP_DE_GRENS + dt.timedelta(days=1)
    verwacht = [{"soort": "ACHTER_OP_SCHEMA", "datum": dag.isoformat(), "bevoegdheid": {"vak": "Wiskunde"}}]
    async with api.op(dag) as a:
        zelf = await a.ok(WAARSCHUWINGEN, {"n": weinig.nr}, weinig.token)
        assert zelf["leraar"]["waarschuwingen"] == verwacht
        assert wiskunde(zelf) == {"status": "RISICO", "periodeEinde": "2030-11-27", "behaaldeUren": 20.0}
        ander = await a.ok(WAARSCHUWINGEN, {"n": genoeg.nr}, genoeg.token)
        assert ander["leraar"]["waarschuwingen"] == []
        assert wiskunde(ander)["status"] == "OP_SCHEMA"

        # The current employer sees the warning and the status, not the hours.
        werkgever = await a.gql(WAARSCHUWINGEN, {"n": weinig.nr}, a.sleutels.bestuur("10001"))
        assert werkgever["data"]["leraar"]["waarschuwingen"] == verwacht
        assert wiskunde(werkgever["data"]) == {"status": "RISICO", "periodeEinde": "2030-11-27", "behaaldeUren": None}
        plek = [b["vak"] for b in werkgever["data"]["leraar"]["bevoegdheden"]].index("Wiskunde")
        assert_forbidden(werkgever, ["leraar", "bevoegdheden", plek, "herregistratie", "behaaldeUren"])
        lijst = await a.ok(
            "{ mijnSchoolbestuur { medewerkers(filter: {metWaarschuwing: true}) { totalCount "
            "edges { node { registernummer waarschuwingen { soort } } } } } }",
            token=a.sleutels.bestuur("10001"),
        )
        assert lijst["mijnSchoolbestuur"]["medewerkers"] == {
            "totalCount": 1,
            "edges": [{"node": {"registernummer": weinig.nr, "waarschuwingen": [{"soort": "ACHTER_OP_SCHEMA"}]}}],
        }

        # A former employer sees none of it.
        vroeger = await a.gql(WAARSCHUWINGEN, {"n": weinig.nr}, a.sleutels.bestuur("10002"))
        assert vroeger["data"]["leraar"]["waarschuwingen"] is None
        assert_forbidden(vroeger, ["leraar", "waarschuwingen"])
        assert wiskunde(vroeger["data"]) is None
