"""Errors as clients see them: a code on each, one BAD_USER_INPUT per invalid field, the rest masked.

Anything unexpected becomes "internal error" with a correlation id; the log carries the stack
trace under that id. No SQL text, trace or input value of an unexpected failure reaches a client.
"""
from __future__ import annotations

import logging
import re
import uuid
from typing import Any, Iterable

from graphql import ArgumentNode, GraphQLError, GraphQLInputType, ValueNode
from graphql.language import SKIP
from graphql.validation import ValidationContext, ValuesOfCorrectTypeRule

try:  # graphql-core 3.3 reports where in a literal an error is; 3.2 does not (then no field)
    from graphql.utilities.validate_input_value import validate_input_literal
except ImportError:  # pragma: no cover
    validate_input_literal = None

from ..resolvers.fouten import InvoerFouten, RegisterFout
from ..storingen import meld, storingscode, storingsfout

log = logging.getLogger("lerarenregister.fouten")

# graphql-core 3.2: "Variable '$x' got invalid value V at 'x[0].y'; reason"
_VARIABELE_32 = re.compile(r"^Variable '\$(?P<naam>\w+)' got invalid value .*?(?: at '(?P<pad>[^']+)')?; (?P<reden>.*)$", re.S)
# graphql-core 3.3: "Variable '$x' has invalid value at [0].y: reason" (or "has invalid value: reason")
_VARIABELE_33 = re.compile(r"^Variable '\$(?P<naam>\w+)' has invalid value(?: at (?P<pad>[^:]+))?: (?P<reden>.*)$", re.S)


# A missing or unknown input field is named in the reason, not in the path.
_VELD_IN_REDEN = re.compile(
    r"(?:^Field '(?P<veld>\w+)' (?:of required type .* was not provided|is not defined by type)"
    r"|to include (?:required|unknown) field '(?P<verplicht>\w+)')"
)
# A required argument left out: "Argument 'Query.zoekLeraren(zoekterm:)' of type 'String!' is required, ..."
_ONTBREKEND_ARGUMENT = re.compile(r"^Argument '[\w.]+\((?P<naam>\w+):\)' of type .* is required")
# graphql-core echoes the whole offending input after "found:"; the client sent it, it need not return.
_GEVONDEN = re.compile(r",? found: .*$", re.S)


class LiteralenMetVeld(ValuesOfCorrectTypeRule):
    """graphql-core's check of the literals written into a document, with each error also naming the
    input field at fault, from the argument down (`leveringen[1].geboortedatum`, `first`): the
    same path a variable's error gets. The schema runs it in place of the plain rule."""

    def __init__(self, context: ValidationContext):
        super().__init__(context)
        self._argument: str | None = None

    def enter_argument(self, node: ArgumentNode, *_: Any) -> None:
        self._argument = node.name.value

    def leave_argument(self, node: ArgumentNode, *_: Any) -> None:
        self._argument = None

    def is_valid_value_node(self, node: ValueNode, input_type: GraphQLInputType | None) -> Any:
        if validate_input_literal is None or input_type is None or self._argument is None:
            return super().is_valid_value_node(node, input_type)
        argument = self._argument

        def on_error(fout: GraphQLError, pad: list[str | int]) -> None:
            veld = argument + "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in pad)
            ontbrekend = _VELD_IN_REDEN.search(fout.message)
            if ontbrekend:
                veld = f"{veld}.{ontbrekend.group('veld') or ontbrekend.group('verplicht')}"
            self.report_error(GraphQLError(fout.message, fout.nodes or node, original_error=fout.original_error,
                                           extensions={**(fout.extensions or {}), "field": veld}))

        validate_input_literal(node, input_type, on_error, None, None, self.context.hide_suggestions)
        return SKIP


def _variabele(bericht: str) -> tuple[str, str] | None:
    """(field path, reason) of a variable that graphql-core could not coerce."""
    m = _VARIABELE_32.match(bericht)
    if m:
        pad, reden = m.group("pad") or m.group("naam"), m.group("reden")
    else:
        m = _VARIABELE_33.match(bericht)
        if not m:
            return None
        rest = (m.group("pad") or "").strip()
        pad, reden = m.group("naam") + (rest if rest.startswith("[") or not rest else "." + rest), m.group("reden")
    veld = _VELD_IN_REDEN.search(reden)
    if veld:
        pad = f"{pad}.{veld.group('veld') or veld.group('verplicht')}"
    return pad, _GEVONDEN.sub(".", reden).replace("..", ".")
