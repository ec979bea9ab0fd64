"""DUO's delivery (klaarzetten): validate everything (resolvers/leveringscontrole.py), then apply the
full current state per BSN.

A Levering is the whole current state for one BSN. Bevoegdheden are keyed by (vak, soort) and
never removed; benoemingen by (board, vak, begindatum), and one left out is removed. An appointment
for a subject without a matching bevoegdheid opens a voorportaal entry; a bevoegdheid for it closes
the entry. Everything happens in one transaction: any invalid field and nothing is written.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import BigInteger, bindparam, delete, select, text, update
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from ..models import (
    Benoeming,
    Bevoegdheid,
    Foutmelding,
    Leraar,
    RegisternummerTeller,
    Schoolbestuur,
    Voorportaalinschrijving,
)
from ..models.base import nu
from ..models.statussen import Registratiestatus
from ..regels.bsn import bsn_hash, sleutel_id
from ..regels.klaarzetten import Afstemming, GeleverdeBenoeming, GeleverdeBevoegdheid, stem_af
from .leveringscontrole import enum_waarde, valideer
from .naamvelden import naam_velden, naam_velden_uit
from .schrijven import leg_vast, nieuwe_registernummers, voeg_toe

if TYPE_CHECKING:
    from .verzoek import Verzoek


@dataclass
class KlaarzetUitkomst:
    nieuw: int = 0
    gewijzigd: int = 0
    ongewijzigd: int = 0
    registernummers: list[str] = field(default_factory=list)


async def _besturen(v: Verzoek, leveringen: Sequence[Any]) -> dict[str, int]:
    """Board row ids by bevoegd-gezagnummer, creating boards seen for the first time."""
    namen: dict[str, str] = {}
    for lev in leveringen:
        for ben in lev.benoemingen:
            namen[ben.bevoegd_gezag_nummer.strip()] = " ".join(ben.schoolbestuur_naam.split())
    if not namen:
        return {}
    res = await v.db.execute(
        select(Schoolbestuur.id, Schoolbestuur.bevoegd_gezag_nummer, Schoolbestuur.naam).where(
            Schoolbestuur.bevoegd_gezag_nummer.in_(list(namen))
        )
    )
    ids: dict[str, int] = {}
    for bid, nummer, naam in res.all():
        ids[nummer] = bid
        if namen[nummer] != naam:
            await v.db.execute(update(Schoolbestuur).where(Schoolbestuur.id == bid).values(naam=namen[nummer]))
    nieuw = [{"bevoegd_gezag_nummer": n, "naam": naam} for n, naam in namen.items() if n not in ids]
    if nieuw:
        # Parallel deliveries may name the same new board: whoever inserts first wins, the others
        # wait for it and then find it.
        invoegen = (pg_insert if v.db.dialect == "postgresql" else sqlite_insert)(Schoolbestuur)
        await v.db.execute(invoegen.on_conflict_do_nothing(index_elements=["bevoegd_gezag_nummer"]), nieuw)
        res = await v.db.execute(
            select(Schoolbestuur.id, Schoolbestuur.bevoegd_gezag_nummer).where(
                Schoolbestuur.bevoegd_gezag_nummer.in_([r["bevoegd_gezag_nummer"] for r in nieuw])
            )
        )
        for bid, nummer in res.all():
            ids[nummer] = bid
    return ids


def _persoon(lev: Any) -> dict[str, Any]:
    voornamen = " ".join(lev.voornamen.split())
    tussenvoegsel = " ".join(lev.tussenvoegsel.split()) if lev.tussenvoegsel else None
    achternaam = " ".join(lev.achternaam.split())
    return {"voornamen": voornamen, "tussenvoegsel": tussenvoegsel or None, "achternaam": achternaam}


_BSN_SLOTEN = text("SELECT pg_advisory_xact_lock(k) FROM unnest(:sleutels) AS k ORDER BY k").bindparams(
    bindparam("sleutels", type_=ARRAY(BigInteger))
)


async def _een_levering_per_bsn_tegelijk(v: Verzoek, hashes: list[str]) -> None:
    """Deliveries that name the same BSN take turns, before either reads what is stored: two parallel
    calls with the same new teacher would otherwise both insert it (the second one's unique key
    failing as an internal error). PostgreSQL: a transaction lock per BSN (from its keyed hash; a
    rare collision only makes a call wait), taken in order so that two calls cannot deadlock; calls
    for other teachers still run side by side. SQLite has one writer at a time anyway: a write that
    changes nothing takes that lock now instead of at the first real write."""
    if v.db.dialect == "postgresql":
        await v.db.execute(_BSN_SLOTEN, {"sleutels": sorted({int(h[:15], 16) for h in hashes})})
    else:
        await v.db.execute(
            update(RegisternummerTeller)
            .where(RegisternummerTeller.id == 1)
            .values(volgende=RegisternummerTeller.volgende)
        )


async def zet_gegevens_klaar(v: Verzoek, leveringen: Sequence[Any]) -> KlaarzetUitkomst:
    valideer(leveringen, v.vandaag)
    uitkomst = KlaarzetUitkomst()
    if not leveringen:
        return uitkomst
    sleutel = v.settings.bsn_key
    hashes = [bsn_hash(sleutel, lev.bsn) for lev in leveringen]
    await _een_levering_per_bsn_tegelijk(v, hashes)
    besturen = await _besturen(v, leveringen)

    res = await v.db.execute(select(Leraar).where(Leraar.bsn_hash.in_(hashes)))
    bestaand: dict[str, Leraar] = {r.bsn_hash: r for r in res.scalars().all()}
    await _onder_huidige_sleutel(v, leveringen, hashes, bestaand)
    ids = [r.id for r in bestaand.values()]
    # ORM rows, handed to regels/klaarzetten.py as its row protocols. Typed Any: mypy matches these
    # models against the protocols on their own (`Bevoegdheid` is a `BevoegdheidRij`), not in this
    # module's run of the whole package; to be looked into, the rows themselves are checked by the tests.
    bevoegdheden: dict[int, list[Any]] = {i: [] for i in ids}
    benoemingen: dict[int, list[Any]] = {i: [] for i in ids}
    voorportaal: dict[int, list[Any]] = {i: [] for i in ids}
    if ids:
        for model, doel in (
            (Bevoegdheid, bevoegdheden),
            (Benoeming, benoemingen),
            (Voorportaalinschrijving, voorportaal),
        ):
            res = await v.db.execute(select(model).where(model.leraar_id.in_(ids)))
            for rij in res.scalars().all():
                doel[rij.leraar_id].append(rij)

    # New teachers first, in one insert; they start KLAARGEZET.
    nieuwe = [i for i, h in enumerate(hashes) if h not in bestaand]
    nummers = iter(await nieuwe_registernummers(v, len(nieuwe)))
    if nieuwe:
        rijen = []
        for i in nieuwe:
            lev = leveringen[i]
            persoon = _persoon(lev)
            rijen.append(
                {
                    "registernummer": next(nummers),
                    "bsn_hash": hashes[i],
                    "geboortedatum": lev.geboortedatum,
                    "duo_voornamen": persoon["voornamen"],
                    "duo_tussenvoegsel": persoon["tussenvoegsel"],
                    "duo_achternaam": persoon["achternaam"],
                    "status": Registratiestatus.KLAARGEZET.value,
                    "eerste_levering_op": v.vandaag,
                    "portfolio_openbaar": False,
                    "gewijzigd_op": nu(),
                    "bsn_sleutel": sleutel_id(sleutel),
                    **naam_velden(persoon["voornamen"], persoon["tussenvoegsel"], persoon["achternaam"]),
                }
            )
        await voeg_toe(v, Leraar, rijen)
        # Plain rows, not ORM objects: a new teacher's row is as delivered and needs no update.
        res = await v.db.execute(
            select(Leraar.id, Leraar.bsn_hash, Leraar.registernummer).where(
                Leraar.bsn_hash.in_([hashes[i] for i in nieuwe])
            )
        )
        for r in res.all():
            bestaand[r.bsn_hash] = r
            bevoegdheden[r.id], benoemingen[r.id], voorportaal[r.id] = [], [], []

    nieuwe_bev: list[dict[str, Any]] = []
    nieuwe_ben: list[dict[str, Any]] = []
    nieuwe_vp: list[dict[str, Any]] = []
    weg_ben: list[int] = []
    gewijzigd_ids: set[int] = set()
    gestempeld: list[Leraar] = []
    nieuw_set = {hashes[i] for i in nieuwe}

    for i, lev in enumerate(leveringen):
        leraar = bestaand[hashes[i]]
        is_nieuw = hashes[i] in nieuw_set
        uitkomst.registernummers.append(leraar.registernummer)
        naam_voor = None if is_nieuw else (leraar.voorletters, leraar.tussenvoegsel, leraar.achternaam)
        veranderd = False if is_nieuw else _werk_persoon_bij(leraar, _persoon(lev), lev.geboortedatum)
        # What every current employer sees changed (the name, bevoegdheden): then the teacher's own
        # gewijzigd_op moves; a change to one board's rows stamps those rows only (visible changes only).
        voor_elk_bestuur = naam_voor is not None and naam_voor != (
            leraar.voorletters,
            leraar.tussenvoegsel,
            leraar.achternaam,
        )

        besluit = stem_af(
            bevoegdheden[leraar.id],
            benoemingen[leraar.id],
            voorportaal[leraar.id],
            [GeleverdeBevoegdheid(b.vak, enum_waarde(b.soort), b.behaald_op) for b in lev.bevoegdheden],
            [
                GeleverdeBenoeming(besturen[b.bevoegd_gezag_nummer.strip()], b.vak, b.begindatum, b.einddatum)
                for b in lev.benoemingen
            ],
        )
        _schrijf(v, leraar.id, besluit, nieuwe_bev, nieuwe_ben, nieuwe_vp, weg_ben)
        veranderd = veranderd or besluit.veranderd
        voor_elk_bestuur = voor_elk_bestuur or besluit.voor_elk_bestuur

        if is_nieuw:
            uitkomst.nieuw += 1
        elif veranderd:
            uitkomst.gewijzigd += 1
        else:
            uitkomst.ongewijzigd += 1
        if veranderd:
            gewijzigd_ids.add(leraar.id)
            if voor_elk_bestuur and not is_nieuw:  # a new row was written with gewijzigd_op already
                gestempeld.append(leraar)

    if nieuwe_bev:
        await voeg_toe(v, Bevoegdheid, nieuwe_bev)
    if weg_ben:
        await v.db.execute(delete(Benoeming).where(Benoeming.id.in_(weg_ben)))
    if nieuwe_ben:
        await voeg_toe(v, Benoeming, nieuwe_ben)
    if nieuwe_vp:
        await voeg_toe(v, Voorportaalinschrijving, nieuwe_vp)
    if ids:
        # A delivery is DUO's answer to the teacher's open reports (meldFout).
        await v.db.execute(
            update(Foutmelding)
            .where(Foutmelding.leraar_id.in_(ids), Foutmelding.opgelost.is_(False))
            .values(opgelost=True)
        )
    await leg_vast(v, gewijzigd=gestempeld, dataversie=bool(gewijzigd_ids or nieuwe), inzage_van=gewijzigd_ids)
    return uitkomst


async def _onder_huidige_sleutel(
    v: Verzoek, leveringen: Sequence[Any], hashes: list[str], bestaand: dict[str, Leraar]
) -> None:
    """Key rotation (README, "Rotating the BSN key"): a delivery is the one moment the register knows
    a BSN, so it moves each teacher it finds under the previous key to the current one, and stamps
    rows hashed before key ids were kept. Teachers not delivered stay where they are."""
    huidig = sleutel_id(v.settings.bsn_key)
    vorige = v.settings.bsn_key_vorige
    if vorige is not None:
        oud = {bsn_hash(vorige, lev.bsn): h for lev, h in zip(leveringen, hashes) if h not in bestaand}
        if oud:
            res = await v.db.execute(select(Leraar).where(Leraar.bsn_hash.in_(list(oud))))
            for rij in res.scalars().all():
                rij.bsn_hash = oud[rij.bsn_hash]
                bestaand[rij.bsn_hash] = rij
    for rij in bestaand.values():
        if rij.bsn_sleutel != huidig:
            rij.bsn_sleutel = huidig


def _schrijf(
    v: Verzoek,
    leraar_id: int,
    besluit: Afstemming[Any, Any, Any],
    nieuwe_bev: list[dict[str, Any]],
    nieuwe_ben: list[dict[str, Any]],
    nieuwe_vp: list[dict[str, Any]],
    weg_ben: list[int],
) -> None:
    """Carry out one teacher's reconciliation: stored rows change in place, new ones join the batch
    inserts, removed appointments the one delete."""
    for rij, vak, behaald_op in besluit.bevoegdheden_bijgewerkt:
        rij.behaald_op, rij.vak = behaald_op, vak
    nieuwe_bev.extend(
        {
            "leraar_id": leraar_id,
            "vak": b.vak,
            "vak_sleutel": b.vak_sleutel,
            "soort": b.soort,
            "behaald_op": b.behaald_op,
            "voor_herregistratie": False,
        }
        for b in besluit.bevoegdheden_nieuw
    )
    weg_ben.extend(b.id for b in besluit.benoemingen_weg)
    for ben, einddatum in besluit.benoemingen_einde:
        ben.einddatum, ben.gewijzigd_op = einddatum, nu()
    for ben in besluit.benoemingen_gestempeld:
        ben.gewijzigd_op = nu()
    nieuwe_ben.extend(
        {
            "leraar_id": leraar_id,
            "schoolbestuur_id": b.schoolbestuur_id,
            "vak": b.vak,
            "begindatum": b.begindatum,
            "einddatum": b.einddatum,
            "gewijzigd_op": nu(),
        }
        for b in besluit.benoemingen_nieuw
    )
    nieuwe_vp.extend(
        {
            "leraar_id": leraar_id,
            "schoolbestuur_id": p.schoolbestuur_id,
            "vak": p.vak,
            "vak_sleutel": p.vak_sleutel,
            "begindatum": p.begindatum,
            "termijn_einde": p.termijn_einde,
            "verlengd": False,
            "afgesloten": False,
            "gewijzigd_op": nu(),
        }
        for p in besluit.voorportaal_nieuw
    )
    for p in besluit.voorportaal_gesloten:
        p.afgesloten, p.afgesloten_op, p.gewijzigd_op = True, v.vandaag, nu()


def _werk_persoon_bij(leraar: Leraar, persoon: dict[str, Any], geboortedatum: dt.date) -> bool:
    """Apply DUO's values; a teacher's correction stands while DUO keeps delivering the old value."""
    veranderd = False
    effectief: dict[str, str | None] = {
        "voornamen": leraar.voornamen,
        "tussenvoegsel": leraar.tussenvoegsel,
        "achternaam": leraar.achternaam,
    }
    for veld in ("voornamen", "tussenvoegsel", "achternaam"):
        duo_veld = f"duo_{veld}"
        if getattr(leraar, duo_veld) != persoon[veld]:
            setattr(leraar, duo_veld, persoon[veld])
            effectief[veld] = persoon[veld]
            veranderd = True
    if veranderd:
        for k, waarde in naam_velden_uit(effectief).items():
            setattr(leraar, k, waarde)
    if leraar.geboortedatum != geboortedatum:
        leraar.geboortedatum = geboortedatum
        veranderd = True
    return veranderd
