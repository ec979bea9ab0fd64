"""Limits before execution (API.md, "Production", Limits; README, "Limits").

What first-party clients send passes for the roles that run it; the hostile documents of issue 9
are refused with their codes before any SQL; every text input obeys the free-text rules; cursors
and ids beyond anything the register holds are bad input, never an internal error.
"""

from __future__ import annotations

import base64
import re
from pathlib import Path
from typing import Any

import pytest
from conftest import Api, fouten
from gegevens import KLAARZETTEN, benoeming, bevestig, bsn, klaarzetten, levering
from graphql import GraphQLNonNull, GraphQLObjectType, get_introspection_query, get_named_type

from lerarenregister.schema import bouw_schema
from lerarenregister.schema.limieten import Limieten, Weigering
from lerarenregister.schema.ontleden import MAX_TOKENS
from lerarenregister.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = bouw_schema()._schema
STANDAARD = Settings()
LIMIETEN = Limieten(SCHEMA, STANDAARD.max_depth, STANDAARD.max_kosten_publiek, STANDAARD.max_kosten_aangemeld)

# --- what clients send ----------------------------------------------------------------------------

_ROLLEN = {
    "The public": "publiek",
    "A teacher": "leraar",
    "A school board": "schoolbestuur",
    "DUO": "duo",
    "A provider": "aanbieder",
    "The beroepsgroep": "beroepsgroep",
}


def readme_voorbeelden() -> list[tuple[str, str, str]]:
    """(role, root field, document) of every README example, each `first` at its maximum."""
    tekst = (ROOT / "README.md").read_text()
    uit = []
    for kop, blok in re.findall(r"^\*\*([^*\n]+)\*\* \([^\n]*\n+```graphql\n(.*?)```", tekst, re.S | re.M):
        rol = _ROLLEN[kop]
        for doc in re.split(r"\n(?=\{|mutation|query)", blok.strip()):
            doc = re.sub(r"first: \d+", "first: 100", doc)
            doc = re.sub(r"(zoekLeraren\([^)]*first: )100", r"\g<1>50", doc)
            # A connection left at its default is asked at its maximum too.
            doc = re.sub(
                r"\b(foutmeldingen|bezwaren\(status: \w+)(\)?) \{",
                lambda m: f"{m.group(1)}, first: 100) {{" if m.group(2) else f"{m.group(1)}(first: 100) {{",
                doc,
            )
            veld = re.search(r"\{\s*(\w+)", doc).group(1)  # type: ignore[union-attr]
            uit.append((rol, veld, doc))
    return uit


def elk_veld_eenmaal() -> str:
    """Every field of the schema once, along paths that repeat no type: a type's fields are selected
    where the type is first met (schema order, depth first); a later field leading to it selects
    `__typename`. Connections at their default page size, ten registernummers for `leraren`."""
    verplicht = {
        "zoekterm": '"a"',
        "registernummer": '"1000000008"',
        "registernummers": "[" + ", ".join(['"1000000008"'] * 10) + "]",
    }
    gezien = {SCHEMA.query_type.name}

    def selectie(type_: GraphQLObjectType) -> str:
        delen = []
        for naam, veld in type_.fields.items():
            doel = get_named_type(veld.type)
            binnen = ""
            if isinstance(doel, GraphQLObjectType):
                if doel.name in gezien:
                    binnen = "__typename"
                else:
                    gezien.add(doel.name)
                    binnen = selectie(doel)
            args = ", ".join(f"{a}: {verplicht[a]}" for a, d in veld.args.items() if isinstance(d.type, GraphQLNonNull))
            delen.append(naam + (f"({args})" if args else "") + (f" {{ {binnen} }}" if binnen else ""))
        return " ".join(delen)

    return "{ " + selectie(SCHEMA.query_type) + " }"


def _zoekpagina(n: int) -> str:
    return (
        "{ "
        + " ".join(
            f'a{i}: zoekLeraren(zoekterm: "a", first: 50) {{ edges {{ node {{ registernummer bevoegdheden {{ vak }} '
            f"portfolio(first: 100) {{ totalCount }} }} }} }}"
            for i in range(n)
        )
        + " }"
    )


