"""Schema changes are reviewed: the code's schema against docs/schema-basis.graphql, every breaking,
dangerous or widening change named in docs/schemawijzigingen.md (lerarenregister/schemawijzigingen.py)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from lerarenregister import schemawijzigingen as sw
from lerarenregister.schema import sdl

WORTEL = Path(__file__).parent.parent

KOP = """
directive @zichtbaarVoor(doelgroepen: [Doelgroep!]!) on FIELD_DEFINITION
enum Doelgroep { PUBLIEK LERAAR_ZELF WERKGEVER DUO }
enum Status { ACTIEF VERLOPEN }
"""

OUD = (
    KOP
    + """
type Query {
  leraar(registernummer: String!): Leraar @zichtbaarVoor(doelgroepen: [PUBLIEK])
  leraren(first: Int = 10): LeraarConnection @zichtbaarVoor(doelgroepen: [PUBLIEK])
}
type LeraarConnection { edges: [Leraar!]! }
type Leraar {
  naam: String! @zichtbaarVoor(doelgroepen: [PUBLIEK])
  geboortedatum: String @zichtbaarVoor(doelgroepen: [LERAAR_ZELF])
  status: Status @zichtbaarVoor(doelgroepen: [LERAAR_ZELF, WERKGEVER])
  intern: String
}
"""
)

REGISTER_LEEG = "# Schema changes\n\nProse: not an entry.\n\n## Since the baseline\n\n"


def _nieuw(oud: str, nieuw: str) -> str:
    assert oud in OUD
    return OUD.replace(oud, nieuw)


def _open(nieuw: str, register: str = REGISTER_LEEG) -> list[sw.Wijziging]:
    return sw.ongenoemd(OUD, nieuw, register)


def test_ongewijzigd_is_in_orde() -> None:
    assert sw.wijzigingen(OUD, OUD) == []


def test_een_verwijderd_veld_breekt() -> None:
    nieuw = _nieuw("  intern: String\n", "")
    [w] = _open(nieuw)
    assert (w.soort, w.code, w.coordinaat) == ("BREAKING", "FIELD_REMOVED", "Leraar.intern")


def test_een_verplicht_argument_en_een_ander_type_breken() -> None:
    nieuw = _nieuw("leraar(registernummer: String!)", "leraar(registernummer: String!, peildatum: String!)")
    nieuw = nieuw.replace("naam: String!", "naam: Int!")
    assert {(w.code, w.coordinaat) for w in _open(nieuw)} == {
        ("REQUIRED_ARG_ADDED", "Query.leraar(peildatum:)"),
        ("FIELD_CHANGED_KIND", "Leraar.naam"),
    }


def test_een_toegevoegde_doelgroep_verbreedt() -> None:
    nieuw = _nieuw(
        "geboortedatum: String @zichtbaarVoor(doelgroepen: [LERAAR_ZELF])",
        "geboortedatum: String @zichtbaarVoor(doelgroepen: [LERAAR_ZELF, WERKGEVER])",
    )
    [w] = _open(nieuw)
    assert (w.soort, w.coordinaat) == ("WIDENED", "Leraar.geboortedatum")
    assert "WERKGEVER" in w.beschrijving


def test_een_geruilde_doelgroep_verbreedt_ook() -> None:
    """One audience out, another in: still someone new sees it."""
    nieuw = _nieuw("[LERAAR_ZELF, WERKGEVER]", "[LERAAR_ZELF, DUO]")
    assert [(w.soort, w.coordinaat) for w in _open(nieuw)] == [("WIDENED", "Leraar.status")]


def test_een_versmalde_doelgroep_is_in_orde() -> None:
    nieuw = _nieuw("[LERAAR_ZELF, WERKGEVER]", "[LERAAR_ZELF]")
    assert _open(nieuw) == []


def test_een_veld_dat_voor_niemand_was_wordt_zichtbaar() -> None:
    nieuw = _nieuw("intern: String", "intern: String @zichtbaarVoor(doelgroepen: [DUO])")
    [w] = _open(nieuw)
    assert (w.soort, w.coordinaat) == ("WIDENED", "Leraar.intern")
    assert "was: nobody" in w.beschrijving


def test_nieuwe_velden_en_typen_zijn_nieuw_zichtbaar() -> None:
    nieuw = _nieuw(
        "  intern: String\n",
        "  intern: String\n  bsn: String @zichtbaarVoor(doelgroepen: [DUO])\n"
        "  nogIntern: String\n  dossier: Dossier @zichtbaarVoor(doelgroepen: [LERAAR_ZELF])\n}\n"
        "type Dossier {\n  inhoud: String @zichtbaarVoor(doelgroepen: [LERAAR_ZELF])\n"
        "  kenmerk: ID @zichtbaarVoor(doelgroepen: [LERAAR_ZELF])\n",
    )
    assert {(w.soort, w.coordinaat) for w in _open(nieuw)} == {
        ("WIDENED", "Leraar.bsn"),
        ("WIDENED", "Leraar.dossier"),
        ("WIDENED", "Dossier.inhoud"),
        ("WIDENED", "Dossier.kenmerk"),
    }  # nogIntern: visible to nobody
    # A type's name covers its fields; a field's name covers that field only.
    register = REGISTER_LEEG + "- `Dossier`: the teacher's own file (reviewed by the privacy officer)\n"
    assert {w.coordinaat for w in _open(nieuw, register)} == {"Leraar.bsn", "Leraar.dossier"}
    register += "- Leraar.dossier: the way to it\n* `Leraar.bsn`: DUO matches on it\n"
    assert _open(nieuw, register) == []


def test_gevaarlijke_wijzigingen() -> None:
    nieuw = _nieuw("enum Status { ACTIEF VERLOPEN }", "enum Status { ACTIEF VERLOPEN GESCHORST }")
    nieuw = nieuw.replace("leraren(first: Int = 10)", "leraren(first: Int = 50, after: String)")
    assert {(w.soort, w.code, w.coordinaat) for w in _open(nieuw)} == {
        ("DANGEROUS", "VALUE_ADDED_TO_ENUM", "Status.GESCHORST"),
        ("DANGEROUS", "ARG_DEFAULT_VALUE_CHANGE", "Query.leraren(first:)"),
        ("DANGEROUS", "OPTIONAL_ARG_ADDED", "Query.leraren(after:)"),
    }
    register = REGISTER_LEEG + "- `Status`: a suspension is a status now\n- `Query.leraren`: longer pages\n"
    assert _open(nieuw, register) == []


def test_een_genoemde_uitzondering_laat_door_en_alleen_die() -> None:
    nieuw = _nieuw("  intern: String\n", "").replace("[LERAAR_ZELF])", "[LERAAR_ZELF, WERKGEVER])")
    assert {w.coordinaat for w in _open(nieuw)} == {"Leraar.intern", "Leraar.geboortedatum"}
    register = REGISTER_LEEG + "- `Leraar.intern`: never used by any client (access logs of 2026)\n"
    assert [w.coordinaat for w in _open(nieuw, register)] == ["Leraar.geboortedatum"]
    # A name that only starts the same does not cover: Leraar.in is not Leraar.intern.
    assert len(_open(nieuw, REGISTER_LEEG + "- `Leraar.in`: no\n")) == 2


def test_alleen_de_sectie_sinds_de_basis_telt() -> None:
    nieuw = _nieuw("  intern: String\n", "")
    elders = (
        "# Schema changes\n\n## Since the baseline\n\n## Until the baseline of 2026-01-01\n\n- `Leraar.intern`: old\n"
    )
    assert [w.coordinaat for w in _open(nieuw, elders)] == ["Leraar.intern"]


def test_een_onleesbare_regel_is_een_fout() -> None:
    with pytest.raises(sw.OngeldigRegister, match="line 7"):
        sw.genoemd(REGISTER_LEEG + "- Leraar.intern removed, sorry\n")
    with pytest.raises(sw.OngeldigRegister, match="line 7"):
        sw.genoemd(REGISTER_LEEG + "- `Leraar.intern`:\n")  # no reason
    with pytest.raises(sw.OngeldigRegister, match="no heading"):
        sw.genoemd("# Schema changes\n- `Leraar.intern`: x\n")


def test_nieuwe_basis_archiveert_de_namen() -> None:
    register = REGISTER_LEEG + "- `Leraar.intern`: unused\n\n## Until the baseline of 2026-01-01\n\n- `X`: y\n"
    na = sw.nieuwe_basis(register, dt.date(2026, 12, 1))
    assert sw.genoemd(na) == {}
    assert "## Until the baseline of 2026-12-01\n\n- `Leraar.intern`: unused\n" in na
    assert na.index("2026-12-01") < na.index("2026-01-01")
    assert sw.nieuwe_basis(REGISTER_LEEG, dt.date(2026, 12, 1)).strip() == REGISTER_LEEG.strip()


def test_de_doelgroepen_van_het_echte_schema_worden_gelezen() -> None:
    from graphql import build_schema

    groepen = sw.doelgroepen(build_schema(sdl()))
    assert groepen["Aanbieder.code"] == {"PUBLIEK"}
    assert groepen["Aantekening.status"] == {"LERAAR_ZELF", "WERKGEVER"}
    assert sum(1 for g in groepen.values() if g) > 100


def test_het_schema_tegen_de_basis() -> None:
    """The check CI runs: every breaking, dangerous or widening change since the baseline is named."""
    open_ = sw.ongenoemd(sw.BASIS.read_text(), sdl(), sw.REGISTER.read_text())
    assert not open_, sw.rapport(open_)


def test_het_rapport_geeft_regels_om_over_te_nemen() -> None:
    open_ = _open(_nieuw("  intern: String\n", ""))
    tekst = sw.rapport(open_)
    assert "BREAKING FIELD_REMOVED Leraar.intern" in tekst
    assert "- `Leraar.intern`: <why; who reviewed it>" in tekst
    assert "docs/schemawijzigingen.md" in tekst
