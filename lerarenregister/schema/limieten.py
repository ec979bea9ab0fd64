"""Limits checked before execution (API.md, "Production", Limits): depth, cost and free text.

A document is parsed and analysed once (cached by its text): its operations, their depth, a cost
plan and where its text inputs are. Each request then only evaluates the plan with its variables
and checks its text values, so a refusal is decided before any resolver runs and before any SQL.

The cost model (README, "Limits"):
- every selected field costs 1, `__typename` and introspection fields included;
- a connection (`first`/`after`) multiplies the cost of its selection by its `first` (a literal, the
  variable's value, or the argument's default), at most the page size the field allows, since a
  larger `first` is refused anyway;
- `leraren(registernummers:)` multiplies by the length of the list (at most 100);
- any other list of objects multiplies by LIJST_FACTOR; Relay's `edges` do not (the connection did).

graphql-core's and strawberry's limiters (QueryDepthLimiter, MaxAliasesLimiter) report errors
without a code or a cost; one walk here gives depth and cost together, and aliases are priced by
the cost (each alias is a field). Text inputs are checked here too, literals and variables alike,
so every text argument and input field obeys `regels.tekst` in one place (schema/tekstinvoer.py).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    IntValueNode,
    ListValueNode,
    ObjectValueNode,
    OperationDefinitionNode,
    SelectionSetNode,
    StringValueNode,
    ValueNode,
    VariableNode,
    get_named_type,
    value_from_ast_untyped,
)

from ..resolvers.paginering import MAX, PUBLIEK_MAX
from .fouten import als_antwoord
from .kostenplan import MAX_BEKEND, Kosten, gelezen_variabelen, vorm
from .ontleden import KLEIN, MAX_TOKENS, ontleed
from .tekstinvoer import Tekstcontrole, Tekstinvoer, is_tekst, soort

LIJST_FACTOR = 5  # a teacher's bevoegdheden, benoemingen, warnings, a bevoegdheid's periods: a handful
LERAREN_MAX = 100  # `leraren(registernummers:)` takes at most 100
# Nesting beyond this is refused whatever it selects (introspection included): it bounds our own
# recursion and graphql-core's, long before Python's recursion limit.
HARDE_DIEPTE = 40

# Page sizes per connection field: a larger `first` is BAD_USER_INPUT, so it never costs more.
_PAGINA_MAX = {("Query", "zoekLeraren"): PUBLIEK_MAX}


class Weigering(Exception):
    """A document refused before it runs: the errors as the client gets them."""

    def __init__(self, code: str, bericht: str, **extensions: Any):
        super().__init__(bericht)
        self.fout: dict[str, Any] = {"message": bericht, "extensions": {"code": code, **extensions}}
        self.fouten = [self.fout]


class Weigeringen(Weigering):
    def __init__(self, weigeringen: list[Weigering]):
        super().__init__(weigeringen[0].fout["extensions"]["code"], weigeringen[0].fout["message"])
        self.fouten = [w.fout for w in weigeringen]


@dataclass
class Operatie:
    naam: str | None
    soort: str  # 'query' | 'mutation' | 'subscription'
    diepte: int
    plan: tuple[Kosten, ...]
    teksten: list[Tekstinvoer] = field(default_factory=list)
    standaard: dict[str, Any] = field(default_factory=dict)  # the variables' defaults in the document
    toestemming: bool = False  # selects a field whose answer depends on a teacher's consent

    _bekend: dict[tuple[Any, ...], int] = field(default_factory=dict, repr=False, compare=False)

    def kosten(self, variabelen: dict[str, Any] | None) -> int:
        """The estimate for these variables; asked once a request (the check, which hands it to the
        metrics), and the same variables again by the next client: remembered per shape of the
        values that count."""
        sleutel = vorm(self._variabelen, variabelen or {})
        kosten = self._bekend.get(sleutel)
        if kosten is None:
            waarden = {**self.standaard, **(variabelen or {})}
            kosten = sum(k.bereken(waarden) for k in self.plan)
            if len(self._bekend) >= MAX_BEKEND:  # any int can be sent: the memory stays bounded
                self._bekend.clear()
            self._bekend[sleutel] = kosten
        return kosten

    @functools.cached_property
    def _variabelen(self) -> tuple[str, ...]:
        return gelezen_variabelen(self.plan)

    @functools.cached_property
    def tekstcontrole(self) -> Tekstcontrole:
        return Tekstcontrole(self.teksten)


@dataclass
class Analyse:
    operaties: dict[str | None, Operatie]
    fout: Weigering | None = None  # refused whatever the operation (too deep to parse, say)

    def operatie(self, naam: str | None) -> Operatie | None:
        return self.operaties.get(naam)


class Limieten:
    """The limits of one register: analyses cached per document text, checked per request."""

    def __init__(
        self,
        schema: GraphQLSchema,
        max_diepte: int,
        max_kosten_publiek: int,
        max_kosten_aangemeld: int,
        cache_grootte: int = 1024,
        toestemmingsvelden: frozenset[tuple[str, str]] = frozenset(),
    ):
        self.schema = schema
        # Fields whose answer depends on a teacher's consent (declared MET_TOESTEMMING): a public
        # answer selecting one must not be kept by a shared cache (API.md, Caching).
        self.toestemmingsvelden = toestemmingsvelden
        self.max_diepte = max_diepte
        self.max_kosten_publiek = max_kosten_publiek
        self.max_kosten_aangemeld = max_kosten_aangemeld
        self._analyse_klein = functools.lru_cache(maxsize=cache_grootte)(self._analyseer)

    def analyse(self, query: str) -> Analyse:
        # Like the parse, only short texts are cached: unique large documents must not fill memory.
        return self._analyse_klein(query) if len(query) <= KLEIN else self._analyseer(query)

    def controleer(
        self, query: str, operatie: str | None, variabelen: dict[str, Any] | None, aangemeld: bool
    ) -> tuple[Operatie, int] | None:
        """Refuse (Weigering) what breaks a limit; the operation that will run and its estimated
        cost (for the metrics too), when the operation is known."""
        analyse = self.analyse(query)
        if analyse.fout is not None:
            raise analyse.fout
        op = analyse.operatie(operatie)
        if op is None:  # no such operation, or not parseable: the executor says so with its own code
            return None
        limiet = self.max_kosten_aangemeld if aangemeld else self.max_kosten_publiek
        kosten = op.kosten(variabelen)
        if op.diepte > self.max_diepte or kosten > limiet:
            raise Weigeringen(self._weigeringen(op.diepte, kosten, limiet))
        fouten = op.tekstcontrole.fouten(variabelen or {})
        if fouten:
            raise InvoerWeigering(fouten)
        return op, kosten

    def _weigeringen(self, diepte: int, kosten: int, limiet: int) -> list[Weigering]:
        """Every limit the operation breaks: both, when both are broken (the client learns what to
        change in one answer)."""
        weigeringen = []
        if diepte > self.max_diepte:
            weigeringen.append(
                Weigering(
                    "QUERY_TOO_DEEP",
                    f"the operation is {diepte} levels deep; at most {self.max_diepte}",
                    depth={"requested": diepte, "limit": self.max_diepte},
                )
            )
        if kosten > limiet:
            weigeringen.append(
                Weigering(
                    "QUERY_TOO_COMPLEX",
                    f"the operation's estimated cost is {kosten}; at most {limiet}",
                    cost={"requested": kosten, "limit": limiet},
                )
            )
        return weigeringen

    def kosten(self, query: str, operatie: str | None = None, variabelen: dict[str, Any] | None = None) -> int:
        """The cost estimate of a document (for the README's table and the tests)."""
        op = self.analyse(query).operatie(operatie)
        assert op is not None, "no such operation"
        return op.kosten(variabelen)

    # --- the analysis of one document ----------------------------------------------------------------

    def _analyseer(self, query: str) -> Analyse:
        try:
            document = ontleed(query)
        except GraphQLError as fout:  # answered here, as the executor would, before any SQL
            if "nested too deeply" in fout.message:  # graphql-core's own guard against deep recursion
                return Analyse({}, Weigering("QUERY_TOO_DEEP", "the document is nested too deeply"))
            if "tokens. Parsing aborted" in fout.message:  # graphql-core's max_tokens
                return Analyse(
                    {},
                    Weigering(
                        "QUERY_TOO_COMPLEX",
                        f"the document has more than {MAX_TOKENS} tokens",
                        tokens={"limit": MAX_TOKENS},
                    ),
                )
            return Analyse({}, Ontleedfout(fout))
        except RecursionError:
            return Analyse({}, Weigering("QUERY_TOO_DEEP", "the document is nested too deeply"))
        fragmenten = {d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)}
        ops = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
        operaties: dict[str | None, Operatie] = {}
        for d in ops:
            wortel = {
                "query": self.schema.query_type,
                "mutation": self.schema.mutation_type,
                "subscription": self.schema.subscription_type,
            }[d.operation.value]
            loper = _Loper(self, fragmenten, d)
            plan = loper.selectie(d.selection_set, wortel, 0, 0, frozenset())
            standaard = {
                v.variable.name.value: value_from_ast_untyped(v.default_value)
                for v in d.variable_definitions or ()
                if v.default_value is not None
            }
            naam = d.name.value if d.name else None
            operaties[naam] = Operatie(
                naam, d.operation.value, loper.diepte, plan, loper.teksten, standaard, loper.toestemming
            )
            if loper.te_diep:
                return Analyse(
                    {}, Weigering("QUERY_TOO_DEEP", f"the operation is nested more than {HARDE_DIEPTE} levels deep")
                )
        if len(ops) == 1:
            operaties[None] = operaties[ops[0].name.value if ops[0].name else None]
        return Analyse(operaties)


