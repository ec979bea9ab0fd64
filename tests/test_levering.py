"""DUO's delivery (zetGegevensKlaar) over HTTP, on both stores, checked through DUO's own read-back.

API.md, "Deliveries" and "Errors": registernummers in input order, idempotent repeats, benoemingen
keyed by (board, vak, begindatum), bevoegdheden never removed, the voorportaal, and bad input that
writes nothing of its call.
"""

from __future__ import annotations

import asyncio
import copy
from typing import Any

from conftest import fouten
from gegevens import (
    BEVESTIG,
    KLAARZETTEN,
    benoeming,
    bsn,
    geldige_bsns,
    levering,
)

from lerarenregister.regels.bsn import elfproef
from lerarenregister.regels.registernummer import (
    EERSTE_VOLGNUMMER,
    is_geldig,
    registernummer,
)

TERUGLEZEN = """
query Teruglezen($nr: String!) {
  leraar(registernummer: $nr) {
    registernummer
    naam { voornamen tussenvoegsel achternaam weergavenaam }
    geboortedatum
    registratie { status }
    bevoegdheden { vak soort behaaldOp }
    benoemingen { schoolbestuur { bevoegdGezagNummer naam } vak begindatum einddatum }
    voorportaal { vak schoolbestuur { bevoegdGezagNummer } begindatum termijnEinde verlengd afgesloten }
  }
}"""

BULK = "query($n: [String!]!) { leraren(registernummers: $n) { registernummer naam { achternaam } } }"

ZOEK = "query($t: String!) { zoekLeraren(zoekterm: $t) { totalCount edges { node { registernummer } } } }"


async def lever(api: Any, leveringen: list[dict[str, Any]]) -> dict[str, Any]:
    """KlaarzetResultaat of a delivery that must succeed."""
    return (await api.ok(KLAARZETTEN, {"leveringen": leveringen}, api.sleutels.duo()))["zetGegevensKlaar"]


async def teruglezen(api: Any, nummer: str) -> dict[str, Any]:
    """What DUO reads back of a teacher it delivered (must be found)."""
    leraar = (await api.ok(TERUGLEZEN, {"nr": nummer}, api.sleutels.duo()))["leraar"]
    assert leraar is not None, nummer
    return leraar


def invoervelden(body: dict[str, Any]) -> list[str]:
    """extensions.field of every error; every error must be BAD_USER_INPUT and name a field."""
    assert body.get("errors"), body
    for e in body["errors"]:
        assert e.get("extensions", {}).get("code") == "BAD_USER_INPUT", e
        assert e["extensions"].get("field"), e
    return [e["extensions"]["field"] for e in body["errors"]]


def sleutel_benoeming(b: dict[str, Any]) -> tuple[str, str, str, str | None]:
    return (b["schoolbestuur"]["bevoegdGezagNummer"], b["vak"], b["begindatum"], b["einddatum"])


# --- registernummers ------------------------------------------------------------------------------


async def test_registernummers_in_invoervolgorde_geldig_en_nooit_hergebruikt(api):
    bsns = geldige_bsns(5)
    namen = ["Zwart", "Appel", "Molen", "Berg", "Kok"]
    eerste = await lever(api, [levering(b, achternaam=n, tussenvoegsel=None) for b, n in zip(bsns[:3], namen)])
    assert (eerste["nieuw"], eerste["gewijzigd"], eerste["ongewijzigd"]) == (3, 0, 0)
    nummers = eerste["registernummers"]
    assert len(nummers) == 3 == len(set(nummers))
    for nr in nummers:
        assert len(nr) == 10 and nr.isdigit() and is_geldig(nr), nr
    # Input order: each number reads back as the teacher delivered at that position.
    for nr, naam in zip(nummers, namen):
        assert (await teruglezen(api, nr))["naam"]["achternaam"] == naam

    # A mixed call: a known BSN keeps its number, the new ones get fresh numbers, still in input order.
    tweede = await lever(
        api,
        [
            levering(bsns[3], achternaam=namen[3], tussenvoegsel=None),
            levering(bsns[1], achternaam=namen[1], tussenvoegsel=None),
            levering(bsns[4], achternaam=namen[4], tussenvoegsel=None),
        ],
    )
    assert (tweede["nieuw"], tweede["gewijzigd"], tweede["ongewijzigd"]) == (2, 0, 1)
    assert tweede["registernummers"][1] == nummers[1]
    nieuw = [tweede["registernummers"][0], tweede["registernummers"][2]]
    assert all(is_geldig(nr) for nr in nieuw)
    alle = nummers + nieuw
    assert len(set(alle)) == 5, alle
    for nr, naam in zip(nieuw, (namen[3], namen[4])):
        assert (await teruglezen(api, nr))["naam"]["achternaam"] == naam


