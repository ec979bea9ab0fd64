"""What each field reads on the row path (schema/rijenpad.py): per type, per field, a reader over the
rows of schema/rijengegevens.py (`(source, run) -> value`), the owner of each object (whose
audiences its fields are checked against), and where a field may be read from what was loaded.
The values are those the types' `van` functions and resolvers give (schema/types/);
tests/test_snelpad.py compares them with the executor's for every trusted document.
"""

from __future__ import annotations

from collections.abc import Callable
from operator import attrgetter
from typing import Any

from graphql import GraphQLScalarType

from ..auth.policy import Onderwerp
from ..regels import naam as naamregels
from ..resolvers import herregistratie, paginering, portfolio
from .relay import page_info

Lezer = Callable[[Any, Any], Any]


ATTRIBUUT: dict[Lezer, str] = {}  # readers of one attribute: the generated code reads it itself


def _a(naam: str) -> Lezer:
    haal = attrgetter(naam)

    def lees(b: Any, _r: Any) -> Any:
        return haal(b)

    ATTRIBUUT[lees] = naam
    return lees


def _id(b: Any, _r: Any) -> str:
    return str(b.id)


ALS_TEKST: dict[Lezer, str] = {_id: "id"}  # readers of one column as text (an ID)
# Types whose sources are records (schema/rijengegevens.py `Rij`, `Rijdict`): read by column name.
RECORDS = frozenset({"Leraar", "Naam", "Registratie", "Bevoegdheid", "PortfolioActiviteit"})
# The same readers as Python expressions over `bron` (a record, or a voorportaal row with its board)
# and `run`, with the names they use: the generated code inlines them (schema/rijenbouw.py).
EXPRESSIE: dict[Lezer, tuple[str, dict[str, Any]]] = {}


def _x(expressie: str, lezer: Lezer, **namen: Any) -> Lezer:
    EXPRESSIE[lezer] = (expressie, namen)
    return lezer


def _edges(p: Any, _r: Any) -> list[tuple[int, Any]]:
    return [(p.offset + i, x) for i, x in enumerate(p.items)]


_CONNECTION: dict[str, Lezer] = {
    "totalCount": _a("totaal"),
    "pageInfo": lambda p, _r: page_info(p),
    "edges": _edges,
}
_EDGE: dict[str, Lezer] = {
    "cursor": _x("cursor(bron[0])", lambda e, _r: paginering.cursor(e[0]), cursor=paginering.cursor),
    "node": _x("bron[1]", lambda e, _r: e[1]),
}
_PLAIN_BEVOEGDHEID: dict[str, Lezer] = {
    "id": _id,
    "vak": _a("vak"),
    "soort": _a("soort"),
    "voorHerregistratie": _a("voor_herregistratie"),
    "behaaldOp": _a("behaald_op"),
}

LEZERS: dict[str, dict[str, Lezer]] = {
    "Query": {
        "mijnSchoolbestuur": lambda _b, r: r.g.bestuur,
        "ik": lambda _b, r: r.g.leraar,
    },
    "Schoolbestuur": {
        "bevoegdGezagNummer": _a("bevoegd_gezag_nummer"),
        "naam": _a("naam"),
        "medewerkers": lambda _b, r: r.g.pagina,
    },
    "LeraarConnection": _CONNECTION,
    "PortfolioConnection": _CONNECTION,
    "LeraarEdge": _EDGE,
    "PortfolioEdge": _EDGE,
    "PageInfo": {
        "hasNextPage": _a("has_next_page"),
        "hasPreviousPage": _a("has_previous_page"),
        "startCursor": _a("start_cursor"),
        "endCursor": _a("end_cursor"),
    },
    "Leraar": {
        "registernummer": _a("registernummer"),
        "naam": _x("bron", lambda b, _r: b),
        "geboortedatum": _a("geboortedatum"),
        "registratie": _x("bron", lambda b, _r: b),
        "portfolioOpenbaar": _a("portfolio_openbaar"),
        "bevoegdheden": _x("run.g.bevoegdheden[bron['id']]", lambda b, r: r.g.bevoegdheden[b.id]),
        "waarschuwingen": _x("run.g.waarschuwingen[bron['id']]", lambda b, r: r.g.waarschuwingen[b.id]),
        "voorportaal": _x("run.g.voorportaal[bron['id']]", lambda b, r: r.g.voorportaal[b.id]),
        "portfolio": lambda _b, r: r.g.pagina,
    },
    "Naam": {
        "voorletters": _a("voorletters"),
        "tussenvoegsel": _a("tussenvoegsel"),
        "achternaam": _a("achternaam"),
        "weergavenaam": _x(
            "weergavenaam(bron['voorletters'], bron['tussenvoegsel'], bron['achternaam'])",
            lambda b, _r: naamregels.weergavenaam(b.voorletters, b.tussenvoegsel, b.achternaam),
            weergavenaam=naamregels.weergavenaam,
        ),
        "voornamen": _a("voornamen"),
    },
    "Registratie": {
        "status": _a("status"),
        "geregistreerdOp": _a("geregistreerd_op"),
    },
    "Bevoegdheid": {
        **_PLAIN_BEVOEGDHEID,
        "herregistratie": _x("run.g.standen[bron['id']]", lambda b, r: r.g.standen[b.id]),
        "aantekening": _x("run.g.staande[bron['id']]", lambda b, r: r.g.staande[b.id]),
    },
    "Herregistratie": {
        "periodeStart": _a("start"),
        "periodeEinde": _a("einde"),
        "status": _a("status"),
        "behaaldeUren": _a("behaalde_uren"),
        "vereisteUren": _a("vereiste_uren"),
    },
    "Aantekening": {
        "id": _id,
        "geplaatstOp": _a("geplaatst_op"),
        "opgehevenOp": _a("opgeheven_op"),
        "status": _a("status"),
        "gevolg": lambda a, r: herregistratie.gevolg(r.v, a),
    },
    "Waarschuwing": {
        "soort": _a("soort"),
        "bericht": _a("bericht"),
        "datum": _a("datum"),
    },
    "Voorportaalinschrijving": {  # (the row, its board)
        "id": _x("str(bron[0]['id'])", lambda t, _r: str(t[0].id)),
        "vak": _x("bron[0]['vak']", lambda t, _r: t[0].vak),
        "begindatum": _x("bron[0]['begindatum']", lambda t, _r: t[0].begindatum),
        "termijnEinde": _x("bron[0]['termijn_einde']", lambda t, _r: t[0].termijn_einde),
        "verlengd": _x("bron[0]['verlengd']", lambda t, _r: t[0].verlengd),
        "afgesloten": _x("bron[0]['afgesloten']", lambda t, _r: t[0].afgesloten),
        "schoolbestuur": lambda t, _r: t[1],
    },
    "PortfolioActiviteit": {
        "id": _id,
        "titel": _a("titel"),
        "datum": _a("datum"),
        "uren": _a("uren"),
        "gebied": _a("gebied"),
        "bron": _a("bron"),
        "bewerkbaar": _x("bewerkbaar(bron)", lambda a, _r: portfolio.bewerkbaar(a), bewerkbaar=portfolio.bewerkbaar),
        "bevoegdheden": _x("run.g.bevoegdheden_van[bron['id']]", lambda a, r: r.g.bevoegdheden_van[a.id]),
    },
}

