"""The free-text rules (regels/tekst.py) at their edges: which characters, how long, how many words."""

from __future__ import annotations

import pytest

from lerarenregister.regels.tekst import (
    _VERBODEN_KORT,
    _VERBODEN_LANG,
    CATALOGUS_MAX_WOORDEN,
    ZOEKTERM_MAX_TEKENS,
    Tekstsoort,
    tekstfout,
)

K, L, Z, C = Tekstsoort.KORT, Tekstsoort.LANG, Tekstsoort.ZOEKTERM, Tekstsoort.ZOEKTERM_CATALOGUS


@pytest.mark.parametrize(
    "teken",
    [
        "\x00",
        "\x01",
        "\x1b",
        "\x1f",
        "\x7f",
        "\x80",
        "\x85",
        "\x9f",
        "\u202a",
        "\u202b",
        "\u202c",
        "\u202d",
        "\u202e",
        "\u2066",
        "\u2067",
        "\u2068",
        "\u2069",
    ],
)
def test_verboden_overal(teken: str) -> None:
    for soort in Tekstsoort:
        assert tekstfout(f"de{teken}Vries", soort) is not None, (soort, teken)


@pytest.mark.parametrize("teken", ["\t", "\n", "\r"])
def test_regels_alleen_in_lange_teksten(teken: str) -> None:
    assert tekstfout(f"een{teken}twee", L) is None
    for soort in (K, Z, C):
        assert tekstfout(f"een{teken}twee", soort) is not None


@pytest.mark.parametrize(
    "tekst",
    ["Öztürk", "d'Ancona", "van 't Hek", "Ærø", "李", "\u202f", "\u2065", "\u2029x", "\u200f", "\xa0", "😀", ""],
)
def test_gewone_tekst_mag(tekst: str) -> None:
    # Letters of any script, apostrophes, emoji; the neighbours of the refused ranges are not refused.
    for soort in Tekstsoort:
        assert tekstfout(tekst, soort) is None, (soort, tekst)


def test_zoekterm_lengte_op_de_grens() -> None:
    assert tekstfout("a" * ZOEKTERM_MAX_TEKENS, Z) is None
    assert tekstfout("a" * (ZOEKTERM_MAX_TEKENS + 1), Z) is not None
    assert tekstfout("a" * (ZOEKTERM_MAX_TEKENS + 1), C) is not None
    assert tekstfout("a" * (ZOEKTERM_MAX_TEKENS + 1), K) is None  # only search terms have this limit


def test_catalogus_woorden_op_de_grens() -> None:
    assert tekstfout(" ".join(["w"] * CATALOGUS_MAX_WOORDEN), C) is None
    assert tekstfout("  ".join(["w"] * CATALOGUS_MAX_WOORDEN) + "  ", C) is None  # white space is no word
    assert tekstfout(" ".join(["w"] * (CATALOGUS_MAX_WOORDEN + 1)), C) is not None
    assert tekstfout(" ".join(["w"] * (CATALOGUS_MAX_WOORDEN + 1)), Z) is None  # teachers: one prefix, not words


def test_snelle_weg_voor_ascii_zegt_wat_het_patroon_zegt() -> None:
    """Printable ASCII skips the search: every character up to U+3000, alone and amid ASCII, gets
    the verdict of the patterns themselves."""
    for code in range(0x3000):
        for tekst in (chr(code), f"ab{chr(code)}cd"):
            for soort, patroon in ((Tekstsoort.KORT, _VERBODEN_KORT), (Tekstsoort.LANG, _VERBODEN_LANG)):
                assert (tekstfout(tekst, soort) is not None) == (patroon.search(tekst) is not None), (code, soort)


def test_elke_tekstsoort_heeft_zijn_regel() -> None:
    """A kind added without its rule would fail on its first text, as an AttributeError."""
    for soort in Tekstsoort:
        assert soort.verboden in (_VERBODEN_KORT, _VERBODEN_LANG), soort
        assert soort.max_tekens is None or soort.max_tekens > 0, soort
        assert soort.max_woorden is None or soort.max_woorden > 0, soort
        assert tekstfout("gewoon", soort) is None, soort