class Ontleedfout(Weigering):
    """A document that does not parse: graphql-core's error, formatted as every other error."""

    def __init__(self, fout: GraphQLError):
        super().__init__("GRAPHQL_PARSE_FAILED", fout.message)
        self.fouten = als_antwoord([fout], uitvoering=False)


class InvoerWeigering(Weigering):
    """Text inputs that break the free-text rules: one BAD_USER_INPUT per field, like other bad input."""

    def __init__(self, fouten: list[tuple[str, str]]):
        super().__init__("BAD_USER_INPUT", "; ".join(f"{v}: {b}" for v, b in fouten))
        self.fouten = [
            {"message": f"{v}: {b}", "extensions": {"code": "BAD_USER_INPUT", "field": v}} for v, b in fouten
        ]


class _Loper:
    """One walk over an operation: its depth, its cost plan and its text inputs."""

    def __init__(
        self, limieten: Limieten, fragmenten: dict[str, FragmentDefinitionNode], operatie: OperationDefinitionNode
    ):
        self.limieten = limieten
        self.fragmenten = fragmenten
        self.diepte = 0
        self.te_diep = False
        self.toestemming = False
        self.teksten: list[Tekstinvoer] = []
        self.typen = {v.variable.name.value: v.type for v in operatie.variable_definitions or ()}

    def selectie(
        self, selectie: SelectionSetNode | None, ouder: Any, diepte: int, nesting: int, fragmenten: frozenset[str]
    ) -> tuple[Kosten, ...]:
        if selectie is None:
            return ()
        if nesting > HARDE_DIEPTE:
            self.te_diep = True
            return ()
        uit: list[Kosten] = []
        for s in selectie.selections:
            if isinstance(s, FieldNode):
                uit.append(self.veld(s, ouder, diepte, nesting, fragmenten))
            elif isinstance(s, InlineFragmentNode):
                type_ = self.limieten.schema.get_type(s.type_condition.name.value) if s.type_condition else ouder
                uit.extend(self.selectie(s.selection_set, type_, diepte, nesting + 1, fragmenten))
            elif isinstance(s, FragmentSpreadNode):
                naam = s.name.value
                fragment = self.fragmenten.get(naam)
                if fragment is None or naam in fragmenten:  # unknown or a cycle: validation refuses it
                    continue
                type_ = self.limieten.schema.get_type(fragment.type_condition.name.value)
                uit.extend(self.selectie(fragment.selection_set, type_, diepte, nesting + 1, fragmenten | {naam}))
        return tuple(uit)

    def veld(self, knoop: FieldNode, ouder: Any, diepte: int, nesting: int, fragmenten: frozenset[str]) -> Kosten:
        naam = knoop.name.value
        # Introspection (GraphiQL's query nests ofType seven times) does not count towards the depth: its
        # fields, and everything under them, are not in the schema's own types (ouder is None there).
        # Unknown fields are walked the same way; validation refuses them before anything runs.
        introspectie = naam.startswith("__") or ouder is None or ouder.name.startswith("__")
        diepte_hier = diepte if introspectie else diepte + 1
        self.diepte = max(self.diepte, diepte_hier)
        definitie = ouder.fields.get(naam) if isinstance(ouder, GraphQLObjectType) else None
        if definitie is None:  # unknown or introspection: priced 1 a field, children as plain fields
            kinderen = self.selectie(knoop.selection_set, None, diepte_hier, nesting + 1, fragmenten)
            return Kosten(kinderen=kinderen)
        eigenaar = f"{ouder.name}.{naam}"
        self.toestemming = self.toestemming or (ouder.name, naam) in self.limieten.toestemmingsvelden
        self.argumenten(knoop, definitie, eigenaar)
        type_ = get_named_type(definitie.type)
        kinderen = self.selectie(knoop.selection_set, type_, diepte_hier, nesting + 1, fragmenten)
        if "first" in definitie.args:
            maximum = _PAGINA_MAX.get((ouder.name, naam), MAX)
            return _vermenigvuldiger(knoop, "first", definitie.args["first"].default_value, maximum, kinderen, False)
        if eigenaar == "Query.leraren":
            return _vermenigvuldiger(knoop, "registernummers", 1, LERAREN_MAX, kinderen, True)
        if _is_lijst(definitie.type) and isinstance(type_, GraphQLObjectType) and naam != "edges":
            return Kosten(vast=LIJST_FACTOR, kinderen=kinderen)
        return Kosten(kinderen=kinderen)

    def argumenten(self, knoop: FieldNode, definitie: Any, eigenaar: str) -> None:
        for arg in knoop.arguments or ():
            arg_def = definitie.args.get(arg.name.value)
            if arg_def is not None:
                self.tekst(arg.value, arg_def.type, arg.name.value, eigenaar, arg.name.value)

    def tekst(self, waarde: ValueNode, type_: GraphQLInputType, pad: str, eigenaar: str, naam: str) -> None:
        """Note every text input under this value: literals with their value, variables to check later."""
        kaal = type_.of_type if isinstance(type_, GraphQLNonNull) else type_
        if isinstance(waarde, VariableNode):
            self.teksten.append(Tekstinvoer(pad, soort(eigenaar, naam), kaal, variabele=waarde.name.value))
        elif isinstance(kaal, GraphQLList) and isinstance(waarde, ListValueNode):
            for i, item in enumerate(waarde.values):
                self.tekst(item, kaal.of_type, f"{pad}[{i}]", eigenaar, naam)
        elif isinstance(kaal, GraphQLInputObjectType) and isinstance(waarde, ObjectValueNode):
            for veld in waarde.fields:
                veld_def = kaal.fields.get(veld.name.value)
                if veld_def is not None:
                    self.tekst(veld.value, veld_def.type, f"{pad}.{veld.name.value}", kaal.name, veld.name.value)
        elif isinstance(kaal, GraphQLList) and not isinstance(waarde, ListValueNode):
            self.tekst(waarde, kaal.of_type, pad, eigenaar, naam)  # a single value coerced to a list
        elif is_tekst(kaal) and isinstance(waarde, StringValueNode):
            self.teksten.append(Tekstinvoer(pad, soort(eigenaar, naam), None, waarde=waarde.value))


def _vermenigvuldiger(
    knoop: FieldNode, argument: str, standaard: Any, maximum: int, kinderen: tuple[Kosten, ...], lengte: bool
) -> Kosten:
    waarde = next((a.value for a in knoop.arguments or () if a.name.value == argument), None)
    if isinstance(waarde, VariableNode):
        vast = standaard if isinstance(standaard, int) else maximum
        return Kosten(
            vast=min(vast, maximum), variabele=waarde.name.value, lengte=lengte, maximum=maximum, kinderen=kinderen
        )
    if lengte:
        m = len(waarde.values) if isinstance(waarde, ListValueNode) else 1
    elif isinstance(waarde, IntValueNode):
        m = int(waarde.value) if len(waarde.value) < 12 else maximum
    else:
        m = standaard if isinstance(standaard, int) else maximum
    return Kosten(vast=max(0, min(m, maximum)), kinderen=kinderen)


def _is_lijst(type_: Any) -> bool:
    return isinstance(type_.of_type if isinstance(type_, GraphQLNonNull) else type_, GraphQLList)
