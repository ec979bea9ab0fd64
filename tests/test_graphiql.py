"""GraphiQL offline (issue 11, point 8): a browser's GET /graphql is served from the package's own
assets; in demo mode it opens each role's example with that role's token; and headless Chromium,
with every host but 127.0.0.1 unreachable, renders it and runs the public search.

The screenshot is kept under the test's tmp dir and copied to artefacten/graphiql.png (git-ignored).
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
from pathlib import Path
from typing import Any

import httpx
from chromium import bewaar
from chromium import chromium as _chromium
from chromium import wacht as _wacht
from conftest import Api
from serverproces import demo_omgeving, draaiende_server

from lerarenregister.http.graphiql import manifest

ROOT = Path(__file__).resolve().parent.parent
HTML = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


async def test_pagina_en_eigen_bestanden(api: Api) -> None:
    assert api.client is not None
    r = await api.client.get("/graphql", headers=HTML)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", r.text), "the page loads something from elsewhere"
    bestanden = re.findall(r"""(?:src|href)="(/graphiql/[^"]+)\"""", r.text)
    assert len(bestanden) == 4, bestanden
    for pad in bestanden:
        naam = pad.rsplit("/", 1)[1]
        r = await api.client.get(pad, headers={"Accept-Encoding": "identity"})
        assert r.status_code == 200 and "content-encoding" not in r.headers, pad
        assert hashlib.sha256(r.content).hexdigest() == manifest()[naam]["sha256"], pad
        r = await api.client.get(pad, headers={"Accept-Encoding": "gzip"})
        assert (
            r.headers["content-encoding"] == "gzip"
            and hashlib.sha256(r.content).hexdigest() == manifest()[naam]["sha256"]
        ), pad  # httpx decodes it
        r = await api.client.get(pad, headers={"If-None-Match": r.headers["etag"]})
        assert r.status_code == 304
    assert (await api.client.get("/graphiql/../../settings.py")).status_code == 404
    assert (await api.client.get("/graphiql/nope.js")).status_code == 404
    # Outside demo mode: one public tab and no token anywhere.
    tabs = _tabbladen((await api.client.get("/graphql", headers=HTML)).text)
    assert len(tabs) == 1 and "zoekLeraren" in tabs[0]["query"] and "headers" not in tabs[0]


def test_vendored_versies_en_licenties() -> None:
    m = manifest()
    assert {v["bron"].split("/")[0] for v in m.values()} == {"graphiql@3.8.3", "react@18.2.0", "react-dom@18.2.0"}
    licenties = (ROOT / "lerarenregister" / "graphiql" / "THIRD_PARTY_LICENSES.txt").read_text()
    for pakket in ("graphiql@3.8.3", "react@18.2.0", "react-dom@18.2.0", "codemirror@", "graphql@"):
        assert f"\n{pakket}" in licenties, pakket


def _tabbladen(pagina: str) -> list[dict[str, str]]:
    gevonden = re.search(r"const instellingen = (\{.*?\});\n", pagina)
    assert gevonden, "no settings in the page"
    return json.loads(gevonden.group(1))["tabs"]


def test_graphiql_offline_in_chromium(tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    with draaiende_server(tmp_path / "demo", demo_omgeving(tmp_path / "demo"), wacht_seconden=180) as basis:
        # Demo mode: a tab per role, each role's token in its headers (the public one without).
        tabs = _tabbladen(httpx.get(f"{basis}/graphql", headers=HTML).text)
        rollen = [t["query"].split("\n")[0] for t in tabs]
        assert [r.split(":")[0].split(" ")[1] for r in rollen] == [
            "publiek",
            "leraar",
            "leraar",
            "schoolbestuur",
            "duo",
            "aanbieder",
            "beroepsgroep",
        ], rollen
        assert "headers" not in tabs[0] and all("Bearer ey" in t["headers"] for t in tabs[1:])
        for t in tabs[1:]:
            token = json.loads(t["headers"])["Authorization"].split()[1]
            claims = json.loads(base64.urlsafe_b64decode(token.split(".")[1] + "=="))
            assert t["query"].startswith(f"# {claims['rol']}"), (t["query"][:60], claims["rol"])

        driver = _chromium(tmp_path / "profiel")
        scherm = tmp_path / "graphiql.png"
        try:
            driver.set_page_load_timeout(60)
            driver.get(f"{basis}/graphql")
            _wacht(
                driver,
                lambda: driver.find_elements(By.CSS_SELECTOR, ".graphiql-execute-button"),
                60,
                "GraphiQL did not render",
                scherm,
            )
            # GraphiQL has read the schema by introspection when the docs know the Query type.
            tabknoppen = _wacht(
                driver, lambda: driver.find_elements(By.CSS_SELECTOR, ".graphiql-tab"), 20, "no tabs", scherm
            )
            assert len(tabknoppen) == len(tabs), [k.text for k in tabknoppen]
            # The first tab is the public search: run it from the editor.
            tabknoppen[0].click()
            driver.find_element(By.CSS_SELECTOR, ".graphiql-execute-button").click()
            resultaat = _wacht(
                driver, lambda: _resultaat(driver, "totalCount"), 30, "the search result did not appear", scherm
            )
            antwoord = json.loads(resultaat)
            assert antwoord["data"]["zoekLeraren"]["totalCount"] >= 1, resultaat
            assert "Vries" in resultaat
            driver.save_screenshot(str(scherm))
            # The teacher's tab runs with the teacher's token from its headers.
            driver.find_elements(By.CSS_SELECTOR, ".graphiql-tab")[1].click()
            driver.find_element(By.CSS_SELECTOR, ".graphiql-execute-button").click()
            leraar = json.loads(
                _wacht(
                    driver,
                    lambda: _resultaat(driver, '"ik"'),
                    30,
                    "the teacher's answer did not appear",
                    tmp_path / "leraar.png",
                )
            )
            assert leraar["data"]["ik"]["registernummer"] and "errors" not in leraar, leraar
            # Everything the page loaded came from the register itself.
            bronnen = driver.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
            assert bronnen and all(b.startswith(basis) for b in bronnen), bronnen
            fouten = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
            assert fouten == [], fouten
        finally:
            driver.quit()
    bewaar(scherm)
    assert scherm.stat().st_size > 10_000


def _resultaat(driver: Any, teken: str) -> str | None:
    """The text of GraphiQL's result pane once it holds `teken` (CodeMirror 5 keeps it in its document)."""
    tekst = driver.execute_script(
        "const cm = document.querySelector('.graphiql-response .CodeMirror');"
        "return cm && cm.CodeMirror ? cm.CodeMirror.getValue() : null;"
    )
    return tekst if tekst and teken in tekst else None
