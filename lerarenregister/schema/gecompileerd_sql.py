"""The compiled path's SQL (schema/gecompileerd.py): the search page and the lookup as one statement
each, compiled once for asyncpg, and the path's own connections."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import ARRAY, Boolean, Text, any_, bindparam, func, literal, literal_column, select, true, union_all
from sqlalchemy.dialects.postgresql import aggregate_order_by
from sqlalchemy.dialects.postgresql.asyncpg import dialect as asyncpg_dialect

from ..models import Bevoegdheid, Leraar
from ..resolvers import leraren
from .bundel import Bundel
from .leesverbindingen import Leesverbindingen

# --- the statements ------------------------------------------------------------------------------

# Only the columns the readers below use: what no supported field shows is not read.
_KOLOMMEN = (
    Leraar.id,
    Leraar.registernummer,
    Leraar.voorletters,
    Leraar.tussenvoegsel,
    Leraar.achternaam,
    Leraar.sorteernaam,
)

# A teacher's bevoegdheden as one JSON array of [id, vak, soort, voorHerregistratie], in the
# executor's order (vak, soort).
_B = Bevoegdheid.__table__.c


def _bevoegdheden_van(leraar_id: Any) -> Any:
    return (
        select(
            func.coalesce(
                func.json_agg(
                    aggregate_order_by(
                        func.json_build_array(_B.id, _B.vak, _B.soort, _B.voor_herregistratie), _B.vak, _B.soort
                    )
                ),
                literal_column("'[]'::json"),
            )
        )
        .where(_B.leraar_id == leraar_id)
        .scalar_subquery()
    )


def _zoek_statement() -> Any:
    """The search page and its total in one statement: the exact registernummer first, then names in
    index order (resolvers/leraren.py `zoek` does the same in three)."""
    is_exact = (
        leraren.IN_REGISTER & (Leraar.registernummer == bindparam("exact")) & bindparam("met_exact", type_=Boolean)
    )
    naam_past = leraren.IN_REGISTER & leraren.NAAM_BEGINT_MET & bindparam("met_namen", type_=Boolean)
    exact = select(*_KOLOMMEN, literal(0).label("rang")).where(is_exact)
    namen = (
        select(*_KOLOMMEN, literal(1).label("rang"))
        .where(naam_past)
        .order_by(Leraar.sorteernaam, Leraar.registernummer)
        .limit(bindparam("tot"))
    )
    beide = union_all(exact, namen).subquery("beide")
    pagina = (
        select(beide, _bevoegdheden_van(beide.c.id).label("bevoegdheden_json"))
        .order_by(beide.c.rang, beide.c.sorteernaam, beide.c.registernummer)
        .limit(bindparam("limit"))
        .offset(bindparam("offset"))
        .subquery("pagina")
    )
    aantal_exact = select(func.count()).select_from(Leraar).where(is_exact).scalar_subquery()
    aantal_namen = select(func.count()).select_from(Leraar).where(naam_past).scalar_subquery()
    totaal = select((aantal_exact + aantal_namen).label("totaal")).subquery("totaal")
    # One row even for an empty page: the total, with the page's rows joined to it.
    return (
        select(totaal.c.totaal, pagina)
        .select_from(totaal.outerjoin(pagina, true()))
        .order_by(pagina.c.rang, pagina.c.sorteernaam, pagina.c.registernummer)
    )


def _opzoek_statement() -> Any:
    """Any number of lookups at once (schema/bundel.py), each row with its registernummer."""
    # text[], not varchar[]: asyncpg knows text[] and would learn varchar[] by a catalogue query on each
    # new connection. varchar compares as text, and the unique index on registernummer serves ANY(text[]).
    nummers = bindparam("nummers", type_=ARRAY(Text))
    return select(*_KOLOMMEN, _bevoegdheden_van(Leraar.id).label("bevoegdheden_json")).where(
        leraren.IN_REGISTER & (Leraar.registernummer == any_(nummers))
    )


class _Sql:
    """A statement compiled once for asyncpg. The compiled path is PostgreSQL's only and talks to the
    driver directly, on a pool of its own (server.py): SQLAlchemy's connection and execution layers
    were half of its time per request."""

    def __init__(self, statement: Any):
        gecompileerd = statement.compile(dialect=asyncpg_dialect())
        self.tekst = str(gecompileerd)
        self._namen = list(gecompileerd.positiontup or ())
        self._vast = dict(gecompileerd.params)

    async def rijen(self, verbinding: Any, waarden: dict[str, Any]) -> list[Any]:
        rijen: list[Any] = await verbinding.fetch(self.tekst, *(waarden.get(n, self._vast.get(n)) for n in self._namen))
        return rijen


ZOEK = _Sql(_zoek_statement())
OPZOEK = _Sql(_opzoek_statement())


async def _opzoeken(pool: Leesverbindingen, nummers: list[str]) -> list[Any]:
    async with pool.acquire() as verbinding:
        return await OPZOEK.rijen(verbinding, {"nummers": nummers})


# The lookups of one pool (the primary's or the replica's) that arrive together, as one statement.
OPZOEKEN = Bundel(_opzoeken, "registernummer")


async def compileer_pool(
    database_url: str,
    luisteraars: list[Callable[[str], None]],
    statement_timeout_ms: int = 0,
    connect_timeout_seconds: float = 0,
) -> Leesverbindingen:
    """The compiled path's own asyncpg connections (schema/leesverbindingen.py): opened as needed,
    kept for 16 concurrent requests and more; JIT off, the read statement timeout and the connect
    timeout as on the engine (db.py). When `luisteraars` has any (the test suite's statement
    counter) before a connection opens, each statement it runs is told to them; otherwise the
    driver's query logging stays off the hot path."""
    import asyncpg
    from sqlalchemy.engine import make_url

    from ..db import pg_connect_args

    dsn = make_url(database_url).set(drivername="postgresql").render_as_string(hide_password=False)
    args = pg_connect_args(statement_timeout_ms, connect_timeout_seconds)
    # Generic plans: these few statements run thousands of times a second with other values, and
    # PostgreSQL's default (auto) planned the search page afresh at every execution, which cost more
    # than running it: 0.63 against 0.39 ms for "jansen" on 300,000 teachers, and the generic plan was
    # faster for every term tried, broad ("a": 0.97 against 0.77 ms), empty and a registernummer alike,
    # with the same answers (bench, 2026-12-01). Plans never change what a statement returns.
    args["server_settings"]["plan_cache_mode"] = "force_generic_plan"

    async def verbind() -> Any:
        verbinding = await asyncpg.connect(dsn, **args)
        if luisteraars:
            verbinding.add_query_logger(lambda q: [f(q.query) for f in luisteraars])
        return verbinding

    return Leesverbindingen(verbind, max_size=20, luisteraars=luisteraars)
