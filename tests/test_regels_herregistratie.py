"""Herregistratie rules (API.md, "Criteria and pace"): hours per criterion, the outcome and the pace."""

from __future__ import annotations

import datetime as dt
import random
from fractions import Fraction

import pytest

from lerarenregister.regels import datums
from lerarenregister.regels.herregistratie import (
    OP_SCHEMA,
    RISICO,
    Criteria,
    Uren,
    criteria_op,
    periode_op,
    tel_uren,
    tel_uren_tussen,
    verwacht_aandeel,
    voldoet,
    voortgang,
)

D = dt.date
DAG = dt.timedelta(days=1)
STANDAARD = Criteria(D(2018, 8, 1), 160.0, 100.0, 40.0)  # the voluntary register's defaults
ALLE_SOORTEN = ("PO", "EERSTEGRAADS", "TWEEDEGRAADS", "PDG")
VO = ("EERSTEGRAADS", "TWEEDEGRAADS")
NIET_VO = ("PO", "PDG")


# tel_uren


def test_tel_uren_per_criterium() -> None:
    uren = tel_uren(
        [
            ("VAKINHOUDELIJK", 10.0),
            ("VAKDIDACTISCH", 5.5),
            ("PEDAGOGISCH", 3.0),
            ("OVERIG", 7.0),
            ("VAKINHOUDELIJK", 2.5),
        ]
    )
    assert uren == Uren(totaal=28.0, primair_proces=21.0, vakinhoudelijk=12.5)


def test_tel_uren_overig_telt_alleen_voor_het_totaal() -> None:
    assert tel_uren([("OVERIG", 40.0)]) == Uren(40.0, 0.0, 0.0)


def test_tel_uren_leeg() -> None:
    assert tel_uren([]) == Uren(0.0, 0.0, 0.0)
    assert tel_uren(iter(())) == Uren()


def test_tel_uren_tussen_is_tel_uren_over_de_dagen_van_tot() -> None:
    """The one-pass count gives tel_uren's floats, to the last bit, for any window: the same
    additions in the same order (hours that do not add up exactly, every area, both edges)."""
    rng = random.Random(12)
    gebieden = ("VAKINHOUDELIJK", "VAKDIDACTISCH", "PEDAGOGISCH", "OVERIG")
    for _ in range(300):
        acts = [
            (
                D(2020, 1, 1) + dt.timedelta(days=rng.randrange(2000)),
                rng.choice(gebieden),
                rng.choice((0.1, 1.6, 2.5, 7.3)),
            )
            for _ in range(rng.randrange(40))
        ]
        van = D(2020, 1, 1) + dt.timedelta(days=rng.randrange(2000))
        tot = van + dt.timedelta(days=rng.randrange(-5, 1500))
        verwacht = tel_uren((g, u) for d, g, u in acts if van <= d <= tot)
        assert tuple(tel_uren_tussen(acts, van, tot)) == tuple(verwacht)
        assert tel_uren_tussen(acts, van, tot) == verwacht


# voldoet


def test_voldoet_precies_op_de_grens() -> None:
    for soort in ALLE_SOORTEN:
        assert voldoet(Uren(160.0, 100.0, 40.0), STANDAARD, soort), soort


@pytest.mark.parametrize("soort", ALLE_SOORTEN)
def test_voldoet_niet_met_te_weinig_totaal(soort: str) -> None:
    assert not voldoet(Uren(159.5, 159.5, 159.5), STANDAARD, soort)


@pytest.mark.parametrize("soort", ALLE_SOORTEN)
def test_voldoet_niet_met_te_weinig_primair_proces(soort: str) -> None:
    # 160 hours, but only 99.5 in the three areas together
    uren = tel_uren([("OVERIG", 60.5), ("VAKINHOUDELIJK", 99.5)])
    assert uren.totaal == 160.0
    assert not voldoet(uren, STANDAARD, soort)


