"""Rate limits (API.md, "Production", "Rate limits") over real HTTP: 429 with RATE_LIMITED and
Retry-After, the RateLimit-* headers on every /graphql answer, anonymous requests per client address,
X-Forwarded-For only from trusted proxies, tokens per verified issuer and sub, `uit`, and two real
server processes sharing one budget through a real redis-server that the test starts."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from conftest import AUDIENCE, ISSUER, SECRET, Api
from joserfc.jwk import RSAKey

from lerarenregister.http.snelheid import Budget, limiet
from lerarenregister.server import create_app
from lerarenregister.settings import Settings

# Anonymous and reaching the database: the refusal must come before any SQL.
LERAREN = "query($n: [String!]!) { leraren(registernummers: $n) { registernummer } }"
KOPPEN = ("ratelimit-limit", "ratelimit-remaining", "ratelimit-reset")
CLI = str(Path(sys.executable).with_name("lerarenregister"))


def register(api: Api, **instellingen: Any) -> Api:
    """The same store with other settings (a new server start)."""
    nieuw = Api(api.store, api.url, api.sleutels, api.vandaag)
    nieuw.settings = Settings(**{**api.settings.model_dump(), **instellingen})
    nieuw.app = create_app(nieuw.settings)
    return nieuw


async def vraag(
    a: Api, peer: str = "192.0.2.10", token: str | None = None, headers: Any = None, **kw: Any
) -> httpx.Response:
    """One /graphql request as it arrives from `peer` (the TCP peer the server sees); `headers` a dict
    or a list of pairs (a header sent twice)."""
    h = httpx.Headers(headers or {})
    if token:
        h["Authorization"] = f"Bearer {token}"
    transport = httpx.ASGITransport(app=a.app, client=(peer, 50123))
    async with httpx.AsyncClient(transport=transport, base_url="http://register.test") as client:
        if "content" in kw:  # a body as JSON (a POST without a content type is 415, GraphQL over HTTP)
            h.setdefault("Content-Type", "application/json")
            return await client.post("/graphql", content=kw["content"], headers=h)
        if "params" in kw:
            return await client.get("/graphql", params=kw["params"], headers=h)
        return await client.post(
            "/graphql", json={"query": kw.get("query", LERAREN), "variables": {"n": ["100000000"]}}, headers=h
        )


def stand(r: httpx.Response) -> tuple[int, int, int]:
    return int(r.headers["ratelimit-limit"]), int(r.headers["ratelimit-remaining"]), int(r.headers["ratelimit-reset"])


def geweigerd(r: httpx.Response) -> bool:
    if r.status_code != 429:
        return False
    assert r.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED", r.text
    assert 1 <= int(r.headers["retry-after"]) <= 3600, r.headers
    return True


async def test_boven_de_limiet_429_met_koppen_en_zonder_sql(api):
    async with register(api, limiet_publiek="3/hour") as a:
        for over in (2, 1):
            with a.tel() as t:
                r = await vraag(a)
            assert r.status_code == 200 and "errors" not in r.json(), r.text
            assert t.aantal > 0  # the request ran
            limiet, rest, reset = stand(r)
            assert (limiet, rest) == (3, over) and 0 < reset <= 3600
        # Every /graphql answer is counted and carries the headers, an invalid request too.
        r = await vraag(a, content=b"{not json")
        assert r.status_code == 400 and stand(r)[:2] == (3, 0), r.headers
        with a.tel() as t:
            r = await vraag(a)
        assert geweigerd(r), r.text
        assert t.aantal == 0  # refused before any SQL
        assert stand(r)[:2] == (3, 0) and int(r.headers["retry-after"]) >= stand(r)[2]
        # GET is counted against the same budget.
        assert geweigerd(await vraag(a, params={"query": "{ __typename }"}))
        # Other paths are not rate limited.
        assert (await a.client.get("/health")).status_code == 200


async def test_anoniem_per_adres(api):
    async with register(api, limiet_publiek="2/hour") as a:
        for _ in range(2):
            assert (await vraag(a, peer="198.51.100.7")).status_code == 200
        assert geweigerd(await vraag(a, peer="198.51.100.7"))
        r = await vraag(a, peer="198.51.100.8")
        assert r.status_code == 200 and stand(r)[1] == 1
        # One IPv6 client holds a /64: its addresses share one budget.
        assert (await vraag(a, peer="2001:db8:1:2::1")).status_code == 200
        assert (await vraag(a, peer="2001:db8:1:2::ffff")).status_code == 200
        assert geweigerd(await vraag(a, peer="2001:db8:1:2:aaaa::3"))
        assert (await vraag(a, peer="2001:db8:1:3::1")).status_code == 200


async def test_x_forwarded_for_alleen_van_vertrouwde_proxies(api):
    async with register(api, limiet_publiek="1/hour", vertrouwde_proxies="10.0.0.0/8, fd00::/8") as a:
        # From an untrusted peer the header is ignored: a new value each time buys nothing.
        assert (await vraag(a, peer="192.0.2.1", headers={"X-Forwarded-For": "198.51.100.1"})).status_code == 200
        assert geweigerd(await vraag(a, peer="192.0.2.1", headers={"X-Forwarded-For": "198.51.100.2"}))
        # From a trusted proxy: the right-most entry that is no trusted proxy is the client.
        proxy = "10.0.0.5"
        assert (await vraag(a, peer=proxy, headers={"X-Forwarded-For": "198.51.100.1"})).status_code == 200
        # What the client wrote itself (left of what the proxy appended) is not believed.
        assert geweigerd(await vraag(a, peer=proxy, headers={"X-Forwarded-For": "203.0.113.9, 198.51.100.1"}))
        # Through two trusted proxies, and a second header line.
        assert geweigerd(
            await vraag(a, peer=proxy, headers=[("X-Forwarded-For", "198.51.100.1"), ("X-Forwarded-For", "10.1.2.3")])
        )
        r = await vraag(a, peer="fd00::1", headers={"X-Forwarded-For": "198.51.100.3:4433, [fd00::2]:80, 10.9.9.9"})
        assert r.status_code == 200
        assert geweigerd(await vraag(a, peer=proxy, headers={"X-Forwarded-For": "198.51.100.3"}))
        # The proxy itself is not refused for its clients' sake.
        assert (await vraag(a, peer=proxy, headers={"X-Forwarded-For": "198.51.100.4"})).status_code == 200


async def test_kapotte_x_forwarded_for_telt_tegen_de_proxy(api):
    async with register(api, limiet_publiek="1/hour", vertrouwde_proxies="10.0.0.0/8") as a:
        rommel = [
            "rommel",
            "",
            ",,,",
            "999.1.1.1",
            "[::1",
            "::::::",
            "1.2.3.4:5:6",
            b"\xff1.1.1.1",
            "x" * 5000,
            "2001:db8::1%",
            "unknown, 198.51.100.9",
        ]
        statussen = [(await vraag(a, peer="10.0.0.9", headers={"X-Forwarded-For": w})).status_code for w in rommel]
        # Rubbish behind a trusted proxy counts against that proxy (it cannot buy a fresh budget); an
        # address right of the rubbish is the client as usual.
        assert statussen[:-1] == [200] + [429] * (len(rommel) - 2), statussen
        assert statussen[-1] == 200


async def test_tokens_per_geverifieerde_sub(api):
    s = api.sleutels
    async with register(api, limiet_publiek="1/hour", limiet_aangemeld="2/hour") as a:
        eerste = s.token("duo", sub="systeem-a")
        for over in (1, 0):
            r = await vraag(a, token=eerste, query="{ __typename }")
            assert r.status_code == 200 and stand(r)[:2] == (2, over), r.text
        # Another token for the same sub (as a refresh gives) shares the budget; another sub has its own.
        assert geweigerd(await vraag(a, token=s.token("duo", sub="systeem-a", jti="2"), query="{ __typename }"))
        r = await vraag(a, token=s.token("duo", sub="systeem-b"), query="{ __typename }")
        assert r.status_code == 200 and stand(r)[:2] == (2, 1)
        # The address's anonymous budget is separate from the tokens sent from it.
        r = await vraag(a)
        assert r.status_code == 200 and stand(r)[:2] == (1, 0)
        assert geweigerd(await vraag(a))


async def test_slecht_token_telt_tegen_het_adres_nooit_tegen_zijn_sub(api):
    s = api.sleutels
    vreemd = RSAKey.generate_key(2048, parameters={"kid": "test-1"}, private=True)
    async with register(api, limiet_publiek="2/hour", limiet_aangemeld="2/hour") as a:
        # Forged with another key, naming a real sub: 401 under the address's public limit.
        vals = s.token("duo", sub="systeem-a", sleutel=vreemd)
        r = await vraag(a, peer="198.51.100.20", token=vals)
        assert r.status_code == 401 and stand(r)[:2] == (2, 1), r.text
        r = await vraag(a, peer="198.51.100.20", headers={"Authorization": "Bearer nep.nep.nep"})
        assert r.status_code == 401 and stand(r)[:2] == (2, 0), r.text
        assert geweigerd(await vraag(a, peer="198.51.100.20", token=s.token("duo", sub="systeem-a", exp=1)))
        # The real holder of that sub has lost nothing.
        r = await vraag(a, peer="198.51.100.20", token=s.token("duo", sub="systeem-a"), query="{ __typename }")
        assert r.status_code == 200 and stand(r)[:2] == (2, 1), r.text


async def test_uit(api):
    async with register(api, limiet_publiek="uit", limiet_aangemeld="uit") as a:
        for _ in range(25):
            r = await vraag(a, token=api.sleutels.duo(), query="{ __typename }")
            assert r.status_code == 200 and not any(k in r.headers for k in KOPPEN)
            r = await vraag(a)
            assert r.status_code == 200 and not any(k in r.headers for k in KOPPEN)
    async with register(api, limiet_publiek="uit", limiet_aangemeld="1/hour") as a:
        for _ in range(3):
            r = await vraag(a)
            assert r.status_code == 200 and not any(k in r.headers for k in KOPPEN)
        assert (await vraag(a, token=api.sleutels.duo(), query="{ __typename }")).status_code == 200
        assert geweigerd(await vraag(a, token=api.sleutels.duo(), query="{ __typename }"))


async def test_onbereikbare_redis_telt_per_worker(api):
    """No Redis listening: neither an error nor a free pass; this worker counts on its own."""
    async with register(api, limiet_publiek="2/hour", redis_url=f"redis://127.0.0.1:{_vrije_poort()}/0") as a:
        for over in (1, 0):
            r = await vraag(a)
            assert r.status_code == 200 and "errors" not in r.json(), r.text
            assert stand(r)[:2] == (2, over)
        assert geweigerd(await vraag(a))


def test_budgetsleutel_is_die_van_limits():
    """The counter's key is built by joining strings for speed; it must stay the library's own
    (a Redis shared with workers of another version counts on the same keys)."""
    for tekst, soort in (("600/minute", "publiek"), ("6000 per 2 hours", "aangemeld"), ("1/second", "publiek")):
        item = limiet(tekst)
        budget = Budget.van(item, soort)
        assert item is not None and budget is not None
        for wie in ("10.0.0.1", "2001:db8::/64", "a" * 32, "", "x/y:z"):
            assert budget.sleutel(wie) == item.key_for(f"{soort}:{wie}")
        assert budget.expiry == item.get_expiry() and budget.limiet == str(item.amount).encode()
    assert Budget.van(limiet("uit"), "publiek") is None


def test_ongeldige_instellingen_weigeren_de_start():
    for fout in ({"limiet_publiek": "veel"}, {"limiet_aangemeld": "10/eeuw"}, {"vertrouwde_proxies": "10.0.0.0/8,nee"}):
        with pytest.raises(ValueError):
            Settings(**fout)


# --- Two server processes, one budget on a real Redis -------------------------------------------------


def _vrije_poort() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wacht(controle: Any, wat: str, proces: subprocess.Popen[bytes], log: Path) -> None:
    """Until `controle()` holds; a failure (never a skip) when the process dies or does not get there."""
    for _ in range(600):
        if proces.poll() is not None:
            pytest.fail(f"{wat} stopped (exit {proces.returncode}): {log.read_text(errors='replace')[-2000:]}")
        try:
            if controle():
                return
        except (OSError, httpx.HTTPError):
            pass
        time.sleep(0.05)
    pytest.fail(f"{wat} did not come up: {log.read_text(errors='replace')[-2000:]}")


def _redis_antwoordt(poort: int) -> bool:
    with socket.create_connection(("127.0.0.1", poort), timeout=1) as s:
        s.sendall(b"PING\r\n")
        return s.recv(16).startswith(b"+PONG")


@pytest.fixture
def redis_url(tmp_path: Path) -> Iterator[str]:
    """A redis-server of this test's own on a free port; `make test` installs the Debian package."""
    binair = shutil.which("redis-server") or (
        "/usr/bin/redis-server" if Path("/usr/bin/redis-server").exists() else None
    )
    if binair is None:
        pytest.fail("redis-server is not installed: run `make test` (it installs the Debian package redis-server)")
    poort = _vrije_poort()
    map_ = tmp_path / "redis"
    map_.mkdir()
    log = map_ / "redis.log"
    proces = subprocess.Popen(
        [
            binair,
            "--port",
            str(poort),
            "--bind",
            "127.0.0.1",
            "--dir",
            str(map_),
            "--save",
            "",
            "--appendonly",
            "no",
            "--daemonize",
            "no",
            "--logfile",
            str(log),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
    )
    try:
        log.touch()
        _wacht(lambda: _redis_antwoordt(poort), "redis-server", proces, log)
        yield f"redis://127.0.0.1:{poort}/0"
    finally:
        proces.terminate()
        proces.wait(timeout=30)


def _server(tmp_path: Path, naam: str, sleutels: Any, redis_url: str) -> tuple[str, subprocess.Popen[bytes], Any]:
    poort = _vrije_poort()
    env = {k: v for k, v in os.environ.items() if not k.startswith("REGISTER_")}
    env.update(
        {
            # A database each: the budget is all they share.
            "REGISTER_DATABASE_URL": f"sqlite:///{tmp_path / naam / 'register.sqlite3'}",
            "REGISTER_OIDC_ISSUER": ISSUER,
            "REGISTER_OIDC_AUDIENCE": AUDIENCE,
            "REGISTER_OIDC_JWKS": str(sleutels.jwks_pad),
            "REGISTER_SECRET_KEY": SECRET,
            "REGISTER_REDIS_URL": redis_url,
            "REGISTER_LIMIET_PUBLIEK": "5/hour",
            "REGISTER_LIMIET_AANGEMELD": "3/hour",
        }
    )
    (tmp_path / naam).mkdir()
    log = tmp_path / naam / "server.log"
    uit = log.open("wb")
    proces = subprocess.Popen(
        [CLI, "serve", "--host", "127.0.0.1", "--port", str(poort)],
        env=env,
        cwd=tmp_path / naam,
        stdout=uit,
        stderr=subprocess.STDOUT,
    )
    basis = f"http://127.0.0.1:{poort}"
    return basis, proces, (log, uit)


def test_twee_servers_delen_een_budget_via_redis(tmp_path, sleutels, redis_url):
    servers = [_server(tmp_path, naam, sleutels, redis_url) for naam in ("a", "b")]
    try:
        for basis, proces, (log, _) in servers:
            _wacht(
                lambda basis=basis: httpx.get(f"{basis}/health", timeout=2).status_code == 200,
                f"server {basis}",
                proces,
                log,
            )
        a, b = (basis for basis, _, _ in servers)

        def post(basis: str, token: str | None = None) -> httpx.Response:
            h = {"Authorization": f"Bearer {token}"} if token else {}
            return httpx.post(f"{basis}/graphql", json={"query": "{ __typename }"}, headers=h, timeout=10)

        # Anonymous: one budget of 5 across both processes.
        resten = [stand(post(basis))[1] for basis in (a, b, a, b, a)]
        assert resten == [4, 3, 2, 1, 0]
        assert geweigerd(post(b)) and geweigerd(post(a))
        # A token: one budget of 3 for its sub across both.
        token = sleutels.token("duo", sub="gedeeld")
        assert [stand(post(basis, token))[1] for basis in (b, a, b)] == [2, 1, 0]
        assert geweigerd(post(a, token)) and geweigerd(post(b, token))
    finally:
        for _, proces, (_, uit) in servers:
            proces.terminate()
            proces.wait(timeout=30)
            uit.close()


def test_tellers_vaste_vensters_en_vegen():
    """In-process counters: a window starts at its first request and restarts at the first one after
    its end (at the end exactly too); two raw origins of one client share one counter; a sweep drops
    ended windows from both maps at once; the raw-origin map stays bounded."""
    from lerarenregister.http import tellers as t

    c = t.Tellers()
    assert c.tel("k", 60, 1000.0) == (1, 1060.0)
    assert c.tel("k", 60, 1059.9) == (2, 1060.0)
    assert c.tel("k", 60, 1060.0) == (1, 1120.0)  # the window's end belongs to the next one
    een = c.teller("a")
    c.onthoud(("127.0.0.1", "10.0.0.1"), een)
    c.onthoud(("127.0.0.1", " 10.0.0.1"), c.teller("a"))  # another spelling, the same client and key
    assert c.per_herkomst[("127.0.0.1", " 10.0.0.1")] is een
    een.tel(2000.0, 60)
    c.tel("a", 60, 2001.0)
    assert een.aantal == 2
    c.veeg(2061.0)  # both windows ended
    assert "a" not in c.per_sleutel and "k" not in c.per_sleutel and not c.per_herkomst
    assert c.volgende_veeg == 2062.0  # a second later at the earliest
    c.tel("b", 0, 2061.5)  # its window ends at once, and no sweep is due yet
    assert "b" in c.per_sleutel
    c.tel("c", 60, 2062.0)  # now one is
    assert "b" not in c.per_sleutel and "c" in c.per_sleutel
    assert c.tel("a", 60, 2062.0) == (1, 2122.0)
    for i in range(t.MAX_HERKOMSTEN + 10):
        c.onthoud(("p", str(i)), c.teller("a"))
    assert len(c.per_herkomst) <= t.MAX_HERKOMSTEN
    assert all(v is c.per_sleutel["a"] for v in c.per_herkomst.values())


async def test_snelle_weg_telt_als_de_sleutel(api):
    """The anonymous fast path (a raw origin's counter) and the path by key (tokens, Redis down)
    count on the same counters: requests by two spellings of one forwarded address share a budget."""
    async with register(api, limiet_publiek="3/hour", vertrouwde_proxies="192.0.2.0/24") as a:
        rest = []
        for xff in ("203.0.113.7", " 203.0.113.7", "198.51.100.1, 203.0.113.7"):
            r = await vraag(a, peer="192.0.2.1", headers={"X-Forwarded-For": xff})
            assert r.status_code == 200, r.text
            rest.append(stand(r)[1])
        assert rest == [2, 1, 0]
        assert geweigerd(await vraag(a, peer="192.0.2.2", headers={"X-Forwarded-For": "203.0.113.7"}))
        r = await vraag(a, peer="192.0.2.1", headers={"X-Forwarded-For": "203.0.113.8"})
        assert r.status_code == 200 and stand(r)[1] == 2


def test_besluit_koppen_uit_de_tabel_en_daarbuiten():
    """The RateLimit-* headers come ready from tables up to _TABEL_MAX and are formatted beyond
    them, with the same values either way; a window already ended says 0 seconds, never less."""
    from lerarenregister.http.snelheid import _TABEL_MAX, Budget, limiet

    groot = Budget.van(limiet("20000/day"), "publiek")
    assert groot is not None
    _, koppen, seconden, mag = groot.besluit(1, 1000.0 + 86400, 1000.0)
    assert mag and seconden == 86400
    assert dict(koppen) == {
        b"ratelimit-limit": b"20000",
        b"ratelimit-remaining": b"19999",  # beyond the table
        b"ratelimit-reset": b"86400",
    }
    _, koppen, _, _ = groot.besluit(20000 - _TABEL_MAX, 1000.0 + _TABEL_MAX, 1000.0)  # the tables' last entries
    assert dict(koppen)[b"ratelimit-remaining"] == str(_TABEL_MAX).encode()
    assert dict(koppen)[b"ratelimit-reset"] == str(_TABEL_MAX).encode()
    klein = Budget.van(limiet("5/minute"), "publiek")
    assert klein is not None
    _, koppen, seconden, mag = klein.besluit(7, 990.0, 1000.0)  # over the limit, the window past its end
    assert not mag and seconden == 0
    assert dict(koppen) == {
        b"ratelimit-limit": b"5",
        b"ratelimit-remaining": b"0",
        b"ratelimit-reset": b"0",
        b"retry-after": b"1",
    }
