"""http/koppencontrole.py: uvicorn's header checks with their verdicts remembered give uvicorn's
verdicts, and a real uvicorn server with them in place still refuses a header that would inject."""

from __future__ import annotations

import random
import re

import httpx
import pytest
from serverproces import uvicorn_in_dit_proces
from uvicorn.protocols.http import httptools_impl

from lerarenregister.http import koppencontrole
from lerarenregister.http.koppencontrole import Bewaard

# uvicorn's own patterns, as its module defines them (before any test replaced them).
PATRONEN = [
    p if isinstance(p, re.Pattern) else p.patroon for p in (httptools_impl.HEADER_RE, httptools_impl.HEADER_VALUE_RE)
]


@pytest.mark.parametrize("patroon", PATRONEN, ids=["naam", "waarde"])
def test_zelfde_oordeel_als_het_patroon(patroon: re.Pattern[bytes]) -> None:
    bewaard = Bewaard(patroon)
    rnd = random.Random(9)
    teksten = [bytes([b]) for b in range(256)] + [b"", b"ratelimit-remaining", b"application/json", b"a\r\nb: c"]
    teksten += [bytes(rnd.choice(range(256)) for _ in range(rnd.randint(1, 40))) for _ in range(2000)]
    teksten += [bytes(rnd.choice(b"abc-\t :\r\n\x00\x7f") for _ in range(rnd.randint(1, 8))) for _ in range(2000)]
    for _ in range(2):  # asked, then remembered
        for t in teksten:
            assert bool(bewaard.search(t)) == bool(patroon.search(t)), t
    with pytest.raises(TypeError):  # ASGI headers are bytes: anything else is refused, not passed unchecked
        bewaard.search(bytearray(b"x y"))
    assert any(bewaard.search(t) for t in teksten) and any(not bewaard.search(t) for t in teksten)


def test_begrensd() -> None:
    bewaard = Bewaard(PATRONEN[1])
    for i in range(koppencontrole.MAX_BEWAARD * 2 + 5):
        assert bewaard.search(str(i).encode()) is None
        assert len(bewaard) <= koppencontrole.MAX_BEWAARD
    assert bewaard.search(b"\x00")


async def _uitkomst(naam: bytes, waarde: bytes) -> tuple[object, ...]:
    """One request to a real uvicorn (httptools) server whose app answers with this header: the
    status and whether the header arrived, or that the server hung up without an answer."""

    async def app(scope: dict, receive: object, send: object) -> None:  # type: ignore[type-arg]
        if scope["type"] != "http":
            return
        await send({"type": "http.response.start", "status": 200, "headers": [(naam, waarde)]})  # type: ignore[operator]
        await send({"type": "http.response.body", "body": b"ok"})  # type: ignore[operator]

    async with uvicorn_in_dit_proces(app) as url, httpx.AsyncClient() as client:
        try:
            r = await client.get(f"{url}/")
        except httpx.RemoteProtocolError:
            return ("opgehangen",)
        return (r.status_code, r.headers.get(naam.decode("latin-1")), "set-cookie" in r.headers)


KOPPEN = [
    (b"ratelimit-remaining", b"59"),
    (b"x-a", b"1\r\nset-cookie: x=1"),  # an injected header in the value
    (b"x a", b"1"),  # a space in the name
    (b"x-b", b"tab\tallowed"),
]


async def test_uvicorn_oordeelt_als_zonder(monkeypatch: pytest.MonkeyPatch) -> None:
    # uvicorn's own verdicts over a real connection, its patterns in place.
    monkeypatch.setattr(httptools_impl, "HEADER_RE", PATRONEN[0])
    monkeypatch.setattr(httptools_impl, "HEADER_VALUE_RE", PATRONEN[1])
    zonder = [await _uitkomst(n, w) for n, w in KOPPEN]
    assert zonder[0] == (200, "59", False) and zonder[3] == (200, "tab\tallowed", False)
    assert zonder[1] in ((500, None, False), ("opgehangen",)) and zonder[2] in ((500, None, False), ("opgehangen",))

    assert koppencontrole.installeer() is True  # this uvicorn still has the patterns: replaced
    assert isinstance(httptools_impl.HEADER_RE, Bewaard) and isinstance(httptools_impl.HEADER_VALUE_RE, Bewaard)
    assert koppencontrole.installeer() is True  # and once only
    assert httptools_impl.HEADER_RE.patroon is PATRONEN[0]
    for _ in range(2):  # the second time from what was remembered
        assert [await _uitkomst(n, w) for n, w in KOPPEN] == zonder