def test_vakinhoudelijk_minimum_alleen_voor_vo() -> None:
    """At least 40 VAKINHOUDELIJK only for EERSTEGRAADS and TWEEDEGRAADS."""
    uren = tel_uren([("VAKDIDACTISCH", 60.0), ("PEDAGOGISCH", 40.0), ("VAKINHOUDELIJK", 39.5), ("OVERIG", 20.5)])
    assert uren == Uren(160.0, 139.5, 39.5)
    for soort in VO:
        assert not voldoet(uren, STANDAARD, soort), soort
    for soort in NIET_VO:
        assert voldoet(uren, STANDAARD, soort), soort
    # and with the 40th hour, vo meets it too
    genoeg = tel_uren([("VAKDIDACTISCH", 60.0), ("PEDAGOGISCH", 40.0), ("VAKINHOUDELIJK", 40.0), ("OVERIG", 20.0)])
    for soort in ALLE_SOORTEN:
        assert voldoet(genoeg, STANDAARD, soort), soort


def test_voldoet_zonder_uren_nooit() -> None:
    for soort in ALLE_SOORTEN:
        assert not voldoet(Uren(), STANDAARD, soort)


def test_voldoet_met_andere_criteria() -> None:
    strenger = Criteria(D(2030, 1, 1), 200.0, 150.0, 60.0)
    uren = Uren(180.0, 140.0, 50.0)
    assert voldoet(uren, STANDAARD, "TWEEDEGRAADS")
    assert not voldoet(uren, strenger, "PO")
    assert voldoet(Uren(200.0, 150.0, 0.0), strenger, "PO")
    assert not voldoet(Uren(200.0, 150.0, 59.0), strenger, "EERSTEGRAADS")


def test_voldoet_telt_decimale_uren_zonder_afrondingsfout() -> None:
    """A hundred activities of 1.6 hours are 160 hours, although the float sum is 159.9999999999997."""
    uren = tel_uren([("VAKINHOUDELIJK", 1.6)] * 100)
    assert uren.totaal < 160.0  # the float sum really falls short; the rule must not
    assert voldoet(uren, STANDAARD, "EERSTEGRAADS")
    uren = tel_uren([("PEDAGOGISCH", 0.1)] * 1600 + [("VAKINHOUDELIJK", 0.2)] * 200)
    assert voldoet(uren, STANDAARD, "TWEEDEGRAADS")
    # but a real shortfall of a hundredth of an hour still counts as short
    assert not voldoet(Uren(159.99, 159.99, 159.99), STANDAARD, "PO")


# verwacht_aandeel


def _n(start: dt.date) -> int:
    """Days from the first anniversary to the last day inclusive, computed without the code under test."""
    s1 = D(start.year + 1, 3, 1) if (start.month, start.day) == (2, 29) else start.replace(year=start.year + 1)
    einde = datums.periode_einde(start)
    return (einde - s1).days + 1


def test_niets_verwacht_in_het_eerste_jaar() -> None:
    start = D(2026, 12, 1)
    einde = D(2030, 11, 30)
    assert verwacht_aandeel(start, einde, start) == 0
    assert verwacht_aandeel(start, einde, D(2027, 11, 30)) == 0  # the day before s1
    assert verwacht_aandeel(start, einde, start - DAG) == 0  # before the period


def test_aandeel_vanaf_de_eerste_verjaardag() -> None:
    start, einde = D(2026, 12, 1), D(2030, 11, 30)
    n = (einde - D(2027, 12, 1)).days + 1
    assert n == 1096
    assert verwacht_aandeel(start, einde, D(2027, 12, 1)) == pytest.approx(1 / n)  # s1 itself counts
    assert verwacht_aandeel(start, einde, D(2027, 12, 2)) == pytest.approx(2 / n)
    assert verwacht_aandeel(start, einde, einde - DAG) == pytest.approx((n - 1) / n)
    assert verwacht_aandeel(start, einde, einde) == 1
    assert verwacht_aandeel(start, einde, einde + DAG) == 1  # clamped
    assert verwacht_aandeel(start, einde, D(2040, 1, 1)) == 1


def test_aandeel_met_schrikkeldag_start() -> None:
    start, einde = D(2024, 2, 29), D(2028, 2, 28)
    # s1 is 1 March 2025, the anniversary of 29 February
    assert verwacht_aandeel(start, einde, D(2025, 2, 28)) == 0
    n = (einde - D(2025, 3, 1)).days + 1
    assert n == _n(start) == 1095
    assert verwacht_aandeel(start, einde, D(2025, 3, 1)) == pytest.approx(1 / n)
    assert verwacht_aandeel(start, einde, einde) == 1


