"""The voluntary register's portfolio over HTTP on both stores: the CLI loads the old register's
JSON-lines export, a confirmed teacher imports it once with the old credentials, imported entries are
read-only, count for no bevoegdheid and can be deleted, the same error hides whether the user name
or the password was wrong, and repeated failures for one user name refuse even the right password."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import bcrypt
from conftest import AUDIENCE, ISSUER, SECRET, fouten
from gegevens import bevestig, bsn, klaarzetten, levering
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

from lerarenregister.db import make_sessionmaker
from lerarenregister.resolvers.vrijwillig import FOUT, kosten_van, laad_export, pauze, schijn_hash

IMPORTEER = """mutation($g: String!, $w: String!) {
  importeerVrijwilligPortfolio(gebruikersnaam: $g, wachtwoord: $w) { aantal } }"""
PORTFOLIO = """{ ik { portfolio { totalCount edges { node { id titel datum uren gebied bron bewerkbaar
  bevoegdheden { id } } } } bevoegdheden { id herregistratie { behaaldeUren } } } }"""
VOEG_TOE = "mutation($i: ActiviteitInvoer!) { voegActiviteitToe(invoer: $i) { id } }"
WIJZIG = "mutation($id: ID!, $i: ActiviteitInvoer!) { wijzigActiviteit(id: $id, invoer: $i) { id } }"
VERWIJDER = "mutation($id: ID!) { verwijderActiviteit(id: $id) }"

WACHTWOORD = "oud-geheim-2015"
# The hash as the old register stored it; 4 rounds keep the tests fast (bcrypt embeds the cost).
HASH = bcrypt.hashpw(WACHTWOORD.encode(), bcrypt.gensalt(rounds=4)).decode()
ACTIVITEITEN = [
    {"titel": "Masterclass rekendidactiek", "datum": "2016-03-10", "uren": 12, "gebied": "VAKDIDACTISCH"},
    {"titel": "Conferentie passend onderwijs", "datum": "2017-11-02", "uren": 6.5, "gebied": "PEDAGOGISCH"},
    {"titel": "Leesclub vakliteratuur", "datum": "2018-01-15", "uren": 4, "gebied": "VAKINHOUDELIJK"},
]


def export(pad: Path, *accounts: tuple[str, str, list[dict[str, Any]]], rommel: bool = False) -> Path:
    regels = [json.dumps({"gebruikersnaam": g, "wachtwoordHash": h, "activiteiten": a}) for g, h, a in accounts]
    if rommel:
        regels.insert(1, "{not json at all")
    pad.write_text("\n".join(regels) + "\n", encoding="utf-8")
    return pad


async def laad(api: Any, pad: Path) -> tuple[int, int]:
    """The loader the CLI runs, on the test's own engine (faster than a process per test)."""
    return await laad_export(make_sessionmaker(api.app.state.engine), pad)


