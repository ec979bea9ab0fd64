"""The row path's `ik` (schema/rijenpad.py): the logged-in teacher and, when asked, the portfolio
page with each entry's bevoegdheden, in one statement where the loaders take six and three
statements took three round trips (tests/test_snelpad.py counts it and compares every answer with
the executor's). The records are schema/rijengegevens.py's, read by column name as there.
"""

from __future__ import annotations

from ..resolvers.paginering import Pagina, totaal_uit_venster
from .rijengegevens import Gegevens, Rij, Verbinding

_LERAAR_KOLOMMEN = (
    "id",
    "registernummer",
    "voorletters",
    "tussenvoegsel",
    "achternaam",
    "voornamen",
    "geboortedatum",
    "status",
    "geregistreerd_op",
    "portfolio_openbaar",
    "eerste_levering_op",
)
# The logged-in teacher matched as Inzage.eigen_leraar_id matches it (by BSN hash), its row read in the
# same statement.
EIGEN_LERAAR = f"SELECT {', '.join(_LERAAR_KOLOMMEN)} FROM leraar WHERE bsn_hash = ANY($1::varchar[])"
PORTFOLIO_AANTAL = "SELECT count(*) FROM portfolio_activiteit WHERE leraar_id = $1"
# `ik` with its portfolio page in one statement, where the teacher's row, the page and its links took
# three (each round trip costs the server about 50 µs of CPU, whatever the statement; issue 12): the
# teacher (rij 0), the page with its window total and each entry's bevoegdheid ids (rij 1, newest
# first, as the loaders order a portfolio), and the bevoegdheden those ids name (rij 2), as rows of
# one shape whose columns are those of the three, NULL where a kind has none. A page is read only
# for exactly one teacher, as `_ik_op` answers only then. The links come as ids, not as a
# bevoegdheid per link: the few bevoegdheden once, not once per entry.
_IK_KOLOMMEN = (  # (name, type) after rij, id and leraar_id, in the row's order; the teacher's typed by its table
    *((k, "") for k in _LERAAR_KOLOMMEN[1:]),
    ("titel", "varchar"),
    ("datum", "date"),
    ("uren", "float8"),
    ("gebied", "varchar"),
    ("bron", "varchar"),
    ("totaal_aantal", "bigint"),
    ("bevoegdheid_ids", "int[]"),
    ("vak", "varchar"),
    ("soort", "varchar"),
    ("behaald_op", "date"),
    ("voor_herregistratie", "boolean"),
)


def _ik_rijen(rij: int, id_: str, leraar_id: str, waarden: dict[str, str]) -> str:
    """One kind's SELECT list: its own columns, NULL for the others (typed in the first kind's)."""
    kolommen = [str(rij) if rij else "0 AS rij", id_, leraar_id if rij else "NULL::int AS leraar_id"]
    for naam, soort in _IK_KOLOMMEN:
        if naam in waarden:
            kolommen.append(waarden[naam])
        else:
            kolommen.append(f"NULL::{soort} AS {naam}" if rij == 0 else "NULL")
    return "SELECT " + ", ".join(kolommen)


def _ik(koppelingen: bool) -> str:
    leraar = {k: k for k in _LERAAR_KOLOMMEN[1:]}
    entry = {k: k for k in ("titel", "datum", "uren", "gebied", "bron", "totaal_aantal")}
    if koppelingen:
        entry["bevoegdheid_ids"] = (
            "ARRAY(SELECT pb.bevoegdheid_id FROM portfolio_bevoegdheid pb WHERE pb.activiteit_id = p.id ORDER BY 1)"
        )
    sql = (
        f"WITH l AS ({EIGEN_LERAAR}), "
        "p AS (SELECT a.id, a.leraar_id, a.titel, a.datum, a.uren, a.gebied, a.bron, count(*) OVER () AS totaal_aantal "
        "FROM portfolio_activiteit a WHERE a.leraar_id = (SELECT min(id) FROM l) AND (SELECT count(*) FROM l) = 1 "
        "ORDER BY a.datum DESC, a.id DESC LIMIT $2 OFFSET $3) "
        f"{_ik_rijen(0, 'id', '', leraar)} FROM l UNION ALL "
        f"{_ik_rijen(1, 'id', 'leraar_id', entry)} FROM p"
    )
    if koppelingen:
        b = {k: f"b.{k}" for k in ("vak", "soort", "behaald_op", "voor_herregistratie")}
        sql += (
            f" UNION ALL {_ik_rijen(2, 'b.id', 'b.leraar_id', b)} FROM bevoegdheid b WHERE b.id IN "
            "(SELECT pb.bevoegdheid_id FROM portfolio_bevoegdheid pb WHERE pb.activiteit_id IN (SELECT id FROM p))"
        )
    return sql + " ORDER BY rij, datum DESC, id DESC"


IK = {met: _ik(met) for met in (False, True)}


async def ik(
    g: Gegevens, con: Verbinding, hashes: list[str], pagina: tuple[int, int] | None, koppelingen: bool
) -> list[Rij]:
    """The teachers the BSN hashes match and, when exactly one does and a page (limit, offset) is
    asked, `portfolio`'s page and (`koppelingen`) its entries' bevoegdheden, in one statement (IK);
    without a page the teacher's row alone (EIGEN_LERAAR)."""
    if pagina is None:
        gevonden: list[Rij] = await con.rijen(EIGEN_LERAAR, hashes)
        return gevonden
    limit, offset = pagina
    leraren: list[Rij] = []
    items: list[Rij] = []
    bevoegdheden: dict[int, Rij] = {}
    for r in await con.rijen(IK[koppelingen], hashes, limit, offset):
        soort = r[0]
        if soort == 1:
            items.append(r)
        elif soort == 0:
            leraren.append(r)
        else:
            bevoegdheden[r["id"]] = r
    if len(leraren) != 1:
        return leraren
    totaal = totaal_uit_venster(items[0]["totaal_aantal"] if items else None, offset, limit)
    if totaal is None:
        totaal = await con.waarde(PORTFOLIO_AANTAL, leraren[0]["id"])
    g.pagina = Pagina(items, offset, totaal)
    if koppelingen:
        g.bevoegdheden_van = {a["id"]: [bevoegdheden[b] for b in a["bevoegdheid_ids"]] for a in items}
    return leraren
