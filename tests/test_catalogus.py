"""The catalogue over HTTP on both stores: providers publish and withdraw their own activities under
the validation rules, the public searches them (paged, accent- and case-blind, word prefixes, by
titel), and portfolio entries that name one take its hours and area and keep it when withdrawn."""

from __future__ import annotations

from typing import Any

from conftest import fouten
from gegevens import bevestig, bsn, klaarzetten, levering

PUBLICEER = """mutation($i: CatalogusActiviteitInvoer!) { publiceerActiviteit(invoer: $i) {
  id titel omschrijving soort contacturen zelfstudieuren uren gebied toetsing ingetrokken aanbieder { code naam } } }"""
TREK_IN = "mutation($id: ID!) { trekActiviteitIn(id: $id) { id ingetrokken } }"
ZOEK = """query($t: String, $first: Int, $after: String) {
  zoekActiviteiten(zoekterm: $t, first: $first, after: $after) {
    totalCount pageInfo { hasNextPage endCursor } edges { node { id titel ingetrokken } } } }"""
VOEG_TOE = """mutation($i: ActiviteitInvoer!) {
  voegActiviteitToe(invoer: $i) { id titel uren gebied bron bewerkbaar } }"""
PORTFOLIO = """{ ik { portfolio { totalCount edges { node { id titel uren gebied bron } } }
  bevoegdheden { herregistratie { behaaldeUren } } } }"""


def activiteit(
    titel: str = "Cursus didactiek",
    contacturen: float = 8,
    zelfstudieuren: float = 4,
    toetsing: bool = False,
    gebied: str = "VAKDIDACTISCH",
    soort: str = "CURSUS",
    omschrijving: str | None = None,
) -> dict[str, Any]:
    return {
        "titel": titel,
        "omschrijving": omschrijving,
        "soort": soort,
        "contacturen": contacturen,
        "zelfstudieuren": zelfstudieuren,
        "gebied": gebied,
        "toetsing": toetsing,
    }


async def publiceer(api: Any, invoer: dict[str, Any], code: str = "NSO", naam: str | None = "Nascholing Oost") -> dict:
    return (await api.ok(PUBLICEER, {"i": invoer}, api.sleutels.aanbieder(code, naam)))["publiceerActiviteit"]


async def zoek(api: Any, term: str | None, first: int = 20, after: str | None = None) -> dict:
    return (await api.ok(ZOEK, {"t": term, "first": first, "after": after}))["zoekActiviteiten"]


def titels(conn: dict) -> list[str]:
    return [e["node"]["titel"] for e in conn["edges"]]


async def test_aanbieder_publiceert_uren_zijn_contact_plus_zelfstudie(api):
    act = await publiceer(api, activiteit("Didactiek van de wiskunde", 8, 4, omschrijving="Twee dagen in Zwolle"))
    assert act["uren"] == 12.0 and act["contacturen"] == 8.0 and act["zelfstudieuren"] == 4.0
    assert act["titel"] == "Didactiek van de wiskunde" and act["omschrijving"] == "Twee dagen in Zwolle"
    assert act["soort"] == "CURSUS" and act["gebied"] == "VAKDIDACTISCH"
    assert act["toetsing"] is False and act["ingetrokken"] is False
    assert act["aanbieder"] == {"code": "NSO", "naam": "Nascholing Oost"}
    # The public finds it, with the same figures.
    gevonden = await zoek(api, "didactiek")
    assert [e["node"]["id"] for e in gevonden["edges"]] == [act["id"]]


async def test_meer_zelfstudie_dan_contact_vraagt_toetsing(api):
    body = await api.gql(
        PUBLICEER, {"i": activiteit("Zelfstudie pedagogiek", 4, 10, toetsing=False)}, api.sleutels.aanbieder("NSO")
    )
    assert body["data"] is None
    assert [e["extensions"].get("field") for e in fouten(body, "BAD_USER_INPUT")] == ["toetsing"]
    assert (await zoek(api, None))["totalCount"] == 0, "a rejected activity must not be written"
    # With a test it is accepted; equal self-study and contact hours need none.
    met_toets = await publiceer(api, activiteit("Zelfstudie pedagogiek", 4, 10, toetsing=True))
    assert met_toets["toetsing"] is True and met_toets["uren"] == 14.0
    gelijk = await publiceer(api, activiteit("Gelijk verdeeld", 5, 5, toetsing=False))
    assert gelijk["uren"] == 10.0
    assert (await zoek(api, None))["totalCount"] == 2


