"""schema/fouten.py without a server: which errors roll back, and what a client sees of each."""

from __future__ import annotations

import logging

import pytest
from graphql import GraphQLError

from lerarenregister.resolvers.fouten import Invoerfout, InvoerFouten, NietGevonden, Onbevoegd
from lerarenregister.schema.fouten import als_antwoord, formatteer, terugdraaien


def _fout(orig: Exception | None, pad: list[str | int] | None, bericht: str = "x") -> GraphQLError:
    return GraphQLError(bericht, path=pad, original_error=orig)


def test_weigering_onder_het_rootveld_draait_niet_terug() -> None:
    assert not terugdraaien([_fout(Onbevoegd("no"), ["ik", "bsn"])])
    assert not terugdraaien([])


@pytest.mark.parametrize(
    "fout",
    [
        _fout(Onbevoegd("no"), ["zetGegevensKlaar"]),  # the root field itself
        _fout(NietGevonden("no"), None),  # no path at all
        _fout(InvoerFouten([Invoerfout("a", "b")]), ["a", "b"]),  # invalid input, however deep
        _fout(None, None, "Cannot query field 'x' on type 'Query'."),  # graphql-core's own
        _fout(RuntimeError("boom"), ["ik", "naam"]),  # unexpected
    ],
)
def test_al_het_andere_draait_terug(fout: GraphQLError) -> None:
    assert terugdraaien([_fout(Onbevoegd("no"), ["ik", "bsn"]), fout])


def test_formatteer_is_antwoord_en_terugdraaien_samen() -> None:
    fouten = [_fout(Onbevoegd("no"), ["ik", "bsn"])]
    assert formatteer(fouten) == (als_antwoord(fouten), False)


def test_ongeldige_invoer_is_een_fout_per_veld() -> None:
    uit = als_antwoord([_fout(InvoerFouten([Invoerfout("a.b", "is required"), Invoerfout("c", "too long")]), ["m"])])
    assert [(f["message"], f["extensions"]) for f in uit] == [
        ("a.b: is required", {"code": "BAD_USER_INPUT", "field": "a.b"}),
        ("c: too long", {"code": "BAD_USER_INPUT", "field": "c"}),
    ]


def test_onverwachte_fout_gemaskeerd_en_gelogd_onder_correlatie_id(caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.ERROR, logger="lerarenregister.fouten"):
        (fout,) = als_antwoord([_fout(RuntimeError("SELECT secret FROM leraar"), ["ik"])])
    assert fout["message"] == "internal error" and "secret" not in str(fout)
    assert fout["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    assert fout["extensions"]["correlationId"] in caplog.text


def test_fouten_in_documentvolgorde_en_nooit_een_bsn() -> None:
    laat = GraphQLError("Syntax Error: 123456789", path=["b"])
    vroeg = _fout(NietGevonden("gone", "id"), ["a", 0])
    uit = als_antwoord([laat, vroeg])
    assert [f["extensions"]["code"] for f in uit] == ["NOT_FOUND", "GRAPHQL_PARSE_FAILED"]
    assert uit[0]["path"] == ["a", 0] and uit[0]["extensions"] == {"code": "NOT_FOUND", "field": "id"}
    assert "123456789" not in uit[1]["message"]


def test_validatiefout_is_bad_input_alleen_tijdens_uitvoering() -> None:
    fout = GraphQLError("Something graphql-core says", path=["a"])
    assert als_antwoord([fout])[0]["extensions"] == {"code": "BAD_USER_INPUT"}
    assert als_antwoord([fout], uitvoering=False)[0]["extensions"] == {"code": "GRAPHQL_VALIDATION_FAILED"}
    assert als_antwoord([GraphQLError("Something else")])[0]["extensions"] == {"code": "GRAPHQL_VALIDATION_FAILED"}
