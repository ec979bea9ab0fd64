"""Registernummers: assigned by the register, never derived from the BSN.

Format: ten digits, the first nine a serial number handed out once from a counter that only goes
up (starting at 100000000, so there are no leading zeros), the tenth a Luhn check digit over those
nine. Ten digits cannot be mistaken for a BSN, which has nine.
"""

from __future__ import annotations

EERSTE_VOLGNUMMER = 100_000_000


def luhn_controlecijfer(digits: str) -> int:
    """The Luhn check digit for a string of digits."""
    total = 0
    for i, c in enumerate(reversed(digits)):
        d = int(c)
        if i % 2 == 0:
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return (10 - total % 10) % 10


def registernummer(volgnummer: int) -> str:
    """The registernummer for a serial number."""
    body = f"{volgnummer:09d}"
    return body + str(luhn_controlecijfer(body))


def is_geldig(nummer: str) -> bool:
    """Is this a well-formed registernummer (ten digits, right check digit)?"""
    return (
        len(nummer) == 10
        and nummer.isascii()
        and nummer.isdigit()
        and luhn_controlecijfer(nummer[:9]) == int(nummer[9])
    )
