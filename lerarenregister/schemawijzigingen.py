"""Schema changes are reviewed: the schema in the code against a recorded baseline.

The baseline is `docs/schema-basis.graphql`, the SDL that clients were last given. Against it, the
schema built from the code may change freely except in three ways, each of which must be named in
`docs/schemawijzigingen.md` (under "## Since the baseline", a line `` `Type.veld`: reason ``):

- a **breaking** change (graphql-core's `BreakingChangeType`: what `find_breaking_changes` reports),
- a **dangerous** change (`DangerousChangeType`: what `find_dangerous_changes` reports: an enum
  value or an optional argument added, a default changed),
- a **widened audience**: a field whose `@zichtbaarVoor` gains an audience, which includes every new
  field that declares one (a new type's fields, a new root field) and a field that declared none (visible
  to nobody) and now does. A narrowed audience, a new field without a declaration and Relay's plumbing
  (it declares nothing) are not widenings.

A name covers the coordinate itself and everything under it: `Leraar` covers `Leraar.naam` and
`Leraar.naam(x:)`; `Query.zoek` covers `Query.zoek(first:)`; `@zichtbaarVoor` its arguments.

    python -m lerarenregister.schemawijzigingen controleer   report; exit 1 on an unnamed change
    python -m lerarenregister.schemawijzigingen basis        make the code's schema the new baseline
                                                             (`make schema-basis`)

`basis` refuses while a change is unnamed, writes the code's SDL to the baseline, and moves the named
entries under a dated heading, so that they cover nothing any more.
"""

from __future__ import annotations

import datetime as dt
import re
import sys
from dataclasses import dataclass
from pathlib import Path

from graphql import (
    BreakingChangeType,
    DangerousChangeType,
    EnumValueNode,
    GraphQLInterfaceType,
    GraphQLObjectType,
    GraphQLSchema,
    ListValueNode,
    build_schema,
    find_schema_changes,
)

RICHTLIJN = "zichtbaarVoor"
SECTIE = "## Since the baseline"
WORTEL = Path(__file__).resolve().parent.parent
BASIS = WORTEL / "docs" / "schema-basis.graphql"
REGISTER = WORTEL / "docs" / "schemawijzigingen.md"

_NAAM = r"[_A-Za-z][_0-9A-Za-z]*"
# A schema coordinate as graphql-core 3.3 writes them in its change descriptions.
_COORDINAAT = re.compile(rf"@{_NAAM}(?:\({_NAAM}:\))?|{_NAAM}\.{_NAAM}(?:\({_NAAM}:\))?")
_ENTRY = re.compile(rf"^\s*[-*]\s+`?(@?{_NAAM}(?:\.{_NAAM})?(?:\({_NAAM}:\))?)`?\s*:\s*(\S.*)$")


@dataclass(frozen=True)
class Wijziging:
    soort: str  # BREAKING, DANGEROUS or WIDENED
    code: str  # graphql-core's change type, or AUDIENCE_WIDENED
    coordinaat: str
    beschrijving: str

    def __str__(self) -> str:
        return f"{self.soort} {self.code} {self.coordinaat}: {self.beschrijving}"


def _coordinaat(beschrijving: str) -> str:
    """The thing a graphql-core change description is about."""
    gevonden = _COORDINAAT.search(beschrijving)
    if gevonden:
        return gevonden.group(0)
    # Type-level descriptions: "T was removed.", "T changed from …", "M was added to union type U.",
    # "I added to interfaces implemented by T.", "T no longer implements interface I."
    for patroon in (rf"union type ({_NAAM})", rf"implemented by ({_NAAM})", rf"^(?:Standard scalar )?({_NAAM})"):
        m = re.search(patroon, beschrijving)
        if m:
            return m.group(1)
    return beschrijving


def doelgroepen(schema: GraphQLSchema) -> dict[str, frozenset[str]]:
    """ "Type.veld" -> the audiences its @zichtbaarVoor names (empty: none declared), for every field of
    every object and interface type."""
    uit: dict[str, frozenset[str]] = {}
    for type_ in schema.type_map.values():
        if not isinstance(type_, (GraphQLObjectType, GraphQLInterfaceType)) or type_.name.startswith("__"):
            continue
        for naam, veld in type_.fields.items():
            groepen: set[str] = set()
            for richtlijn in (veld.ast_node.directives if veld.ast_node else None) or ():
                if richtlijn.name.value != RICHTLIJN:
                    continue
                for arg in richtlijn.arguments or ():
                    waarde = arg.value
                    waarden = waarde.values if isinstance(waarde, ListValueNode) else (waarde,)
                    groepen.update(v.value for v in waarden if isinstance(v, EnumValueNode))
            uit[f"{type_.name}.{naam}"] = frozenset(groepen)
    return uit


