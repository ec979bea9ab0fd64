"""Headless Chromium for the browser tests (GraphiQL, the example pages): Debian's chromium and
chromedriver through Selenium, a fresh profile, and the network cut off but for 127.0.0.1.
Screenshots are kept under the test's tmp dir and copied to artefacten/ (git-ignored)."""

from __future__ import annotations

import shutil
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

ARTEFACTEN = Path(__file__).resolve().parent.parent / "artefacten"


def chromium(profiel: Path, venster: str = "1400,900") -> Any:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    for binair in ("/usr/bin/chromium", "/usr/bin/chromedriver"):
        if not Path(binair).exists():
            pytest.fail(
                f"{binair} is missing: install the Debian packages chromium and chromium-driver "
                "(make test does, as root)"
            )
    opties = webdriver.ChromeOptions()
    opties.binary_location = "/usr/bin/chromium"
    for vlag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        f"--user-data-dir={profiel}",
        f"--window-size={venster}",
        # The network cut off: every name but 127.0.0.1 resolves to nothing.
        "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
        "--proxy-server=http://127.0.0.1:9",
        "--proxy-bypass-list=127.0.0.1",
    ):
        opties.add_argument(vlag)
    # The explicit driver path keeps Selenium Manager from looking for one on the internet.
    return webdriver.Chrome(service=Service(executable_path="/usr/bin/chromedriver"), options=opties)


def bewaar(scherm: Path) -> None:
    """Keeps a screenshot as a test artefact in artefacten/."""
    ARTEFACTEN.mkdir(exist_ok=True)
    shutil.copyfile(scherm, ARTEFACTEN / scherm.name)


def heel_scherm(driver: Any, scherm: Path, breedte: int = 1400) -> None:
    """A screenshot of the whole page (the window made as tall as it), kept as an artefact."""
    driver.execute_script("window.scrollTo(0, 0)")
    driver.set_window_size(breedte, driver.execute_script("return document.documentElement.scrollHeight") + 120)
    driver.save_screenshot(str(scherm))
    bewaar(scherm)


def wacht(driver: Any, voorwaarde: Callable[[], Any], seconden: float, wat: str, artefact: Path) -> Any:
    """Polls `voorwaarde` until it gives something true; fails with a screenshot when it never does."""
    einde = time.monotonic() + seconden
    while time.monotonic() < einde:
        try:
            uitkomst = voorwaarde()
        except Exception:  # the page is still building
            uitkomst = None
        if uitkomst:
            return uitkomst
        time.sleep(0.25)
    driver.save_screenshot(str(artefact))
    bewaar(artefact)
    pytest.fail(f"{wat} within {seconden}s; screenshot {artefact}; page: {driver.page_source[:2000]}")
