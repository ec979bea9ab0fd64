"""The demo register's boards, providers, subjects and names: data, in gegevens.toml beside this module."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Bestuur:
    nummer: str
    naam: str
    sector: str  # po, vo or mbo


with (Path(__file__).with_name("gegevens.toml")).open("rb") as _f:
    _GEGEVENS: dict[str, Any] = tomllib.load(_f)

BESTUREN = tuple(Bestuur(**b) for b in _GEGEVENS["besturen"])
UITGELICHT_BESTUUR = next(b for b in BESTUREN if b.nummer == _GEGEVENS["uitgelicht_bestuur"])

# (code, naam, [(titel, soort, contacturen, zelfstudieuren, gebied, toetsing)])
AANBIEDERS: tuple[tuple[str, str, tuple[tuple[str, str, float, float, str, bool], ...]], ...] = tuple(
    (a["code"], a["naam"], tuple((t, s, c, z, g, toets) for t, s, c, z, g, toets in a["activiteiten"]))
    for a in _GEGEVENS["aanbieders"]
)

VO_VAKKEN: tuple[str, ...] = tuple(_GEGEVENS["vakken"]["vo"])
VO_GEWICHTEN: tuple[int, ...] = tuple(_GEGEVENS["vakken"]["vo_gewichten"])
MBO_VAKKEN: tuple[str, ...] = tuple(_GEGEVENS["vakken"]["mbo"])
PO_VAK: str = _GEGEVENS["vakken"]["po"]

VOORNAMEN: tuple[str, ...] = tuple(_GEGEVENS["namen"]["voornamen"])
ACHTERNAMEN: tuple[tuple[str | None, str], ...] = tuple(
    (tussenvoegsel or None, achternaam) for tussenvoegsel, achternaam in _GEGEVENS["namen"]["achternamen"]
)

TITELS: dict[str, tuple[str, ...]] = {gebied: tuple(t) for gebied, t in _GEGEVENS["titels"].items()}