async def test_mislukte_levering_verbruikt_geen_nummer_dat_later_dubbel_uitkomt(api):
    """A rolled-back call hands out nothing; numbers given afterwards are still unique."""
    bsns = geldige_bsns(4)
    eerst = (await lever(api, [levering(bsns[0])]))["registernummers"]
    body = await api.gql(KLAARZETTEN, {"leveringen": [levering(bsns[1]), levering("123456789")]}, api.sleutels.duo())
    assert invoervelden(body) == ["leveringen[1].bsn"]
    daarna = (await lever(api, [levering(bsns[1]), levering(bsns[2]), levering(bsns[3])]))["registernummers"]
    assert len(set(eerst + daarna)) == 4


async def test_gelijktijdige_leveringen_met_een_nieuw_bestuur(api):
    # DUO's job may send its batches in parallel; batches share school boards.
    groepen = [[levering(b, benoemingen=[benoeming("70001")]) for b in geldige_bsns(10, start=k)] for k in range(4)]
    bodies = await asyncio.gather(*(api.gql(KLAARZETTEN, {"leveringen": g}, api.sleutels.duo()) for g in groepen))
    # CONTRACT: a valid delivery succeeds. resolvers/levering.py (_besturen) selects the boards, then
    # inserts the missing ones: concurrent calls that name the same new board hit the unique
    # constraint on schoolbestuur.bevoegd_gezag_nummer and all but one end in "internal error".
    assert [b.get("errors") for b in bodies] == [None] * 4, bodies
    nummers = [n for b in bodies for n in b["data"]["zetGegevensKlaar"]["registernummers"]]
    assert len(set(nummers)) == 40 and all(is_geldig(n) for n in nummers)
    staf = await api.ok("{ mijnSchoolbestuur { medewerkers { totalCount } } }", token=api.sleutels.bestuur("70001"))
    assert staf["mijnSchoolbestuur"]["medewerkers"]["totalCount"] == 40


async def test_gelijktijdige_leveringen_van_dezelfde_nieuwe_leraren(api):
    # Two parallel calls both naming the same new teachers (a batch resent while the first is still
    # running): one creates each teacher, the other finds it, and neither fails.
    for ronde in range(3):  # the calls race differently each time; any clash would show
        a, b, c = geldige_bsns(3, start=61 + ronde)
        eerste, tweede = [levering(a), levering(b)], [levering(b), levering(a), levering(c)]
        bodies = await asyncio.gather(
            *(api.gql(KLAARZETTEN, {"leveringen": g}, api.sleutels.duo()) for g in (eerste, tweede))
        )
        assert [x.get("errors") for x in bodies] == [None, None], bodies
        uit = [x["data"]["zetGegevensKlaar"] for x in bodies]
        per_bsn = [dict(zip([lv["bsn"] for lv in g], u["registernummers"])) for g, u in zip((eerste, tweede), uit)]
        for bsn_ in per_bsn[0]:
            assert per_bsn[0][bsn_] == per_bsn[1][bsn_], (ronde, per_bsn)  # one teacher, one number
        nieuw = len(set(per_bsn[0]) | set(per_bsn[1]))
        assert sum(u["nieuw"] for u in uit) == nieuw, (ronde, uit)
        assert sum(u["ongewijzigd"] for u in uit) == len(eerste) + len(tweede) - nieuw, (ronde, uit)


# --- idempotence and changes ----------------------------------------------------------------------


