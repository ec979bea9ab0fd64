"""The documents every server in the bench answers, and how their answers are compared.

The raw peer recognises these exact document texts (it has no GraphQL parser: it is the stack's
limit), so the harness sends them byte for byte as written here.
"""
from __future__ import annotations

from typing import Any

NAAM = "naam { voorletters tussenvoegsel achternaam weergavenaam }"
BEVOEGDHEID = "bevoegdheden { id vak soort voorHerregistratie }"

ZOEK = (
    "query Zoek($zoekterm: String!) { zoekLeraren(zoekterm: $zoekterm, first: 20) { totalCount "
    f"edges {{ node {{ registernummer {NAAM} {BEVOEGDHEID} }} }} }} }}"
)

# The same search as a text the server has not registered (a GraphQL comment differs), so that
# graphql-core's executor answers it field by field: the path any other document takes.
ZOEK_UITVOERDER = ZOEK + " # not registered"

LERAAR = (
    "query Leraar($registernummer: String!) { leraar(registernummer: $registernummer) { "
    f"registernummer {NAAM} {BEVOEGDHEID} }} }}"
)

BESTUUR = (
    "query Medewerkers($first: Int!) { mijnSchoolbestuur { bevoegdGezagNummer naam "
    "medewerkers(first: $first) { totalCount pageInfo { hasNextPage endCursor } edges { node { "
    "registernummer naam { weergavenaam } registratie { status geregistreerdOp } "
    "waarschuwingen { soort datum bericht bevoegdheid { id } } "
    "bevoegdheden { id vak soort voorHerregistratie herregistratie { periodeStart periodeEinde status } "
    "aantekening { geplaatstOp gevolg } } "
    "voorportaal { vak termijnEinde verlengd afgesloten } } } } } }"
)

IK = (
    "query Ik { ik { registernummer naam { voorletters tussenvoegsel achternaam weergavenaam voornamen } "
    "geboortedatum registratie { status geregistreerdOp } portfolioOpenbaar "
    "bevoegdheden { id vak soort voorHerregistratie behaaldOp "
    "herregistratie { periodeStart periodeEinde status behaaldeUren vereisteUren } "
    "aantekening { geplaatstOp gevolg } } "
    "benoemingen { id vak begindatum einddatum schoolbestuur { bevoegdGezagNummer naam } } "
    "voorportaal { id vak begindatum termijnEinde verlengd afgesloten schoolbestuur { bevoegdGezagNummer naam } } "
    "waarschuwingen { soort datum bericht } "
    "portfolio(first: 40) { totalCount pageInfo { hasNextPage endCursor } "
    "edges { cursor node { id titel datum uren gebied bron bewerkbaar bevoegdheden { id vak } } } } } }"
)

LEVERING = """mutation Klaarzetten($leveringen: [Levering!]!) {
  zetGegevensKlaar(leveringen: $leveringen) { nieuw gewijzigd ongewijzigd }
}"""

BEOORDELING = """mutation Beoordeel($peildatum: Date!) {
  beoordeelHerregistraties(peildatum: $peildatum) { beoordeeld voldaan nietVoldaan }
}"""

# PostGraphile v5 over the same tables: the search and the public lookup through SQL functions
# (bench/postgraphile/functies.sql); weergavenaam is a computed column; children through the
# foreign key, ordered as ours.
PG_NAAM = "voorletters tussenvoegsel achternaam weergavenaam"
PG_BEVOEGDHEID = "bevoegdheden(orderBy: [VAK_ASC, SOORT_ASC]) { nodes { rowId vak soort voorHerregistratie } }"
PG_ZOEK = (
    "query Zoek($zoekterm: String!) { zoekLeraren(term: $zoekterm, first: 20, "
    "orderBy: [SORTEERNAAM_ASC, REGISTERNUMMER_ASC]) { totalCount "
    f"nodes {{ registernummer {PG_NAAM} {PG_BEVOEGDHEID} }} }} }}"
)
PG_LERAAR = (
    "query Leraar($registernummer: String!) { openbareLeraar(nummer: $registernummer) { "
    f"registernummer {PG_NAAM} {PG_BEVOEGDHEID} }} }}"
)


# --- normalising answers so that different shapes of the same data compare equal ----------------


def _leraar_ons(node: dict[str, Any] | None) -> Any:
    if node is None:
        return None
    naam = node["naam"]
    return {
        "registernummer": node["registernummer"],
        "naam": [naam["voorletters"], naam["tussenvoegsel"], naam["achternaam"], naam["weergavenaam"]],
        "bevoegdheden": [[str(b["id"]), b["vak"], b["soort"], b["voorHerregistratie"]] for b in node["bevoegdheden"]],
    }


def _leraar_pg(node: dict[str, Any] | None) -> Any:
    if node is None:
        return None
    return {
        "registernummer": node["registernummer"],
        "naam": [node["voorletters"], node["tussenvoegsel"], node["achternaam"], node["weergavenaam"]],
        "bevoegdheden": [[str(b["rowId"]), b["vak"], b["soort"], b["voorHerregistratie"]]
                         for b in node["bevoegdheden"]["nodes"]],
    }


def genormaliseerd(scenario: str, antwoord: dict[str, Any], postgraphile: bool = False) -> Any:
    """The data of an answer in one shape, whichever server gave it; errors make it unequal."""
    if antwoord.get("errors"):
        return {"errors": antwoord["errors"]}
    data = antwoord["data"]
    if scenario == "zoek":
        if postgraphile:
            c = data["zoekLeraren"]
            return {"totaal": c["totalCount"], "leraren": [_leraar_pg(n) for n in c["nodes"]]}
        c = data["zoekLeraren"]
        return {"totaal": c["totalCount"], "leraren": [_leraar_ons(e["node"]) for e in c["edges"]]}
    if scenario == "leraar":
        return _leraar_pg(data["openbareLeraar"]) if postgraphile else _leraar_ons(data["leraar"])
    return data
