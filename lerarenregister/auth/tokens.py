"""Bearer JWTs checked against the identity provider's JWKS (file or URL), issuer, audience and time."""

from __future__ import annotations

import asyncio
import base64
import json
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

import httpx
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from ..settings import Settings

if TYPE_CHECKING:
    from joserfc._keys import KeySetSerialization  # joserfc names the shape only privately


class TokenFout(Exception):
    """A token that must be refused (HTTP 401); the message is safe to show."""


class JwksBron:
    """The issuer's keys, cached; re-read at most once per unknown `kid` burst."""

    # Never re-read more often than this, so a flood of made-up kids cannot hammer the provider.
    MIN_HERLAAD_SECONDEN = 5.0

    def __init__(self, bron: str | None, cache_seconden: int, vast: dict[str, Any] | None = None):
        self._bron = bron
        self._cache_seconden = cache_seconden
        self._vast = vast  # demo mode: the server's own key set
        self._sleutels: KeySet | None = None
        self._geladen_op = 0.0
        self._lock = asyncio.Lock()

    async def _lees(self) -> dict[str, Any]:
        if self._vast is not None:
            return self._vast
        assert self._bron is not None
        if self._bron.startswith(("http://", "https://")):
            async with httpx.AsyncClient(timeout=5.0) as client:
                antwoord = await client.get(self._bron)
                antwoord.raise_for_status()
                sleutels: dict[str, Any] = antwoord.json()
                return sleutels
        pad = Path(self._bron[len("file://") :] if self._bron.startswith("file://") else self._bron)
        gelezen: dict[str, Any] = json.loads(pad.read_text())
        return gelezen

    def _moet_laden(self, herlaad: bool) -> bool:
        leeftijd = time.monotonic() - self._geladen_op
        return (
            self._sleutels is None
            or leeftijd > self._cache_seconden
            or (herlaad and leeftijd > self.MIN_HERLAAD_SECONDEN)
        )

    async def sleutels(self, herlaad: bool = False) -> KeySet:
        if self._moet_laden(herlaad):
            async with self._lock:
                if self._moet_laden(herlaad):
                    try:
                        self._sleutels = KeySet.import_key_set(cast("KeySetSerialization", await self._lees()))
                    except Exception as exc:  # an unreadable key set refuses tokens, never admits them
                        if self._sleutels is None:
                            raise TokenFout("the identity provider's keys cannot be read") from exc
                    self._geladen_op = time.monotonic()
        assert self._sleutels is not None
        return self._sleutels


def _kop(token: str) -> dict[str, Any]:
    try:
        deel = token.split(".")[0]
        kop = json.loads(base64.urlsafe_b64decode(deel + "=" * (-len(deel) % 4)))
    except Exception as exc:
        raise TokenFout("malformed token") from exc
    if not isinstance(kop, dict):
        raise TokenFout("malformed token")
    return kop


class TokenControle:
    def __init__(self, settings: Settings, jwks: JwksBron):
        self._settings = settings
        self._jwks = jwks
        self._claims = jwt.JWTClaimsRegistry(
            leeway=settings.token_leeway_seconds,
            iss={"essential": True, "value": settings.issuer},
            aud={"essential": True, "value": settings.audience},
            exp={"essential": True},
        )

    async def controleer(self, token: str) -> dict[str, Any]:
        """The verified claims of a token, or TokenFout."""
        if token.count(".") != 2:
            raise TokenFout("malformed token")
        kop = _kop(token)
        alg = kop.get("alg")
        if alg not in self._settings.algoritmen:
            raise TokenFout(f"token algorithm {alg!r} is not accepted")
        sleutels = await self._jwks.sleutels()
        kid = kop.get("kid")
        if kid is not None and not any(k.kid == kid for k in sleutels.keys):
            sleutels = await self._jwks.sleutels(herlaad=True)
        try:
            ontleed = jwt.decode(token, sleutels, algorithms=list(self._settings.algoritmen))
        except JoseError as exc:
            raise TokenFout("token signature is not valid") from exc
        except Exception as exc:  # malformed segments raise ValueError and friends
            raise TokenFout("malformed token") from exc
        try:
            self._claims.validate(ontleed.claims)
        except JoseError as exc:
            raise TokenFout(f"token rejected: {exc.description or exc.error}") from exc
        return dict(ontleed.claims)
