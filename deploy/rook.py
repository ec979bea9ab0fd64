"""Smoke test of the topology, through nginx only (deploy/topologie.sh runs it).

Reads its settings from the environment the instances run with (REGISTER_DEMO=true, the same
REGISTER_DEMO_DIR, so its tokens are theirs) plus LR_NGINX (the proxy's base URL), LR_PRIMARY_DSN and
LR_REPLICA_DSN (to read each server's pg_stat_statements). Every check prints one line; the first
that fails stops the run with exit code 1. LR_REVALIDATIE=0 skips the 61 s wait that shows nginx
revalidating an expired public answer by its ETag.
"""
from __future__ import annotations

import asyncio
import os
import sys
import time
from typing import Any

import asyncpg
import httpx

from lerarenregister.auth.demo import maak_token
from lerarenregister.demo import voorbeelden
from lerarenregister.regels.bsn import elfproef
from lerarenregister.settings import Settings

NGINX = os.environ["LR_NGINX"]
ZOEK = '{ zoekLeraren(zoekterm: "de Vries", first: 5) { totalCount edges { node { registernummer } } } }'


def meld(ok: bool, wat: str) -> None:
    print(f"{'ok  ' if ok else 'FOUT'} {wat}", flush=True)
    if not ok:
        sys.exit(1)


async def statistiek(dsn: str) -> dict[str, int]:
    v = await asyncpg.connect(dsn, timeout=10)
    try:
        rijen = await v.fetch("SELECT s.query, sum(s.calls)::bigint AS n FROM pg_stat_statements s JOIN pg_database d "
                              "ON d.oid = s.dbid WHERE d.datname = 'register' AND s.query NOT ILIKE "
                              "'%pg_stat_statements%' GROUP BY s.query")
        return {r["query"]: r["n"] for r in rijen}
    finally:
        await v.close()


def verschil(voor: dict[str, int], na: dict[str, int], woord: str) -> int:
    return sum(n - voor.get(q, 0) for q, n in na.items() if woord in q.lower())


def post(klant: httpx.Client, query: str, variabelen: dict[str, Any] | None = None, token: str | None = None,
         koppen: dict[str, str] | None = None) -> httpx.Response:
    h = dict(koppen or {})
    if token:
        h["Authorization"] = f"Bearer {token}"
    return klant.post("/graphql", json={"query": query, "variables": variabelen or {}}, headers=h)


def goed(r: httpx.Response) -> bool:
    return r.status_code == 200 and "errors" not in r.json()


def nieuwe_bsn() -> str:
    kandidaat = 900_000_000 + int(time.time()) % 1_000_000 * 13
    while not elfproef(f"{kandidaat:09d}"):
        kandidaat += 1
    return f"{kandidaat:09d}"


