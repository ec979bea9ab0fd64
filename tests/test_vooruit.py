"""What a page loads ahead follows from its fields' declarations (schema/vooruit.py): the steps the
fields declare, with their declared audiences, read from the built schema."""

from __future__ import annotations

from lerarenregister.auth.policy import Doelgroep
from lerarenregister.resolvers.loaders import Vooruit
from lerarenregister.schema import bouw_schema
from lerarenregister.schema.vooruit import _tabel

P, Z, W, T, DUO = (
    Doelgroep.PUBLIEK,
    Doelgroep.LERAAR_ZELF,
    Doelgroep.WERKGEVER,
    Doelgroep.MET_TOESTEMMING,
    Doelgroep.DUO,
)

# What a page of teachers can load ahead, per path of fields below each teacher.
LERAREN = {
    ("bevoegdheden",): (Vooruit.BEVOEGDHEDEN, frozenset({P})),
    ("bevoegdheden", "herregistratie"): (Vooruit.HERREGISTRATIE, frozenset({Z, W})),
    ("bevoegdheden", "aantekening"): (Vooruit.HERREGISTRATIE, frozenset({Z, W})),
    ("voorportaal",): (Vooruit.VOORPORTAAL, frozenset({Z, W, DUO})),
    ("waarschuwingen",): (Vooruit.WAARSCHUWINGEN, frozenset({Z, W})),
}


def _type(naam: str) -> object:
    return bouw_schema()._schema.type_map[naam]


def test_een_pagina_leraren_laadt_wat_de_velden_declareren() -> None:
    for ouder, veld in (("Query", "zoekLeraren"), ("Schoolbestuur", "medewerkers")):
        tabel, dalen = _tabel(_type(ouder), veld)
        assert tabel == LERAREN, (ouder, veld)
        assert dalen == set(LERAREN)  # each of object type: its own fields are looked at too


def test_een_portfoliopagina_laadt_de_bevoegdheden_van_de_activiteiten() -> None:
    tabel, _ = _tabel(_type("Leraar"), "portfolio")
    assert tabel[("bevoegdheden",)] == (Vooruit.ACTIVITEIT_BEVOEGDHEDEN, frozenset({Z, T}))
    assert tabel[("bevoegdheden", "herregistratie")] == (Vooruit.HERREGISTRATIE, frozenset({Z, W}))
    assert {stap for stap, _ in tabel.values()} == {Vooruit.ACTIVITEIT_BEVOEGDHEDEN, Vooruit.HERREGISTRATIE}
