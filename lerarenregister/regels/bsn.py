"""The BSN: checked with the elfproef, then only ever kept as a keyed hash."""

from __future__ import annotations

import hashlib
import hmac


def elfproef(bsn: str) -> bool:
    """Is this nine digits whose 9*d1 + 8*d2 + ... + 2*d8 - d9 is divisible by 11 (and not all zero)?"""
    if len(bsn) != 9 or not bsn.isascii() or not bsn.isdigit():
        return False
    digits = [int(c) for c in bsn]
    total = sum(w * d for w, d in zip(range(9, 1, -1), digits[:8])) - digits[8]
    return total % 11 == 0 and any(digits)


def bsn_hash(key: bytes, bsn: str) -> str:
    """HMAC-SHA256 of the BSN under the register's secret: matches a login, cannot be reversed."""
    return hmac.new(key, bsn.encode("ascii"), hashlib.sha256).hexdigest()


def sleutel_id(key: bytes) -> str:
    """A short name for a hash key, stored with each hash so that a rotation can tell which teachers
    stand under which key. Derived by HMAC, so it tells nothing about the key itself."""
    return hmac.new(key, b"lerarenregister-bsn-sleutel-id", hashlib.sha256).hexdigest()[:12]
