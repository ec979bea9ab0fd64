"""Date arithmetic (API.md, "Dates"): a date that ends something is the last day on which it holds."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from lerarenregister.regels import datums
from lerarenregister.regels.herregistratie import periode_op

D = dt.date
DAG = dt.timedelta(days=1)


def dagen(van: dt.date, tot: dt.date) -> Iterator[dt.date]:
    """Every day from van up to and including tot."""
    d = van
    while d <= tot:
        yield d
        d += DAG


@pytest.mark.parametrize(
    ("start", "jaren", "verwacht"),
    [
        (D(2026, 12, 1), 4, D(2030, 12, 1)),
        (D(2024, 2, 29), 4, D(2028, 2, 29)),  # leap year to leap year: the day itself
        (D(2024, 2, 29), 1, D(2025, 3, 1)),  # the anniversary of 29 February is 1 March
        (D(2024, 2, 29), 2, D(2026, 3, 1)),
        (D(2023, 3, 1), 1, D(2024, 3, 1)),
        (D(2023, 2, 28), 1, D(2024, 2, 28)),
        (D(2026, 8, 1), 2, D(2028, 8, 1)),
    ],
)
def test_verjaardag(start: dt.date, jaren: int, verwacht: dt.date) -> None:
    assert datums.verjaardag(start, jaren) == verwacht


@pytest.mark.parametrize(
    ("start", "jaren", "verwacht"),
    [
        (D(2026, 12, 1), 4, D(2030, 11, 30)),  # API.md's own example
        (D(2024, 2, 29), 4, D(2028, 2, 28)),
        (D(2024, 2, 29), 1, D(2025, 2, 28)),  # day before 1 March
        (D(2024, 3, 1), 4, D(2028, 2, 29)),  # ends on a leap day
        (D(2023, 3, 1), 1, D(2024, 2, 29)),
        (D(2023, 3, 1), 4, D(2027, 2, 28)),
        (D(2024, 1, 1), 4, D(2027, 12, 31)),
        (D(2026, 8, 1), 2, D(2028, 7, 31)),
    ],
)
def test_laatste_dag(start: dt.date, jaren: int, verwacht: dt.date) -> None:
    assert datums.laatste_dag(start, jaren) == verwacht


def test_periode_einde_is_vier_jaar() -> None:
    assert datums.periode_einde(D(2026, 12, 1)) == D(2030, 11, 30)
    assert datums.periode_einde(D(2024, 2, 29)) == D(2028, 2, 28)
    assert datums.periode_einde(D(2023, 3, 1)) == D(2027, 2, 28)


def test_volgende_periode_start_is_de_dag_na_het_einde() -> None:
    assert datums.volgende_periode_start(D(2030, 11, 30)) == D(2030, 12, 1)
    assert datums.volgende_periode_start(D(2028, 2, 28)) == D(2028, 2, 29)
    assert datums.volgende_periode_start(D(2030, 12, 31)) == D(2031, 1, 1)


def test_voorportaal_termijn() -> None:
    assert datums.voorportaal_termijn_einde(D(2026, 8, 1), verlengd=False) == D(2028, 7, 31)
    assert datums.voorportaal_termijn_einde(D(2026, 8, 1), verlengd=True) == D(2030, 7, 31)
    assert datums.voorportaal_termijn_einde(D(2024, 2, 29), verlengd=False) == D(2026, 2, 28)
    assert datums.voorportaal_termijn_einde(D(2024, 2, 29), verlengd=True) == D(2028, 2, 28)
    assert datums.voorportaal_termijn_einde(D(2026, 3, 1), verlengd=False) == D(2028, 2, 29)


def test_is_lopend_randen() -> None:
    begin, einde = D(2024, 8, 1), D(2025, 7, 31)
    assert not datums.is_lopend(begin, einde, begin - DAG)
    assert datums.is_lopend(begin, einde, begin)
    assert datums.is_lopend(begin, einde, einde)
    assert not datums.is_lopend(begin, einde, einde + DAG)
    # no einddatum: open-ended
    assert not datums.is_lopend(begin, None, begin - DAG)
    assert datums.is_lopend(begin, None, begin)
    assert datums.is_lopend(begin, None, D(2999, 12, 31))
    # a one-day appointment
    assert datums.is_lopend(begin, begin, begin)
    assert not datums.is_lopend(begin, begin, begin + DAG)


# Property-style loops: every start day of a leap year and the common year around it.


def test_elke_start_eindigt_de_dag_voor_de_verjaardag() -> None:
    for start in dagen(D(2023, 1, 1), D(2025, 12, 31)):
        for jaren in (1, 2, 4):
            einde = datums.laatste_dag(start, jaren)
            verjaardag = datums.verjaardag(start, jaren)
            assert einde + DAG == verjaardag
            assert verjaardag.year == start.year + jaren
            # same month and day, except 29 February which moves to 1 March in a common year
            if (start.month, start.day) == (2, 29) and verjaardag.month == 3:
                assert verjaardag.day == 1
            else:
                assert (verjaardag.month, verjaardag.day) == (start.month, start.day)


def test_een_periode_duurt_vier_jaar_min_een_dag() -> None:
    for start in dagen(D(2023, 1, 1), D(2025, 12, 31)):
        lengte = (datums.periode_einde(start) - start).days + 1
        # any four years starting in 2023-2025 hold exactly one 29 February
        assert lengte == 1461, start


def test_einden_lopen_nooit_terug() -> None:
    """A later start never gives an earlier last day (1 year from 28 Feb and 29 Feb may share one)."""
    for jaren in (1, 2, 4):
        vorige = None
        for start in dagen(D(2023, 1, 1), D(2025, 12, 31)):
            einde = datums.laatste_dag(start, jaren)
            if vorige is not None:
                assert einde >= vorige, (start, jaren)
            vorige = einde


def test_perioden_sluiten_op_elkaar_aan() -> None:
    """For every start day in 2024: the chain of periods has no gaps and no overlaps."""
    for eerste in dagen(D(2024, 1, 1), D(2024, 12, 31)):
        start = eerste
        for _ in range(3):
            einde = datums.periode_einde(start)
            volgende = datums.volgende_periode_start(einde)
            assert volgende == einde + DAG
            assert start < einde < volgende  # not empty, next one strictly after: no overlap
            start = volgende
        # three periods later the chain stands on the twelfth anniversary, leap days included
        assert start == datums.verjaardag(eerste, 12)


def test_periode_op_vindt_de_periode_die_de_dag_bevat() -> None:
    for eerste in (D(2024, 2, 29), D(2024, 3, 1), D(2023, 3, 1), D(2026, 12, 1)):
        vorige: tuple[dt.date, dt.date] | None = None
        for dag in dagen(eerste, datums.verjaardag(eerste, 13)):
            start, einde = periode_op(eerste, dag)
            assert start <= dag <= einde
            assert einde == datums.periode_einde(start)
            if vorige is not None and vorige != (start, einde):
                # a new period begins exactly the day after the previous one's last day
                assert start == vorige[1] + DAG == dag
            vorige = (start, einde)


def test_periode_op_randen() -> None:
    eerste = D(2024, 2, 29)
    assert periode_op(eerste, D(2028, 2, 28)) == (D(2024, 2, 29), D(2028, 2, 28))
    assert periode_op(eerste, D(2028, 2, 29)) == (D(2028, 2, 29), D(2032, 2, 28))
    assert periode_op(eerste, D(2032, 2, 29)) == (D(2032, 2, 29), D(2036, 2, 28))
    # a day before the chain began belongs to the first period
    assert periode_op(eerste, D(2020, 1, 1)) == (D(2024, 2, 29), D(2028, 2, 28))
    eerste = D(2026, 12, 1)
    assert periode_op(eerste, D(2030, 11, 30)) == (D(2026, 12, 1), D(2030, 11, 30))
    assert periode_op(eerste, D(2030, 12, 1)) == (D(2030, 12, 1), D(2034, 11, 30))


def test_voorportaal_te_volgen_tot_het_einde_van_de_kalender() -> None:
    # Four years with the extension, then the day after: 9995-12-31 ends 9999-12-30, its day after fits.
    assert datums.voorportaal_te_volgen(dt.date(9995, 12, 31))
    assert not datums.voorportaal_te_volgen(dt.date(9996, 1, 1))  # ends 9999-12-31: no day after
    assert not datums.voorportaal_te_volgen(dt.date(9999, 12, 31))