async def test_herhaalde_ongewijzigde_levering_telt_ongewijzigd(api):
    b = bsn(1)
    lev = levering(b, benoemingen=[benoeming("10001"), benoeming("10002", vak="Natuurkunde")])
    eerste = await lever(api, [lev])
    voor = await teruglezen(api, eerste["registernummers"][0])
    for _ in range(2):
        herhaal = await lever(api, [copy.deepcopy(lev)])
        assert (herhaal["nieuw"], herhaal["gewijzigd"], herhaal["ongewijzigd"]) == (0, 0, 1)
        assert herhaal["registernummers"] == eerste["registernummers"]
    # The same state listed in another order is the same delivery.
    omgekeerd = copy.deepcopy(lev)
    omgekeerd["benoemingen"].reverse()
    omgekeerd["bevoegdheden"] = [
        {"vak": "Natuurkunde", "soort": "EERSTEGRAADS", "behaaldOp": "2012-06-30"},
        *omgekeerd["bevoegdheden"],
    ]
    await lever(api, [copy.deepcopy(omgekeerd)])
    omgekeerd["bevoegdheden"].reverse()
    herhaal = await lever(api, [omgekeerd])
    assert (herhaal["nieuw"], herhaal["gewijzigd"], herhaal["ongewijzigd"]) == (0, 0, 1)
    terug = await teruglezen(api, eerste["registernummers"][0])
    assert terug["benoemingen"] == voor["benoemingen"] and len(terug["bevoegdheden"]) == 2


async def test_gewijzigde_naam_en_benoeming_tellen_gewijzigd_en_zijn_terug_te_lezen(api):
    b1, b2 = geldige_bsns(2)
    nrs = (
        await lever(
            api, [levering(b1, benoemingen=[benoeming("10001")]), levering(b2, achternaam="Bakker", tussenvoegsel=None)]
        )
    )["registernummers"]

    naam = await lever(
        api,
        [
            levering(b1, achternaam="Jansen", tussenvoegsel=None, voornamen="Anna", benoemingen=[benoeming("10001")]),
            levering(b2, achternaam="Bakker", tussenvoegsel=None),
        ],
    )
    assert (naam["nieuw"], naam["gewijzigd"], naam["ongewijzigd"]) == (0, 1, 1)
    terug = await teruglezen(api, nrs[0])
    assert terug["naam"] == {
        "voornamen": "Anna",
        "tussenvoegsel": None,
        "achternaam": "Jansen",
        "weergavenaam": "A. Jansen",
    }

    einde = await lever(
        api,
        [
            levering(
                b1,
                achternaam="Jansen",
                tussenvoegsel=None,
                voornamen="Anna",
                benoemingen=[benoeming("10001", einddatum="2027-07-31")],
            )
        ],
    )
    assert (einde["nieuw"], einde["gewijzigd"], einde["ongewijzigd"]) == (0, 1, 0)
    terug = await teruglezen(api, nrs[0])
    # Same key (board, vak, begindatum): the appointment is updated, not doubled.
    assert [sleutel_benoeming(x) for x in terug["benoemingen"]] == [("10001", "Wiskunde", "2020-08-01", "2027-07-31")]

    geboren = await lever(api, [levering(b2, achternaam="Bakker", tussenvoegsel=None, geboortedatum="1990-01-02")])
    assert (geboren["gewijzigd"], geboren["ongewijzigd"]) == (1, 0)
    assert (await teruglezen(api, nrs[1]))["geboortedatum"] == "1990-01-02"


# --- bad input ------------------------------------------------------------------------------------


def _vijf() -> list[dict[str, Any]]:
    return [
        levering(b, achternaam=f"Goed{i}", tussenvoegsel=None, benoemingen=[benoeming("20001")])
        for i, b in enumerate(geldige_bsns(5, start=3))
    ]


def _bsn_elfproef(ls):  # type: ignore[no-untyped-def]
    assert not elfproef("123456789")
    ls[3]["bsn"] = "123456789"


def _bsn_twee_keer(ls):  # type: ignore[no-untyped-def]
    ls[3]["bsn"] = ls[1]["bsn"]


def _bsn_te_kort(ls):  # type: ignore[no-untyped-def]
    ls[3]["bsn"] = ls[3]["bsn"][:8]


def _geboortedatum_toekomst(ls):  # type: ignore[no-untyped-def]
    ls[3]["geboortedatum"] = "2026-11-29"  # the register's today is 2026-11-28
    ls[3]["bevoegdheden"] = []  # else behaaldOp before geboortedatum is a second, rightful error


