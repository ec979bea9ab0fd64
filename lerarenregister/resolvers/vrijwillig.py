"""Importing a portfolio from the old voluntary register (FAQ 36, 40).

The export is loaded once by the CLI (`lerarenregister importeer-vrijwillig-register FILE`). A
GEREGISTREERD teacher then imports with the old credentials: bcrypt checked in constant time, the
same error for an unknown user name and a wrong password, and after repeated failures for a user
name every attempt is refused for a growing pause, without revealing which it was.

Atomically (API.md, "Rate limits": parallel guesses count): an attempt is claimed, counted as a
failure, and committed before its password is checked; a conditional UPDATE lets only one of
several parallel attempts claim the same count. A correct password then resets the count.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import json
from pathlib import Path
from typing import TYPE_CHECKING

import bcrypt
from sqlalchemy import func, insert, select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from ..db import apart
from ..models import PortfolioActiviteit, VrijwilligAccount
from ..models.base import nu, tabel
from ..models.statussen import Registratiestatus
from . import leraren
from .fouten import Conflict, OngeldigeInvoer
from .schrijven import leg_vast

if TYPE_CHECKING:
    from .verzoek import Verzoek

GEBIEDEN = {"VAKINHOUDELIJK", "VAKDIDACTISCH", "PEDAGOGISCH", "OVERIG"}
ZONDER_VERTRAGING = 3  # failures allowed before the pause starts
MAX_PAUZE_SECONDEN = 15 * 60
STANDAARD_KOSTEN = 12  # bcrypt's cost factor for the stand-in hash when no account is loaded


@functools.lru_cache(maxsize=8)
def schijn_hash(kosten: int) -> bytes:
    """A stand-in hash of this cost factor, checked for an unknown or ended user name so that every
    attempt costs the same bcrypt work as one for a real account (the old register's hashes may
    have another cost than ours would: a different cost would tell by its timing which names exist)."""
    return bcrypt.hashpw(b"not-a-real-password", bcrypt.gensalt(rounds=kosten))


def kosten_van(hash_: str) -> int | None:
    """The cost factor of a bcrypt hash ('$2b$10$...'), or None for anything else."""
    delen = hash_.split("$")
    return int(delen[2]) if len(delen) > 3 and delen[2].isdigit() and 4 <= int(delen[2]) <= 31 else None


FOUT = "unknown user name or wrong password for the voluntary register"


def pauze(mislukt: int) -> float:
    """Seconds to refuse attempts after `mislukt` consecutive failures."""
    if mislukt < ZONDER_VERTRAGING:
        return 0.0
    return float(min(2 ** (mislukt - ZONDER_VERTRAGING + 1), MAX_PAUZE_SECONDEN))


def _controleer(wachtwoord: str, hash_: bytes) -> bool:
    try:
        return bcrypt.checkpw(wachtwoord.encode("utf-8"), hash_)
    except ValueError:
        return False


# At most this many attempts per worker write their claim at once, each on a connection of its own
# (db.apart): a flood of logins cannot take more than that from PostgreSQL's connection limit.
_BOEKHOUDING = asyncio.Semaphore(4)


def _in_pauze(mislukt: int, laatste: dt.datetime | None) -> bool:
    if laatste is None:
        return False
    if laatste.tzinfo is None:
        laatste = laatste.replace(tzinfo=dt.UTC)
    return (nu() - laatste).total_seconds() < pauze(mislukt)


async def _claim(engine: AsyncEngine, gebruikersnaam: str) -> tuple[int, bytes, bool] | None:
    """Claim one attempt for this user name: (account id, its hash, claimed), None for an unknown
    name. Not claimed: a running pause, or a parallel attempt that claimed this count first; such an
    attempt is refused whatever its password. A claim is counted as a failure and committed before
    the password is checked, so every guess whose outcome counts has been counted."""
    rekening = tabel(VrijwilligAccount)
    try:
        async with _BOEKHOUDING, engine.begin() as conn:
            rij = (
                await conn.execute(
                    select(
                        rekening.c.id,
                        rekening.c.wachtwoord_hash,
                        rekening.c.mislukte_pogingen,
                        rekening.c.laatste_mislukking,
                    ).where(rekening.c.gebruikersnaam == gebruikersnaam, rekening.c.geimporteerd_door.is_(None))
                )
            ).one_or_none()
            if rij is None:  # unknown, or ended by its import (its hash is gone): as unknown
                return None
            if _in_pauze(rij.mislukte_pogingen, rij.laatste_mislukking):
                return rij.id, rij.wachtwoord_hash.encode(), False
            # Only while the count is still what was read: of parallel attempts one wins, the rest are refused.
            res = await conn.execute(
                update(rekening)
                .where(rekening.c.id == rij.id, rekening.c.mislukte_pogingen == rij.mislukte_pogingen)
                .values(mislukte_pogingen=rij.mislukte_pogingen + 1, laatste_mislukking=nu())
            )
            return rij.id, rij.wachtwoord_hash.encode(), res.rowcount == 1
    except DBAPIError as exc:
        # The row stayed locked past db.LOCK_TIMEOUT_MS, as when one document imports the same
        # account twice (its own transaction holds the lock): refused like any other attempt.
        if getattr(exc.orig, "sqlstate", None) == "55P03" or "database is locked" in str(exc.orig):
            return None
        raise


async def _gelukt(engine: AsyncEngine, account_id: int) -> None:
    """The right password: the count starts again (apart from the import, which may still fail)."""
    async with _BOEKHOUDING, engine.begin() as conn:
        await conn.execute(
            update(tabel(VrijwilligAccount))
            .where(tabel(VrijwilligAccount).c.id == account_id)
            .values(mislukte_pogingen=0, laatste_mislukking=None)
        )


async def _schijn_kosten(v: Verzoek) -> int:
    """The cost factor of the loaded accounts' hashes (one of them: an export has one cost)."""
    res = await v.db.execute(
        select(VrijwilligAccount.wachtwoord_hash).where(VrijwilligAccount.geimporteerd_door.is_(None)).limit(1)
    )
    return kosten_van(res.scalar_one_or_none() or "") or STANDAARD_KOSTEN


