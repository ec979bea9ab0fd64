"""Test data: valid BSNs, deliveries and the GraphQL documents the tests send."""

from __future__ import annotations

from typing import Any

from lerarenregister.regels.bsn import elfproef


def bsn(n: int) -> str:
    """The n-th valid BSN (elfproef) from a fixed start, distinct per n."""
    kandidaat = 100_000_000 + n * 13
    while True:
        s = f"{kandidaat:09d}"
        if elfproef(s):
            return s
        kandidaat += 1


def geldige_bsns(aantal: int, start: int = 0) -> list[str]:
    uit: list[str] = []
    n = start * 1000
    while len(uit) < aantal:
        s = bsn(n)
        if s not in uit:
            uit.append(s)
        n += 1
    return uit


def levering(
    bsn_: str,
    achternaam: str = "Vries",
    tussenvoegsel: str | None = "de",
    voornamen: str = "Anna Maria",
    bevoegdheden: list[dict[str, Any]] | None = None,
    benoemingen: list[dict[str, Any]] | None = None,
    geboortedatum: str = "1985-03-01",
) -> dict[str, Any]:
    return {
        "bsn": bsn_,
        "voornamen": voornamen,
        "tussenvoegsel": tussenvoegsel,
        "achternaam": achternaam,
        "geboortedatum": geboortedatum,
        "bevoegdheden": bevoegdheden
        if bevoegdheden is not None
        else [{"vak": "Wiskunde", "soort": "TWEEDEGRAADS", "behaaldOp": "2010-06-30"}],
        "benoemingen": benoemingen if benoemingen is not None else [],
    }


def benoeming(
    nummer: str,
    vak: str = "Wiskunde",
    begindatum: str = "2020-08-01",
    einddatum: str | None = None,
    naam: str | None = None,
) -> dict[str, Any]:
    return {
        "bevoegdGezagNummer": nummer,
        "schoolbestuurNaam": naam or f"Stichting {nummer}",
        "vak": vak,
        "begindatum": begindatum,
        "einddatum": einddatum,
    }


KLAARZETTEN = """
mutation Klaarzetten($leveringen: [Levering!]!) {
  zetGegevensKlaar(leveringen: $leveringen) { nieuw gewijzigd ongewijzigd registernummers }
}"""

IK_BEVOEGDHEDEN = "{ ik { registernummer bevoegdheden { id vak soort } } }"

BEVESTIG = """
mutation Bevestig($ids: [ID!]!) {
  bevestigRegistratie(herregistratieBevoegdheden: $ids) { registernummer registratie { status geregistreerdOp } }
}"""


async def klaarzetten(api: Any, leveringen: list[dict[str, Any]]) -> list[str]:
    data = await api.ok(KLAARZETTEN, {"leveringen": leveringen}, api.sleutels.duo())
    return data["zetGegevensKlaar"]["registernummers"]


async def bevestig(api: Any, bsn_: str, alle: bool = True) -> dict[str, Any]:
    """Confirm as the teacher, choosing every bevoegdheid (or the first); returns `ik` before."""
    token = api.sleutels.leraar(bsn_)
    ik = (await api.ok(IK_BEVOEGDHEDEN, token=token))["ik"]
    ids = [b["id"] for b in ik["bevoegdheden"]]
    await api.ok(BEVESTIG, {"ids": ids if alle else ids[:1]}, token)
    return ik


LERAREN_BEVOEGDHEDEN = "query($n: [String!]!) { leraren(registernummers: $n) { registernummer bevoegdheden { id } } }"


async def bevestig_alle(api: Any, bsns: list[str], nummers: list[str]) -> None:
    """Confirm many delivered teachers (bsns and their registernummers, in the same order), each
    choosing every bevoegdheid: the ids come from one DUO read per 100, then one mutation each."""
    ids: dict[str, list[str]] = {}
    for i in range(0, len(nummers), 100):
        data = await api.ok(LERAREN_BEVOEGDHEDEN, {"n": nummers[i : i + 100]}, api.sleutels.duo())
        ids.update({x["registernummer"]: [b["id"] for b in x["bevoegdheden"]] for x in data["leraren"]})
    for b, nr in zip(bsns, nummers):
        await api.ok(BEVESTIG, {"ids": ids[nr]}, api.sleutels.leraar(b))
