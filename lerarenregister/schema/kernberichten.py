"""graphql-core's English error messages, read in one place.

graphql-core reports a variable it cannot coerce, a missing argument or a bad literal as text only;
the register names the input field at fault (`extensions.field`). Every message shape it reads is
here, one pattern per shape and version, so that a graphql-core upgrade that rewords a message
fails tests/test_kernberichten.py rather than a client's error. Supported: graphql-core 3.2 and 3.3.
"""

from __future__ import annotations

import re
from typing import NamedTuple

# graphql-core 3.2: "Variable '$x' got invalid value V at 'x[0].y'; reason"
_VARIABELE_32 = re.compile(
    r"^Variable '\$(?P<naam>\w+)' got invalid value .*?(?: at '(?P<pad>[^']+)')?; (?P<reden>.*)$", re.S
)
# graphql-core 3.3: "Variable '$x' has invalid value at [0].y: reason" (or "has invalid value: reason")
_VARIABELE_33 = re.compile(
    r"^Variable '\$(?P<naam>\w+)' has invalid value(?: at (?P<pad>[^:]+))?: (?P<reden>.*)$", re.S
)
# A missing or unknown input field is named in the reason, not in the path
# (3.2: "Field 'x' of required type ... was not provided" / "Field 'x' is not defined by type ...";
# 3.3: "... to include required field 'x'" / "... not to include unknown field 'x'").
_VELD_IN_REDEN = re.compile(
    r"(?:^Field '(?P<veld>\w+)' (?:of required type .* was not provided|is not defined by type)"
    r"|to include (?:required|unknown) field '(?P<verplicht>\w+)')"
)
# A required argument left out: "Argument 'Query.zoekLeraren(zoekterm:)' of type 'String!' is required, ..."
_ONTBREKEND_ARGUMENT = re.compile(r"^Argument '[\w.]+\((?P<naam>\w+):\)' of type .* is required")
# graphql-core echoes the whole offending input after "found:"; the client sent it, it need not return.
_GEVONDEN = re.compile(r",? found: .*$", re.S)


class Variabelefout(NamedTuple):
    veld: str  # the path into the variable, from its name: `leveringen[0].geboortedatum`
    reden: str  # graphql-core's reason, without the echoed input


def ontbrekend_veld(reden: str) -> str | None:
    """The input field a reason says is missing or unknown, if it says so."""
    m = _VELD_IN_REDEN.search(reden)
    return (m.group("veld") or m.group("verplicht")) if m else None


def zonder_invoer(reden: str) -> str:
    """The reason without the input graphql-core echoes after "found:"."""
    return _GEVONDEN.sub(".", reden).replace("..", ".")


def variabele(bericht: str) -> Variabelefout | None:
    """Field path and reason of a variable that graphql-core could not coerce, or None for another message."""
    m = _VARIABELE_32.match(bericht)
    if m:
        pad, reden = m.group("pad") or m.group("naam"), m.group("reden")
    else:
        m = _VARIABELE_33.match(bericht)
        if not m:
            return None
        rest = (m.group("pad") or "").strip()
        pad, reden = m.group("naam") + (rest if rest.startswith("[") or not rest else "." + rest), m.group("reden")
    veld = ontbrekend_veld(reden)
    if veld:
        pad = f"{pad}.{veld}"
    return Variabelefout(pad, zonder_invoer(reden))


def ontbrekend_argument(bericht: str) -> str | None:
    """The name of a required argument the document leaves out, if that is what the message says."""
    m = _ONTBREKEND_ARGUMENT.match(bericht)
    return m.group("naam") if m else None


def is_syntaxfout(bericht: str) -> bool:
    return bericht.startswith("Syntax Error")


def is_invoerfout(bericht: str) -> bool:
    """Does the message say a value the client sent is of the wrong type (a literal, argument or variable)?"""
    return (
        "Expected value of type" in bericht
        or "cannot represent" in bericht
        or bericht.startswith("Argument")
        or bericht.startswith("Variable")
    )
