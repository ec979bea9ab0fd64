"""The visibility policy: which audiences (doelgroepen) apply to a viewer for a piece of data.

Two tables and pure functions over them: DOELGROEPEN (what the register does with each audience)
and PER_VIEWER (the audiences each kind of viewer holds by its role alone). The facts the functions
need about a teacher (is the viewer that teacher, a current employer, has the teacher given consent)
are gathered once per request per teacher elsewhere. A new audience is a member of Doelgroep, a row
in each table and the declarations that name it (docs/nieuwkomers.md).
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from .viewer import (
    AanbiederViewer,
    Anoniem,
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


@dataclass(frozen=True, slots=True)
class Kenmerken:
    """What the register does with an audience besides the field declarations that name it."""

    kort: str  # its column heading in the visibility matrix (README, `make matrix`)
    gelogd: bool  # a teacher's field read through it (and no other) goes in the access log


DOELGROEPEN: dict[Doelgroep, Kenmerken] = {
    D.PUBLIEK: Kenmerken("PUB", gelogd=False),
    D.LERAAR_ZELF: Kenmerken("ZELF", gelogd=False),
    D.WERKGEVER: Kenmerken("WG", gelogd=True),
    D.MET_TOESTEMMING: Kenmerken("TOEST", gelogd=False),
    D.SCHOOLBESTUUR_ZELF: Kenmerken("SB", gelogd=False),
    D.AANBIEDER_ZELF: Kenmerken("AANB", gelogd=False),
    D.DUO: Kenmerken("DUO", gelogd=True),
    D.BEROEPSGROEP: Kenmerken("BG", gelogd=True),
}


@dataclass(frozen=True, slots=True)
class Rol:
    """The audiences a kind of viewer holds by its role alone, beside PUBLIEK, which everyone holds.

    The audiences that follow from a relationship are not here but in the functions below: LERAAR_ZELF
    for the teacher's own data, WERKGEVER for a current employer, MET_TOESTEMMING for a teacher's
    consent, SCHOOLBESTUUR_ZELF and AANBIEDER_ZELF for a board's or provider's own data.
    """

    eigen: frozenset[Doelgroep]  # for its own operations: root fields and mutation results
    leraren: frozenset[Doelgroep] = frozenset()  # for any teacher's data
    besturen: frozenset[Doelgroep] = frozenset()  # for any board's data
    aanbieders: frozenset[Doelgroep] = frozenset()  # for any provider's data


PER_VIEWER: dict[type, Rol] = {
    Anoniem: Rol(eigen=frozenset()),
    LeraarViewer: Rol(eigen=frozenset({D.LERAAR_ZELF})),
    SchoolbestuurViewer: Rol(eigen=frozenset({D.SCHOOLBESTUUR_ZELF})),
    DuoViewer: Rol(eigen=frozenset({D.DUO}), leraren=frozenset({D.DUO}), besturen=frozenset({D.DUO})),
    AanbiederViewer: Rol(eigen=frozenset({D.AANBIEDER_ZELF})),
    BeroepsgroepViewer: Rol(
        eigen=frozenset({D.BEROEPSGROEP}),
        leraren=frozenset({D.BEROEPSGROEP}),
        besturen=frozenset({D.BEROEPSGROEP}),
        aanbieders=frozenset({D.BEROEPSGROEP}),
    ),
}
_PUBLIEK = frozenset({D.PUBLIEK})
_EIGEN = {soort: _PUBLIEK | rol.eigen for soort, rol in PER_VIEWER.items()}


def rol_doelgroepen(viewer: Viewer) -> frozenset[Doelgroep]:
    """Which audiences does this viewer belong to for its own operations (root fields, mutations)?"""
    return _EIGEN[type(viewer)]


def leraar_doelgroepen(viewer: Viewer, zelf: bool, werkgever: bool, toestemming: bool) -> frozenset[Doelgroep]:
    """Which audiences does this viewer belong to for one teacher's data?"""
    groepen = {D.PUBLIEK, *PER_VIEWER[type(viewer)].leraren}
    if zelf and isinstance(viewer, LeraarViewer):
        groepen.add(D.LERAAR_ZELF)
    if werkgever and isinstance(viewer, SchoolbestuurViewer):
        groepen.add(D.WERKGEVER)
    if toestemming:
        groepen.add(D.MET_TOESTEMMING)
    return frozenset(groepen)


def bestuur_doelgroepen(viewer: Viewer, bevoegd_gezag: str) -> frozenset[Doelgroep]:
    """Which audiences does this viewer belong to for a board's own data?"""
    groepen = {D.PUBLIEK, *PER_VIEWER[type(viewer)].besturen}
    if isinstance(viewer, SchoolbestuurViewer) and viewer.bevoegd_gezag == bevoegd_gezag:
        groepen.add(D.SCHOOLBESTUUR_ZELF)
    return frozenset(groepen)


def aanbieder_doelgroepen(viewer: Viewer, code: str) -> frozenset[Doelgroep]:
    """Which audiences does this viewer belong to for a provider's catalogue entry?"""
    groepen = {D.PUBLIEK, *PER_VIEWER[type(viewer)].aanbieders}
    if isinstance(viewer, AanbiederViewer) and viewer.code == code:
        groepen.add(D.AANBIEDER_ZELF)
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