_LANGE_GETALLEN = re.compile(r"\d{6,}")


def _veilig(tekst: str) -> str:
    """Messages that echo input must never echo a BSN: long digit runs are blanked."""
    return _LANGE_GETALLEN.sub("…", tekst)


def _basis(e: GraphQLError) -> dict[str, Any]:
    uit: dict[str, Any] = {}
    if e.locations:
        uit["locations"] = [{"line": loc.line, "column": loc.column} for loc in e.locations]
    if e.path:
        uit["path"] = list(e.path)
    return uit


def _plaats(e: GraphQLError) -> tuple[Any, ...]:
    """Where an error is in the document, then in the answer: the order errors are reported in, so
    that the same request gives the same answer however its fields were scheduled (issue 15)."""
    loc = (e.locations[0].line, e.locations[0].column) if e.locations else (0, 0)
    return (*loc, tuple((0, p, "") if isinstance(p, int) else (1, 0, p) for p in e.path or ()))


def formatteer(fouten: Iterable[GraphQLError], uitvoering: bool = True) -> tuple[list[dict[str, Any]], bool]:
    """The response's `errors`, in document order, and whether the operation must be rolled back."""
    uit: list[dict[str, Any]] = []
    terugdraaien = False
    for e in sorted(fouten, key=_plaats):
        orig = e.original_error
        if isinstance(orig, InvoerFouten):
            terugdraaien = True
            for f in orig.fouten:
                uit.append({"message": f"{f.veld}: {f.bericht}", **_basis(e),
                            "extensions": {"code": orig.code, "field": f.veld}})
        elif isinstance(orig, RegisterFout):
            if e.path is None or len(e.path) <= 1:
                terugdraaien = True
            ext: dict[str, Any] = {"code": orig.code}
            if orig.veld:
                ext["field"] = orig.veld
            uit.append({"message": orig.bericht, **_basis(e), "extensions": ext})
        elif orig is None or isinstance(orig, GraphQLError):
            terugdraaien = True
            uit.append(_zonder_uitvoering(e, uitvoering))
        elif (storing := storingscode(orig)) is not None:  # the database's fault, not ours: no trace
            terugdraaien = True
            meld(storing, orig)
            uit.append(storingsfout(storing, **_basis(e)))
        else:
            terugdraaien = True
            correlatie = uuid.uuid4().hex
            log.error("internal error %s at %s", correlatie, e.path, exc_info=orig)
            uit.append({"message": "internal error", **_basis(e),
                        "extensions": {"code": "INTERNAL_SERVER_ERROR", "correlationId": correlatie}})
    return uit, terugdraaien


def _zonder_uitvoering(e: GraphQLError, uitvoering: bool) -> dict[str, Any]:
    """Errors graphql-core raises itself: syntax, validation, coercion of variables and arguments."""
    gevonden = _variabele(e.message)
    if gevonden:
        veld, reden = gevonden[0], _veilig(gevonden[1])
        return {"message": f"{veld}: {reden}", **_basis(e), "extensions": {"code": "BAD_USER_INPUT", "field": veld}}
    if e.message.startswith("Syntax Error"):
        return {"message": _veilig(e.message), **_basis(e), "extensions": {"code": "GRAPHQL_PARSE_FAILED"}}
    veld = (e.extensions or {}).get("field")
    if veld:  # a literal in the document (LiteralenMetVeld): as for a variable
        reden = _veilig(_GEVONDEN.sub(".", e.message).replace("..", "."))
        return {"message": f"{veld}: {reden}", **_basis(e), "extensions": {"code": "BAD_USER_INPUT", "field": veld}}
    argument = _ONTBREKEND_ARGUMENT.match(e.message)
    if argument:
        veld = argument.group("naam")
        return {"message": f"{veld}: {_veilig(e.message)}", **_basis(e),
                "extensions": {"code": "BAD_USER_INPUT", "field": veld}}
    if "Expected value of type" in e.message or "cannot represent" in e.message or e.message.startswith("Argument"):
        return {"message": _veilig(e.message), **_basis(e), "extensions": {"code": "BAD_USER_INPUT"}}
    if e.message.startswith("Variable"):
        return {"message": _veilig(e.message), **_basis(e), "extensions": {"code": "BAD_USER_INPUT"}}
    code = "BAD_USER_INPUT" if uitvoering and e.path else "GRAPHQL_VALIDATION_FAILED"
    return {"message": _veilig(e.message), **_basis(e), "extensions": {"code": code}}
