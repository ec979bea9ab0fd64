"""Importing a portfolio from the old voluntary register (FAQ 36, 40).

The export is loaded once by the CLI (`lerarenregister importeer-vrijwillig-register FILE`). A
GEREGISTREERD teacher then imports with the old credentials: bcrypt checked in constant time, the
same error for an unknown user name and a wrong password, and after repeated failures for a user
name every attempt is refused for a growing pause, without revealing which it was.
"""
from __future__ import annotations

import asyncio
import datetime as dt
import json

from pathlib import Path
from typing import TYPE_CHECKING

import bcrypt
from sqlalchemy import func, insert, select, update
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from ..models import PortfolioActiviteit, VrijwilligAccount
from ..models.base import nu
from . import leraren
from .fouten import Conflict, OngeldigeInvoer
from .schrijven import verhoog_dataversie

if TYPE_CHECKING:
    from .verzoek import Verzoek

GEBIEDEN = {"VAKINHOUDELIJK", "VAKDIDACTISCH", "PEDAGOGISCH", "OVERIG"}
ZONDER_VERTRAGING = 3  # failures allowed before the pause starts
MAX_PAUZE_SECONDEN = 15 * 60
# Checked when the user name is unknown, so both cases cost one bcrypt verification.
_SCHIJN_HASH = bcrypt.hashpw(b"not-a-real-password", bcrypt.gensalt(rounds=12))
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


async def _noteer(maker: async_sessionmaker[AsyncSession], account_id: int, gelukt: bool) -> None:
    """Failures are counted in their own transaction: the failed import itself is rolled back."""
    async with maker() as s:
        waarden = ({"mislukte_pogingen": 0, "laatste_mislukking": None} if gelukt else
                   {"mislukte_pogingen": VrijwilligAccount.mislukte_pogingen + 1, "laatste_mislukking": nu()})
        await s.execute(update(VrijwilligAccount).where(VrijwilligAccount.id == account_id).values(**waarden))
        await s.commit()


async def importeer(v: "Verzoek", gebruikersnaam: str, wachtwoord: str) -> int:
    leraar = await leraren.ik(v)
    if leraar.status != "GEREGISTREERD":
        raise Conflict("confirm the registration first (bevestigRegistratie)")
    res = await v.db.execute(select(VrijwilligAccount).where(VrijwilligAccount.gebruikersnaam == gebruikersnaam.strip()))
    account = res.scalar_one_or_none()
    hash_ = account.wachtwoord_hash.encode() if account else _SCHIJN_HASH
    # bcrypt is slow on purpose: keep it off the event loop.
    klopt = await asyncio.to_thread(_controleer, wachtwoord, hash_)
    if account is None:
        raise OngeldigeInvoer(FOUT, "wachtwoord")
    if account.laatste_mislukking is not None:
        laatste = account.laatste_mislukking
        if laatste.tzinfo is None:
            laatste = laatste.replace(tzinfo=dt.timezone.utc)
        if (nu() - laatste).total_seconds() < pauze(account.mislukte_pogingen):
            raise OngeldigeInvoer(FOUT, "wachtwoord")
    maker = async_sessionmaker(v.db.session.bind, expire_on_commit=False)
    if not klopt:
        await _noteer(maker, account.id, False)
        raise OngeldigeInvoer(FOUT, "wachtwoord")
    if account.geimporteerd_door is not None:
        raise Conflict("this voluntary-register account was imported already and has ended")
    res = await v.db.execute(select(func.count()).select_from(PortfolioActiviteit).where(
        PortfolioActiviteit.leraar_id == leraar.id, PortfolioActiviteit.bron == "VRIJWILLIG_REGISTER"))
    if res.scalar_one():
        raise Conflict("you have imported a voluntary-register portfolio already")
    rijen = []
    for act in account.activiteiten or []:
        try:
            datum = dt.date.fromisoformat(str(act["datum"]))
            uren = float(act["uren"])
        except (KeyError, ValueError, TypeError):
            continue  # the old register's rubbish does not become ours
        gebied = str(act.get("gebied", "OVERIG")).upper()
        rijen.append({"leraar_id": leraar.id, "titel": str(act.get("titel") or "Activiteit")[:300], "datum": datum,
                      "uren": uren, "gebied": gebied if gebied in GEBIEDEN else "OVERIG",
                      "bron": "VRIJWILLIG_REGISTER", "aangemaakt_op": nu()})
    if rijen:
        await v.db.execute(insert(PortfolioActiviteit), rijen)
    account.geimporteerd_door = leraar.id
    account.mislukte_pogingen = 0
    leraar.gewijzigd_op = nu()
    await v.db.flush()
    await verhoog_dataversie(v)
    v.loaders.vergeet()
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
                s.add(VrijwilligAccount(gebruikersnaam=naam, wachtwoord_hash=hash_, activiteiten=activiteiten,
                                        mislukte_pogingen=0))
            elif bestaand.geimporteerd_door is None:
                bestaand.wachtwoord_hash, bestaand.activiteiten = hash_, activiteiten
            geladen += 1
        await s.commit()
    return geladen, overgeslagen



