"""uvicorn's response head written from remembered header lines.

uvicorn's httptools protocol writes an answer's head in `RequestResponseCycle.send`, one pass of
Python per header: two injection checks (http/koppencontrole.py remembers their verdicts), a
lowercased copy of the name, three comparisons and four pieces joined. About 3,800 instructions a
header, ten headers an answer: some 6% of a public lookup, and the rate limit's three RateLimit-*
headers alone were half of what issue 9's checks cost it (bench/RESULTS.md, "Issue 9").

The line a header gives (`name: value\\r\\n`, the name lowercased, refused when it would inject)
depends on nothing but the header itself, and the same headers come back on every answer (a
content type, a Vary, a remaining budget). `Cyclus.send` is uvicorn's `send`, line for line, except
that loop: a header seen before is one dictionary lookup in C that gives its line. A header not
seen before, and always the three names uvicorn acts on (Content-Length, Transfer-Encoding,
Connection), go through uvicorn's own steps, unchanged. Values that are new on every answer
(X-Request-ID) are not kept; at most `MAX_REGELS` lines are, and when full it starts again.

The copy holds only for the `send` it was copied from: `installeer()` replaces uvicorn's cycle
only when the source of uvicorn's `send` is byte for byte the one below (its SHA-256); any other
uvicorn keeps its own and a warning is logged. tests/test_antwoordkop.py holds the two together on
every kind of head (invalid headers, HEAD, 204/304, chunked, Connection: close) and fails when
the installed uvicorn is not the one copied: then compare its `send` with this one and update both.
"""

from __future__ import annotations

import hashlib
import inspect
import logging
from typing import Any

log = logging.getLogger("lerarenregister.antwoordkop")

# The SHA-256 of `inspect.getsource(RequestResponseCycle.send)` of uvicorn 0.54.0's httptools protocol.
UVICORN_SEND_SHA256 = "abdd8601b326a8da972436918d3a954e1ef39c6bf0cd9e1c1954c2e798d0bb9c"
MAX_REGELS = 4096
BIJZONDER = frozenset({b"content-length", b"transfer-encoding", b"connection"})  # uvicorn acts on these
EENMALIG = frozenset({b"x-request-id"})  # a new value on every answer: keeping it would only push out the rest


