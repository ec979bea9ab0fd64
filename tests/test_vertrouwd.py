"""Trusted documents (API.md, "Production", Trusted documents): by id over POST and GET, Apollo's
persisted-query extension, the list at /documenten.json, and REGISTER_ALLEEN_VERTROUWD."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from conftest import Api
from gegevens import bevestig, bsn, klaarzetten, levering
from graphql import parse, validate

from lerarenregister.schema import bouw_schema

MAP = Path(__file__).resolve().parent.parent / "lerarenregister" / "documenten"
ZOEK = (MAP / "zoek_leraren.graphql").read_text().strip()
ZOEK_ID = "sha256:" + hashlib.sha256(ZOEK.encode()).hexdigest()


def test_elk_scherm_heeft_een_geldig_document() -> None:
    schema = bouw_schema()._schema
    namen = {p.stem for p in MAP.glob("*.graphql")}
    assert {
        "zoek_leraren",
        "zoek_leraren_pagina",
        "leraar",
        "leraar_overzicht",
        "leraar_portfolio",
        "leraar_herregistratie",
        "leraar_waarschuwingen",
        "bestuur_personeel",
        "bestuur_leraar",
        "bestuur_wijzigingen",
        "duo_levering",
    } <= namen
    for p in MAP.glob("*.graphql"):
        assert validate(schema, parse(p.read_text())) == [], p.name


async def _een_leraar(api: Api) -> None:
    await klaarzetten(api, [levering(bsn(701))])
    await bevestig(api, bsn(701))


async def test_lijst_en_op_id(api: Api) -> None:
    await _een_leraar(api)
    lijst = (await api.client.get("/documenten.json")).json()
    assert lijst[ZOEK_ID] == ZOEK and len(lijst) == len(list(MAP.glob("*.graphql")))
    assert all(k == "sha256:" + hashlib.sha256(v.encode()).hexdigest() for k, v in lijst.items())
    r = await api.client.post("/graphql", json={"documentId": ZOEK_ID, "variables": {"zoekterm": "vries"}})
    assert r.json()["data"]["zoekLeraren"]["totalCount"] == 1, r.text
    r = await api.client.get("/graphql", params={"documentId": ZOEK_ID, "variables": '{"zoekterm": "vries"}'})
    assert r.json()["data"]["zoekLeraren"]["totalCount"] == 1 and r.headers["etag"], r.text
    # Apollo's automatic persisted queries: the hash alone, by POST and GET.
    apq = {"persistedQuery": {"version": 1, "sha256Hash": ZOEK_ID.removeprefix("sha256:")}}
    r = await api.client.post("/graphql", json={"extensions": apq, "variables": {"zoekterm": "vries"}})
    assert r.json()["data"]["zoekLeraren"]["totalCount"] == 1, r.text
    r = await api.client.get("/graphql", params={"extensions": json.dumps(apq), "variables": '{"zoekterm": "vries"}'})
    assert r.json()["data"]["zoekLeraren"]["totalCount"] == 1, r.text


async def test_onbekend_id_en_verkeerde_hash(api: Api) -> None:
    with api.tel() as t:
        r = await api.client.post("/graphql", json={"documentId": "sha256:" + "0" * 64})
    assert t.aantal == 0
    assert [e["extensions"]["code"] for e in r.json()["errors"]] == ["PERSISTED_QUERY_NOT_FOUND"], r.text
    # Apollo then sends the text with its hash: it runs when the hash is the text's own.
    tekst = "{ herregistratiecriteria { totaalUren } }"
    apq = {"persistedQuery": {"version": 1, "sha256Hash": hashlib.sha256(tekst.encode()).hexdigest()}}
    r = await api.client.post("/graphql", json={"query": tekst, "extensions": apq})
    assert "errors" not in r.json(), r.text
    r = await api.client.post("/graphql", json={"query": tekst, "documentId": ZOEK_ID})
    assert r.status_code == 400 and r.json()["errors"][0]["extensions"]["code"] == "BAD_REQUEST"
    r = await api.client.post("/graphql", json={"documentId": 42})
    assert r.status_code == 400


@pytest.mark.instellingen(alleen_vertrouwd="publiek")
async def test_alleen_vertrouwd_voor_het_publiek(api: Api) -> None:
    await _een_leraar(api)
    eigen = '{ zoekLeraren(zoekterm: "vries") { totalCount } }'
    with api.tel() as t:
        r = await api.post(eigen)
    assert t.aantal == 0
    assert r.status_code == 403 and r.json()["errors"][0]["extensions"]["code"] == "TRUSTED_DOCUMENT_REQUIRED"
    # The exact text of a trusted document, or its id: fine; a logged-in caller may send anything.
    assert (await api.ok(ZOEK, {"zoekterm": "vries"}))["zoekLeraren"]["totalCount"] == 1
    assert "errors" not in (await api.gql(eigen, token=api.sleutels.leraar(bsn(701))))


@pytest.mark.instellingen(alleen_vertrouwd="iedereen")
async def test_alleen_vertrouwd_voor_iedereen(api: Api) -> None:
    r = await api.post("{ ik { registernummer } }", token=api.sleutels.leraar(bsn(701)))
    assert r.status_code == 403 and r.json()["errors"][0]["extensions"]["code"] == "TRUSTED_DOCUMENT_REQUIRED"
