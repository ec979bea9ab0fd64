"""Finding teachers: public search, lookup by registernummer, the logged-in teacher, a board's staff."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from sqlalchemy import bindparam, exists, func, literal_column, select

from ..auth import policy
from ..auth.policy import Doelgroep
from ..auth.viewer import Anoniem, LeraarViewer, SchoolbestuurViewer
from ..models import (
    Aantekening,
    Benoeming,
    Bevoegdheid,
    Bezwaar,
    Herregistratieperiode,
    Leraar,
    Schoolbestuur,
    Voorportaalinschrijving,
)
from ..models.statussen import Registratiestatus
from ..regels import waarschuwingen as w
from ..regels.naam import normaliseer
from ..regels.registernummer import is_geldig as registernummer_geldig
from . import herregistratie
from .fouten import NietAangemeld, NietGevonden, Onbevoegd, OngeldigeInvoer
from .loaders import Vooruit, laad_pagina, laad_veel
from .paginering import PUBLIEK_MAX, Pagina, totaal_uit_venster, venster
from .werkgever import huidig_bij

if TYPE_CHECKING:
    from .verzoek import Verzoek

GEREGISTREERD = Registratiestatus.GEREGISTREERD.value
# Read paths take plain rows (SQLAlchemy Core): no ORM identity bookkeeping on a page of results.
LERAAR_RIJ = tuple(Leraar.__table__.c)
# Greater than any character, so [term, term + HOOGSTE) is "starts with term" on both stores.
HOOGSTE = "\U0010ffff"


# Public search, built once. The status is spelled out in the SQL, not bound: a generic plan must
# still match the partial index. sorteernaam starts with the normalised achternaam, so
# [norm, norm + HOOGSTE) on it is "achternaam starts with norm", and the partial index on
# (sorteernaam, registernummer) hands out a page in order without sorting every match.
IN_REGISTER = Leraar.status == literal_column(f"'{GEREGISTREERD}'")
NAAM_BEGINT_MET = (
    (Leraar.sorteernaam >= bindparam("norm"))
    & (Leraar.sorteernaam < bindparam("norm_tot"))
    & (Leraar.registernummer != bindparam("exact"))
)
_NAMEN_AANTAL = select(func.count()).select_from(Leraar).where(IN_REGISTER & NAAM_BEGINT_MET)
_NAMEN_PAGINA = (
    select(*LERAAR_RIJ)
    .where(IN_REGISTER & NAAM_BEGINT_MET)
    .order_by(Leraar.sorteernaam, Leraar.registernummer)
    .limit(bindparam("limit"))
    .offset(bindparam("offset"))
)
_EXACT = select(*LERAAR_RIJ).where(IN_REGISTER & (Leraar.registernummer == bindparam("exact")))


def zoekparameters(zoekterm: str) -> tuple[dict[str, str], bool, bool]:
    """The search's bound values, and whether to look for an exact registernummer and for names.

    Shared with the compiled path (schema/gecompileerd.py), which runs the same conditions as one statement.
    """
    norm = normaliseer(zoekterm)
    exact = zoekterm.strip()
    if not norm and not exact:
        raise OngeldigeInvoer("zoekterm is empty", "zoekterm")
    params = {"exact": exact, "norm": norm or HOOGSTE, "norm_tot": norm + HOOGSTE if norm else HOOGSTE}
    # Every registernummer is well-formed: anything else cannot match.
    return params, registernummer_geldig(exact), bool(norm)


async def zoek(v: Verzoek, zoekterm: str, first: int | None, after: str | None) -> Pagina[Leraar]:
    """Public search: GEREGISTREERD teachers by normalised achternaam prefix or exact registernummer.

    Order: the exact registernummer first, then achternaam, voorletters, registernummer.
    """
    limit, offset = venster(first, after, PUBLIEK_MAX)
    params, met_exact, met_namen = zoekparameters(zoekterm)
    exacte = list((await v.db.lees(_EXACT, {"exact": params["exact"]})).all()) if met_exact else []
    aantal_namen = (await v.db.lees(_NAMEN_AANTAL, params)).scalar_one() if met_namen else 0
    voor = len(exacte)  # the exact match takes the first position
    rijen: list[Leraar] = exacte[offset : offset + limit]
    van, nog = max(offset - voor, 0), limit - len(rijen)
    if nog > 0 and van < aantal_namen:
        rijen += (await v.db.lees(_NAMEN_PAGINA, {**params, "limit": nog, "offset": van})).all()
    await v.inzage.laad(rijen)
    return Pagina(rijen, offset, voor + aantal_namen)


async def zichtbare(v: Verzoek, rijen: Sequence[Leraar]) -> list[Leraar | None]:
    """Each teacher, or None where the asker may not find them (outside the public register)."""
    await v.inzage.laad(rijen)
    uit: list[Leraar | None] = []
    for r in rijen:
        doelgroepen = v.inzage.bekend(policy.Onderwerp(leraar_id=r.id)) or frozenset()
        openbaar = r.status == GEREGISTREERD
        uit.append(r if openbaar or policy.ziet_buiten_openbaar_register(doelgroepen) else None)
    return uit


_OP_NUMMERS = select(*LERAAR_RIJ).where(Leraar.registernummer.in_(bindparam("nummers", expanding=True)))


async def op_registernummers(v: Verzoek, nummers: list[str]) -> list[Leraar | None]:
    """Teachers by registernummer in input order; None where unknown or not visible to the asker."""
    if len(nummers) > 100:
        raise OngeldigeInvoer("at most 100 registernummers at once", "registernummers")
    if not nummers:
        return []
    res = await v.db.lees(_OP_NUMMERS, {"nummers": list(set(nummers))})
    per = {r.registernummer: r for r in res.all()}
    gevonden = [per[n] for n in dict.fromkeys(nummers) if n in per]
    zichtbaar = {r.registernummer: z for r, z in zip(gevonden, await zichtbare(v, gevonden))}
    return [zichtbaar.get(n) for n in nummers]


async def ik(v: Verzoek) -> Leraar:
    """The logged-in teacher (API.md, "Who finds whom")."""
    if isinstance(v.viewer, Anoniem):
        raise NietAangemeld("log in as a teacher to see your own record")
    if not isinstance(v.viewer, LeraarViewer):
        raise Onbevoegd("only a teacher has an own record")
    leraar_id = await v.inzage.eigen_leraar_id()
    if leraar_id is None:
        raise NietGevonden("no teacher in the register matches this login")
    res = await v.db.execute(select(Leraar).where(Leraar.id == leraar_id))
    rij: Leraar = res.scalar_one()
    await v.inzage.laad([rij])
    return rij


async def medewerkers(
    v: Verzoek,
    bestuur_id: int,
    registratiestatus: str | None,
    met_waarschuwing: bool | None,
    gewijzigd_sinds: dt.datetime | None,
    first: int | None,
    after: str | None,
) -> Pagina[Leraar]:
    """A board's current staff, ordered by achternaam then registernummer."""
    limit, offset = venster(50 if first is None else first, after)
    waar = huidig_bij(bestuur_id, v.vandaag)
    if registratiestatus:
        waar = waar & (Leraar.status == registratiestatus)
    if gewijzigd_sinds is not None:
        if gewijzigd_sinds.tzinfo is None:
            raise OngeldigeInvoer("gewijzigdSinds must be RFC 3339 with an offset", "gewijzigdSinds")
        # Stored in UTC; SQLite compares the text, so the bound value must be UTC too.
        try:
            sinds = gewijzigd_sinds.astimezone(dt.UTC)
        except OverflowError:  # 9999-12-31T23:59:59-14:00 is in the year 10000 in UTC
            raise OngeldigeInvoer("gewijzigdSinds lies outside the years 1 to 9999 in UTC", "gewijzigdSinds") from None
        # The assessment stamps the periods it judged rather than the teachers (migration 0004).
        beoordeeld = exists().where(
            Bevoegdheid.leraar_id == Leraar.id,
            Herregistratieperiode.bevoegdheid_id == Bevoegdheid.id,
            Herregistratieperiode.beoordeeld_tijdstip > sinds,
        )
        # Visible changes only (API.md): the teacher's own moment moves for what every employer sees;
        # this board's rows (its benoemingen, voorportaal entries, objections) carry their own.
        eigen_rijen = (
            exists().where(
                Benoeming.leraar_id == Leraar.id,
                Benoeming.schoolbestuur_id == bestuur_id,
                Benoeming.gewijzigd_op > sinds,
            )
            | exists().where(
                Voorportaalinschrijving.leraar_id == Leraar.id,
                Voorportaalinschrijving.schoolbestuur_id == bestuur_id,
                Voorportaalinschrijving.gewijzigd_op > sinds,
            )
            | exists().where(
                Bevoegdheid.leraar_id == Leraar.id,
                Aantekening.bevoegdheid_id == Bevoegdheid.id,
                Bezwaar.aantekening_id == Aantekening.id,
                Bezwaar.schoolbestuur_id == bestuur_id,
                Bezwaar.gewijzigd_op > sinds,
            )
        )
        waar = waar & ((Leraar.gewijzigd_op > sinds) | beoordeeld | eigen_rijen)
    volgorde = (Leraar.zoeknaam, Leraar.registernummer)  # API.md: staff by achternaam then registernummer
    if met_waarschuwing is None:
        # The count rides along with the page (a window over every match): one statement, not two.
        res = await v.db.lees(
            select(*LERAAR_RIJ, func.count().over().label("totaal_aantal"))
            .where(waar)
            .order_by(*volgorde)
            .limit(limit)
            .offset(offset)
        )
        rijen = list(res.all())
        gelezen = totaal_uit_venster(rijen[0].totaal_aantal if rijen else None, offset, limit)
        if gelezen is None:
            gelezen = (await v.db.lees(select(func.count()).select_from(Leraar).where(waar))).scalar_one()
        totaal = gelezen
    else:
        # Warnings derive from today and the data; filter every candidate in one batched pass.
        res = await v.db.lees(select(*LERAAR_RIJ).where(waar).order_by(*volgorde))
        alle = list(res.all())
        await v.inzage.laad(alle, huidig_personeel=True)
        await laad_pagina(v.loaders.bevoegdheden_met_herregistratie_by_leraar, [r.id for r in alle])
        lijsten = await waarschuwingen_van(v, alle, pagina=True)
        gefilterd = [r for r, lijst in zip(alle, lijsten) if bool(lijst) == met_waarschuwing]
        totaal = len(gefilterd)
        rijen = gefilterd[offset : offset + limit]
    await v.inzage.laad(rijen, huidig_personeel=True)  # selected as current staff: no second look
    return Pagina(rijen, offset, totaal)


