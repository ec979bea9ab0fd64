"""Rate limits (API.md, "Production", "Rate limits") on /graphql, decided by the edge (http/rand.py).

Who a request counts against:
- a token that verifies: its issuer and `sub`, under REGISTER_LIMIET_AANGEMELD. Only a verified
  token chooses its counter; an unverified `sub` would let anyone spread a flood over made-up ones.
- every other request, one with a bad token included: its client address, under
  REGISTER_LIMIET_PUBLIEK. A bad token is refused with 401 anyway, and this way a flood of made-up
  tokens costs its sender the address's budget, as anonymous requests do.

The decision is made here, before the body is read and before any SQL: a refusal costs a token
check and one counter. Fixed windows that start at a client's first request: in this process
(http/tellers.py; an anonymous client asking again is one dictionary lookup), or on Redis
(REGISTER_REDIS_URL, the `limits` library's counters: one atomic increment and one expiry read),
where every worker and instance shares them. While Redis cannot be reached each worker counts on
its own (logged): the register neither refuses everyone nor counts no one.
"""

from __future__ import annotations

import enum
import functools
import hashlib
import logging
import math
import time
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network, ip_address, ip_network
from typing import Any

import orjson
from limits import RateLimitItem, parse
from limits.aio.storage import Storage
from limits.storage import storage_from_string
from starlette.types import Scope, Send

from ..auth.tokens import TokenControle, TokenFout
from ..settings import Settings
from .tellers import Tellers

log = logging.getLogger("lerarenregister.snelheid")

UIT = "uit"
PADEN = frozenset({"/graphql"})
IPV6_PREFIX = 64  # one IPv6 client usually holds a whole /64: counting single addresses would let it rotate
REDIS_TIMEOUT_SECONDEN = 0.5  # a slow Redis must not hold every request up
REDIS_PAUZE_SECONDEN = 5.0  # after a Redis failure, how long this worker counts on its own before trying again
_CLAIMS = "lerarenregister.token"  # where the verified claims wait for the request's viewer (server.viewer_van)
_STIL_SECONDEN = 60.0  # Redis trouble is logged once a minute per worker, not once per request

Adres = IPv4Address | IPv6Address
Netwerk = IPv4Network | IPv6Network


def limiet(tekst: str) -> RateLimitItem | None:
    """A limit setting (`600/minute`), or None for `uit`; ValueError for anything else."""
    if tekst.strip().lower() == UIT:
        return None
    return parse(tekst)


def netwerken(tekst: str) -> tuple[Netwerk, ...]:
    """The comma-separated CIDRs of REGISTER_VERTROUWDE_PROXIES; ValueError for one that is none."""
    return tuple(ip_network(deel.strip(), strict=False) for deel in tekst.split(",") if deel.strip())


def _adres(tekst: str) -> Adres | None:
    """An address as a peer or an X-Forwarded-For entry gives it (with or without a port); None for rubbish."""
    t = tekst.strip()
    if t.startswith("[") and "]" in t:  # [2001:db8::1]:443
        t = t[1 : t.index("]")]
    elif t.count(":") == 1:  # 192.0.2.1:443
        t = t.partition(":")[0]
    try:
        adres = ip_address(t)
    except ValueError:
        return None
    if isinstance(adres, IPv6Address) and adres.ipv4_mapped is not None:
        return adres.ipv4_mapped
    return adres


def _vertrouwd(adres: Adres, proxies: tuple[Netwerk, ...]) -> bool:
    return any(adres.version == n.version and adres in n for n in proxies)


def client_adres(peer: str | None, doorgestuurd: list[str], proxies: tuple[Netwerk, ...]) -> str:
    """The address a request counts against: the peer's, or, when the peer is a trusted proxy, the
    right-most X-Forwarded-For entry that is not one. Entries left of an untrusted one could be
    written by anyone, so they are never read. An entry that is no address ends the walk at the
    proxy that passed it on: rubbish must not buy a fresh budget. IPv6 counts per /64."""
    adres = _adres(peer or "")
    if adres is None:
        return peer or "onbekend"
    if _vertrouwd(adres, proxies):
        for deel in reversed([d for kop in doorgestuurd for d in kop.split(",")]):
            volgende = _adres(deel)
            if volgende is None:
                break
            adres = volgende
            if not _vertrouwd(adres, proxies):
                break
    if isinstance(adres, IPv6Address):
        return str(ip_network(f"{adres}/{IPV6_PREFIX}", strict=False))
    return str(adres)


def al_geverifieerd(scope: Scope, token: str) -> dict[str, Any] | None:
    """The claims of this very token when the rate limit verified it already for this request."""
    bewaard = scope.get("state", {}).get(_CLAIMS)
    return bewaard[1] if bewaard is not None and bewaard[0] == token else None


