"""Real parts only: a real SQLite file and a real PostgreSQL database, real signed tokens, the real
ASGI app driven over HTTP with httpx.

Every test that takes `api` runs once per store. PostgreSQL being unreachable is a failure, never a
skip: a green run must mean both stores were tested.
"""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import json
import os
import re
import time
import uuid
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from joserfc import jwt
from joserfc.jwk import RSAKey
from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import create_async_engine

from lerarenregister.db import migrate
from lerarenregister.server import create_app
from lerarenregister.settings import Settings

ISSUER = "https://idp.test.lerarenregister.nl"
AUDIENCE = "lerarenregister-test"
SECRET = "test-secret-key-for-the-bsn-hash"
PG_ADMIN = os.environ.get("REGISTER_TEST_PG", "postgresql://postgres@127.0.0.1:5432/postgres")
VANDAAG = dt.date(2026, 11, 28)

# Tables in an order that respects foreign keys, for emptying between tests.
TABELLEN = [
    "bezwaar",
    "aantekening",
    "herregistratieperiode",
    "portfolio_bevoegdheid",
    "portfolio_activiteit",
    "foutmelding",
    "vrijwillig_account",
    "voorportaalinschrijving",
    "benoeming",
    "bevoegdheid",
    "leraar",
    "catalogus_activiteit",
    "aanbieder",
    "schoolbestuur",
    "herregistratiecriteria",
    "registernummer_teller",
    "inzagelog",
    "data_versie",
]


class Sleutels:
    """The test identity provider: a signing key whose public half is in a JWKS file."""

    def __init__(self, map_: Path):
        self.sleutel = RSAKey.generate_key(2048, parameters={"kid": "test-1"}, private=True)
        self.jwks_pad = map_ / "jwks.json"
        self.jwks_pad.write_text(json.dumps({"keys": [self.sleutel.as_dict(private=False)]}))

    def token(self, rol: str | None, *, sleutel: Any = None, kop: dict[str, Any] | None = None, **claims: Any) -> str:
        nu = int(time.time())
        inhoud: dict[str, Any] = {
            "iss": ISSUER,
            "aud": AUDIENCE,
            "iat": nu,
            "nbf": nu - 1,
            "exp": nu + 600,
            "sub": f"test-{rol}",
        }
        if rol is not None:
            inhoud["rol"] = rol
        inhoud.update(claims)
        inhoud = {k: v for k, v in inhoud.items() if v is not None}
        return jwt.encode(kop or {"alg": "RS256", "kid": "test-1"}, inhoud, sleutel or self.sleutel)

    def leraar(self, bsn: str) -> str:
        return self.token("leraar", bsn=bsn)

    def bestuur(self, nummer: str) -> str:
        return self.token("schoolbestuur", bevoegd_gezag=nummer)

    def duo(self) -> str:
        return self.token("duo")

    def aanbieder(self, code: str, naam: str | None = None) -> str:
        return self.token("aanbieder", aanbieder=code, name=naam)

    def beroepsgroep(self) -> str:
        return self.token("beroepsgroep")


@pytest.fixture(scope="session")
def sleutels(tmp_path_factory: pytest.TempPathFactory) -> Sleutels:
    return Sleutels(tmp_path_factory.mktemp("idp"))


def _pg_url(naam: str) -> str:
    basis = PG_ADMIN.rsplit("/", 1)[0].replace("postgresql://", "postgresql+asyncpg://", 1)
    return f"{basis}/{naam}"


