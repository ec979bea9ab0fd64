"""The demo banner: a ready token, an example query and a curl line per role."""

from __future__ import annotations

import asyncio
import json
import shlex
from typing import Any

from ..auth.viewer import LeraarViewer
from ..db import make_engine, make_sessionmaker
from ..regels.bsn import bsn_hash
from ..settings import Settings
from .gegevens import AANBIEDERS, UITGELICHT_BESTUUR
from .laden import Uitvoerder
from .plan import DemoLeraar, demo_plan, met_kenmerk


async def _registernummers(settings: Settings, leraren: list[DemoLeraar]) -> dict[int, str]:
    """The registernummers of these demo teachers, each asked as that teacher (`ik`)."""
    engine = make_engine(settings.database_url)
    uit: dict[int, str] = {}
    try:
        voer_uit = Uitvoerder(settings, make_sessionmaker(engine))
        for leraar in leraren:
            viewer = LeraarViewer(bsn_hash=bsn_hash(settings.bsn_key, leraar.bsn))
            try:
                data = await voer_uit(viewer, settings.today(), "{ ik { registernummer } }")
            except RuntimeError:  # not in this database (demo data switched off)
                continue
            uit[leraar.nummer] = data["ik"]["registernummer"]
    finally:
        await engine.dispose()
    return uit


def _curl(basis_url: str, query: str, token_var: str | None) -> str:
    delen = ["curl -s", shlex.quote(f"{basis_url}/graphql"), "-H 'Content-Type: application/json'"]
    if token_var:
        delen.append(f'-H "Authorization: Bearer ${token_var}"')
    delen.append("-d " + shlex.quote(json.dumps({"query": query}, ensure_ascii=False)))
    return " ".join(delen)


def voorbeelden(settings: Settings) -> list[tuple[str, dict[str, Any] | None, str | None, str]]:
    """Per role: (title, token claims or None for the public, shell variable, example query)."""
    plan = demo_plan(settings.today())
    leraar = met_kenmerk(plan, "uitgelicht")
    nieuw = met_kenmerk(plan, "uitgelicht-klaargezet")
    try:
        nummers = asyncio.run(_registernummers(settings, [leraar, nieuw]))
    except Exception:  # the banner must never stop the server; the examples work without numbers
        nummers = {}
    nummer = nummers.get(leraar.nummer, "<registernummer>")
    code, naam, _ = AANBIEDERS[1]
    bestuur = UITGELICHT_BESTUUR
    return [
        (
            "publiek (no token)",
            None,
            None,
            '{ zoekLeraren(zoekterm: "de Vries") { totalCount edges { node { registernummer '
            "naam { weergavenaam } bevoegdheden { vak soort voorHerregistratie } } } } }",
        ),
        (
            f"leraar: demo teacher {leraar.weergavenaam} ({nummer}): behind schedule, voorportaal term ending",
            {"rol": "leraar", "bsn": leraar.bsn},
            "LR_LERAAR",
            "{ ik { registernummer naam { weergavenaam voornamen } registratie { status geregistreerdOp } "
            "bevoegdheden { id vak soort herregistratie { periodeEinde status behaaldeUren vereisteUren } } "
            "voorportaal { vak termijnEinde afgesloten } waarschuwingen { soort bericht datum } "
            "portfolio(first: 5) { totalCount edges { node { titel datum uren gebied bron } } } } }",
        ),
        (
            f"leraar: demo teacher {nieuw.weergavenaam} ({nummers.get(nieuw.nummer, '<registernummer>')}): "
            "not confirmed yet; confirm with bevestigRegistratie",
            {"rol": "leraar", "bsn": nieuw.bsn},
            "LR_LERAAR_NIEUW",
            "{ ik { registratie { status } bevoegdheden { id vak soort } waarschuwingen { soort bericht } } }",
        ),
        (
            f"schoolbestuur: {bestuur.naam} ({bestuur.nummer})",
            {"rol": "schoolbestuur", "bevoegd_gezag": bestuur.nummer},
            "LR_BESTUUR",
            "{ mijnSchoolbestuur { naam medewerkers(filter: { metWaarschuwing: true }, first: 10) { totalCount "
            "edges { node { registernummer naam { weergavenaam } registratie { status } "
            "waarschuwingen { soort datum } } } } } }",
        ),
        (
            "duo",
            {"rol": "duo"},
            "LR_DUO",
            f'{{ leraar(registernummer: "{nummer}") {{ naam {{ voornamen weergavenaam }} geboortedatum '
            "registratie { status } benoemingen { vak begindatum einddatum schoolbestuur { naam } } "
            "voorportaal { vak termijnEinde afgesloten } } "
            "foutmeldingen { totalCount edges { node { onderwerp toelichting gemeldOp } } } }",
        ),
        (
            f"aanbieder: {naam} ({code})",
            {"rol": "aanbieder", "aanbieder": code, "name": naam},
            "LR_AANBIEDER",
            'mutation { publiceerActiviteit(invoer: { titel: "Formatief evalueren in de praktijk", '
            "soort: CURSUS, contacturen: 12, zelfstudieuren: 4, gebied: VAKDIDACTISCH, toetsing: false }) "
            "{ id titel uren aanbieder { naam } } }",
        ),
        (
            "beroepsgroep",
            {"rol": "beroepsgroep"},
            "LR_BEROEPSGROEP",
            "{ bezwaren(status: INGEDIEND) { totalCount edges { node { id ingediendOp ingediendDoor motivering } } } "
            "herregistratiecriteria { geldigVanaf totaalUren primairProcesUren vakinhoudelijkVoUren } }",
        ),
    ]


def toon_demo(settings: Settings, basis_url: str) -> None:
    """Print a ready token, an example query and a curl line per role. No BSN is printed."""
    from ..auth.demo import maak_token

    regels = [
        "",
        "=" * 100,
        f"lerarenregister demo at {basis_url} (the register's today: {settings.today().isoformat()})",
        f"GraphiQL: open {basis_url}/graphql in a browser; the SDL: {basis_url}/schema.graphql",
        "Everyone below is demo data. Tokens hold for 8 hours: paste an export line into your shell.",
        "=" * 100,
    ]
    for titel, claims, var, query in voorbeelden(settings):
        regels += ["", f"## {titel}"]
        if claims is not None and var:
            claims = dict(claims)
            rol = claims.pop("rol")
            regels.append(f"export {var}={maak_token(settings, rol, **claims)}")
        regels += [f"query: {query}", _curl(basis_url, query, var)]
    regels += [
        "",
        "More tokens: lerarenregister token --rol ROL [--bsn …] [--bevoegd-gezag …] [--aanbieder …]",
        "=" * 100,
        "",
    ]
    print("\n".join(regels), flush=True)
