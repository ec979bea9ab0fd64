"""`lerarenregister serve` in a process of its own on a free loopback port, for tests that speak to
it from outside Python (the Node audit, a browser); and a bare uvicorn in this process, for tests of
what uvicorn itself writes."""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from conftest import AUDIENCE, ISSUER, SECRET

CLI = str(Path(sys.executable).with_name("lerarenregister"))


def vrije_poort() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.asynccontextmanager
async def uvicorn_in_dit_proces(app: Any) -> AsyncIterator[str]:
    """A real uvicorn server (httptools) for `app` in this process, on a free loopback port: its URL."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, http="httptools", lifespan="off", log_level="critical"))
    taak = asyncio.create_task(server.serve(sockets=[sock]))
    try:
        while not server.started:
            await asyncio.sleep(0.01)
        yield f"http://127.0.0.1:{sock.getsockname()[1]}"
    finally:
        server.should_exit = True
        await taak
        sock.close()


def omgeving_met_idp(map_: Path, jwks_pad: Path, **extra: str) -> dict[str, str]:
    """A server with the test identity provider's keys and its own SQLite file."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("REGISTER_")}
    env.update(
        {
            "REGISTER_DATABASE_URL": f"sqlite:///{map_ / 'register.sqlite3'}",
            "REGISTER_OIDC_ISSUER": ISSUER,
            "REGISTER_OIDC_AUDIENCE": AUDIENCE,
            "REGISTER_OIDC_JWKS": str(jwks_pad),
            "REGISTER_SECRET_KEY": SECRET,
        }
    )
    env.update(extra)
    return env


def demo_omgeving(map_: Path, **extra: str) -> dict[str, str]:
    """Demo mode as `make demo` starts it: demo data, demo keys, no OIDC settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("REGISTER_")}
    env.update(
        {
            "REGISTER_DEMO": "true",
            "REGISTER_DATABASE_URL": f"sqlite+aiosqlite:///{map_ / 'demo.sqlite3'}",
            "REGISTER_DEMO_DIR": str(map_),
        }
    )
    env.update(extra)
    return env


@contextlib.contextmanager
def draaiende_server(map_: Path, env: dict[str, str], wacht_seconden: float = 60) -> Iterator[str]:
    """Start the server, wait for /health, yield its base URL; stop it and show its output on failure."""
    map_.mkdir(parents=True, exist_ok=True)
    poort = vrije_poort()
    log = map_ / "server.log"
    with log.open("wb") as uit:
        proces = subprocess.Popen(
            [CLI, "serve", "--host", "127.0.0.1", "--port", str(poort)],
            env=env,
            cwd=map_,
            stdout=uit,
            stderr=subprocess.STDOUT,
        )
    basis = f"http://127.0.0.1:{poort}"
    try:
        einde = time.monotonic() + wacht_seconden
        while True:
            if proces.poll() is not None:
                pytest.fail(f"the server stopped with {proces.returncode}:\n{log.read_text()[-4000:]}")
            try:
                if httpx.get(f"{basis}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > einde:
                pytest.fail(f"the server did not come up in {wacht_seconden}s:\n{log.read_text()[-4000:]}")
            time.sleep(0.1)
        yield basis
    finally:
        proces.terminate()
        try:
            proces.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proces.kill()
            proces.wait()
