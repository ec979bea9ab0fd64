"""Who is asking (API.md): a bad token is HTTP 401 UNAUTHENTICATED, never a silent downgrade to the public.

Every bad token is sent with a query the public may ask, so a downgrade would show as HTTP 200 with data.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from conftest import AUDIENCE, ISSUER, VANDAAG, Api, Sleutels
from gegevens import benoeming, bevestig, bsn, klaarzetten, levering
from joserfc.jwk import RSAKey

from lerarenregister.auth.tokens import JwksBron

PUBLIEKE_VRAAG = "{ herregistratiecriteria { totaalUren } }"
BOARD_A = "10001"


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _claims(**extra: Any) -> dict[str, Any]:
    nu = int(time.time())
    claims: dict[str, Any] = {
        "iss": ISSUER,
        "aud": AUDIENCE,
        "iat": nu,
        "nbf": nu - 1,
        "exp": nu + 600,
        "sub": "test-duo",
        "rol": "duo",
    }
    claims.update(extra)
    return claims


def _ongetekend(alg: str) -> str:
    """A token whose header says there is no signature at all."""
    kop = _b64(json.dumps({"alg": alg, "typ": "JWT", "kid": "test-1"}).encode())
    return f"{kop}.{_b64(json.dumps(_claims()).encode())}."


def _hs256_met_publieke_sleutel(sleutels: Sleutels) -> str:
    """Key confusion: HMAC-signed with the bytes of the issuer's *public* key, which anyone can fetch.

    A verifier that lets the token's header pick the algorithm would use that public key as the HMAC
    secret and accept this token.
    """
    kop = _b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": "test-1"}).encode())
    inhoud = _b64(json.dumps(_claims()).encode())
    geheim = sleutels.sleutel.as_pem(private=False)
    handtekening = hmac.new(geheim, f"{kop}.{inhoud}".encode(), hashlib.sha256).digest()
    return f"{kop}.{inhoud}.{_b64(handtekening)}"


@pytest.fixture(scope="module")
def vreemde_sleutel() -> RSAKey:
    """An RSA key the identity provider never published."""
    return RSAKey.generate_key(2048, parameters={"kid": "test-1"}, private=True)


def _bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def nu() -> int:
    return int(time.time())


# name -> (sleutels, vreemde_sleutel) -> the request's headers
SLECHT: dict[str, Callable[[Sleutels, RSAKey], dict[str, str]]] = {
    "verlopen": lambda s, _: _bearer(s.token("duo", exp=nu() - 300, iat=nu() - 900, nbf=nu() - 900)),
    "nog_niet_geldig": lambda s, _: _bearer(s.token("duo", nbf=nu() + 600, exp=nu() + 1200)),
    "verkeerde_uitgever": lambda s, _: _bearer(s.token("duo", iss="https://idp.elders.example")),
    "verkeerd_publiek": lambda s, _: _bearer(s.token("duo", aud="een-andere-dienst")),
    "zonder_exp": lambda s, _: _bearer(s.token("duo", exp=None)),
    "andere_sleutel_zelfde_kid": lambda s, k: _bearer(s.token("duo", sleutel=k)),
    "andere_sleutel_onbekende_kid": lambda s, k: _bearer(
        s.token("duo", sleutel=k, kop={"alg": "RS256", "kid": "onbekende-kid"})
    ),
    "alg_none": lambda s, _: _bearer(_ongetekend("none")),
    "alg_None": lambda s, _: _bearer(_ongetekend("None")),
    "hs256_met_publieke_sleutel": lambda s, _: _bearer(_hs256_met_publieke_sleutel(s)),
    "onzin": lambda s, _: _bearer("onzin"),
    "onzin_drie_delen": lambda s, _: _bearer("a.b.c"),
    "leeg_na_bearer": lambda s, _: {"Authorization": "Bearer "},
    "basic_in_plaats_van_bearer": lambda s, _: {"Authorization": "Basic " + _b64(b"duo:geheim")},
    "goed_token_zonder_schema": lambda s, _: {"Authorization": s.duo()},
    "goed_token_ander_schema": lambda s, _: {"Authorization": "Token " + s.duo()},
    "onbekende_rol": lambda s, _: _bearer(s.token("beheerder")),
    "zonder_rol": lambda s, _: _bearer(s.token(None)),
    "leraar_bsn_zonder_elfproef": lambda s, _: _bearer(s.leraar("123456789")),
    "leraar_zonder_bsn": lambda s, _: _bearer(s.token("leraar")),
    "schoolbestuur_zonder_nummer": lambda s, _: _bearer(s.token("schoolbestuur")),
    # Signed, but a claim no board or provider can have: NUL (PostgreSQL refuses it in a parameter), a
    # bidirectional override, more characters than the register stores.
    "schoolbestuur_nummer_met_nul": lambda s, _: _bearer(s.bestuur(BOARD_A + "\x00")),
    "schoolbestuur_nummer_te_lang": lambda s, _: _bearer(s.bestuur("1" * 21)),
    "aanbieder_code_met_bidi": lambda s, _: _bearer(s.aanbieder("\u202eNSO")),
    "aanbieder_code_te_lang": lambda s, _: _bearer(s.aanbieder("A" * 41)),
    "aanbieder_naam_met_stuurteken": lambda s, _: _bearer(s.aanbieder("NSO", "Academie\x1b[31m")),
}


def assert_unauthenticated(r: Any) -> None:
    assert r.status_code == 401, (r.status_code, r.text)
    body = r.json()
    assert set(body) == {"errors"}, f"a refused token must not be answered as the public: {body}"
    assert len(body["errors"]) == 1, body
    fout = body["errors"][0]
    assert set(fout) == {"message", "extensions"}, fout
    assert isinstance(fout["message"], str) and fout["message"].strip(), fout
    assert fout["extensions"] == {"code": "UNAUTHENTICATED"}, fout


@pytest.fixture(scope="module")
async def poort(database_urls: dict[str, str], sleutels: Sleutels) -> AsyncIterator[Api]:
    """The register on one store for the whole module: a token is refused before any database work."""
    async with Api("sqlite", database_urls["sqlite"], sleutels, VANDAAG) as a:
        yield a


@pytest.mark.parametrize("geval", sorted(SLECHT))
async def test_slecht_token_is_401(poort: Api, vreemde_sleutel: RSAKey, geval: str) -> None:
    headers = SLECHT[geval](poort.sleutels, vreemde_sleutel)
    r = await poort.post(PUBLIEKE_VRAAG, headers=headers)
    assert_unauthenticated(r)


async def test_slecht_token_ook_via_get(poort: Api) -> None:
    assert poort.client is not None
    r = await poort.client.get(
        "/graphql",
        params={"query": PUBLIEKE_VRAAG},
        headers=_bearer(poort.sleutels.token("duo", aud="een-andere-dienst")),
    )
    assert_unauthenticated(r)


async def test_zonder_token_is_het_publiek(api: Api) -> None:
    # The control for the cases above: the same question without a token is answered.
    data = await api.ok(PUBLIEKE_VRAAG)
    assert data["herregistratiecriteria"]["totaalUren"] == 160


INZAGE = "query($nr: String!) { leraar(registernummer: $nr) { registernummer inzage } }"


async def test_goed_token_per_rol(api: Api) -> None:
    b = bsn(7)
    [nummer] = await klaarzetten(api, [levering(b, benoemingen=[benoeming(BOARD_A)])])  # duo works
    await bevestig(api, b)
    s = api.sleutels

    ik = await api.ok("{ ik { registernummer inzage } }", token=s.leraar(b))
    assert ik["ik"]["registernummer"] == nummer
    assert "LERAAR_ZELF" in ik["ik"]["inzage"]

    bestuur = await api.ok(
        "query($nr: String!) { mijnSchoolbestuur { bevoegdGezagNummer } leraar(registernummer: $nr) { inzage } }",
        {"nr": nummer},
        s.bestuur(BOARD_A),
    )
    assert bestuur["mijnSchoolbestuur"]["bevoegdGezagNummer"] == BOARD_A
    assert "WERKGEVER" in bestuur["leraar"]["inzage"]

    for token, doelgroep in ((s.duo(), "DUO"), (s.beroepsgroep(), "BEROEPSGROEP")):
        data = await api.ok(INZAGE, {"nr": nummer}, token)
        assert doelgroep in data["leraar"]["inzage"], data

    # An aanbieder has no teacher audience; that it is not the public shows on `ik`: FORBIDDEN, not
    # UNAUTHENTICATED.
    for token in (s.aanbieder("AANB1", "Academie"), s.duo(), s.beroepsgroep(), s.bestuur(BOARD_A)):
        body = await api.gql("{ ik { registernummer } }", token=token)
        codes = [e["extensions"]["code"] for e in body["errors"]]
        assert codes == ["FORBIDDEN"], body
    body = await api.gql("{ ik { registernummer } }")
    assert [e["extensions"]["code"] for e in body["errors"]] == ["UNAUTHENTICATED"], body


async def test_jwks_wordt_herlezen_bij_onbekende_kid(api: Api, tmp_path: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """Key rotation at the identity provider: a token with a new kid makes the register read the JWKS again."""
    # The re-read is throttled (at most once per MIN_HERLAAD_SECONDEN) against floods of made-up kids;
    # this test makes its requests within that window, so the throttle is lifted for it.
    monkeypatch.setattr(JwksBron, "MIN_HERLAAD_SECONDEN", 0.0)
    # Its own identity provider, so the shared JWKS file of the other tests is never touched.
    idp = Sleutels(tmp_path)
    sleutel1 = idp.sleutel
    sleutel2 = RSAKey.generate_key(2048, parameters={"kid": "test-2"}, private=True)
    sleutel3 = RSAKey.generate_key(2048, parameters={"kid": "test-3"}, private=True)

    def schrijf(*sleutels: RSAKey) -> None:
        idp.jwks_pad.write_text(json.dumps({"keys": [k.as_dict(private=False) for k in sleutels]}))

    def token(sleutel: RSAKey) -> str:
        return idp.token("duo", sleutel=sleutel, kop={"alg": "RS256", "kid": sleutel.kid})

    async with Api(api.store, api.url, idp, VANDAAG) as eigen:
        await eigen.ok(PUBLIEKE_VRAAG, token=token(sleutel1))  # the key set is now cached

        schrijf(sleutel1, sleutel2)
        await eigen.ok(PUBLIEKE_VRAAG, token=token(sleutel2))
        await eigen.ok(PUBLIEKE_VRAAG, token=token(sleutel1))

        # The old keys retired: the new kid is read in, and the retired kid, now unknown, is refused.
        schrijf(sleutel3)
        await eigen.ok(PUBLIEKE_VRAAG, token=token(sleutel3))
        assert_unauthenticated(await eigen.post(PUBLIEKE_VRAAG, token=token(sleutel1)))
        # A kid the provider never published stays refused after the re-read.
        vreemd = RSAKey.generate_key(2048, parameters={"kid": "test-9"}, private=True)
        assert_unauthenticated(await eigen.post(PUBLIEKE_VRAAG, token=token(vreemd)))
        await eigen.ok(PUBLIEKE_VRAAG, token=token(sleutel3))
