"""Public reads over GET carry an ETag and a short public max-age, answer 304 on If-None-Match, and
change their ETag after a write; anything asked with a token is private."""

from __future__ import annotations

import json

from gegevens import bevestig, bsn, klaarzetten, levering

ZOEK = '{ zoekLeraren(zoekterm: "vries") { totalCount } }'


async def test_publieke_get_is_cachebaar_en_verandert_na_schrijven(api):
    b = bsn(21)
    await klaarzetten(api, [levering(b)])
    await bevestig(api, b)
    r = await api.client.get("/graphql", params={"query": ZOEK})
    assert r.status_code == 200 and r.json()["data"]["zoekLeraren"]["totalCount"] == 1
    assert r.headers["cache-control"].startswith("public, max-age=")
    tag = r.headers["etag"]
    r2 = await api.client.get("/graphql", params={"query": ZOEK}, headers={"If-None-Match": tag})
    assert r2.status_code == 304 and r2.content == b"" and r2.headers["etag"] == tag

    # Another query has another tag.
    r3 = await api.client.get("/graphql", params={"query": '{ zoekLeraren(zoekterm: "jansen") { totalCount } }'})
    assert r3.headers["etag"] != tag

    # A write bumps the data version: the old tag no longer matches.
    await klaarzetten(api, [levering(bsn(22), achternaam="Vries", tussenvoegsel=None)])
    await bevestig(api, bsn(22))
    r4 = await api.client.get("/graphql", params={"query": ZOEK}, headers={"If-None-Match": tag})
    assert r4.status_code == 200 and r4.headers["etag"] != tag
    assert r4.json()["data"]["zoekLeraren"]["totalCount"] == 2


async def test_met_token_privé_en_mutatie_niet_via_get(api):
    # A GET with a token is revalidated by the asker's own client (tests/test_revalidatie.py); a POST
    # is never kept.
    r = await api.client.get(
        "/graphql",
        params={"query": "{ ik { registernummer } }"},
        headers={"Authorization": f"Bearer {api.sleutels.leraar(bsn(23))}"},
    )
    assert r.headers["cache-control"] == "private, no-cache" and r.headers["etag"].startswith('W/"p')
    r = await api.post("{ ik { registernummer } }", token=api.sleutels.leraar(bsn(23)))
    assert r.headers["cache-control"] == "private, no-store" and "etag" not in r.headers
    r = await api.post(ZOEK)
    assert r.headers["cache-control"] == "private, no-store"
    r = await api.client.get(
        "/graphql", params={"query": "mutation { zetPortfolioOpenbaar(openbaar: true) { registernummer } }"}
    )
    assert r.status_code == 405 and r.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"


async def test_onverwachte_fout_buiten_graphql_is_gemaskeerd(api, caplog):
    """A failure outside GraphQL execution (here: the database is unreachable) is masked with a
    correlation id that the log carries with the stack trace; no SQL text reaches the client."""
    from sqlalchemy.ext.asyncio import create_async_engine

    from lerarenregister.db import make_sessionmaker

    kapot = create_async_engine(
        "postgresql+asyncpg://postgres@127.0.0.1:1/nergens"
        if api.store == "postgres"
        else "sqlite+aiosqlite:////nonexistent/dir/x.db"
    )
    api.app.state.staat["maker"] = make_sessionmaker(kapot)
    api.app.state.staat.pop("versie", None)
    try:
        with caplog.at_level("ERROR", logger="lerarenregister"):
            r = await api.client.get("/graphql", params={"query": ZOEK})
        if api.store == "postgres":  # a PostgreSQL that cannot be reached is a fault with a code, not our bug
            assert r.status_code == 503 and r.headers["retry-after"]
            assert [f["extensions"]["code"] for f in r.json()["errors"]] == ["SERVICE_UNAVAILABLE"]
            assert "127.0.0.1" not in r.text and "traceback" not in r.text.lower()
            return
        assert r.status_code == 500
        fout = r.json()["errors"][0]
        assert fout["message"] == "internal error" and fout["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
        correlatie = fout["extensions"]["correlationId"]
        assert "select" not in r.text.lower() and "traceback" not in r.text.lower()
        regels = [rec for rec in caplog.records if correlatie in rec.getMessage()]
        assert regels and regels[0].exc_info is not None
    finally:
        await kapot.dispose()


async def test_portfolio_met_toestemming_niet_in_een_gedeelde_cache(api):
    """API.md, Caching: an answer that depends on consent is no-store, so withdrawing consent takes
    effect at the next GET (a shared cache may not have kept the old answer)."""
    b = bsn(24)
    [nummer] = await klaarzetten(api, [levering(b)])
    await bevestig(api, b)
    token = api.sleutels.leraar(b)
    await api.ok("mutation { zetPortfolioOpenbaar(openbaar: true) { portfolioOpenbaar } }", token=token)
    vraag = "query($nr: String!) { leraar(registernummer: $nr) { portfolio { totalCount } } }"
    params = {"query": vraag, "variables": json.dumps({"nr": nummer})}
    r = await api.client.get("/graphql", params=params)
    assert r.json()["data"]["leraar"]["portfolio"] == {"totalCount": 0}
    assert r.headers["cache-control"] == "no-store" and "etag" not in r.headers
    # Even through a fragment, and when denied: a denial is consent-dependent too.
    await api.ok("mutation { zetPortfolioOpenbaar(openbaar: false) { portfolioOpenbaar } }", token=token)
    via = (
        "query($nr: String!) { leraar(registernummer: $nr) { ...P } } fragment P on Leraar { portfolio { totalCount } }"
    )
    r = await api.client.get("/graphql", params={"query": via, "variables": json.dumps({"nr": nummer})})
    assert r.json()["data"]["leraar"]["portfolio"] is None and r.headers["cache-control"] == "no-store"
    # The same teacher without the portfolio stays cacheable.
    r = await api.client.get(
        "/graphql",
        params={
            "query": "query($nr: String!) { leraar(registernummer: $nr) { naam { weergavenaam } } }",
            "variables": json.dumps({"nr": nummer}),
        },
    )
    assert r.headers["cache-control"].startswith("public, max-age=") and r.headers["etag"]
