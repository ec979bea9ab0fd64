"""The voorportaal over HTTP on both stores: one extension by a current employer of its own entry
(four years from the appointment's begindatum, minus a day), the VOORPORTAALTERMIJN_VERLOOPT
warning's window for teacher and employer, and a delivered bevoegdheid closing the entry."""

from __future__ import annotations

import datetime as dt
from typing import Any

from conftest import fouten
from gegevens import benoeming, bsn, klaarzetten, levering

D = dt.date
VERLENG = """mutation($id: ID!) { verlengVoorportaaltermijn(inschrijving: $id) {
  id vak begindatum termijnEinde verlengd afgesloten schoolbestuur { bevoegdGezagNummer } } }"""
IK = """{ ik { bevoegdheden { vak } voorportaal { id vak begindatum termijnEinde verlengd afgesloten
  schoolbestuur { bevoegdGezagNummer } } waarschuwingen { soort datum } } }"""
BESTUUR = """{ mijnSchoolbestuur { medewerkers { edges { node { registernummer
  voorportaal { id vak termijnEinde verlengd } waarschuwingen { soort datum } } } } } }"""

WIS = {"vak": "Wiskunde", "soort": "TWEEDEGRAADS", "behaaldOp": "2010-06-30"}
NAT = {"vak": "Natuurkunde", "soort": "TWEEDEGRAADS", "behaaldOp": "2026-11-01"}
BSN = bsn(51)


def de_levering(bevoegdheden: list[dict] | None = None) -> dict[str, Any]:
    """Natuurkunde at 60001 without the bevoegdheid (voorportaal); Wiskunde at 60002 with it; Scheikunde
    at 60003 without it, ended before today."""
    return levering(
        BSN,
        achternaam="Groen",
        tussenvoegsel=None,
        bevoegdheden=bevoegdheden or [WIS],
        benoemingen=[
            benoeming("60001", vak="Natuurkunde", begindatum="2026-08-01"),
            benoeming("60002", vak="Wiskunde", begindatum="2025-08-01"),
            benoeming("60003", vak="Scheikunde", begindatum="2024-08-01", einddatum="2026-10-01"),
        ],
    )


async def ik(api: Any) -> dict:
    return (await api.ok(IK, token=api.sleutels.leraar(BSN)))["ik"]


async def inschrijving(api: Any, vak: str) -> dict:
    return next(p for p in (await ik(api))["voorportaal"] if p["vak"] == vak)


def soorten(waarschuwingen: list[dict], soort: str = "VOORPORTAALTERMIJN_VERLOOPT") -> list[str]:
    return [w["datum"] for w in waarschuwingen if w["soort"] == soort]


async def test_huidige_werkgever_verlengt_eenmaal_tot_vier_jaar(api):
    await klaarzetten(api, [de_levering()])
    nat = await inschrijving(api, "Natuurkunde")
    assert (nat["begindatum"], nat["termijnEinde"], nat["verlengd"]) == ("2026-08-01", "2028-07-31", False)

    uit = (await api.ok(VERLENG, {"id": nat["id"]}, api.sleutels.bestuur("60001")))["verlengVoorportaaltermijn"]
    assert uit["id"] == nat["id"] and uit["termijnEinde"] == "2030-07-31" and uit["verlengd"] is True
    assert uit["afgesloten"] is False and uit["schoolbestuur"] == {"bevoegdGezagNummer": "60001"}
    # The teacher and the employer see it too.
    assert (await inschrijving(api, "Natuurkunde"))["termijnEinde"] == "2030-07-31"
    staf = (await api.ok(BESTUUR, token=api.sleutels.bestuur("60001")))["mijnSchoolbestuur"]["medewerkers"]["edges"]
    assert staf[0]["node"]["voorportaal"] == [
        {"id": nat["id"], "vak": "Natuurkunde", "termijnEinde": "2030-07-31", "verlengd": True}
    ]

    body = await api.gql(VERLENG, {"id": nat["id"]}, api.sleutels.bestuur("60001"))
    assert body["data"] is None and fouten(body, "CONFLICT"), body
    assert (await inschrijving(api, "Natuurkunde"))["termijnEinde"] == "2030-07-31"


async def test_alleen_de_eigen_huidige_werkgever_verlengt(api):
    s = api.sleutels
    await klaarzetten(api, [de_levering()])
    nat = await inschrijving(api, "Natuurkunde")
    schei = await inschrijving(api, "Scheikunde")
    # Another board, even one that employs the teacher now; a board whose appointment has ended,
    # for its own entry; the teacher; DUO.
    for token, id_ in (
        (s.bestuur("60002"), nat["id"]),
        (s.bestuur("69999"), nat["id"]),
        (s.bestuur("60003"), schei["id"]),
        (s.leraar(BSN), nat["id"]),
        (s.duo(), nat["id"]),
        (s.beroepsgroep(), nat["id"]),
    ):
        body = await api.gql(VERLENG, {"id": id_}, token)
        assert body["data"] is None and fouten(body, "FORBIDDEN"), body
    body = await api.gql(VERLENG, {"id": nat["id"]})
    assert body["data"] is None and fouten(body, "UNAUTHENTICATED"), body
    body = await api.gql(VERLENG, {"id": "987654"}, s.bestuur("60001"))
    assert body["data"] is None and fouten(body, "NOT_FOUND"), body
    na = {p["vak"]: p for p in (await ik(api))["voorportaal"]}
    assert (na["Natuurkunde"]["verlengd"], na["Natuurkunde"]["termijnEinde"]) == (False, "2028-07-31")
    assert (na["Scheikunde"]["verlengd"], na["Scheikunde"]["termijnEinde"]) == (False, "2026-07-31")


