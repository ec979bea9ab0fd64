"""Free text a client may send (API.md, "Production", Limits).

Any text input refuses NUL and the other control characters, and the bidirectional overrides and
isolates that can make a name read differently from what is stored (U+202A–U+202E, U+2066–U+2069).
Long texts (an explanation, a motivation, a description) may hold tab and newline. Search terms
are short: at most 100 characters, and the catalogue's at most 10 words (each word is one LIKE).
"""

from __future__ import annotations

import enum
import re

ZOEKTERM_MAX_TEKENS = 100
CATALOGUS_MAX_WOORDEN = 10

# C0 controls, DEL and C1 controls; long texts allow tab, line feed and carriage return.
_STUUR = "\x00-\x1f\x7f-\x9f"
_STUUR_BEHALVE_REGELS = "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f"
_BIDI = "\u202a-\u202e\u2066-\u2069"
_VERBODEN_KORT = re.compile(f"[{_STUUR}{_BIDI}]")
_VERBODEN_LANG = re.compile(f"[{_STUUR_BEHALVE_REGELS}{_BIDI}]")


class Tekstsoort(enum.Enum):
    KORT = "kort"  # names, titles, ids, codes: one line
    LANG = "lang"  # explanations and descriptions: lines allowed
    ZOEKTERM = "zoekterm"  # the public search of teachers
    ZOEKTERM_CATALOGUS = "zoekterm_catalogus"  # the catalogue search, one LIKE per word


def _teken(t: str) -> str:
    return f"U+{ord(t):04X}"


def tekstfout(waarde: str, soort: Tekstsoort) -> str | None:
    """What is wrong with this text for a field of this kind, or None when nothing is."""
    # Printable ASCII holds none of the characters refused (all lie outside U+0020–U+007E): two C
    # calls where the search costs about 0.4 µs, for the common case of every request's text.
    if not (waarde.isascii() and waarde.isprintable()):
        verboden = (_VERBODEN_LANG if soort is Tekstsoort.LANG else _VERBODEN_KORT).search(waarde)
        if verboden:
            return f"contains a character that is not allowed here ({_teken(verboden.group())})"
    if soort in (Tekstsoort.ZOEKTERM, Tekstsoort.ZOEKTERM_CATALOGUS) and len(waarde) > ZOEKTERM_MAX_TEKENS:
        return f"a search term has at most {ZOEKTERM_MAX_TEKENS} characters"
    if soort is Tekstsoort.ZOEKTERM_CATALOGUS and len(waarde.split()) > CATALOGUS_MAX_WOORDEN:
        return f"a catalogue search term has at most {CATALOGUS_MAX_WOORDEN} words"
    return None
