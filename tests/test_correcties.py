"""Corrections over HTTP on both stores: a teacher corrects personal data (omitted fields stay,
`tussenvoegsel: null` clears it), a later DUO delivery keeps a correction while DUO's value stays the
same and replaces it when DUO's value changes; teachers report wrong appointments and bevoegdheden,
DUO lists the open reports and its next delivery for that teacher closes them."""

from __future__ import annotations

from typing import Any

from conftest import fouten
from gegevens import benoeming, bevestig, bsn, klaarzetten, levering

NAAM_VELDEN = "naam { voornamen voorletters tussenvoegsel achternaam weergavenaam }"
NAAM = "{ ik { " + NAAM_VELDEN + " } }"
CORRIGEER = "mutation($i: CorrectieInvoer!) { corrigeerPersoonsgegevens(invoer: $i) { " + NAAM_VELDEN + " } }"
KLAARZETTEN = """mutation($l: [Levering!]!) { zetGegevensKlaar(leveringen: $l) { nieuw gewijzigd ongewijzigd } }"""
ZOEK = "query($t: String!) { zoekLeraren(zoekterm: $t) { edges { node { registernummer } } } }"
MELD = """mutation($b: ID, $v: ID, $t: String!) { meldFout(benoeming: $b, bevoegdheid: $v, toelichting: $t) {
  id onderwerp toelichting gemeldOp leraar { registernummer } } }"""
FOUTMELDINGEN = """{ foutmeldingen { totalCount edges { node { id onderwerp toelichting gemeldOp
  leraar { registernummer } } } } }"""
IK_IDS = "{ ik { registernummer benoemingen { id } bevoegdheden { id } } }"


def naam(voornamen: str, voorletters: str, tussenvoegsel: str | None, achternaam: str, weergave: str) -> dict:
    return {
        "voornamen": voornamen,
        "voorletters": voorletters,
        "tussenvoegsel": tussenvoegsel,
        "achternaam": achternaam,
        "weergavenaam": weergave,
    }


async def mijn_naam(api: Any, token: str) -> dict:
    return (await api.ok(NAAM, token=token))["ik"]["naam"]


async def corrigeer(api: Any, token: str, invoer: dict) -> dict:
    return (await api.ok(CORRIGEER, {"i": invoer}, token))["corrigeerPersoonsgegevens"]["naam"]


async def test_weggelaten_velden_blijven_en_null_wist_tussenvoegsel(api):
    await klaarzetten(api, [levering(bsn(41), achternaam="Vries", tussenvoegsel="de", voornamen="Anna Maria")])
    token = api.sleutels.leraar(bsn(41))
    assert await mijn_naam(api, token) == naam("Anna Maria", "A.M.", "de", "Vries", "A.M. de Vries")

    assert await corrigeer(api, token, {"achternaam": "Vries-Bakker"}) == naam(
        "Anna Maria", "A.M.", "de", "Vries-Bakker", "A.M. de Vries-Bakker"
    )
    assert await corrigeer(api, token, {"voornamen": "Anne  Marie Louise"}) == naam(
        "Anne Marie Louise", "A.M.L.", "de", "Vries-Bakker", "A.M.L. de Vries-Bakker"
    )
    assert await corrigeer(api, token, {"tussenvoegsel": None}) == naam(
        "Anne Marie Louise", "A.M.L.", None, "Vries-Bakker", "A.M.L. Vries-Bakker"
    )
    assert await corrigeer(api, token, {}) == naam(
        "Anne Marie Louise", "A.M.L.", None, "Vries-Bakker", "A.M.L. Vries-Bakker"
    )
    assert await mijn_naam(api, token) == naam(
        "Anne Marie Louise", "A.M.L.", None, "Vries-Bakker", "A.M.L. Vries-Bakker"
    )


async def test_lege_verplichte_naam_is_ongeldig_en_schrijft_niets(api):
    await klaarzetten(api, [levering(bsn(42))])
    token = api.sleutels.leraar(bsn(42))
    voor = await mijn_naam(api, token)
    for invoer, velden in (
        ({"achternaam": ""}, ["achternaam"]),
        ({"achternaam": "   "}, ["achternaam"]),
        ({"achternaam": None}, ["achternaam"]),
        ({"voornamen": "", "achternaam": " ", "tussenvoegsel": "van"}, ["voornamen", "achternaam"]),
    ):
        body = await api.gql(CORRIGEER, {"i": invoer}, token)
        assert body["data"] is None, body
        assert sorted(e["extensions"].get("field") for e in fouten(body, "BAD_USER_INPUT")) == sorted(velden), body
    assert await mijn_naam(api, token) == voor