def maak_cyclus(impl: Any) -> type:
    """uvicorn's `RequestResponseCycle` of the module `impl` (httptools_impl) with the `send` below."""
    regels: dict[tuple[bytes, bytes], bytes] = {}

    class Cyclus(impl.RequestResponseCycle):  # type: ignore[misc]
        sluit = False  # a Connection header of this answer said close (uvicorn's has_connection_close)

        def regel(self: Any, kop: Any) -> bytes:
            """One header's line by uvicorn's own steps (their effects on the cycle included);
            kept when it is a plain header of bytes."""
            name, value = kop
            if impl.HEADER_RE.search(name):
                raise RuntimeError("Invalid HTTP header name.")  # pragma: full coverage
            if impl.HEADER_VALUE_RE.search(value):
                raise RuntimeError("Invalid HTTP header value.")

            name = name.lower()
            if name == b"content-length" and self.chunked_encoding is None:
                self.expected_content_length = int(value.decode())
                self.chunked_encoding = False
            elif name == b"transfer-encoding" and value.lower() == b"chunked":
                self.expected_content_length = 0
                self.chunked_encoding = True
            elif name == b"connection":
                connection = [token.lower().strip() for token in value.split(b",")]
                if b"close" in connection:
                    self.keep_alive = False
                    self.sluit = True
            lijn = b"".join([name, b": ", value, b"\r\n"])
            # The types first: a bytearray cannot be looked up in a set.
            if (
                type(kop) is tuple
                and type(name) is bytes
                and type(value) is bytes
                and name not in BIJZONDER
                and name not in EENMALIG
            ):
                if len(regels) >= MAX_REGELS:
                    regels.clear()
                regels[kop] = lijn
            return lijn

        # uvicorn 0.54.0's send (httptools_impl.RequestResponseCycle.send), the header loop aside.
        async def send(self: Any, message: Any) -> None:
            if self.flow.write_paused and not self.disconnected:
                await self.flow.drain()  # pragma: full coverage

            if self.disconnected:
                return  # pragma: full coverage

            if not self.response_started:
                # Sending response status line and headers
                if message["type"] != "http.response.start":
                    raise RuntimeError(f"Expected ASGI message 'http.response.start', but got '{message['type']}'.")

                self.response_started = True
                self.waiting_for_100_continue = False

                status_code = message["status"]

                if self.access_log:
                    self.access_logger.info(
                        '%s - "%s %s HTTP/%s" %d',
                        impl.get_client_addr(self.scope),
                        self.scope["method"],
                        impl.get_path_with_query_string(self.scope),
                        self.scope["http_version"],
                        status_code,
                    )

                # Write response status line and headers
                content = [impl.STATUS_LINE[status_code]]
                # The change: a header's line from `regels` when it was seen before (a list, say,
                # is unhashable: TypeError, and uvicorn's steps decide), else by uvicorn's steps.
                for koppen in (self.default_headers, message.get("headers", ())):
                    for kop in koppen:
                        try:
                            content.append(regels[kop])
                        except (KeyError, TypeError):
                            content.append(self.regel(kop))

                if not self.keep_alive and not self.sluit:
                    content.append(b"connection: close\r\n")

                if self.chunked_encoding is None and self.scope["method"] != "HEAD" and status_code not in (204, 304):
                    # Neither content-length nor transfer-encoding specified
                    self.chunked_encoding = True
                    content.append(b"transfer-encoding: chunked\r\n")

                content.append(b"\r\n")
                self.transport.write(b"".join(content))

            elif not self.response_complete:
                # Sending response body
                if message["type"] != "http.response.body":
                    raise RuntimeError(f"Expected ASGI message 'http.response.body', but got '{message['type']}'.")

                body = message.get("body", b"")
                more_body = message.get("more_body", False)

                # Write response body
                if self.scope["method"] == "HEAD":
                    self.expected_content_length = 0
                elif self.chunked_encoding:
                    if body:
                        content = [b"%x\r\n" % len(body), body, b"\r\n"]
                    else:
                        content = []
                    if not more_body:
                        content.append(b"0\r\n\r\n")
                    self.transport.write(b"".join(content))
                else:
                    num_bytes = len(body)
                    if num_bytes > self.expected_content_length:
                        raise RuntimeError("Response content longer than Content-Length")
                    else:
                        self.expected_content_length -= num_bytes
                    self.transport.write(body)

                # Handle response completion
                if not more_body:
                    if self.expected_content_length != 0:
                        raise RuntimeError("Response content shorter than Content-Length")
                    self.response_complete = True
                    self.message_event.set()
                    if not self.keep_alive:
                        self.transport.close()
                    self.on_response()

            else:
                # Response already sent
                raise RuntimeError(
                    f"Unexpected ASGI message '{message['type']}' sent, after response already completed."
                )

    Cyclus.__qualname__ = Cyclus.__name__ = "RequestResponseCycle"
    Cyclus.regels = regels  # for the tests
    return Cyclus


def vingerafdruk(impl: Any) -> str | None:
    """The SHA-256 of the source of `impl`'s `RequestResponseCycle.send`; None when there is none to read."""
    try:
        return hashlib.sha256(inspect.getsource(impl.RequestResponseCycle.send).encode()).hexdigest()
    except (OSError, TypeError, AttributeError):
        return None


def installeer() -> bool:
    """Put `Cyclus` in the place of uvicorn's cycle (once per process) when uvicorn's `send` is the
    one it copies; False, and uvicorn's own, otherwise."""
    try:
        from uvicorn.protocols.http import httptools_impl
    except ImportError:  # uvicorn without httptools: h11 writes heads its own way
        return False
    if getattr(httptools_impl.RequestResponseCycle, "regels", None) is not None:
        return True
    if vingerafdruk(httptools_impl) != UVICORN_SEND_SHA256:
        log.warning(
            "uvicorn's RequestResponseCycle.send is not the one http/antwoordkop.py copies; uvicorn's own stays"
        )
        return False
    setattr(httptools_impl, "RequestResponseCycle", maak_cyclus(httptools_impl))  # noqa: B010 (a class, to mypy)
    return True
