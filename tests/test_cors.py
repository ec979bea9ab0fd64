"""CORS (API.md, "Production", Browser clients): any origin by default, bearer tokens and no cookies,
the preflight's methods and headers, the exposed headers; REGISTER_CORS_ORIGINS narrows it."""

from __future__ import annotations

from typing import Any

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


@pytest.mark.parametrize("herkomst", [None, HERKOMST])
@pytest.mark.parametrize("vary", [[], [b"Accept"], [b"Authorization, Accept", b"Accept-Encoding"]])
async def test_rand_zonder_origin_gelijk_aan_starlette(herkomst: str | None, vary: list[bytes]) -> None:
    """The edge (http/rand.py) adds what Starlette's CORSMiddleware adds to a request without
    Origin itself, by a shortcut: besides its own X-Request-ID its headers are exactly those of
    Starlette's middleware, whatever Vary the answer had already (and one of its own X-Request-ID
    goes)."""
    from starlette.middleware.cors import CORSMiddleware

    from lerarenregister.http.cors import cors_opties
    from lerarenregister.http.rand import Rand
    from lerarenregister.settings import Settings

    async def antwoord(scope: Any, receive: Any, send: Any) -> None:
        koppen = [
            (b"content-type", b"application/json"),
            *((b"vary", v) for v in vary),
            (b"x-request-id", b"eigen"),
            (b"etag", b'W/"1"'),
        ]
        await send({"type": "http.response.start", "status": 200, "headers": koppen})
        await send({"type": "http.response.body", "body": b"{}"})

    async def koppen_van(laag: Any) -> list[tuple[bytes, bytes]]:
        uit: list[tuple[bytes, bytes]] = []

        async def send(bericht: Any) -> None:
            if bericht["type"] == "http.response.start":
                uit.extend(bericht["headers"])

        async def receive() -> Any:
            return {"type": "http.request", "body": b"", "more_body": False}

        verzoek = [(b"origin", herkomst.encode())] if herkomst else []
        scope = {"type": "http", "method": "GET", "path": "/graphql", "headers": verzoek, "query_string": b""}
        await laag(scope, receive, send)
        return uit

    instellingen = Settings(limiet_publiek="uit", limiet_aangemeld="uit")
    ons = await koppen_van(Rand(antwoord, settings=instellingen, controle=None, luisteraars=[]))  # type: ignore[arg-type]
    starlette = await koppen_van(CORSMiddleware(antwoord, **cors_opties("*")))
    ids = [w for k, w in ons if k == b"x-request-id"]
    assert len(ids) == 1 and ids[0] != b"eigen"
    assert [k for k in ons if k[0] != b"x-request-id"] == [k for k in starlette if k[0] != b"x-request-id"]
    assert any(naam == b"vary" and waarde.endswith(b"Origin") for naam, waarde in ons)
