"""Expected failures, each with the code clients branch on (API.md, "Errors")."""

from __future__ import annotations

from dataclasses import dataclass


class RegisterFout(Exception):
    code = "INTERNAL_SERVER_ERROR"

    def __init__(self, bericht: str, veld: str | None = None):
        super().__init__(bericht)
        self.bericht = bericht
        self.veld = veld


class Onbevoegd(RegisterFout):
    """Denied: the viewer is not among the audiences of this field or operation."""

    code = "FORBIDDEN"


class NietAangemeld(RegisterFout):
    code = "UNAUTHENTICATED"


class NietGevonden(RegisterFout):
    code = "NOT_FOUND"


class Conflict(RegisterFout):
    code = "CONFLICT"


class OngeldigeInvoer(RegisterFout):
    code = "BAD_USER_INPUT"


@dataclass(frozen=True)
class Invoerfout:
    veld: str
    bericht: str


class InvoerFouten(RegisterFout):
    """Several invalid fields at once: reported as one BAD_USER_INPUT error per field."""

    code = "BAD_USER_INPUT"

    def __init__(self, fouten: list[Invoerfout]):
        super().__init__("; ".join(f"{f.veld}: {f.bericht}" for f in fouten), fouten[0].veld if fouten else None)
        self.fouten = fouten


class Verzamelaar:
    """Collects invalid fields of one input, so a client learns all of them in one answer."""

    def __init__(self) -> None:
        self.fouten: list[Invoerfout] = []

    def fout(self, veld: str, bericht: str) -> None:
        self.fouten.append(Invoerfout(veld, bericht))

    def controleer(self) -> None:
        if self.fouten:
            raise InvoerFouten(self.fouten)
