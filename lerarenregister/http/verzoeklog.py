"""The request log (API.md, "Production", Operations): one line per request on the logger
`lerarenregister.verzoeken`, at INFO, with `request_id`, `methode`, `pad`, `status`, `duur_ms`,
`operatie`, `doelgroep`, `kosten` (and the outcome `code`) as fields of the record (`velden`), which
the JSON format (logboek.py) writes as keys of its line.

What it never holds: a query string, a variable, a token, a client address or any other value a
client sent. `pad` is the route the request matched (`andere` for any other path, since a path is
the client's text too); `operatie` is the operation's name from a document that parsed.
"""

from __future__ import annotations

import logging

from .meting import Meting

log = logging.getLogger("lerarenregister.verzoeken")
MAX_OPERATIE = 64


def schrijf(m: Meting) -> None:
    """One finished request (a listener of meting.Meten); nothing when the logger is off."""
    if not log.isEnabledFor(logging.INFO):
        return
    velden = {
        "request_id": m.request_id,
        "methode": m.methode,
        "pad": m.pad,
        "status": m.status,
        "duur_ms": round(m.duur_s * 1000, 1),
        "operatie": (m.operatie or "")[:MAX_OPERATIE] or None,
        "doelgroep": m.doelgroep,
        "kosten": m.kosten,
        "code": m.code if m.graphql or m.status >= 400 else None,
    }
    log.info("%s %s %d", m.methode, m.pad, m.status, extra={"velden": velden})
