"""`lerarenregister serve --workers 2` as its operators start it (API.md, "Production", Operations):
two worker processes on one port, both answering, /metrics summing both whichever answers the
scrape (prometheus-client's multiprocess directory, made by `serve` in a temporary folder and
removed at the end), and every log line one JSON object (REGISTER_LOG_FORMAT=json)."""

from __future__ import annotations

import asyncio
import json
import signal
import subprocess
import time
from pathlib import Path
from typing import Any

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from test_cli import CLI, _omgeving, _vrije_poort

OPERATIE = "query WerkerTest { herregistratiecriteria { totaalUren } }"
PER_RONDE = 20
MAX_RONDEN = 30


def _stand(basis: str) -> dict[str, list[tuple[dict[str, str], float]]]:
    r = httpx.get(f"{basis}/metrics", timeout=10)
    assert r.status_code == 200, r.text
    uit: dict[str, list[tuple[dict[str, str], float]]] = {}
    for familie in text_string_to_metric_families(r.text):
        for s in familie.samples:
            uit.setdefault(s.name, []).append((s.labels, s.value))
    return uit


def _per_worker(stand: dict[str, Any]) -> dict[str, float]:
    return {labels["pid"]: waarde for labels, waarde in stand.get("lerarenregister_worker_verzoeken", [])}


def _verzoeken(stand: dict[str, Any]) -> float:
    return sum(
        w for labels, w in stand.get("lerarenregister_verzoeken_total", []) if labels["operatie"] == "WerkerTest"
    )


async def _ronde(basis: str, n: int) -> list[httpx.Response]:
    # No keep-alive: every request a connection of its own, for the kernel to hand to either worker.
    async with httpx.AsyncClient(
        base_url=basis, timeout=httpx.Timeout(30.0, connect=5.0), limits=httpx.Limits(max_keepalive_connections=0)
    ) as klant:
        return await asyncio.gather(
            *(
                klant.post("/graphql", json={"query": OPERATIE}, headers={"X-Request-ID": f"werker-{i}"})
                for i in range(n)
            )
        )


def test_twee_workers_op_een_poort(tmp_path: Path, sleutels: Any) -> None:
    poort = _vrije_poort()
    basis = f"http://127.0.0.1:{poort}"
    tijdelijk = tmp_path / "tmp"  # where `serve` makes its metrics folder (TMPDIR)
    tijdelijk.mkdir()
    env = _omgeving(
        tmp_path, sleutels, REGISTER_LOG_FORMAT="json", REGISTER_LIMIET_PUBLIEK="uit", TMPDIR=str(tijdelijk)
    )
    env.pop("PROMETHEUS_MULTIPROC_DIR", None)
    log = tmp_path / "serve.log"
    with open(log, "wb") as uit:
        proces = subprocess.Popen(
            [CLI, "serve", "--port", str(poort), "--workers", "2"],
            env=env,
            stdout=uit,
            stderr=subprocess.STDOUT,
            cwd=tmp_path,
        )
    try:
        for _ in range(600):
            if proces.poll() is not None:
                pytest.fail(f"serve exited at start: {log.read_text()}")
            try:
                if httpx.get(f"{basis}/health/ready", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        else:
            pytest.fail(f"serve did not come up: {log.read_text()}")
        assert len(list(tijdelijk.glob("lerarenregister-metrics-*"))) == 1

        verstuurd = 0
        for _ in range(MAX_RONDEN):  # until both workers have answered (the kernel picks, not we)
            antwoorden = asyncio.run(_ronde(basis, PER_RONDE))
            verstuurd += len(antwoorden)
            for i, r in enumerate(antwoorden):
                assert r.status_code == 200 and r.json()["data"]["herregistratiecriteria"], r.text
                assert r.headers["x-request-id"] == f"werker-{i}"
            if len([p for p, n in _per_worker(_stand(basis)).items() if n > 0]) == 2:
                break
        else:
            pytest.fail(f"one worker answered all {verstuurd} requests: {_per_worker(_stand(basis))}")

        # Whichever worker answers the scrape, it counts every worker's requests.
        for _ in range(6):
            stand = _stand(basis)
            assert _verzoeken(stand) == verstuurd
            per_worker = _per_worker(stand)
            assert len(per_worker) == 2 and all(n > 0 for n in per_worker.values()), per_worker
            assert sum(per_worker.values()) >= verstuurd  # their own scrapes and health checks too
            kosten = sum(w for labels, w in stand["lerarenregister_kosten_count"] if labels["doelgroep"] == "publiek")
            assert kosten >= verstuurd
    finally:
        proces.send_signal(signal.SIGTERM)
        try:
            proces.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proces.kill()
            proces.wait()
    uitvoer = log.read_text()
    assert proces.returncode == 0, uitvoer[-3000:]
    assert list(tijdelijk.glob("lerarenregister-metrics-*")) == []  # cleaned up at the end

    # Every line one JSON object, uvicorn's own included; one request line per request.
    regels = [json.loads(r) for r in uitvoer.splitlines() if r.strip()]
    assert all({"tijd", "niveau", "bericht"} <= set(r) for r in regels)
    gestart = {
        r["bericht"]
        for r in regels
        if r.get("logger") == "uvicorn.error" and r["bericht"].startswith("Started server process")
    }
    assert len(gestart) == 2, gestart
    verzoeken = [r for r in regels if r.get("logger") == "lerarenregister.verzoeken" and r["pad"] == "/graphql"]
    assert len(verzoeken) == verstuurd
    assert {r["operatie"] for r in verzoeken} == {"WerkerTest"} and {r["status"] for r in verzoeken} == {200}
