"""http/antwoordkop.py: uvicorn's response head written from remembered lines is uvicorn's own head,
byte for byte, with the same effects on the connection and the same refusals; and it replaces
uvicorn's cycle only for the uvicorn it was copied from."""

from __future__ import annotations

import asyncio
import logging
import random
import types
from typing import Any

import httpx
import pytest
from serverproces import uvicorn_in_dit_proces
from uvicorn.protocols.http import httptools_impl

from lerarenregister.http import antwoordkop


def _uvicorns_cyclus() -> Any:
    """uvicorn's own RequestResponseCycle, whether or not `installeer` replaced it already."""
    cls = httptools_impl.RequestResponseCycle
    while hasattr(cls, "regels"):
        cls = cls.__mro__[1]
    return cls


UVICORN = _uvicorns_cyclus()


class _Impl:
    """uvicorn's module as it is when asked (its header patterns may be replaced by koppencontrole
    meanwhile: both cycles must read the same), with uvicorn's own cycle."""

    RequestResponseCycle = UVICORN

    def __getattr__(self, naam: str) -> Any:
        return getattr(httptools_impl, naam)


ONS = antwoordkop.maak_cyclus(_Impl())


def test_de_gekopieerde_uvicorn() -> None:
    # Fails after an upgrade of uvicorn whose send changed: compare it with Cyclus.send, update both.
    assert antwoordkop.vingerafdruk(types.SimpleNamespace(RequestResponseCycle=UVICORN)) == (
        antwoordkop.UVICORN_SEND_SHA256
    )


class Transport:
    def __init__(self) -> None:
        self.geschreven: list[bytes] = []
        self.gesloten = False

    def write(self, data: bytes) -> None:
        self.geschreven.append(bytes(data))

    def close(self) -> None:
        self.gesloten = True

    def is_closing(self) -> bool:
        return self.gesloten


def _cyclus(cls: Any, methode: str, keep_alive: bool, default_headers: list[Any]) -> tuple[Any, Transport]:
    transport = Transport()
    cyclus = cls(
        scope={"method": methode, "http_version": "1.1", "client": ("10.0.0.1", 1), "path": "/", "query_string": b""},
        transport=transport,
        flow=types.SimpleNamespace(write_paused=False),
        logger=logging.getLogger("test"),
        access_logger=logging.getLogger("test.access"),
        access_log=False,
        default_headers=default_headers,
        message_event=asyncio.Event(),
        expect_100_continue=False,
        keep_alive=keep_alive,
        on_response=lambda: None,
    )
    return cyclus, transport


async def _uitkomst(
    cls: Any, methode: str, keep_alive: bool, default: list[Any], berichten: list[Any]
) -> tuple[Any, ...]:
    """What one answer does: the bytes written, the refusal, and the cycle's state after it."""
    cyclus, transport = _cyclus(cls, methode, keep_alive, default)
    fout = None
    for bericht in berichten:
        try:
            await cyclus.send(bericht)
        except Exception as exc:  # noqa: BLE001 (the refusal itself is what is compared)
            fout = (type(exc), str(exc))
            break
    staat = (cyclus.keep_alive, cyclus.chunked_encoding, cyclus.expected_content_length, cyclus.response_complete)
    return b"".join(transport.geschreven), transport.gesloten, fout, staat


NAMEN = [
    b"content-type", b"Content-Type", b"vary", b"ratelimit-remaining", b"x-request-id", b"X-Request-ID",
    b"content-length", b"Content-Length", b"transfer-encoding", b"Transfer-Encoding", b"connection",
    b"Connection", b"etag", b"x a", b"x:a", b"x\r\ny", b"", b"x-\x7f",
]  # fmt: skip
WAARDEN = [
    b"application/json", b"Origin", b"59", b"2", b"0", b"chunked", b"Chunked", b"close", b"keep-alive, Close",
    b"keep-alive", b"tab\tallowed", b"1\r\nset-cookie: x=1", b"\x00", b"", b"W/\"abc\"", b"x", b"-1",
]  # fmt: skip


def _kop(rnd: random.Random) -> Any:
    naam, waarde = rnd.choice(NAMEN), rnd.choice(WAARDEN)
    soort = rnd.random()
    if soort < 0.05:
        return [naam, waarde]  # a list: ASGI allows any iterable pair, and a list cannot be remembered
    if soort < 0.08:
        return (bytearray(naam), waarde)
    if soort < 0.10:
        return (naam.decode("latin-1"), waarde.decode("latin-1"))  # not bytes: uvicorn's patterns refuse it
    return (naam, waarde)


