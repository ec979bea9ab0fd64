"""The published SDL is the reviewed one: every visibility change shows up as a diff of tests/schema.graphql."""

from __future__ import annotations

import difflib
from pathlib import Path

from conftest import Api
from graphql import ObjectTypeDefinitionNode, ObjectTypeExtensionNode, parse

from lerarenregister import matrix

TESTS = Path(__file__).parent
SNAPSHOT = TESTS / "schema.graphql"
README = TESTS.parent / "README.md"
HERGENEREER = ".venv/bin/lerarenregister sdl > tests/schema.graphql"
RICHTLIJN = "directive @zichtbaarVoor(doelgroepen: [Doelgroep!]!) on FIELD_DEFINITION"


def _structureel(naam: str) -> bool:
    """Relay's plumbing takes its parent field's audiences and declares none of its own."""
    return naam.endswith(("Connection", "Edge")) or naam == "PageInfo"


async def _gepubliceerd(api: Api) -> str:
    assert api.client is not None
    r = await api.client.get("/schema.graphql")
    assert r.status_code == 200, r.text
    return r.text


async def test_sdl_gelijk_aan_snapshot(api: Api) -> None:
    gepubliceerd = await _gepubliceerd(api)
    vastgelegd = SNAPSHOT.read_text()
    if gepubliceerd != vastgelegd:
        verschil = "".join(
            difflib.unified_diff(
                vastgelegd.splitlines(keepends=True),
                gepubliceerd.splitlines(keepends=True),
                fromfile="tests/schema.graphql (committed)",
                tofile="GET /schema.graphql",
                n=2,
            )
        )
        raise AssertionError(
            "The schema drifted from the committed SDL. Review the change below (visibility included); "
            f"if it is intended, regenerate the snapshot with:\n    {HERGENEREER}\n\n{verschil}"
        )


async def test_sdl_declareert_zichtbaar_voor(api: Api) -> None:
    sdl = await _gepubliceerd(api)
    assert RICHTLIJN in sdl.splitlines()
    # Every audience the directive takes is a value of the published Doelgroep enum.
    document = parse(sdl)
    doelgroep = [d for d in document.definitions if getattr(d, "name", None) and d.name.value == "Doelgroep"]
    assert len(doelgroep) == 1
    waarden = {v.name.value for v in doelgroep[0].values}
    assert waarden == {
        "PUBLIEK",
        "LERAAR_ZELF",
        "WERKGEVER",
        "MET_TOESTEMMING",
        "SCHOOLBESTUUR_ZELF",
        "AANBIEDER_ZELF",
        "DUO",
        "BEROEPSGROEP",
    }


async def test_elk_veld_van_elk_domeintype_draagt_zichtbaar_voor(api: Api) -> None:
    document = parse(await _gepubliceerd(api))
    zonder: list[str] = []
    gebruikt: set[str] = set()
    typen = 0
    for d in document.definitions:
        if not isinstance(d, (ObjectTypeDefinitionNode, ObjectTypeExtensionNode)) or _structureel(d.name.value):
            continue
        typen += 1
        for veld in d.fields or ():
            richtlijnen = [r for r in veld.directives or () if r.name.value == "zichtbaarVoor"]
            if len(richtlijnen) != 1:
                zonder.append(f"{d.name.value}.{veld.name.value}")
                continue
            [arg] = richtlijnen[0].arguments
            assert arg.name.value == "doelgroepen"
            gebruikt.update(v.value for v in arg.value.values)  # type: ignore[attr-defined]
            # The declaration is echoed in the field's description, for readers of the docs.
            assert veld.description is not None and "Zichtbaar voor" in veld.description.value, (
                f"{d.name.value}.{veld.name.value}"
            )
    assert typen >= 10  # the walk did find the domain types
    assert zonder == [], f"fields without exactly one @zichtbaarVoor (visible to nobody): {zonder}"
    assert {"PUBLIEK", "LERAAR_ZELF", "WERKGEVER", "MET_TOESTEMMING", "SCHOOLBESTUUR_ZELF", "DUO"} <= gebruikt


async def test_graphiql_voor_een_browser(api: Api) -> None:
    assert api.client is not None
    r = await api.client.get("/graphql", headers={"Accept": "text/html"})
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("text/html")
    assert "graphiql" in r.text.lower()


def test_readme_matrix_is_gegenereerd() -> None:
    if not README.exists():
        raise AssertionError(
            f"{README} does not exist; it must hold the visibility matrix between {matrix.BEGIN!r} and {matrix.EINDE!r}"
        )
    tekst = README.read_text()
    if matrix.BEGIN not in tekst or matrix.EINDE not in tekst:
        raise AssertionError(
            f"README.md lacks the matrix markers {matrix.BEGIN!r} ... {matrix.EINDE!r}; "
            "add them and run `.venv/bin/lerarenregister matrix --readme README.md`"
        )
    sectie = matrix.readme_sectie(str(README))
    verwacht = matrix.matrix_markdown()
    assert sectie == verwacht, (
        "README.md's visibility matrix is stale; regenerate it with "
        "`.venv/bin/lerarenregister matrix --readme README.md`\n"
        + "".join(
            difflib.unified_diff(
                sectie.splitlines(keepends=True),
                verwacht.splitlines(keepends=True),
                fromfile="README.md",
                tofile="matrix_markdown()",
                n=1,
            )
        )
    )