async def test_verlenging_vanaf_29_februari(api):
    async with api.op(D(2025, 6, 1)) as a:
        await klaarzetten(a, [levering(BSN, benoemingen=[benoeming("60001", vak="Biologie", begindatum="2024-02-29")])])
        bio = await inschrijving(a, "Biologie")
        assert bio["termijnEinde"] == "2026-02-28"
        uit = (await a.ok(VERLENG, {"id": bio["id"]}, a.sleutels.bestuur("60001")))["verlengVoorportaaltermijn"]
        assert uit["termijnEinde"] == "2028-02-28"


async def _waarschuwing_op(api: Any, dag: D) -> tuple[list[str], list[str]]:
    """The VOORPORTAALTERMIJN_VERLOOPT dates the teacher and the employer 60001 see on that day."""
    async with api.op(dag) as a:
        leraar = soorten((await ik(a))["waarschuwingen"])
        staf = (await a.ok(BESTUUR, token=a.sleutels.bestuur("60001")))["mijnSchoolbestuur"]["medewerkers"]["edges"]
        assert len(staf) == 1
        return leraar, soorten(staf[0]["node"]["waarschuwingen"])


async def test_waarschuwing_van_drie_maanden_voor_de_dag_na_termijneinde_tot_termijneinde(api):
    await klaarzetten(api, [de_levering()])
    # termijnEinde 2028-07-31: the day after is 2028-08-01, three months before it 2028-05-01.
    assert await _waarschuwing_op(api, D(2028, 4, 30)) == ([], [])
    assert await _waarschuwing_op(api, D(2028, 5, 1)) == (["2028-05-01"], ["2028-05-01"])
    assert await _waarschuwing_op(api, D(2028, 7, 31)) == (["2028-05-01"], ["2028-05-01"])
    assert await _waarschuwing_op(api, D(2028, 8, 1)) == ([], [])


async def test_verlenging_verschuift_de_waarschuwing(api):
    await klaarzetten(api, [de_levering()])
    nat = await inschrijving(api, "Natuurkunde")
    await api.ok(VERLENG, {"id": nat["id"]}, api.sleutels.bestuur("60001"))
    assert await _waarschuwing_op(api, D(2028, 6, 1)) == ([], [])
    assert await _waarschuwing_op(api, D(2030, 4, 30)) == ([], [])
    assert await _waarschuwing_op(api, D(2030, 5, 1)) == (["2030-05-01"], ["2030-05-01"])
    assert await _waarschuwing_op(api, D(2030, 7, 31)) == (["2030-05-01"], ["2030-05-01"])
    assert await _waarschuwing_op(api, D(2030, 8, 1)) == ([], [])


async def test_geleverde_bevoegdheid_sluit_de_inschrijving(api):
    await klaarzetten(api, [de_levering()])
    nat = await inschrijving(api, "Natuurkunde")
    assert nat["afgesloten"] is False
    await klaarzetten(api, [de_levering([WIS, NAT])])
    na = await ik(api)
    assert {b["vak"] for b in na["bevoegdheden"]} == {"Wiskunde", "Natuurkunde"}
    nat = next(p for p in na["voorportaal"] if p["id"] == nat["id"])
    assert nat["afgesloten"] is True
    # A closed entry warns nobody and cannot be extended.
    assert await _waarschuwing_op(api, D(2028, 6, 1)) == ([], [])
    body = await api.gql(VERLENG, {"id": nat["id"]}, api.sleutels.bestuur("60001"))
    assert body["data"] is None and fouten(body, "CONFLICT"), body


async def test_een_inschrijving_voor_een_vak_in_twee_schrijfwijzen(api):
    # Two appointments at one board from one day whose subjects differ only in case or accents are two
    # benoemingen but one subject (compared case- and accent-blind): one voorportaal entry. Both were
    # inserted, and the entry's unique key made the delivery an INTERNAL_SERVER_ERROR on both stores.
    [nummer] = await klaarzetten(
        api,
        [
            levering(
                BSN,
                bevoegdheden=[],
                benoemingen=[
                    benoeming("60001", vak="Frans", begindatum="2026-08-01"),
                    benoeming("60001", vak="frans", begindatum="2026-08-01"),
                    benoeming("60001", vak="Fráns", begindatum="2026-08-01"),
                ],
            )
        ],
    )
    assert nummer
    gegevens = await ik(api)
    assert [(p["vak"], p["begindatum"]) for p in gegevens["voorportaal"]] == [("Frans", "2026-08-01")]
    # The same delivery again changes nothing.
    body = await api.ok(
        """mutation($l: [Levering!]!) { zetGegevensKlaar(leveringen: $l) { ongewijzigd } }""",
        {
            "l": [
                levering(
                    BSN,
                    bevoegdheden=[],
                    benoemingen=[
                        benoeming("60001", vak="Frans", begindatum="2026-08-01"),
                        benoeming("60001", vak="frans", begindatum="2026-08-01"),
                        benoeming("60001", vak="Fráns", begindatum="2026-08-01"),
                    ],
                )
            ]
        },
        api.sleutels.duo(),
    )
    assert body["zetGegevensKlaar"]["ongewijzigd"] == 1
