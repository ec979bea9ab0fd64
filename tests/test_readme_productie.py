"""README.md's "Running in production" covers what an operator needs, and its links lead somewhere."""

from __future__ import annotations

import re
from pathlib import Path

README = Path(__file__).parent.parent / "README.md"


def _anker(kop: str) -> str:
    """GitHub's anchor for a heading."""
    return re.sub(r"[^\w\- ]", "", kop.strip().lower()).replace(" ", "-")


def _sectie(tekst: str, kop: str) -> str:
    begin = tekst.index(f"\n## {kop}\n")
    eind = tekst.find("\n## ", begin + 1)
    return tekst[begin : eind if eind != -1 else None]


def test_draaien_in_productie() -> None:
    tekst = README.read_text()
    sectie = _sectie(tekst, "Running in production")
    for onderdeel in (
        "**Settings.**",
        "**Topology.**",
        "**Migrations on deploy.**",
        "**Key rotation.**",
        "**Backups.**",
        "**What to watch.**",
    ):
        assert onderdeel in sectie, onderdeel
    for woord in (
        "lerarenregister migrate",
        "pg_basebackup",
        "pg_dump",
        "WAL",
        "REGISTER_INZAGELOG_DAGEN",
        "lerarenregister_",
        "requirements.lock",
        "streaming replicas",
        "Redis",
    ):
        assert woord in sectie, woord
    ankers = {_anker(k) for k in re.findall(r"^#{2,4} (.+)$", tekst, flags=re.M)}
    links = re.findall(r"\]\(#([^)]+)\)", sectie)
    assert {"configuration", "rotating-the-bsn-key", "access-log"} <= set(links)
    assert set(links) <= ankers, set(links) - ankers