def _achternaam_leeg(ls):  # type: ignore[no-untyped-def]
    ls[3]["achternaam"] = ""


def _achternaam_spaties(ls):  # type: ignore[no-untyped-def]
    ls[3]["achternaam"] = "   "


def _einddatum_voor_begindatum(ls):  # type: ignore[no-untyped-def]
    ls[3]["benoemingen"] = [benoeming("20001", begindatum="2024-08-01", einddatum="2024-07-31")]


def _enum_ongeldig(ls):  # type: ignore[no-untyped-def]
    ls[3]["bevoegdheden"][0]["soort"] = "DERDEGRAADS"


def _datum_misvormd(ls):  # type: ignore[no-untyped-def]
    ls[3]["geboortedatum"] = "1985-02-30"


def _behaald_op_misvormd(ls):  # type: ignore[no-untyped-def]
    ls[3]["bevoegdheden"][0]["behaaldOp"] = "30-06-2010"


ONGELDIG = [
    (_bsn_elfproef, {"leveringen[3].bsn"}),
    (_bsn_twee_keer, {"leveringen[3].bsn", "leveringen[1].bsn"}),
    (_bsn_te_kort, {"leveringen[3].bsn"}),
    (_geboortedatum_toekomst, {"leveringen[3].geboortedatum"}),
    (_achternaam_leeg, {"leveringen[3].achternaam"}),
    (_achternaam_spaties, {"leveringen[3].achternaam"}),
    (_einddatum_voor_begindatum, {"leveringen[3].benoemingen[0].einddatum", "leveringen[3].benoemingen[0].begindatum"}),
    (_enum_ongeldig, {"leveringen[3].bevoegdheden[0].soort"}),
    (_datum_misvormd, {"leveringen[3].geboortedatum"}),
    (_behaald_op_misvormd, {"leveringen[3].bevoegdheden[0].behaaldOp"}),
]


async def test_ongeldige_invoer_noemt_het_veld_en_schrijft_niets(api):
    # A teacher already in the register, changed in each failing call: the change must not stick.
    bestaand = geldige_bsns(1, start=9)[0]
    nr = (await lever(api, [levering(bestaand, achternaam="Eerder", tussenvoegsel=None)]))["registernummers"][0]
    voor = await teruglezen(api, nr)

    for bederf, toegestaan in ONGELDIG:
        leveringen = _vijf()
        leveringen[0] = levering(bestaand, achternaam="Later", tussenvoegsel=None, benoemingen=[benoeming("20001")])
        bederf(leveringen)
        body = await api.gql(KLAARZETTEN, {"leveringen": leveringen}, api.sleutels.duo())
        assert body.get("data") is None or body["data"].get("zetGegevensKlaar") is None, (bederf.__name__, body)
        velden = invoervelden(body)
        assert len(velden) == 1 and set(velden) <= toegestaan, (bederf.__name__, velden)
        assert "123456789" not in str(body) and leveringen[3]["bsn"] not in str(body)  # a BSN is never echoed

        # Nothing of the call was written: the known teacher reads back unchanged, board 20001 is unknown.
        assert await teruglezen(api, nr) == voor, bederf.__name__
        bestuur = await api.gql("{ mijnSchoolbestuur { naam } }", token=api.sleutels.bestuur("20001"))
        assert fouten(bestuur, "NOT_FOUND"), (bederf.__name__, bestuur)

    # DUO reads back nobody but the known teacher among the numbers the counter could have handed out...
    kandidaten = [registernummer(EERSTE_VOLGNUMMER + i) for i in range(40)]
    gelezen = (await api.ok(BULK, {"n": kandidaten}, api.sleutels.duo()))["leraren"]
    assert [x["registernummer"] for x in gelezen if x] == [nr]
    # ...and the valid deliveries of those calls are new when delivered on their own.
    goed = [lev for i, lev in enumerate(_vijf()) if i in (1, 2, 4)]
    opnieuw = await lever(api, goed)
    assert (opnieuw["nieuw"], opnieuw["gewijzigd"], opnieuw["ongewijzigd"]) == (len(goed), 0, 0)


