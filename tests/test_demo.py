"""The demo data the first README command loads: through the register's own operations, every kind
of warning a dashboard shows, and loaded once only."""

from __future__ import annotations

from lerarenregister.demo import BESTUREN, laad_demodata

BESTUUR = """{ mijnSchoolbestuur { medewerkers(first: 100) { totalCount edges { node {
  registratie { status } waarschuwingen { soort } } } } } }"""


async def test_demodata_toont_elke_waarschuwing_en_laadt_een_keer(api):
    await laad_demodata(api.settings)
    soorten: set[str] = set()
    statussen: set[str] = set()
    totaal = 0
    for bestuur in BESTUREN:
        data = await api.ok(BESTUUR, token=api.sleutels.bestuur(bestuur.nummer))
        medewerkers = data["mijnSchoolbestuur"]["medewerkers"]
        totaal += medewerkers["totalCount"]
        for edge in medewerkers["edges"]:
            statussen.add(edge["node"]["registratie"]["status"])
            soorten.update(w["soort"] for w in edge["node"]["waarschuwingen"])
    assert totaal >= 250  # a few hundred teachers, some with two employers
    assert statussen == {"KLAARGEZET", "GEREGISTREERD"}
    assert {
        "ACHTER_OP_SCHEMA",
        "REGISTRATIE_NIET_BEVESTIGD",
        "VOORPORTAALTERMIJN_VERLOOPT",
        "AANTEKENING",
        "HERREGISTRATIE_ZES_MAANDEN",
        "HERREGISTRATIE_TWAALF_WEKEN",
    } <= soorten, soorten
    zoek = await api.ok('{ zoekLeraren(zoekterm: "vries") { totalCount } }')
    assert zoek["zoekLeraren"]["totalCount"] >= 1

    eerst = await api.ok(BESTUUR, token=api.sleutels.bestuur(BESTUREN[0].nummer))
    await laad_demodata(api.settings)  # a register with teachers is left alone
    daarna = await api.ok(BESTUUR, token=api.sleutels.bestuur(BESTUREN[0].nummer))
    assert daarna == eerst