async def waarschuwingen(v: Verzoek, leraar: Leraar) -> list[w.Waarschuwing]:
    """Every warning that stands today for this teacher, as the asker may see them."""
    return (await waarschuwingen_van(v, [leraar]))[0]


async def waarschuwingen_van(v: Verzoek, leraren: Sequence[Leraar], pagina: bool = False) -> list[list[w.Waarschuwing]]:
    """As `waarschuwingen`, for many teachers (`pagina`: a whole page): each kind of data read once for
    all, then worked out without a coroutine per teacher."""
    ids = [r.id for r in leraren]
    await v.inzage.laad_ids(ids)
    doelgroepen = [v.inzage.bekend(policy.Onderwerp(leraar_id=i)) or frozenset() for i in ids]
    eigen_bestuur = (
        await v.inzage.eigen_bestuur_id() if any(policy.alleen_eigen_bestuur(d) for d in doelgroepen) else None
    )
    bevoegdheden = await laad_veel(v.loaders.bevoegdheden_by_leraar, ids, pagina)
    voorportaal = await laad_veel(v.loaders.voorportaal_by_leraar, ids, pagina)
    alle = [b for lijst in bevoegdheden for b in lijst]
    staande = dict(zip((b.id for b in alle), await herregistratie.staande_aantekeningen(v, [b.id for b in alle])))
    standen = dict(zip((b.id for b in alle), await herregistratie.huidige_perioden(v, alle, pagina)))
    return [
        waarschuwingen_uit(
            v,
            leraar,
            [(b, standen[b.id], staande[b.id]) for b in bevs],
            [(i, s) for i, s in vp if not policy.alleen_eigen_bestuur(d) or s.id == eigen_bestuur],
        )
        for leraar, d, bevs, vp in zip(leraren, doelgroepen, bevoegdheden, voorportaal)
    ]


