"""Health (API.md, "Production", Operations): `/health/live` says the process answers;
`/health/ready` says it can serve, that is the database answers and its schema is at the latest
migration this code knows. Not ready: 503 with the reason, so a load balancer stops sending it
requests and an operator reads why. `/health` is the old name of `live`."""

from __future__ import annotations

import asyncio
import functools
from collections.abc import Callable
from typing import Any

import orjson
from sqlalchemy import text
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from ..db import alembic_config

GEEN_CACHE = {"Cache-Control": "no-store"}


@functools.lru_cache(maxsize=1)
def laatste_migraties() -> frozenset[str]:
    """The head revision(s) of the migrations shipped with this code."""
    from alembic.script import ScriptDirectory

    return frozenset(ScriptDirectory.from_config(alembic_config()).get_heads())


def _json(inhoud: dict[str, Any], status: int = 200) -> Response:
    return Response(orjson.dumps(inhoud), status_code=status, media_type="application/json", headers=GEEN_CACHE)


async def _stand(engine: Any) -> frozenset[str] | None:
    """The revisions the database is at; None when it has no migration table."""
    async with engine.connect() as verbinding:
        heeft = await verbinding.run_sync(lambda c: c.dialect.has_table(c, "alembic_version"))
        if not heeft:
            return None
        rijen = await verbinding.execute(text("SELECT version_num FROM alembic_version"))
        return frozenset(r[0] for r in rijen)


def routes(engine_van: Callable[[], Any], wacht_seconden: float) -> list[Route]:
    """The health routes; `engine_van()` gives the app's engine (None before the lifespan ran)."""

    async def live(_request: Request) -> Response:
        return _json({"status": "ok"})

    async def ready(_request: Request) -> Response:
        engine = engine_van()
        if engine is None:
            return _json({"status": "unavailable", "reason": "the server is starting"}, 503)
        try:
            stand = await asyncio.wait_for(_stand(engine), wacht_seconden)
        except Exception as exc:  # down, refused, a timeout, no such file: the class names it, no details
            return _json(
                {"status": "unavailable", "reason": f"the database does not answer ({type(exc).__name__})"}, 503
            )
        verwacht = laatste_migraties()
        if stand != verwacht:
            return _json(
                {
                    "status": "unavailable",
                    "reason": "the database is not at the latest migration; run `lerarenregister migrate`",
                    "migration": sorted(stand or ()),
                    "expected": sorted(verwacht),
                },
                503,
            )
        return _json({"status": "ok", "migration": sorted(stand)})

    return [
        Route("/health/live", live, methods=["GET"]),
        Route("/health/ready", ready, methods=["GET"]),
        Route("/health", live, methods=["GET"]),
    ]