def wijzigingen(oud_sdl: str, nieuw_sdl: str) -> list[Wijziging]:
    """Every breaking, dangerous and widening change from the old SDL to the new one."""
    oud, nieuw = build_schema(oud_sdl), build_schema(nieuw_sdl)
    uit: list[Wijziging] = []
    # find_schema_changes is what find_breaking_changes and find_dangerous_changes filter (graphql-core
    # 3.3 deprecates those two in its favour); its safe changes are left out here.
    for w in find_schema_changes(oud, nieuw):
        if isinstance(w.type, BreakingChangeType):
            soort = "BREAKING"
        elif isinstance(w.type, DangerousChangeType):
            soort = "DANGEROUS"
        else:
            continue
        uit.append(Wijziging(soort, w.type.name, _coordinaat(w.description), w.description))
    was = doelgroepen(oud)
    for coordinaat, groepen in sorted(doelgroepen(nieuw).items()):
        erbij = groepen - was.get(coordinaat, frozenset())
        if not erbij:
            continue
        if coordinaat not in was:
            tekst = f"new field, visible to {', '.join(sorted(groepen))}"
        else:
            tekst = (
                f"visible to {', '.join(sorted(erbij))} as well (was: {', '.join(sorted(was[coordinaat])) or 'nobody'})"
            )
        uit.append(Wijziging("WIDENED", "AUDIENCE_WIDENED", coordinaat, tekst))
    return uit


class OngeldigRegister(ValueError):
    """docs/schemawijzigingen.md has an entry that cannot be read."""


def _sectie(tekst: str) -> tuple[int, int]:
    """Line range (start, end) of the lines under SECTIE, up to the next heading of its level or higher."""
    regels = tekst.splitlines()
    try:
        begin = next(i for i, r in enumerate(regels) if r.strip() == SECTIE) + 1
    except StopIteration:
        raise OngeldigRegister(f"no heading {SECTIE!r}") from None
    eind = next((i for i in range(begin, len(regels)) if re.match(r"^#{1,2} ", regels[i])), len(regels))
    return begin, eind


def genoemd(tekst: str) -> dict[str, str]:
    """The names under "## Since the baseline", each with its reason. Entries are list items; a list
    item that is not `` `Coordinate`: reason `` is an error rather than silently nothing; other lines
    (prose) name nothing."""
    regels = tekst.splitlines()
    begin, eind = _sectie(tekst)
    uit: dict[str, str] = {}
    for nummer in range(begin, eind):
        regel = regels[nummer]
        m = _ENTRY.match(regel)
        if m:
            uit[m.group(1)] = m.group(2).strip()
        elif re.match(r"^\s*[-*]\s+", regel):
            raise OngeldigRegister(f"line {nummer + 1}: not `Type.veld`: reason: {regel.strip()!r}")
    return uit


def gedekt(coordinaat: str, namen: dict[str, str] | set[str]) -> bool:
    return any(coordinaat == n or coordinaat.startswith((f"{n}.", f"{n}(")) for n in namen)


def ongenoemd(oud_sdl: str, nieuw_sdl: str, register: str) -> list[Wijziging]:
    """The changes that must be named and are not."""
    namen = genoemd(register)
    return [w for w in wijzigingen(oud_sdl, nieuw_sdl) if not gedekt(w.coordinaat, namen)]


def rapport(open_: list[Wijziging], basis: Path = BASIS, register: Path = REGISTER) -> str:
    regels = [f"The schema changed against the baseline {basis.name} in ways that must be reviewed:", ""]
    regels += [f"  {w}" for w in open_]
    regels += [
        "",
        f"If a change is intended, name it under {SECTIE!r} in {register.relative_to(register.parent.parent)}, "
        "one line each, for example:",
        "",
    ]
    regels += [f"- `{w.coordinaat}`: <why; who reviewed it>" for w in open_]
    return "\n".join(regels)


def nieuwe_basis(register: str, vandaag: dt.date) -> str:
    """The register after the baseline moved: the named entries go under a dated heading."""
    regels = register.splitlines()
    begin, eind = _sectie(register)
    entries = [r for r in regels[begin:eind] if _ENTRY.match(r)]
    rest = [r for r in regels[begin:eind] if not _ENTRY.match(r)]
    while rest and not rest[-1].strip():
        rest.pop()
    archief = [f"## Until the baseline of {vandaag.isoformat()}", "", *entries, ""] if entries else []
    return "\n".join([*regels[:begin], *rest, "", *archief, *regels[eind:]]).rstrip("\n") + "\n"


def main(argv: list[str]) -> int:
    from .schema import sdl

    if argv not in (["controleer"], ["basis"]):
        print(__doc__, file=sys.stderr)
        return 2
    code = sdl()
    open_ = ongenoemd(BASIS.read_text(), code, REGISTER.read_text())
    if open_:
        print(rapport(open_), file=sys.stderr)
        if argv == ["basis"]:
            print("\nThe baseline was not moved.", file=sys.stderr)
        return 1
    if argv == ["basis"]:
        aantal = len(genoemd(REGISTER.read_text()))
        BASIS.write_text(code)
        REGISTER.write_text(nieuwe_basis(REGISTER.read_text(), dt.date.today()))
        print(
            f"{BASIS.relative_to(WORTEL)}: the code's schema; {REGISTER.relative_to(WORTEL)}: "
            f"{aantal} entries moved under a dated heading"
        )
    else:
        print(f"no unnamed breaking, dangerous or widening change against {BASIS.relative_to(WORTEL)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
