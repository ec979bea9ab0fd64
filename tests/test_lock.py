"""Reproducible installs: `make install` installs requirements-test.lock (hashes required), and the lock
files fit pyproject.toml's dependency declarations (tools/lock.py)."""

from __future__ import annotations

import importlib.metadata
import importlib.util
import re
import shutil
from pathlib import Path

import pytest
from packaging.markers import Marker
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

WORTEL = Path(__file__).parent.parent
_spec = importlib.util.spec_from_file_location("lock", WORTEL / "tools" / "lock.py")
assert _spec and _spec.loader
lock = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(lock)


def _pins(pad: Path) -> dict[tuple[str, str], tuple[str, int]]:
    """(name, marker) -> (version, number of hashes), from a `uv pip compile --generate-hashes` file."""
    tekst = pad.read_text().replace("\\\n", " ")
    uit: dict[tuple[str, str], tuple[str, int]] = {}
    for regel in tekst.splitlines():
        if not regel.strip() or regel.lstrip().startswith("#"):
            continue
        eis, _, _ = regel.partition(" --hash")
        req = Requirement(eis.strip())
        [spec] = req.specifier
        assert spec.operator == "==", regel
        uit[(canonicalize_name(req.name), str(req.marker or ""))] = (spec.version, regel.count("--hash=sha256:"))
    return uit


def test_lock_past_bij_pyproject() -> None:
    assert lock.verouderd() == [], "run `make lock` and commit requirements*.lock"


@pytest.mark.parametrize("naam", ["requirements.lock", "requirements-test.lock"])
def test_elke_regel_vastgepind_met_hashes(naam: str) -> None:
    pins = _pins(WORTEL / naam)
    assert len(pins) > 20
    assert all(aantal >= 1 for _, aantal in pins.values())


def test_testlock_is_de_lock_plus_de_testextra() -> None:
    basis, test = _pins(WORTEL / "requirements.lock"), _pins(WORTEL / "requirements-test.lock")
    # The same versions and hashes by name (a test dependency may widen a shared package's marker:
    # selenium's trio needs cffi on Windows as well).
    per_naam = {naam: v for (naam, _), v in test.items()}
    assert {naam: per_naam.get(naam) for naam, _ in basis} == {naam: v for (naam, _), v in basis.items()}
    extra = {naam for naam, _ in test} - {naam for naam, _ in basis}
    assert {"pytest", "pytest-asyncio"} <= extra


def test_elke_gedeclareerde_afhankelijkheid_staat_erin() -> None:
    d = lock.declaraties()
    namen = {naam for naam, _ in _pins(WORTEL / "requirements-test.lock")}
    gedeclareerd = [*d["dependencies"], *d["optional-dependencies"]["test"], *d["build-system.requires"]]
    for eis in gedeclareerd:
        assert canonicalize_name(Requirement(eis).name) in namen, eis


def test_geinstalleerd_is_wat_de_lock_zegt() -> None:
    """The venv that runs this test was made by `make install`: every pin that applies here is installed
    at its version (a venv installed unpinned would differ as soon as a release comes out)."""
    verschil = []
    for (naam, marker), (versie, _) in _pins(WORTEL / "requirements-test.lock").items():
        if marker and not Marker(marker).evaluate():
            continue
        try:
            geinstalleerd = importlib.metadata.version(naam)
        except importlib.metadata.PackageNotFoundError:
            geinstalleerd = None
        if geinstalleerd != versie:
            verschil.append(f"{naam}: lock {versie}, installed {geinstalleerd}")
    assert verschil == [], verschil


def test_check_ziet_een_gewijzigde_afhankelijkheid(tmp_path: Path) -> None:
    for naam in ("pyproject.toml", "requirements.lock", "requirements-test.lock"):
        shutil.copy(WORTEL / naam, tmp_path / naam)
    pyproject = tmp_path / "pyproject.toml"
    locks = (tmp_path / "requirements.lock", tmp_path / "requirements-test.lock")
    assert lock.verouderd(pyproject, locks) == []

    # Other settings in pyproject.toml (pytest's) do not make the lock stale.
    pyproject.write_text(pyproject.read_text().replace('addopts = "', 'addopts = "-q '))
    assert lock.verouderd(pyproject, locks) == []

    for wijziging in [
        ('"redis>=5.0",', '"redis>=5.0",\n  "prometheus-client>=0.20",'),
        ('"pytest>=8"', '"pytest>=8.1"'),
        ('requires = ["setuptools>=68"]', 'requires = ["setuptools>=69"]'),
    ]:
        origineel = pyproject.read_text()
        assert wijziging[0] in origineel
        pyproject.write_text(origineel.replace(*wijziging))
        redenen = lock.verouderd(pyproject, locks)
        assert len(redenen) == 2 and all("other dependency declarations" in r for r in redenen), wijziging
        pyproject.write_text(origineel)

    locks[1].unlink()
    assert lock.verouderd(pyproject, locks) == ["requirements-test.lock is missing"]


def test_make_installeert_uit_de_lock() -> None:
    makefile = (WORTEL / "Makefile").read_text()
    regels = re.findall(r"^\t.*pip install.*$", makefile, flags=re.M)
    assert any("--require-hashes -r requirements-test.lock" in r for r in regels), regels
    assert all("--require-hashes" in r or "--no-deps" in r or "uv==" in r for r in regels), regels
    assert "tools/lock.py check" in makefile
