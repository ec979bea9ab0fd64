"""Private revalidation (API.md, Caching; issue 12, point 4): an authenticated GET carries an ETag
that changes only when something that asker may see in that answer changed, and If-None-Match with
it is 304 without running the operation (http/revalidatie.py, resolvers/versies.py).

Boards A and C both employ the teacher of test_zichtbaarheid's data now; board D employs another
teacher. Every poll below is checked the safe way round too: a 304 (an ETag that stayed) must stand
for the very answer the asker has (asked again without If-None-Match, byte for byte the same).
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
from conftest import VANDAAG, Api
from gegevens import KLAARZETTEN, levering
from joserfc.jwk import RSAKey
from test_zichtbaarheid import BENOEMINGEN, BEVOEGDHEDEN, A, C, D, Gegevens, bouw_gegevens

from lerarenregister.schema.vertrouwd import document_id

DOCUMENTEN = Path(__file__).parent.parent / "lerarenregister" / "documenten"


def _id(naam: str) -> str:
    return document_id((DOCUMENTEN / naam).read_text().strip())


PERSONEEL, WIJZIGINGEN = _id("bestuur_personeel.graphql"), _id("bestuur_wijzigingen.graphql")
OVERZICHT, LERAAR = _id("leraar_overzicht.graphql"), _id("leraar.graphql")
EIGEN_LOG = "{ ik { inzagelog { totalCount edges { node { doelgroep door velden } } } } }"
IK_NAAM = "{ ik { naam { weergavenaam } } }"


async def get(
    api: Api,
    token: str | None,
    *,
    document: str | None = None,
    query: str | None = None,
    variables: str | None = None,
    etag: str | None = None,
    kop: dict[str, str] | None = None,
) -> httpx.Response:
    params = {k: v for k, v in (("documentId", document), ("query", query), ("variables", variables)) if v}
    headers = dict(kop or {})
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if etag:
        headers["If-None-Match"] = etag
    assert api.client is not None
    return await api.client.get("/graphql", params=params, headers=headers)


class Peiler:
    """Boards polling their staff page as a dashboard does: with the ETag of their last answer."""

    def __init__(self, api: Api, besturen: tuple[str, ...] = (A, C, D), **vraag: Any):
        self.api = api
        self.vraag = vraag or {"document": PERSONEEL, "variables": '{"first": 50}'}
        self.tokens = {b: api.sleutels.bestuur(b) for b in besturen}
        self.laatste: dict[str, tuple[str, bytes]] = {}

    async def peil(self) -> set[str]:
        """The boards whose page changed for them (200 instead of 304) since their last poll."""
        nieuw = set()
        for bestuur, token in self.tokens.items():
            vorige = self.laatste.get(bestuur)
            r = await get(self.api, token, etag=vorige[0] if vorige else None, **self.vraag)
            if r.status_code == 304:
                assert vorige is not None and r.headers["etag"] == vorige[0] and r.content == b""
                # Safe: the answer it stands for is the one the board has.
                vol = await get(self.api, token, **self.vraag)
                assert vol.status_code == 200 and vol.headers["etag"] == vorige[0], bestuur
                assert vol.content == vorige[1], f"{bestuur}: 304 while its answer changed"
                continue
            assert r.status_code == 200, r.text
            assert r.headers["cache-control"] == "private, no-cache"
            assert {"Authorization", "Accept"} <= {v.strip() for v in r.headers["vary"].split(",")}
            # A real page: at most a denial (a portfolio without consent), never a failure.
            assert {e["extensions"]["code"] for e in r.json().get("errors", [])} <= {"FORBIDDEN"}, r.text
            self.laatste[bestuur] = (r.headers["etag"], r.content)
            nieuw.add(bestuur)
        return nieuw


def _levering(g: Gegevens, **wijziging: Any) -> dict[str, Any]:
    lev = levering(g.bsn, bevoegdheden=[dict(b) for b in BEVOEGDHEDEN], benoemingen=[dict(b) for b in BENOEMINGEN])
    lev.update(wijziging)
    return lev


def _ander(g: Gegevens) -> dict[str, Any]:
    """The other teacher, at board D only, with a new name."""
    return levering(
        g.ander_bsn,
        achternaam="Smit",
        tussenvoegsel=None,
        voornamen="Piet",
        benoemingen=[
            {
                "bevoegdGezagNummer": D,
                "schoolbestuurNaam": "Stichting 20004",
                "vak": "Wiskunde",
                "begindatum": "2015-08-01",
                "einddatum": None,
            }
        ],
    )


@pytest.fixture
async def g(api: Api) -> Gegevens:
    return await bouw_gegevens(api)


async def _log_lengte(api: Api, g: Gegevens) -> int:
    data = await api.ok("{ ik { inzagelog { totalCount } } }", token=api.sleutels.leraar(g.bsn))
    return int(data["ik"]["inzagelog"]["totalCount"])


async def test_een_ongewijzigde_peiling_kost_een_statement_en_geen_inzage(api: Api, g: Gegevens) -> None:
    peiler = Peiler(api)
    voor = await _log_lengte(api, g)
    assert await peiler.peil() == {A, C, D}  # the first poll: every board gets its page
    assert await _log_lengte(api, g) == voor + 2  # A's and C's pages showed the teacher: logged
    tag = peiler.laatste[A][0]
    assert tag.startswith('W/"p') and len(tag) == len('W/"p"') + 32  # no version or count to read off
    with api.tel() as t:
        r = await get(api, peiler.tokens[A], etag=tag, **peiler.vraag)
    assert r.status_code == 304 and r.content == b"" and r.headers["etag"] == tag
    assert r.headers["cache-control"] == "private, no-cache"
    assert t.aantal == 1, api.statements  # the data version: nothing of the operation ran
    # A 304 gives no data, so it writes no access-log entry (README, Access log).
    assert await _log_lengte(api, g) == voor + 2
    # Several validators, as a client may send: the current one among them is enough.
    r = await get(api, peiler.tokens[A], etag=f'W/"p{"0" * 32}", {tag}', **peiler.vraag)
    assert r.status_code == 304


async def test_een_schrijfactie_elders_kost_een_statement_meer_en_blijft_304(api: Api, g: Gegevens) -> None:
    peiler = Peiler(api, (A,))
    await peiler.peil()
    tag = peiler.laatste[A][0]
    # The other teacher, at board D only, gets a new name: the register's data version moves.
    await api.ok(KLAARZETTEN, {"leveringen": [_ander(g)]}, api.sleutels.duo())
    with api.tel() as t:
        r = await get(api, peiler.tokens[A], etag=tag, **peiler.vraag)
    # The data version, then A's own version (which did not move): still 304.
    assert r.status_code == 304 and t.aantal == 2, api.statements
    with api.tel() as t:
        r = await get(api, peiler.tokens[A], etag=tag, **peiler.vraag)
    assert r.status_code == 304 and t.aantal == 1


async def test_alleen_wat_dat_bestuur_ziet(api: Api, g: Gegevens) -> None:
    """The changes of tests/test_zichtbare_wijzigingen.py, polled by ETag: each shows at the next
    poll of exactly the boards that `gewijzigdSinds` names for it."""
    s, duo = api.sleutels, api.sleutels.duo()
    peiler = Peiler(api)
    assert await peiler.peil() == {A, C, D}
    assert await peiler.peil() == set()

    async def na(actie: Any) -> set[str]:
        await actie
        return await peiler.peil()

    # DUO delivers a new name: both employers.
    assert await na(api.ok(KLAARZETTEN, {"leveringen": [_levering(g, achternaam="Visser")]}, duo)) == {A, C}
    assert b"Visser" in peiler.laatste[A][1]
    # A new bevoegdheid.
    extra = [*BEVOEGDHEDEN, {"vak": "Frans", "soort": "TWEEDEGRAADS", "behaaldOp": "2020-06-30"}]
    assert await na(
        api.ok(KLAARZETTEN, {"leveringen": [_levering(g, achternaam="Visser", bevoegdheden=extra)]}, duo)
    ) == {A, C}
    # A delivery that changes only what no board sees (the birth date): nobody.
    assert (
        await na(
            api.ok(
                KLAARZETTEN,
                {"leveringen": [_levering(g, achternaam="Visser", bevoegdheden=extra, geboortedatum="1985-03-02")]},
                duo,
            )
        )
        == set()
    )
    # DUO moves the end of C's appointment, then removes another of C's: C only.
    benoemingen = [dict(b) for b in BENOEMINGEN]
    for b in benoemingen:
        if b["bevoegdGezagNummer"] == C and b["vak"] == "Wiskunde":
            b["einddatum"] = "2030-07-31"
    assert await na(
        api.ok(
            KLAARZETTEN,
            {"leveringen": [_levering(g, achternaam="Visser", bevoegdheden=extra, benoemingen=benoemingen)]},
            duo,
        )
    ) == {C}
    zonder = [b for b in benoemingen if not (b["bevoegdGezagNummer"] == C and b["vak"] == "Biologie")]
    assert await na(
        api.ok(
            KLAARZETTEN,
            {"leveringen": [_levering(g, achternaam="Visser", bevoegdheden=extra, benoemingen=zonder)]},
            duo,
        )
    ) == {C}
    # Board A extends its voorportaal term: A only.
    ik = (await api.ok("{ ik { voorportaal { id vak } } }", token=s.leraar(g.bsn)))["ik"]
    [natuurkunde] = [p for p in ik["voorportaal"] if p["vak"] == "Natuurkunde"]
    assert await na(
        api.ok(
            "mutation($id: ID!) { verlengVoorportaaltermijn(inschrijving: $id) { verlengd } }",
            {"id": natuurkunde["id"]},
            s.bestuur(A),
        )
    ) == {A}
    # Consent, and half an hour that moves no warning: nobody. Forty hours end ACHTER_OP_SCHEMA: both.
    token = s.leraar(g.bsn)
    assert (
        await na(api.ok("mutation { zetPortfolioOpenbaar(openbaar: true) { portfolioOpenbaar } }", token=token))
        == set()
    )
    ids = [
        b["id"]
        for b in (await api.ok("{ ik { bevoegdheden { id voorHerregistratie } } }", token=token))["ik"]["bevoegdheden"]
        if b["voorHerregistratie"]
    ]

    def activiteit(uren: float) -> Any:
        return api.ok(
            "mutation($i: ActiviteitInvoer!) { voegActiviteitToe(invoer: $i) { id } }",
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

    assert await na(activiteit(0.5)) == set()
    assert b"ACHTER_OP_SCHEMA" in peiler.laatste[A][1]
    assert await na(activiteit(40)) == {A, C}
    assert b"ACHTER_OP_SCHEMA" not in peiler.laatste[A][1]
    # The teacher of board D: D only.
    lev = _ander(g)
    assert await na(api.ok(KLAARZETTEN, {"leveringen": [lev]}, duo)) == {D}
    # D's name as a delivery gives it: D only.
    lev["benoemingen"][0]["schoolbestuurNaam"] = "Stichting Vier"
    assert await na(api.ok(KLAARZETTEN, {"leveringen": [lev]}, duo)) == {D}


async def test_bezwaren_en_beoordeling(api: Api, g: Gegevens) -> None:
    s = api.sleutels
    peiler = Peiler(api)
    await peiler.peil()
    ik = (await api.ok("{ ik { bevoegdheden { aantekening { id bezwaren { id } } } } }", token=s.leraar(g.bsn)))["ik"]
    aantekening = ik["bevoegdheden"][0]["aantekening"]
    # Board C objects: C's own row (its page does not show objections, its version covers them).
    await api.ok(
        'mutation($a: ID!) { dienBezwaarIn(aantekening: $a, motivering: "Begeleiding") { id } }',
        {"a": aantekening["id"]},
        s.bestuur(C),
    )
    assert await peiler.peil() == {C}
    behandel = "mutation($b: ID!, $u: BezwaarStatus!) { behandelBezwaar(bezwaar: $b, uitspraak: $u) { status } }"
    # The teacher's own objection rejected: nothing a board sees.
    await api.ok(behandel, {"b": aantekening["bezwaren"][0]["id"], "u": "ONGEGROND"}, s.beroepsgroep())
    assert await peiler.peil() == set()
    # C's upheld: the aantekening is withdrawn, which every employer sees.
    alle = (
        await api.ok("{ bezwaren(status: INGEDIEND) { edges { node { id ingediendDoor } } } }", token=s.beroepsgroep())
    )["bezwaren"]["edges"]
    [van_c] = [e["node"]["id"] for e in alle if e["node"]["ingediendDoor"] == "SCHOOLBESTUUR"]
    await api.ok(behandel, {"b": van_c, "u": "GEGROND"}, s.beroepsgroep())
    assert await peiler.peil() == {A, C}
    # An assessment that judges nothing (every due period was judged): nobody.
    await api.ok(
        "mutation($d: Date!) { beoordeelHerregistraties(peildatum: $d) { beoordeeld } }",
        {"d": VANDAAG.isoformat()},
        s.beroepsgroep(),
    )
    assert await peiler.peil() == set()


async def test_beoordeling_toont_bij_de_volgende_peiling(api: Api, g: Gegevens) -> None:
    """The assessment stamps the periods it judges, not the teachers: still a change for every
    employer (both teachers' second periods end on 2029-10-31)."""
    s = api.sleutels
    later = dt.date(2029, 11, 28)
    async with api.op(later) as toen:
        peiler = Peiler(toen)
        await peiler.peil()
        uitslag = await toen.ok(
            "mutation($d: Date!) { beoordeelHerregistraties(peildatum: $d) { beoordeeld } }",
            {"d": later.isoformat()},
            s.beroepsgroep(),
        )
        assert uitslag["beoordeelHerregistraties"]["beoordeeld"] >= 2
        assert await peiler.peil() == {A, C, D}


async def test_wijzigingen_sinds_en_toestemming(api: Api, g: Gegevens) -> None:
    """The `gewijzigdSinds` document revalidates like the page; a staff page that asks for what a
    consent decides (portfolio, inzage) moves with the consent, which leaves no moment of change."""
    s = api.sleutels
    sinds = Peiler(api, (A, D), document=WIJZIGINGEN, variables='{"sinds": "2026-11-01T00:00:00+01:00"}')
    toestemming = Peiler(
        api,
        (A, D),
        query="{ mijnSchoolbestuur { medewerkers { edges { node { registernummer "
        "inzage portfolio { totalCount } } } } } }",
    )
    await sinds.peil()
    await toestemming.peil()
    await api.ok("mutation { zetPortfolioOpenbaar(openbaar: true) { portfolioOpenbaar } }", token=s.leraar(g.bsn))
    assert await sinds.peil() == set()
    assert A in await toestemming.peil()
    assert b"MET_TOESTEMMING" in toestemming.laatste[A][1]
    await api.ok(KLAARZETTEN, {"leveringen": [_levering(g, achternaam="Visser")]}, s.duo())
    assert await sinds.peil() == {A}


async def test_etag_verschilt_per_vrager(api: Api, g: Gegevens) -> None:
    s = api.sleutels
    vars_ = '{"first": 50}'
    a = await get(api, s.bestuur(A), document=PERSONEEL, variables=vars_)
    c = await get(api, s.bestuur(C), document=PERSONEEL, variables=vars_)
    assert a.status_code == c.status_code == 200 and a.headers["etag"] != c.headers["etag"]
    # Another's ETag is no validator for this asker.
    assert (
        await get(api, s.bestuur(C), document=PERSONEEL, variables=vars_, etag=a.headers["etag"])
    ).status_code == 200
    # The same board under another token subject: its own ETag.
    ander = s.token("schoolbestuur", bevoegd_gezag=A, sub="een-collega")
    assert (await get(api, ander, document=PERSONEEL, variables=vars_)).headers["etag"] != a.headers["etag"]
    assert (await get(api, ander, document=PERSONEEL, variables=vars_, etag=a.headers["etag"])).status_code == 200
    # Other variables, another document, the same text by documentId or as text, another media type.
    assert (await get(api, s.bestuur(A), document=PERSONEEL, variables='{"first": 10}')).headers["etag"] != a.headers[
        "etag"
    ]
    tekst = (DOCUMENTEN / "bestuur_personeel.graphql").read_text().strip()
    assert (await get(api, s.bestuur(A), query=tekst, variables=vars_)).headers["etag"] == a.headers["etag"]
    assert (
        await get(api, s.bestuur(A), query=tekst, variables=vars_, kop={"Accept": "application/graphql-response+json"})
    ).headers["etag"] != a.headers["etag"]
    # One document, asked by a board, the teacher it is about, DUO and the public: four ETags.
    vars_ = orjson.dumps({"registernummer": g.nummer}).decode()
    tags = [
        (await get(api, t, document=LERAAR, variables=vars_)).headers["etag"]
        for t in (s.bestuur(A), s.leraar(g.bsn), s.duo(), None)
    ]
    assert len(set(tags)) == 4, tags
    # The teacher's ETag is no validator for the board, nor the board's for the teacher.
    assert (await get(api, s.bestuur(A), document=LERAAR, variables=vars_, etag=tags[1])).status_code == 200
    assert (await get(api, s.leraar(g.bsn), document=LERAAR, variables=vars_, etag=tags[0])).status_code == 200


async def test_leraar_revalideert_op_eigen_wijzigingen(api: Api, g: Gegevens) -> None:
    s = api.sleutels
    token = s.leraar(g.bsn)
    r = await get(api, token, document=OVERZICHT)
    assert r.status_code == 200 and r.headers["cache-control"] == "private, no-cache"
    tag = r.headers["etag"]
    assert (await get(api, token, document=OVERZICHT, etag=tag)).status_code == 304
    # A board reads the teacher: the access log grows, which the overview does not show.
    log = (await get(api, token, query=EIGEN_LOG)).headers["etag"]
    assert (
        await api.post((DOCUMENTEN / "bestuur_leraar.graphql").read_text(), {"registernummer": g.nummer}, s.bestuur(A))
    ).status_code == 200
    assert (await get(api, token, document=OVERZICHT, etag=tag)).status_code == 304
    nieuw = await get(api, token, query=EIGEN_LOG, etag=log)
    assert nieuw.status_code == 200 and nieuw.json()["data"]["ik"]["inzagelog"]["edges"][0]["node"]["door"]
    assert (await get(api, token, query=EIGEN_LOG, etag=nieuw.headers["etag"])).status_code == 304
    # The teacher's own correction: the next poll has it.
    await api.ok(
        'mutation { corrigeerPersoonsgegevens(invoer: { achternaam: "Vries-Bakker" }) { registernummer } }', token=token
    )
    r = await get(api, token, document=OVERZICHT, etag=tag)
    assert r.status_code == 200 and "Vries-Bakker" in r.json()["data"]["ik"]["naam"]["weergavenaam"]


async def test_elke_schrijfactie_verplaatst_de_versie(api: Api, g: Gegevens) -> None:
    """meldFout changes nothing public (it writes no data version itself); DUO's list of reports
    still revalidates, because every committed mutation moves the register's data version."""
    s = api.sleutels
    lijst = "{ foutmeldingen { totalCount edges { node { onderwerp } } } }"
    r = await get(api, s.duo(), query=lijst)
    assert r.status_code == 200 and r.json()["data"]["foutmeldingen"]["totalCount"] == 0
    ik = (await api.ok("{ ik { benoemingen { id } } }", token=s.leraar(g.bsn)))["ik"]
    await api.ok(
        'mutation($b: ID!) { meldFout(benoeming: $b, toelichting: "Klopt niet") { id } }',
        {"b": ik["benoemingen"][0]["id"]},
        s.leraar(g.bsn),
    )
    r2 = await get(api, s.duo(), query=lijst, etag=r.headers["etag"])
    assert r2.status_code == 200 and r2.json()["data"]["foutmeldingen"]["totalCount"] == 1


async def test_slecht_token_blijft_401(api: Api, g: Gegevens) -> None:
    s = api.sleutels
    r = await get(api, s.bestuur(A), document=PERSONEEL)
    tag = r.headers["etag"]
    vreemd = RSAKey.generate_key(2048, parameters={"kid": "test-1"}, private=True)
    verlopen = s.token("schoolbestuur", bevoegd_gezag=A, exp=int(time.time()) - 3600)
    for token in (s.token("schoolbestuur", bevoegd_gezag=A, sleutel=vreemd), verlopen, "geen.token.hier"):
        r = await get(api, token, document=PERSONEEL, etag=tag)
        assert r.status_code == 401 and r.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        assert "etag" not in r.headers
    # A token of no board this register knows: a board's answer (NOT_FOUND), with an ETag of its own.
    r = await get(api, s.bestuur("99999"), document=PERSONEEL, etag=tag)
    assert r.status_code == 200 and r.headers["etag"] != tag


async def test_de_datum_verplaatst_de_etag(api: Api, g: Gegevens) -> None:
    """Warnings open and close with the register's today, and so does who is a current employer."""
    s = api.sleutels
    r = await get(api, s.bestuur(A), document=PERSONEEL)
    leraar = await get(api, s.leraar(g.bsn), document=OVERZICHT)
    async with api.op(VANDAAG + dt.timedelta(days=1)) as morgen:
        r2 = await get(morgen, s.bestuur(A), document=PERSONEEL, etag=r.headers["etag"])
        assert r2.status_code == 200 and r2.headers["etag"] != r.headers["etag"]
        assert (await get(morgen, s.leraar(g.bsn), document=OVERZICHT, etag=leraar.headers["etag"])).status_code == 200
        assert (await get(morgen, s.bestuur(A), document=PERSONEEL, etag=r2.headers["etag"])).status_code == 304


async def test_een_late_commit_met_een_vroeg_moment(api: Api) -> None:
    """A transaction stamps its rows before it commits: one that commits after another may carry the
    earlier moment. The version adds moments up rather than taking the latest, so it still moves.
    (Played here by writing the rows directly, as such a commit would leave them.)"""
    from gegevens import benoeming, bsn, klaarzetten
    from sqlalchemy import text
    from sqlalchemy.ext.asyncio import create_async_engine

    await klaarzetten(
        api,
        [
            levering(bsn(301), achternaam="Eerst", benoemingen=[benoeming("30001")]),
            levering(bsn(302), achternaam="Later", benoemingen=[benoeming("30001")]),
        ],
    )
    peiler = Peiler(api, ("30001",))
    assert await peiler.peil() == {"30001"}
    engine = create_async_engine(api.url)
    try:
        async with engine.begin() as conn:
            # "Eerst" is renamed by a write stamped no later than "Later"'s last moment.
            await conn.execute(
                text(
                    "UPDATE leraar SET achternaam = 'Eerder', gewijzigd_op = "
                    "(SELECT gewijzigd_op FROM leraar WHERE achternaam = 'Later') WHERE achternaam = 'Eerst'"
                )
            )
            await conn.execute(text("UPDATE data_versie SET versie = versie + 1"))
    finally:
        await engine.dispose()
    assert await peiler.peil() == {"30001"}
    assert b"Eerder" in peiler.laatste["30001"][1]
