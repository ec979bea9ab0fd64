"""Vendor GraphiQL's browser build into the package: `make graphiql` (after `npm ci` here).

Copies, gzip-compressed, GraphiQL's UMD bundle and stylesheet and React's UMD builds from
node_modules into lerarenregister/graphiql/assets/, with a manifest (source, size, sha256 of the
uncompressed file) and THIRD_PARTY_LICENSES.txt: the licence of every npm package whose code is in
those files (GraphiQL's bundle names the packages it holds by their node_modules paths).
"""
from __future__ import annotations

import gzip
import hashlib
import json
import re
import subprocess
import sys
from pathlib import Path

HIER = Path(__file__).resolve().parent
NODE = HIER / "node_modules"
DOEL = HIER.parent.parent / "lerarenregister" / "graphiql"

BESTANDEN = {  # served name: (package, path in the package)
    "graphiql.min.js": ("graphiql", "graphiql.min.js"),
    "graphiql.min.css": ("graphiql", "graphiql.min.css"),
    "react.production.min.js": ("react", "umd/react.production.min.js"),
    "react-dom.production.min.js": ("react-dom", "umd/react-dom.production.min.js"),
}
# webpack's module ids in the bundle: "../../../node_modules/<package>/..."
_MODULE = re.compile(r'"(?:\.\./)*node_modules/((?:@[\w.-]+/)?[\w.-]+)/')


def _versie(pakket: str) -> str:
    return json.loads((NODE / pakket / "package.json").read_text())["version"]


def _licentie(pakket: str) -> str:
    map_ = NODE / pakket
    for naam in sorted(p.name for p in map_.iterdir()):
        if re.match(r"(?i)(licen[cs]e|copying)(\.|$)", naam):
            return (map_ / naam).read_text(errors="replace").strip()
    veld = json.loads((map_ / "package.json").read_text()).get("license", "?")
    return f"(no licence file in the package; package.json says: {veld})"


def main() -> int:
    if not NODE.is_dir():
        print("run `npm ci` in tools/graphiql first (make graphiql does)", file=sys.stderr)
        return 1
    assets = DOEL / "assets"
    assets.mkdir(parents=True, exist_ok=True)
    manifest, pakketten = {}, {"graphiql", "react", "react-dom"}
    for naam, (pakket, pad) in BESTANDEN.items():
        inhoud = (NODE / pakket / pad).read_bytes()
        (assets / f"{naam}.gz").write_bytes(gzip.compress(inhoud, compresslevel=9, mtime=0))
        manifest[naam] = {"bron": f"{pakket}@{_versie(pakket)}/{pad}", "bytes": len(inhoud),
                          "sha256": hashlib.sha256(inhoud).hexdigest()}
        if naam == "graphiql.min.js":
            pakketten |= set(_MODULE.findall(inhoud.decode()))
    (DOEL / "manifest.json").write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
    delen = ["Third-party software in lerarenregister/graphiql/assets/ (vendored by tools/graphiql/vendor.py from\n"
             "tools/graphiql/package-lock.json). GraphiQL's bundle holds the npm packages below; each is listed\n"
             "with its licence. The version shown is the one npm installs from the lock file; the bundle was built\n"
             "by GraphiQL's release and may hold another version of the same package.\n"]
    for pakket in sorted(pakketten):
        if (NODE / pakket / "package.json").exists():
            delen.append(f"{'=' * 78}\n{pakket}@{_versie(pakket)}\n{'=' * 78}\n{_licentie(pakket)}\n")
            continue
        # Bundled, but npm does not install it here (an optional peer of a dependency): its licence by name.
        licentie = subprocess.run(["npm", "view", pakket, "license"], capture_output=True, text=True,
                                  check=True).stdout.strip()
        delen.append(f"{'=' * 78}\n{pakket}\n{'=' * 78}\nLicence (the npm registry's `license` field): {licentie}\n")
    (DOEL / "THIRD_PARTY_LICENSES.txt").write_text("\n".join(delen))
    print(f"{len(manifest)} files, {len(pakketten)} packages' licences -> {DOEL}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