def _bearer(kop: bytes | None) -> str | None:
    """The token as server.viewer_van reads it; None without one (anonymous, or a malformed header)."""
    schema, _, token = (kop or b"").decode("latin-1").strip().partition(" ")
    return token.strip() if schema.lower() == "bearer" and token.strip() else None


def opslag(redis_url: str | None) -> Storage | None:
    """The shared counters on Redis when REGISTER_REDIS_URL is set; None: this process counts (http/tellers.py)."""
    if not redis_url:
        return None
    gedeeld = storage_from_string(
        redis_url if redis_url.startswith("async+") else "async+" + redis_url,
        implementation="redispy",
        wrap_exceptions=True,
        socket_timeout=REDIS_TIMEOUT_SECONDEN,
        socket_connect_timeout=REDIS_TIMEOUT_SECONDEN,
    )
    assert isinstance(gedeeld, Storage)
    return gedeeld


Koppen = list[tuple[bytes, bytes]]
Kop = tuple[bytes, bytes]
_TABEL_MAX = 10_000  # header values up to this come ready from a table (each request writes two)


@dataclass(frozen=True, slots=True)
class Budget:
    """One limit and how its counters are named: `sleutel(wie)` is exactly `limits`' own
    `item.key_for(f"{soort}:{wie}")` (a unit test holds the two together), built by joining three
    strings instead of the library's per-call formatting, since it runs for every request."""

    item: RateLimitItem
    soort: str  # 'publiek' | 'aangemeld': the metrics' label of a refusal
    voor: str
    na: str
    expiry: int
    limiet: bytes  # the RateLimit-Limit header's value
    # The headers this limit gives, ready made for the values below _TABEL_MAX: a request's own
    # costs no formatting (in a server, where every line of a request's path runs cold, it counts).
    limiet_kop: Kop
    resten: tuple[Kop, ...]  # RateLimit-Remaining by value
    resets: tuple[Kop, ...]  # RateLimit-Reset by value

    @classmethod
    def van(cls, item: RateLimitItem | None, soort: str) -> Budget | None:
        if item is None:
            return None
        voor, _, na = item.key_for(f"{soort}:\x00").partition("\x00")
        expiry = item.get_expiry()
        limiet = str(item.amount).encode()
        return cls(
            item,
            soort,
            voor,
            na,
            expiry,
            limiet,
            (b"ratelimit-limit", limiet),
            tuple((b"ratelimit-remaining", str(i).encode()) for i in range(min(item.amount, _TABEL_MAX) + 1)),
            tuple((b"ratelimit-reset", str(i).encode()) for i in range(min(expiry, _TABEL_MAX) + 1)),
        )

    def sleutel(self, wie: str) -> str:
        return self.voor + wie + self.na

    def besluit(self, aantal: int, reset: float, nu: float) -> Besluit:
        """This request's decision, the `aantal`-th of a window that ends at `reset`: the RateLimit-*
        headers (and Retry-After over the limit), the seconds to the window's end, and whether it may go on."""
        seconden = math.ceil(reset - nu)
        if seconden < 0:
            seconden = 0
        over = self.item.amount - aantal
        rest = over if over > 0 else 0
        try:  # from the tables (indexes are never negative here); beyond them, formatted
            rest_kop = self.resten[rest]
        except IndexError:
            rest_kop = (b"ratelimit-remaining", str(rest).encode())
        try:
            reset_kop = self.resets[seconden]
        except IndexError:
            reset_kop = (b"ratelimit-reset", str(seconden).encode())
        koppen = [self.limiet_kop, rest_kop, reset_kop]
        if over < 0:
            koppen.append((b"retry-after", str(max(1, seconden)).encode()))
        return self, koppen, seconden, over >= 0


# A rate limit's decision: the budget, the headers for the answer, the seconds to the window's end, allowed.
Besluit = tuple[Budget, Koppen, int, bool]


class Wacht(enum.Enum):
    """`Snelheidsbegrenzer.beslis`'s answer when the decision needs an await (`beslis_later`)."""

    WACHT = "wacht"


# The member itself, for the edge's check on every request: `Wacht.WACHT` is a lookup through the
# enum's metaclass (about 80 ns on Python 3.11), a module global is one dictionary lookup.
WACHT = Wacht.WACHT


