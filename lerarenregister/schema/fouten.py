"""Errors as clients see them: a code on each, one BAD_USER_INPUT per invalid field, the rest masked.

Anything unexpected becomes "internal error" with a correlation id; the log carries the stack
trace under that id. No SQL text, trace or input value of an unexpected failure reaches a client.
"""

from __future__ import annotations

import importlib
import logging
import re
import uuid
from collections.abc import Callable, Iterable
from typing import Any

from graphql import ArgumentNode, GraphQLError, GraphQLInputType, ValueNode
from graphql.language import SKIP
from graphql.validation import ValidationContext, ValuesOfCorrectTypeRule

from ..resolvers.fouten import InvoerFouten, RegisterFout
from ..storingen import meld, storingscode, storingsfout
from . import kernberichten

log = logging.getLogger("lerarenregister.fouten")


def _literaalcontrole() -> Callable[..., None] | None:
    """graphql-core 3.3 reports where in a literal an error is; 3.2 does not (then no field)."""
    try:
        module = importlib.import_module("graphql.utilities.validate_input_value")
    except ImportError:  # pragma: no cover
        return None
    controle: Callable[..., None] | None = getattr(module, "validate_input_literal", None)
    return controle


validate_input_literal = _literaalcontrole()


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
            ontbrekend = kernberichten.ontbrekend_veld(fout.message)
            if ontbrekend:
                veld = f"{veld}.{ontbrekend}"
            self.report_error(
                GraphQLError(
                    fout.message,
                    fout.nodes or node,
                    original_error=fout.original_error,
                    extensions={**(fout.extensions or {}), "field": veld},
                )
            )

        validate_input_literal(node, input_type, on_error, None, None, self.context.hide_suggestions)
        return SKIP


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


def terugdraaien(fouten: Iterable[GraphQLError]) -> bool:
    """Must the operation be rolled back? Yes for any error but a RegisterFout below the root field: a
    mutation that failed commits nothing, while a query's nested refusal (a field not visible) leaves
    the rest of the answer, and a mutation's result, standing."""
    for e in fouten:
        orig = e.original_error
        if not isinstance(orig, RegisterFout) or isinstance(orig, InvoerFouten) or e.path is None or len(e.path) <= 1:
            return True
    return False


def formatteer(fouten: Iterable[GraphQLError], uitvoering: bool = True) -> tuple[list[dict[str, Any]], bool]:
    """The response's `errors` and whether to roll back: `als_antwoord` and `terugdraaien` in one call,
    for the callers that need both."""
    fouten = list(fouten)
    return als_antwoord(fouten, uitvoering), terugdraaien(fouten)


def als_antwoord(fouten: Iterable[GraphQLError], uitvoering: bool = True) -> list[dict[str, Any]]:
    """The response's `errors`, in document order; unexpected ones logged under a correlation id."""
    uit: list[dict[str, Any]] = []
    for e in sorted(fouten, key=_plaats):
        orig = e.original_error
        if isinstance(orig, InvoerFouten):
            for f in orig.fouten:
                uit.append(
                    {
                        "message": f"{f.veld}: {f.bericht}",
                        **_basis(e),
                        "extensions": {"code": orig.code, "field": f.veld},
                    }
                )
        elif isinstance(orig, RegisterFout):
            ext: dict[str, Any] = {"code": orig.code}
            if orig.veld:
                ext["field"] = orig.veld
            uit.append({"message": orig.bericht, **_basis(e), "extensions": ext})
        elif orig is None or isinstance(orig, GraphQLError):
            uit.append(_zonder_uitvoering(e, uitvoering))
        elif (storing := storingscode(orig)) is not None:  # the database's fault, not ours: no trace
            meld(storing, orig)
            uit.append(storingsfout(storing, **_basis(e)))
        else:
            correlatie = uuid.uuid4().hex
            log.error("internal error %s at %s", correlatie, e.path, exc_info=orig)
            uit.append(
                {
                    "message": "internal error",
                    **_basis(e),
                    "extensions": {"code": "INTERNAL_SERVER_ERROR", "correlationId": correlatie},
                }
            )
    return uit


def _invoerfout(veld: str, reden: str, e: GraphQLError) -> dict[str, Any]:
    return {"message": f"{veld}: {reden}", **_basis(e), "extensions": {"code": "BAD_USER_INPUT", "field": veld}}


def _zonder_uitvoering(e: GraphQLError, uitvoering: bool) -> dict[str, Any]:
    """Errors graphql-core raises itself: syntax, validation, coercion of variables and arguments."""
    gevonden = kernberichten.variabele(e.message)
    if gevonden:
        return _invoerfout(gevonden.veld, _veilig(gevonden.reden), e)
    if kernberichten.is_syntaxfout(e.message):
        return {"message": _veilig(e.message), **_basis(e), "extensions": {"code": "GRAPHQL_PARSE_FAILED"}}
    veld = (e.extensions or {}).get("field")
    if veld:  # a literal in the document (LiteralenMetVeld): as for a variable
        return _invoerfout(veld, _veilig(kernberichten.zonder_invoer(e.message)), e)
    argument = kernberichten.ontbrekend_argument(e.message)
    if argument:
        return _invoerfout(argument, _veilig(e.message), e)
    if kernberichten.is_invoerfout(e.message):
        return {"message": _veilig(e.message), **_basis(e), "extensions": {"code": "BAD_USER_INPUT"}}
    code = "BAD_USER_INPUT" if uitvoering and e.path else "GRAPHQL_VALIDATION_FAILED"
    return {"message": _veilig(e.message), **_basis(e), "extensions": {"code": code}}