async def test_zelfde_kop_als_uvicorn() -> None:
    rnd = random.Random(2026)
    gezien = set()
    for _ in range(3000):
        methode = rnd.choice(["GET", "POST", "HEAD"])
        keep_alive = rnd.random() < 0.8
        default = [(b"date", b"Wed, 02 Dec 2026 04:00:00 GMT"), (b"server", b"uvicorn")][: rnd.randint(0, 2)]
        koppen = [_kop(rnd) for _ in range(rnd.randint(0, 6))]
        body = rnd.choice([b"", b"x", b"xy", b"{}"])
        start: dict[str, Any] = {"type": "http.response.start", "status": rnd.choice([200, 204, 304, 404, 429])}
        if rnd.random() < 0.9:
            start["headers"] = koppen
        berichten: list[Any] = [start, {"type": "http.response.body", "body": body}]
        if rnd.random() < 0.1:
            berichten.insert(1, {"type": "http.response.body", "body": body, "more_body": True})
        if rnd.random() < 0.03:
            berichten = [berichten[1], start]  # the wrong order: uvicorn's own refusal
        verwacht = await _uitkomst(UVICORN, methode, keep_alive, default, berichten)
        for _ in range(2):  # first by uvicorn's steps, then from what was remembered
            assert await _uitkomst(ONS, methode, keep_alive, default, berichten) == verwacht, berichten
        gezien.add((verwacht[2] is None, verwacht[1], verwacht[3][1]))
    # Every kind of outcome was met: written and refused, closed and kept open, chunked or not.
    assert {g[0] for g in gezien} == {True, False} and {g[1] for g in gezien} == {True, False}
    assert {g[2] for g in gezien} >= {True, False, None}
    regels = ONS.regels  # type: ignore[attr-defined]
    assert (b"vary", b"Origin") in regels and (b"Content-Type", b"x") in regels
    assert not any(k[0].lower() in antwoordkop.BIJZONDER | antwoordkop.EENMALIG for k in regels)
    assert all(type(k[0]) is bytes and type(k[1]) is bytes for k in regels)


async def test_begrensd() -> None:
    cls = antwoordkop.maak_cyclus(_Impl())
    for i in range(antwoordkop.MAX_REGELS * 2 + 3):
        koppen = [(b"etag", str(i).encode()), (b"content-length", b"0")]
        cyclus, transport = _cyclus(cls, "GET", True, [])
        await cyclus.send({"type": "http.response.start", "status": 200, "headers": koppen})
        assert transport.geschreven[0].endswith(b"etag: %d\r\ncontent-length: 0\r\n\r\n" % i)
        assert len(cls.regels) <= antwoordkop.MAX_REGELS  # type: ignore[attr-defined]


def test_alleen_voor_de_gekopieerde(monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    monkeypatch.setattr(httptools_impl, "RequestResponseCycle", UVICORN)
    monkeypatch.setattr(antwoordkop, "UVICORN_SEND_SHA256", "0" * 64)  # as if uvicorn's send had changed
    with caplog.at_level(logging.WARNING, "lerarenregister.antwoordkop"):
        assert antwoordkop.installeer() is False
    assert httptools_impl.RequestResponseCycle is UVICORN and "uvicorn's own stays" in caplog.text
    monkeypatch.undo()
    monkeypatch.setattr(httptools_impl, "RequestResponseCycle", UVICORN)
    assert antwoordkop.installeer() is True
    vervangen = httptools_impl.RequestResponseCycle
    assert vervangen is not UVICORN and issubclass(vervangen, UVICORN)
    assert antwoordkop.installeer() is True and httptools_impl.RequestResponseCycle is vervangen  # once only


async def test_een_echte_server(monkeypatch: pytest.MonkeyPatch) -> None:
    # A real uvicorn (httptools) over a real connection, with the cycle replaced: the same answer,
    # and a header that would inject still refused.
    monkeypatch.setattr(httptools_impl, "RequestResponseCycle", UVICORN)
    assert antwoordkop.installeer() is True

    async def app(scope: dict[str, Any], receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            return
        kop = (b"x-a", b"1\r\nset-cookie: x=1") if scope["path"] == "/fout" else (b"Vary", b"Origin")
        headers = [(b"content-type", b"text/plain"), kop, (b"content-length", b"2")]
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": b"ok"})

    async with uvicorn_in_dit_proces(app) as url, httpx.AsyncClient() as client:
        for _ in range(3):
            r = await client.get(f"{url}/")
            assert (r.status_code, r.text, r.headers["vary"], r.headers["content-type"]) == (
                200,
                "ok",
                "Origin",
                "text/plain",
            )
        try:
            r = await client.get(f"{url}/fout")
            assert r.status_code == 500 and "set-cookie" not in r.headers
        except httpx.RemoteProtocolError:
            pass  # uvicorn hung up without an answer: refused too
    assert (b"Vary", b"Origin") in httptools_impl.RequestResponseCycle.regels


def test_een_server_installeert_het(monkeypatch: pytest.MonkeyPatch) -> None:
    # What `lerarenregister serve` does in every server process (the collector's settings aside).
    from lerarenregister import cli

    monkeypatch.setattr(cli, "_gc_voor_een_server", lambda: None)
    monkeypatch.setattr(httptools_impl, "RequestResponseCycle", UVICORN)
    monkeypatch.setattr(httptools_impl, "HEADER_RE", httptools_impl.HEADER_RE)
    monkeypatch.setattr(httptools_impl, "HEADER_VALUE_RE", httptools_impl.HEADER_VALUE_RE)
    cli.voor_een_server()
    assert httptools_impl.RequestResponseCycle is not UVICORN
    assert getattr(httptools_impl.RequestResponseCycle, "regels", None) == {}