async def _maak_pg_database(naam: str) -> None:
    engine = create_async_engine(_pg_url("postgres"), isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{naam}"'))
            await conn.execute(text(f'CREATE DATABASE "{naam}"'))
    finally:
        await engine.dispose()


async def _verwijder_pg_database(naam: str) -> None:
    engine = create_async_engine(_pg_url("postgres"), isolation_level="AUTOCOMMIT")
    try:
        async with engine.connect() as conn:
            await conn.execute(text(f'DROP DATABASE IF EXISTS "{naam}" WITH (FORCE)'))
    finally:
        await engine.dispose()


@pytest.fixture(scope="session")
def database_urls(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """One migrated database per store for the whole run."""
    sqlite_url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('sqlite') / 'register.sqlite3'}"
    migrate(sqlite_url)
    pg_naam = f"lr_test_{uuid.uuid4().hex[:8]}"
    try:
        asyncio.run(_maak_pg_database(pg_naam))
    except Exception as exc:  # fail, never skip: CI must not go green without PostgreSQL
        pytest.fail(f"PostgreSQL is not reachable at {PG_ADMIN}: {exc!r}. Start it (see README) and run again.")
    migrate(_pg_url(pg_naam))
    yield {"sqlite": sqlite_url, "postgres": _pg_url(pg_naam)}
    asyncio.run(_verwijder_pg_database(pg_naam))


async def leeg(url: str) -> None:
    """Empty every table and put back the rows the migration seeds."""
    engine = create_async_engine(url)
    try:
        async with engine.begin() as conn:
            if url.startswith("postgresql"):
                await conn.execute(text("TRUNCATE " + ", ".join(TABELLEN) + " RESTART IDENTITY CASCADE"))
            else:
                for t in TABELLEN:
                    await conn.execute(text(f"DELETE FROM {t}"))
                await conn.execute(text("DELETE FROM sqlite_sequence")) if await _heeft_sequence(conn) else None
            await conn.execute(
                text(
                    "INSERT INTO herregistratiecriteria (geldig_vanaf, totaal_uren, primair_proces_uren, "
                    "vakinhoudelijk_vo_uren) VALUES ('2018-08-01', 160, 100, 40)"
                )
            )
            await conn.execute(text("INSERT INTO registernummer_teller (id, volgende) VALUES (1, 100000000)"))
            await conn.execute(
                text("INSERT INTO data_versie (id, versie, gewijzigd_op) VALUES (1, 0, '2018-08-01T00:00:00+00:00')")
            )
    finally:
        await engine.dispose()


async def _heeft_sequence(conn: Any) -> bool:
    res = await conn.execute(text("SELECT name FROM sqlite_master WHERE name = 'sqlite_sequence'"))
    return res.first() is not None


class Api:
    """The real app over HTTP, as one store and one 'today'."""

    def __init__(
        self, store: str, url: str, sleutels: Sleutels, vandaag: dt.date, sporen: Any = None, **instellingen: Any
    ):
        self.store = store
        self.url = url
        self.sleutels = sleutels
        self.vandaag = vandaag
        self.instellingen = instellingen
        self.settings = Settings(
            **{
                "database_url": url,
                "oidc_issuer": ISSUER,
                "oidc_audience": AUDIENCE,
                "oidc_jwks": str(sleutels.jwks_pad),
                "secret_key": SECRET,
                "vandaag": vandaag,
                **instellingen,
            }
        )
        self.app = create_app(self.settings, sporen)  # sporen: traces to a test's exporter (test_sporen.py)
        self._lifespan: Any = None
        self.client: httpx.AsyncClient | None = None
        self.statements: list[str] = []
        self._tellen = False

    async def __aenter__(self) -> Api:
        self._lifespan = self.app.router.lifespan_context(self.app)
        await self._lifespan.__aenter__()
        event.listen(self.app.state.engine.sync_engine, "before_cursor_execute", self._tel)
        # The compiled path runs on a driver pool of its own, which reports its statements here.
        self.app.state.staat["luisteraars"].append(lambda tekst: self._tel(None, None, tekst))
        self.client = httpx.AsyncClient(transport=httpx.ASGITransport(app=self.app), base_url="http://register.test")
        return self

    async def __aexit__(self, *exc: Any) -> None:
        assert self.client is not None
        await self.client.aclose()
        await self._lifespan.__aexit__(*exc)

    def _tel(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if self._tellen:
            self.statements.append(statement)

    def tel(self) -> _Teller:
        """`with api.tel() as t: ...; t.aantal` counts the SQL statements of what runs inside."""
        return _Teller(self)

    async def post(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        token: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        assert self.client is not None
        h = dict(headers or {})
        if token:
            h["Authorization"] = f"Bearer {token}"
        return await self.client.post("/graphql", json={"query": query, "variables": variables or {}}, headers=h)

    async def gql(
        self, query: str, variables: dict[str, Any] | None = None, token: str | None = None
    ) -> dict[str, Any]:
        """The response body of a request that must be HTTP 200."""
        r = await self.post(query, variables, token)
        assert r.status_code == 200, r.text
        return r.json()

    async def ok(self, query: str, variables: dict[str, Any] | None = None, token: str | None = None) -> dict[str, Any]:
        """The data of a request that must succeed without any error."""
        body = await self.gql(query, variables, token)
        assert "errors" not in body, body
        return body["data"]

    def op(self, vandaag: dt.date) -> Api:
        """The same database with another 'today' (a new server start)."""
        return Api(self.store, self.url, self.sleutels, vandaag, **self.instellingen)


class _Teller:
    def __init__(self, api: Api):
        self.api = api
        self.aantal = 0

    def __enter__(self) -> _Teller:
        self.api.statements.clear()
        self.api._tellen = True
        return self

    def __exit__(self, *exc: Any) -> None:
        self.api._tellen = False
        self.aantal = len(self.api.statements)


@pytest.fixture(params=["sqlite", "postgres"])
async def api(request: pytest.FixtureRequest, database_urls: dict[str, str], sleutels: Sleutels) -> AsyncIterator[Api]:
    """The register on an empty database of each store, today being 2026-11-28."""
    url = database_urls[request.param]
    await leeg(url)
    # @pytest.mark.instellingen(max_kosten_publiek=..., ...): this test's register runs with these settings.
    marker = request.node.get_closest_marker("instellingen")
    async with Api(request.param, url, sleutels, VANDAAG, **(marker.kwargs if marker else {})) as a:
        yield a


def fouten(body: dict[str, Any], code: str | None = None) -> list[dict[str, Any]]:
    """The errors of a response, optionally only those with this code."""
    return [e for e in body.get("errors", []) if code is None or e.get("extensions", {}).get("code") == code]


def assert_forbidden(body: dict[str, Any], pad: list[Any]) -> None:
    """The field at `pad` was denied: null plus a FORBIDDEN error with that path."""
    paden = [e.get("path") for e in fouten(body, "FORBIDDEN")]
    assert pad in paden, f"no FORBIDDEN at {pad}: {body.get('errors')}"


# --- A guard for every test: no BSN a test sent ever comes back in a response (DOMAIN.md) -------------

_GEZIENE_BSNS: set[str] = set()
_BSN_IN_DOCUMENT = re.compile(r'\bbsn\s*:\s*"?(\d{9})(?!\d)')


def _bsns_in(waarde: Any, uit: set[str]) -> None:
    """Nine-digit values of every `bsn` key in a request's variables."""
    if isinstance(waarde, dict):
        for k, v in waarde.items():
            if k == "bsn" and isinstance(v, (str, int)) and len(str(v)) == 9 and str(v).isdigit():
                uit.add(str(v))
            else:
                _bsns_in(v, uit)
    elif isinstance(waarde, list):
        for v in waarde:
            _bsns_in(v, uit)


def _bsn_in_token(token: str | None) -> str | None:
    try:
        deel = (token or "").split(".")[1]
        claims = json.loads(base64.urlsafe_b64decode(deel + "=" * (-len(deel) % 4)))
        waarde = claims.get("bsn") if isinstance(claims, dict) else None
        return waarde if isinstance(waarde, str) else None
    except (ValueError, IndexError):  # not a JWT: nothing to remember
        return None


@pytest.fixture(autouse=True)
def bsn_wacht(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every `Api.post` of every test: remember the BSNs it sends, fail when any BSN seen comes back."""
    origineel = Api.post

    async def post(
        self: Api,
        query: str,
        variables: dict[str, Any] | None = None,
        token: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> httpx.Response:
        _bsns_in(variables, _GEZIENE_BSNS)
        _GEZIENE_BSNS.update(_BSN_IN_DOCUMENT.findall(query or ""))
        kop = (headers or {}).get("Authorization", "")
        for t in (token, kop.partition(" ")[2] or kop):
            if (b := _bsn_in_token(t)) is not None:
                _GEZIENE_BSNS.add(b)
        r = await origineel(self, query, variables, token, headers)
        cijferreeksen = set(re.findall(r"(?<!\d)\d{9}(?!\d)", r.text))
        gelekt = cijferreeksen & _GEZIENE_BSNS
        assert not gelekt, (
            f"a BSN sent by a test came back in a response (DOMAIN.md: never returned): {gelekt}: {r.text[:500]}"
        )
        return r

    monkeypatch.setattr(Api, "post", post)
