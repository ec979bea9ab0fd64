"""Browser clients on their own origins (API.md, "Production", Browser clients).

Bearer tokens, never cookies: any origin may read the register's answers (as GitHub's API allows),
unless REGISTER_CORS_ORIGINS narrows it. Starlette's own middleware, applied first by the edge
(http/rand.py), so that a refusal by a limit (429, 413) still carries the headers a page needs to
read it.
"""

from __future__ import annotations

from typing import Any

TOEGESTANE_KOPPEN = ["Content-Type", "Authorization", "X-Request-ID", "If-None-Match"]
# Date: the server's clock, which a dashboard takes as the moment it starts watching (gewijzigdSinds).
ZICHTBARE_KOPPEN = [
    "ETag",
    "Date",
    "X-Request-ID",
    "Retry-After",
    "RateLimit-Limit",
    "RateLimit-Remaining",
    "RateLimit-Reset",
]
MAX_AGE = 600


def herkomsten(instelling: str) -> list[str]:
    """`*`, or the comma-separated origins of REGISTER_CORS_ORIGINS."""
    delen = [d.strip().rstrip("/") for d in instelling.split(",") if d.strip()]
    return ["*"] if not delen or "*" in delen else delen


def cors_opties(instelling: str) -> dict[str, Any]:
    """Starlette's CORSMiddleware options for REGISTER_CORS_ORIGINS."""
    return {
        "allow_origins": herkomsten(instelling),
        "allow_methods": ["GET", "POST"],
        "allow_headers": TOEGESTANE_KOPPEN,
        "expose_headers": ZICHTBARE_KOPPEN,
        "allow_credentials": False,
        "max_age": MAX_AGE,
    }
