"""Names: display form, initials and the normalised search form (API.md, "Search")."""

from __future__ import annotations

import re
import unicodedata

TUSSENVOEGSELS = frozenset(
    "van de der den het 't ter ten te in op aan bij uit von la le d' du del della des vander vd".split()
)
_SPACES = re.compile(r"\s+")
# "d’Ancona" and "’t Hart" arrive with typographic apostrophes too; the acute accent would otherwise
# decompose into a space plus a combining mark and split "d´Ancona" in two.
_APOSTROFS = str.maketrans({"\u2019": "'", "\u2018": "'", "\u02bc": "'", "\u00b4": "'", "`": "'"})
# Sorts below every character a normalised name can hold (space included), so that "Berg" comes
# before "Berg Jansen" whatever the voorletters; both stores compare these bytes as they are.
_SORTEER_SCHEIDING = "\x01"


def zonder_accenten(tekst: str) -> str:
    """Strip accents: 'Müller' -> 'Muller'."""
    if tekst.isascii():  # nothing to strip (most names and subjects): skip the decomposition
        return tekst
    decomposed = unicodedata.normalize("NFKD", tekst)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def normaliseer(tekst: str) -> str:
    """Case folded, accents stripped, tussenvoegsel words dropped, white space collapsed."""
    woorden = _SPACES.sub(" ", zonder_accenten(tekst.translate(_APOSTROFS)).casefold()).strip().split(" ")
    # "d'Ancona": the elided article is glued to the name
    kaal = []
    for w in woorden:
        if w in TUSSENVOEGSELS:
            continue
        if w.startswith("d'") and len(w) > 2:
            w = w[2:]
        kaal.append(w)
    # A name made only of such words ("Le", "Van", "Ter") is a name, not a tussenvoegsel: keep it,
    # or its bearer can never be found by name.
    return " ".join(w for w in kaal if w) or " ".join(w for w in woorden if w)


def voorletters(voornamen: str, maximum: int | None = None) -> str:
    """'Anna Maria' -> 'A.M.'; with a maximum, only the initials that fit in it whole (a name of 200
    characters can have 100 given names, and 'ß' is 'SS.')."""
    uit = ""
    for w in _SPACES.split(voornamen.strip()):
        if not w:
            continue
        letter = f"{w[0].upper()}."
        if maximum is not None and len(uit) + len(letter) > maximum:
            break
        uit += letter
    return uit


def weergavenaam(voorletters_: str, tussenvoegsel: str | None, achternaam: str) -> str:
    """'A.M. de Vries'"""
    return " ".join(p for p in (voorletters_, tussenvoegsel, achternaam) if p)


def sorteernaam(achternaam: str, voorletters_: str) -> str:
    """Sort key that orders the same on every store: normalised achternaam, then voorletters."""
    return f"{normaliseer(achternaam)}{_SORTEER_SCHEIDING}{zonder_accenten(voorletters_).casefold()}"


# The room of the stored key (the vak_sleutel columns in models/leraar.py; a test keeps them equal). A
# subject of 100 characters can fold to more ('ß' is 'ss'): subjects alike in their first 100 folded
# characters are one subject, rather than keys the database cuts (PostgreSQL's insert casts) or refuses.
VAK_SLEUTEL_MAX = 100


def vak_sleutel(vak: str) -> str:
    """Subjects compare trimmed, case- and accent-blind (API.md, "Deliveries")."""
    return _SPACES.sub(" ", zonder_accenten(vak).casefold()).strip()[:VAK_SLEUTEL_MAX]
