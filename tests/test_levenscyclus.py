"""The whole four-year cycle over HTTP, moving the register's today between server starts:
confirm, fall behind, get warned (teacher and employer), be assessed, get an aantekening, object and
have it withdrawn, or lift it with new hours. On both stores."""

from __future__ import annotations

import datetime as dt

from conftest import fouten
from gegevens import benoeming, bevestig, bsn, klaarzetten, levering

D = dt.date
WAARSCHUWINGEN_IK = "{ ik { waarschuwingen { soort datum bevoegdheid { vak } } } }"
WAARSCHUWINGEN_BESTUUR = """{ mijnSchoolbestuur { medewerkers { edges { node { registernummer
  waarschuwingen { soort datum } } } } } }"""
BEVOEGDHEID_STAND = """{ ik { bevoegdheden { id vak herregistratie { periodeStart periodeEinde status behaaldeUren }
  aantekening { id status gevolg geplaatstOp opgehevenOp }
  aantekeningen { id status opgehevenOp bezwaren { status ingediendDoor } }
  herregistraties { periodeStart periodeEinde status } } } }"""
ACTIVITEIT = """mutation($i: ActiviteitInvoer!) { voegActiviteitToe(invoer: $i) { id } }"""
BEOORDEEL = """mutation($p: Date!) { beoordeelHerregistraties(peildatum: $p) { beoordeeld voldaan nietVoldaan } }"""


async def _activiteit(api, token, bevoegdheid_id, datum, uren, gebied="VAKINHOUDELIJK"):
    await api.ok(
        ACTIVITEIT,
        {
            "i": {
                "titel": "Cursus vakdidactiek",
                "datum": datum,
                "uren": uren,
                "gebied": gebied,
                "bevoegdheden": [bevoegdheid_id],
            }
        },
        token,
    )


def _soorten(waarschuwingen):
    return {(w["soort"], w["datum"]) for w in waarschuwingen}


async def _bestuur_ziet(api, nummer, registernummer):
    data = await api.ok(WAARSCHUWINGEN_BESTUUR, token=api.sleutels.bestuur(nummer))
    for edge in data["mijnSchoolbestuur"]["medewerkers"]["edges"]:
        if edge["node"]["registernummer"] == registernummer:
            return _soorten(edge["node"]["waarschuwingen"])
    raise AssertionError("teacher not among the board's staff")


