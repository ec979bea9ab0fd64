"""Execution defects found by generated queries (issue 15): totalCount with first: 0, errors that
depended on timing, coroutines started and dropped."""

from __future__ import annotations

import asyncio
import json

from conftest import Api
from gegevens import benoeming, bevestig, bsn, klaarzetten, levering

SAMEN = """query($nr: String!) { zoekLeraren(zoekterm: "vries", first: 101) { totalCount }
  a: leraar(registernummer: $nr) { geboortedatum naam { weergavenaam } }
  b: leraar(registernummer: $nr) { registratie { status } } }"""


async def test_first_nul_telt_toch_alles(api: Api) -> None:
    """A dashboard asking only for the count (first: 0) gets the exact total (API.md: totalCount is exact)."""
    await klaarzetten(
        api, [levering(bsn(600 + i), achternaam=f"Staf{i}", benoemingen=[benoeming("70001")]) for i in range(5)]
    )
    doc = "query($f: Int) { mijnSchoolbestuur { medewerkers(first: $f) { totalCount pageInfo { hasNextPage } } } }"
    for first, volgende in ((0, True), (1, True), (5, False)):
        data = await api.ok(doc, {"f": first}, api.sleutels.bestuur("70001"))
        assert data["mijnSchoolbestuur"]["medewerkers"] == {"totalCount": 5, "pageInfo": {"hasNextPage": volgende}}


async def test_fouten_hangen_niet_af_van_timing(api: Api) -> None:
    """Rule (README): when a non-null root field fails, every sibling still settles and every error of
    a field that was resolved or denied is reported, ordered by its place in the document."""
    [nummer] = await klaarzetten(api, [levering(bsn(610))])
    await bevestig(api, bsn(610))
    antwoorden = await asyncio.gather(*(api.gql(SAMEN, {"nr": nummer}) for _ in range(60)))
    verschillend = {json.dumps(a, sort_keys=True) for a in antwoorden}
    assert len(verschillend) == 1, verschillend
    [antwoord] = [json.loads(v) for v in verschillend]
    assert antwoord["data"] is None
    assert [(e["extensions"]["code"], e.get("path")) for e in antwoord["errors"]] == [
        ("BAD_USER_INPUT", ["zoekLeraren"]),
        ("FORBIDDEN", ["a", "geboortedatum"]),
        ("FORBIDDEN", ["b", "registratie"]),
    ]


async def test_broers_en_zussen_worden_afgewacht() -> None:
    """The executor awaits every sibling: a slow sibling's error is reported beside the fast failure
    of a non-null field (graphql-core alone would cancel it: its error would depend on timing)."""
    from graphql import build_schema, graphql

    from lerarenregister.schema import bouw_schema

    bouw_schema()  # installs the rule
    s = build_schema("type Query { a: Int! b: Int c: [Int!] }")

    async def a(_o: object, _i: object) -> int:
        raise ValueError("a")

    async def b(_o: object, _i: object) -> int:
        await asyncio.sleep(0.01)
        raise ValueError("b")

    async def item(n: int) -> int:
        await asyncio.sleep(0.001 * n)
        return n

    s.query_type.fields["a"].resolve = a
    s.query_type.fields["b"].resolve = b
    s.query_type.fields["c"].resolve = lambda _o, _i: [item(n) for n in range(3)]
    r = await graphql(s, "{ a b c }")
    assert r.data is None and sorted(e.message for e in r.errors or []) == ["a", "b"]
