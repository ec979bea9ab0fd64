"""GraphQL over HTTP (graphql.github.io/graphql-over-http, API.md "Operations"): media types, Accept,
Content-Type, request parameters, status codes per media type; and the spec's reference audit
(the npm package graphql-http's serverAudits) against `lerarenregister serve`, every audit ok."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import Api
from gegevens import bsn
from serverproces import draaiende_server, omgeving_met_idp

from lerarenregister.http.mediatypen import GRAPHQL_RESPONSE, JSON, onderhandel

AUDIT = Path(__file__).parent / "http_audit"
GRJ = {"Accept": GRAPHQL_RESPONSE, "Content-Type": JSON}
ZOEK = '{ zoekLeraren(zoekterm: "vries") { totalCount } }'
PAGINA = 'zoekLeraren(zoekterm: "a", first: 50) { totalCount edges { node { registernummer } } }'


def codes(r: httpx.Response) -> list[str]:
    return [e["extensions"]["code"] for e in r.json()["errors"]]


def test_onderhandeling() -> None:
    assert onderhandel(None) == onderhandel("") == onderhandel("*/*") == onderhandel("application/*") == JSON
    assert onderhandel(GRAPHQL_RESPONSE) == GRAPHQL_RESPONSE
    # GraphiQL's own fetcher and the spec's recommended header: the newer type first.
    assert onderhandel(f"{GRAPHQL_RESPONSE}, {JSON}, multipart/mixed") == GRAPHQL_RESPONSE
    assert onderhandel(f"{JSON}, {GRAPHQL_RESPONSE}") == JSON  # at equal q the one listed first
    assert onderhandel(f"{JSON};q=0.5, {GRAPHQL_RESPONSE}") == GRAPHQL_RESPONSE
    assert onderhandel(f"{GRAPHQL_RESPONSE};q=0, */*") == JSON
    assert onderhandel("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8") == JSON
    assert onderhandel("text/html") is None and onderhandel(f"{JSON};q=0") is None


async def test_mediatype_volgt_accept(api: Api) -> None:
    assert api.client is not None
    r = await api.client.post("/graphql", json={"query": "{ __typename }"}, headers={"Accept": GRAPHQL_RESPONSE})
    assert r.status_code == 200 and r.headers["content-type"] == GRAPHQL_RESPONSE, r.headers
    assert r.json() == {"data": {"__typename": "Query"}}
    for accept in ("*/*", JSON, None):
        r = await api.client.post(
            "/graphql", json={"query": "{ __typename }"}, headers={"Accept": accept} if accept else {}
        )
        assert r.status_code == 200 and r.headers["content-type"] == JSON, (accept, r.headers)
    r = await api.client.post("/graphql", json={"query": "{ __typename }"}, headers={"Accept": "text/html"})
    assert r.status_code == 406 and codes(r) == ["NOT_ACCEPTABLE"], r.text
    r = await api.client.get("/graphql", params={"query": "{ __typename }"}, headers={"Accept": "image/png"})
    assert r.status_code == 406 and codes(r) == ["NOT_ACCEPTABLE"], r.text


async def test_post_alleen_json_in_utf8(api: Api) -> None:
    assert api.client is not None
    body = json.dumps({"query": "{ __typename }"}).encode()
    for inhoudstype in (
        None,
        "text/plain",
        "application/x-www-form-urlencoded",
        "application/graphql",
        "application/json; charset=iso-8859-1",
    ):
        r = await api.client.post(
            "/graphql", content=body, headers={"Content-Type": inhoudstype} if inhoudstype else {}
        )
        assert r.status_code == 415 and codes(r) == ["UNSUPPORTED_MEDIA_TYPE"], (inhoudstype, r.text)
        assert r.headers["accept-post"] == JSON
    for inhoudstype in (JSON, "application/json; charset=utf-8", 'Application/JSON;Charset="UTF-8"'):
        r = await api.client.post("/graphql", content=body, headers={"Content-Type": inhoudstype})
        assert r.status_code == 200 and r.json() == {"data": {"__typename": "Query"}}, (inhoudstype, r.text)
    r = await api.client.post(
        "/graphql", content=b'{"query": "{ __typename }", "x": "\xff"}', headers={"Content-Type": JSON}
    )
    assert r.status_code == 400 and codes(r) == ["BAD_REQUEST"], r.text  # not UTF-8: not JSON


@pytest.mark.parametrize("media", [JSON, GRAPHQL_RESPONSE])
async def test_parameters_van_het_verkeerde_type(api: Api, media: str) -> None:
    assert api.client is not None
    h = {"Accept": media}
    for body in (
        {"query": "{ __typename }", "extensions": "{}"},
        {"query": "{ __typename }", "extensions": [1]},
        {"query": "{ __typename }", "variables": "{}"},
        {"query": "{ __typename }", "operationName": 1},
        {"query": {"x": 1}},
        {"qeury": "{ __typename }"},
        [{"query": "{ __typename }"}],
    ):
        r = await api.client.post("/graphql", json=body, headers=h)
        assert r.status_code == 400 and codes(r) == ["BAD_REQUEST"], (body, r.text)
        assert r.headers["content-type"] == media
    for leeg in ({"extensions": None, "variables": None, "operationName": None}, {"extensions": {"a": 1}}):
        r = await api.client.post("/graphql", json={"query": "{ __typename }", **leeg}, headers=h)
        assert r.status_code == 200 and r.json() == {"data": {"__typename": "Query"}}, r.text
    r = await api.client.get("/graphql", params={"query": "{ __typename }", "extensions": '"x"'}, headers=h)
    assert r.status_code == 400 and codes(r) == ["BAD_REQUEST"], r.text
    r = await api.client.get("/graphql", params={"query": "{ __typename }", "extensions": '{"a": 1}'}, headers=h)
    assert r.status_code == 200, r.text


@pytest.mark.instellingen(max_kosten_publiek=1000)
async def test_verzoekfouten_per_mediatype(api: Api) -> None:
    """application/json: 200 with `data: null`, as before (legacy clients); graphql-response+json: 400
    without `data`. Each error keeps its code."""
    assert api.client is not None
    gevallen = [
        ({"query": "{ zoekLeraren(zoekterm: "}, ["GRAPHQL_PARSE_FAILED"]),
        ({"query": "{ bestaatNiet }"}, ["GRAPHQL_VALIDATION_FAILED"]),
        (
            {"query": "query($t: String!) { zoekLeraren(zoekterm: $t) { totalCount } }", "variables": {"t": None}},
            ["BAD_USER_INPUT"],
        ),
        ({"query": "{ " + " ".join(f"a{i}: " + PAGINA for i in range(20)) + " }"}, ["QUERY_TOO_COMPLEX"]),
        (
            {
                "query": "query($t: String!) { zoekLeraren(zoekterm: $t) { totalCount } }",
                "variables": {"t": "a\u202eb"},
            },
            ["BAD_USER_INPUT"],
        ),
    ]
    for body, verwacht in gevallen:
        with api.tel() as t:
            r = await api.client.post("/graphql", json=body, headers={"Accept": JSON})
        assert t.aantal == 0, body
        assert r.status_code == 200 and r.json()["data"] is None and codes(r) == verwacht, (body, r.text)
        r = await api.client.post("/graphql", json=body, headers={"Accept": GRAPHQL_RESPONSE})
        assert r.status_code == 400 and r.headers["content-type"] == GRAPHQL_RESPONSE, (body, r.text)
        assert "data" not in r.json() and codes(r) == verwacht, (body, r.text)


@pytest.mark.instellingen(max_kosten_publiek=1000)
async def test_meerdere_operaties_zonder_naam(api: Api) -> None:
    """GraphQL's GetOperation: several operations need an operationName. strawberry ran the first one,
    and the limits, knowing no operation, did not check it: 20 search pages of 50 ran."""
    assert api.client is not None
    zwaar = "query A { " + " ".join(f"a{i}: " + PAGINA for i in range(20)) + " } query B { __typename }"
    for media in (JSON, GRAPHQL_RESPONSE):
        with api.tel() as t:
            r = await api.client.post("/graphql", json={"query": zwaar}, headers={"Accept": media})
        assert t.aantal == 0
        assert r.status_code == 400 and codes(r) == ["BAD_REQUEST"] and "data" not in r.json(), r.text
        r = await api.client.post("/graphql", json={"query": zwaar, "operationName": "A"}, headers={"Accept": media})
        assert codes(r) == ["QUERY_TOO_COMPLEX"], r.text
        r = await api.client.post("/graphql", json={"query": zwaar, "operationName": "B"}, headers={"Accept": media})
        assert r.status_code == 200 and r.json() == {"data": {"__typename": "Query"}}, r.text


async def test_veldfouten_blijven_200(api: Api) -> None:
    """A response with a data entry (null included) is 2xx in both media types."""
    assert api.client is not None
    for media in (JSON, GRAPHQL_RESPONSE):
        r = await api.client.post("/graphql", json={"query": "{ ik { registernummer } }"}, headers={"Accept": media})
        assert r.status_code == 200 and r.json()["data"] == {"ik": None}, r.text
        assert codes(r) == ["UNAUTHENTICATED"]
        r = await api.client.post(
            "/graphql",
            json={"query": '{ zoekLeraren(zoekterm: "a", first: 51) { totalCount } }'},
            headers={"Accept": media},
        )
        assert r.status_code == 200 and "data" in r.json() and codes(r) == ["BAD_USER_INPUT"], r.text


async def test_get_alleen_queries(api: Api) -> None:
    assert api.client is not None
    mutatie = "mutation { bevestigRegistratie(bevoegdheden: []) { registernummer } }"
    for media in (JSON, GRAPHQL_RESPONSE):
        with api.tel() as t:
            r = await api.client.get("/graphql", params={"query": mutatie}, headers={"Accept": media})
        assert t.aantal == 0
        assert r.status_code == 405 and r.headers["allow"] == "POST" and codes(r) == ["BAD_REQUEST"], r.text
        assert "etag" not in r.headers
    for methode in ("PUT", "DELETE", "PATCH"):
        r = await api.client.request(methode, "/graphql", json={"query": "{ __typename }"})
        assert r.status_code == 405 and codes(r) == ["METHOD_NOT_ALLOWED"], r.text
        assert r.headers["allow"] == "GET, HEAD, POST"


async def test_etag_per_mediatype(api: Api) -> None:
    """The media type decides body and status, so a shared cache keys on Accept too."""
    assert api.client is not None
    a = await api.client.get("/graphql", params={"query": ZOEK}, headers={"Accept": JSON})
    b = await api.client.get("/graphql", params={"query": ZOEK}, headers={"Accept": GRAPHQL_RESPONSE})
    assert a.status_code == b.status_code == 200 and a.json() == b.json()
    assert a.headers["etag"] != b.headers["etag"]
    # (CORS adds Origin to Vary as well.)
    for r in (a, b):
        assert {"Authorization", "Accept"} <= {v.strip() for v in r.headers["vary"].split(",")}
    r = await api.client.get(
        "/graphql", params={"query": ZOEK}, headers={"Accept": GRAPHQL_RESPONSE, "If-None-Match": b.headers["etag"]}
    )
    assert r.status_code == 304
    r = await api.client.get(
        "/graphql", params={"query": ZOEK}, headers={"Accept": JSON, "If-None-Match": b.headers["etag"]}
    )
    assert r.status_code == 200


async def test_fouten_van_de_rand_in_het_gekozen_mediatype(api: Api) -> None:
    """401 and 413 are GraphQL responses too: in the negotiated media type, with a code."""
    assert api.client is not None
    r = await api.client.post(
        "/graphql", json={"query": "{ __typename }"}, headers={**GRJ, "Authorization": "Bearer kapot"}
    )
    assert r.status_code == 401 and r.headers["content-type"] == GRAPHQL_RESPONSE and codes(r) == ["UNAUTHENTICATED"]
    r = await api.client.post(
        "/graphql",
        json={"query": "{ ik { registernummer } }"},
        headers={**GRJ, "Authorization": f"Bearer {api.sleutels.leraar(bsn(1))}"},
    )
    assert r.status_code == 200 and r.headers["content-type"] == GRAPHQL_RESPONSE, r.text


# --- the spec's reference audit ------------------------------------------------------------------


def _npm_ci() -> None:
    """The audit's npm packages from the committed lock file; a missing Node or npm is a failure."""
    if (AUDIT / "node_modules" / "graphql-http" / "package.json").exists():
        return
    npm = shutil.which("npm")
    if npm is None or shutil.which("node") is None:
        pytest.fail("Node.js and npm are needed for the GraphQL-over-HTTP audit (Debian: apt-get install nodejs npm)")
    uit = subprocess.run(
        [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=AUDIT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    if uit.returncode != 0:
        pytest.fail(f"npm ci in {AUDIT} failed ({uit.returncode}):\n{uit.stdout}\n{uit.stderr}")


def test_graphql_over_http_audit(tmp_path: Path, sleutels: Any) -> None:
    _npm_ci()
    with draaiende_server(tmp_path / "server", omgeving_met_idp(tmp_path / "server", sleutels.jwks_pad)) as basis:
        uit = subprocess.run(
            ["node", str(AUDIT / "audit.mjs"), f"{basis}/graphql"],
            cwd=AUDIT,
            capture_output=True,
            text=True,
            timeout=300,
        )
    assert uit.returncode == 0, uit.stderr
    uitkomsten = json.loads(uit.stdout)
    assert len(uitkomsten) >= 60, f"graphql-http ran only {len(uitkomsten)} audits"
    (tmp_path / "audit.json").write_text(json.dumps(uitkomsten, indent=1))
    niet_ok = [f"{u['id']} {u['name']}: {u['status']} {u['reason']}" for u in uitkomsten if u["status"] != "ok"]
    assert niet_ok == [], "\n".join(niet_ok)