async def test_lege_titel_is_ongeldig(api):
    for titel in ("", "   "):
        body = await api.gql(PUBLICEER, {"i": activiteit(titel)}, api.sleutels.aanbieder("NSO"))
        assert [e["extensions"].get("field") for e in fouten(body, "BAD_USER_INPUT")] == ["titel"], body
    assert (await zoek(api, None))["totalCount"] == 0


async def test_alleen_een_aanbieder_publiceert(api):
    s = api.sleutels
    for token in (s.leraar(bsn(1)), s.bestuur("10001"), s.duo(), s.beroepsgroep()):
        body = await api.gql(PUBLICEER, {"i": activiteit()}, token)
        assert body["data"] is None
        assert fouten(body, "FORBIDDEN"), body
    body = await api.gql(PUBLICEER, {"i": activiteit()})
    assert body["data"] is None
    assert fouten(body, "UNAUTHENTICATED"), body
    assert (await zoek(api, None))["totalCount"] == 0


async def test_intrekken_alleen_eigen_activiteit(api):
    s = api.sleutels
    eigen = await publiceer(api, activiteit("Klassenmanagement"), code="NSO")
    ander = await publiceer(api, activiteit("Rekendidactiek"), code="CPS", naam="CPS")

    body = await api.gql(TREK_IN, {"id": ander["id"]}, s.aanbieder("NSO"))
    assert body["data"] is None and fouten(body, "FORBIDDEN"), body
    body = await api.gql(TREK_IN, {"id": "987654"}, s.aanbieder("NSO"))
    assert body["data"] is None and fouten(body, "NOT_FOUND"), body
    for token in (s.leraar(bsn(1)), s.bestuur("10001"), s.duo(), s.beroepsgroep()):
        body = await api.gql(TREK_IN, {"id": eigen["id"]}, token)
        assert body["data"] is None and fouten(body, "FORBIDDEN"), body
    assert fouten(await api.gql(TREK_IN, {"id": eigen["id"]}), "UNAUTHENTICATED")

    ingetrokken = (await api.ok(TREK_IN, {"id": eigen["id"]}, s.aanbieder("NSO")))["trekActiviteitIn"]
    assert ingetrokken == {"id": eigen["id"], "ingetrokken": True}
    body = await api.gql(TREK_IN, {"id": eigen["id"]}, s.aanbieder("NSO"))
    assert body["data"] is None and fouten(body, "CONFLICT"), body
    # The other provider's activity is untouched by the refused attempt.
    assert titels(await zoek(api, None)) == ["Rekendidactiek"]


async def test_zoeken_woordprefixen_accent_en_hoofdletterblind_op_titel(api):
    for titel in (
        "Één dag didactiek",
        "Differentiëren in de klas",
        "Klassenmanagement",
        "Didactische vaardigheden",
        "Ouderbetrokkenheid",
    ):
        await publiceer(api, activiteit(titel))

    assert titels(await zoek(api, "didac")) == ["Didactische vaardigheden", "Één dag didactiek"]
    # Every word must be a prefix of some word of the title, in any order, blind to case and accents.
    assert titels(await zoek(api, "EEN DIDAC")) == ["Één dag didactiek"]
    assert titels(await zoek(api, "didac  één")) == ["Één dag didactiek"]
    assert titels(await zoek(api, "differentieren")) == ["Differentiëren in de klas"]
    assert titels(await zoek(api, "Klas")) == ["Differentiëren in de klas", "Klassenmanagement"]
    # Not a prefix of a word, and every word must match.
    assert titels(await zoek(api, "actiek")) == []
    assert titels(await zoek(api, "didac klas")) == []
    # LIKE's wildcards in the term are plain characters.
    assert titels(await zoek(api, "d_g")) == []
    assert titels(await zoek(api, "%ag")) == []
    # No term: every activity, ordered by titel as a reader sorts it ("Één" under E, not after Z).
    alle = await zoek(api, None)
    assert alle["totalCount"] == 5
    assert titels(alle) == [
        "Didactische vaardigheden",
        "Differentiëren in de klas",
        "Één dag didactiek",
        "Klassenmanagement",
        "Ouderbetrokkenheid",
    ]
    assert titels(await zoek(api, "   ")) == titels(alle)