def cli(api: Any, *args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    """The installed command, configured through the environment like a production run."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("REGISTER_")}
    env.update(
        {
            "REGISTER_DATABASE_URL": api.url,
            "REGISTER_OIDC_ISSUER": ISSUER,
            "REGISTER_OIDC_AUDIENCE": AUDIENCE,
            "REGISTER_OIDC_JWKS": str(api.sleutels.jwks_pad),
            "REGISTER_SECRET_KEY": SECRET,
        }
    )
    script = Path(sys.executable).with_name("lerarenregister")
    # The console script as installed; the module itself where the environment has no scripts dir.
    commando = [str(script)] if script.exists() else [sys.executable, "-m", "lerarenregister.cli"]
    return subprocess.run(
        [*commando, *args], check=False, cwd=cwd, env=env, capture_output=True, text=True, timeout=120
    )


async def geregistreerd(api: Any, n: int) -> tuple[str, str]:
    """(token, bevoegdheid id) of a confirmed teacher."""
    await klaarzetten(api, [levering(bsn(n))])
    ik = await bevestig(api, bsn(n))
    return api.sleutels.leraar(bsn(n)), ik["bevoegdheden"][0]["id"]


async def test_cli_laadt_export_en_leraar_importeert_eenmaal(api, tmp_path):
    pad = export(
        tmp_path / "vrijwillig.jsonl",
        ("jdevries", HASH, ACTIVITEITEN),
        ("pjansen", HASH, ACTIVITEITEN[:1]),
        rommel=True,
    )
    uit = cli(api, "importeer-vrijwillig-register", str(pad), cwd=tmp_path)
    assert uit.returncode == 0, uit.stderr
    assert "loaded: 2" in uit.stdout and "skipped: 1" in uit.stdout, uit.stdout

    token, bev = await geregistreerd(api, 31)
    await api.ok(
        VOEG_TOE,
        {
            "i": {
                "titel": "Eigen cursus",
                "datum": "2026-11-28",
                "uren": 10,
                "gebied": "VAKINHOUDELIJK",
                "bevoegdheden": [bev],
            }
        },
        token,
    )
    voor = (await api.ok(PORTFOLIO, token=token))["ik"]
    assert voor["bevoegdheden"][0]["herregistratie"]["behaaldeUren"] == 10.0

    data = await api.ok(IMPORTEER, {"g": "jdevries", "w": WACHTWOORD}, token)
    assert data["importeerVrijwilligPortfolio"] == {"aantal": 3}

    ik = (await api.ok(PORTFOLIO, token=token))["ik"]
    assert ik["portfolio"]["totalCount"] == 4
    geimporteerd = [e["node"] for e in ik["portfolio"]["edges"] if e["node"]["bron"] == "VRIJWILLIG_REGISTER"]
    assert sorted((a["titel"], a["datum"], a["uren"], a["gebied"]) for a in geimporteerd) == sorted(
        (a["titel"], a["datum"], float(a["uren"]), a["gebied"]) for a in ACTIVITEITEN
    )
    assert all(a["bewerkbaar"] is False and a["bevoegdheden"] == [] for a in geimporteerd)
    # They count for no bevoegdheid.
    assert ik["bevoegdheden"][0]["herregistratie"]["behaaldeUren"] == 10.0

    # Read-only, but deletable.
    eerste = geimporteerd[0]["id"]
    body = await api.gql(
        WIJZIG,
        {
            "id": eerste,
            "i": {
                "titel": "Anders",
                "datum": "2016-03-10",
                "uren": 12,
                "gebied": "VAKDIDACTISCH",
                "bevoegdheden": [bev],
            },
        },
        token,
    )
    assert body["data"] is None and fouten(body, "CONFLICT"), body
    assert (await api.ok(VERWIJDER, {"id": eerste}, token))["verwijderActiviteit"] == eerste
    ik = (await api.ok(PORTFOLIO, token=token))["ik"]
    assert ik["portfolio"]["totalCount"] == 3
    assert eerste not in [e["node"]["id"] for e in ik["portfolio"]["edges"]]

    # The old account has ended: importing again is a conflict, even after deleting entries.
    body = await api.gql(IMPORTEER, {"g": "jdevries", "w": WACHTWOORD}, token)
    assert body["data"] is None and fouten(body, "CONFLICT"), body
    # Re-loading the export does not revive the ended account.
    await laad(api, pad)
    body = await api.gql(IMPORTEER, {"g": "jdevries", "w": WACHTWOORD}, token)
    assert fouten(body, "CONFLICT"), body
    assert (await api.ok(PORTFOLIO, token=token))["ik"]["portfolio"]["totalCount"] == 3


async def test_ander_leraar_kan_beeindigd_account_niet_importeren(api, tmp_path):
    await laad(api, export(tmp_path / "e.jsonl", ("jdevries", HASH, ACTIVITEITEN)))
    eerste, _ = await geregistreerd(api, 32)
    tweede, _ = await geregistreerd(api, 33)
    await api.ok(IMPORTEER, {"g": "jdevries", "w": WACHTWOORD}, eerste)
    # The ended account's hash is wiped (issue 10): to anyone else it is as if it never was, the
    # same error as an unknown user name, so the answer tells nobody that the name existed.
    body = await api.gql(IMPORTEER, {"g": "jdevries", "w": WACHTWOORD}, tweede)
    onbekend = await api.gql(IMPORTEER, {"g": "niemand", "w": WACHTWOORD}, tweede)
    assert body["data"] is None and [e["message"] for e in body["errors"]] == [
        e["message"] for e in onbekend["errors"]
    ] == [FOUT], body
    assert (await api.ok(PORTFOLIO, token=tweede))["ik"]["portfolio"]["totalCount"] == 0


async def test_import_wist_het_oude_wachtwoord(api, tmp_path):
    await laad(api, export(tmp_path / "e.jsonl", ("jdevries", HASH, ACTIVITEITEN)))
    token, _ = await geregistreerd(api, 34)
    await api.ok(IMPORTEER, {"g": "jdevries", "w": WACHTWOORD}, token)
    engine = create_async_engine(api.url)
    try:
        async with engine.connect() as conn:
            rij = (
                await conn.execute(
                    text(
                        "SELECT wachtwoord_hash, activiteiten FROM vrijwillig_account WHERE gebruikersnaam = 'jdevries'"
                    )
                )
            ).one()
    finally:
        await engine.dispose()
    assert rij[0] == "" and rij[1] in ([], "[]"), rij


def test_schijnhash_kost_evenveel_als_een_echte() -> None:
    """An unknown name is checked against a hash of the export's own cost factor (timing tells nothing)."""
    for kosten in (4, 10):
        echt = bcrypt.hashpw(b"x", bcrypt.gensalt(rounds=kosten)).decode()
        assert kosten_van(echt) == kosten and kosten_van(schijn_hash(kosten).decode()) == kosten
    assert kosten_van("") is None and kosten_van("$2b$xx$abc") is None


async def test_import_voor_bevestiging_is_conflict(api, tmp_path):
    await laad(api, export(tmp_path / "e.jsonl", ("jdevries", HASH, ACTIVITEITEN)))
    await klaarzetten(api, [levering(bsn(34))])
    token = api.sleutels.leraar(bsn(34))
    body = await api.gql(IMPORTEER, {"g": "jdevries", "w": WACHTWOORD}, token)
    assert body["data"] is None and fouten(body, "CONFLICT"), body
    # Nothing was used up: after confirming, the import works.
    await bevestig(api, bsn(34))
    assert (await api.ok(IMPORTEER, {"g": "jdevries", "w": WACHTWOORD}, token))["importeerVrijwilligPortfolio"] == {
        "aantal": 3
    }


async def test_onbekende_gebruiker_en_fout_wachtwoord_geven_dezelfde_fout(api, tmp_path):
    await laad(api, export(tmp_path / "e.jsonl", ("jdevries", HASH, ACTIVITEITEN)))
    token, _ = await geregistreerd(api, 35)
    fout_wachtwoord = await api.gql(IMPORTEER, {"g": "jdevries", "w": "verkeerd"}, token)
    onbekend = await api.gql(IMPORTEER, {"g": "niemand", "w": "verkeerd"}, token)
    assert fout_wachtwoord["data"] is None and onbekend["data"] is None
    assert len(fout_wachtwoord["errors"]) == len(onbekend["errors"]) == 1
    a, b = fout_wachtwoord["errors"][0], onbekend["errors"][0]
    assert a["extensions"]["code"] not in ("INTERNAL_SERVER_ERROR", "CONFLICT", "NOT_FOUND")
    assert (a["message"], a["extensions"]) == (b["message"], b["extensions"])
    assert a.get("path") == b.get("path")
    assert "niemand" not in b["message"] and "jdevries" not in a["message"]
    assert (await api.ok(PORTFOLIO, token=token))["ik"]["portfolio"]["totalCount"] == 0


async def test_herhaalde_mislukkingen_weigeren_tijdelijk_ook_het_juiste_wachtwoord(api, tmp_path):
    await laad(api, export(tmp_path / "e.jsonl", ("jdevries", HASH, ACTIVITEITEN), ("pjansen", HASH, ACTIVITEITEN)))
    token, _ = await geregistreerd(api, 36)
    ander, _ = await geregistreerd(api, 37)
    # Enough failures for a pause far longer than this test can take (not a timed assertion).
    mislukt = next(m for m in range(1, 50) if pauze(m) >= 600)
    for _ in range(mislukt):
        fout = await api.gql(IMPORTEER, {"g": "jdevries", "w": "raden"}, token)
        assert fout["data"] is None
    verwacht = fout["errors"][0]

    body = await api.gql(IMPORTEER, {"g": "jdevries", "w": WACHTWOORD}, token)
    assert body["data"] is None, "the right password must be refused during the pause"
    # The refusal does not tell that the password was right.
    assert (body["errors"][0]["message"], body["errors"][0]["extensions"]) == (
        verwacht["message"],
        verwacht["extensions"],
    )
    assert (await api.ok(PORTFOLIO, token=token))["ik"]["portfolio"]["totalCount"] == 0

    # The pause belongs to that user name only.
    assert (await api.ok(IMPORTEER, {"g": "pjansen", "w": WACHTWOORD}, ander))["importeerVrijwilligPortfolio"] == {
        "aantal": 3
    }


def test_pauze_groeit_met_mislukkingen():
    assert pauze(0) == 0
    reeks = [pauze(m) for m in range(40)]
    assert reeks == sorted(reeks), "the pause never shrinks with more failures"
    assert reeks[-1] > 0
