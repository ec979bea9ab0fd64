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

    # Each kind's rule as plain attributes of its member (set below): read on every request's every
    # text, where `Tekstsoort.LANG` itself is a lookup through the enum's metaclass (about 300
    # instructions each on Python 3.11, a third of the text check of a public lookup).
    verboden: re.Pattern[str]
    max_tekens: int | None
    max_woorden: int | None


for _soort, _regel in {
    Tekstsoort.KORT: (_VERBODEN_KORT, None, None),
    Tekstsoort.LANG: (_VERBODEN_LANG, None, None),
    Tekstsoort.ZOEKTERM: (_VERBODEN_KORT, ZOEKTERM_MAX_TEKENS, None),
    Tekstsoort.ZOEKTERM_CATALOGUS: (_VERBODEN_KORT, ZOEKTERM_MAX_TEKENS, CATALOGUS_MAX_WOORDEN),
}.items():
    _soort.verboden, _soort.max_tekens, _soort.max_woorden = _regel


def _teken(t: str) -> str:
    return f"U+{ord(t):04X}"


def tekstfout(waarde: str, soort: Tekstsoort) -> str | None:
    """What is wrong with this text for a field of this kind, or None when nothing is."""
    # Printable ASCII holds none of the characters refused (all lie outside U+0020–U+007E): two C
    # calls where the search costs about 0.4 µs, for the common case of every request's text.
    if not (waarde.isascii() and waarde.isprintable()):
        verboden = soort.verboden.search(waarde)
        if verboden:
            return f"contains a character that is not allowed here ({_teken(verboden.group())})"
    if soort.max_tekens is not None and len(waarde) > soort.max_tekens:
        return f"a search term has at most {soort.max_tekens} characters"
    if soort.max_woorden is not None and len(waarde.split()) > soort.max_woorden:
        return f"a catalogue search term has at most {soort.max_woorden} words"
    return None