async def test_leestekens_scheiden_woorden_van_de_titel(api):
    # CONTRACT: "each word of the term is a prefix of some word of the title": in "Rekenen (basis)" and
    # "Taal/lezen" the words are basis and lezen; brackets and slashes are not letters of a word.
    for titel in ("Rekenen (basis)", "Taal/lezen", "Conferentie: passend onderwijs"):
        await publiceer(api, activiteit(titel))
    assert titels(await zoek(api, "passend")) == ["Conferentie: passend onderwijs"]
    assert titels(await zoek(api, "conferentie")) == ["Conferentie: passend onderwijs"]
    assert titels(await zoek(api, "basis")) == ["Rekenen (basis)"]
    assert titels(await zoek(api, "lezen")) == ["Taal/lezen"]


async def test_zoeken_in_paginas(api):
    namen = [f"Studiedag {c}" for c in "ABCDE"]
    for titel in reversed(namen):
        await publiceer(api, activiteit(titel, soort="STUDIEDAG"))
    gezien: list[str] = []
    after = None
    paginas = 0
    while True:
        pagina = await zoek(api, "studiedag", first=2, after=after)
        assert pagina["totalCount"] == 5
        gezien += titels(pagina)
        paginas += 1
        if not pagina["pageInfo"]["hasNextPage"]:
            break
        after = pagina["pageInfo"]["endCursor"]
    assert paginas == 3 and gezien == namen


async def _geregistreerde_leraar(api: Any, n: int) -> tuple[str, str]:
    """(token, bevoegdheid id) of a confirmed teacher."""
    await klaarzetten(api, [levering(bsn(n))])
    ik = await bevestig(api, bsn(n))
    return api.sleutels.leraar(bsn(n)), ik["bevoegdheden"][0]["id"]


async def test_portfolio_neemt_uren_en_gebied_van_catalogus_en_houdt_ingetrokken_activiteit(api):
    act = await publiceer(api, activiteit("Vakinhoud algebra", 10, 6, gebied="VAKINHOUDELIJK"))
    token, bev = await _geregistreerde_leraar(api, 21)

    # The teacher's own hours and area are overruled by the catalogue's.
    invoer = {
        "titel": "Algebra bij NSO",
        "datum": "2026-11-28",
        "uren": 1,
        "gebied": "OVERIG",
        "bevoegdheden": [bev],
        "catalogusActiviteit": act["id"],
    }
    entry = (await api.ok(VOEG_TOE, {"i": invoer}, token))["voegActiviteitToe"]
    assert entry["uren"] == 16.0 and entry["gebied"] == "VAKINHOUDELIJK"
    assert entry["bron"] == "CATALOGUS" and entry["bewerkbaar"] is True
    eigen = (await api.ok(VOEG_TOE, {"i": {**invoer, "titel": "Eigen leeswerk", "catalogusActiviteit": None}}, token))[
        "voegActiviteitToe"
    ]
    assert eigen["uren"] == 1.0 and eigen["gebied"] == "OVERIG" and eigen["bron"] == "EIGEN"

    await api.ok(TREK_IN, {"id": act["id"]}, api.sleutels.aanbieder("NSO"))
    assert (await zoek(api, "algebra"))["totalCount"] == 0
    assert (await zoek(api, None))["totalCount"] == 0

    ik = (await api.ok(PORTFOLIO, token=token))["ik"]
    bewaard = {e["node"]["id"]: e["node"] for e in ik["portfolio"]["edges"]}
    assert bewaard[entry["id"]] == {
        "id": entry["id"],
        "titel": "Algebra bij NSO",
        "uren": 16.0,
        "gebied": "VAKINHOUDELIJK",
        "bron": "CATALOGUS",
    }
    assert ik["bevoegdheden"][0]["herregistratie"]["behaaldeUren"] == 17.0


async def test_lange_titel_wordt_gepubliceerd_en_gevonden(api):
    # A title may have 300 characters; its search key is stored in 200 (and 'ﬃ' folds to 'ffi'):
    # PostgreSQL refused the longer key, an INTERNAL_SERVER_ERROR.
    for titel in ("Didactiek " + "a" * 280, "ﬃ" * 300):
        act = await publiceer(api, activiteit(titel=titel))
        assert act["titel"] == titel
    assert titels(await zoek(api, "didactiek")) == ["Didactiek " + "a" * 280]
    assert titels(await zoek(api, "ffiffi")) == ["ﬃ" * 300]
