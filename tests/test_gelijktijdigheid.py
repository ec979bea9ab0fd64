"""Parallel requests on both stores (issue 9, point 5): a hundred activities added at once for one
teacher are all kept with exact hours, and fifty parallel wrong voluntary-register logins for one
user name get no more guesses evaluated than one after the other would (API.md: "atomically,
parallel guesses count")."""

from __future__ import annotations

import asyncio
import datetime as dt
import time

from conftest import fouten
from sqlalchemy import text, update
from sqlalchemy.ext.asyncio import create_async_engine
from test_vrijwillig_register import ACTIVITEITEN, HASH, IMPORTEER, VOEG_TOE, WACHTWOORD, export, geregistreerd, laad

from lerarenregister.models import VrijwilligAccount
from lerarenregister.resolvers.vrijwillig import FOUT, ZONDER_VERTRAGING, pauze

STAND = "{ ik { portfolio { totalCount } bevoegdheden { herregistratie { behaaldeUren } } } }"


async def _account(api, naam: str) -> tuple[int, bool]:
    """(failures recorded, pause running) of a voluntary-register account, read from the database."""
    engine = create_async_engine(api.url)
    try:
        async with engine.connect() as conn:
            rij = (
                await conn.execute(
                    text(
                        "SELECT mislukte_pogingen, laatste_mislukking FROM vrijwillig_account WHERE gebruikersnaam = :g"
                    ),
                    {"g": naam},
                )
            ).one()
    finally:
        await engine.dispose()
    return rij[0], rij[1] is not None


async def _pauze_voorbij(api, naam: str) -> None:
    """The last failure long ago (as if the pause had run out), without waiting for it."""
    engine = create_async_engine(api.url)
    try:
        async with engine.begin() as conn:
            await conn.execute(
                update(VrijwilligAccount)
                .where(VrijwilligAccount.gebruikersnaam == naam)
                .values(laatste_mislukking=dt.datetime(2001, 1, 1, tzinfo=dt.UTC))
            )
    finally:
        await engine.dispose()


async def test_honderd_activiteiten_tegelijk_alle_bewaard_uren_exact(api):
    token, bev = await geregistreerd(api, 51)
    invoeren = [
        {
            "titel": f"Activiteit {i}",
            "datum": "2026-11-28",
            "uren": 1.25 + (i % 4) * 0.25,
            "gebied": "VAKINHOUDELIJK",
            "bevoegdheden": [bev],
        }
        for i in range(100)
    ]
    antwoorden = await asyncio.gather(*(api.post(VOEG_TOE, {"i": i}, token) for i in invoeren))
    for r in antwoorden:
        assert r.status_code == 200 and "errors" not in r.json(), r.text
    ids = {r.json()["data"]["voegActiviteitToe"]["id"] for r in antwoorden}
    assert len(ids) == 100
    ik = (await api.ok(STAND, token=token))["ik"]
    assert ik["portfolio"]["totalCount"] == 100
    assert ik["bevoegdheden"][0]["herregistratie"]["behaaldeUren"] == sum(i["uren"] for i in invoeren) == 162.5


def toegestaan(seconden: float) -> int:
    """How many guesses one after the other may have evaluated within `seconden`: the free ones, then
    one more each time a pause has run out (the test's own duration sets the bound, it asserts none)."""
    n, verstreken = ZONDER_VERTRAGING, 0.0
    while verstreken + pauze(n) <= seconden:
        verstreken += pauze(n)
        n += 1
    return n


async def test_vijftig_parallelle_foute_gokken_tellen_allemaal(api, tmp_path):
    await laad(api, export(tmp_path / "e.jsonl", ("jdevries", HASH, ACTIVITEITEN)))
    token, _ = await geregistreerd(api, 52)
    begin = time.monotonic()
    antwoorden = await asyncio.gather(
        *(api.post(IMPORTEER, {"g": "jdevries", "w": f"gok-{i}"}, token) for i in range(50))
    )
    for r in antwoorden:
        assert r.status_code == 200, r.text
        body = r.json()
        # Refused in the pause or wrong: one error, the same as for an unknown user name.
        assert body["data"] is None and [e["message"] for e in fouten(body, "BAD_USER_INPUT")] == [FOUT], body
    # Every guess whose answer meant anything was recorded as a failure first: no more than one
    # after the other would have been allowed before the pause starts.
    mislukt, gepauzeerd = await _account(api, "jdevries")
    assert 1 <= mislukt <= toegestaan(time.monotonic() - begin) < 10 and gepauzeerd, mislukt
    # (That the right password is refused during a pause: test_vrijwillig_register, with a long one.)
    # Once the pause is over the right password imports, and the count starts again.
    await _pauze_voorbij(api, "jdevries")
    assert (await api.ok(IMPORTEER, {"g": "jdevries", "w": WACHTWOORD}, token))["importeerVrijwilligPortfolio"] == {
        "aantal": 3
    }
    assert (await _account(api, "jdevries"))[0] == 0


async def test_een_document_dat_hetzelfde_account_twee_keer_importeert_hangt_niet(api, tmp_path):
    """The second attempt has to count a failure on a row its own request has locked (the first
    import wrote it): refused within the lock timeout, never a hang or an internal error."""
    await laad(api, export(tmp_path / "e.jsonl", ("jdevries", HASH, ACTIVITEITEN)))
    token, _ = await geregistreerd(api, 53)
    dubbel = """mutation($g: String!, $goed: String!, $fout: String!) {
      a: importeerVrijwilligPortfolio(gebruikersnaam: $g, wachtwoord: $goed) { aantal }
      b: importeerVrijwilligPortfolio(gebruikersnaam: $g, wachtwoord: $fout) { aantal } }"""
    # A guard against a hang, not a timed assertion: without the lock timeout this never answers.
    r = await asyncio.wait_for(api.post(dubbel, {"g": "jdevries", "goed": WACHTWOORD, "fout": "gok"}, token), 120)
    assert r.status_code == 200, r.text
    # The first imported (inside this request's transaction), so the second is this teacher's second.
    assert [e["extensions"]["code"] for e in r.json()["errors"]] == ["CONFLICT"], r.text
    # The document failed as a whole: nothing imported, the account still there to import.
    assert (await api.ok(STAND, token=token))["ik"]["portfolio"]["totalCount"] == 0
