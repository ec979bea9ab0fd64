"""Settings (API.md, "Who is asking"): demo mode only when asked for, a typo fails loudly, and a
production register gets a real key and a JWKS it can trust."""

from __future__ import annotations

import stat
from pathlib import Path
from typing import Any

import pytest

from lerarenregister.auth.demo import demo_sleutel
from lerarenregister.settings import ConfigError, Settings

SLEUTEL = "k" * 32


def _prod(**extra: Any) -> Settings:
    return Settings(
        oidc_issuer="https://idp.example",
        oidc_audience="lr",
        oidc_jwks="/etc/idp/jwks.json",
        secret_key=SLEUTEL,
        **extra,
    )


def test_geen_demomodus_zonder_erom_te_vragen() -> None:
    leeg = Settings()
    assert leeg.demo is False
    with pytest.raises(ConfigError, match="REGISTER_OIDC_ISSUER.*REGISTER_SECRET_KEY"):
        leeg.check({})
    Settings(demo=True).check({"REGISTER_DEMO": "true"})  # asked for: fine


def test_demo_met_oidc_is_een_fout() -> None:
    with pytest.raises(ConfigError, match="REGISTER_OIDC_ISSUER"):
        Settings(demo=True, oidc_issuer="https://idp.example").check({})


def test_onbekende_variabele_is_een_fout() -> None:
    with pytest.raises(ConfigError, match="REGISTER_OIDC_ISUER"):
        _prod().check({"REGISTER_OIDC_ISUER": "https://idp.example"})
    _prod().check({"REGISTER_MAX_DEPTH": "12", "REGISTER_TEST_PG": "postgresql://x"})  # known ones


@pytest.mark.parametrize("sleutel,goed", [("k" * 31, False), ("k" * 32, True), ("é" * 16, True)])
def test_sleutel_minstens_32_bytes(sleutel: str, goed: bool) -> None:
    s = Settings(
        oidc_issuer="https://idp.example", oidc_audience="lr", oidc_jwks="/etc/idp/jwks.json", secret_key=sleutel
    )
    if goed:
        s.check({})
    else:
        with pytest.raises(ConfigError, match="32 bytes"):
            s.check({})


@pytest.mark.parametrize(
    "jwks,goed",
    [
        ("https://idp.example/jwks", True),
        ("http://idp.example/jwks", False),
        ("http://127.0.0.1:8080/jwks", True),
        ("http://localhost/jwks", True),
        ("http://[::1]/jwks", True),
        ("ftp://idp.example/jwks", False),
        ("/etc/idp/jwks.json", True),
    ],
)
def test_jwks_via_https(jwks: str, goed: bool) -> None:
    s = Settings(oidc_issuer="https://idp.example", oidc_audience="lr", oidc_jwks=jwks, secret_key=SLEUTEL)
    if goed:
        s.check({})
    else:
        with pytest.raises(ConfigError, match="https"):
            s.check({})


def test_demosleutel_is_vanaf_het_begin_privé(tmp_path: Path) -> None:
    settings = Settings(demo=True, demo_dir=tmp_path / "demo")
    demo_sleutel(settings)
    pad = tmp_path / "demo" / "demo-signing-key.json"
    assert stat.S_IMODE(pad.stat().st_mode) == 0o600
    assert demo_sleutel(settings).as_dict(private=False) == demo_sleutel(settings).as_dict(private=False)
