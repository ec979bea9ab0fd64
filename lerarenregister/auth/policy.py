"""The visibility policy: which audiences (doelgroepen) apply to a viewer for a piece of data.

Pure functions only. The facts they need about a teacher (is the viewer that teacher, a current
employer, has the teacher given consent) are gathered once per request per teacher elsewhere.
"""
from __future__ import annotations

import enum
from dataclasses import dataclass

from .viewer import (
    AanbiederViewer,
    BeroepsgroepViewer,
    DuoViewer,
    LeraarViewer,
    SchoolbestuurViewer,
    Viewer,
)


class Doelgroep(enum.Enum):
    PUBLIEK = "PUBLIEK"
    LERAAR_ZELF = "LERAAR_ZELF"
    WERKGEVER = "WERKGEVER"
    MET_TOESTEMMING = "MET_TOESTEMMING"
    SCHOOLBESTUUR_ZELF = "SCHOOLBESTUUR_ZELF"
    AANBIEDER_ZELF = "AANBIEDER_ZELF"
    DUO = "DUO"
    BEROEPSGROEP = "BEROEPSGROEP"


D = Doelgroep


@dataclass(frozen=True, slots=True)
class Onderwerp:
    """Whose data an object is: a teacher's, a board's, a provider's, or nobody's (public data).

    `leraar_id` is set for everything about a teacher; `schoolbestuur` for a board's own fields;
    `aanbieder` for a provider's catalogue entries. An Onderwerp with none set stands for the
    asker's own operation (root fields and mutation results).
    """

    leraar_id: int | None = None
    schoolbestuur: str | None = None
    aanbieder: str | None = None


ALGEMEEN = Onderwerp()


def rol_doelgroepen(viewer: Viewer) -> frozenset[Doelgroep]:
    """Which audiences does this viewer belong to for its own operations (root fields, mutations)?"""
    if isinstance(viewer, LeraarViewer):
        return frozenset({D.PUBLIEK, D.LERAAR_ZELF})
    if isinstance(viewer, SchoolbestuurViewer):
        return frozenset({D.PUBLIEK, D.SCHOOLBESTUUR_ZELF})
    if isinstance(viewer, DuoViewer):
        return frozenset({D.PUBLIEK, D.DUO})
    if isinstance(viewer, AanbiederViewer):
        return frozenset({D.PUBLIEK, D.AANBIEDER_ZELF})
    if isinstance(viewer, BeroepsgroepViewer):
        return frozenset({D.PUBLIEK, D.BEROEPSGROEP})
    return frozenset({D.PUBLIEK})


def leraar_doelgroepen(viewer: Viewer, zelf: bool, werkgever: bool, toestemming: bool) -> frozenset[Doelgroep]:
    """Which audiences does this viewer belong to for one teacher's data?"""
    groepen = {D.PUBLIEK}
    if zelf and isinstance(viewer, LeraarViewer):
        groepen.add(D.LERAAR_ZELF)
    if werkgever and isinstance(viewer, SchoolbestuurViewer):
        groepen.add(D.WERKGEVER)
    if toestemming:
        groepen.add(D.MET_TOESTEMMING)
    if isinstance(viewer, DuoViewer):
        groepen.add(D.DUO)
    if isinstance(viewer, BeroepsgroepViewer):
        groepen.add(D.BEROEPSGROEP)
    return frozenset(groepen)


def bestuur_doelgroepen(viewer: Viewer, bevoegd_gezag: str) -> frozenset[Doelgroep]:
    """Which audiences does this viewer belong to for a board's own data?"""
    groepen = {D.PUBLIEK}
    if isinstance(viewer, SchoolbestuurViewer) and viewer.bevoegd_gezag == bevoegd_gezag:
        groepen.add(D.SCHOOLBESTUUR_ZELF)
    if isinstance(viewer, DuoViewer):
        groepen.add(D.DUO)
    if isinstance(viewer, BeroepsgroepViewer):
        groepen.add(D.BEROEPSGROEP)
    return frozenset(groepen)


def aanbieder_doelgroepen(viewer: Viewer, code: str) -> frozenset[Doelgroep]:
    """Which audiences does this viewer belong to for a provider's catalogue entry?"""
    groepen = {D.PUBLIEK}
    if isinstance(viewer, AanbiederViewer) and viewer.code == code:
        groepen.add(D.AANBIEDER_ZELF)
    if isinstance(viewer, BeroepsgroepViewer):
        groepen.add(D.BEROEPSGROEP)
    return frozenset(groepen)


def mag_zien(doelgroepen: frozenset[Doelgroep], toegestaan: frozenset[Doelgroep]) -> bool:
    """Does any audience the viewer belongs to appear in the field's declaration?"""
    return not doelgroepen.isdisjoint(toegestaan)


def ziet_buiten_openbaar_register(doelgroepen: frozenset[Doelgroep]) -> bool:
    """May this viewer find a teacher who is not (yet) in the public register?"""
    return not doelgroepen.isdisjoint({D.LERAAR_ZELF, D.WERKGEVER, D.DUO})


def alleen_eigen_bestuur(doelgroepen: frozenset[Doelgroep]) -> bool:
    """Does this viewer see a teacher's appointments and voorportaal rows of its own board only?"""
    return D.WERKGEVER in doelgroepen and not ({D.LERAAR_ZELF, D.DUO} & doelgroepen)
