"""The differential proof of issue 12, point 3: every trusted document, for every audience (those
that may run it and those that may not), with generated variables over seeded data, answered by
the fast paths exactly as by the executor: data, errors (message, path, code, locations, order),
status, and the access-log rows written. The fast paths are the plans (schema/plannen.py), and on
PostgreSQL for the public the compiled statements (schema/gecompileerd.py), which restate the
search's SQL beside the resolvers, and for a board's staff page and the teacher's portfolio page the
row path (schema/rijenpad.py), which restates the children's SQL and the readers of the fields: this
test is what keeps them equal (it fails when the row path's visibility verdicts or its own-board
filter on voorportaal rows are taken out: tried once each).

`REGISTER_SNELPAD_AANTAL` (default 6) variable sets per document and audience, half of them with
the teacher's consent to show the portfolio, half without.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
from conftest import Api
from gegevens import benoeming, bevestig, bsn, klaarzetten, levering
from graphql import parse
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import create_async_engine
from test_zichtbaarheid import VRAGERS, A, Gegevens, bouw_gegevens, zet_toestemming

from lerarenregister.resolvers.paginering import cursor
from lerarenregister.schema import plannen as plannen_module
from lerarenregister.schema import rijenpad
from lerarenregister.schema.vertrouwd import MAP

AANTAL = int(os.environ.get("REGISTER_SNELPAD_AANTAL", "6"))
DOCUMENTEN = {p.stem: p.read_text(encoding="utf-8").strip() for p in sorted(MAP.glob("*.graphql"))}
VRAGEN = {naam: tekst for naam, tekst in DOCUMENTEN.items() if not tekst.startswith("mutation")}


# --- generated variables --------------------------------------------------------------------------


def _nummers(g: Gegevens, extra: list[str]) -> st.SearchStrategy[Any]:
    bekend = [g.nummer, g.ander_nummer, *extra]
    return (
        st.sampled_from(bekend)
        | st.sampled_from(bekend).map(lambda n: f" {n} ")
        | st.sampled_from(["", " ", "123", "0000000000", "vries"])
        | st.text(max_size=11)
    )


def _per_variabele(g: Gegevens, extra: list[str]) -> dict[str, st.SearchStrategy[Any]]:
    first = st.sampled_from([None, 0, 1, 2, 3, 5, 20, 50, 51, 100, 101, -1]) | st.integers(-3, 120)
    after = st.sampled_from([None, "", "xyz", cursor(10**7)]) | st.integers(0, 8).map(cursor)
    statussen = ["GEREGISTREERD", "KLAARGEZET", "ONZIN"]
    return {
        "registernummer": _nummers(g, extra),
        "zoekterm": (
            st.sampled_from(["vries", "Vries", "de vries", "de", "Jansen", "j", "", " ", "zzz", g.nummer])
            | st.text(max_size=6)
        ),
        "first": first,
        "after": after,
        "filter": st.none()
        | st.fixed_dictionaries(
            {}, optional={"registratiestatus": st.sampled_from(statussen), "metWaarschuwing": st.booleans() | st.none()}
        ),
        "sinds": st.sampled_from(
            [
                "2020-01-01T00:00:00Z",
                "2026-11-27T23:00:00+01:00",
                "2030-01-01T00:00:00Z",
                "2026-11-28T10:00:00",
                "gisteren",
                "9999-12-31T23:59:59-14:00",
            ]
        ),
    }


def _variabelen(naam: str, tekst: str, g: Gegevens, extra: list[str]) -> list[dict[str, Any]]:
    """AANTAL variable sets for a document: its own variables, now and then one left out or of the
    wrong type (the executor's errors then), derandomized so that a run can be repeated."""
    operatie = parse(tekst).definitions[0]
    per = _per_variabele(g, extra)
    namen = [d.variable.name.value for d in operatie.variable_definitions or ()]  # type: ignore[attr-defined]
    verkeerd = st.sampled_from([12, "tien", [1], {"x": 1}, True])
    strategie = st.fixed_dictionaries({n: per[n] for n in namen}) | st.fixed_dictionaries(
        {}, optional={n: per[n] | verkeerd for n in namen}
    )
    uit: list[dict[str, Any]] = []

    @settings(
        max_examples=AANTAL,
        derandomize=True,
        database=None,
        phases=[Phase.generate],
        deadline=None,
        suppress_health_check=list(HealthCheck),
        print_blob=False,
    )
    @given(strategie)
    def verzamel(variabelen: dict[str, Any]) -> None:
        uit.append(variabelen)

    verzamel()
    uit = (uit * AANTAL)[:AANTAL]  # a document without variables has one example, asked AANTAL times
    return uit


# --- comparing ------------------------------------------------------------------------------------


def _zonder_correlatie(body: dict[str, Any]) -> dict[str, Any]:
    """Correlation ids are new every time; the rest of an internal error must agree."""
    for e in body.get("errors", []):
        e.get("extensions", {}).pop("correlationId", None)
    return body


class Inzagelog:
    """The access-log rows a request wrote, without their moment and request id."""

    def __init__(self, url: str):
        self.engine = create_async_engine(url)
        self.laatste = 0

    async def nieuw(self) -> list[tuple[Any, ...]]:
        async with self.engine.connect() as conn:
            rijen = (
                await conn.execute(
                    text(
                        "SELECT id, leraar_id, doelgroep, door, sub, velden, operatie FROM inzagelog WHERE id > :n "
                        "ORDER BY id"
                    ),
                    {"n": self.laatste},
                )
            ).all()
        if rijen:
            self.laatste = rijen[-1][0]
        return [tuple(r[1:]) for r in rijen]


async def _vraag(
    api: Api, tekst: str, variabelen: dict[str, Any], token: str | None, snel: bool, log: Inzagelog, los: bool = False
) -> tuple[int, dict[str, Any], list[tuple[Any, ...]]]:
    """One request by documentId (or, `los`, as a text no one registered)."""
    staat = api.app.state.staat
    bewaard = staat["snelpad"], staat["compileer"]
    staat["snelpad"], staat["compileer"] = (True, bewaard[1]) if snel else (False, False)
    try:
        r = await api.client.post(
            "/graphql",
            json={"query" if los else "documentId": tekst if los else _id(tekst), "variables": variabelen},
            headers={"Authorization": f"Bearer {token}"} if token else {},
        )
    finally:
        staat["snelpad"], staat["compileer"] = bewaard
    return r.status_code, _zonder_correlatie(r.json()), await log.nieuw()


def _id(tekst: str) -> str:
    from lerarenregister.schema.vertrouwd import document_id

    return document_id(tekst)


async def _seed(api: Api) -> tuple[Gegevens, list[str]]:
    """The visibility matrix's teacher (appointments at four boards, aantekeningen, objections, a
    portfolio entry, an access log), and six colleagues at board A: confirmed or not, a Vries among
    them, one whose appointment ended, one who starts next year."""
    g = await bouw_gegevens(api)
    extra = await klaarzetten(
        api,
        [
            levering(
                bsn(300 + i),
                achternaam=("Vries" if i % 2 else f"Collega{i}"),
                voornamen=f"Kees {i}",
                benoemingen=[
                    benoeming(A, "Wiskunde" if i % 3 else "Frans", "2024-08-01", "2025-07-31" if i == 4 else None)
                ]
                + ([benoeming(A, "Duits", "2027-08-01")] if i == 5 else []),
            )
            for i in range(6)
        ],
    )
    for i in (0, 1, 3):
        await bevestig(api, bsn(300 + i))
    return g, extra


async def test_snelpad_antwoordt_als_de_uitvoerder(api: Api, monkeypatch: pytest.MonkeyPatch) -> None:
    g, extra = await _seed(api)
    api.app.state.staat.setdefault("snelpad", True)
    log = Inzagelog(api.url)
    await log.nieuw()
    gepland = []  # how often a plan answered itself (not handing the request to the executor)
    beantwoord: set[str] = set()  # the operations a plan answered at least once
    voer_uit = plannen_module.Plan.voer_uit

    async def tel(self: Any, verzoek: Any, variabelen: Any) -> Any:
        uitkomst = await voer_uit(self, verzoek, variabelen)
        gepland.append(uitkomst is not None)
        if uitkomst is not None and self.operatie.name is not None:
            beantwoord.add(self.operatie.name.value)
        return uitkomst

    monkeypatch.setattr(plannen_module.Plan, "voer_uit", tel)
    uit_rijen: set[str] = set()  # the operations the row path answered (schema/rijenpad.py)
    rijen_voer_uit = rijenpad.RijenPlan.voer_uit

    async def tel_rijen(self: Any, verzoek: Any, waarden: Any) -> Any:
        uitkomst = await rijen_voer_uit(self, verzoek, waarden)
        if uitkomst is not None and uitkomst is not rijenpad.NIET_GEDAAN:
            uit_rijen.add(self.naam)
        return uitkomst

    monkeypatch.setattr(rijenpad.RijenPlan, "voer_uit", tel_rijen)
    try:
        await _vergelijk(api, g, extra, log, gepland, beantwoord)
    finally:
        await log.engine.dispose()
    # On PostgreSQL the board's page and the teacher's portfolio come from rows, denials included.
    verwacht = {"BestuurPersoneel", "BestuurWijzigingen", "LeraarPortfolio", "RijenBestuur", "RijenIk"}
    verwacht |= {"RijenIkKaal", "RijenIkVoorbij"}
    assert uit_rijen == (verwacht if api.store == "postgres" else set()), uit_rijen


async def _vergelijk(
    api: Api, g: Gegevens, extra: list[str], log: Inzagelog, gepland: list[bool], beantwoord: set[str]
) -> None:
    verschillen: list[str] = []
    vergeleken = 0
    for toestemming in (False, True):
        await zet_toestemming(api, g, toestemming)
        await log.nieuw()
        for naam, tekst in VRAGEN.items():
            reeks = _variabelen(naam, tekst, g, extra)
            helft = reeks[: len(reeks) // 2] if not toestemming else reeks[len(reeks) // 2 :]
            for vrager_naam, vrager in VRAGERS.items():
                token = vrager.token(api.sleutels, g)
                for variabelen in helft:
                    snel = await _vraag(api, tekst, variabelen, token, True, log)
                    traag = await _vraag(api, tekst, variabelen, token, False, log)
                    vergeleken += 1
                    if snel != traag:
                        verschillen.append(
                            f"{naam} as {vrager_naam} (consent {toestemming}) with "
                            f"{variabelen}:\n  fast:     {snel}\n  executor: {traag}"
                        )
        # Texts no one registered get plans too: every field of the schema aimed at the seeded
        # teacher, denials under aliases and __typename.
        for naam, (tekst, variabelen) in _losse_documenten(g).items():
            for vrager_naam, vrager in VRAGERS.items():
                token = vrager.token(api.sleutels, g)
                snel = await _vraag(api, tekst, variabelen, token, True, log, los=True)
                traag = await _vraag(api, tekst, variabelen, token, False, log, los=True)
                if snel != traag:
                    verschillen.append(
                        f"unregistered {naam} as {vrager_naam} (consent {toestemming}):\n"
                        f"  fast:     {snel}\n  executor: {traag}"
                    )
    assert not verschillen, f"{len(verschillen)} of {vergeleken} differ; the first:\n" + "\n".join(verschillen[:3])
    assert vergeleken == len(VRAGEN) * len(VRAGERS) * AANTAL
    # The comparison means something only if the plans answered: most requests, and every document.
    assert sum(gepland) > len(gepland) // 2, (sum(gepland), len(gepland))
    verwacht = {parse(t).definitions[0].name.value for t in VRAGEN.values()}  # type: ignore[attr-defined]
    assert beantwoord >= verwacht | {"Elk", "Geweigerd", "T"}, beantwoord
    # Batched: a board's page and the teacher's portfolio take no more statements than the executor's
    # (the plans take the same ones); on PostgreSQL the row path takes these (the access log's
    # insert included), whatever the page's size; the teacher's own page in one: the row matched by
    # BSN hash, the portfolio page with its total, and the links with their bevoegdheden.
    rijenpad_aantal = {"bestuur_personeel": 7, "leraar_portfolio": 1}
    for naam, variabelen, vrager in (
        ("bestuur_personeel", {"first": 50}, "huidige_werkgever"),
        ("leraar_portfolio", {"first": 40}, "leraar_zelf"),
    ):
        token = VRAGERS[vrager].token(api.sleutels, g)
        aantallen = []
        for snel in (True, False):
            with api.tel() as t:
                await _vraag(api, VRAGEN[naam], variabelen, token, snel, log)
            aantallen.append(t.aantal)
        if api.store == "postgres":
            assert aantallen[0] == rijenpad_aantal[naam] <= aantallen[1], (naam, aantallen, api.statements)
        else:
            assert aantallen[0] == aantallen[1], (naam, aantallen, api.statements)
    if api.store == "postgres":
        # The teacher's own page writes nothing (no access log): the row path reads on the compiled
        # path's pool, and not one connection of the engine's (no session) is checked out for it.
        uitgecheckt: list[object] = []

        def bij_uitchecken(*_: object) -> None:
            uitgecheckt.append(1)

        engine_pool = api.app.state.engine.sync_engine.pool
        event.listen(engine_pool, "checkout", bij_uitchecken)
        try:
            token = VRAGERS["leraar_zelf"].token(api.sleutels, g)
            await _vraag(api, VRAGEN["leraar_portfolio"], {"first": 40}, token, True, log)
        finally:
            event.remove(engine_pool, "checkout", bij_uitchecken)
        assert uitgecheckt == []


def _losse_documenten(g: Gegevens) -> dict[str, tuple[str, dict[str, Any]]]:
    from graphql import print_ast, visit
    from test_gecompileerd import MET_WEIGERINGEN, OPZOEK_WEIGERINGEN
    from test_lekken import _Richt
    from test_limieten import elk_veld_eenmaal

    return {
        "every field": ("query Elk " + print_ast(visit(parse(elk_veld_eenmaal()), _Richt(g.nummer))), {}),
        "search with denials": (MET_WEIGERINGEN, {"t": "vries", "first": 3}),
        "lookup with denials": (OPZOEK_WEIGERINGEN, {"r": g.nummer}),
        # The row path's fields beyond the trusted documents: denied ones (a birth date, first names,
        # hours) for a board, nested boards, __typename, aliases.
        "board page with denials": (
            "query RijenBestuur { mijnSchoolbestuur { __typename naam medewerkers(first: 7) { totalCount "
            "pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { __typename "
            "registernummer geboortedatum portfolioOpenbaar naam { voorletters tussenvoegsel achternaam "
            "weergavenaam voornamen } registratie { status geregistreerdOp } bevoegdheden { id vak soort "
            "voorHerregistratie behaaldOp herregistratie { periodeStart periodeEinde status behaaldeUren "
            "vereisteUren } aantekening { id geplaatstOp opgehevenOp status gevolg } } waarschuwingen { soort "
            "datum bericht } voorportaal { id vak begindatum termijnEinde verlengd afgesloten schoolbestuur { "
            "naam bevoegdGezagNummer } } } } } } }",
            {},
        ),
        "own record with a portfolio": (
            "query RijenIk { ik { registernummer geboortedatum portfolioOpenbaar n: naam { voornamen "
            "weergavenaam } registratie { status geregistreerdOp } portfolio(first: 2) { totalCount pageInfo { "
            "hasNextPage endCursor } edges { cursor node { id titel datum uren gebied bron bewerkbaar "
            "bevoegdheden { id vak soort voorHerregistratie behaaldOp } } } } } }",
            {},
        ),
        # Without the entries' bevoegdheden the row path's statement has no links; a page past the end
        # is counted apart.
        "own portfolio without links": (
            "query RijenIkKaal($a: String) { ik { registernummer portfolio(first: 1, after: $a) { totalCount "
            "edges { cursor node { id titel bewerkbaar } } } } }",
            {"a": cursor(0)},
        ),
        "own portfolio past its end": (
            "query RijenIkVoorbij($a: String) { ik { portfolio(first: 3, after: $a) { totalCount pageInfo { "
            "hasNextPage endCursor } edges { node { id bevoegdheden { id } } } } } }",
            {"a": cursor(500)},
        ),
        "two roots": (
            "query T($r: String!) { a: leraar(registernummer: $r) { __typename registernummer "
            "inzage } ik { registernummer } mijnSchoolbestuur { naam } }",
            {"r": g.nummer},
        ),
    }


def test_elk_vertrouwd_vraagdocument_heeft_een_plan() -> None:
    """Every trusted query is planned (the mutation stays with the executor)."""
    from lerarenregister.schema import bouw_schema

    plannen = plannen_module.Plannen(bouw_schema(), DOCUMENTEN.values())
    assert len(plannen) == len(VRAGEN) == len(DOCUMENTEN) - 1
    assert all(plannen.plan(t, None) is not None for t in VRAGEN.values())
    assert plannen.plan(DOCUMENTEN["duo_levering"], None) is None
