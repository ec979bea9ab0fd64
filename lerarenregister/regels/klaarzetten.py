"""A delivery against what is stored (API.md, "Deliveries"; DOMAIN.md, voorportaal), for one teacher.

DUO delivers the whole current state. Bevoegdheden are keyed by (vak, soort) and never removed: new
keys are added, dates and spelling of known ones follow the delivery. Benoemingen are keyed by
(board, vak, begindatum): one left out is removed, a changed einddatum is taken over. An appointment
for a subject without a matching bevoegdheid (delivered or stored) needs a voorportaal entry; an
open entry that is no longer needed closes.

`stem_af` only decides; the caller writes. Stored rows are handed back as they came in, so that the
caller can change exactly those objects.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Generic, NamedTuple, Protocol, TypeVar

from . import datums
from .naam import vak_sleutel


class BevoegdheidRij(Protocol):
    @property
    def vak(self) -> str: ...
    @property
    def vak_sleutel(self) -> str: ...
    @property
    def soort(self) -> str: ...
    @property
    def behaald_op(self) -> dt.date: ...


class BenoemingRij(Protocol):
    @property
    def schoolbestuur_id(self) -> int: ...
    @property
    def vak(self) -> str: ...
    @property
    def begindatum(self) -> dt.date: ...
    @property
    def einddatum(self) -> dt.date | None: ...


class VoorportaalRij(Protocol):
    @property
    def schoolbestuur_id(self) -> int: ...
    @property
    def vak_sleutel(self) -> str: ...
    @property
    def begindatum(self) -> dt.date: ...
    @property
    def afgesloten(self) -> bool: ...


B = TypeVar("B", bound=BevoegdheidRij)
N = TypeVar("N", bound=BenoemingRij)
P = TypeVar("P", bound=VoorportaalRij)


class GeleverdeBevoegdheid(NamedTuple):
    vak: str  # as delivered; whitespace is folded here
    soort: str
    behaald_op: dt.date


class GeleverdeBenoeming(NamedTuple):
    schoolbestuur_id: int
    vak: str  # as delivered; whitespace is folded here
    begindatum: dt.date
    einddatum: dt.date | None


class NieuweBevoegdheid(NamedTuple):
    vak: str
    vak_sleutel: str
    soort: str
    behaald_op: dt.date


class NieuweInschrijving(NamedTuple):
    schoolbestuur_id: int
    vak: str
    vak_sleutel: str
    begindatum: dt.date
    termijn_einde: dt.date


@dataclass
class Afstemming(Generic[B, N, P]):
    """What a delivery changes for one teacher."""

    bevoegdheden_nieuw: list[NieuweBevoegdheid] = field(default_factory=list)
    # (row, vak, behaald_op): a known bevoegdheid whose spelling or date the delivery changes
    bevoegdheden_bijgewerkt: list[tuple[B, str, dt.date]] = field(default_factory=list)
    benoemingen_nieuw: list[GeleverdeBenoeming] = field(default_factory=list)
    benoemingen_weg: list[N] = field(default_factory=list)
    # (row, einddatum): a known appointment whose einddatum the delivery changes
    benoemingen_einde: list[tuple[N, dt.date | None]] = field(default_factory=list)
    # Unchanged rows at a board that lost another row of this teacher: a removed row cannot carry the
    # moment of its removal, so the board's remaining rows do (a board's `gewijzigdSinds`).
    benoemingen_gestempeld: list[N] = field(default_factory=list)
    voorportaal_nieuw: list[NieuweInschrijving] = field(default_factory=list)
    voorportaal_gesloten: list[P] = field(default_factory=list)
    # A bevoegdheid added or changed: something every current employer sees (the teacher's own
    # gewijzigd_op moves), where a change to one board's rows is seen by that board only.
    voor_elk_bestuur: bool = False

    @property
    def veranderd(self) -> bool:
        """Does the delivery change anything of this teacher's bevoegdheden, benoemingen or voorportaal?"""
        return bool(
            self.bevoegdheden_nieuw
            or self.bevoegdheden_bijgewerkt
            or self.benoemingen_nieuw
            or self.benoemingen_weg
            or self.benoemingen_einde
            or self.voorportaal_nieuw
            or self.voorportaal_gesloten
        )