def test_aandeel_is_exact_de_formule_voor_elke_dag() -> None:
    """clamp(days from s1 to d inclusive, 0, n) / n on every day of several periods."""
    for start in (D(2024, 2, 29), D(2024, 3, 1), D(2023, 3, 1), D(2026, 12, 1), D(2025, 1, 1)):
        einde = datums.periode_einde(start)
        s1 = datums.verjaardag(start, 1)
        n = _n(start)
        vorige = -1.0
        d = start - DAG * 3
        while d <= einde + DAG * 3:
            verstreken = (d - s1).days + 1
            verwacht = Fraction(min(max(verstreken, 0), n), n)
            aandeel = verwacht_aandeel(start, einde, d)
            assert aandeel == pytest.approx(float(verwacht), abs=1e-12), (start, d)
            assert 0 <= aandeel <= 1
            assert aandeel >= vorige  # never goes down
            vorige = aandeel
            d += DAG


# voortgang


def test_op_schema_in_het_eerste_jaar_zonder_uren() -> None:
    start, einde = D(2026, 12, 1), D(2030, 11, 30)
    for soort in ALLE_SOORTEN:
        assert voortgang(start, einde, D(2027, 11, 30), Uren(), STANDAARD, soort) == OP_SCHEMA


def test_risico_op_de_eerste_verjaardag_zonder_uren() -> None:
    start, einde = D(2026, 12, 1), D(2030, 11, 30)
    for soort in ALLE_SOORTEN:
        assert voortgang(start, einde, D(2027, 12, 1), Uren(), STANDAARD, soort) == RISICO


def test_op_de_grens_van_elk_criterium() -> None:
    """Hours exactly at the expected share are on schedule; just below is RISICO, for each criterion."""
    start, einde = D(2026, 12, 1), D(2030, 11, 30)
    n = 1096
    for dagen_na_s1 in (1, 100, 548, n - 1, n):
        dag = D(2027, 12, 1) + DAG * (dagen_na_s1 - 1)
        aandeel = dagen_na_s1 / n
        precies = Uren(160 * aandeel, 100 * aandeel, 40 * aandeel)
        for soort in ALLE_SOORTEN:
            assert voortgang(start, einde, dag, precies, STANDAARD, soort) == OP_SCHEMA, (dag, soort)
        tekort = 0.01
        assert voortgang(start, einde, dag, Uren(precies.totaal - tekort, 160, 160), STANDAARD, "PO") == RISICO
        assert voortgang(start, einde, dag, Uren(160, precies.primair_proces - tekort, 160), STANDAARD, "PO") == RISICO


def test_risico_bij_elk_criterium_apart() -> None:
    """RISICO when below the expected share of ANY criterion, even with plenty for the others."""
    start, einde = D(2026, 12, 1), D(2030, 11, 30)
    dag = D(2029, 12, 1)  # n = 1096; 2028 is a leap year, so this is day 732 from s1
    aandeel = verwacht_aandeel(start, einde, dag)
    assert aandeel == pytest.approx(732 / 1096)
    ruim = 1000.0
    # plenty in total, too little in the three areas
    assert voortgang(start, einde, dag, Uren(ruim, 100 * aandeel - 1, ruim), STANDAARD, "PO") == RISICO
    # plenty of everything, too little vakinhoudelijk: only vo is at risk
    weinig_vak = Uren(ruim, ruim, 40 * aandeel - 1)
    for soort in VO:
        assert voortgang(start, einde, dag, weinig_vak, STANDAARD, soort) == RISICO, soort
    for soort in NIET_VO:
        assert voortgang(start, einde, dag, weinig_vak, STANDAARD, soort) == OP_SCHEMA, soort


def test_uren_precies_op_schema_met_afrondingsfout() -> None:
    """Fifty activities of 1.6 hours are the 80 hours due half-way, though their float sum is just below."""
    start, einde = D(2026, 12, 1), D(2030, 11, 30)
    half = D(2027, 12, 1) + DAG * (548 - 1)  # n = 1096, so day 548 from s1 is exactly half
    assert verwacht_aandeel(start, einde, half) == 0.5
    uren = tel_uren([("PEDAGOGISCH", 1.6)] * 50)
    assert uren.totaal < 80.0
    assert voortgang(start, einde, half, uren, STANDAARD, "PO") == OP_SCHEMA
    assert voortgang(start, einde, half + DAG, uren, STANDAARD, "PO") == RISICO