BESTUUR_WANDELING = (
    "{ mijnSchoolbestuur { medewerkers(first: 20) { edges { node { benoemingen { schoolbestuur { "
    "medewerkers(first: 20) { edges { node { benoemingen { schoolbestuur { medewerkers(first: 20) { "
    "edges { node { registernummer } } } } } } } } } } } } } } }"
)
HONDERD_MET_GESCHIEDENIS = (
    "{ leraren(registernummers: [" + ", ".join(f'"{1000000000 + i}"' for i in range(100)) + "]) { "
    "portfolio(first: 100) { edges { node { id titel datum uren gebied } } } "
    "bevoegdheden { vak herregistraties { periodeStart periodeEinde status } "
    "aantekeningen { id geplaatstOp status bezwaren { id status } } } } }"
)


def test_eerste_partij_documenten_passen() -> None:
    for pad in sorted((ROOT / "lerarenregister" / "documenten").glob("*.graphql")):
        # The search page at its largest page; the public limit, the lowest.
        LIMIETEN.controleer(pad.read_text(), None, {"zoekterm": "de vries", "first": 50}, aangemeld=False)


@pytest.mark.parametrize("rol,veld,doc", readme_voorbeelden(), ids=lambda x: x if len(x) < 40 else None)
def test_readme_voorbeelden_passen_op_hun_maximum(rol: str, veld: str, doc: str) -> None:
    LIMIETEN.controleer(doc, None, None, aangemeld=rol != "publiek")


def test_elk_veld_eenmaal_past_voor_iedereen() -> None:
    doc = elk_veld_eenmaal()
    assert "ik {" in doc and "leraren(registernummers:" in doc and "medewerkers {" in doc  # the walk saw them
    for aangemeld in (False, True):
        LIMIETEN.controleer(doc, None, None, aangemeld=aangemeld)


def test_readme_noemt_de_kosten_van_elk_voorbeeld() -> None:
    """The README's table of costs is what the model computes (no drift)."""
    tekst = (ROOT / "README.md").read_text()
    for rol, veld, doc in readme_voorbeelden():
        regel = f"| {rol} | `{veld}` | {LIMIETEN.kosten(doc)} |"
        assert regel in tekst, f"README.md, Limits: expected the row {regel!r}"
    for pad in sorted((ROOT / "lerarenregister" / "documenten").glob("*.graphql")):
        regel = f"| documenten | `{pad.name}` | {LIMIETEN.kosten(pad.read_text(), None, {'first': 50})} |"
        assert regel in tekst, f"README.md, Limits: expected the row {regel!r}"


def test_graphiql_introspectie_past() -> None:
    LIMIETEN.controleer(get_introspection_query(descriptions=True), None, None, aangemeld=False)


def test_kostenmodel() -> None:
    # Each field 1; a connection multiplies its selection by `first`, from a literal or a variable.
    assert LIMIETEN.kosten('{ zoekLeraren(zoekterm: "a", first: 3) { totalCount } }') == 1 + 3 * 1
    doc = 'query($n: Int) { zoekLeraren(zoekterm: "a", first: $n) { edges { node { registernummer } } } }'
    assert LIMIETEN.kosten(doc, None, {"n": 10}) == 1 + 10 * (1 + 1 * (1 + 1))
    assert LIMIETEN.kosten(doc, None, {}) == 1 + 20 * 3  # the argument's default
    assert LIMIETEN.kosten(doc, None, {"n": 10**12}) == 1 + 50 * 3  # never more than a page may hold
    # leraren by the length of its list; other lists of objects by 5.
    assert LIMIETEN.kosten('{ leraren(registernummers: ["1", "2"]) { bevoegdheden { vak } } }') == 1 + 2 * (1 + 5 * 1)
    doc = "query($r: [String!]!) { leraren(registernummers: $r) { registernummer } }"
    assert LIMIETEN.kosten(doc, None, {"r": ["1"] * 7}) == 1 + 7


# --- what is refused, and how ---------------------------------------------------------------------

