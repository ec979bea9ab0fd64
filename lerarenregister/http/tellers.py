"""The rate limit's counters in this process (http/snelheid.py): fixed windows that start at a
counter's first request, as the `limits` library's fixed-window counters count on Redis.

One `Teller` per counter (a budget's key for one client address or one token subject), with its
count and the moment its window ends; a request that finds the window ended starts a new one. Two
dictionaries point at the same counters:

- `per_sleutel`: by the counter's key (`Budget.sleutel`), which every request can reach;
- `per_herkomst`: by the request's raw origin, its peer and X-Forwarded-For headers as they came,
  so that a client asking again finds its counter in one lookup, without its address being parsed
  and its key joined again. Bounded: when it is full it is emptied and refilled from `per_sleutel`
  (never a second counter for one key: the key is the source of truth).

Why not `limits`' own MemoryStorage: its `incr` takes an asyncio lock and a sweep per call, and
counters by key only; with the address parsing and the key around it, the rate limit cost a public
lookup about 15 µs of server CPU under load (bench, 2026-12-01), a tenth of the request. The
library still parses the limits, names the keys and counts on Redis.
"""

from __future__ import annotations

from collections.abc import Hashable

SWEEP_SECONDEN = 1.0  # how often counters whose window ended are dropped (memory only: an ended window restarts anyway)
MAX_HERKOMSTEN = 65_536  # raw origins remembered; made-up X-Forwarded-For values must not grow it without end


class Teller:
    """One counter: requests in its window, and when (time.time()) the window ends."""

    __slots__ = ("aantal", "einde")

    def __init__(self) -> None:
        self.aantal = 0
        self.einde = 0.0

    def tel(self, nu: float, expiry: int) -> None:
        """Count one request at `nu`; an ended window starts again at it."""
        if self.einde <= nu:
            self.aantal = 0
            self.einde = nu + expiry
        self.aantal += 1


class Tellers:
    """This process's counters, by key and by raw origin (see the module)."""

    def __init__(self) -> None:
        self.per_sleutel: dict[str, Teller] = {}
        self.per_herkomst: dict[Hashable, Teller] = {}
        # When the next sweep is due: compared by the caller (a method call per request saved).
        self.volgende_veeg = 0.0

    def teller(self, sleutel: str) -> Teller:
        t = self.per_sleutel.get(sleutel)
        if t is None:
            t = self.per_sleutel[sleutel] = Teller()
        return t

    def onthoud(self, herkomst: Hashable, teller: Teller) -> None:
        if len(self.per_herkomst) >= MAX_HERKOMSTEN:
            self.per_herkomst = {}
        self.per_herkomst[herkomst] = teller

    def tel(self, sleutel: str, expiry: int, nu: float) -> tuple[int, float]:
        """Count one request against `sleutel`: the count and when the window ends."""
        t = self.teller(sleutel)
        t.tel(nu, expiry)
        if nu >= self.volgende_veeg:
            self.veeg(nu)
        return t.aantal, t.einde

    def veeg(self, nu: float) -> None:
        """Drop the counters whose window ended, from both dictionaries at once; called once a
        second at most (`volgende_veeg`)."""
        self.volgende_veeg = nu + SWEEP_SECONDEN
        self.per_sleutel = {k: t for k, t in self.per_sleutel.items() if t.einde > nu}
        self.per_herkomst = {k: t for k, t in self.per_herkomst.items() if t.einde > nu}
