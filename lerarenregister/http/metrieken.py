"""Prometheus metrics (API.md, "Production", Operations; README, "Metrics").

Every figure is kept with prometheus-client. Under `lerarenregister serve` it runs in its
multiprocess mode (PROMETHEUS_MULTIPROC_DIR, werkers.py): each worker writes its figures to files
in that directory and `/metrics`, whichever worker answers it, reads them all, so the figures cover
every worker. Without the variable (an app built in a test) they live in this process.

Labels are bounded: a label value is never taken unchecked from a client. An operation name is
kept only when it is at most 64 of `[A-Za-z0-9_]` and one of the first `MAX_OPERATIES` names this
worker saw; any other is `other`. Audiences, codes and paths come from the register itself.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    CollectorRegistry,
    Counter,
    Gauge,
    Histogram,
    generate_latest,
    multiprocess,
)
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from ..settings import Settings
from .meting import Meting
from .snelheid import _adres, _vertrouwd, netwerken

log = logging.getLogger("lerarenregister.metrieken")

MAX_OPERATIES = 200  # distinct operation names per worker; beyond them: `other`
ANDERS = "other"
NAAMLOOS = "anonymous"  # a document whose operation has no name
ONBEKEND = "unknown"  # no operation ran: refused before it (a bad token, the limits), or none by that name
_NAAM = re.compile(r"[A-Za-z0-9_]{1,64}")
_CODE = re.compile(r"[A-Z0-9_]{1,40}")
_MULTIPROC = "PROMETHEUS_MULTIPROC_DIR"

VERZOEKEN = Counter(
    "lerarenregister_verzoeken",
    "GraphQL requests, by operation name, audience and outcome code",
    ["operatie", "doelgroep", "code"],
)
DUUR = Histogram(
    "lerarenregister_verzoek_duur_seconden",
    "Time from request to the end of the answer, by route and audience",
    ["pad", "doelgroep"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0),
)
FOUTEN = Counter(
    "lerarenregister_fouten", "Errors in GraphQL answers, by code (each error of an answer counts)", ["code"]
)
GEWEIGERD = Counter(
    "lerarenregister_snelheid_geweigerd", "Requests refused by a rate limit (429), by limit", ["limiet"]
)
KOSTEN = Histogram(
    "lerarenregister_kosten",
    "Cost estimate of each GraphQL operation that passed the limits' parse",
    ["doelgroep"],
    buckets=(1, 10, 50, 100, 500, 1000, 5000, 10_000, 25_000, 50_000, 100_000),
)
VERBINDINGEN = Gauge(
    "lerarenregister_db_verbindingen_in_gebruik",
    "Database connections checked out of a pool (summed over the live workers)",
    ["pool"],
    multiprocess_mode="livesum",
)
WERKER = Gauge(
    "lerarenregister_worker_verzoeken",
    "Requests answered by each worker since it started (label pid)",
    multiprocess_mode="all",
)

_operaties: set[str] = set()
# prometheus-client looks a labelled child up under a lock on every `labels()`; the label values are
# bounded (see above), so each metric's children are kept here once found.
_kinderen: dict[tuple[Any, ...], Any] = {}


def _kind(metriek: Any, *labels: str) -> Any:
    sleutel = (id(metriek), *labels)
    kind = _kinderen.get(sleutel)
    if kind is None:
        kind = _kinderen[sleutel] = metriek.labels(*labels)
    return kind


def operatie_label(naam: str | None, kosten_bekend: bool = True) -> str:
    """A label value for an operation name that a client chose: bounded in length, alphabet and number."""
    if naam is None:
        return NAAMLOOS if kosten_bekend else ONBEKEND
    if naam in _operaties:
        return naam
    if not _NAAM.fullmatch(naam) or len(_operaties) >= MAX_OPERATIES:
        return ANDERS
    _operaties.add(naam)
    return naam


def noteer(m: Meting) -> None:
    """One finished request (a listener of meting.Meten)."""
    WERKER.inc()
    doelgroep = m.doelgroep or ("-" if not m.graphql else "onbekend")
    _kind(DUUR, m.pad, doelgroep).observe(m.duur_s)
    if m.geweigerd is not None:
        _kind(GEWEIGERD, m.geweigerd).inc()
    if not m.graphql:
        return
    code = m.code
    _kind(
        VERZOEKEN,
        operatie_label(m.operatie, m.kosten is not None),
        doelgroep,
        code if _CODE.fullmatch(code) else ANDERS,
    ).inc()
    for c in m.codes or ():
        _kind(FOUTEN, c if _CODE.fullmatch(c) else ANDERS).inc()
    if m.kosten is not None:
        _kind(KOSTEN, doelgroep).observe(m.kosten)


# --- Pools -------------------------------------------------------------------------------------------
_bemonsteraars: list[Callable[[], None]] = []
BEMONSTER_SECONDEN = 1.0  # how often each worker samples its pools between scrapes


def volg_pools(engine: Any, compileer_pool: Any = None) -> Callable[[], None]:
    """Sample how many connections the engine's pool and the compiled path's own asyncpg connections have
    checked out: once a second in the background and at each scrape (a few attribute reads; no
    events that a connection replaced at checkout could leave unbalanced). Not per request: asyncpg
    counts its idle connections by walking the pool, which cost every request about 40 µs
    (bench/rand_cpu.py). Every worker samples, so under the multiprocess mode a scrape answered by
    one worker still has the others' figures of at most a second ago. Call it in the running loop;
    returns the function that stops it, for the lifespan's end."""
    in_engine = VERBINDINGEN.labels("engine")
    in_gecompileerd = VERBINDINGEN.labels("gecompileerd")
    pool = engine.sync_engine.pool

    def bemonster() -> None:
        if hasattr(pool, "checkedout"):
            in_engine.set(pool.checkedout())
        if compileer_pool is not None:
            in_gecompileerd.set(compileer_pool.get_size() - compileer_pool.get_idle_size())

    _bemonsteraars.append(bemonster)

    async def elke_seconde() -> None:
        while True:
            try:
                bemonster()
            except Exception:  # a figure lost must not end the sampling for good
                log.exception("sampling the pools failed")
            await asyncio.sleep(BEMONSTER_SECONDEN)

    taak = asyncio.get_running_loop().create_task(elke_seconde())

    def stop() -> None:
        taak.cancel()
        _bemonsteraars.remove(bemonster)
        in_engine.set(0)
        in_gecompileerd.set(0)
        if os.environ.get(_MULTIPROC):  # this worker's live figures go with it
            multiprocess.mark_process_dead(os.getpid())

    return stop