VIJANDIG = {
    "200 aliases of a search page": (_zoekpagina(200), "QUERY_TOO_COMPLEX", None),
    "20 aliases of a search page": (_zoekpagina(20), "QUERY_TOO_COMPLEX", None),
    "a board walking its staff's boards three deep": (BESTUUR_WANDELING, "QUERY_TOO_COMPLEX", "bestuur"),
    "100 teachers with portfolio and history": (HONDERD_MET_GESCHIEDENIS, "QUERY_TOO_COMPLEX", "duo"),
}


async def _token(api: Api, wie: str | None) -> str | None:
    return {"bestuur": api.sleutels.bestuur("41207"), "duo": api.sleutels.duo(), None: None}[wie]


@pytest.mark.parametrize("naam", list(VIJANDIG))
async def test_vijandige_documenten_geweigerd_zonder_sql(api: Api, naam: str) -> None:
    doc, code, wie = VIJANDIG[naam]
    token = await _token(api, wie)
    with api.tel() as t:
        body = await api.gql(doc, token=token)
        # By GET too (a URL holds less: the 200 aliases become 20, still far over the limit).
        get = await api.client.get(
            "/graphql",
            params={"query": doc if len(doc) < 8000 else _zoekpagina(20)},
            headers={"Authorization": f"Bearer {token}"} if token else {},
        )
    assert t.aantal == 0, api.statements
    assert body["data"] is None and code in [e["extensions"]["code"] for e in body["errors"]], body
    assert code in [e["extensions"]["code"] for e in get.json()["errors"]], get.text
    ext = fouten(body, code)[0]["extensions"]
    if "tokens" in ext:  # stopped while parsing: more tokens than any first-party document has
        assert ext["tokens"] == {"limit": MAX_TOKENS} and naam == "200 aliases of a search page", body
        return
    limiet = STANDAARD.max_kosten_aangemeld if token else STANDAARD.max_kosten_publiek
    assert ext["cost"]["limit"] == limiet and ext["cost"]["requested"] > limiet


def _bestuurswandeling(keer: int, blad: str) -> str:
    binnen = f"medewerkers(first: 1) {{ edges {{ node {{ {blad} }} }} }}"
    for _ in range(keer):
        binnen = f"medewerkers(first: 1) {{ edges {{ node {{ benoemingen {{ schoolbestuur {{ {binnen} }} }} }} }} }}"
    return "{ mijnSchoolbestuur { " + binnen + " } }"


async def test_te_diep(api: Api) -> None:
    doc = _bestuurswandeling(1, "bevoegdheden { aantekening { bezwaren { id } } }")  # 1 + 3 + 5 + 4 = 13 levels
    with api.tel() as t:
        body = await api.gql(doc, token=api.sleutels.bestuur("41207"))
    assert t.aantal == 0
    assert [e["extensions"]["code"] for e in body["errors"]] == ["QUERY_TOO_DEEP"], body
    assert body["errors"][0]["extensions"]["depth"] == {"requested": 13, "limit": 12}
    # Absurd nesting (beyond what the parser recurses through) is refused the same way, not a crash.
    absurd = "{ ik " + "{ naam " * 3000 + "}" * 3001
    body = await api.gql(absurd, token=api.sleutels.leraar(bsn(1)))
    assert [e["extensions"]["code"] for e in body["errors"]] == ["QUERY_TOO_DEEP"], body


async def test_diepte_twaalf_mag(api: Api) -> None:
    await klaarzetten(api, [levering(bsn(1), benoemingen=[benoeming("41207")])])
    doc = _bestuurswandeling(1, "bevoegdheden { herregistratie { status } }")  # 1 + 3 + 5 + 3 = 12 levels
    body = await api.gql(doc, token=api.sleutels.bestuur("41207"))
    assert "errors" not in body, body


async def test_syntaxfout_zonder_sql(api: Api) -> None:
    with api.tel() as t:
        r = await api.client.get("/graphql", params={"query": "{ zoekLeraren(zoekterm: "})
    assert t.aantal == 0
    assert [e["extensions"]["code"] for e in r.json()["errors"]] == ["GRAPHQL_PARSE_FAILED"], r.text