async def test_een_fout_per_ongeldig_veld(api):
    leveringen = _vijf()
    leveringen[0]["bsn"] = "123456789"
    leveringen[2]["achternaam"] = ""
    leveringen[2]["geboortedatum"] = "2030-01-01"
    leveringen[2]["bevoegdheden"] = []
    leveringen[4]["benoemingen"] = [benoeming("20001", begindatum="2024-08-01", einddatum="2023-01-01")]
    body = await api.gql(KLAARZETTEN, {"leveringen": leveringen}, api.sleutels.duo())
    velden = invoervelden(body)
    assert len(velden) == len(set(velden)) == 4, velden
    assert set(velden) - {"leveringen[4].benoemingen[0].einddatum", "leveringen[4].benoemingen[0].begindatum"} == {
        "leveringen[0].bsn",
        "leveringen[2].achternaam",
        "leveringen[2].geboortedatum",
    }
    opnieuw = await lever(api, _vijf())
    assert opnieuw["nieuw"] == 5


async def test_meerdere_coerciefouten_elk_hun_eigen_veld(api):
    leveringen = _vijf()
    leveringen[1]["bevoegdheden"][0]["soort"] = "HBO"
    leveringen[4]["geboortedatum"] = "gisteren"
    body = await api.gql(KLAARZETTEN, {"leveringen": leveringen}, api.sleutels.duo())
    assert sorted(invoervelden(body)) == ["leveringen[1].bevoegdheden[0].soort", "leveringen[4].geboortedatum"]


async def test_ontbrekend_verplicht_veld_noemt_dat_veld(api):
    leveringen = _vijf()
    del leveringen[3]["achternaam"]
    body = await api.gql(KLAARZETTEN, {"leveringen": leveringen}, api.sleutels.duo())
    # CONTRACT: extensions.field is a path into the input naming the invalid field; for a required
    # field that is missing graphql-core reports the enclosing object, and schema/fouten.py passes
    # on only "leveringen[3]".
    assert invoervelden(body) == ["leveringen[3].achternaam"]


LETTERLIJK = (
    'mutation { zetGegevensKlaar(leveringen: [{bsn: "111222333", voornamen: "A", achternaam: "B", '
    'geboortedatum: "1980-01-01", bevoegdheden: [], benoemingen: []}, {@TWEEDE@}]) { nieuw } }'
)
TWEEDE = (
    'bsn: "111222345", voornamen: "C", achternaam: "D", geboortedatum: "1981-02-02", bevoegdheden: [], benoemingen: []'
)


async def test_ongeldige_letterlijke_invoer_noemt_het_veld(api):
    # Input written into the document itself (not as variables) is rejected by graphql-core while
    # validating; the error still names the field at fault, in the same notation as for variables.
    gevallen = [
        (TWEEDE.replace('"1981-02-02"', "19810202"), "leveringen[1].geboortedatum"),  # wrong type
        (TWEEDE.replace('achternaam: "D", ', ""), "leveringen[1].achternaam"),  # missing
        (TWEEDE + ', hobby: "zeilen"', "leveringen[1].hobby"),  # unknown
        (
            TWEEDE.replace(
                "bevoegdheden: []", 'bevoegdheden: [{vak: "Wiskunde", soort: HBO, behaaldOp: "2010-06-30"}]'
            ),
            "leveringen[1].bevoegdheden[0].soort",
        ),  # no such enum value
    ]
    for tweede, veld in gevallen:
        body = await api.gql(LETTERLIJK.replace("@TWEEDE@", tweede), token=api.sleutels.duo())
        assert body.get("data") is None, body
        assert invoervelden(body) == [veld], (tweede, body)
    body = await api.gql('{ zoekLeraren(zoekterm: "Jansen", first: "tien") { totalCount } }')
    assert invoervelden(body) == ["first"], body
    body = await api.gql("{ zoekLeraren { totalCount } }")  # a required argument left out
    assert invoervelden(body) == ["zoekterm"], body


