"""Request ids (API.md, "Production", Operations): the incoming `X-Request-ID` when it is 1–128 of
`[A-Za-z0-9._-]`, else a new one; kept in the scope for the request (the access log, the request
log, an error's trace) and echoed in every response by the edge (http/rand.py), whatever answered it."""

from __future__ import annotations

import os
import re

SCOPE_SLEUTEL = "lr_request_id"  # server.request_id() reads the same key
_GOED = re.compile(rb"[A-Za-z0-9._-]{1,128}")


def kies(kop: bytes | None) -> str:
    """The id of a request whose X-Request-ID header is `kop` (None: no header)."""
    if kop is not None and _GOED.fullmatch(kop):
        return kop.decode("ascii")
    return os.urandom(16).hex()  # 128 random bits as uuid4 gives them, without building a UUID (5× faster)
