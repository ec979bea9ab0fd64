"""The validation of DUO's delivery (klaarzetten, resolvers/levering.py): every invalid field of the
whole call at once, each named by its path into the input (`leveringen[3].bsn`), before anything is
read or written.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from typing import Any

from ..regels import datums
from ..regels.bsn import elfproef
from ..regels.naam import vak_sleutel
from .fouten import Verzamelaar

MAX_LEVERINGEN = 1000
OUDSTE_DATUM = dt.date(1900, 1, 1)
_BESTUURSNUMMER = re.compile(r"^[0-9A-Za-z]{1,20}$")
_CONTROLETEKENS = re.compile(r"[\x00-\x1f\x7f]")


def enum_waarde(x: Any) -> Any:
    """An enum member's value, or the value itself when the input came as plain text."""
    return getattr(x, "value", x)


def _tekst(z: Verzamelaar, pad: str, waarde: str | None, verplicht: bool, maximum: int) -> str | None:
    if waarde is None:
        if verplicht:
            z.fout(pad, "is required")
        return None
    schoon = " ".join(waarde.split())
    if verplicht and not schoon:
        z.fout(pad, "must not be empty")
    elif len(schoon) > maximum:
        z.fout(pad, f"must be at most {maximum} characters")
    elif _CONTROLETEKENS.search(waarde):
        z.fout(pad, "must not contain control characters")
    return schoon or None


def _datum(z: Verzamelaar, pad: str, d: dt.date | None, vandaag: dt.date, toekomst: bool = False) -> None:
    if d is None:
        return
    if d < OUDSTE_DATUM:
        z.fout(pad, f"must not be before {OUDSTE_DATUM.isoformat()}")
    elif not toekomst and d > vandaag:
        z.fout(pad, "must not be in the future")


def valideer(leveringen: Sequence[Any], vandaag: dt.date) -> None:
    """Every invalid field, each named by its path into the input (`leveringen[3].bsn`)."""
    z = Verzamelaar()
    if len(leveringen) > MAX_LEVERINGEN:
        z.fout("leveringen", f"at most {MAX_LEVERINGEN} deliveries per call")
    gezien: dict[str, int] = {}
    for i, lev in enumerate(leveringen):
        p = f"leveringen[{i}]"
        if not elfproef(lev.bsn):
            z.fout(f"{p}.bsn", "is not a valid BSN (nine digits passing the elfproef)")
        elif lev.bsn in gezien:
            z.fout(f"{p}.bsn", f"appears twice in this call (also at leveringen[{gezien[lev.bsn]}])")
        else:
            gezien[lev.bsn] = i
        _tekst(z, f"{p}.voornamen", lev.voornamen, True, 200)
        _tekst(z, f"{p}.tussenvoegsel", lev.tussenvoegsel, False, 40)
        _tekst(z, f"{p}.achternaam", lev.achternaam, True, 200)
        _datum(z, f"{p}.geboortedatum", lev.geboortedatum, vandaag)
        sleutels: set[tuple[str, str]] = set()
        for k, bev in enumerate(lev.bevoegdheden):
            q = f"{p}.bevoegdheden[{k}]"
            vak = _tekst(z, f"{q}.vak", bev.vak, True, 100)
            _datum(z, f"{q}.behaaldOp", bev.behaald_op, vandaag)
            if lev.geboortedatum and bev.behaald_op and bev.behaald_op < lev.geboortedatum:
                z.fout(f"{q}.behaaldOp", "must not be before geboortedatum")
            sleutel = (vak_sleutel(vak or ""), enum_waarde(bev.soort))
            if vak and sleutel in sleutels:
                z.fout(f"{q}.vak", "the same bevoegdheid (vak, soort) appears twice in this delivery")
            sleutels.add(sleutel)
        benoemd: set[tuple[str, str, dt.date]] = set()
        for k, ben in enumerate(lev.benoemingen):
            q = f"{p}.benoemingen[{k}]"
            nummer = _tekst(z, f"{q}.bevoegdGezagNummer", ben.bevoegd_gezag_nummer, True, 20)
            if nummer and not _BESTUURSNUMMER.match(nummer):
                z.fout(f"{q}.bevoegdGezagNummer", "must be letters and digits only")
            _tekst(z, f"{q}.schoolbestuurNaam", ben.schoolbestuur_naam, True, 200)
            vak = _tekst(z, f"{q}.vak", ben.vak, True, 100)
            _datum(z, f"{q}.begindatum", ben.begindatum, vandaag, toekomst=True)
            if ben.begindatum is not None and not datums.voorportaal_te_volgen(ben.begindatum):
                z.fout(f"{q}.begindatum", "lies too far in the future to follow its voorportaal term")
            _datum(z, f"{q}.einddatum", ben.einddatum, vandaag, toekomst=True)
            if ben.einddatum is not None and ben.einddatum < ben.begindatum:
                z.fout(f"{q}.einddatum", "must not be before begindatum")
            sleutel3 = (nummer or "", vak or "", ben.begindatum)
            if nummer and vak and sleutel3 in benoemd:
                z.fout(f"{q}.begindatum", "the same benoeming (board, vak, begindatum) appears twice")
            benoemd.add(sleutel3)
    z.controleer()
