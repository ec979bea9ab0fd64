"""The stack's limit: a hand-written Starlette + asyncpg + orjson app answering the bench's documents.

    REGISTER_DATABASE_URL=postgresql://postgres@127.0.0.1:5432/lr_bench REGISTER_VANDAAG=2026-11-28 \\
        .venv/bin/python bench/raw_peer.py --port 8102

It answers exactly the documents in bench/scenarios.py (recognised by their text, or the trusted
ones by their documentId; there is no
GraphQL parser here) with byte for byte the JSON our GraphQL server gives for them: the same SQL
semantics (resolvers/leraren.py, loaders.py, herregistratie.py), the same rules (regels/), the
same token check, one pooled connection per request. Anything else is a 400.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import datetime as dt
import os
import sys
from collections import defaultdict
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import asyncpg
import orjson
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import scenarios  # noqa: E402

from lerarenregister.auth.demo import demo_jwks  # noqa: E402
from lerarenregister.auth.tokens import JwksBron, TokenControle, TokenFout  # noqa: E402
from lerarenregister.auth.viewer import ANONIEM, LeraarViewer, SchoolbestuurViewer, viewer_uit_claims  # noqa: E402
from lerarenregister.regels import herregistratie as hr  # noqa: E402
from lerarenregister.regels import waarschuwingen as ww  # noqa: E402
from lerarenregister.regels.naam import normaliseer, weergavenaam  # noqa: E402
from lerarenregister.regels.registernummer import is_geldig as registernummer_geldig  # noqa: E402
from lerarenregister.settings import Settings  # noqa: E402

HOOGSTE = "\U0010ffff"
GEREGISTREERD = "GEREGISTREERD"
OPENBAAR = "id, registernummer, voorletters, tussenvoegsel, achternaam"
NAAM = "status = 'GEREGISTREERD' AND sorteernaam >= $1 AND sorteernaam < $2 AND registernummer <> $3"


def _json(inhoud: Any, status: int = 200) -> Response:
    return Response(
        orjson.dumps(inhoud),
        status_code=status,
        media_type="application/json",
        headers={"Cache-Control": "private, no-store"},
    )


def _fout(status: int, code: str, bericht: str) -> Response:
    return _json({"errors": [{"message": bericht, "extensions": {"code": code}}]}, status)


def cursor(positie: int) -> str:
    return base64.urlsafe_b64encode(f"p:{positie}".encode()).decode()


def _d(x: dt.date | None) -> str | None:
    return x.isoformat() if x is not None else None


@dataclass(frozen=True)
class Stand:
    start: dt.date
    einde: dt.date
    status: str
    behaalde_uren: float
    vereiste_uren: float
    voldaan: bool


class Register:
    """The reads, over one connection per request."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.vandaag = settings.today()

    # --- children of a page of teachers -----------------------------------------------------

    async def bevoegdheden(self, con: asyncpg.Connection, ids: list[int]) -> dict[int, list[asyncpg.Record]]:
        per: dict[int, list[asyncpg.Record]] = defaultdict(list)
        for r in await con.fetch(
            "SELECT id, leraar_id, vak, soort, behaald_op, voor_herregistratie FROM bevoegdheid "
            "WHERE leraar_id = ANY($1::int[]) ORDER BY vak, soort",
            ids,
        ):
            per[r["leraar_id"]].append(r)
        return per

    async def herregistratie(
        self, con: asyncpg.Connection, bevoegdheden: list[asyncpg.Record]
    ) -> tuple[dict[int, Stand | None], dict[int, asyncpg.Record | None]]:
        """The current period's state and the standing aantekening, per bevoegdheid."""
        alle_ids = [b["id"] for b in bevoegdheden]
        gekozen = [b["id"] for b in bevoegdheden if b["voor_herregistratie"]]
        criteria = {
            r["id"]: hr.Criteria(
                r["geldig_vanaf"], r["totaal_uren"], r["primair_proces_uren"], r["vakinhoudelijk_vo_uren"]
            )
            for r in await con.fetch(
                "SELECT id, geldig_vanaf, totaal_uren, primair_proces_uren, "
                "vakinhoudelijk_vo_uren FROM herregistratiecriteria"
            )
        }
        perioden: dict[int, list[asyncpg.Record]] = defaultdict(list)
        activiteiten: dict[int, list[tuple[dt.date, str, float]]] = defaultdict(list)
        if gekozen:
            for r in await con.fetch(
                "SELECT bevoegdheid_id, periode_start, periode_einde, criteria_id, uitkomst FROM herregistratieperiode "
                "WHERE bevoegdheid_id = ANY($1::int[]) ORDER BY periode_start",
                gekozen,
            ):
                perioden[r["bevoegdheid_id"]].append(r)
            for bid, datum, gebied, uren in await con.fetch(
                "SELECT pb.bevoegdheid_id, a.datum, a.gebied, a.uren FROM portfolio_bevoegdheid pb "
                "JOIN portfolio_activiteit a ON a.id = pb.activiteit_id WHERE pb.bevoegdheid_id = ANY($1::int[])",
                gekozen,
            ):
                activiteiten[bid].append((datum, gebied, uren))
        staand: dict[int, asyncpg.Record | None] = {i: None for i in alle_ids}
        for r in await con.fetch(
            "SELECT id, bevoegdheid_id, geplaatst_op, status FROM aantekening WHERE bevoegdheid_id = ANY($1::int[]) "
            "ORDER BY geplaatst_op DESC, id DESC",
            alle_ids,
        ):
            if r["status"] == "STAAT" and staand[r["bevoegdheid_id"]] is None:
                staand[r["bevoegdheid_id"]] = r
        standen = {b["id"]: self._huidige(b, perioden[b["id"]], activiteiten[b["id"]], criteria) for b in bevoegdheden}
        return standen, staand

    def _criteria_op(self, alle: dict[int, hr.Criteria], criteria_id: int | None, start: dt.date) -> hr.Criteria:
        if criteria_id is not None and criteria_id in alle:
            return alle[criteria_id]
        return hr.criteria_op(list(alle.values()), start) or min(alle.values(), key=lambda c: c.geldig_vanaf)

    def _stand(
        self,
        soort: str,
        start: dt.date,
        einde: dt.date,
        criteria: hr.Criteria,
        uitkomst: str | None,
        activiteiten: list[tuple[dt.date, str, float]],
    ) -> Stand:
        tot = min(einde, self.vandaag)
        uren = hr.tel_uren((g, u) for d, g, u in activiteiten if start <= d <= tot)
        voldaan = hr.voldoet(uren, criteria, soort)
        status = uitkomst or hr.voortgang(start, einde, self.vandaag, uren, criteria, soort)
        return Stand(start, einde, status, uren.totaal, criteria.totaal_uren, voldaan)

    def _huidige(
        self,
        bev: asyncpg.Record,
        opgeslagen: list[asyncpg.Record],
        activiteiten: list[tuple[dt.date, str, float]],
        criteria: dict[int, hr.Criteria],
    ) -> Stand | None:
        if not bev["voor_herregistratie"] or not opgeslagen:
            return None
        soort, vandaag = bev["soort"], self.vandaag
        standen = [
            self._stand(
                soort,
                p["periode_start"],
                p["periode_einde"],
                self._criteria_op(criteria, p["criteria_id"], p["periode_start"]),
                p["uitkomst"],
                activiteiten,
            )
            for p in opgeslagen
        ]
        laatste = opgeslagen[-1]
        if laatste["periode_einde"] < vandaag:
            start, einde = hr.periode_op(laatste["periode_start"], vandaag)
            standen.append(
                self._stand(soort, start, einde, self._criteria_op(criteria, None, start), None, activiteiten)
            )
        standen.sort(key=lambda s: s.start, reverse=True)
        for s in standen:
            if s.start <= vandaag <= s.einde:
                return s
        return standen[0]

    def waarschuwingen(
        self,
        leraar: asyncpg.Record,
        bevoegdheden: list[asyncpg.Record],
        standen: dict[int, Stand | None],
        staand: dict[int, asyncpg.Record | None],
        voorportaal: list[asyncpg.Record],
    ) -> list[ww.Waarschuwing]:
        uit: list[ww.Waarschuwing] = []
        nb = ww.niet_bevestigd_waarschuwing(
            leraar["eerste_levering_op"], leraar["status"] == GEREGISTREERD, self.vandaag
        )
        if nb:
            uit.append(nb)
        for bev in bevoegdheden:
            stand, aantekening = standen[bev["id"]], staand[bev["id"]]
            if stand is not None and stand.status in ("OP_SCHEMA", "RISICO"):
                uit.extend(
                    ww.periode_waarschuwingen(
                        bev["id"], bev["vak"], stand.einde, stand.status, stand.voldaan, self.vandaag
                    )
                )
            if aantekening is not None:
                uit.append(ww.aantekening_waarschuwing(bev["id"], bev["vak"], aantekening["geplaatst_op"]))
        for v in voorportaal:
            w = ww.voorportaal_waarschuwing(
                v["vak"], v["termijn_einde"], v["afgesloten"], self.vandaag, v["schoolbestuur_id"]
            )
            if w:
                uit.append(w)
        return sorted(uit, key=lambda x: (x.datum, x.soort))

    def gevolg(self) -> str:
        return "ALLEEN_ONDER_BEGELEIDING" if self.vandaag >= self.settings.gevolg_vanaf else "GEEN"

    # --- the documents ------------------------------------------------------------------------

    async def zoek(self, con: asyncpg.Connection, var: dict[str, Any], _viewer: Any) -> dict[str, Any]:
        # resolvers/leraren.py `zoek`: the exact registernummer looked up apart and put first, then
        # names by a prefix range on sorteernaam (the normalised achternaam, then voorletters) in the
        # order of the partial index on (sorteernaam, registernummer).
        term = var["zoekterm"]
        norm, exact = normaliseer(term), term.strip()
        exacte = []
        if registernummer_geldig(exact):
            exacte = await con.fetch(
                f"SELECT {OPENBAAR} FROM leraar WHERE status = 'GEREGISTREERD' AND registernummer = $1", exact
            )
        van, tot = (norm, norm + HOOGSTE) if norm else (HOOGSTE, HOOGSTE)
        namen = 0
        if norm:
            namen = await con.fetchval(f"SELECT count(*) FROM leraar WHERE {NAAM}", van, tot, exact)
        rijen = list(exacte[:20])
        if len(rijen) < 20 and namen:
            rijen += await con.fetch(
                f"SELECT {OPENBAAR} FROM leraar WHERE {NAAM} ORDER BY sorteernaam, registernummer LIMIT $4",
                van,
                tot,
                exact,
                20 - len(rijen),
            )
        bev = await self.bevoegdheden(con, [r["id"] for r in rijen]) if rijen else {}
        return {
            "data": {
                "zoekLeraren": {
                    "totalCount": len(exacte) + namen,
                    "edges": [{"node": self._openbaar(r, bev.get(r["id"], []))} for r in rijen],
                }
            }
        }

    def _openbaar(self, r: asyncpg.Record, bevoegdheden: list[asyncpg.Record]) -> dict[str, Any]:
        return {
            "registernummer": r["registernummer"],
            "naam": {
                "voorletters": r["voorletters"],
                "tussenvoegsel": r["tussenvoegsel"],
                "achternaam": r["achternaam"],
                "weergavenaam": weergavenaam(r["voorletters"], r["tussenvoegsel"], r["achternaam"]),
            },
            "bevoegdheden": [
                {
                    "id": str(b["id"]),
                    "vak": b["vak"],
                    "soort": b["soort"],
                    "voorHerregistratie": b["voor_herregistratie"],
                }
                for b in bevoegdheden
            ],
        }

    async def leraar(self, con: asyncpg.Connection, var: dict[str, Any], _viewer: Any) -> dict[str, Any]:
        r = await con.fetchrow(
            "SELECT id, registernummer, voorletters, tussenvoegsel, achternaam, status FROM leraar "
            "WHERE registernummer = $1",
            var["registernummer"].strip(),
        )
        if r is None or r["status"] != GEREGISTREERD:  # the public finds the public register only
            return {"data": {"leraar": None}}
        bev = await self.bevoegdheden(con, [r["id"]])
        return {"data": {"leraar": self._openbaar(r, bev.get(r["id"], []))}}

    async def bestuur(self, con: asyncpg.Connection, var: dict[str, Any], viewer: Any) -> dict[str, Any]:
        if not isinstance(viewer, SchoolbestuurViewer):
            raise Weigering("log in as a school board")
        b = await con.fetchrow(
            "SELECT id, bevoegd_gezag_nummer, naam FROM schoolbestuur WHERE bevoegd_gezag_nummer = $1",
            viewer.bevoegd_gezag,
        )
        if b is None:
            raise Weigering("no such board")
        first = var["first"]
        huidig = (
            "EXISTS (SELECT 1 FROM benoeming b WHERE b.leraar_id = leraar.id AND b.schoolbestuur_id = $1 "
            "AND b.begindatum <= $2 AND (b.einddatum IS NULL OR b.einddatum >= $2))"
        )
        totaal = await con.fetchval(f"SELECT count(*) FROM leraar WHERE {huidig}", b["id"], self.vandaag)
        rijen = await con.fetch(
            "SELECT id, registernummer, voorletters, tussenvoegsel, achternaam, status, geregistreerd_op, "
            f"eerste_levering_op FROM leraar WHERE {huidig} ORDER BY zoeknaam, registernummer LIMIT $3",
            b["id"],
            self.vandaag,
            first,
        )
        ids = [r["id"] for r in rijen]
        bev = await self.bevoegdheden(con, ids)
        alle_bev = [x for lijst in bev.values() for x in lijst]
        standen, staand = await self.herregistratie(con, alle_bev)
        # Every listed teacher is this board's staff: a WERKGEVER sees its own board's rows only.
        vp: dict[int, list[asyncpg.Record]] = defaultdict(list)
        for v in await con.fetch(
            "SELECT id, leraar_id, schoolbestuur_id, vak, termijn_einde, verlengd, afgesloten "
            "FROM voorportaalinschrijving "
            "WHERE leraar_id = ANY($1::int[]) AND schoolbestuur_id = $2 ORDER BY begindatum DESC, id",
            ids,
            b["id"],
        ):
            vp[v["leraar_id"]].append(v)
        gevolg = self.gevolg()
        edges = []
        for k, r in enumerate(rijen):
            bevoegdheden = bev.get(r["id"], [])
            waarschuwingen = self.waarschuwingen(r, bevoegdheden, standen, staand, vp.get(r["id"], []))
            edges.append(
                {
                    "cursor": cursor(k),
                    "node": {
                        "registernummer": r["registernummer"],
                        "naam": {"weergavenaam": weergavenaam(r["voorletters"], r["tussenvoegsel"], r["achternaam"])},
                        "registratie": {"status": r["status"]},
                        "bevoegdheden": [
                            {
                                "vak": x["vak"],
                                "soort": x["soort"],
                                "herregistratie": (
                                    {"periodeEinde": s.einde.isoformat(), "status": s.status}
                                    if (s := standen[x["id"]])
                                    else None
                                ),
                                "aantekening": (
                                    {"geplaatstOp": a["geplaatst_op"].isoformat(), "gevolg": gevolg}
                                    if (a := staand[x["id"]])
                                    else None
                                ),
                            }
                            for x in bevoegdheden
                        ],
                        "waarschuwingen": [
                            {"soort": w.soort, "datum": w.datum.isoformat(), "bericht": w.bericht}
                            for w in waarschuwingen
                        ],
                        "voorportaal": [
                            {
                                "id": str(v["id"]),
                                "vak": v["vak"],
                                "termijnEinde": v["termijn_einde"].isoformat(),
                                "verlengd": v["verlengd"],
                                "afgesloten": v["afgesloten"],
                            }
                            for v in vp.get(r["id"], [])
                        ],
                    },
                }
            )
        return {
            "data": {
                "mijnSchoolbestuur": {
                    "bevoegdGezagNummer": b["bevoegd_gezag_nummer"],
                    "naam": b["naam"],
                    "medewerkers": {
                        "totalCount": totaal,
                        "pageInfo": {
                            "hasNextPage": len(rijen) < totaal,
                            "endCursor": cursor(len(rijen) - 1) if rijen else None,
                        },
                        "edges": edges,
                    },
                }
            }
        }

    async def ik(self, con: asyncpg.Connection, var: dict[str, Any], viewer: Any) -> dict[str, Any]:
        if not isinstance(viewer, LeraarViewer):
            raise Weigering("log in as a teacher")
        r = await con.fetchrow("SELECT id, registernummer FROM leraar WHERE bsn_hash = $1", viewer.bsn_hash)
        if r is None:
            raise Weigering("no teacher matches this login")
        lid, first = r["id"], var.get("first", 50)
        totaal = await con.fetchval("SELECT count(*) FROM portfolio_activiteit WHERE leraar_id = $1", lid)
        activiteiten = await con.fetch(
            "SELECT id, titel, datum, uren, gebied, bron FROM portfolio_activiteit WHERE leraar_id = $1 "
            "ORDER BY datum DESC, id DESC LIMIT $2",
            lid,
            first,
        )
        koppeling: dict[int, list[int]] = defaultdict(list)
        for aid, bid in await con.fetch(
            "SELECT activiteit_id, bevoegdheid_id FROM portfolio_bevoegdheid WHERE activiteit_id = ANY($1::int[])",
            [a["id"] for a in activiteiten],
        ):
            koppeling[aid].append(bid)
        vakken = {
            b["id"]: b["vak"]
            for b in await con.fetch(
                "SELECT id, vak FROM bevoegdheid WHERE id = ANY($1::int[])",
                list({b for v in koppeling.values() for b in v}),
            )
        }
        return {
            "data": {
                "ik": {
                    "registernummer": r["registernummer"],
                    "portfolio": {
                        "totalCount": totaal,
                        "pageInfo": {
                            "hasNextPage": len(activiteiten) < totaal,
                            "endCursor": cursor(len(activiteiten) - 1) if activiteiten else None,
                        },
                        "edges": [
                            {
                                "cursor": cursor(i),
                                "node": {
                                    "id": str(a["id"]),
                                    "titel": a["titel"],
                                    "datum": a["datum"].isoformat(),
                                    "uren": a["uren"],
                                    "gebied": a["gebied"],
                                    "bron": a["bron"],
                                    "bewerkbaar": a["bron"] != "VRIJWILLIG_REGISTER",
                                    "bevoegdheden": [
                                        {"id": str(bid), "vak": vakken[bid]}
                                        for bid in sorted(koppeling.get(a["id"], []))
                                        if bid in vakken
                                    ],
                                },
                            }
                            for i, a in enumerate(activiteiten)
                        ],
                    },
                }
            }
        }