@pytest.mark.instellingen(max_body_bytes=2000, max_body_bytes_duo=5000)
async def test_te_grote_body(api: Api) -> None:
    def body(n: int) -> str:
        return '{"query": "{ __typename }", "variables": {"x": "' + "a" * n + '"}}'

    with api.tel() as t:
        r = await api.client.post("/graphql", content=body(2100), headers={"Content-Type": "application/json"})
    assert t.aantal == 0
    assert r.status_code == 413 and r.json()["errors"][0]["extensions"]["code"] == "PAYLOAD_TOO_LARGE", r.text
    assert (
        await api.client.post("/graphql", content=body(1900), headers={"Content-Type": "application/json"})
    ).status_code == 200

    async def zonder_lengte() -> Any:  # chunked: no Content-Length to go by, the reading stops at the limit
        groot = body(2100)
        for i in range(0, len(groot), 500):
            yield groot[i : i + 500].encode()

    r = await api.client.post("/graphql", content=zonder_lengte(), headers={"Content-Type": "application/json"})
    assert r.status_code == 413, r.text
    r = await api.client.get("/graphql", params={"query": "{ __typename }", "variables": '{"x": "' + "a" * 2100 + '"}'})
    assert r.status_code == 413, r.text
    # A teacher's token is no reason for more; DUO's, for its deliveries, is (test_levering sends 1000).
    for token, status in ((api.sleutels.leraar(bsn(1)), 413), (api.sleutels.duo(), 200)):
        r = await api.client.post(
            "/graphql",
            content=body(3000),
            headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
        )
        assert r.status_code == status, r.text
    r = await api.client.post(
        "/graphql",
        content=body(6000),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {api.sleutels.duo()}"},
    )
    assert r.status_code == 413, r.text
    # DUO's room is for the delivery's variables: its query text has the common limit.
    lange_tekst = '{"query": "{ __typename ' + "#" * 2500 + '\\n}"}'
    r = await api.client.post(
        "/graphql",
        content=lange_tekst,
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {api.sleutels.duo()}"},
    )
    assert r.status_code == 413 and "query text" in r.text, r.text


# --- free text, cursors and ids -------------------------------------------------------------------

ZOEK = "query($t: String!, $after: String) { zoekLeraren(zoekterm: $t, after: $after) { totalCount } }"


@pytest.mark.parametrize(
    "term,reden",
    [
        ("a\u0000", "U+0000"),
        ("de\tVries", "U+0009"),
        ("\u202eseirv", "U+202E"),
        ("\u2066x", "U+2066"),
        ("a" * 101, "at most 100"),
    ],
)
async def test_zoekterm_regels(api: Api, term: str, reden: str) -> None:
    with api.tel() as t:
        body = await api.gql(ZOEK, {"t": term})
    assert t.aantal == 0
    [fout] = body["errors"]
    assert fout["extensions"] == {"code": "BAD_USER_INPUT", "field": "zoekterm"} and reden in fout["message"], body
    # The same as a literal in the document.
    letterlijk = term.replace("\u0000", "\\u0000").replace("\t", "\\t")
    body = await api.gql(f'{{ zoekLeraren(zoekterm: "{letterlijk}") {{ totalCount }} }}')
    assert [e["extensions"] for e in body["errors"]] == [{"code": "BAD_USER_INPUT", "field": "zoekterm"}], body


async def test_honderd_tekens_mag(api: Api) -> None:
    assert (await api.ok(ZOEK, {"t": "a" * 100}))["zoekLeraren"]["totalCount"] == 0


async def test_catalogus_hoogstens_tien_woorden(api: Api) -> None:
    doc = "query($t: String) { zoekActiviteiten(zoekterm: $t) { totalCount } }"
    await api.ok(doc, {"t": " ".join(["formatief"] * 10)})
    body = await api.gql(doc, {"t": " ".join(["formatief"] * 11)})
    assert [e["extensions"] for e in body["errors"]] == [{"code": "BAD_USER_INPUT", "field": "zoekterm"}], body


async def test_naamcorrectie_met_richtingsteken_schrijft_niets(api: Api) -> None:
    await klaarzetten(api, [levering(bsn(1))])
    token = api.sleutels.leraar(bsn(1))
    doc = "mutation($i: CorrectieInvoer!) { corrigeerPersoonsgegevens(invoer: $i) { naam { achternaam } } }"
    body = await api.gql(doc, {"i": {"achternaam": "\u202eseirV", "voornamen": "Anna\nMaria"}}, token)
    assert sorted(e["extensions"]["field"] for e in fouten(body, "BAD_USER_INPUT")) == [
        "invoer.achternaam",
        "invoer.voornamen",
    ], body
    assert (await api.ok("{ ik { naam { achternaam voornamen } } }", token=token))["ik"]["naam"] == {
        "achternaam": "Vries",
        "voornamen": "Anna Maria",
    }