async def test_alleen_duo_levert(api):
    lev = [levering(bsn(1))]
    anoniem = await api.gql(KLAARZETTEN, {"leveringen": lev})
    assert fouten(anoniem, "UNAUTHENTICATED"), anoniem
    for token in (api.sleutels.leraar(bsn(1)), api.sleutels.bestuur("10001"), api.sleutels.beroepsgroep()):
        body = await api.gql(KLAARZETTEN, {"leveringen": lev}, token)
        assert fouten(body, "FORBIDDEN"), body
    assert (await lever(api, lev))["nieuw"] == 1  # none of the refused calls wrote the teacher


# --- benoemingen and bevoegdheden -----------------------------------------------------------------


async def test_weggelaten_benoeming_wordt_verwijderd(api):
    b = bsn(2)
    drie = [
        benoeming("10001"),
        benoeming("10002", begindatum="2022-08-01"),
        benoeming("10001", begindatum="2024-08-01"),
    ]
    nr = (await lever(api, [levering(b, benoemingen=drie)]))["registernummers"][0]
    assert len((await teruglezen(api, nr))["benoemingen"]) == 3

    # Key (board, vak, begindatum): dropping the 2024 one at 10001 keeps the 2020 one at 10001.
    uitkomst = await lever(api, [levering(b, benoemingen=drie[:2])])
    assert uitkomst["gewijzigd"] == 1
    terug = await teruglezen(api, nr)
    assert sorted(sleutel_benoeming(x) for x in terug["benoemingen"]) == [
        ("10001", "Wiskunde", "2020-08-01", None),
        ("10002", "Wiskunde", "2022-08-01", None),
    ]

    # A new begindatum is another appointment: the old key goes, the new one comes.
    await lever(api, [levering(b, benoemingen=[benoeming("10001"), benoeming("10002", begindatum="2023-01-01")])])
    terug = await teruglezen(api, nr)
    assert sorted(sleutel_benoeming(x) for x in terug["benoemingen"]) == [
        ("10001", "Wiskunde", "2020-08-01", None),
        ("10002", "Wiskunde", "2023-01-01", None),
    ]

    # benoemingen may be empty: the teacher then has none.
    leeg = await lever(api, [levering(b, benoemingen=[])])
    assert leeg["gewijzigd"] == 1
    assert (await teruglezen(api, nr))["benoemingen"] == []


async def test_bevoegdheden_worden_nooit_verwijderd(api):
    b = bsn(3)
    twee = [
        {"vak": "Wiskunde", "soort": "TWEEDEGRAADS", "behaaldOp": "2010-06-30"},
        {"vak": "Natuurkunde", "soort": "EERSTEGRAADS", "behaaldOp": "2015-06-30"},
    ]
    nr = (await lever(api, [levering(b, bevoegdheden=twee)]))["registernummers"][0]
    await lever(api, [levering(b, bevoegdheden=twee[:1])])
    await lever(api, [levering(b, bevoegdheden=[])])
    terug = await teruglezen(api, nr)
    assert sorted((x["vak"], x["soort"]) for x in terug["bevoegdheden"]) == [
        ("Natuurkunde", "EERSTEGRAADS"),
        ("Wiskunde", "TWEEDEGRAADS"),
    ]

    # Keyed by (vak, soort): the same vak at another soort is another bevoegdheid.
    await lever(
        api, [levering(b, bevoegdheden=[{"vak": "Wiskunde", "soort": "EERSTEGRAADS", "behaaldOp": "2018-06-30"}])]
    )
    terug = await teruglezen(api, nr)
    assert sorted((x["vak"], x["soort"]) for x in terug["bevoegdheden"]) == [
        ("Natuurkunde", "EERSTEGRAADS"),
        ("Wiskunde", "EERSTEGRAADS"),
        ("Wiskunde", "TWEEDEGRAADS"),
    ]


# --- the voorportaal ------------------------------------------------------------------------------


