"""Objections per party (API.md, "Visible changes only"; README, Rules): a pending objection blocks
another of the same party only, and a board sees the objections its own board filed only."""

from __future__ import annotations

from typing import Any

from conftest import Api, fouten
from test_zichtbaarheid import A, C, bouw_gegevens

DIEN_IN = "mutation($a: ID!, $m: String!) { dienBezwaarIn(aantekening: $a, motivering: $m) { id ingediendDoor } }"
BEZWAREN = """query($nr: String!) { leraar(registernummer: $nr) { bevoegdheden { vak aantekening { id
  bezwaren { ingediendDoor motivering status } } } } }"""


async def _bezwaren(api: Api, nummer: str, token: str) -> list[list[dict[str, Any]]]:
    data = await api.ok(BEZWAREN, {"nr": nummer}, token)
    return [b["aantekening"]["bezwaren"] for b in data["leraar"]["bevoegdheden"] if b["aantekening"]]


async def test_per_partij_een_lopend_bezwaar(api: Api) -> None:
    g = await bouw_gegevens(api)  # the teacher has objected to each aantekening already ("Ziek geweest")
    s = api.sleutels
    ik = (await api.ok("{ ik { bevoegdheden { aantekening { id } } } }", token=s.leraar(g.bsn)))["ik"]
    aantekening = ik["bevoegdheden"][0]["aantekening"]["id"]
    # The teacher's pending objection does not block the employer's, nor one board's another's.
    for bestuur in (A, C):
        data = await api.ok(
            DIEN_IN, {"a": aantekening, "m": f"Bestuur {bestuur}: begeleiding liep"}, s.bestuur(bestuur)
        )
        assert data["dienBezwaarIn"]["ingediendDoor"] == "SCHOOLBESTUUR"
    # The same party again is a conflict, teacher and board alike.
    for token in (s.bestuur(A), s.leraar(g.bsn)):
        body = await api.gql(DIEN_IN, {"a": aantekening, "m": "Nogmaals"}, token)
        assert body["data"] is None and fouten(body, "CONFLICT"), body


async def test_bestuur_ziet_alleen_eigen_bezwaren(api: Api) -> None:
    g = await bouw_gegevens(api)
    s = api.sleutels
    ik = (await api.ok("{ ik { bevoegdheden { aantekening { id } } } }", token=s.leraar(g.bsn)))["ik"]
    aantekening = ik["bevoegdheden"][0]["aantekening"]["id"]
    await api.ok(DIEN_IN, {"a": aantekening, "m": "Van bestuur A"}, s.bestuur(A))
    await api.ok(DIEN_IN, {"a": aantekening, "m": "Van bestuur C"}, s.bestuur(C))

    per_a = await _bezwaren(api, g.nummer, s.bestuur(A))
    assert [[b["motivering"] for b in lijst] for lijst in per_a] == [["Van bestuur A"], []]
    per_c = await _bezwaren(api, g.nummer, s.bestuur(C))
    assert [[b["motivering"] for b in lijst] for lijst in per_c] == [["Van bestuur C"], []]
    # The teacher sees every objection about its own aantekeningen; the beroepsgroep every one.
    per_leraar = await _bezwaren(api, g.nummer, s.leraar(g.bsn))
    assert sorted(b["motivering"] for b in per_leraar[0]) == ["Van bestuur A", "Van bestuur C", "Ziek geweest"]
    alle = await api.ok("{ bezwaren { edges { node { motivering } } } }", token=s.beroepsgroep())
    assert {e["node"]["motivering"] for e in alle["bezwaren"]["edges"]} >= {
        "Van bestuur A",
        "Van bestuur C",
        "Ziek geweest",
    }