_LERAAR_ZELF = {"registernummer", "naam", "geboortedatum", "registratie", "portfolioOpenbaar"}
# Where a field may be read from what that place loaded (absent: every field of the type).
TOEGESTAAN: dict[tuple[str, str], set[str]] = {
    ("Leraar", "ik"): _LERAAR_ZELF | {"portfolio"},
    ("Leraar", "staf"): _LERAAR_ZELF | {"bevoegdheden", "waarschuwingen", "voorportaal"},
    ("Bevoegdheid", "portfolio"): set(_PLAIN_BEVOEGDHEID),
    ("Schoolbestuur", "genest"): {"bevoegdGezagNummer", "naam"},
}


def _ouder(_b: Any, ouder: Onderwerp, _r: Any) -> Onderwerp:
    return ouder


def _leraar(b: Any, _ouder: Onderwerp, r: Any) -> Onderwerp:
    onderwerp: Onderwerp = r.g.onderwerp(b.id)
    return onderwerp


def _van_leraar(b: Any, _ouder: Onderwerp, r: Any) -> Onderwerp:
    onderwerp: Onderwerp = r.g.onderwerp(b.leraar_id)
    return onderwerp


def _bestuur(b: Any, _ouder: Onderwerp, _r: Any) -> Onderwerp:
    return Onderwerp(schoolbestuur=b.bevoegd_gezag_nummer)


# The same as expressions over an object `{x}` (a record) and `run`, for the generated code: the
# teacher's Onderwerp as Gegevens.onderwerp gives it, read from its dict without a call when known.
ONDERWERP_EXPRESSIE = {
    _leraar: "(run.g.onderwerpen.get({x}['id']) or run.g.onderwerp({x}['id']))",
    _van_leraar: "(run.g.onderwerpen.get({x}['leraar_id']) or run.g.onderwerp({x}['leraar_id']))",
}

# Whose data each object is, as the types' `van` functions set `onderwerp`.
ONDERWERP: dict[str, Callable[[Any, Onderwerp, Any], Onderwerp]] = {
    "Query": _ouder,
    "Schoolbestuur": _bestuur,
    "Leraar": _leraar,
    "Bevoegdheid": _van_leraar,
    "PortfolioActiviteit": _van_leraar,
    **{
        t: _ouder
        for t in (
            "LeraarConnection",
            "PortfolioConnection",
            "LeraarEdge",
            "PortfolioEdge",
            "PageInfo",
            "Naam",
            "Registratie",
            "Herregistratie",
            "Aantekening",
            "Waarschuwing",
            "Voorportaalinschrijving",
        )
    },
}


def zet_om(type_: Any) -> Callable[[Any], Any] | None:
    """A leaf's output as graphql-core serializes it (the readers give str, bool and int as is)."""
    naam = type_.name
    if naam in ("String", "ID", "Boolean", "Int"):
        return None
    serialiseer: Callable[[Any], Any] = type_.serialize
    if naam == "Float":
        return lambda w: w if type(w) is float else serialiseer(w)
    if isinstance(type_, GraphQLScalarType):
        return serialiseer
    return EnumOmzetting(serialiseer)


class EnumOmzetting:
    """An enum's output: a handful of values, each serialized once. `bewaard` holds those seen, so
    that the generated code (schema/rijenbouw.py) reads a known one without a call; each
    converter's values live with it, and go with the plan that holds it."""

    __slots__ = ("bewaard", "_serialiseer")

    def __init__(self, serialiseer: Callable[[Any], Any]):
        self.bewaard: dict[Any, Any] = {}
        self._serialiseer = serialiseer

    def __call__(self, w: Any) -> Any:
        uit = self.bewaard.get(w)
        if uit is None:
            uit = self.bewaard[w] = self._serialiseer(w)
        return uit


__all__ = [
    "ALS_TEKST",
    "ATTRIBUUT",
    "EnumOmzetting",
    "EXPRESSIE",
    "LEZERS",
    "ONDERWERP",
    "ONDERWERP_EXPRESSIE",
    "RECORDS",
    "TOEGESTAAN",
    "zet_om",
]
