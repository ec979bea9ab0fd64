"""auth/policy.py without a server: every kind of viewer against every kind of data, and the tables."""

from __future__ import annotations

import typing

import pytest

from lerarenregister.auth import policy
from lerarenregister.auth.policy import DOELGROEPEN, PER_VIEWER, Doelgroep
from lerarenregister.auth.viewer import (
    ANONIEM,
    AanbiederViewer,
    BeroepsgroepViewer,
    DuoViewer,
    LeraarViewer,
    SchoolbestuurViewer,
    Viewer,
)
from lerarenregister.matrix import KORT
from lerarenregister.resolvers import inzagelog

D = Doelgroep
P = D.PUBLIEK
LERAAR, BESTUUR, DUO = LeraarViewer(bsn_hash="h"), SchoolbestuurViewer(bevoegd_gezag="B1"), DuoViewer()
AANBIEDER, BG = AanbiederViewer(code="A1"), BeroepsgroepViewer()


@pytest.mark.parametrize(
    ("viewer", "verwacht"),
    [
        (ANONIEM, {P}),
        (LERAAR, {P, D.LERAAR_ZELF}),
        (BESTUUR, {P, D.SCHOOLBESTUUR_ZELF}),
        (DUO, {P, D.DUO}),
        (AANBIEDER, {P, D.AANBIEDER_ZELF}),
        (BG, {P, D.BEROEPSGROEP}),
    ],
)
def test_rol_doelgroepen(viewer: Viewer, verwacht: set[Doelgroep]) -> None:
    assert policy.rol_doelgroepen(viewer) == verwacht


@pytest.mark.parametrize(
    ("viewer", "zelf", "werkgever", "toestemming", "verwacht"),
    [
        (ANONIEM, False, False, False, {P}),
        (ANONIEM, True, True, True, {P, D.MET_TOESTEMMING}),  # only consent reaches the public
        (LERAAR, True, False, False, {P, D.LERAAR_ZELF}),
        (LERAAR, False, True, False, {P}),  # a teacher is nobody's employer
        (BESTUUR, False, True, False, {P, D.WERKGEVER}),
        (BESTUUR, True, False, True, {P, D.MET_TOESTEMMING}),  # a board is no teacher
        (DUO, False, False, False, {P, D.DUO}),
        (AANBIEDER, True, True, False, {P}),
        (BG, False, False, True, {P, D.BEROEPSGROEP, D.MET_TOESTEMMING}),
    ],
)
def test_leraar_doelgroepen(
    viewer: Viewer, zelf: bool, werkgever: bool, toestemming: bool, verwacht: set[Doelgroep]
) -> None:
    assert policy.leraar_doelgroepen(viewer, zelf=zelf, werkgever=werkgever, toestemming=toestemming) == verwacht


@pytest.mark.parametrize(
    ("viewer", "eigen", "ander"),
    [
        (ANONIEM, {P}, {P}),
        (LERAAR, {P}, {P}),
        (BESTUUR, {P, D.SCHOOLBESTUUR_ZELF}, {P}),
        (DUO, {P, D.DUO}, {P, D.DUO}),
        (AANBIEDER, {P}, {P}),
        (BG, {P, D.BEROEPSGROEP}, {P, D.BEROEPSGROEP}),
    ],
)
def test_bestuur_doelgroepen(viewer: Viewer, eigen: set[Doelgroep], ander: set[Doelgroep]) -> None:
    assert policy.bestuur_doelgroepen(viewer, "B1") == eigen
    assert policy.bestuur_doelgroepen(viewer, "B2") == ander


@pytest.mark.parametrize(
    ("viewer", "eigen", "ander"),
    [
        (ANONIEM, {P}, {P}),
        (BESTUUR, {P}, {P}),
        (DUO, {P}, {P}),  # DUO has no say over the catalogue
        (AANBIEDER, {P, D.AANBIEDER_ZELF}, {P}),
        (BG, {P, D.BEROEPSGROEP}, {P, D.BEROEPSGROEP}),
    ],
)
def test_aanbieder_doelgroepen(viewer: Viewer, eigen: set[Doelgroep], ander: set[Doelgroep]) -> None:
    assert policy.aanbieder_doelgroepen(viewer, "A1") == eigen
    assert policy.aanbieder_doelgroepen(viewer, "A2") == ander


def test_mag_zien_is_een_gedeelde_doelgroep() -> None:
    assert policy.mag_zien(frozenset({P, D.DUO}), frozenset({D.DUO}))
    assert not policy.mag_zien(frozenset({P}), frozenset({D.DUO, D.WERKGEVER}))
    assert not policy.mag_zien(frozenset({P}), frozenset())  # declared for nobody


@pytest.mark.parametrize(
    ("groepen", "buiten", "alleen_eigen"),
    [
        ({P}, False, False),
        ({P, D.MET_TOESTEMMING}, False, False),
        ({P, D.LERAAR_ZELF}, True, False),
        ({P, D.WERKGEVER}, True, True),
        ({P, D.DUO}, True, False),
        ({P, D.BEROEPSGROEP}, False, False),
        ({P, D.WERKGEVER, D.LERAAR_ZELF}, True, False),
    ],
)
def test_buiten_het_openbare_register_en_alleen_eigen_bestuur(
    groepen: set[Doelgroep], buiten: bool, alleen_eigen: bool
) -> None:
    assert policy.ziet_buiten_openbaar_register(frozenset(groepen)) is buiten
    assert policy.alleen_eigen_bestuur(frozenset(groepen)) is alleen_eigen


def test_elke_doelgroep_en_elke_viewer_staat_in_de_tabellen() -> None:
    """A new audience or viewer is a row in each table; what derives from them follows by itself."""
    assert set(DOELGROEPEN) == set(Doelgroep)
    assert set(PER_VIEWER) == set(typing.get_args(Viewer))
    assert set(KORT) == set(Doelgroep) and len(set(KORT.values())) == len(Doelgroep)
    assert inzagelog._GELOGD == (D.WERKGEVER, D.DUO, D.BEROEPSGROEP)
