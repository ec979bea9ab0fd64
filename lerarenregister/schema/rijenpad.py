"""The row path (issue 12): a board's staff page and the teacher's own portfolio page answered from
plain rows, on PostgreSQL, without resolvers, strawberry objects or dataloaders.

A trusted query whose one root field is `mijnSchoolbestuur` (with at most one `medewerkers`) or `ik`
(with at most one `portfolio`) is compiled, beside its plan (schema/plannen.py), into selections of
readers over the rows schema/rijengegevens.py loads. Visibility is not restated: per object type
in the document and per set of audiences (with the kind of viewer), the one check
`zichtbaarheid.controleer` is asked once for every selected field, with the audiences the request's
`Inzage` gives for that object's owner; its verdicts (let through, the denial it raises, the
access-log entries it notes) are kept in a table, and every object of that type with those
audiences takes them from there. The asker's audiences per teacher, the page's teachers and the
board's own rows come from the resolvers' and `Inzage`'s own functions.

Anything else is left to the plan, before a statement runs: another document, another viewer, a
filter on warnings, arguments the resolvers would refuse. What the rows do not reproduce once
loading has begun (a board or teacher not found, a null where the schema promises a value,
audiences not known without a query, a database error) is answered again by the executor with a
fresh request (None), as the plans do. tests/test_snelpad.py compares both for every document.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    FieldNode,
    GraphQLError,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    OperationDefinitionNode,
    get_named_type,
    is_leaf_type,
)
from graphql.execution import ExecutionResult
from graphql.execution.values import get_argument_values

from ..auth.policy import ALGEMEEN, Doelgroep, Onderwerp
from ..auth.viewer import LeraarViewer, SchoolbestuurViewer
from ..resolvers import leraren
from ..resolvers.fouten import RegisterFout
from ..resolvers.paginering import Pagina, venster
from . import rijengegevens as rg
from . import rijenik
from .rijenbouw import genereer
from .rijenlezers import LEZERS, ONDERWERP, ONDERWERP_EXPRESSIE, TOEGESTAAN, zet_om
from .zichtbaarheid import STRUCTUREEL, controleer

log = logging.getLogger(__name__)

NIET_GEDAAN: Any = object()  # left to the plan: nothing has run


class NietOpRijen(Exception):
    """This document is not answered from rows."""


@dataclass
class _Tabel:
    """controleer's verdicts for one object type's selected fields and one set of audiences."""

    weigeringen: list[Exception | None]
    weigert: bool  # any field denied
    doelgroep: Doelgroep | None  # the access log's audience for these fields, if any is logged
    gelogd: frozenset[str]
    # Per field: its child selection's table for the same owner (_Selectie.tabel_kind), else None.
    kinderen: list[_Tabel | None] = field(default_factory=list)


class _Stub:
    """What controleer reads of a request, with the audiences fixed: the verdicts go in a table."""

    def __init__(self, viewer: Any, groepen: frozenset[Doelgroep], onderwerp: Onderwerp):
        self.viewer = viewer
        self.inzage = self
        self.inzagen = self
        self.rol = groepen
        self._groepen = groepen
        self.onderwerp = onderwerp
        self.log: list[tuple[Doelgroep, str]] = []

    def bekend(self, _onderwerp: Onderwerp) -> frozenset[Doelgroep]:
        return self._groepen

    def noteer(self, _leraar_id: int, doelgroep: Doelgroep, type_: str, veld: str) -> None:
        self.log.append((doelgroep, f"{type_}.{veld}"))


@dataclass(eq=False)
class _Veld:
    sleutel: str
    naam: str
    knoop: FieldNode
    lees: Callable[[Any, Any], Any]  # (source, run) -> value
    verplicht: bool
    kind: _Selectie | None = None
    lijst: bool = False
    zet_om: Callable[[Any], Any] | None = None


@dataclass(eq=False)
class _Selectie:
    type_naam: str
    onderwerp_van: Callable[[Any, Onderwerp, Any], Onderwerp]
    velden: list[_Veld] = field(default_factory=list)
    tabellen: dict[tuple[Any, ...], _Tabel] = field(default_factory=dict)
    vrij: bool = False  # Relay's plumbing with no declared field: controleer lets every field through
    bouw: Callable[..., dict[str, Any]] = field(default=lambda *_a: {})  # schema/rijenbouw.py's

    def tabel(self, regels: Any, viewer: Any, groepen: frozenset[Doelgroep], onderwerp: Onderwerp) -> _Tabel:
        sleutel = (groepen, onderwerp.leraar_id is not None, type(viewer))
        gevonden = self.tabellen.get(sleutel)
        if gevonden is not None:
            return gevonden
        stub = _Stub(viewer, groepen, Onderwerp(leraar_id=0) if onderwerp.leraar_id is not None else onderwerp)
        weigeringen: list[Exception | None] = []
        for v in self.velden:
            try:
                if controleer(regels, self.type_naam, v.naam, stub, stub) is not None:
                    raise NietOpRijen("controleer waits")  # cannot happen: the audiences are given
                weigeringen.append(None)
            except RegisterFout as exc:
                weigeringen.append(exc)
        doelgroep = stub.log[0][0] if stub.log else None
        if any(d != doelgroep for d, _ in stub.log):
            raise NietOpRijen("fields logged under different audiences")
        tabel = _Tabel(weigeringen, any(weigeringen), doelgroep, frozenset(n for _, n in stub.log))
        tabel.kinderen = [
            v.kind.tabel(regels, viewer, groepen, onderwerp) if v.kind is not None and self.tabel_kind(i) else None
            for i, v in enumerate(self.velden)
        ]
        self.tabellen[sleutel] = tabel
        return tabel

    def tabel_kind(self, i: int) -> bool:
        """Does this selection's table carry field i's child table? For a child whose owner is its
        parent's (or may be: the same teacher by id), not under Relay's plumbing (its `groepen` are
        none) nor for plumbing below (it asks for none)."""
        kind = self.velden[i].kind
        if self.vrij or kind is None or kind.vrij:
            return False
        return kind.onderwerp_van is ONDERWERP["Naam"] or kind.onderwerp_van in ONDERWERP_EXPRESSIE


@dataclass
class _Bouw:
    """What compiling one document finds besides its selections."""

    regels: Any  # the schema's declarations
    argumenten: tuple[FieldNode, Any] | None = None  # the medewerkers or portfolio field and its definition
    gevraagd: set[str] = field(default_factory=set)  # asked of each teacher on the page


def _selectie(type_: GraphQLObjectType, selecties: Any, plek: str, bouw: _Bouw) -> _Selectie:
    lezers = LEZERS.get(type_.name)
    toegestaan = TOEGESTAAN.get((type_.name, plek))
    if lezers is None:
        raise NietOpRijen(f"type {type_.name}")
    sel = _Selectie(type_.name, ONDERWERP[type_.name])
    for knoop in selecties.selections:
        if not isinstance(knoop, FieldNode) or knoop.directives:
            raise NietOpRijen("fragments and directives")
        naam = knoop.name.value
        sleutel = knoop.alias.value if knoop.alias else naam
        if any(v.sleutel == sleutel for v in sel.velden):
            raise NietOpRijen(f"the response key {sleutel} twice")
        if naam == "__typename":
            sel.velden.append(_Veld(sleutel, naam, knoop, _vast(type_.name), True))
            continue
        if naam not in lezers or (toegestaan is not None and naam not in toegestaan):
            raise NietOpRijen(f"{type_.name}.{naam} here")
        definitie = type_.fields[naam]
        lezer = lezers[naam]
        met_argumenten = (type_.name, naam) in (("Schoolbestuur", "medewerkers"), ("Leraar", "portfolio"))
        if met_argumenten:
            if bouw.argumenten is not None or plek not in ("bestuur", "ik"):
                raise NietOpRijen(f"{naam} twice or below the root")
            bouw.argumenten = (knoop, definitie)
        elif knoop.arguments:
            raise NietOpRijen(f"{type_.name}.{naam} with arguments")
        v = _Veld(sleutel, naam, knoop, lezer, isinstance(definitie.type, GraphQLNonNull))
        binnen = definitie.type.of_type if isinstance(definitie.type, GraphQLNonNull) else definitie.type
        if isinstance(binnen, GraphQLList):
            if not isinstance(binnen.of_type, GraphQLNonNull):
                raise NietOpRijen(f"{type_.name}.{naam}: a list of nullable items")
            v.lijst = True
        genoemd = get_named_type(definitie.type)
        if is_leaf_type(genoemd):
            if v.lijst:
                raise NietOpRijen(f"{type_.name}.{naam}: a list of leaves")
            v.zet_om = zet_om(genoemd)
        elif isinstance(genoemd, GraphQLObjectType) and knoop.selection_set is not None:
            kind_plek = _plek(type_.name, naam, plek)
            v.kind = _selectie(genoemd, knoop.selection_set, kind_plek, bouw)
            if (kind_plek, genoemd.name) in (("staf", "Leraar"), ("portfolio", "PortfolioActiviteit")):
                bouw.gevraagd |= _namen(knoop.selection_set)
        else:
            raise NietOpRijen(f"{type_.name}.{naam}: an abstract type")
        sel.velden.append(v)
    sel.vrij = type_.name in STRUCTUREEL and not any((type_.name, v.naam) in bouw.regels for v in sel.velden)
    sel.bouw = genereer(sel)
    return sel


def _vast(waarde: str) -> Callable[[Any, Any], Any]:
    return lambda _b, _r: waarde


def _plek(ouder: str, naam: str, plek: str) -> str:
    """Where a selection is: which fields may be read there from what was loaded."""
    if ouder == "Schoolbestuur" and naam == "medewerkers":
        return "staf"
    if ouder == "Leraar" and naam == "portfolio":
        return "portfolio"
    if ouder == "Query":
        return "ik" if naam == "ik" else "bestuur"
    if ouder == "Voorportaalinschrijving":
        return "genest"
    return plek


def _namen(selecties: Any) -> set[str]:
    """As types.knoop_velden: the fields asked of each teacher, and bevoegdheden's as `bevoegdheden.x`."""
    uit: set[str] = set()
    for knoop in selecties.selections:
        uit.add(knoop.name.value)
        if knoop.name.value == "bevoegdheden" and knoop.selection_set is not None:
            uit |= {f"bevoegdheden.{k.name.value}" for k in knoop.selection_set.selections}
    return uit


