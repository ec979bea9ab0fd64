"""graphql-core's message shapes (schema/kernberichten.py): one case per shape and supported version.

The 3.2 messages are written out as graphql-core 3.2 prints them; the 3.3 ones are made by the
installed graphql-core, so that an upgrade that rewords one fails here first.
"""

from __future__ import annotations

import graphql
import pytest
from graphql import parse, validate
from graphql.execution.values import get_variable_values

from lerarenregister.schema import bouw_schema, kernberichten
from lerarenregister.schema.kernberichten import Variabelefout

ZET = "mutation($leveringen: [Levering!]!) { zetGegevensKlaar(leveringen: $leveringen) { nieuw } }"
LEVERING = {
    "bsn": "111222333",
    "voornamen": "Jan",
    "achternaam": "Smit",
    "geboortedatum": "1990-01-01",
    "bevoegdheden": [],
    "benoemingen": [],
}


def _variabelefouten(waarde: object) -> list[str]:
    schema = bouw_schema()._schema
    definitie = parse(ZET).definitions[0]
    uitkomst = get_variable_values(schema, definitie.variable_definitions, {"leveringen": waarde})  # type: ignore[attr-defined]
    assert isinstance(uitkomst, list), "expected coercion errors"
    return [e.message for e in uitkomst]


@pytest.mark.parametrize(
    ("bericht", "verwacht"),
    [
        (
            "Variable '$leveringen' got invalid value 'x' at 'leveringen[0].geboortedatum'; "
            'Value cannot represent a Date: "x".',
            Variabelefout("leveringen[0].geboortedatum", 'Value cannot represent a Date: "x".'),
        ),
        (
            "Variable '$leveringen' got invalid value {'bsn': '1'} at 'leveringen[0]'; "
            "Field 'voornamen' of required type 'String!' was not provided.",
            Variabelefout("leveringen[0].voornamen", "Field 'voornamen' of required type 'String!' was not provided."),
        ),
        (
            "Variable '$leveringen' got invalid value {'x': 1} at 'leveringen[0]'; "
            "Field 'x' is not defined by type 'Levering'.",
            Variabelefout("leveringen[0].x", "Field 'x' is not defined by type 'Levering'."),
        ),
        (
            "Variable '$first' got invalid value 'a'; Int cannot represent non-integer value: 'a'",
            Variabelefout("first", "Int cannot represent non-integer value: 'a'"),
        ),
    ],
)
def test_variabelevormen_van_graphql_core_3_2(bericht: str, verwacht: Variabelefout) -> None:
    assert kernberichten.variabele(bericht) == verwacht


@pytest.mark.skipif(
    not graphql.version.startswith("3.3"), reason="the 3.3 shapes as the installed graphql-core prints them"
)
def test_variabelevormen_van_graphql_core_3_3() -> None:
    (datum,) = _variabelefouten([{**LEVERING, "geboortedatum": "nee"}])
    assert kernberichten.variabele(datum) == Variabelefout(
        "leveringen[0].geboortedatum", "Value cannot represent a Date: \"nee\". Invalid isoformat string: 'nee'"
    )
    ontbrekend = _variabelefouten([{"bsn": "111222333"}])
    assert [kernberichten.variabele(b).veld for b in ontbrekend] == [  # type: ignore[union-attr]
        "leveringen[0].voornamen",
        "leveringen[0].achternaam",
        "leveringen[0].geboortedatum",
        "leveringen[0].bevoegdheden",
        "leveringen[0].benoemingen",
    ]
    (onbekend,) = _variabelefouten([{**LEVERING, "x": 1}])
    gevonden = kernberichten.variabele(onbekend)
    assert gevonden is not None and gevonden.veld == "leveringen[0].x"
    assert "found" not in gevonden.reden and "Jan" not in gevonden.reden  # the input is not echoed
    (geen_object,) = _variabelefouten(5)
    assert kernberichten.variabele(geen_object) == Variabelefout(
        "leveringen", "Expected value of type 'Levering' to be an object."
    )


def test_bericht_van_andere_vorm_is_geen_variabelefout() -> None:
    assert kernberichten.variabele("Cannot query field 'x' on type 'Query'.") is None
    assert kernberichten.variabele("Variable '$x' is never used.") is None


def test_ontbrekend_argument_zoals_beide_versies_het_schrijven() -> None:
    (bericht,) = (e.message for e in validate(bouw_schema()._schema, parse("{ zoekLeraren { totalCount } }")))
    assert kernberichten.ontbrekend_argument(bericht) == "zoekterm"
    # graphql-core 3.2 words it differently and names no field that is read: the error keeps no `field`.
    assert (
        kernberichten.ontbrekend_argument(
            "Field 'zoekLeraren' argument 'zoekterm' of type 'String!' is required, but it was not provided."
        )
        is None
    )
    assert (
        kernberichten.ontbrekend_argument(
            "Argument 'Query.zoekLeraren(zoekterm:)' of type 'String!' is required, but it was not provided."
        )
        == "zoekterm"
    )


def test_literaal_en_syntaxvormen() -> None:
    (literaal,) = (
        e.message for e in validate(bouw_schema()._schema, parse("{ zoekLeraren(zoekterm: 5) { totalCount } }"))
    )
    assert kernberichten.is_invoerfout(literaal)
    assert kernberichten.is_invoerfout("Expected value of type 'Int!', found \"a\".")  # 3.2
    assert not kernberichten.is_invoerfout("Cannot query field 'x' on type 'Query'.")
    syntax = pytest.raises(graphql.GraphQLError, parse, "{").value.message
    assert kernberichten.is_syntaxfout(syntax) and not kernberichten.is_syntaxfout(literaal)
    assert kernberichten.zonder_invoer("Expected value of type 'Levering' to be an object, found: 5.") == (
        "Expected value of type 'Levering' to be an object."
    )
