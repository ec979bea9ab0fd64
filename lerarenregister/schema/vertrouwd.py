"""Trusted documents (API.md, "Production", Trusted documents): the first-party screens' documents,
known by the SHA-256 of their text.

A client sends `documentId: "sha256:<hex>"` (POST body or GET parameter) or Apollo's
`extensions.persistedQuery` (version 1, `sha256Hash`) instead of the text; `GET /documenten.json`
lists them. `REGISTER_ALLEEN_VERTROUWD` may require trusted documents from the public (`publiek`)
or from everyone (`iedereen`); a trusted document may also be sent as its exact text.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import orjson

from .limieten import Weigering

MAP = Path(__file__).resolve().parent.parent / "documenten"
ALLEEN_VERTROUWD = ("uit", "publiek", "iedereen")


def document_id(tekst: str) -> str:
    return "sha256:" + hashlib.sha256(tekst.encode("utf-8")).hexdigest()


class VertrouwdeDocumenten:
    """The trusted documents by id; their texts as a client sends them (the file without its last newline)."""

    def __init__(self, teksten: Iterable[str]):
        self.per_id = {document_id(t): t for t in (t.strip() for t in teksten)}
        self.teksten = frozenset(self.per_id.values())
        self.json = orjson.dumps(self.per_id, option=orjson.OPT_SORT_KEYS)

    @staticmethod
    def uit_map(map_: Path = MAP) -> VertrouwdeDocumenten:
        return VertrouwdeDocumenten(p.read_text(encoding="utf-8") for p in sorted(map_.glob("*.graphql")))

    def is_vertrouwd(self, tekst: str) -> bool:
        return tekst.strip() in self.teksten

    def tekst(self, verzoek: Mapping[str, Any]) -> tuple[Any, bool]:
        """The document text a request names, and whether it came by id. A request with `query`
        keeps it (an Apollo client sends the text with its hash once it learnt it was unknown); an
        id nobody registered is PERSISTED_QUERY_NOT_FOUND, before anything else runs."""
        query = verzoek.get("query")
        id_ = verzoek.get("documentId")
        extensies = verzoek.get("extensions")
        if id_ is None and isinstance(extensies, Mapping):
            persisted = extensies.get("persistedQuery")
            if isinstance(persisted, Mapping):
                if persisted.get("version") != 1 or not isinstance(persisted.get("sha256Hash"), str):
                    raise Weigering("BAD_REQUEST", "extensions.persistedQuery needs version 1 and a sha256Hash")
                id_ = "sha256:" + persisted["sha256Hash"].lower()
        if id_ is None:
            return query, False
        if not isinstance(id_, str):
            raise Weigering("BAD_REQUEST", "documentId must be a string 'sha256:<hex>'")
        tekst = self.per_id.get(id_)
        if query is not None:  # Apollo sends the text with its hash after PERSISTED_QUERY_NOT_FOUND
            if not isinstance(query, str) or id_ not in (document_id(query), document_id(query.strip())):
                raise Weigering("BAD_REQUEST", "the query text does not match its document id")
            return query, False
        if tekst is None:
            raise Weigering("PERSISTED_QUERY_NOT_FOUND", f"no trusted document has the id {id_[:80]}")
        return tekst, True

    def vereist(self, instelling: str, aangemeld: bool, tekst: str) -> None:
        """REGISTER_ALLEEN_VERTROUWD: refuse a text that is no trusted document, when required."""
        if instelling == "iedereen" or (instelling == "publiek" and not aangemeld):
            if not self.is_vertrouwd(tekst):
                raise Weigering(
                    "TRUSTED_DOCUMENT_REQUIRED",
                    "this register answers trusted documents only (GET /documenten.json lists them)",
                )