async def test_correctie_is_vindbaar_in_het_openbare_register(api):
    await klaarzetten(api, [levering(bsn(43), achternaam="Vries", tussenvoegsel="de")])
    ik = await bevestig(api, bsn(43))
    token = api.sleutels.leraar(bsn(43))
    await corrigeer(api, token, {"achternaam": "Müller", "tussenvoegsel": None})
    treffers = (await api.ok(ZOEK, {"t": "muller"}))["zoekLeraren"]["edges"]
    assert [e["node"]["registernummer"] for e in treffers] == [ik["registernummer"]]
    assert (await api.ok(ZOEK, {"t": "de Vries"}))["zoekLeraren"]["edges"] == []


async def test_latere_levering_houdt_correctie_bij_zelfde_oude_waarde_en_vervangt_bij_nieuwe(api):
    s = api.sleutels
    oud = levering(bsn(44), achternaam="Vries", tussenvoegsel="de", voornamen="Anna Maria")
    await klaarzetten(api, [oud])
    token = s.leraar(bsn(44))
    await corrigeer(api, token, {"achternaam": "Bakker", "tussenvoegsel": None})

    # DUO delivers what it delivered before: the corrections stand.
    uit = (await api.ok(KLAARZETTEN, {"l": [oud]}, s.duo()))["zetGegevensKlaar"]
    assert uit == {"nieuw": 0, "gewijzigd": 0, "ongewijzigd": 1}
    assert await mijn_naam(api, token) == naam("Anna Maria", "A.M.", None, "Bakker", "A.M. Bakker")

    # A new achternaam from DUO replaces that correction; the tussenvoegsel's correction still stands
    # because DUO still delivers the old one.
    await klaarzetten(api, [{**oud, "achternaam": "Jansen"}])
    assert await mijn_naam(api, token) == naam("Anna Maria", "A.M.", None, "Jansen", "A.M. Jansen")

    # And a new tussenvoegsel replaces the cleared one.
    await klaarzetten(api, [{**oud, "achternaam": "Jansen", "tussenvoegsel": "van"}])
    assert await mijn_naam(api, token) == naam("Anna Maria", "A.M.", "van", "Jansen", "A.M. van Jansen")


async def _twee_leraren(api: Any) -> tuple[dict, dict, list[dict]]:
    leveringen = [
        levering(bsn(45), achternaam="Aalders", tussenvoegsel=None, benoemingen=[benoeming("50001")]),
        levering(bsn(46), achternaam="Boer", tussenvoegsel="de", benoemingen=[benoeming("50002")]),
    ]
    await klaarzetten(api, leveringen)
    a = (await api.ok(IK_IDS, token=api.sleutels.leraar(bsn(45))))["ik"]
    b = (await api.ok(IK_IDS, token=api.sleutels.leraar(bsn(46))))["ik"]
    return a, b, leveringen


async def _open(api: Any) -> dict:
    return (await api.ok(FOUTMELDINGEN, token=api.sleutels.duo()))["foutmeldingen"]


async def test_meld_fout_over_eigen_benoeming_en_bevoegdheid(api):
    s = api.sleutels
    a, b, _ = await _twee_leraren(api)
    ta = s.leraar(bsn(45))

    m1 = (await api.ok(MELD, {"b": a["benoemingen"][0]["id"], "t": "Ik werk hier sinds 2019, niet 2020"}, ta))[
        "meldFout"
    ]
    assert m1["toelichting"] == "Ik werk hier sinds 2019, niet 2020"
    assert m1["gemeldOp"] == "2026-11-28" and m1["leraar"] == {"registernummer": a["registernummer"]}
    assert m1["onderwerp"].strip()
    m2 = (await api.ok(MELD, {"v": a["bevoegdheden"][0]["id"], "t": "Het is eerstegraads"}, ta))["meldFout"]
    assert m2["id"] != m1["id"]

    # Another teacher's rows: FORBIDDEN; unknown ids: NOT_FOUND; nothing is written.
    for variabelen, code in (
        ({"b": b["benoemingen"][0]["id"]}, "FORBIDDEN"),
        ({"v": b["bevoegdheden"][0]["id"]}, "FORBIDDEN"),
        ({"b": "987654"}, "NOT_FOUND"),
        ({"v": "987654"}, "NOT_FOUND"),
    ):
        body = await api.gql(MELD, {**variabelen, "t": "Klopt niet"}, ta)
        assert body["data"] is None and fouten(body, code), (variabelen, body)
    # Only a teacher reports.
    for token in (s.duo(), s.bestuur("50001"), s.beroepsgroep()):
        body = await api.gql(MELD, {"b": a["benoemingen"][0]["id"], "t": "Klopt niet"}, token)
        assert body["data"] is None and fouten(body, "FORBIDDEN"), body

    open_ = await _open(api)
    assert open_["totalCount"] == 2
    assert {e["node"]["id"] for e in open_["edges"]} == {m1["id"], m2["id"]}
    assert all(e["node"]["leraar"]["registernummer"] == a["registernummer"] for e in open_["edges"])


