"""CORS (API.md, "Production", Browser clients): any origin by default, bearer tokens and no cookies,
the preflight's methods and headers, the exposed headers; REGISTER_CORS_ORIGINS narrows it."""

from __future__ import annotations

import pytest
from conftest import Api

HERKOMST = "https://zoeken.example.nl"


async def test_preflight(api: Api) -> None:
    r = await api.client.options(
        "/graphql",
        headers={
            "Origin": HERKOMST,
            "Access-Control-Request-Method": "POST",
            "Access-Control-Request-Headers": "content-type, authorization, x-request-id, if-none-match",
        },
    )
    assert r.status_code == 200, r.text
    assert r.headers["access-control-allow-origin"] == "*"
    assert set(r.headers["access-control-allow-methods"].replace(" ", "").split(",")) >= {"GET", "POST"}
    koppen = r.headers["access-control-allow-headers"].lower()
    assert all(k in koppen for k in ("content-type", "authorization", "x-request-id", "if-none-match"))
    assert r.headers["access-control-max-age"] == "600"
    assert "access-control-allow-credentials" not in r.headers


async def test_get_en_post_leesbaar_met_zichtbare_koppen(api: Api) -> None:
    r = await api.client.get(
        "/graphql", params={"query": "{ herregistratiecriteria { totaalUren } }"}, headers={"Origin": HERKOMST}
    )
    assert r.status_code == 200 and r.headers["access-control-allow-origin"] == "*"
    zichtbaar = r.headers["access-control-expose-headers"].lower()
    assert all(
        k.lower() in zichtbaar
        for k in ("ETag", "X-Request-ID", "Retry-After", "RateLimit-Limit", "RateLimit-Remaining", "RateLimit-Reset")
    )
    r = await api.post(
        "{ ik { registernummer } }", token=api.sleutels.leraar("123456782"), headers={"Origin": HERKOMST}
    )
    assert r.headers["access-control-allow-origin"] == "*"
    for pad in ("/schema.graphql",):
        assert (await api.client.get(pad, headers={"Origin": HERKOMST})).headers["access-control-allow-origin"] == "*"


@pytest.mark.instellingen(cors_origins="https://zoeken.example.nl, https://dashboard.example.nl/")
async def test_ingeperkte_herkomsten(api: Api) -> None:
    r = await api.client.get("/graphql", params={"query": "{ __typename }"}, headers={"Origin": HERKOMST})
    assert r.headers["access-control-allow-origin"] == HERKOMST
    r = await api.client.get(
        "/graphql", params={"query": "{ __typename }"}, headers={"Origin": "https://dashboard.example.nl"}
    )
    assert r.headers["access-control-allow-origin"] == "https://dashboard.example.nl"
    r = await api.client.get(
        "/graphql", params={"query": "{ __typename }"}, headers={"Origin": "https://kwaad.example"}
    )
    assert "access-control-allow-origin" not in r.headers
    r = await api.client.options(
        "/graphql", headers={"Origin": "https://kwaad.example", "Access-Control-Request-Method": "POST"}
    )
    assert r.status_code == 400


@pytest.mark.instellingen(limiet_publiek="1/minute")
async def test_weigering_draagt_cors_koppen(api: Api) -> None:
    """A page must be able to read why it was refused (and when to try again)."""
    for _ in range(2):
        r = await api.client.get("/graphql", params={"query": "{ __typename }"}, headers={"Origin": HERKOMST})
    assert r.status_code == 429 and r.headers["access-control-allow-origin"] == "*"
    assert "retry-after" in r.headers["access-control-expose-headers"].lower()