# --- /metrics ------------------------------------------------------------------------------------------
def metrics_route(settings: Settings) -> Callable[[Request], Any]:
    """The handler of GET /metrics: loopback and REGISTER_METRICS_NETWERKEN only, anyone else 404.

    The peer address decides; a request that came through a proxy (X-Forwarded-For or Forwarded)
    counts as its client only when that proxy is trusted (REGISTER_VERTROUWDE_PROXIES), and one
    passed on by a proxy the register does not trust is refused: a proxy on this machine would
    otherwise make the whole internet look like loopback."""
    toegestaan = netwerken(settings.metrics_netwerken)
    proxies = netwerken(settings.vertrouwde_proxies)

    def mag(request: Request) -> bool:
        adres = _adres(request.client.host if request.client else "")
        if adres is None:
            return False
        doorgestuurd = request.headers.getlist("x-forwarded-for")
        if doorgestuurd or "forwarded" in request.headers:
            if not _vertrouwd(adres, proxies):
                return False
            for deel in reversed([d for kop in doorgestuurd for d in kop.split(",")]):  # as snelheid.client_adres
                volgende = _adres(deel)
                if volgende is None:
                    return False
                adres = volgende
                if not _vertrouwd(adres, proxies):
                    break
        return adres.is_loopback or any(adres.version == n.version and adres in n for n in toegestaan)

    async def metrics(request: Request) -> Response:
        if not mag(request):
            return PlainTextResponse("Not Found", status_code=404)
        for bemonster in _bemonsteraars:
            bemonster()
        return Response(stand(), media_type=CONTENT_TYPE_LATEST)

    return metrics


def stand() -> bytes:
    """The figures in Prometheus' text format: every worker's under the multiprocess mode."""
    map_ = os.environ.get(_MULTIPROC)
    if not map_:
        return generate_latest(REGISTRY)
    _vergeet_dode_workers(Path(map_))
    registry = CollectorRegistry()
    multiprocess.MultiProcessCollector(registry)
    return generate_latest(registry)


def _vergeet_dode_workers(map_: Path) -> None:
    """A worker that died without its lifespan's end (killed, restarted by uvicorn) leaves its live
    gauges behind; they must not be summed with the living ones."""
    for bestand in map_.glob("gauge_live*_*.db"):
        pid = bestand.stem.rpartition("_")[2]
        if pid.isdigit() and not _leeft(int(pid)):
            multiprocess.mark_process_dead(int(pid), str(map_))


def _leeft(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
