"""GraphQL over HTTP (graphql.github.io/graphql-over-http): which media type an answer gets, which
request bodies are read, and the status code of a GraphQL response in each media type.

Pure functions over header values and response dicts; http/graphql.py applies them.
"""

from __future__ import annotations

from typing import Any

GRAPHQL_RESPONSE = "application/graphql-response+json"
JSON = "application/json"


def _bereiken(accept: str) -> list[tuple[str, float, int]]:
    """The media ranges of an Accept header: (type/subtype in lower case, q, position)."""
    uit = []
    for positie, deel in enumerate(accept.split(",")):
        soort, *parameters = [s.strip() for s in deel.split(";")]
        if "/" not in soort:
            continue
        q = 1.0
        for p in parameters:
            naam, _, waarde = p.partition("=")
            if naam.strip().lower() == "q":
                try:
                    q = min(max(float(waarde.strip()), 0.0), 1.0)
                except ValueError:
                    q = 0.0  # a q we cannot read is no preference for it
        uit.append((soort.lower(), q, positie))
    return uit


def onderhandel(accept: str | None) -> str | None:
    """The media type of the answer by the request's Accept header; None when the client accepts
    neither of ours (then 406).

    No Accept header (or an empty one) is application/json: the spec's SHOULD for clients from before
    its watershed. Each of our types takes the q of the most specific range that matches it
    (RFC 9110, 12.5.1); the higher q wins; at equal q the type listed first by name wins, and a
    wildcard alone (`*/*`, `application/*`) gives application/json, the spec's default.
    """
    if accept is None or not accept.strip():
        return JSON
    bereiken = _bereiken(accept)
    if not bereiken:
        return JSON  # an Accept header that names no media type at all asks for nothing in particular

    def weging(ons: str) -> tuple[float, int]:
        hoofd = ons.split("/")[0] + "/*"
        for specifiek in (ons, hoofd, "*/*"):
            passend = [(q, positie) for soort, q, positie in bereiken if soort == specifiek]
            if passend:
                q, positie = max(passend, key=lambda t: (t[0], -t[1]))
                # Named explicitly: its position in the list; by a wildcard: after every named one.
                return q, positie if specifiek == ons else len(bereiken) + (0 if ons == JSON else 1)
        return 0.0, 0

    kandidaten = [(ons, *weging(ons)) for ons in (GRAPHQL_RESPONSE, JSON)]
    kandidaten = [k for k in kandidaten if k[1] > 0]
    if not kandidaten:
        return None
    return min(kandidaten, key=lambda k: (-k[1], k[2]))[0]


def inhoudsfout(content_type: str | None) -> str | None:
    """Why a POST body of this Content-Type is not read (415), or None when it is JSON in UTF-8.

    The spec: a server MUST accept application/json and SHOULD refuse a POST without a content type
    with a 4xx; the body is UTF-8 (a charset parameter naming another encoding is refused).
    """
    if content_type is None or not content_type.strip():
        return "a POST needs 'Content-Type: application/json'"
    soort, *parameters = [s.strip() for s in content_type.split(";")]
    if soort.lower() != JSON:
        return f"a POST body must be application/json, not {soort[:100]!r}"
    for p in parameters:
        naam, _, waarde = p.partition("=")
        if naam.strip().lower() == "charset" and waarde.strip().strip('"').lower() not in ("utf-8", "utf8"):
            return f"a POST body must be UTF-8, not {waarde.strip()[:40]!r}"
    return None


def als_verzoekfout(antwoord: dict[str, Any]) -> int | None:
    """The status of a GraphQL response that ran nothing (an error before execution: a document
    that does not parse or validate, a refused limit, variables that do not coerce, no such
    operation); None when execution began.

    Execution began when there is data, or when an error carries a `path` (a field error that
    nulled the whole result). A request error is 400, an unexpected one 500.
    """
    if antwoord.get("data") is not None:
        return None
    fouten = antwoord.get("errors") or []
    if not fouten or any("path" in f for f in fouten):
        return None
    if any(f.get("extensions", {}).get("code") == "INTERNAL_SERVER_ERROR" for f in fouten):
        return 500
    return 400


def voor_mediatype(antwoord: dict[str, Any], media: str) -> tuple[int, dict[str, Any]]:
    """The status and body of a GraphQL response in `media`.

    application/json (legacy clients): 200 with the body as it is, as the spec asks of that type.
    application/graphql-response+json: a request error is 4xx (400) without a `data` entry; a
    response with `data` (null included, a field error reaching the root) is 200.
    """
    if media == GRAPHQL_RESPONSE:
        status = als_verzoekfout(antwoord)
        if status is not None:
            return status, {k: v for k, v in antwoord.items() if k != "data"}
    return 200, antwoord