def _schoon(tekst: str) -> str:
    return " ".join(tekst.split())


def stem_af(
    bevoegdheden: Sequence[B],
    benoemingen: Sequence[N],
    voorportaal: Sequence[P],
    geleverde_bevoegdheden: Sequence[GeleverdeBevoegdheid],
    geleverde_benoemingen: Sequence[GeleverdeBenoeming],
) -> Afstemming[B, N, P]:
    """What one teacher's delivery changes against the stored bevoegdheden, benoemingen and voorportaal
    entries (the delivery already validated: no key twice)."""
    uit: Afstemming[B, N, P] = Afstemming()

    # Bevoegdheden: add new keys, update dates and spelling; never remove.
    huidige = {(b.vak_sleutel, b.soort): b for b in bevoegdheden}
    for bev in geleverde_bevoegdheden:
        vak = _schoon(bev.vak)
        sleutel = (vak_sleutel(vak), bev.soort)
        rij = huidige.get(sleutel)
        if rij is None:
            uit.bevoegdheden_nieuw.append(NieuweBevoegdheid(vak, sleutel[0], bev.soort, bev.behaald_op))
        elif rij.behaald_op != bev.behaald_op or rij.vak != vak:
            uit.bevoegdheden_bijgewerkt.append((rij, vak, bev.behaald_op))
        else:
            continue
        uit.voor_elk_bestuur = True
    vakken_bevoegd = {k[0] for k in huidige} | {vak_sleutel(b.vak) for b in geleverde_bevoegdheden}

    # Benoemingen: the delivery is the whole current state.
    geleverd: dict[tuple[int, str, dt.date], GeleverdeBenoeming] = {}
    for ben in geleverde_benoemingen:
        vak = _schoon(ben.vak)
        geleverd[(ben.schoolbestuur_id, vak, ben.begindatum)] = ben._replace(vak=vak)
    oud = {(b.schoolbestuur_id, b.vak, b.begindatum): b for b in benoemingen}
    besturen_met_weg = {k[0] for k in oud if k not in geleverd}
    for k, b in oud.items():
        nu_geleverd = geleverd.get(k)
        if nu_geleverd is None:
            uit.benoemingen_weg.append(b)
        elif b.einddatum != nu_geleverd.einddatum:
            uit.benoemingen_einde.append((b, nu_geleverd.einddatum))
        elif k[0] in besturen_met_weg:
            uit.benoemingen_gestempeld.append(b)
    uit.benoemingen_nieuw.extend(ben for k, ben in geleverd.items() if k not in oud)

    # Voorportaal: open for an appointment without a matching bevoegdheid, closed otherwise.
    inschrijvingen = {(p.schoolbestuur_id, p.vak_sleutel, p.begindatum): p for p in voorportaal}
    nodig: set[tuple[int, str, dt.date]] = set()
    for bestuur_id, vak, begindatum in geleverd:
        sleutel3 = (bestuur_id, vak_sleutel(vak), begindatum)
        # "Frans" and "frans" at one board from one day are two appointments but one subject: one entry.
        if sleutel3[1] in vakken_bevoegd or sleutel3 in nodig:
            continue
        nodig.add(sleutel3)
        if sleutel3 not in inschrijvingen:
            uit.voorportaal_nieuw.append(
                NieuweInschrijving(
                    bestuur_id, vak, sleutel3[1], begindatum, datums.voorportaal_termijn_einde(begindatum, False)
                )
            )
    # Either the bevoegdheid arrived or the appointment ended: the entry closes.
    uit.voorportaal_gesloten.extend(p for k, p in inschrijvingen.items() if not p.afgesloten and k not in nodig)
    return uit
