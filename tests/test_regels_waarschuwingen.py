"""Warning windows (API.md, "Warnings"): the first and last day each one shows, and the days around."""

from __future__ import annotations

import calendar
import datetime as dt

import pytest

from lerarenregister.regels import datums
from lerarenregister.regels.waarschuwingen import (
    Waarschuwing,
    aantekening_waarschuwing,
    maanden_terug,
    niet_bevestigd_waarschuwing,
    periode_waarschuwingen,
    voorportaal_waarschuwing,
)

D = dt.date
DAG = dt.timedelta(days=1)
ZES, TWAALF, ACHTER = "HERREGISTRATIE_ZES_MAANDEN", "HERREGISTRATIE_TWAALF_WEKEN", "ACHTER_OP_SCHEMA"


def maanden_terug_los(dag: dt.date, maanden: int) -> dt.date:
    """The same rule written independently: step back whole months, clamp to the month's last day."""
    jaar, maand = dag.year, dag.month - maanden
    while maand < 1:
        maand += 12
        jaar -= 1
    return D(jaar, maand, min(dag.day, calendar.monthrange(jaar, maand)[1]))


def soorten(einde: dt.date, vandaag: dt.date, *, status: str = "OP_SCHEMA", voldaan: bool = False) -> list[str]:
    return [w.soort for w in periode_waarschuwingen(7, "Wiskunde", einde, status, voldaan, vandaag)]


# maanden_terug


@pytest.mark.parametrize(
    ("dag", "maanden", "verwacht"),
    [
        (D(2030, 12, 1), 6, D(2030, 6, 1)),
        (D(2030, 8, 31), 6, D(2030, 2, 28)),  # clamped to the end of February
        (D(2028, 8, 31), 6, D(2028, 2, 29)),  # ... in a leap year
        (D(2028, 8, 30), 6, D(2028, 2, 29)),
        (D(2028, 8, 29), 6, D(2028, 2, 29)),
        (D(2028, 8, 28), 6, D(2028, 2, 28)),
        (D(2030, 12, 31), 6, D(2030, 6, 30)),  # 31 to a 30-day month
        (D(2031, 5, 31), 3, D(2031, 2, 28)),
        (D(2031, 3, 31), 3, D(2030, 12, 31)),  # across a year boundary, no clamping needed
        (D(2030, 2, 15), 6, D(2029, 8, 15)),
        (D(2030, 1, 31), 12, D(2029, 1, 31)),
        (D(2030, 3, 1), 0, D(2030, 3, 1)),
    ],
)
def test_maanden_terug(dag: dt.date, maanden: int, verwacht: dt.date) -> None:
    assert maanden_terug(dag, maanden) == verwacht


def test_maanden_terug_voor_elke_dag() -> None:
    d = D(2027, 1, 1)
    while d <= D(2029, 12, 31):
        for maanden in (1, 3, 6, 11, 12, 25):
            assert maanden_terug(d, maanden) == maanden_terug_los(d, maanden), (d, maanden)
        d += DAG


# HERREGISTRATIE_ZES_MAANDEN and _TWAALF_WEKEN


def test_herregistratie_vensters() -> None:
    einde = D(2030, 11, 30)  # day after: 2030-12-01; six months before: 2030-06-01; 84 days: 2030-09-08
    assert soorten(einde, D(2030, 5, 31)) == []
    assert soorten(einde, D(2030, 6, 1)) == [ZES]
    assert soorten(einde, D(2030, 9, 7)) == [ZES]
    assert soorten(einde, D(2030, 9, 8)) == [TWAALF]  # replaces it
    assert soorten(einde, einde) == [TWAALF]  # the last day
    assert soorten(einde, einde + DAG) == []  # the day after: the next period's business


def test_datum_is_de_dag_dat_het_venster_opende() -> None:
    einde = D(2030, 11, 30)
    [zes] = periode_waarschuwingen(7, "Wiskunde", einde, "OP_SCHEMA", False, D(2030, 7, 15))
    assert zes == Waarschuwing(ZES, D(2030, 6, 1), zes.bericht, 7)
    assert "Wiskunde" in zes.bericht and "2030-11-30" in zes.bericht
    [twaalf] = periode_waarschuwingen(7, "Wiskunde", einde, "OP_SCHEMA", False, D(2030, 11, 1))
    assert (twaalf.soort, twaalf.datum, twaalf.bevoegdheid_id) == (TWAALF, D(2030, 9, 8), 7)
    assert twaalf.schoolbestuur_id is None
    assert "Wiskunde" in twaalf.bericht and "2030-11-30" in twaalf.bericht