async def test_lange_teksten_mogen_regels_hebben(api: Api) -> None:
    await klaarzetten(
        api,
        [
            levering(
                bsn(1),
                benoemingen=[
                    {
                        "bevoegdGezagNummer": "41207",
                        "schoolbestuurNaam": "S",
                        "vak": "Wiskunde",
                        "begindatum": "2026-08-01",
                    }
                ],
            )
        ],
    )
    token = api.sleutels.leraar(bsn(1))
    benoeming = (await api.ok("{ ik { benoemingen { id } } }", token=token))["ik"]["benoemingen"][0]["id"]
    doc = "mutation($b: ID, $t: String!) { meldFout(benoeming: $b, toelichting: $t) { toelichting } }"
    # Allowed here (the register then folds white space, as it did before these rules).
    assert (await api.ok(doc, {"b": benoeming, "t": "Regel een.\n\tRegel twee."}, token))["meldFout"]["toelichting"]
    body = await api.gql(doc, {"b": benoeming, "t": "nul\u0000teken"}, token)
    assert [e["extensions"] for e in body["errors"]] == [{"code": "BAD_USER_INPUT", "field": "toelichting"}], body


async def test_levering_noemt_het_veld_in_de_lijst(api: Api) -> None:
    leveringen = [levering(bsn(1)), levering(bsn(2), achternaam="Jansen\u0007")]
    with api.tel() as t:
        body = await api.gql(KLAARZETTEN, {"leveringen": leveringen}, api.sleutels.duo())
    assert t.aantal == 0
    assert [e["extensions"] for e in body["errors"]] == [
        {"code": "BAD_USER_INPUT", "field": "leveringen[1].achternaam"}
    ], body


@pytest.mark.parametrize("positie", ["99999999999999999999999", "1000000", "-5", "1e9", "0x10", " 7"])
async def test_cursor_voorbij_elke_pagina(api: Api, positie: str) -> None:
    after = base64.urlsafe_b64encode(f"p:{positie}".encode()).decode()
    body = await api.gql(ZOEK, {"t": "de vries", "after": after})
    assert [e["extensions"] for e in body["errors"]] == [{"code": "BAD_USER_INPUT", "field": "after"}], body


@pytest.mark.parametrize("id_", ["99999999999999999999", "2147483648", "٣", "1_0", "-1", "0"])
async def test_id_buiten_bereik(api: Api, id_: str) -> None:
    await klaarzetten(api, [levering(bsn(1))])
    await bevestig(api, bsn(1))
    token = api.sleutels.leraar(bsn(1))
    body = await api.gql("mutation($i: ID!) { verwijderActiviteit(id: $i) }", {"i": id_}, token)
    assert [e["extensions"] for e in body["errors"]] == [{"code": "BAD_USER_INPUT", "field": "id"}], body


def test_weigering_heeft_code() -> None:
    with pytest.raises(Weigering) as w:
        LIMIETEN.controleer(_zoekpagina(2000), None, None, aangemeld=True)
    assert w.value.fout["extensions"]["code"] == "QUERY_TOO_COMPLEX"


async def test_bevestigde_leraar_zoekbaar_binnen_limieten(api: Api) -> None:
    """The first-party search document at its largest page runs as before (no limit in the way)."""
    await klaarzetten(api, [levering(bsn(1))])
    await bevestig(api, bsn(1))
    tekst = (ROOT / "lerarenregister" / "documenten" / "zoek_leraren_pagina.graphql").read_text()
    data = await api.ok(tekst, {"zoekterm": "vries", "first": 50})
    assert data["zoekLeraren"]["totalCount"] == 1


