"""Demo mode: the server's own signing key, kept in a file so `token` and `serve` agree."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path
from typing import Any

from joserfc import jwt
from joserfc.jwk import RSAKey

from ..settings import Settings

KID = "lerarenregister-demo"


def demo_sleutel(settings: Settings) -> RSAKey:
    pad = Path(settings.demo_dir) / "demo-signing-key.json"
    if pad.exists():
        return RSAKey.import_key(json.loads(pad.read_text()))
    sleutel = RSAKey.generate_key(2048, parameters={"kid": KID, "use": "sig", "alg": "RS256"}, private=True)
    pad.parent.mkdir(parents=True, exist_ok=True)
    # Created readable by the owner only: never, not even for a moment, a private key others can read.
    fd = os.open(pad, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as f:
        f.write(json.dumps(sleutel.as_dict(private=True)))
    return sleutel


def demo_jwks(settings: Settings) -> dict[str, Any]:
    return {"keys": [demo_sleutel(settings).as_dict(private=False)]}


def maak_token(settings: Settings, rol: str, geldig_seconden: int = 8 * 3600, **claims: Any) -> str:
    """A token signed with the demo key, with the register's demo issuer and audience."""
    nu = int(time.time())
    inhoud = {
        "iss": settings.issuer,
        "aud": settings.audience,
        "iat": nu,
        "nbf": nu,
        "exp": nu + geldig_seconden,
        "rol": rol,
        "sub": f"demo-{rol}",
    }
    inhoud.update({k: v for k, v in claims.items() if v is not None})
    return jwt.encode({"alg": "RS256", "kid": KID}, inhoud, demo_sleutel(settings))
