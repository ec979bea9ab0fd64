"""GraphiQL for a browser's GET /graphql, from the package's own assets: no CDN, no internet.

The assets are GraphiQL's and React's browser builds, vendored gzip-compressed in
lerarenregister/graphiql/assets/ (tools/graphiql/vendor.py, `make graphiql`; versions and hashes in
lerarenregister/graphiql/manifest.json, licences in THIRD_PARTY_LICENSES.txt). In demo mode the page
opens one tab per role with that role's example operation (the ones `make demo` prints) and a fresh
demo token in the tab's headers.
"""

from __future__ import annotations

import asyncio
import gzip
import html
import json
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any, TypedDict

from graphql import parse, print_ast
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response

from ..settings import Settings

PAD = "/graphiql"  # the assets' route: /graphiql/{naam}
_SOORTEN = {".js": "text/javascript; charset=utf-8", ".css": "text/css; charset=utf-8"}
PUBLIEKE_ZOEKVRAAG = (
    '{ zoekLeraren(zoekterm: "de Vries", first: 10) { totalCount edges { node { registernummer '
    "naam { weergavenaam } bevoegdheden { vak soort } } } } }"
)


class Bestand(TypedDict):
    """One vendored asset in manifest.json: where it came from, its size and its hash."""

    bron: str
    bytes: int
    sha256: str


def _map() -> Traversable:
    return resources.files("lerarenregister") / "graphiql"


def manifest() -> dict[str, Bestand]:
    gelezen: dict[str, Bestand] = json.loads((_map() / "manifest.json").read_text())
    return gelezen


def _mooi(query: str) -> str:
    """The example laid out on lines. Its operation stays unnamed (tabs are titled <untitled>): GraphiQL
    3.8 keeps the previous tab's operationName when a default tab is opened, and would send it."""
    return print_ast(parse(query))


class GraphiQL:
    """The page and its assets for one register."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.manifest = manifest()
        self._gz = {naam: (_map() / "assets" / f"{naam}.gz").read_bytes() for naam in self.manifest}
        self._voorbeelden: list[tuple[str, dict[str, Any] | None, str | None, str]] | None = None

    async def tabbladen(self) -> list[dict[str, str]]:
        """GraphiQL's defaultTabs: in demo mode each role's example with its token; else a public search."""
        if not self.settings.demo:
            return [{"query": "# The public search (no token needed)\n" + _mooi(PUBLIEKE_ZOEKVRAAG)}]
        from ..auth.demo import maak_token
        from ..demo import voorbeelden

        if self._voorbeelden is None:  # reads registernummers from the database on a loop of its own
            self._voorbeelden = await asyncio.to_thread(voorbeelden, self.settings)
        tabs = []
        for titel, claims, _var, query in self._voorbeelden:
            tab = {"query": f"# {titel}\n{_mooi(query)}"}
            if claims is not None:
                claims = dict(claims)
                rol = claims.pop("rol")
                tab["headers"] = json.dumps(
                    {"Authorization": f"Bearer {maak_token(self.settings, rol, **claims)}"}, indent=2
                )
            tabs.append(tab)
        return tabs

    async def pagina(self) -> Response:
        instellingen = {"tabs": await self.tabbladen(), "demo": self.settings.demo}
        # JSON inside <script>: no "</" may end the element early.
        ingebed = json.dumps(instellingen).replace("</", "<\\/")
        versie = html.escape(self.manifest["graphiql.min.js"]["bron"].split("/")[0])
        return HTMLResponse(
            _PAGINA.replace("@@INSTELLINGEN@@", ingebed).replace("@@VERSIE@@", versie),
            headers={"Cache-Control": "no-store"},
        )  # demo tokens: never kept by a cache

    async def bestand(self, request: Request) -> Response:
        naam = request.path_params["naam"]
        if naam not in self._gz:
            return Response("not found", status_code=404, media_type="text/plain; charset=utf-8")
        tag = f'"{self.manifest[naam]["sha256"][:32]}"'
        koppen = {"ETag": tag, "Cache-Control": "public, max-age=86400", "Vary": "Accept-Encoding"}
        if tag in [t.strip() for t in request.headers.get("if-none-match", "").split(",")]:
            return Response(status_code=304, headers=koppen)
        soort = _SOORTEN[naam[naam.rindex(".") :]]
        if "gzip" in request.headers.get("accept-encoding", ""):
            return Response(self._gz[naam], media_type=soort, headers={**koppen, "Content-Encoding": "gzip"})
        return Response(gzip.decompress(self._gz[naam]), media_type=soort, headers=koppen)


_PAGINA = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>lerarenregister · GraphiQL</title>
<meta name="generator" content="@@VERSIE@@">
<link rel="icon" href="data:,">
<link rel="stylesheet" href="/graphiql/graphiql.min.css">
<style>body { margin: 0; } #graphiql { height: 100vh; }</style>
</head>
<body>
<div id="graphiql">Loading GraphiQL…</div>
<script src="/graphiql/react.production.min.js"></script>
<script src="/graphiql/react-dom.production.min.js"></script>
<script src="/graphiql/graphiql.min.js"></script>
<script>
const instellingen = @@INSTELLINGEN@@;
const fetcher = GraphiQL.createFetcher({ url: new URL("/graphql", window.location.href).toString() });
ReactDOM.createRoot(document.getElementById("graphiql")).render(React.createElement(GraphiQL, {
  fetcher,
  defaultTabs: instellingen.tabs,
  defaultEditorToolsVisibility: true,
  isHeadersEditorEnabled: true,
  shouldPersistHeaders: false,
}));
</script>
</body>
</html>
"""