def waarschuwingen_uit(
    v: Verzoek, leraar: Leraar, bevoegdheden: list[tuple[Any, Any, Any]], voorportaal: list[tuple[Any, Any]]
) -> list[w.Waarschuwing]:
    """One teacher's warnings from data at hand: (bevoegdheid, current period, standing aantekening)
    and the voorportaal rows the asker may see."""
    uit: list[w.Waarschuwing] = []
    niet_bevestigd = w.niet_bevestigd_waarschuwing(leraar.eerste_levering_op, leraar.status == GEREGISTREERD, v.vandaag)
    if niet_bevestigd:
        uit.append(niet_bevestigd)
    for bev, stand, aantekening in bevoegdheden:
        if stand is not None and stand.status in ("OP_SCHEMA", "RISICO"):
            uit.extend(w.periode_waarschuwingen(bev.id, bev.vak, stand.einde, stand.status, stand.voldaan, v.vandaag))
        if aantekening is not None:
            uit.append(w.aantekening_waarschuwing(bev.id, bev.vak, aantekening.geplaatst_op))
    for inschrijving, bestuur in voorportaal:
        waarschuwing = w.voorportaal_waarschuwing(
            inschrijving.vak, inschrijving.termijn_einde, inschrijving.afgesloten, v.vandaag, bestuur.id
        )
        if waarschuwing:
            uit.append(waarschuwing)
    return sorted(uit, key=lambda x: (x.datum, x.soort))