def _pad(pad: Any, sleutel: Any) -> list[Any]:
    uit = [sleutel]
    while pad is not None:
        pad, k = pad
        uit.append(k)
    uit.reverse()
    return uit


class _Run:
    __slots__ = ("v", "g", "regels", "viewer", "fouten", "bekend", "per_leraar")

    def __init__(self, v: Any, g: rg.Gegevens, regels: Any):
        self.v = v
        self.g = g
        self.regels = regels
        self.viewer = v.viewer
        self.fouten: list[GraphQLError] = []
        self.bekend = v.inzage.bekend
        self.per_leraar = v.inzagen.per_leraar

    def noteer(self, onderwerp: Onderwerp, tabel: _Tabel) -> None:
        """The object's logged fields, as Inzagen.noteer notes them field by field."""
        if onderwerp.leraar_id is None:
            return
        bestaand = self.per_leraar.get(onderwerp.leraar_id)
        if bestaand is None:
            self.per_leraar[onderwerp.leraar_id] = (tabel.doelgroep, set(tabel.gelogd))
        else:
            bestaand[1].update(tabel.gelogd)

    def object_(self, sel: _Selectie, bron: Any, onderwerp: Onderwerp, pad: Any, tabel: _Tabel) -> dict[str, Any]:
        """An object with a denied field (schema/rijenbouw.py builds the others): its verdicts
        (`tabel`) are known and its logged fields noted."""
        uit: dict[str, Any] = {}
        for v, weigering in zip(sel.velden, tabel.weigeringen):
            if weigering is not None:
                if v.verplicht:
                    raise rg.Terugval("a denied field that cannot be null")
                self.fouten.append(
                    GraphQLError(str(weigering), [v.knoop], path=_pad(pad, v.sleutel), original_error=weigering)
                )
                uit[v.sleutel] = None
                continue
            w = v.lees(bron, self)
            if w is None:
                if v.verplicht:
                    raise rg.Terugval("null for a non-null field")
                uit[v.sleutel] = None
            elif v.kind is None:
                uit[v.sleutel] = w if v.zet_om is None else v.zet_om(w)
            elif v.lijst:
                bouw, van, kpad = v.kind.bouw, v.kind.onderwerp_van, (pad, v.sleutel)
                uit[v.sleutel] = [bouw(self, x, van(x, onderwerp, self), (kpad, i), None) for i, x in enumerate(w)]
            else:
                uit[v.sleutel] = v.kind.bouw(self, w, v.kind.onderwerp_van(w, onderwerp, self), (pad, v.sleutel), None)
        return uit