def test_een_afgelopen_periode_houdt_de_status_van_haar_laatste_dag() -> None:
    start, einde = D(2026, 12, 1), D(2030, 11, 30)
    bijna = Uren(159.0, 100.0, 40.0)
    assert voortgang(start, einde, einde, bijna, STANDAARD, "PO") == RISICO
    assert voortgang(start, einde, einde + DAG, bijna, STANDAARD, "PO") == RISICO
    assert voortgang(start, einde, D(2035, 1, 1), bijna, STANDAARD, "PO") == RISICO
    vol = Uren(160.0, 100.0, 40.0)
    assert voortgang(start, einde, einde, vol, STANDAARD, "TWEEDEGRAADS") == OP_SCHEMA
    assert voortgang(start, einde, D(2035, 1, 1), vol, STANDAARD, "TWEEDEGRAADS") == OP_SCHEMA


def test_vaste_uren_worden_op_een_dag_risico_en_blijven_het() -> None:
    """With a fixed number of hours the status flips once, from OP_SCHEMA to RISICO, and stays."""
    start = D(2024, 2, 29)
    einde = datums.periode_einde(start)
    uren = Uren(80.0, 80.0, 40.0)  # half the total: at risk from just past half-way
    statussen = []
    d = start
    while d <= einde:
        statussen.append(voortgang(start, einde, d, uren, STANDAARD, "EERSTEGRAADS"))
        d += DAG
    eerste_risico = statussen.index(RISICO)
    assert set(statussen[:eerste_risico]) == {OP_SCHEMA}
    assert set(statussen[eerste_risico:]) == {RISICO}
    omslag = start + DAG * eerste_risico
    # the last day on schedule is the last day whose share of 160 is at most 80 hours
    n = _n(start)
    s1 = D(2025, 3, 1)
    assert 160 * ((omslag - s1).days + 1) > 80 * n
    assert 160 * ((omslag - DAG - s1).days + 1) <= 80 * n


# criteria_op


def test_criteria_op_neemt_de_laatste_die_al_geldt() -> None:
    a = Criteria(D(2018, 8, 1), 160.0, 100.0, 40.0)
    b = Criteria(D(2027, 8, 1), 180.0, 110.0, 45.0)
    c = Criteria(D(2030, 1, 1), 200.0, 120.0, 50.0)
    alle = [c, a, b]  # order of the records does not matter
    assert criteria_op(alle, D(2018, 7, 31)) is None
    assert criteria_op(alle, D(2018, 8, 1)) == a
    assert criteria_op(alle, D(2027, 7, 31)) == a
    assert criteria_op(alle, D(2027, 8, 1)) == b
    assert criteria_op(alle, D(2029, 12, 31)) == b
    assert criteria_op(alle, D(2030, 1, 1)) == c
    assert criteria_op(alle, D(2099, 1, 1)) == c
    assert criteria_op([], D(2030, 1, 1)) is None


# periode_op


def test_periode_op() -> None:
    eerste = D(2026, 12, 1)
    assert periode_op(eerste, eerste) == (D(2026, 12, 1), D(2030, 11, 30))
    assert periode_op(eerste, D(2030, 11, 30)) == (D(2026, 12, 1), D(2030, 11, 30))
    assert periode_op(eerste, D(2030, 12, 1)) == (D(2030, 12, 1), D(2034, 11, 30))
    assert periode_op(eerste, D(2034, 12, 1)) == (D(2034, 12, 1), D(2038, 11, 30))
    assert periode_op(D(2024, 2, 29), D(2028, 2, 29)) == (D(2028, 2, 29), D(2032, 2, 28))
    assert periode_op(eerste, D(2020, 1, 1)) == (D(2026, 12, 1), D(2030, 11, 30))


def test_criteria_id_op_kiest_de_geldende_en_anders_de_oudste():
    from lerarenregister.regels.herregistratie import criteria_id_op

    oud = Criteria(dt.date(2018, 8, 1), 160.0, 100.0, 40.0)
    nieuw = Criteria(dt.date(2027, 8, 1), 200.0, 120.0, 50.0)
    alle = {1: oud, 2: nieuw}
    assert criteria_id_op(alle, dt.date(2027, 7, 31)) == 1  # the day before the new ones take effect
    assert criteria_id_op(alle, dt.date(2027, 8, 1)) == 2  # their first day
    assert criteria_id_op(alle, dt.date(2017, 1, 1)) == 1  # before any record: the oldest