def main() -> None:
    settings = Settings()
    klant = httpx.Client(base_url=NGINX, timeout=30)
    bovenstroom: set[str] = set()

    print("-- every role through nginx (demo tokens; the examples the demo banner prints)")
    for titel, claims, _var, query in voorbeelden(settings):
        token = None
        if claims is not None:
            claims = dict(claims)
            token = maak_token(settings, claims.pop("rol"), **claims)
        r = post(klant, query, token=token)
        bovenstroom.add(r.headers.get("x-upstream", "?"))
        meld(goed(r), f"{titel.split(':')[0]:<28} HTTP {r.status_code} via {r.headers.get('x-upstream')}: "
                      f"{r.text[:90]}")
    meld(len(bovenstroom) == 2, f"both app instances answered: {sorted(bovenstroom)}")

    print("-- public GET cached by nginx, revalidated by ETag")
    params = {"query": ZOEK}
    r1 = klant.get("/graphql", params=params)
    r2 = klant.get("/graphql", params=params)
    meld(goed(r1) and r1.headers.get("x-cache-status") in ("MISS", "EXPIRED"),
         f"first GET: {r1.headers.get('x-cache-status')}, Cache-Control {r1.headers.get('cache-control')!r}, "
         f"ETag {r1.headers.get('etag')}")
    meld(r2.headers.get("x-cache-status") == "HIT" and r2.content == r1.content, "second GET: HIT, same body")
    r3 = klant.get("/graphql", params=params, headers={"If-None-Match": r1.headers["etag"]})
    meld(r3.status_code == 304, f"GET with If-None-Match: {r3.status_code} ({r3.headers.get('x-cache-status')})")
    duo = maak_token(settings, "duo")
    r4 = klant.get("/graphql", params=params, headers={"Authorization": f"Bearer {duo}"})
    meld(r4.headers.get("x-cache-status") == "BYPASS" and "private" in r4.headers.get("cache-control", ""),
         f"GET with a token: {r4.headers.get('x-cache-status')}, Cache-Control {r4.headers.get('cache-control')!r}")
    if os.environ.get("LR_REVALIDATIE", "1") != "0":
        print("   (waiting 61 s for the cached answer's max-age=60 to run out)", flush=True)
        time.sleep(61)
        r5 = klant.get("/graphql", params=params)
        meld(r5.headers.get("x-cache-status") == "REVALIDATED" and r5.content == r1.content,
             f"GET after max-age: {r5.headers.get('x-cache-status')} (nginx asked with If-None-Match, the "
             "register said 304)")

    print("-- X-Forwarded-For from a trusted proxy; rate-limit counters shared in Redis")
    for klantadres in ("203.0.113.7", "203.0.113.8"):
        rest, via = [], []
        for _ in range(4):
            r = post(klant, ZOEK, koppen={"X-Forwarded-For": klantadres})
            rest.append(int(r.headers["ratelimit-remaining"]))
            via.append(r.headers.get("x-upstream", "?"))
        meld(all(b == a - 1 for a, b in zip(rest, rest[1:])) and len(set(via)) == 2,
             f"client {klantadres}: RateLimit-Remaining {rest} across {sorted(set(via))}")

    print("-- anonymous reads on the replica, the rest on the primary")
    primary, replica = os.environ["LR_PRIMARY_DSN"], os.environ["LR_REPLICA_DSN"]
    voor_p, voor_r = asyncio.run(statistiek(primary)), asyncio.run(statistiek(replica))
    for _ in range(6):
        meld(goed(post(klant, ZOEK)), "public search (POST, not cached)")
    na_p, na_r = asyncio.run(statistiek(primary)), asyncio.run(statistiek(replica))
    meld(verschil(voor_r, na_r, "leraar") >= 6 and verschil(voor_p, na_p, "leraar") == 0,
         f"teacher reads: replica {verschil(voor_r, na_r, 'leraar')}, primary {verschil(voor_p, na_p, 'leraar')}")

    print("-- a write (DUO delivery, the teacher's confirmation) reaches public search via the replica")
    b = nieuwe_bsn()
    levering = {"bsn": b, "voornamen": "Rook", "tussenvoegsel": None, "achternaam": "Topologie",
                "geboortedatum": "1980-01-01", "benoemingen": [],
                "bevoegdheden": [{"vak": "Wiskunde", "soort": "TWEEDEGRAADS", "behaaldOp": "2010-06-30"}]}
    r = post(klant, "mutation($l: [Levering!]!) { zetGegevensKlaar(leveringen: $l) { registernummers } }",
             {"l": [levering]}, maak_token(settings, "duo"))
    meld(goed(r), f"delivery: {r.text[:90]}")
    token = maak_token(settings, "leraar", bsn=b)
    ik = post(klant, "{ ik { bevoegdheden { id } } }", token=token).json()["data"]["ik"]
    r = post(klant, "mutation($i: [ID!]!) { bevestigRegistratie(herregistratieBevoegdheden: $i) { registratie "
             "{ status } } }", {"i": [x["id"] for x in ik["bevoegdheden"]]}, token)
    meld(goed(r), f"confirmation: {r.text[:90]}")
    zoek = '{ zoekLeraren(zoekterm: "topologie") { totalCount } }'
    begin = time.monotonic()
    while post(klant, zoek).json()["data"]["zoekLeraren"]["totalCount"] == 0:
        meld(time.monotonic() - begin < 30, "waiting for the replica")
        time.sleep(0.05)
    meld(True, f"public search finds the new teacher after {time.monotonic() - begin:.2f} s (replication delay "
               "plus polling)")
    print("smoke test passed", flush=True)


if __name__ == "__main__":
    main()