async def op_ids(v: Verzoek, ids: list[int]) -> list[Leraar]:
    """Teachers by row id, in the order asked."""
    res = await v.db.lees(select(*LERAAR_RIJ).where(Leraar.id.in_(ids)))
    per = {r.id: r for r in res.all()}
    await v.inzage.laad(per.values())
    return [per[i] for i in ids if i in per]


_OP_NUMMER = select(*LERAAR_RIJ).where(Leraar.registernummer == bindparam("nummer"))


async def op_registernummer(v: Verzoek, nummer: str) -> Leraar | None:
    """One teacher by registernummer; None where unknown or not visible to the asker."""
    rij = (await v.db.lees(_OP_NUMMER, {"nummer": nummer})).first()
    return (await zichtbare(v, [rij]))[0] if rij is not None else None


async def mijn_bestuur(v: Verzoek) -> Any:  # a plain row with the board's columns, read as the model is
    """The logged-in board (API.md: like `ik`)."""
    if isinstance(v.viewer, Anoniem):
        raise NietAangemeld("log in as a school board")
    if not isinstance(v.viewer, SchoolbestuurViewer):
        raise Onbevoegd("only a school board has a board of its own")
    res = await v.db.execute(
        select(*Schoolbestuur.__table__.c).where(Schoolbestuur.bevoegd_gezag_nummer == v.viewer.bevoegd_gezag)
    )
    bestuur = res.first()
    if bestuur is None:
        raise NietGevonden("no school board in the register has this bevoegd-gezagnummer")
    v.inzage.ken_bestuur(bestuur.id)
    return bestuur


async def laad_pagina_vooruit(
    v: Verzoek, rijen: Sequence[Leraar], stappen: Mapping[Vooruit, frozenset[Doelgroep]]
) -> None:
    """Children of a page of teachers, loaded with the page (issue 4: children with their parents).

    `stappen`: what the fields asked of each teacher declare they answer from, each with the
    audiences that may see those fields (schema/vooruit.py `gevraagd`). What is loaded here the
    fields then answer without waiting; what is not asked is not loaded. Bevoegdheden and their
    periods are loaded for the whole page; voorportaal and warnings for the teachers who may see a
    field that asks for them (the field check decides the rest).
    """
    if not rijen or not stappen:
        return
    ids = [r.id for r in rijen]
    herregistratie_ = Vooruit.HERREGISTRATIE in stappen
    if herregistratie_ or Vooruit.WAARSCHUWINGEN in stappen:
        await laad_pagina(v.loaders.bevoegdheden_met_herregistratie_by_leraar, ids)
    elif Vooruit.BEVOEGDHEDEN in stappen:
        await laad_pagina(v.loaders.bevoegdheden_by_leraar, ids)
    voorportaal = _wie(v, rijen, stappen, Vooruit.VOORPORTAAL, Vooruit.WAARSCHUWINGEN)  # warnings read it too
    if voorportaal:
        await laad_pagina(v.loaders.voorportaal_by_leraar, [r.id for r in voorportaal])
    waarschuwen = _wie(v, rijen, stappen, Vooruit.WAARSCHUWINGEN)
    if waarschuwen:  # which works out the current periods of the same teachers' bevoegdheden
        lijsten = await waarschuwingen_van(v, waarschuwen, pagina=True)
        v.loaders.waarschuwingen.update(zip([r.id for r in waarschuwen], lijsten))
    elif herregistratie_:
        bevoegdheden = [b for lijst in await laad_pagina(v.loaders.bevoegdheden_by_leraar, ids) for b in lijst]
        await herregistratie.huidige_perioden(v, bevoegdheden, pagina=True)


def _wie(
    v: Verzoek, rijen: Sequence[Leraar], stappen: Mapping[Vooruit, frozenset[Doelgroep]], *welke: Vooruit
) -> list[Leraar]:
    """The teachers of the page who may see a field that asked for one of these steps."""
    groepen = frozenset[Doelgroep]().union(*(stappen[s] for s in welke if s in stappen))
    if not groepen:
        return []
    return [
        r for r in rijen if policy.mag_zien(v.inzage.bekend(policy.Onderwerp(leraar_id=r.id)) or frozenset(), groepen)
    ]