async def test_benoeming_zonder_bevoegdheid_opent_voorportaal_tot_twee_jaar_min_een_dag(api):
    b = bsn(4)
    bevoegd = [
        {"vak": "Wiskunde", "soort": "EERSTEGRAADS", "behaaldOp": "2010-06-30"},
        {"vak": "Économie", "soort": "PDG", "behaaldOp": "2012-06-30"},
    ]
    benoemingen = [
        # Matching bevoegdheid: vak compared trimmed, case- and accent-blind, any soort.
        benoeming("10001", vak="  wiskunde "),
        benoeming("10001", vak="ECONOMIE", begindatum="2021-08-01"),
        # No matching bevoegdheid: voorportaal from the appointment's begindatum.
        benoeming("10001", vak="Natuurkunde", begindatum="2026-08-01"),
        benoeming("10002", vak="Scheikunde", begindatum="2024-02-29"),
    ]
    nr = (await lever(api, [levering(b, bevoegdheden=bevoegd, benoemingen=benoemingen)]))["registernummers"][0]
    terug = await teruglezen(api, nr)
    vp = sorted(
        (
            p["vak"],
            p["schoolbestuur"]["bevoegdGezagNummer"],
            p["begindatum"],
            p["termijnEinde"],
            p["verlengd"],
            p["afgesloten"],
        )
        for p in terug["voorportaal"]
    )
    assert vp == [
        ("Natuurkunde", "10001", "2026-08-01", "2028-07-31", False, False),
        # The second anniversary of 29 February is 1 March, so the term ends on 28 February.
        ("Scheikunde", "10002", "2024-02-29", "2026-02-28", False, False),
    ]


async def test_later_geleverde_bevoegdheid_sluit_het_voorportaal(api):
    b = bsn(5)
    ben = [benoeming("10001", vak="Natuurkunde", begindatum="2025-08-01")]
    nr = (await lever(api, [levering(b, benoemingen=ben)]))["registernummers"][0]
    [open_] = (await teruglezen(api, nr))["voorportaal"]
    assert open_["afgesloten"] is False and open_["termijnEinde"] == "2027-07-31"

    met = [
        {"vak": "Wiskunde", "soort": "TWEEDEGRAADS", "behaaldOp": "2010-06-30"},
        {"vak": " natuurkunde", "soort": "PDG", "behaaldOp": "2026-07-01"},
    ]
    uitkomst = await lever(api, [levering(b, bevoegdheden=met, benoemingen=ben)])
    assert uitkomst["gewijzigd"] == 1
    terug = await teruglezen(api, nr)
    assert [(p["vak"], p["begindatum"], p["afgesloten"]) for p in terug["voorportaal"]] == [
        ("Natuurkunde", "2025-08-01", True)
    ]
    assert (await lever(api, [levering(b, bevoegdheden=met, benoemingen=ben)]))["ongewijzigd"] == 1


async def test_leraar_zonder_bevoegdheid_staat_alleen_in_het_voorportaal(api):
    b = bsn(6)
    nr = (
        await lever(
            api,
            [
                levering(
                    b,
                    achternaam="Starter",
                    tussenvoegsel=None,
                    bevoegdheden=[],
                    benoemingen=[benoeming("10001", begindatum="2026-08-01")],
                )
            ],
        )
    )["registernummers"][0]
    terug = await teruglezen(api, nr)
    assert terug["bevoegdheden"] == [] and terug["registratie"] == {"status": "KLAARGEZET"}
    assert [(p["vak"], p["termijnEinde"], p["afgesloten"]) for p in terug["voorportaal"]] == [
        ("Wiskunde", "2028-07-31", False)
    ]

    # Confirming needs a bevoegdheid of one's own: there is none to choose.
    token = api.sleutels.leraar(b)
    ik = (await api.ok("{ ik { registernummer bevoegdheden { id } } }", token=token))["ik"]
    assert ik == {"registernummer": nr, "bevoegdheden": []}
    for ids in ([], ["1"], ["999999"]):
        body = await api.gql(BEVESTIG, {"ids": ids}, token)
        assert fouten(body, "BAD_USER_INPUT"), body
    assert (await teruglezen(api, nr))["registratie"] == {"status": "KLAARGEZET"}

    # Not in the public register: not found by name or number, and `leraar` is null without an error.
    for term in ("Starter", nr):
        assert (await api.ok(ZOEK, {"t": term}))["zoekLeraren"]["totalCount"] == 0
    publiek = await api.gql(TERUGLEZEN.replace("geboortedatum", ""), {"nr": nr})
    assert publiek == {"data": {"leraar": None}}