@dataclass
class RijenPlan:
    """One trusted document answered from rows."""

    regels: Any
    wortel: _Selectie
    soort: str  # "bestuur" | "ik"
    bouw: _Bouw
    naam: str | None  # the operation's

    async def voer_uit(self, verzoek: Any, waarden: Any) -> Any:
        """The executor's result; NIET_GEDAAN when the plan answers instead (nothing ran); None when
        the executor must answer."""
        v = verzoek
        if v.db.dialect != "postgresql":
            return NIET_GEDAAN
        if not isinstance(v.viewer, SchoolbestuurViewer if self.soort == "bestuur" else LeraarViewer):
            return NIET_GEDAAN
        wortel_tabel = self.wortel.tabel(self.regels, v.viewer, v.inzage.rol, ALGEMEEN)
        if any(w is not None for w in wortel_tabel.weigeringen):
            return NIET_GEDAAN
        arg: dict[str, Any] = {}
        venster_: tuple[int, int] = (0, 0)
        try:
            if self.bouw.argumenten is not None:
                knoop, definitie = self.bouw.argumenten
                arg = get_argument_values(definitie, knoop, waarden)
            if self.soort == "bestuur":
                filter_ = arg.get("filter") or {}
                if filter_.get("metWaarschuwing") is not None:
                    return NIET_GEDAAN
            elif self.bouw.argumenten is not None:
                eerste = arg.get("first")
                venster_ = venster(50 if eerste is None else eerste, arg.get("after"))
        except (GraphQLError, RegisterFout):
            return NIET_GEDAAN
        g = rg.Gegevens()
        try:
            if self.soort == "bestuur":
                await self._bestuur(v, g, arg)
            elif not await self._ik(v, g, venster_):
                return None
            run = _Run(v, g, self.regels)
            data = self.wortel.bouw(run, None, ALGEMEEN, None, None)
        except Exception as exc:  # the executor answers it, with its own errors
            log.debug("row path handed to the executor: %r", exc)
            return None
        return ExecutionResult(data, run.fouten or None)

    async def _bestuur(self, v: Any, g: rg.Gegevens, arg: dict[str, Any]) -> None:
        con = await rg.Verbinding.van(v.db)
        rijen = await con.rijen(rg.BESTUUR, v.viewer.bevoegd_gezag)  # as leraren.mijn_bestuur
        if not rijen:
            raise rg.Terugval("no such board")
        g.bestuur = rijen[0]
        v.inzage.ken_bestuur(g.bestuur.id)
        if self.bouw.argumenten is None:
            return
        filter_ = arg.get("filter") or {}
        status = filter_.get("registratiestatus")
        status = status.value if status else None
        if arg.get("gewijzigdSinds") is None:
            g.pagina = await rg.staf_pagina(v, con, g.bestuur.id, status, arg.get("first"), arg.get("after"))
        else:
            p = await leraren.medewerkers(
                v, g.bestuur.id, status, None, arg["gewijzigdSinds"], arg.get("first"), arg.get("after")
            )
            staf: list[Any] = p.items  # plain rows, typed as the model
            g.pagina = Pagina([rg.Rijdict(r._mapping) for r in staf], p.offset, p.totaal)
        if g.pagina.items and self.bouw.gevraagd & {"bevoegdheden", "voorportaal", "waarschuwingen"}:
            await rg.staf(v, g, con, self.bouw.gevraagd)

    async def _ik(self, v: Any, g: rg.Gegevens, venster_: tuple[int, int]) -> bool:
        if v.pool is not None and v.viewer.in_inzagelog is None:
            # Nothing of this request is written (a teacher's own reads are not logged): its reads
            # go on the compiled path's own asyncpg connections (read timeout, statement counting, no reset),
            # and no session is opened at all: about a quarter of a millisecond a request.
            async with v.pool.acquire() as ruw:
                return await self._ik_op(v, g, venster_, rg.Verbinding(ruw, None))
        return await self._ik_op(v, g, venster_, await rg.Verbinding.van(v.db))

    async def _ik_op(self, v: Any, g: rg.Gegevens, venster_: tuple[int, int], con: rg.Verbinding) -> bool:
        pagina = venster_ if self.bouw.argumenten is not None else None  # None: no portfolio asked
        gevonden = await rijenik.ik(g, con, list(v.viewer.hashes), pagina, "bevoegdheden" in self.bouw.gevraagd)
        if len(gevonden) != 1:
            return False  # nobody (or, impossibly, two): the executor's error
        g.leraar = gevonden[0]
        v.inzage.ken_leraar(g.leraar["id"])
        await v.inzage.laad(gevonden)
        return True


def rijenplan(schema: Any, operatie: OperationDefinitionNode) -> RijenPlan:
    """The row path for one query operation, or NietOpRijen."""
    wortels = operatie.selection_set.selections
    if len(wortels) != 1 or not isinstance(wortels[0], FieldNode):
        raise NietOpRijen("one root field")
    naam = wortels[0].name.value
    if naam not in ("mijnSchoolbestuur", "ik"):
        raise NietOpRijen("mijnSchoolbestuur or ik")
    bouw = _Bouw(schema.regels)
    wortel = _selectie(schema._schema.query_type, operatie.selection_set, "wortel", bouw)
    soort = "bestuur" if naam == "mijnSchoolbestuur" else "ik"
    return RijenPlan(schema.regels, wortel, soort, bouw, operatie.name.value if operatie.name else None)
