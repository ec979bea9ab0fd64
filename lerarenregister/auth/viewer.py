"""The viewer: who asks. Every request has one; the public is `Anoniem`, never None."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..regels.bsn import bsn_hash, elfproef
from ..regels.tekst import Tekstsoort, tekstfout

ROLLEN = ("leraar", "schoolbestuur", "duo", "aanbieder", "beroepsgroep")


class ClaimFout(Exception):
    """The token verified but its claims do not name a viewer we know."""


# Each viewer also says how the access log names it as a reader (`in_inzagelog`; None: never logged).


@dataclass(frozen=True)
class Anoniem:
    rol: str = "publiek"
    in_inzagelog = None


@dataclass(frozen=True)
class LeraarViewer:
    # Only the keyed hash: the BSN itself is dropped as soon as the token is read.
    bsn_hash: str
    rol: str = "leraar"
    in_inzagelog = None
    # During a key rotation: the hash under the previous key, for a teacher not re-keyed yet.
    bsn_hash_vorige: str | None = None

    @property
    def hashes(self) -> tuple[str, ...]:
        return (self.bsn_hash,) if self.bsn_hash_vorige is None else (self.bsn_hash, self.bsn_hash_vorige)


@dataclass(frozen=True)
class SchoolbestuurViewer:
    bevoegd_gezag: str
    rol: str = "schoolbestuur"

    @property
    def in_inzagelog(self) -> str:
        return self.bevoegd_gezag  # its name is joined when the log is read


@dataclass(frozen=True)
class DuoViewer:
    rol: str = "duo"
    in_inzagelog = "DUO"


@dataclass(frozen=True)
class AanbiederViewer:
    code: str
    naam: str | None = None
    rol: str = "aanbieder"
    in_inzagelog = None


@dataclass(frozen=True)
class BeroepsgroepViewer:
    rol: str = "beroepsgroep"
    in_inzagelog = "Beroepsgroep"


Viewer = Anoniem | LeraarViewer | SchoolbestuurViewer | DuoViewer | AanbiederViewer | BeroepsgroepViewer
ANONIEM = Anoniem()


# A claim names a board or a provider and ends up in SQL parameters and the public catalogue: it
# follows the free-text rule for one-line texts (no control characters, PostgreSQL refuses NUL
# outright; no bidi overrides) and holds no more characters than the register stores for it.
MAX_LENGTE = {"bevoegd_gezag": 20, "aanbieder": 40, "name": 200}


def _tekst(claims: dict[str, Any], naam: str) -> str:
    waarde = claims.get(naam)
    if not isinstance(waarde, str) or not waarde.strip():
        raise ClaimFout(f"token lacks the claim '{naam}'")
    waarde = waarde.strip()
    if len(waarde) > MAX_LENGTE.get(naam, 200) or tekstfout(waarde, Tekstsoort.KORT):
        raise ClaimFout(f"token claim '{naam}' is not valid")
    return waarde


def viewer_uit_claims(claims: dict[str, Any], bsn_sleutel: bytes, vorige_sleutel: bytes | None = None) -> Viewer:
    """The viewer a verified token names (API.md, "Who is asking")."""
    rol = claims.get("rol")
    if rol == "leraar":
        bsn = _tekst(claims, "bsn")
        if not elfproef(bsn):
            raise ClaimFout("token claim 'bsn' is not a valid BSN")
        return LeraarViewer(
            bsn_hash=bsn_hash(bsn_sleutel, bsn),
            bsn_hash_vorige=bsn_hash(vorige_sleutel, bsn) if vorige_sleutel else None,
        )
    if rol == "schoolbestuur":
        return SchoolbestuurViewer(bevoegd_gezag=_tekst(claims, "bevoegd_gezag"))
    if rol == "duo":
        return DuoViewer()
    if rol == "aanbieder":
        naam = _tekst(claims, "name") if isinstance(claims.get("name"), str) and claims["name"].strip() else None
        return AanbiederViewer(code=_tekst(claims, "aanbieder"), naam=naam)
    if rol == "beroepsgroep":
        return BeroepsgroepViewer()
    raise ClaimFout(f"token claim 'rol' must be one of {', '.join(ROLLEN)}")
