"""Throw-away PostgreSQL clusters for the tests that need one of their own (faults, the read replica):
initdb in a temporary folder, a free port on 127.0.0.1, never the shared cluster. initdb and postgres
refuse to run as root: as root they run as the `postgres` user (runuser). A cluster that cannot be
made is a failure of the test that asked for it, never a skip."""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import asyncpg
import pytest


def vrije_poort() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def pg_programma(naam: str) -> str:
    """initdb / pg_ctl / pg_basebackup: on the PATH, else the newest Debian install."""
    gevonden = shutil.which(naam) or next(
        iter(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{naam}"), reverse=True)), None
    )
    if gevonden is None:
        pytest.fail(f"{naam} not found (install PostgreSQL's server package): these tests need their own cluster")
    return gevonden


class Cluster:
    """A PostgreSQL cluster of our own in a temporary folder; `opties` are extra server options
    (`-c name=value ...`) for every start."""

    def __init__(self, prefix: str = "lr-cluster-", opties: str = "") -> None:
        self.map = Path(tempfile.mkdtemp(prefix=prefix))
        self.data = self.map / "data"
        self.poort = vrije_poort()
        self.opties = opties
        self._als: list[str] = []
        if os.geteuid() == 0:
            eigenaar = pwd.getpwnam("postgres")
            os.chown(self.map, eigenaar.pw_uid, eigenaar.pw_gid)
            self._als = ["runuser", "-u", "postgres", "--"]
        self.url = f"postgresql+asyncpg://postgres@127.0.0.1:{self.poort}/register"
        self.dsn = f"postgresql://postgres@127.0.0.1:{self.poort}/register"

    def _voer_uit(self, *opdracht: str, wacht: float = 60) -> None:
        uit = subprocess.run([*self._als, *opdracht], capture_output=True, text=True, timeout=wacht)
        if uit.returncode != 0:
            raise RuntimeError(f"{' '.join(opdracht)}: {uit.stdout}{uit.stderr}")

    def maak(self) -> None:
        self._voer_uit(
            pg_programma("initdb"), "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8", "--no-sync"
        )

    def maak_standby_van(self, primary: Cluster) -> None:
        """A streaming replica of `primary`: its base backup, with `-R` writing standby.signal and the
        primary_conninfo that makes it follow the primary once started. initdb's pg_hba.conf lets
        replication connections in from 127.0.0.1 (trust)."""
        self._voer_uit(
            pg_programma("pg_basebackup"),
            "-h",
            "127.0.0.1",
            "-p",
            str(primary.poort),
            "-U",
            "postgres",
            "-D",
            str(self.data),
            "-R",
            "-X",
            "stream",
            "--checkpoint=fast",
            "--no-sync",
            wacht=120,
        )

    def start(self) -> None:
        opties = (
            f"-p {self.poort} -k {self.map} -c listen_addresses=127.0.0.1 -c fsync=off "
            f"-c synchronous_commit=off -c full_page_writes=off {self.opties}"
        )
        self._voer_uit(
            pg_programma("pg_ctl"),
            "-D",
            str(self.data),
            "-o",
            opties,
            "-l",
            str(self.map / "log"),
            "-w",
            "-t",
            "60",
            "start",
        )

    def stop(self) -> None:
        self._voer_uit(pg_programma("pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "-t", "60", "stop")

    def draait(self) -> bool:
        return (
            subprocess.run(
                [*self._als, pg_programma("pg_ctl"), "-D", str(self.data), "status"], capture_output=True
            ).returncode
            == 0
        )

    def log(self) -> str:
        pad = self.map / "log"
        return pad.read_text(errors="replace") if pad.exists() else ""

    def weg(self) -> None:
        if self.data.exists() and self.draait():
            subprocess.run(
                [*self._als, pg_programma("pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"],
                capture_output=True,
                timeout=60,
            )
        shutil.rmtree(self.map, ignore_errors=True)


async def maak_database(poort: int) -> None:
    verbinding = await asyncpg.connect(f"postgresql://postgres@127.0.0.1:{poort}/postgres")
    try:
        await verbinding.execute("CREATE DATABASE register")
    finally:
        await verbinding.close()
