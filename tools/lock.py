"""The lock files that `make install` installs from, and the check that they match pyproject.toml.

    python3 tools/lock.py check               exit 1 when pyproject.toml's dependencies changed since the lock
    python3 tools/lock.py compile UV [--upgrade]   (re)write both lock files with uv (`make lock`, `make upgrade`)

requirements.lock       the register's own dependencies, the `otel` extra (traces) and the build backend
                        (setuptools): for deployments
requirements-test.lock  the same pins plus the `test` extra: what `make install` puts in .venv

Both carry every file's sha256 (pip installs them with --require-hashes) and are resolved for every
platform and Python version pyproject.toml allows (uv's --universal). Each starts with a fingerprint of
the dependency declarations of pyproject.toml (build-system.requires, requires-python, dependencies,
optional-dependencies) so that a changed declaration is caught whatever the files' dates; other parts
of pyproject.toml (the pytest settings, say) do not count. Runs on the system Python (3.11+: tomllib),
before .venv exists.
"""
from __future__ import annotations

import hashlib
import json
import subprocess
import sys
import tomllib
from pathlib import Path

WORTEL = Path(__file__).resolve().parent.parent
PYPROJECT = WORTEL / "pyproject.toml"
LOCK = WORTEL / "requirements.lock"
TEST_LOCK = WORTEL / "requirements-test.lock"
KOP = "# pyproject.toml dependencies: sha256="
OPDRACHT = "make lock"


def declaraties(pyproject: Path = PYPROJECT) -> dict[str, object]:
    data = tomllib.loads(pyproject.read_text())
    project = data.get("project", {})
    return {
        "build-system.requires": data.get("build-system", {}).get("requires", []),
        "requires-python": project.get("requires-python"),
        "dependencies": project.get("dependencies", []),
        "optional-dependencies": project.get("optional-dependencies", {}),
    }


def vingerafdruk(pyproject: Path = PYPROJECT) -> str:
    tekst = json.dumps(declaraties(pyproject), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(tekst.encode()).hexdigest()


def vastgelegd(lock: Path) -> str | None:
    """The fingerprint a lock file was made for (None: no fingerprint line)."""
    for regel in lock.read_text().splitlines():
        if regel.startswith(KOP):
            return regel[len(KOP):].split()[0]
    return None


def verouderd(pyproject: Path = PYPROJECT, locks: tuple[Path, ...] = (LOCK, TEST_LOCK)) -> list[str]:
    """Why the lock files do not fit pyproject.toml; empty when they do."""
    verwacht = vingerafdruk(pyproject)
    redenen = []
    for lock in locks:
        if not lock.exists():
            redenen.append(f"{lock.name} is missing")
        elif vastgelegd(lock) != verwacht:
            redenen.append(f"{lock.name} was made for other dependency declarations than pyproject.toml's")
    return redenen


def check() -> int:
    redenen = verouderd()
    if not redenen:
        return 0
    print("make: the lock files do not match pyproject.toml:", file=sys.stderr)
    for reden in redenen:
        print(f"  - {reden}", file=sys.stderr)
    print(f"make: a dependency was changed in pyproject.toml; run `{OPDRACHT}` and commit requirements*.lock "
          "with it (nothing was installed)", file=sys.stderr)
    return 1


def _stempel(lock: Path, afdruk: str) -> None:
    regels = [r for r in lock.read_text().splitlines() if not r.startswith(KOP)]
    lock.write_text("\n".join([f"{KOP}{afdruk} (run `{OPDRACHT}` after changing them)", *regels]) + "\n")


def compile_(uv: str, upgrade: bool) -> int:
    """requirements.lock first; the test lock is constrained by it, so both pin the same versions."""
    bouw = "\n".join(declaraties()["build-system.requires"]) + "\n"  # type: ignore[arg-type]
    gemeen = [uv, "pip", "compile", "--quiet", "--universal", "--generate-hashes",
              "--custom-compile-command", OPDRACHT, "--python", sys.executable]
    if upgrade:
        gemeen.append("--upgrade")
    stappen = [
        [*gemeen, "pyproject.toml", "-", "--extra", "otel", "-o", LOCK.name],
        [*gemeen, "pyproject.toml", "-", "--extra", "otel", "--extra", "test", "-c", LOCK.name, "-o", TEST_LOCK.name],
    ]
    for stap in stappen:
        # `-` is the build backend (pyproject.toml's build-system.requires): `make install` builds the
        # editable package without build isolation, from the locked setuptools.
        r = subprocess.run(stap, input=bouw, text=True, cwd=WORTEL)
        if r.returncode:
            return r.returncode
    afdruk = vingerafdruk()
    for lock in (LOCK, TEST_LOCK):
        _stempel(lock, afdruk)
    print(f"{LOCK.name}, {TEST_LOCK.name}: written; commit them with pyproject.toml")
    return 0


def main(argv: list[str]) -> int:
    if argv[:1] == ["check"] and len(argv) == 1:
        return check()
    if argv[:1] == ["compile"] and len(argv) in (2, 3) and argv[2:] in ([], ["--upgrade"]):
        return compile_(argv[1], upgrade=argv[2:] == ["--upgrade"])
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