async def test_cyclus_met_bezwaar_en_opheffing(api):
    s = api.sleutels
    t_bsn, u_bsn = bsn(11), bsn(12)
    start = api.op(D(2023, 1, 10))
    async with start:
        nummers = await klaarzetten(
            start,
            [
                levering(t_bsn, achternaam="Bakker", tussenvoegsel=None, benoemingen=[benoeming("20001")]),
                levering(u_bsn, achternaam="Smit", tussenvoegsel=None, benoemingen=[benoeming("20001")]),
            ],
        )
        t_ik = await bevestig(start, t_bsn)
        u_ik = await bevestig(start, u_bsn)
    t_bev, u_bev = t_ik["bevoegdheden"][0]["id"], u_ik["bevoegdheden"][0]["id"]
    t_nr = nummers[0]

    async with api.op(D(2023, 7, 1)) as a:
        await _activiteit(a, s.leraar(t_bsn), t_bev, "2023-06-01", 20)
        stand = (await a.ok(BEVOEGDHEID_STAND, token=s.leraar(t_bsn)))["ik"]["bevoegdheden"][0]["herregistratie"]
        assert stand == {
            "periodeStart": "2023-01-10",
            "periodeEinde": "2027-01-09",
            "status": "OP_SCHEMA",
            "behaaldeUren": 20.0,
        }

    # Behind the pro-rata pace: warned, and so is the employer.
    async with api.op(D(2025, 6, 1)) as a:
        ik = (await a.ok(WAARSCHUWINGEN_IK, token=s.leraar(t_bsn)))["ik"]
        assert ("ACHTER_OP_SCHEMA", "2025-06-01") in _soorten(ik["waarschuwingen"])
        assert ("ACHTER_OP_SCHEMA", "2025-06-01") in await _bestuur_ziet(a, "20001", t_nr)

    async with api.op(D(2026, 8, 1)) as a:
        ik = (await a.ok(WAARSCHUWINGEN_IK, token=s.leraar(t_bsn)))["ik"]
        assert ("HERREGISTRATIE_ZES_MAANDEN", "2026-07-10") in _soorten(ik["waarschuwingen"])
    async with api.op(D(2026, 11, 1)) as a:
        ik = (await a.ok(WAARSCHUWINGEN_IK, token=s.leraar(t_bsn)))["ik"]
        soorten = _soorten(ik["waarschuwingen"])
        assert ("HERREGISTRATIE_TWAALF_WEKEN", "2026-10-18") in soorten
        assert not any(w[0] == "HERREGISTRATIE_ZES_MAANDEN" for w in soorten)

    # The assessment: both fall short; an aantekening each; idempotent.
    async with api.op(D(2027, 2, 1)) as a:
        uit = (await a.ok(BEOORDEEL, {"p": "2027-02-01"}, s.beroepsgroep()))["beoordeelHerregistraties"]
        assert uit == {"beoordeeld": 2, "voldaan": 0, "nietVoldaan": 2}
        opnieuw = (await a.ok(BEOORDEEL, {"p": "2027-02-01"}, s.beroepsgroep()))["beoordeelHerregistraties"]
        assert opnieuw == {"beoordeeld": 0, "voldaan": 0, "nietVoldaan": 0}
        bev = (await a.ok(BEVOEGDHEID_STAND, token=s.leraar(t_bsn)))["ik"]["bevoegdheden"][0]
        assert bev["aantekening"]["status"] == "STAAT" and bev["aantekening"]["gevolg"] == "GEEN"
        assert bev["aantekening"]["geplaatstOp"] == "2027-02-01"
        assert [h["status"] for h in bev["herregistraties"]][1] == "NIET_VOLDAAN"
        assert bev["herregistratie"]["periodeStart"] == "2027-01-10"
        assert ("AANTEKENING", "2027-02-01") in await _bestuur_ziet(a, "20001", t_nr)
        t_aantekening = bev["aantekening"]["id"]
        # The public sees no aantekening.
        body = await a.gql(
            "query($r: String!) { leraar(registernummer: $r) { bevoegdheden { aantekening { id } } } }", {"r": t_nr}
        )
        assert body["data"]["leraar"]["bevoegdheden"][0]["aantekening"] is None
        assert fouten(body, "FORBIDDEN")

    # The employer objects within six weeks; the beroepsgroep upholds it: withdrawn.
    async with api.op(D(2027, 3, 1)) as a:
        data = await a.ok(
            'mutation($a: ID!) { dienBezwaarIn(aantekening: $a, motivering: "Ziekteverlof") '
            "{ id status ingediendDoor } }",
            {"a": t_aantekening},
            s.bestuur("20001"),
        )
        bezwaar = data["dienBezwaarIn"]
        assert bezwaar["status"] == "INGEDIEND" and bezwaar["ingediendDoor"] == "SCHOOLBESTUUR"
        lijst = await a.ok(
            "{ bezwaren(status: INGEDIEND) { totalCount edges { node { id registernummer } } } }",
            token=s.beroepsgroep(),
        )
        assert lijst["bezwaren"]["totalCount"] == 1
        assert lijst["bezwaren"]["edges"][0]["node"]["registernummer"] == t_nr
        await a.ok(
            "mutation($b: ID!) { behandelBezwaar(bezwaar: $b, uitspraak: GEGROND) { status } }",
            {"b": bezwaar["id"]},
            s.beroepsgroep(),
        )
        bev = (await a.ok(BEVOEGDHEID_STAND, token=s.leraar(t_bsn)))["ik"]["bevoegdheden"][0]
        assert bev["aantekening"] is None
        assert bev["aantekeningen"][0]["status"] == "INGETROKKEN"
        assert bev["aantekeningen"][0]["bezwaren"] == [{"status": "GEGROND", "ingediendDoor": "SCHOOLBESTUUR"}]

    # The other teacher objects too late, then lifts the aantekening with new hours.
    async with api.op(D(2027, 9, 1)) as a:
        bev = (await a.ok(BEVOEGDHEID_STAND, token=s.leraar(u_bsn)))["ik"]["bevoegdheden"][0]
        assert bev["aantekening"]["gevolg"] == "ALLEEN_ONDER_BEGELEIDING"
        body = await a.gql(
            'mutation($a: ID!) { dienBezwaarIn(aantekening: $a, motivering: "Te laat") { id } }',
            {"a": bev["aantekening"]["id"]},
            s.leraar(u_bsn),
        )
        assert fouten(body, "CONFLICT"), body
        await _activiteit(a, s.leraar(u_bsn), u_bev, "2027-08-15", 160)
        bev = (await a.ok(BEVOEGDHEID_STAND, token=s.leraar(u_bsn)))["ik"]["bevoegdheden"][0]
        assert bev["aantekening"] is None
        assert bev["aantekeningen"][0]["status"] == "OPGEHEVEN"
        assert bev["aantekeningen"][0]["opgehevenOp"] == "2027-08-15"
