"""The example pages (issue 14, points 2 and 3) in a real browser, on an origin of their own.

examples/ is served from one port (python -m http.server, as `make voorbeelden` does) and the
register, in demo mode with its demo data and JSON request logs, from another; headless Chromium
opens the pages there, so every request of theirs crosses origins under the register's CORS. The
public search finds a demo teacher, pages, and shows a refused input and the rate limit as a reader
would want them; the board's dashboard lists its staff with a warning, shows a delivery by DUO at
its next poll, and its polls with nothing changed are answered 304 (seen in the server's log).

Screenshots: artefacten/zoeken.png, zoeken-te-veel.png and dashboard.png (also in the tmp dir).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from chromium import chromium, heel_scherm, wacht
from conftest import VANDAAG
from serverproces import CLI, demo_omgeving, draaiende_server, vrije_poort

from lerarenregister import demo
from lerarenregister.demo.gegevens import UITGELICHT_BESTUUR
from lerarenregister.demo.laden import _levering  # the delivery the demo itself loads through

VOORBEELDEN = Path(__file__).resolve().parent.parent / "examples"
LIMIET_PUBLIEK = 30  # a minute: room for the searches below, and reached on purpose at the end
DE_VRIES = "A.M. de Vries"  # demo.py's featured teacher: at board 41207, voorportaal term running out


@pytest.fixture(scope="module")
def opstelling(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """The register in demo mode on one port, examples/ on another; both stopped afterwards."""
    map_ = tmp_path_factory.mktemp("voorbeelden")
    env = demo_omgeving(
        map_ / "demo",
        REGISTER_VANDAAG=VANDAAG.isoformat(),
        REGISTER_LOG_FORMAT="json",
        REGISTER_LIMIET_PUBLIEK=f"{LIMIET_PUBLIEK}/minute",
    )
    with draaiende_server(map_ / "demo", env, wacht_seconden=240) as api, statische_server(map_) as paginas:
        yield {"api": api, "paginas": paginas, "env": env, "log": map_ / "demo" / "server.log", "map": map_}


@contextlib.contextmanager
def statische_server(map_: Path) -> Iterator[str]:
    poort = vrije_poort()
    with (map_ / "paginas.log").open("wb") as uit:
        proces = subprocess.Popen(
            [sys.executable, "-m", "http.server", str(poort), "--bind", "127.0.0.1", "--directory", str(VOORBEELDEN)],
            stdout=uit,
            stderr=subprocess.STDOUT,
        )
    basis = f"http://127.0.0.1:{poort}"
    try:
        einde = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{basis}/zoeken/", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if proces.poll() is not None or time.monotonic() > einde:
                pytest.fail(f"the static server did not come up: {(map_ / 'paginas.log').read_text()[-2000:]}")
            time.sleep(0.1)
        yield basis
    finally:
        proces.terminate()
        proces.wait(timeout=20)


def token(env: dict[str, str], *argumenten: str) -> str:
    """A demo token, minted as the README says (`lerarenregister token`)."""
    uit = subprocess.run([CLI, "token", *argumenten], env=env, capture_output=True, text=True, timeout=60, check=True)
    return uit.stdout.strip().split()[-1]


def test_dashboard(opstelling: dict[str, Any], tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    api, paginas, env = opstelling["api"], opstelling["paginas"], opstelling["env"]
    bestuur = token(env, "--rol", "schoolbestuur", "--bevoegd-gezag", UITGELICHT_BESTUUR.nummer)
    duo = token(env, "--rol", "duo")
    ids = {tekst.split()[1].split("(")[0]: id_ for id_, tekst in httpx.get(f"{api}/documenten.json").json().items()}
    driver = chromium(tmp_path / "profiel", venster="1400,1000")
    scherm = tmp_path / "dashboard.png"
    try:
        driver.get(f"{paginas}/dashboard/?api={api}&interval=2")
        # A token the register refuses (401, read across origins): said so, and nothing polls on.
        driver.find_element(By.ID, "token").send_keys("verlopen")
        driver.find_element(By.CSS_SELECTOR, "#aanmelden button").click()
        fout = wacht(driver, lambda: melding(driver, "UNAUTHENTICATED"), 30, "the refused token", scherm)
        assert fout.startswith("Het token is ongeldig of verlopen\nPlak een nieuw token."), fout
        assert driver.find_element(By.ID, "verversing").text == "Verversen gestopt."
        driver.find_element(By.ID, "token").clear()
        driver.find_element(By.ID, "token").send_keys(f"export LR_BESTUUR={bestuur}")  # as make demo prints it
        driver.find_element(By.CSS_SELECTOR, "#aanmelden button").click()
        wacht(
            driver, lambda: "medewerkers getoond" in driver.find_element(By.ID, "status").text, 60, "the staff", scherm
        )
        assert melding(driver, "UNAUTHENTICATED") is None  # the refusal is gone with the answer
        assert UITGELICHT_BESTUUR.naam in driver.find_element(By.ID, "bestuur").text
        driver.find_element(By.ID, "met-waarschuwing").click()
        # The same list as the register gives the board for that filter, every row with a warning.
        verwacht = httpx.get(
            f"{api}/graphql",
            headers={"Authorization": f"Bearer {bestuur}"},
            params={
                "documentId": ids["BestuurPersoneel"],
                "variables": json.dumps({"filter": {"metWaarschuwing": True}, "first": 50}),
            },
        ).json()
        medewerkers = verwacht["data"]["mijnSchoolbestuur"]["medewerkers"]
        wacht(
            driver,
            lambda: (
                driver.find_element(By.ID, "bijschrift").text
                == f"Medewerkers met een waarschuwing: {medewerkers['totalCount']}"
            ),
            30,
            "the filtered staff",
            scherm,
        )
        rijen = driver.find_elements(By.CSS_SELECTOR, "#personeel tbody tr")
        assert [r.get_attribute("data-registernummer") for r in rijen] == [
            e["node"]["registernummer"] for e in medewerkers["edges"]
        ]
        assert all(r.find_elements(By.CSS_SELECTOR, "li[data-soort]") for r in rijen)
        nummer = next(
            e["node"]["registernummer"] for e in medewerkers["edges"] if e["node"]["naam"]["weergavenaam"] == DE_VRIES
        )
        rij = lambda: driver.find_element(By.CSS_SELECTOR, f'tr[data-registernummer="{nummer}"]')  # noqa: E731
        assert soorten(rij()) == {"VOORPORTAALTERMIJN_VERLOOPT", "ACHTER_OP_SCHEMA"}
        assert rij().find_elements(By.CSS_SELECTOR, 'li[data-vak="Natuurkunde"]:not([data-afgesloten])')
        assert "Ongewijzigd sinds het laden" in driver.find_element(By.ID, "verversing").text

        # DUO delivers her physics qualification: her voorportaal entry closes and its warning goes.
        de_vries = next(x for x in demo.demo_plan(VANDAAG) if x.weergavenaam == DE_VRIES)
        # demo.py's own delivery of her (the full state, as DUO sends it), with the new bevoegdheid.
        nieuw = ("Natuurkunde", "TWEEDEGRAADS", VANDAAG - dt.timedelta(days=30))
        levering = _levering(de_vries, [*de_vries.bevoegdheden, nieuw])
        r = httpx.post(
            f"{api}/graphql",
            headers={"Authorization": f"Bearer {duo}"},
            json={"documentId": ids["DuoLevering"], "variables": {"leveringen": [levering]}},
        )
        assert r.json() == {
            "data": {"zetGegevensKlaar": {"nieuw": 0, "gewijzigd": 1, "ongewijzigd": 0, "registernummers": [nummer]}}
        }, r.text
        wacht(
            driver,
            lambda: "gewijzigd" in rij().get_attribute("class").split(),
            30,
            "the delivery at the next poll",
            scherm,
        )
        getoond = opstelling["log"].stat().st_size
        assert soorten(rij()) == {"ACHTER_OP_SCHEMA"}
        assert (
            "Natuurkunde: afgesloten, nu bevoegd"
            in rij().find_element(By.CSS_SELECTOR, 'li[data-vak="Natuurkunde"][data-afgesloten]').text
        )
        assert driver.find_element(By.ID, "status").text == f"Gewijzigd: {DE_VRIES}."
        assert "Laatst gewijzigd om" in driver.find_element(By.ID, "verversing").text
        assert [
            li.get_attribute("data-registernummer") for li in driver.find_elements(By.CSS_SELECTOR, "#gewijzigd li")
        ] == [nummer]

        # The polls after it, with nothing changed: the register answers the browser's own
        # If-None-Match with 304, without running the operation: both documents of a poll.
        def ongewijzigd() -> list[dict[str, Any]]:
            return [
                regel
                for regel in verzoeken_sinds(opstelling["log"], getoond)
                if regel["status"] == 304 and regel["doelgroep"] == "schoolbestuur"
            ]

        wacht(
            driver,
            lambda: {r["operatie"] for r in ongewijzigd()} == {"BestuurPersoneel", "BestuurWijzigingen"},
            30,
            "a poll of each document answered 304",
            tmp_path / "dashboard-304.png",
        )
        assert all(regel["methode"] == "GET" and regel["pad"] == "/graphql" for regel in ongewijzigd())
        assert rij().get_attribute("class") == "gewijzigd"  # still shown as changed, not changed again
        assert_alleen_van(driver, paginas, api)
        # The console: nothing but the browser's own line for the refused token's 401.
        assert [
            e
            for e in driver.get_log("browser")
            if e["level"] == "SEVERE" and "responded with a status of 401" not in e["message"]
        ] == []
        heel_scherm(driver, scherm)
    finally:
        driver.quit()


def test_zoeken(opstelling: dict[str, Any], tmp_path: Path) -> None:
    from selenium.webdriver.common.by import By

    api, paginas = opstelling["api"], opstelling["paginas"]
    driver = chromium(tmp_path / "profiel", venster="1400,1000")
    scherm = tmp_path / "zoeken.png"
    try:
        driver.get(f"{paginas}/zoeken/?api={api}")
        status = lambda: driver.find_element(By.ID, "status").text  # noqa: E731

        zoek(driver, "b")
        eerste = wacht(
            driver,
            lambda: re.search(r"(\d+) leraren gevonden voor ‘b’\. Resultaten 1–10 van \1", status()),
            60,
            "the first page of 'b'",
            scherm,
        )
        totaal = int(eerste.group(1))
        assert totaal > 10, status()
        namen_1 = namen(driver)
        assert len(namen_1) == 10 and all(n.split()[-1].lower().startswith("b") for n in namen_1), namen_1
        driver.find_element(By.ID, "volgende").click()
        wacht(driver, lambda: f"Resultaten 11–{min(20, totaal)} van {totaal}" in status(), 30, "page 2", scherm)
        namen_2 = namen(driver)
        assert namen_2 and not set(namen_2) & set(namen_1), (namen_1, namen_2)
        assert driver.find_element(By.ID, "bladzijde").text == f"Pagina 2 van {-(-totaal // 10)}"
        driver.find_element(By.ID, "vorige").click()
        wacht(driver, lambda: "Resultaten 1–10" in status() and namen(driver) == namen_1, 30, "back to page 1", scherm)

        zoek(driver, "de Vries")
        wacht(driver, lambda: "gevonden voor ‘de Vries’" in status(), 30, "the search for de Vries", scherm)
        kaart = next(
            k
            for k in driver.find_elements(By.CSS_SELECTOR, "li.leraar")
            if k.find_element(By.TAG_NAME, "h2").text == DE_VRIES
        )
        assert "Wiskunde, tweedegraads gekozen voor herregistratie" in kaart.text, kaart.text
        # The teachers and their choices are the public answer of the same search, asked directly.
        direct = httpx.post(
            f"{api}/graphql",
            json={
                "query": '{ zoekLeraren(zoekterm: "de Vries", first: 50) { '
                "edges { node { registernummer bevoegdheden { vak "
                "voorHerregistratie } } } } }"
            },
        ).json()
        assert kaarten(driver) == [
            (e["node"]["registernummer"], [(b["vak"], b["voorHerregistratie"]) for b in e["node"]["bevoegdheden"]])
            for e in direct["data"]["zoekLeraren"]["edges"]
        ]
        # Nothing came from anywhere but the two origins, and the console is clean (before the refusals).
        assert_alleen_van(driver, paginas, api)
        assert [e for e in driver.get_log("browser") if e["level"] == "SEVERE"] == []
        heel_scherm(driver, scherm)

        # Bad input: the register's BAD_USER_INPUT on zoekterm, explained in Dutch beside its own words.
        zoek(driver, "x" * 101)
        fout = wacht(driver, lambda: melding(driver, "BAD_USER_INPUT"), 30, "the refused input", scherm)
        assert "hoogstens 100 tekens" in fout and "Melding van het register: zoekterm:" in fout, fout
        assert driver.find_element(By.ID, "zoekterm").get_attribute("aria-invalid") == "true"
        assert namen(driver) == []

        # The rate limit: new searches until the register says 429; the page says when to try again.
        te_veel = tmp_path / "zoeken-te-veel.png"
        for i in range(LIMIET_PUBLIEK * 4):
            zoek(driver, f"q{i}")
            wacht(
                driver,
                lambda: f"‘q{i}’" in status() or melding(driver, "RATE_LIMITED"),  # noqa: B023  (called at once)
                30,
                f"an answer to search {i}",
                te_veel,
            )
            if melding(driver, "RATE_LIMITED"):
                break
        fout = melding(driver, "RATE_LIMITED")
        assert fout, "never rate limited"
        seconden = re.search(r"Probeer het over (\d+) seconden? opnieuw\.", fout)
        assert seconden and 1 <= int(seconden.group(1)) <= 60, fout
        assert not driver.find_element(By.ID, "zoekknop").is_enabled()  # until Retry-After has passed
        heel_scherm(driver, te_veel)
    finally:
        driver.quit()


def zoek(driver: Any, term: str) -> None:
    from selenium.webdriver.common.by import By

    veld = driver.find_element(By.ID, "zoekterm")
    driver.execute_script("arguments[0].value = arguments[1];", veld, term)  # 101 characters typed take long
    driver.find_element(By.ID, "zoekknop").click()


def namen(driver: Any) -> list[str]:
    from selenium.webdriver.common.by import By

    return [h.text for h in driver.find_elements(By.CSS_SELECTOR, "#resultaten li.leraar h2")]


def kaarten(driver: Any) -> list[tuple[str, list[tuple[str, bool]]]]:
    """Per teacher shown, in order: each bevoegdheid's vak and whether the page says it is chosen."""
    from selenium.webdriver.common.by import By

    return [
        (
            k.get_attribute("data-registernummer"),
            [
                (li.text.split(",")[0], li.find_element(By.CSS_SELECTOR, ".label").get_attribute("class") == "label ja")
                for li in k.find_elements(By.CSS_SELECTOR, "ul.bevoegdheden li")
            ],
        )
        for k in driver.find_elements(By.CSS_SELECTOR, "#resultaten li.leraar")
    ]


def melding(driver: Any, code: str) -> str | None:
    """The text of the page's error region when it shows an error with `code`."""
    from selenium.webdriver.common.by import By

    fout = driver.find_element(By.ID, "fout")
    return fout.text if fout.is_displayed() and fout.get_attribute("data-code") == code else None


def soorten(rij: Any) -> set[str]:
    from selenium.webdriver.common.by import By

    return {li.get_attribute("data-soort") for li in rij.find_elements(By.CSS_SELECTOR, "li[data-soort]")}


def assert_alleen_van(driver: Any, *herkomsten: str) -> None:
    """Everything the page loaded came from its own origin or the register's."""
    bronnen = driver.execute_script("return performance.getEntriesByType('resource').map(e => e.name)")
    assert bronnen and all(b.startswith(herkomsten) for b in bronnen), bronnen


def verzoeken_sinds(log: Path, vanaf: int) -> list[dict[str, Any]]:
    """The server's request lines (REGISTER_LOG_FORMAT=json) written after byte `vanaf`."""
    with log.open("rb") as f:
        f.seek(vanaf)
        regels = [json.loads(r) for r in f.read().decode().splitlines() if r.startswith("{")]
    return [r for r in regels if r.get("logger") == "lerarenregister.verzoeken"]
