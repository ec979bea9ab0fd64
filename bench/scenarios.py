"""The documents every server in the bench answers, and how their answers are compared.

The raw peer recognises these exact document texts (it has no GraphQL parser: it is the stack's
limit), so the harness sends them byte for byte as written here.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

NAAM = "naam { voorletters tussenvoegsel achternaam weergavenaam }"
BEVOEGDHEID = "bevoegdheden { id vak soort voorHerregistratie }"

ZOEK = (
    "query Zoek($zoekterm: String!) { zoekLeraren(zoekterm: $zoekterm, first: 20) { totalCount "
    f"edges {{ node {{ registernummer {NAAM} {BEVOEGDHEID} }} }} }} }}"
)

# The same search as a text the server has not registered (a GraphQL comment differs), so that
# the compiled statement does not answer it: a plan made at first use does (schema/plannen.py), the
# path any other short query takes.
ZOEK_UITVOERDER = ZOEK + " # not registered"

LERAAR = (
    "query Leraar($registernummer: String!) { leraar(registernummer: $registernummer) { "
    f"registernummer {NAAM} {BEVOEGDHEID} }} }}"
)

# The board page and the teacher's portfolio page are trusted documents (issue 12): the harness sends
# them by documentId, to ours and to the raw peer alike (which knows them by that id too).
TRUSTED = Path(__file__).resolve().parent.parent / "lerarenregister" / "documenten"
BESTUUR = (TRUSTED / "bestuur_personeel.graphql").read_text(encoding="utf-8").strip()
IK = (TRUSTED / "leraar_portfolio.graphql").read_text(encoding="utf-8").strip()


def document_id(tekst: str) -> str:
    """As lerarenregister/schema/vertrouwd.py names a trusted document."""
    return "sha256:" + hashlib.sha256(tekst.encode("utf-8")).hexdigest()


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
        "bevoegdheden": [
            [str(b["rowId"]), b["vak"], b["soort"], b["voorHerregistratie"]] for b in node["bevoegdheden"]["nodes"]
        ],
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
