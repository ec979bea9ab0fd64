"""One Settings object, read from the environment (REGISTER_ prefix).

Demo mode only by REGISTER_DEMO=true: the server then signs its own tokens. Outside demo mode every
OIDC variable and the BSN hash key (at least 32 bytes) are required, and an unknown REGISTER_*
variable stops the start (API.md, "Who is asking").
"""

from __future__ import annotations

import datetime as dt
import ipaddress
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Literal
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from pydantic import NonNegativeInt, PositiveFloat, PositiveInt, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

AMSTERDAM = ZoneInfo("Europe/Amsterdam")
DEMO_ISSUER = "urn:lerarenregister:demo"
DEMO_AUDIENCE = "lerarenregister"
# Only ever used in demo mode; outside it REGISTER_SECRET_KEY is required.
DEMO_SECRET_KEY = "demo-only-secret-key-not-for-production"


# Variables with the prefix that are not settings of the server: read by the test suite only.
ALLEEN_VOOR_TESTS = frozenset(
    {
        "REGISTER_TEST_PG",
        "REGISTER_VIJANDIG_AANTAL",
        "REGISTER_VIJANDIG_SEED",
        "REGISTER_VIJANDIG_VERSLAG",
        "REGISTER_LEK_AANTAL",
    }
)
MIN_SLEUTEL_BYTES = 32  # the BSN hash's HMAC key: 256 bits


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class ConfigError(Exception):
    """The configuration cannot run a register; the message says why."""


