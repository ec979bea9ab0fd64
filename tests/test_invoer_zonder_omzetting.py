"""schema/invoer.py's `zonder_omzetting`: coerced input values under their Python names, names taken
from strawberry's own field definitions (so a new input field needs no hand-kept map)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace
from typing import Any

import strawberry

from lerarenregister.schema.invoer import zonder_omzetting


@zonder_omzetting
@strawberry.input
class Binnen:
    behaald_op: dt.date


@zonder_omzetting
@strawberry.input
class Buiten:
    bevoegd_gezag_nummer: str
    binnen: list[Binnen]
    nieuw_veld_later: str | None = None


def test_waarden_onder_pythonnamen_zonder_invoerklassen() -> None:
    gekregen: list[Any] = []

    @strawberry.type
    class Query:
        @strawberry.field
        def neem(self, invoer: list[Buiten]) -> int:
            gekregen.extend(invoer)
            return len(invoer)

    schema = strawberry.Schema(query=Query)
    uitkomst = schema.execute_sync(
        "query($i: [Buiten!]!) { neem(invoer: $i) }",
        variable_values={"i": [{"bevoegdGezagNummer": "12AB", "binnen": [{"behaaldOp": "2024-02-29"}]}]},
    )
    assert uitkomst.errors is None
    assert gekregen == [
        SimpleNamespace(
            bevoegd_gezag_nummer="12AB",
            binnen=[SimpleNamespace(behaald_op=dt.date(2024, 2, 29))],
            nieuw_veld_later=None,
        )
    ]