async def test_alleen_duo_ziet_open_meldingen(api):
    s = api.sleutels
    a, _, _ = await _twee_leraren(api)
    await api.ok(MELD, {"b": a["benoemingen"][0]["id"], "t": "Verkeerde school"}, s.leraar(bsn(45)))
    for token in (s.leraar(bsn(45)), s.bestuur("50001"), s.beroepsgroep(), s.aanbieder("NSO")):
        body = await api.gql(FOUTMELDINGEN, token=token)
        assert body["data"]["foutmeldingen"] is None
        assert fouten(body, "FORBIDDEN"), body
    body = await api.gql(FOUTMELDINGEN)
    assert body["data"]["foutmeldingen"] is None and fouten(body, "UNAUTHENTICATED"), body
    assert (await _open(api))["totalCount"] == 1


async def test_volgende_levering_voor_die_leraar_sluit_de_meldingen(api):
    s = api.sleutels
    a, b, leveringen = await _twee_leraren(api)
    await api.ok(MELD, {"b": a["benoemingen"][0]["id"], "t": "Begon in 2019"}, s.leraar(bsn(45)))
    await api.ok(MELD, {"v": a["bevoegdheden"][0]["id"], "t": "Eerstegraads"}, s.leraar(bsn(45)))
    mb = (await api.ok(MELD, {"b": b["benoemingen"][0]["id"], "t": "Ben vertrokken"}, s.leraar(bsn(46))))["meldFout"]
    assert (await _open(api))["totalCount"] == 3

    # DUO's next delivery for teacher A answers A's reports; B's stay open.
    await klaarzetten(api, [{**leveringen[0], "benoemingen": [benoeming("50001", begindatum="2019-08-01")]}])
    open_ = await _open(api)
    assert open_["totalCount"] == 1
    assert [e["node"]["id"] for e in open_["edges"]] == [mb["id"]]

    await klaarzetten(api, [{**leveringen[1], "benoemingen": []}])
    assert (await _open(api))["totalCount"] == 0


async def test_lange_namen_passen_in_hun_afgeleide_kolommen(api):
    # Within the input limits a name can derive more than its columns hold: 61 given names make 61
    # initials, 'ß' capitalises to 'SS', 'ﬃ' decomposes to 'ffi' (PostgreSQL refused the excess: an
    # INTERNAL_SERVER_ERROR). The initials that fit are kept whole; the name is still found.
    b = bsn(60)
    [nummer] = await klaarzetten(api, [levering(b)])
    await bevestig(api, b)
    voornamen, achternaam = " ".join(["ß"] * 61), "ﬃ" * 200
    data = await api.ok(CORRIGEER, {"i": {"voornamen": voornamen, "achternaam": achternaam}}, api.sleutels.leraar(b))
    assert data["corrigeerPersoonsgegevens"]["naam"]["voorletters"] == "SS." * 20
    assert data["corrigeerPersoonsgegevens"]["naam"]["voornamen"] == voornamen
    gevonden = (await api.ok(ZOEK, {"t": "ffiffi"}))["zoekLeraren"]["edges"]
    assert [e["node"]["registernummer"] for e in gevonden] == [nummer]


async def test_mislukte_afronding_houdt_niets(api, monkeypatch):
    """A mutation that succeeded, whose data version's bump then fails (any failure after the
    operation, before the commit), is an internal error that keeps nothing of the mutation: the
    commit in http/graphql.py's `finally` is not reached with the write still standing."""
    from lerarenregister.http import graphql as graphql_http

    a, _, _ = await _twee_leraren(api)
    ta = api.sleutels.leraar(bsn(45))

    async def faalt(_verzoek: Any) -> None:
        raise RuntimeError("the bump failed")

    monkeypatch.setattr(graphql_http, "verhoog_dataversie", faalt)
    r = await api.post(MELD, {"b": a["benoemingen"][0]["id"], "t": "Ik werk hier sinds 2019"}, ta)
    assert r.status_code == 500 and r.json()["errors"][0]["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
    monkeypatch.undo()
    assert (await _open(api))["totalCount"] == 0  # the report was not kept