def sporen_gevraagd(omgeving: Mapping[str, str] | None = None) -> bool:
    """Traces are asked for by OpenTelemetry's own variables, not REGISTER_ ones (README, "Traces"):
    an OTLP endpoint set, and the SDK not switched off."""
    omgeving = os.environ if omgeving is None else omgeving
    return (
        bool(omgeving.get("OTEL_EXPORTER_OTLP_ENDPOINT") or omgeving.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"))
        and omgeving.get("OTEL_SDK_DISABLED", "").strip().lower() != "true"
    )


def _sporen_fout(omgeving: Mapping[str, str]) -> str | None:
    """Why traces, asked for, cannot be sent; None when they can (or are not asked for)."""
    if not sporen_gevraagd(omgeving):
        return None
    protocol = omgeving.get("OTEL_EXPORTER_OTLP_TRACES_PROTOCOL") or omgeving.get("OTEL_EXPORTER_OTLP_PROTOCOL")
    if protocol and protocol != "http/protobuf":
        return f"OTEL_EXPORTER_OTLP_PROTOCOL={protocol}: this server sends traces over http/protobuf only"
    from importlib.util import find_spec

    if find_spec("opentelemetry") is None or find_spec("opentelemetry.exporter.otlp.proto.http") is None:
        return (
            "OTEL_EXPORTER_OTLP_ENDPOINT is set, but OpenTelemetry is not installed: "
            "pip install 'lerarenregister[otel]' (requirements.lock has it)"
        )
    return None


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="REGISTER_", extra="ignore")

    database_url: str = "sqlite+aiosqlite:///lerarenregister.sqlite3"
    oidc_issuer: str | None = None
    oidc_audience: str | None = None
    oidc_jwks: str | None = None
    secret_key: str | None = None
    # The key before the current one, during a rotation (README, "Rotating the BSN key"): a delivery
    # finds a teacher hashed under it and re-keys the row; a login finds the teacher meanwhile.
    secret_key_vorige: str | None = None
    vandaag: dt.date | None = None
    # The date from which a standing aantekening means teaching only under supervision (FAQ 16, 24).
    gevolg_vanaf: dt.date = dt.date(2027, 8, 1)
    # Where demo mode keeps its signing key, so that `token` and `serve` agree.
    demo_dir: Path = Path(".lerarenregister")
    # Accepted signature algorithms: asymmetric only, so a public key can never act as an HMAC secret.
    algoritmen: tuple[str, ...] = ("RS256", "RS384", "RS512", "PS256", "ES256", "ES384", "EdDSA")
    token_leeway_seconds: int = 30
    jwks_cache_seconds: int = 300
    # Demo mode only when asked for (REGISTER_DEMO=true; `make demo` sets it): the server then signs
    # its own tokens and prints them. Never by a missing or misspelt variable.
    demo: bool = False
    demo_data: bool = True
    log_sql: bool = False

    # Limits checked before execution (API.md, "Production", Limits; README, "Limits").
    max_body_bytes: PositiveInt = 65536
    # DUO's delivery carries up to 1000 teachers in one call (about 400 KB): a verified DUO token may
    # send this much; every other caller, REGISTER_MAX_BODY_BYTES.
    max_body_bytes_duo: PositiveInt = 2 * 1024 * 1024
    max_depth: PositiveInt = 12
    max_kosten_publiek: PositiveInt = 50_000
    max_kosten_aangemeld: PositiveInt = 100_000

    # Trusted documents (API.md, "Production"): `uit`, `publiek` (anonymous callers send trusted
    # documents only) or `iedereen`.
    alleen_vertrouwd: Literal["uit", "publiek", "iedereen"] = "uit"

    # Browser clients (API.md, "Production", Browser clients): `*`, or comma-separated origins.
    cors_origins: str = "*"

    # The access log (API.md, "Production", Access log): how long its entries are kept.
    inzagelog_dagen: PositiveInt = 730

    # Faults: a slow read, a database gone, a stop (API.md, "Production"; README, "Faults and shutdown").
    # Read statements are bounded (0: not); writes never are. A database that does not answer a
    # connect within the connect timeout is SERVICE_UNAVAILABLE. On SIGTERM `serve` lets requests in
    # flight finish for at most the graceful shutdown time, then closes the pools.
    statement_timeout_ms: NonNegativeInt = 5000
    database_connect_timeout_seconds: PositiveFloat = 3.0
    graceful_shutdown_seconds: NonNegativeInt = 30

    # --- Rate limits (API.md "Production", "Rate limits"; lerarenregister/http/snelheid.py) ---
    # `<amount>/<period>` as the `limits` library reads it (`600/minute`, `10 per second`), or `uit`.
    limiet_publiek: str = "600/minute"  # anonymous requests (and bad tokens), per client address
    limiet_aangemeld: str = "6000/minute"  # requests with a verified token, per issuer and sub
    # Comma-separated CIDRs whose X-Forwarded-For is believed; empty: the peer is the client.
    vertrouwde_proxies: str = ""
    # Counters shared by every worker and instance (redis://host:port/db); unset: in-process.
    redis_url: str | None = None

    # --- Read replica (API.md "Production", "Operations"; lerarenregister/replica.py; README) ---
    # A PostgreSQL streaming replica for anonymous reads; writes and authenticated reads stay on the
    # primary. A replica that cannot be reached within its connect timeout, or drops a connection, is
    # left alone for the pause and its reads go to the primary meanwhile.
    database_read_url: str | None = None
    database_read_connect_timeout_seconds: PositiveFloat = 1.0
    database_read_pause_seconds: PositiveFloat = 5.0

    @field_validator("database_read_url")
    @classmethod
    def _read_url(cls, v: str | None) -> str | None:
        if not v:
            return None
        if v.startswith("postgresql://") or v.startswith("postgres://"):
            v = "postgresql+asyncpg://" + v.split("://", 1)[1]
        if not v.startswith("postgresql+asyncpg://"):
            raise ValueError("a read replica is a PostgreSQL URL (postgresql://...)")
        return v

    # --- Operations (API.md "Production", "Operations"; README, "Health, metrics, logs, workers") ---
    # Comma-separated CIDRs that may read /metrics besides loopback; anyone else gets 404.
    metrics_netwerken: str = ""
    # `tekst` (default) or `json`: one JSON object a line, uvicorn's own lines and a line per request.
    log_format: Literal["tekst", "json"] = "tekst"

    @field_validator("metrics_netwerken")
    @classmethod
    def _metrics_netwerken(cls, v: str) -> str:
        from .http.snelheid import netwerken

        netwerken(v)  # a CIDR that is none stops the start
        return v

    @field_validator("limiet_publiek", "limiet_aangemeld")
    @classmethod
    def _limiet(cls, v: str) -> str:
        from .http.snelheid import limiet

        limiet(v)  # a limit that cannot be read stops the start, not the first request
        return v

    @field_validator("vertrouwde_proxies")
    @classmethod
    def _proxies(cls, v: str) -> str:
        from .http.snelheid import netwerken

        netwerken(v)
        return v

    @field_validator("database_url")
    @classmethod
    def _async_driver(cls, v: str) -> str:
        if v.startswith("postgresql://") or v.startswith("postgres://"):
            return "postgresql+asyncpg://" + v.split("://", 1)[1]
        if v.startswith("sqlite:///"):
            return "sqlite+aiosqlite:///" + v[len("sqlite:///") :]
        return v

    @property
    def issuer(self) -> str:
        return self.oidc_issuer or DEMO_ISSUER

    @property
    def audience(self) -> str:
        return self.oidc_audience or DEMO_AUDIENCE

    @property
    def bsn_key(self) -> bytes:
        return (self.secret_key or DEMO_SECRET_KEY).encode()

    @property
    def bsn_key_vorige(self) -> bytes | None:
        return self.secret_key_vorige.encode() if self.secret_key_vorige else None

    def check(self, omgeving: Mapping[str, str] | None = None) -> None:
        """Refuse a half-configured register rather than run one that trusts nobody or everybody."""
        omgeving = os.environ if omgeving is None else omgeving
        bekend = {f"REGISTER_{naam.upper()}" for naam in type(self).model_fields} | ALLEEN_VOOR_TESTS
        onbekend = sorted(k for k in omgeving if k.startswith("REGISTER_") and k not in bekend)
        if onbekend:  # a typo must fail loudly, not leave a setting at its default
            raise ConfigError("unknown settings (a typo?): " + ", ".join(onbekend))
        if fout := _sporen_fout(omgeving):
            raise ConfigError(fout)
        if self.database_read_url and not self.database_url.startswith("postgresql"):
            raise ConfigError(
                "REGISTER_DATABASE_READ_URL is a replica of a PostgreSQL primary: "
                "REGISTER_DATABASE_URL must be PostgreSQL too"
            )
        oidc = [
            n
            for n, w in (
                ("REGISTER_OIDC_ISSUER", self.oidc_issuer),
                ("REGISTER_OIDC_AUDIENCE", self.oidc_audience),
                ("REGISTER_OIDC_JWKS", self.oidc_jwks),
            )
            if w
        ]
        if self.demo:
            if oidc:
                raise ConfigError("REGISTER_DEMO=true signs its own tokens; it cannot go with " + ", ".join(oidc))
            return
        missing = [
            name
            for name, value in (
                ("REGISTER_OIDC_ISSUER", self.oidc_issuer),
                ("REGISTER_OIDC_AUDIENCE", self.oidc_audience),
                ("REGISTER_OIDC_JWKS", self.oidc_jwks),
                ("REGISTER_SECRET_KEY", self.secret_key),
            )
            if not value
        ]
        if missing:
            raise ConfigError(
                "outside demo mode (REGISTER_DEMO=true) these settings are required: " + ", ".join(missing)
            )
        assert self.secret_key is not None and self.oidc_jwks is not None
        if self.secret_key == DEMO_SECRET_KEY:
            raise ConfigError("REGISTER_SECRET_KEY must not be the demo key outside demo mode")
        if len(self.secret_key.encode()) < MIN_SLEUTEL_BYTES:
            raise ConfigError(f"REGISTER_SECRET_KEY must have at least {MIN_SLEUTEL_BYTES} bytes")
        if self.secret_key_vorige is not None and self.secret_key_vorige == self.secret_key:
            raise ConfigError("REGISTER_SECRET_KEY_VORIGE is the previous key: it must differ from the current one")
        if "://" in self.oidc_jwks:
            url = urlsplit(self.oidc_jwks)
            if url.scheme != "https" and not (url.scheme == "http" and _is_loopback(url.hostname or "")):
                raise ConfigError("REGISTER_OIDC_JWKS must be an https URL (http only on loopback) or a file")

    def today(self) -> dt.date:
        """The register's today: REGISTER_VANDAAG, else today's date in Europe/Amsterdam."""
        return self.vandaag or dt.datetime.now(AMSTERDAM).date()