def test_geen_herregistratiewaarschuwing_als_alles_voldaan_is() -> None:
    einde = D(2030, 11, 30)
    for dag in (D(2030, 6, 1), D(2030, 9, 8), einde):
        assert soorten(einde, dag, voldaan=True) == []


@pytest.mark.parametrize(
    ("einde", "zes", "twaalf"),
    [
        (D(2028, 2, 28), D(2027, 8, 29), D(2027, 12, 7)),  # start 2024-02-29: day after is a leap day
        (D(2028, 2, 29), D(2027, 9, 1), D(2027, 12, 8)),  # start 2024-03-01: ends on a leap day
        (D(2027, 2, 28), D(2026, 9, 1), D(2026, 12, 7)),  # start 2023-03-01
        (D(2030, 8, 30), D(2030, 2, 28), D(2030, 6, 8)),  # day after 2030-08-31: six months back is clamped
        (D(2030, 12, 31), D(2030, 7, 1), D(2030, 10, 9)),
    ],
)
def test_herregistratie_vensters_randen(einde: dt.date, zes: dt.date, twaalf: dt.date) -> None:
    assert soorten(einde, zes - DAG) == []
    assert soorten(einde, zes) == [ZES]
    assert soorten(einde, twaalf - DAG) == [ZES]
    assert soorten(einde, twaalf) == [TWAALF]
    assert soorten(einde, einde) == [TWAALF]
    assert soorten(einde, einde + DAG) == []
    assert (einde + DAG - twaalf).days == 84


def test_achter_op_schema_staat_los_van_de_vensters() -> None:
    einde = D(2030, 11, 30)
    vandaag = D(2028, 3, 3)
    [achter] = periode_waarschuwingen(7, "Wiskunde", einde, "RISICO", False, vandaag)
    assert (achter.soort, achter.datum, achter.bevoegdheid_id) == (ACHTER, vandaag, 7)  # datum: today
    assert soorten(einde, vandaag, status="OP_SCHEMA") == []
    # in a window both stand
    assert sorted(soorten(einde, D(2030, 7, 1), status="RISICO")) == sorted([ACHTER, ZES])
    assert sorted(soorten(einde, D(2030, 10, 1), status="RISICO")) == sorted([ACHTER, TWAALF])


def test_herregistratie_vensters_voor_elke_start_in_2024() -> None:
    """For every period starting in 2024, every day from well before the window to past its end."""
    start = D(2024, 1, 1)
    while start <= D(2024, 12, 31):
        einde = datums.periode_einde(start)
        dag_na = einde + DAG
        zes = maanden_terug_los(dag_na, 6)
        twaalf = dag_na - dt.timedelta(days=84)
        assert zes < twaalf <= einde
        gezien: list[str] = []
        d = zes - dt.timedelta(days=3)
        while d <= dag_na + DAG:
            uit = periode_waarschuwingen(1, "Frans", einde, "OP_SCHEMA", False, d)
            if d < zes or d > einde:
                assert uit == [], (start, d)
            else:
                verwacht = TWAALF if d >= twaalf else ZES
                assert [(w.soort, w.datum) for w in uit] == [(verwacht, twaalf if d >= twaalf else zes)], (start, d)
            if uit and (not gezien or gezien[-1] != uit[0].soort):
                gezien.append(uit[0].soort)
            d += DAG
        for d in (zes, twaalf, einde):
            assert periode_waarschuwingen(1, "Frans", einde, "OP_SCHEMA", True, d) == []
        assert gezien == [ZES, TWAALF]  # one after the other, never back
        start += DAG


# VOORPORTAALTERMIJN_VERLOOPT


def test_voorportaal_venster() -> None:
    einde = D(2028, 7, 31)  # begindatum 2026-08-01; day after 2028-08-01; three months: 2028-05-01
    assert voorportaal_waarschuwing("Natuurkunde", einde, False, D(2028, 4, 30)) is None
    eerste = voorportaal_waarschuwing("Natuurkunde", einde, False, D(2028, 5, 1), schoolbestuur_id=3)
    assert eerste is not None
    assert (eerste.soort, eerste.datum, eerste.schoolbestuur_id, eerste.bevoegdheid_id) == (
        "VOORPORTAALTERMIJN_VERLOOPT",
        D(2028, 5, 1),
        3,
        None,
    )
    assert "Natuurkunde" in eerste.bericht and "2028-07-31" in eerste.bericht
    laatste = voorportaal_waarschuwing("Natuurkunde", einde, False, einde)
    assert laatste is not None and laatste.datum == D(2028, 5, 1)
    assert voorportaal_waarschuwing("Natuurkunde", einde, False, einde + DAG) is None


