"""The cost plan of an operation (README, "Limits"): per field, 1 plus its multiplier times the
cost of its selection, the multiplier a constant or read from a variable (`first`, a list's length).
Made by schema/limieten.py's walk of the document; evaluated per request with its variables."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Kosten:
    """One field of the cost plan: 1 plus its multiplier times the cost of its selection."""

    vast: int = 1  # the multiplier when it does not depend on a variable
    variabele: str | None = None  # the variable that gives `first` or the list
    lengte: bool = False  # the variable's length, not its value, is the multiplier
    maximum: int = 0  # a variable's value is taken at most this
    kinderen: tuple[Kosten, ...] = ()

    def bereken(self, variabelen: dict[str, Any]) -> int:
        m = self.vast
        if self.variabele is not None and self.variabele in variabelen:
            waarde = variabelen[self.variabele]
            if self.lengte:
                m = len(waarde) if isinstance(waarde, list) else 1
            elif isinstance(waarde, int) and not isinstance(waarde, bool):
                m = waarde
            m = max(0, min(m, self.maximum))
        return 1 + m * sum(k.bereken(variabelen) for k in self.kinderen)


def gelezen_variabelen(plan: tuple[Kosten, ...]) -> tuple[str, ...]:
    """The variables the estimate reads (`first`, a list's length)."""
    namen: set[str] = set()
    stapel = list(plan)
    while stapel:
        k = stapel.pop()
        if k.variabele is not None:
            namen.add(k.variabele)
        stapel.extend(k.kinderen)
    return tuple(sorted(namen))


MAX_BEKEND = 256
GEEN = object()


def vorm(namen: tuple[str, ...], variabelen: dict[str, Any]) -> tuple[Any, ...]:
    """What of each variable `Kosten.bereken` reads: an int's value, a list's length, else nothing."""
    uit: list[Any] = []
    for naam in namen:
        w = variabelen.get(naam, GEEN)
        if w is GEEN:
            uit.append(GEEN)
        elif isinstance(w, list):
            uit.append(("lijst", len(w)))
        elif isinstance(w, int) and not isinstance(w, bool):
            uit.append(w)
        else:
            uit.append(None)
    return tuple(uit)
