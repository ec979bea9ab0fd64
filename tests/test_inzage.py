"""resolvers/inzage.py on its own: the asker's audiences per teacher, over a real session on both stores."""

from __future__ import annotations

from typing import Any

from gegevens import KLAARZETTEN, benoeming, bsn, levering
from sqlalchemy import select

from lerarenregister.auth import policy
from lerarenregister.auth.policy import ALGEMEEN, Doelgroep, Onderwerp
from lerarenregister.auth.viewer import ANONIEM, DuoViewer, LeraarViewer, SchoolbestuurViewer, Viewer
from lerarenregister.db import make_sessionmaker
from lerarenregister.models import Leraar, Schoolbestuur
from lerarenregister.regels.bsn import bsn_hash
from lerarenregister.resolvers.inzage import Inzage
from lerarenregister.resolvers.verzoek import Db

D = Doelgroep
VROEGER, LATER = "2020-08-01", "2030-08-01"


async def _lever(api: Any) -> dict[str, int]:
    """Teacher 1 works at B1 now, teacher 2 worked there and works at B2, teacher 3 starts at B1 later."""
    leveringen = [
        levering(bsn(1), benoemingen=[benoeming("B1", begindatum=VROEGER)]),
        levering(
            bsn(2),
            benoemingen=[
                benoeming("B1", begindatum=VROEGER, einddatum="2025-07-31"),
                benoeming("B2", begindatum=VROEGER),
            ],
        ),
        levering(bsn(3), benoemingen=[benoeming("B1", begindatum=LATER)]),
    ]
    await api.ok(KLAARZETTEN, {"leveringen": leveringen}, api.sleutels.duo())
    async with api.app.state.engine.connect() as conn:
        rijen = (await conn.execute(select(Leraar.id, Leraar.bsn_hash))).all()
    per_hash = {h: i for i, h in rijen}
    return {n: per_hash[bsn_hash(api.settings.bsn_key, bsn(n))] for n in (1, 2, 3)}


def _groepen(inzage: Inzage, leraar_id: int) -> frozenset[Doelgroep]:
    groepen = inzage.bekend(Onderwerp(leraar_id=leraar_id))
    assert groepen is not None
    return groepen


def _inzage(api: Any, viewer: Viewer) -> tuple[Inzage, Db]:
    db = Db(make_sessionmaker(api.app.state.engine))
    return Inzage(db, viewer, api.vandaag), db


async def test_een_bestuur_is_werkgever_van_wie_er_vandaag_werkt(api) -> None:  # type: ignore[no-untyped-def]
    ids = await _lever(api)
    inzage, db = _inzage(api, SchoolbestuurViewer(bevoegd_gezag="B1"))
    try:
        assert inzage.bekend(Onderwerp(leraar_id=ids[1])) is None  # nothing known before loading
        await inzage.laad_ids(ids.values())
        assert D.WERKGEVER in _groepen(inzage, ids[1])
        assert D.WERKGEVER not in _groepen(inzage, ids[2])  # the appointment at B1 ended
        assert D.WERKGEVER not in _groepen(inzage, ids[3])  # starts later
        bestuur_id = (
            await db.execute(select(Schoolbestuur.id).where(Schoolbestuur.bevoegd_gezag_nummer == "B1"))
        ).scalar()
        assert await inzage.eigen_bestuur_id() == bestuur_id
        assert inzage.alleen_bestuur(ids[1]) == (True, bestuur_id)  # an employer sees its own rows only
        assert inzage.alleen_bestuur(ids[2]) == (True, None)  # not through WERKGEVER: no rows to narrow
    finally:
        await db.close(commit=False)


async def test_huidig_personeel_vraagt_niets(api) -> None:  # type: ignore[no-untyped-def]
    ids = await _lever(api)
    inzage, db = _inzage(api, SchoolbestuurViewer(bevoegd_gezag="B2"))
    rij = type("Rij", (), {"id": ids[1], "portfolio_openbaar": True})()
    try:
        with api.tel() as teller:
            await inzage.laad([rij], huidig_personeel=True)
        assert teller.aantal == 0
        assert inzage.bekend(Onderwerp(leraar_id=ids[1])) == {D.PUBLIEK, D.WERKGEVER, D.MET_TOESTEMMING}
    finally:
        await db.close(commit=False)


async def test_een_leraar_is_zichzelf_en_niemand_anders(api) -> None:  # type: ignore[no-untyped-def]
    ids = await _lever(api)
    inzage, db = _inzage(api, LeraarViewer(bsn_hash=bsn_hash(api.settings.bsn_key, bsn(2))))
    try:
        assert await inzage.eigen_leraar_id() == ids[2]
        await inzage.laad_ids([ids[1], ids[2]])
        assert inzage.bekend(Onderwerp(leraar_id=ids[2])) == {D.PUBLIEK, D.LERAAR_ZELF}
        assert inzage.bekend(Onderwerp(leraar_id=ids[1])) == {D.PUBLIEK}
        inzage.vergeet(ids[2])
        assert inzage.bekend(Onderwerp(leraar_id=ids[2])) is None
        assert await inzage.van(Onderwerp(leraar_id=ids[2])) == {D.PUBLIEK, D.LERAAR_ZELF}  # loaded again
    finally:
        await db.close(commit=False)


async def test_onbekende_leraar_en_gegevens_zonder_leraar(api) -> None:  # type: ignore[no-untyped-def]
    inzage, db = _inzage(api, LeraarViewer(bsn_hash="onbekend"))
    try:
        assert await inzage.eigen_leraar_id() is None
        assert inzage.rol == policy.rol_doelgroepen(LeraarViewer(bsn_hash="onbekend"))
        assert inzage.bekend(ALGEMEEN) == inzage.rol
        assert inzage.bekend(Onderwerp(schoolbestuur="B1")) == {D.PUBLIEK}
        assert inzage.bekend(Onderwerp(aanbieder="A1")) == {D.PUBLIEK}
    finally:
        await db.close(commit=False)
    duo, db = _inzage(api, DuoViewer())
    try:
        assert duo.bekend(Onderwerp(schoolbestuur="B1")) == {D.PUBLIEK, D.DUO}
        assert await duo.eigen_bestuur_id() is None and await duo.eigen_leraar_id() is None
    finally:
        await db.close(commit=False)
    anoniem, db = _inzage(api, ANONIEM)
    assert anoniem.rol == {D.PUBLIEK}
    await db.close(commit=False)