async def test_duizend_leraren_in_een_levering(api):
    bsns = geldige_bsns(1000)
    leveringen = [
        levering(b, achternaam=f"Leraar{i:04d}", tussenvoegsel=None, benoemingen=[benoeming(f"3{i % 7:04d}")])
        for i, b in enumerate(bsns)
    ]
    eerste = await lever(api, leveringen)
    assert (eerste["nieuw"], eerste["gewijzigd"], eerste["ongewijzigd"]) == (1000, 0, 0)
    nummers = eerste["registernummers"]
    assert len(set(nummers)) == 1000 and all(is_geldig(n) for n in nummers)
    assert (await teruglezen(api, nummers[999]))["naam"]["achternaam"] == "Leraar0999"

    leveringen[500]["achternaam"] = "Anders"
    tweede = await lever(api, leveringen)
    assert (tweede["nieuw"], tweede["gewijzigd"], tweede["ongewijzigd"]) == (0, 1, 999)
    assert tweede["registernummers"] == nummers


async def test_lange_namen_passen_in_hun_afgeleide_kolommen(api):
    # 100 given names of one letter (199 characters) make 100 initials; 'ß' folds to 'ss' in the search
    # key. Both lie within the delivery's limits and must be stored, with as many whole initials as fit.
    b = bsn(62)
    [nummer] = (
        await lever(api, [levering(b, voornamen=" ".join(["a"] * 100), achternaam="ß" * 200, tussenvoegsel=None)])
    )["registernummers"]
    data = await api.ok(
        "query($n: [String!]!) { leraren(registernummers: $n) { naam { voorletters achternaam } } }",
        {"n": [nummer]},
        api.sleutels.duo(),
    )
    assert data["leraren"] == [{"naam": {"voorletters": "A." * 30, "achternaam": "ß" * 200}}]


async def test_benoeming_zo_ver_vooruit_dat_het_voorportaal_niet_te_volgen_is(api):
    # Appointment dates may lie in the future (API.md), but an appointment without a bevoegdheid opens
    # a voorportaal term of two years (four with the extension) whose end the register must be able to
    # write: a begindatum in 9999 was an INTERNAL_SERVER_ERROR (year 10001 is out of range).
    ver = levering(bsn(63), bevoegdheden=[], benoemingen=[benoeming("80001", "Frans", "9999-12-31")])
    body = await api.gql(KLAARZETTEN, {"leveringen": [ver]}, api.sleutels.duo())
    assert invoervelden(body) == ["leveringen[0].benoemingen[0].begindatum"], body
    # An open end of 9999-12-31, as registers often write it, is no problem.
    open_einde = levering(
        bsn(64), bevoegdheden=[], benoemingen=[benoeming("80001", "Frans", "2026-01-01", "9999-12-31")]
    )
    assert (await lever(api, [open_einde]))["nieuw"] == 1


async def test_vakken_die_langer_vouwen_dan_hun_sleutel(api):
    # 'ß' folds to 'ss': a subject of 100 characters makes a key of 200 for a column of 100. PostgreSQL's
    # insert cut it, so a second delivery no longer found the bevoegdheid and inserted it again, and two
    # subjects alike in their first 100 folded characters collided: an INTERNAL_SERVER_ERROR each.
    lang = {"vak": "ß" * 100, "soort": "PO", "behaaldOp": "2010-06-30"}
    b = bsn(65)
    assert (await lever(api, [levering(b, bevoegdheden=[lang])]))["nieuw"] == 1
    assert (await lever(api, [levering(b, bevoegdheden=[lang])]))["ongewijzigd"] == 1
    twee = [{**lang, "vak": "ß" * 50 + "a"}, {**lang, "vak": "ß" * 50 + "b"}]
    body = await api.gql(KLAARZETTEN, {"leveringen": [levering(bsn(66), bevoegdheden=twee)]}, api.sleutels.duo())
    assert invoervelden(body) == ["leveringen[0].bevoegdheden[1].vak"], body


def test_vak_sleutel_past_in_zijn_kolommen():
    from lerarenregister.models import Bevoegdheid, Voorportaalinschrijving
    from lerarenregister.regels.naam import VAK_SLEUTEL_MAX

    for model in (Bevoegdheid, Voorportaalinschrijving):
        assert model.__table__.c.vak_sleutel.type.length == VAK_SLEUTEL_MAX, model
