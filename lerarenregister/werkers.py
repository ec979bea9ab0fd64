"""`serve --workers N` (API.md, "Production", Operations): N worker processes on one port.

uvicorn starts each worker as a fresh process that imports `app` below by name and builds the
register from the environment's settings (the parent checked them and migrated before any worker
starts). What workers share lives outside them: rate-limit counters in Redis (REGISTER_REDIS_URL),
metrics in prometheus-client's multiprocess directory, which `metrics_map` prepares before any
worker, and before prometheus-client is imported: it picks its storage at import.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

from starlette.applications import Starlette

MULTIPROC = "PROMETHEUS_MULTIPROC_DIR"
log = logging.getLogger("lerarenregister")


def metrics_map() -> Callable[[], None]:
    """Set up the multiprocess directory: the operator's PROMETHEUS_MULTIPROC_DIR (emptied of a
    previous run's figures, as prometheus-client asks), else a new temporary one. Returns what
    cleans up at the end."""
    if "prometheus_client" in sys.modules:
        log.warning("prometheus-client was imported before %s was set: /metrics covers this process only", MULTIPROC)
    eigen = os.environ.get(MULTIPROC)
    if eigen:
        map_ = Path(eigen)
        map_.mkdir(parents=True, exist_ok=True)
        for oud in map_.glob("*.db"):
            oud.unlink()
        return lambda: None
    tijdelijk = tempfile.mkdtemp(prefix="lerarenregister-metrics-")
    os.environ[MULTIPROC] = tijdelijk
    return lambda: shutil.rmtree(tijdelijk, ignore_errors=True)


def app() -> Starlette:
    """The app factory each worker calls (`lerarenregister.werkers:app`)."""
    from .cli import voor_een_server
    from .server import create_app
    from .settings import Settings

    register = create_app(Settings())
    voor_een_server()
    return register