class Weigering(Exception):
    """A request this peer does not serve (wrong role, unknown board or teacher)."""


def create_app(settings: Settings | None = None) -> Starlette:
    settings = settings or Settings()
    register = Register(settings)
    controle = TokenControle(
        settings,
        JwksBron(None, settings.jwks_cache_seconds, vast=demo_jwks(settings))
        if settings.demo
        else JwksBron(settings.oidc_jwks, settings.jwks_cache_seconds),
    )
    documenten: dict[str, Callable[..., Awaitable[dict[str, Any]]]] = {
        scenarios.ZOEK: register.zoek,
        scenarios.LERAAR: register.leraar,
        scenarios.BESTUUR: register.bestuur,
        scenarios.IK: register.ik,
    }
    # The trusted documents by their id as well (documentId), as ours takes them.
    documenten.update({scenarios.document_id(t): f for t, f in list(documenten.items())})
    staat: dict[str, Any] = {}

    @contextlib.asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        url = settings.database_url.replace("postgresql+asyncpg://", "postgresql://")
        staat["pool"] = await asyncpg.create_pool(url, min_size=2, max_size=20)
        try:
            yield
        finally:
            await staat["pool"].close()

    async def antwoord(request: Request, query: Any, variabelen: Any) -> Response:
        viewer: Any = ANONIEM
        kop = request.headers.get("authorization")
        if kop is not None:
            soort, _, token = kop.strip().partition(" ")
            try:
                if soort.lower() != "bearer":
                    raise TokenFout("the Authorization header must be 'Bearer <token>'")
                viewer = viewer_uit_claims(await controle.controleer(token.strip()), settings.bsn_key)
            except Exception as exc:
                return _fout(401, "UNAUTHENTICATED", str(exc))
        handler = documenten.get(query) if isinstance(query, str) else None
        if handler is None:
            return _fout(400, "BAD_REQUEST", "the raw peer answers only the bench's documents")
        try:
            async with staat["pool"].acquire() as con:
                return _json(await handler(con, variabelen or {}, viewer))
        except Weigering as exc:
            return _fout(403, "FORBIDDEN", str(exc))

    async def post(request: Request) -> Response:
        body = orjson.loads(await request.body())
        return await antwoord(request, body.get("query") or body.get("documentId"), body.get("variables"))

    async def get(request: Request) -> Response:
        p = request.query_params
        variabelen = orjson.loads(p["variables"]) if p.get("variables") else None
        return await antwoord(request, p.get("query"), variabelen)

    async def gezond(_request: Request) -> Response:
        return Response(b"ok", media_type="text/plain")

    return Starlette(
        routes=[
            Route("/graphql", post, methods=["POST"]),
            Route("/graphql", get, methods=["GET"]),
            Route("/health", gezond, methods=["GET"]),
        ],
        lifespan=lifespan,
    )


def main() -> None:
    import uvicorn

    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--host", default="127.0.0.1")
    ap.add_argument("--port", type=int, default=8102)
    args = ap.parse_args()
    os.environ.setdefault("REGISTER_DEMO_DIR", str(Path(__file__).resolve().parent / ".demo"))
    # One worker and uvicorn's defaults, as `lerarenregister serve` runs.
    uvicorn.run(create_app(), host=args.host, port=args.port, workers=1, log_level="warning", access_log=False)


if __name__ == "__main__":
    main()
