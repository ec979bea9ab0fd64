"""The register as its operators start it: `lerarenregister serve` in a process of its own, with its
own key set (REGISTER_OIDC_JWKS a file), database and REGISTER_VANDAAG, spoken to over real HTTP."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest
from conftest import AUDIENCE, ISSUER, SECRET
from gegevens import KLAARZETTEN, bsn, levering

CLI = str(Path(sys.executable).with_name("lerarenregister"))


def _vrije_poort() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _omgeving(tmp_path: Path, sleutels, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("REGISTER_")}
    env.update(
        {
            "REGISTER_DATABASE_URL": f"sqlite:///{tmp_path / 'db' / 'register.sqlite3'}",
            "REGISTER_OIDC_ISSUER": ISSUER,
            "REGISTER_OIDC_AUDIENCE": AUDIENCE,
            "REGISTER_OIDC_JWKS": str(sleutels.jwks_pad),
            "REGISTER_SECRET_KEY": SECRET,
            "REGISTER_VANDAAG": "2026-11-28",
        }
    )
    env.update(extra)
    return env


def test_serve_met_eigen_sleutels_over_http(tmp_path, sleutels):
    poort = _vrije_poort()
    proces = subprocess.Popen(
        [CLI, "serve", "--port", str(poort)],
        env=_omgeving(tmp_path, sleutels),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        cwd=tmp_path,
    )
    try:
        basis = f"http://127.0.0.1:{poort}"
        for _ in range(200):
            try:
                if httpx.get(f"{basis}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.1)
        else:
            pytest.fail("the server did not come up")
        b = bsn(31)
        r = httpx.post(
            f"{basis}/graphql",
            json={"query": KLAARZETTEN, "variables": {"leveringen": [levering(b)]}},
            headers={"Authorization": f"Bearer {sleutels.duo()}"},
        )
        assert r.json()["data"]["zetGegevensKlaar"]["nieuw"] == 1
        r = httpx.post(
            f"{basis}/graphql",
            json={"query": "{ ik { naam { weergavenaam } registratie { status } } }"},
            headers={"Authorization": f"Bearer {sleutels.leraar(b)}"},
        )
        assert r.json()["data"]["ik"] == {
            "naam": {"weergavenaam": "A.M. de Vries"},
            "registratie": {"status": "KLAARGEZET"},
        }
        # Not demo mode: no demo data was loaded, no demo key set is served, a demo token is refused.
        assert httpx.get(f"{basis}/.well-known/jwks.json").status_code == 404
        r = httpx.post(
            f"{basis}/graphql",
            json={"query": "{ herregistratiecriteria { totaalUren } }"},
            headers={"Authorization": "Bearer not.a.token"},
        )
        assert r.status_code == 401
        sdl = httpx.get(f"{basis}/schema.graphql").text
        assert "directive @zichtbaarVoor" in sdl
    finally:
        proces.terminate()
        uitvoer = proces.communicate(timeout=20)[0].decode()
    assert b not in uitvoer  # the BSN is in no log line of the server either
    assert "REGISTER_VANDAAG=2026-11-28 outside demo mode" in uitvoer  # a moved date is said out loud
    assert "eyJ" not in uitvoer  # and no token is ever printed outside demo mode


def test_serve_zonder_instellingen_start_niet_en_drukt_geen_token_af(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.startswith("REGISTER_")}
    env["REGISTER_DATABASE_URL"] = f"sqlite:///{tmp_path / 'db.sqlite3'}"
    uit = subprocess.run(
        [CLI, "serve", "--port", str(_vrije_poort())], env=env, capture_output=True, text=True, timeout=60, cwd=tmp_path
    )
    assert uit.returncode != 0 and "REGISTER_DEMO=true" in uit.stderr, uit.stderr
    assert "eyJ" not in uit.stdout + uit.stderr and not (tmp_path / ".lerarenregister").exists()


def test_half_ingestelde_oidc_wordt_geweigerd(tmp_path, sleutels):
    env = _omgeving(tmp_path, sleutels)
    del env["REGISTER_SECRET_KEY"]
    uit = subprocess.run([CLI, "migrate"], env=env, capture_output=True, text=True, timeout=60)
    assert uit.returncode != 0 and "REGISTER_SECRET_KEY" in uit.stderr
    env = _omgeving(tmp_path, sleutels)
    del env["REGISTER_OIDC_AUDIENCE"]
    uit = subprocess.run([CLI, "serve"], env=env, capture_output=True, text=True, timeout=60)
    assert uit.returncode != 0 and "REGISTER_OIDC_AUDIENCE" in uit.stderr


def test_token_alleen_in_demomodus(tmp_path, sleutels):
    uit = subprocess.run(
        [CLI, "token", "--rol", "duo"], env=_omgeving(tmp_path, sleutels), capture_output=True, text=True, timeout=60
    )
    assert uit.returncode != 0 and "demo mode" in uit.stderr
    env = {k: v for k, v in os.environ.items() if not k.startswith("REGISTER_")}
    env["REGISTER_DEMO_DIR"] = str(tmp_path / "demo")
    # Without REGISTER_DEMO no variable at all is no demo mode: the missing settings are named.
    uit = subprocess.run([CLI, "token", "--rol", "duo"], env=env, capture_output=True, text=True, timeout=60)
    assert uit.returncode != 0 and "REGISTER_OIDC_ISSUER" in uit.stderr and uit.stdout == "", uit.stderr
    env["REGISTER_DEMO"] = "true"
    uit = subprocess.run([CLI, "token", "--rol", "leraar"], env=env, capture_output=True, text=True, timeout=60)
    assert uit.returncode != 0 and "--bsn" in uit.stderr
    uit = subprocess.run([CLI, "token", "--rol", "duo"], env=env, capture_output=True, text=True, timeout=60)
    assert uit.returncode == 0 and uit.stdout.count(".") == 2


@pytest.mark.parametrize("naam,waarde", [("REGISTER_MAX_DEPTH", "0"), ("REGISTER_MAX_KOSTEN_PUBLIEK", "veel")])
def test_ongeldige_limiet_noemt_de_variabele(tmp_path, sleutels, naam, waarde):
    r = subprocess.run(
        [CLI, "migrate"],
        env=_omgeving(tmp_path, sleutels, **{naam: waarde}),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode != 0 and naam in r.stderr and "Traceback" not in r.stderr, r.stderr
