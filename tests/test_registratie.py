"""The teacher's own registration over HTTP, on both stores (API.md, "Who finds whom", "Confirmation").

`ik` shows what DUO prepared; bevestigRegistratie starts a four-year period per chosen bevoegdheid;
kiesHerregistratieBevoegdheden adds and drops; zetPortfolioOpenbaar is the teacher's consent.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from conftest import assert_forbidden, fouten
from gegevens import BEVESTIG, benoeming, bsn, klaarzetten, levering
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

IK = """
{
  ik {
    registernummer
    naam { voornamen voorletters tussenvoegsel achternaam weergavenaam }
    geboortedatum
    registratie { status geregistreerdOp }
    bevoegdheden {
      id vak soort behaaldOp voorHerregistratie
      herregistratie { periodeStart periodeEinde status behaaldeUren vereisteUren }
      herregistraties { periodeStart periodeEinde }
    }
    benoemingen { schoolbestuur { bevoegdGezagNummer naam } vak begindatum einddatum }
    portfolioOpenbaar
  }
}"""

KIES = """
mutation($ids: [ID!]!) {
  kiesHerregistratieBevoegdheden(bevoegdheden: $ids) { bevoegdheden { vak voorHerregistratie } }
}"""

DRIE = [
    {"vak": "Wiskunde", "soort": "TWEEDEGRAADS", "behaaldOp": "2010-06-30"},
    {"vak": "Natuurkunde", "soort": "EERSTEGRAADS", "behaaldOp": "2014-06-30"},
    {"vak": "Scheikunde", "soort": "TWEEDEGRAADS", "behaaldOp": "2016-06-30"},
]


async def ik(api: Any, b: str) -> dict[str, Any]:
    return (await api.ok(IK, token=api.sleutels.leraar(b)))["ik"]


def per_vak(leraar: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {x["vak"]: x for x in leraar["bevoegdheden"]}


def invoervelden(body: dict[str, Any]) -> list[str]:
    assert body.get("errors"), body
    assert all(e["extensions"]["code"] == "BAD_USER_INPUT" for e in body["errors"]), body
    return [e["extensions"].get("field") for e in body["errors"]]


async def test_ik_toont_de_klaargezette_gegevens(api):
    b = bsn(1)
    [nr] = await klaarzetten(
        api, [levering(b, bevoegdheden=DRIE[:2], benoemingen=[benoeming("10001", naam="Stichting Het Lyceum")])]
    )
    leraar = await ik(api, b)
    assert leraar["registernummer"] == nr
    assert leraar["naam"] == {
        "voornamen": "Anna Maria",
        "voorletters": "A.M.",
        "tussenvoegsel": "de",
        "achternaam": "Vries",
        "weergavenaam": "A.M. de Vries",
    }
    assert leraar["geboortedatum"] == "1985-03-01"
    assert leraar["registratie"] == {"status": "KLAARGEZET", "geregistreerdOp": None}
    assert sorted(
        (x["vak"], x["soort"], x["behaaldOp"], x["voorHerregistratie"], x["herregistratie"])
        for x in leraar["bevoegdheden"]
    ) == [
        ("Natuurkunde", "EERSTEGRAADS", "2014-06-30", False, None),
        ("Wiskunde", "TWEEDEGRAADS", "2010-06-30", False, None),
    ]
    assert leraar["benoemingen"] == [
        {
            "schoolbestuur": {"bevoegdGezagNummer": "10001", "naam": "Stichting Het Lyceum"},
            "vak": "Wiskunde",
            "begindatum": "2020-08-01",
            "einddatum": None,
        }
    ]
    assert leraar["portfolioOpenbaar"] is False
    # Outside the public register `leraar` still finds the teacher for the teacher.
    zelf = await api.ok(
        "query($n: String!) { leraar(registernummer: $n) { registratie { status } } }",
        {"n": nr},
        api.sleutels.leraar(b),
    )
    assert zelf["leraar"] == {"registratie": {"status": "KLAARGEZET"}}


async def test_ik_zonder_passende_aanmelding(api):
    await klaarzetten(api, [levering(bsn(1))])
    anoniem = await api.gql("{ ik { registernummer } }")
    assert fouten(anoniem, "UNAUTHENTICATED") and (anoniem["data"] or {}).get("ik") is None, anoniem
    bestuur = await api.gql("{ ik { registernummer } }", token=api.sleutels.bestuur("10001"))
    assert fouten(bestuur, "FORBIDDEN") and (bestuur["data"] or {}).get("ik") is None, bestuur
    onbekend = await api.gql("{ ik { registernummer } }", token=api.sleutels.leraar(bsn(2)))
    assert fouten(onbekend, "NOT_FOUND") and onbekend["data"] == {"ik": None}, onbekend


async def test_bevestigen_vraagt_een_eigen_bevoegdheid(api):
    b, ander = bsn(1), bsn(2)
    await klaarzetten(api, [levering(b, bevoegdheden=DRIE[:2]), levering(ander, achternaam="Ander")])
    eigen = [x["id"] for x in (await ik(api, b))["bevoegdheden"]]
    vreemd = [x["id"] for x in (await ik(api, ander))["bevoegdheden"]]
    token = api.sleutels.leraar(b)
    for ids in ([], vreemd, ["999999"], ["geen-id"], [eigen[0], vreemd[0]]):
        body = await api.gql(BEVESTIG, {"ids": ids}, token)
        assert invoervelden(body), (ids, body)
        assert (body["data"] or {}).get("bevestigRegistratie") is None
    leraar = await ik(api, b)
    # Nothing of the refused calls was written.
    assert leraar["registratie"] == {"status": "KLAARGEZET", "geregistreerdOp": None}
    assert all(not x["voorHerregistratie"] and x["herregistraties"] == [] for x in leraar["bevoegdheden"])


async def test_bevestigen_start_een_periode_per_gekozen_bevoegdheid(api):
    b = bsn(1)
    [nr] = await klaarzetten(api, [levering(b, bevoegdheden=DRIE)])
    ids = {x["vak"]: x["id"] for x in (await ik(api, b))["bevoegdheden"]}
    data = await api.ok(BEVESTIG, {"ids": [ids["Wiskunde"], ids["Scheikunde"]]}, api.sleutels.leraar(b))
    assert data["bevestigRegistratie"] == {
        "registernummer": nr,
        "registratie": {"status": "GEREGISTREERD", "geregistreerdOp": "2026-11-28"},
    }
    leraar = per_vak(await ik(api, b))
    for vak in ("Wiskunde", "Scheikunde"):
        assert leraar[vak]["voorHerregistratie"] is True
        # Four years from 2026-11-28 end the day before the fourth anniversary.
        assert leraar[vak]["herregistratie"] == {
            "periodeStart": "2026-11-28",
            "periodeEinde": "2030-11-27",
            "status": "OP_SCHEMA",
            "behaaldeUren": 0.0,
            "vereisteUren": 160.0,
        }
        assert leraar[vak]["herregistraties"] == [{"periodeStart": "2026-11-28", "periodeEinde": "2030-11-27"}]
    assert leraar["Natuurkunde"]["voorHerregistratie"] is False
    assert leraar["Natuurkunde"]["herregistratie"] is None and leraar["Natuurkunde"]["herregistraties"] == []

    # Now in the public register, with the chosen bevoegdheden marked.
    publiek = await api.ok(
        "query($n: String!) { zoekLeraren(zoekterm: $n) { edges { node { "
        "bevoegdheden { vak voorHerregistratie } } } } }",
        {"n": nr},
    )
    [knoop] = publiek["zoekLeraren"]["edges"]
    assert sorted((x["vak"], x["voorHerregistratie"]) for x in knoop["node"]["bevoegdheden"]) == [
        ("Natuurkunde", False),
        ("Scheikunde", True),
        ("Wiskunde", True),
    ]


async def test_tweede_bevestiging_is_conflict(api):
    b = bsn(1)
    await klaarzetten(api, [levering(b, bevoegdheden=DRIE[:2])])
    ids = [x["id"] for x in (await ik(api, b))["bevoegdheden"]]
    await api.ok(BEVESTIG, {"ids": ids[:1]}, api.sleutels.leraar(b))
    async with api.op(dt.date(2026, 12, 5)) as later:
        body = await later.gql(BEVESTIG, {"ids": ids}, later.sleutels.leraar(b))
        assert fouten(body, "CONFLICT") and (body["data"] or {}).get("bevestigRegistratie") is None, body
        leraar = await ik(later, b)
    assert leraar["registratie"] == {"status": "GEREGISTREERD", "geregistreerdOp": "2026-11-28"}
    assert sum(len(x["herregistraties"]) for x in leraar["bevoegdheden"]) == 1


async def test_vereiste_uren_komen_uit_de_opgeslagen_criteria(api):
    engine = create_async_engine(api.url)
    try:
        async with engine.begin() as conn:
            # The beroepsgroep's records: one in force since November, one that starts next month.
            await conn.execute(
                text(
                    "INSERT INTO herregistratiecriteria (geldig_vanaf, totaal_uren, primair_proces_uren, "
                    "vakinhoudelijk_vo_uren) VALUES ('2026-11-01', 200, 120, 50), ('2026-12-01', 300, 150, 60)"
                )
            )
    finally:
        await engine.dispose()
    b = bsn(1)
    await klaarzetten(api, [levering(b)])
    ids = [x["id"] for x in (await ik(api, b))["bevoegdheden"]]
    await api.ok(BEVESTIG, {"ids": ids}, api.sleutels.leraar(b))
    [bevoegdheid] = (await ik(api, b))["bevoegdheden"]
    assert bevoegdheid["herregistratie"]["vereisteUren"] == 200.0


async def test_kiezen_voegt_toe_en_laat_geschiedenis_staan(api):
    b = bsn(1)
    [nr] = await klaarzetten(api, [levering(b, bevoegdheden=DRIE)])
    ids = {x["vak"]: x["id"] for x in (await ik(api, b))["bevoegdheden"]}
    await api.ok(BEVESTIG, {"ids": [ids["Wiskunde"]]}, api.sleutels.leraar(b))
    wiskunde = {"periodeStart": "2026-11-28", "periodeEinde": "2030-11-27"}

    async with api.op(dt.date(2027, 3, 1)) as a:
        await a.ok(KIES, {"ids": [ids["Wiskunde"], ids["Natuurkunde"]]}, a.sleutels.leraar(b))
        leraar = per_vak(await ik(a, b))
    assert leraar["Natuurkunde"]["voorHerregistratie"] is True
    assert leraar["Natuurkunde"]["herregistraties"] == [{"periodeStart": "2027-03-01", "periodeEinde": "2031-02-28"}]
    assert leraar["Natuurkunde"]["herregistratie"]["periodeStart"] == "2027-03-01"
    assert leraar["Wiskunde"]["herregistraties"] == [wiskunde]  # unchanged, not restarted
    assert leraar["Scheikunde"]["voorHerregistratie"] is False and leraar["Scheikunde"]["herregistraties"] == []

    async with api.op(dt.date(2027, 6, 1)) as a:
        await a.ok(KIES, {"ids": [ids["Natuurkunde"]]}, a.sleutels.leraar(b))
        leraar = per_vak(await ik(a, b))
        publiek = await a.ok(
            "query($n: String!) { leraar(registernummer: $n) { bevoegdheden { vak voorHerregistratie } } }", {"n": nr}
        )
    assert leraar["Wiskunde"]["voorHerregistratie"] is False
    assert leraar["Wiskunde"]["herregistratie"] is None  # not chosen: no current period
    assert leraar["Wiskunde"]["herregistraties"] == [wiskunde]  # but the history stays
    assert {x["vak"]: x["voorHerregistratie"] for x in publiek["leraar"]["bevoegdheden"]} == {
        "Wiskunde": False,
        "Natuurkunde": True,
        "Scheikunde": False,
    }

    async with api.op(dt.date(2027, 9, 1)) as a:
        await a.ok(KIES, {"ids": [ids["Natuurkunde"], ids["Wiskunde"]]}, a.sleutels.leraar(b))
        leraar = per_vak(await ik(a, b))
    # Choosing it again resumes its open period: no new one.
    assert leraar["Wiskunde"]["voorHerregistratie"] is True
    assert leraar["Wiskunde"]["herregistraties"] == [wiskunde]
    assert {k: leraar["Wiskunde"]["herregistratie"][k] for k in ("periodeStart", "periodeEinde")} == wiskunde
    assert leraar["Natuurkunde"]["herregistraties"] == [{"periodeStart": "2027-03-01", "periodeEinde": "2031-02-28"}]


async def test_kiezen_ongeldig_of_voor_bevestiging(api):
    b, ander = bsn(1), bsn(2)
    await klaarzetten(api, [levering(b, bevoegdheden=DRIE[:2]), levering(ander, achternaam="Ander")])
    eigen = [x["id"] for x in (await ik(api, b))["bevoegdheden"]]
    vreemd = [x["id"] for x in (await ik(api, ander))["bevoegdheden"]]
    token = api.sleutels.leraar(b)
    voor = await api.gql(KIES, {"ids": eigen}, token)
    assert fouten(voor, "CONFLICT"), voor  # nothing to choose for before confirming
    await api.ok(BEVESTIG, {"ids": eigen[:1]}, token)
    for ids in ([], vreemd, ["999999"], [eigen[1], vreemd[0]]):
        body = await api.gql(KIES, {"ids": ids}, token)
        assert invoervelden(body), (ids, body)
    leraar = await ik(api, b)
    assert [x["voorHerregistratie"] for x in leraar["bevoegdheden"] if x["id"] == eigen[1]] == [False]
    assert sum(len(x["herregistraties"]) for x in leraar["bevoegdheden"]) == 1


PORTFOLIO = """
query($n: String!) {
  leraar(registernummer: $n) { registernummer portfolio { totalCount edges { node { titel uren } } } }
}"""

OPENBAAR = "mutation($o: Boolean!) { zetPortfolioOpenbaar(openbaar: $o) { portfolioOpenbaar } }"

TOEVOEGEN = """
mutation($invoer: ActiviteitInvoer!) { voegActiviteitToe(invoer: $invoer) { id } }"""


async def test_portfolio_openbaar_maken_en_intrekken(api):
    b = bsn(1)
    [nr] = await klaarzetten(api, [levering(b)])
    ids = [x["id"] for x in (await ik(api, b))["bevoegdheden"]]
    token = api.sleutels.leraar(b)
    await api.ok(BEVESTIG, {"ids": ids}, token)
    await api.ok(
        TOEVOEGEN,
        {
            "invoer": {
                "titel": "Cursus didactiek",
                "datum": "2026-11-28",
                "uren": 8,
                "gebied": "VAKDIDACTISCH",
                "bevoegdheden": ids,
            }
        },
        token,
    )
    buitenstaanders = [None, api.sleutels.bestuur("99999"), api.sleutels.leraar(bsn(2))]

    for t in buitenstaanders:
        body = await api.gql(PORTFOLIO, {"n": nr}, t)
        assert body["data"]["leraar"] == {"registernummer": nr, "portfolio": None}
        assert_forbidden(body, ["leraar", "portfolio"])

    assert (await api.ok(OPENBAAR, {"o": True}, token))["zetPortfolioOpenbaar"] == {"portfolioOpenbaar": True}
    assert (await ik(api, b))["portfolioOpenbaar"] is True
    for t in buitenstaanders:
        data = await api.ok(PORTFOLIO, {"n": nr}, t)
        assert data["leraar"]["portfolio"] == {
            "totalCount": 1,
            "edges": [{"node": {"titel": "Cursus didactiek", "uren": 8.0}}],
        }
    # Whether it is public is the teacher's own business.
    body = await api.gql("query($n: String!) { leraar(registernummer: $n) { portfolioOpenbaar } }", {"n": nr})
    assert_forbidden(body, ["leraar", "portfolioOpenbaar"])

    assert (await api.ok(OPENBAAR, {"o": False}, token))["zetPortfolioOpenbaar"] == {"portfolioOpenbaar": False}
    for t in buitenstaanders:
        body = await api.gql(PORTFOLIO, {"n": nr}, t)
        assert body["data"]["leraar"]["portfolio"] is None
        assert_forbidden(body, ["leraar", "portfolio"])
    # The teacher always sees it.
    eigen = await api.ok(PORTFOLIO, {"n": nr}, token)
    assert eigen["leraar"]["portfolio"]["totalCount"] == 1


async def test_alleen_de_leraar_zet_toestemming(api):
    openbaar = True
    await klaarzetten(api, [levering(bsn(1))])
    anoniem = await api.gql(OPENBAAR, {"o": openbaar})
    assert fouten(anoniem, "UNAUTHENTICATED"), anoniem
    for token in (api.sleutels.bestuur("10001"), api.sleutels.duo()):
        assert fouten(await api.gql(OPENBAAR, {"o": openbaar}, token), "FORBIDDEN")