class Snelheidsbegrenzer:
    """The rate limit's decision for each request; the edge (http/rand.py) asks it before the body
    is read, and answers a refusal with `weiger`."""

    def __init__(self, *, settings: Settings, controle: TokenControle):
        self.controle = controle
        self.publiek = Budget.van(limiet(settings.limiet_publiek), "publiek")
        self.aangemeld = Budget.van(limiet(settings.limiet_aangemeld), "aangemeld")
        self.aan = self.publiek is not None or self.aangemeld is not None
        self.proxies = netwerken(settings.vertrouwde_proxies)
        proxies = self.proxies
        # Parsing addresses with ipaddress costs about 10 µs a request, and a client asks more than
        # once; this instance's proxies are in the closure, not in the key (hashing networks is slow).
        self._adres = functools.lru_cache(maxsize=16384)(
            lambda peer, doorgestuurd: client_adres(peer, list(doorgestuurd), proxies)
        )
        self.opslag = opslag(settings.redis_url)
        # This process's counters: all of them without Redis; with it, while Redis is unreachable.
        self.tellers = Tellers()
        self._redis_weg_tot = 0.0
        self._gemeld = -_STIL_SECONDEN

    def beslis(self, scope: Scope, autorisatie: bytes | None, doorgestuurd: list[str]) -> Besluit | Wacht | None:
        """Count this request (its first Authorization header and every X-Forwarded-For given):
        its budget, the RateLimit-* headers for its answer, the seconds to the window's end and
        whether it may go on; None when no limit applies to it. Decided here, without an await, for
        an anonymous client counted in this process, the common case; Wacht.WACHT for a token or
        counters on Redis: then `beslis_later` decides."""
        if not self.aan or scope["path"] not in PADEN or scope["method"] == "OPTIONS":
            return None
        if self.opslag is not None or (autorisatie is not None and _bearer(autorisatie) is not None):
            return WACHT
        publiek = self.publiek
        if publiek is None:
            return None
        # Found by its raw origin (http/tellers.py): a client asking again is one lookup.
        peer = scope.get("client")
        herkomst = (peer[0] if peer else None, *doorgestuurd)
        tellers = self.tellers
        teller = tellers.per_herkomst.get(herkomst)
        if teller is None:
            teller = tellers.teller(publiek.sleutel(self._adres(herkomst[0], herkomst[1:])))
            tellers.onthoud(herkomst, teller)
        nu = time.time()
        teller.tel(nu, publiek.expiry)
        if nu >= tellers.volgende_veeg:
            tellers.veeg(nu)
        return publiek.besluit(teller.aantal, teller.einde, nu)

    async def beslis_later(self, scope: Scope, autorisatie: bytes | None, doorgestuurd: list[str]) -> Besluit | None:
        """`beslis` for what needs an await: a token to verify, a counter on Redis."""
        token = _bearer(autorisatie) if autorisatie is not None else None
        budget, sleutel = await self._wie(scope, token, doorgestuurd)
        if budget is None:
            return None
        aantal, reset = await self._tel(budget, sleutel)
        return budget.besluit(aantal, reset, time.time())

    async def _wie(self, scope: Scope, token: str | None, doorgestuurd: list[str]) -> tuple[Budget | None, str]:
        """The budget and the counter this request counts against."""
        if token is not None:
            try:
                claims = await self.controle.controleer(token)
            except TokenFout:
                claims = None
            sub, iss = (claims or {}).get("sub"), (claims or {}).get("iss")
            if claims is not None and isinstance(sub, str) and sub and isinstance(iss, str):
                scope.setdefault("state", {})[_CLAIMS] = (token, claims)
                if self.aangemeld is None:
                    return None, ""
                # Hashed: a sub of any length is one short key, and no identifier sits in Redis in clear.
                houder = hashlib.blake2b(f"{iss}\x00{sub}".encode(), digest_size=16).hexdigest()
                return self.aangemeld, self.aangemeld.sleutel(houder)
        if self.publiek is None:
            return None, ""
        peer = scope.get("client")
        adres: str = self._adres(peer[0] if peer else None, tuple(doorgestuurd))
        return self.publiek, self.publiek.sleutel(adres)

    async def _tel(self, budget: Budget, key: str) -> tuple[int, float]:
        """Count this request: the counter and when its window ends. While Redis cannot be reached
        this worker counts on its own."""
        if self.opslag is None or time.monotonic() < self._redis_weg_tot:
            return self.tellers.tel(key, budget.expiry, time.time())
        try:
            aantal = await self.opslag.incr(key, budget.expiry)
            reset = await self.opslag.get_expiry(key)
        except Exception as exc:  # Redis down or slow: never refuse everyone, never count no one
            self._redis_weg_tot = time.monotonic() + REDIS_PAUZE_SECONDEN
            if time.monotonic() - self._gemeld >= _STIL_SECONDEN:
                self._gemeld = time.monotonic()
                log.warning("Redis unreachable: rate limits counted per worker for now: %r", exc)
            return self.tellers.tel(key, budget.expiry, time.time())
        return aantal, reset


async def weiger(send: Send, seconden: int) -> None:
    """The 429; its RateLimit-* headers and Retry-After are added by the edge with the others."""
    body = orjson.dumps(
        {
            "errors": [
                {
                    "message": f"too many requests; try again in {max(1, seconden)} s",
                    "extensions": {"code": "RATE_LIMITED"},
                }
            ]
        }
    )
    await send(
        {
            "type": "http.response.start",
            "status": 429,
            "headers": [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())],
        }
    )
    await send({"type": "http.response.body", "body": body})