async def importeer(v: Verzoek, gebruikersnaam: str, wachtwoord: str) -> int:
    leraar = await leraren.ik(v)
    if leraar.status != Registratiestatus.GEREGISTREERD:
        raise Conflict("confirm the registration first (bevestigRegistratie)")
    # A teacher imports once (API.md): about the asker only, so it may be said before any password.
    al = await v.db.execute(
        select(func.count()).select_from(VrijwilligAccount).where(VrijwilligAccount.geimporteerd_door == leraar.id)
    )
    res = await v.db.execute(
        select(func.count())
        .select_from(PortfolioActiviteit)
        .where(PortfolioActiviteit.leraar_id == leraar.id, PortfolioActiviteit.bron == "VRIJWILLIG_REGISTER")
    )
    if al.scalar_one() or res.scalar_one():
        raise Conflict("you have imported a voluntary-register portfolio already; that account has ended")
    engine = apart(v.db.url)
    claim = await _claim(engine, gebruikersnaam.strip())
    # bcrypt is slow on purpose: keep it off the event loop. A refused attempt is checked too (an
    # unknown name against a stand-in hash of the same cost), so every attempt takes the same time
    # and gives one error; only a claimed one's outcome is ever used.
    hash_ = claim[1] if claim else schijn_hash(await _schijn_kosten(v))
    klopt = await asyncio.to_thread(_controleer, wachtwoord, hash_)
    if claim is None or not claim[2] or not klopt:
        raise OngeldigeInvoer(FOUT, "wachtwoord")
    await _gelukt(engine, claim[0])
    account = (await v.db.execute(select(VrijwilligAccount).where(VrijwilligAccount.id == claim[0]))).scalar_one()
    if account.geimporteerd_door is not None:  # imported by a parallel attempt meanwhile
        raise OngeldigeInvoer(FOUT, "wachtwoord")
    rijen = []
    for act in account.activiteiten or []:
        try:
            datum = dt.date.fromisoformat(str(act["datum"]))
            uren = float(act["uren"])
        except (KeyError, ValueError, TypeError):
            continue  # the old register's rubbish does not become ours
        gebied = str(act.get("gebied", "OVERIG")).upper()
        rijen.append(
            {
                "leraar_id": leraar.id,
                "titel": str(act.get("titel") or "Activiteit")[:300],
                "datum": datum,
                "uren": uren,
                "gebied": gebied if gebied in GEBIEDEN else "OVERIG",
                "bron": "VRIJWILLIG_REGISTER",
                "aangemaakt_op": nu(),
            }
        )
    if rijen:
        await v.db.execute(insert(PortfolioActiviteit), rijen)
    # The account ends: its password hash and its copy of the activities are wiped (the entries now
    # live in the portfolio). The imported entries count for no bevoegdheid, so nothing an employer
    # sees changes: the teacher's gewijzigd_op stays.
    account.geimporteerd_door = leraar.id
    account.wachtwoord_hash, account.activiteiten = "", []
    await leg_vast(v)
    return len(rijen)


async def laad_export(maker: async_sessionmaker[AsyncSession], pad: Path) -> tuple[int, int]:
    """Load the old register's JSON-lines export; returns (loaded, skipped). Re-loading is harmless."""
    geladen = overgeslagen = 0
    async with maker() as s:
        for nummer, regel in enumerate(pad.read_text(encoding="utf-8").splitlines(), 1):
            if not regel.strip():
                continue
            try:
                item = json.loads(regel)
                naam = str(item["gebruikersnaam"]).strip()
                hash_ = str(item["wachtwoordHash"])
                activiteiten = list(item.get("activiteiten") or [])
                if not naam or not hash_.startswith("$2"):
                    raise ValueError("no user name or not a bcrypt hash")
            except (ValueError, KeyError, TypeError) as exc:
                print(f"line {nummer}: skipped ({exc.__class__.__name__})")
                overgeslagen += 1
                continue
            res = await s.execute(select(VrijwilligAccount).where(VrijwilligAccount.gebruikersnaam == naam))
            bestaand = res.scalar_one_or_none()
            if bestaand is None:
                s.add(
                    VrijwilligAccount(
                        gebruikersnaam=naam, wachtwoord_hash=hash_, activiteiten=activiteiten, mislukte_pogingen=0
                    )
                )
            elif bestaand.geimporteerd_door is None:
                bestaand.wachtwoord_hash, bestaand.activiteiten = hash_, activiteiten
            geladen += 1
        await s.commit()
    return geladen, overgeslagen