def test_kosten_onthouden_per_vorm_gelijk_aan_berekend() -> None:
    """Operatie.kosten remembers estimates per shape of the variables it reads: every shape gives what
    the plan computes afresh, an int's value and a list's length count, other values do not."""
    from lerarenregister.schema.kostenplan import MAX_BEKEND, Kosten
    from lerarenregister.schema.limieten import Operatie

    blad = Kosten()
    plan = (
        Kosten(
            vast=10,
            variabele="first",
            maximum=100,
            kinderen=(blad, Kosten(variabele="n", lengte=True, maximum=5, kinderen=(blad,))),
        ),
        blad,
    )
    op = Operatie(naam=None, soort="query", diepte=3, plan=plan, standaard={"first": 7})

    def vers(variabelen: dict[str, Any]) -> int:
        return sum(k.bereken({**op.standaard, **variabelen}) for k in plan)

    gevallen: list[dict[str, Any]] = [
        {},
        {"first": 1},
        {"first": 1},
        {"first": 500},
        {"first": True},
        {"first": "9"},
        {"first": None},
        {"n": [1, 2]},
        {"n": [1, 2, 3]},
        {"n": "ab"},
        {"first": 3, "n": [1]},
        {"anders": 4},
    ]
    for variabelen in gevallen * 2:
        assert op.kosten(variabelen) == vers(variabelen), variabelen
    assert op.kosten({"first": 1}) != op.kosten({"first": 2})
    assert op.kosten({"n": [1]}) != op.kosten({"n": [1, 2]})
    for i in range(MAX_BEKEND * 3):  # every int a client could send: the memory stays bounded
        assert op.kosten({"first": i}) == vers({"first": i})
    assert len(op._bekend) <= MAX_BEKEND


def test_tekstcontrole_gelijk_aan_de_wandeling_per_invoer() -> None:
    """Operatie.tekstcontrole (literals decided once, plain text variables in one loop) gives exactly
    what `tekstfouten` gives over each text input, for documents with literals, plain variables,
    lists and input objects, and for good, bad, missing and wrongly typed values."""
    from lerarenregister.schema.tekstinvoer import tekstfouten

    documenten = [
        *(p.read_text() for p in sorted((ROOT / "lerarenregister" / "documenten").glob("*.graphql"))),
        "mutation($t: String!, $m: String!) { meldFout(toelichting: $t) { id } dienBezwaarIn(motivering: $m,"
        ' registernummer: "1\\u0000") { id } }',
        "mutation($i: CatalogusActiviteitInvoer!) { publiceerActiviteit(invoer: $i) { id } }",
        "mutation($l: [LeveringInvoer!]!) { zetGegevensKlaar(leveringen: $l) { aantal } }",
        'query($z: String!) { a: zoekLeraren(zoekterm: $z) { totalCount } b: zoekLeraren(zoekterm: "x\\u202e") '
        "{ totalCount } zoekActiviteiten(zoekterm: $z) { totalCount } }",
    ]
    slecht, goed, lang = "a\u0000b", "de Vries", "w " * 60
    waarden: list[Any] = [goed, slecht, "r\u202eseirv", "regel\neen", lang, 7, None, [slecht], {"titel": slecht}]
    ops = []
    for doc in documenten:
        analyse = LIMIETEN.analyse(doc)
        assert analyse.fout is None, doc
        ops.extend(op for naam, op in analyse.operaties.items() if naam is not None or len(analyse.operaties) == 1)
    assert sum(len(op.teksten) for op in ops) >= 10
    namen = sorted({t.variabele for op in ops for t in op.teksten if t.variabele is not None})
    gevallen: list[dict[str, Any]] = [{}]
    for w in waarden:
        gevallen.append({n: w for n in namen})
    gevallen.append({n: {"titel": slecht, "omschrijving": "a\tb\nc\u0007"} for n in namen})
    gevallen.append({n: [{"achternaam": slecht, "voornamen": goed}, {"achternaam": "\u2066"}] for n in namen})
    for op in ops:
        for variabelen in gevallen:
            verwacht = [f for t in op.teksten for f in tekstfouten(t, variabelen)]
            assert sorted(op.tekstcontrole.fouten(variabelen)) == sorted(verwacht), (op.naam, variabelen)
    assert any(op.tekstcontrole.fouten(g) for op in ops for g in gevallen)  # the comparison saw refusals