def test_voorportaal_afgesloten_waarschuwt_niet() -> None:
    einde = D(2028, 7, 31)
    for dag in (D(2028, 5, 1), D(2028, 6, 15), einde):
        assert voorportaal_waarschuwing("Natuurkunde", einde, True, dag) is None


@pytest.mark.parametrize(
    ("termijn_einde", "opent"),
    [
        (D(2028, 5, 30), D(2028, 2, 29)),  # day after 2028-05-31, clamped into a leap February
        (D(2027, 5, 30), D(2027, 2, 28)),
        (D(2028, 2, 28), D(2027, 11, 29)),  # begindatum 2024-02-29, extended: the day after is a leap day
        (D(2030, 12, 31), D(2030, 10, 1)),
        (D(2029, 3, 30), D(2028, 12, 31)),
    ],
)
def test_voorportaal_venster_randen(termijn_einde: dt.date, opent: dt.date) -> None:
    assert voorportaal_waarschuwing("Frans", termijn_einde, False, opent - DAG) is None
    w = voorportaal_waarschuwing("Frans", termijn_einde, False, opent)
    assert w is not None and w.datum == opent
    assert voorportaal_waarschuwing("Frans", termijn_einde, False, termijn_einde) is not None
    assert voorportaal_waarschuwing("Frans", termijn_einde, False, termijn_einde + DAG) is None


def test_voorportaal_venster_voor_elke_begindatum() -> None:
    begindatum = D(2024, 1, 1)
    while begindatum <= D(2025, 12, 31):
        for verlengd in (False, True):
            einde = datums.voorportaal_termijn_einde(begindatum, verlengd)
            opent = maanden_terug_los(einde + DAG, 3)
            assert voorportaal_waarschuwing("Frans", einde, False, opent - DAG) is None
            for dag in (opent, opent + DAG, einde - DAG, einde):
                w = voorportaal_waarschuwing("Frans", einde, False, dag)
                assert w is not None and w.datum == opent, (begindatum, dag)
            assert voorportaal_waarschuwing("Frans", einde, False, einde + DAG) is None
        begindatum += DAG


# REGISTRATIE_NIET_BEVESTIGD


def test_niet_bevestigd_venster() -> None:
    levering = D(2026, 10, 1)
    opent = D(2026, 11, 1)  # 31 days after
    assert niet_bevestigd_waarschuwing(levering, False, levering) is None
    assert niet_bevestigd_waarschuwing(levering, False, opent - DAG) is None
    w = niet_bevestigd_waarschuwing(levering, False, opent)
    assert w is not None and (w.soort, w.datum) == ("REGISTRATIE_NIET_BEVESTIGD", opent)
    assert w.bevoegdheid_id is None and w.schoolbestuur_id is None
    # until confirmation: no end date of its own
    later = niet_bevestigd_waarschuwing(levering, False, D(2035, 1, 1))
    assert later is not None and later.datum == opent


def test_niet_bevestigd_verdwijnt_bij_bevestiging() -> None:
    levering = D(2026, 10, 1)
    for dag in (D(2026, 11, 1), D(2027, 1, 1)):
        assert niet_bevestigd_waarschuwing(levering, True, dag) is None


def test_niet_bevestigd_zonder_levering() -> None:
    assert niet_bevestigd_waarschuwing(None, False, D(2030, 1, 1)) is None


def test_niet_bevestigd_over_schrikkeldag_en_jaargrens() -> None:
    # 2028-02-29 is one of the 31 days
    assert niet_bevestigd_waarschuwing(D(2028, 2, 1), False, D(2028, 3, 2)) is None
    w = niet_bevestigd_waarschuwing(D(2028, 2, 1), False, D(2028, 3, 3))
    assert w is not None and w.datum == D(2028, 3, 3)
    w = niet_bevestigd_waarschuwing(D(2026, 12, 15), False, D(2027, 1, 15))
    assert w is not None and w.datum == D(2027, 1, 15)
    assert niet_bevestigd_waarschuwing(D(2026, 12, 15), False, D(2027, 1, 14)) is None


# AANTEKENING


def test_aantekening_waarschuwing() -> None:
    w = aantekening_waarschuwing(9, "Biologie", D(2031, 1, 2))
    assert (w.soort, w.datum, w.bevoegdheid_id) == ("AANTEKENING", D(2031, 1, 2), 9)
    assert "Biologie" in w.bericht
