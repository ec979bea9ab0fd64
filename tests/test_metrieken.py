"""/metrics (API.md, "Production", Operations): the figures an operator watches, on both stores, and
who may read them. The app in these tests keeps its figures in this process (no multiprocess
directory); test_werkers.py reads them across two workers of a real `serve`."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from conftest import Api
from prometheus_client.parser import text_string_to_metric_families

from lerarenregister.http import metrieken

ZOEK = "query ZoekVoorMetrics($t: String!) { zoekLeraren(zoekterm: $t) { totalCount } }"
GEREGISTREERD = (
    "query Zoek($zoekterm: String!) { zoekLeraren(zoekterm: $zoekterm, first: 20) { totalCount edges { "
    "node { registernummer naam { voorletters tussenvoegsel achternaam weergavenaam } bevoegdheden { "
    "id vak soort voorHerregistratie } } } } }"
)  # documenten/zoek_leraren.graphql: compiled on PostgreSQL


async def cijfers(api: Api) -> dict[tuple[str, frozenset[tuple[str, str]]], float]:
    """Every sample of /metrics, by name and labels."""
    assert api.client is not None
    r = await api.client.get("/metrics")
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/plain")
    return {
        (s.name, frozenset(s.labels.items())): s.value
        for f in text_string_to_metric_families(r.text)
        for s in f.samples
    }


def waarde(c: dict[Any, float], naam: str, **labels: str) -> float:
    return c.get((naam, frozenset(labels.items())), 0.0)


async def test_verzoeken_fouten_kosten_en_duur(api: Api) -> None:
    s = api.sleutels
    voor = await cijfers(api)
    assert (await api.post(ZOEK, {"t": "Jansen"})).status_code == 200
    assert (await api.post(GEREGISTREERD, {"zoekterm": "Jansen"})).status_code == 200
    r = await api.post("{ herregistratiecriteria { totaalUren } }", token="geen.echt.token")
    assert r.status_code == 401
    body = (await api.post("{ ik { registratie { status } } }", token=s.duo())).json()  # DUO has no `ik`
    codes = [e["extensions"]["code"] for e in body["errors"]]
    # Refused by the limits before any resolver (a search term over 100 characters): not run, no cost.
    body = (await api.post(ZOEK, {"t": "x" * 101})).json()
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT", body
    na = await cijfers(api)

    def meer(naam: str, **labels: str) -> float:
        return waarde(na, naam, **labels) - waarde(voor, naam, **labels)

    assert meer("lerarenregister_verzoeken_total", operatie="ZoekVoorMetrics", doelgroep="publiek", code="OK") == 1
    assert meer("lerarenregister_verzoeken_total", operatie="Zoek", doelgroep="publiek", code="OK") == 1
    assert (
        meer("lerarenregister_verzoeken_total", operatie="unknown", doelgroep="onbekend", code="UNAUTHENTICATED") == 1
    )
    assert meer("lerarenregister_verzoeken_total", operatie="anonymous", doelgroep="duo", code=codes[0]) == 1
    for code in set(codes):
        assert meer("lerarenregister_fouten_total", code=code) == codes.count(code)
    assert meer("lerarenregister_fouten_total", code="UNAUTHENTICATED") == 1
    assert meer("lerarenregister_verzoeken_total", operatie="unknown", doelgroep="publiek", code="BAD_USER_INPUT") == 1
    # The cost of each operation that passed the limits: two public searches (the refused one is not
    # measured, its cost is in its error), one DUO request.
    assert meer("lerarenregister_kosten_count", doelgroep="publiek") == 2
    assert meer("lerarenregister_kosten_sum", doelgroep="publiek") > 0
    assert meer("lerarenregister_kosten_count", doelgroep="duo") == 1
    # Latency: every request to /graphql, by route and audience; the scrape itself under /metrics.
    assert meer("lerarenregister_verzoek_duur_seconden_count", pad="/graphql", doelgroep="publiek") == 3
    assert meer("lerarenregister_verzoek_duur_seconden_bucket", pad="/graphql", doelgroep="publiek", le="+Inf") == 3
    assert meer("lerarenregister_verzoek_duur_seconden_count", pad="/graphql", doelgroep="onbekend") == 1
    assert meer("lerarenregister_verzoek_duur_seconden_count", pad="/metrics", doelgroep="-") == 1


@pytest.mark.instellingen(limiet_publiek="2/minute")
async def test_snelheidsweigeringen(api: Api) -> None:
    voor = await cijfers(api)
    statussen = [(await api.post("{ herregistratiecriteria { totaalUren } }")).status_code for _ in range(3)]
    assert statussen == [200, 200, 429]
    na = await cijfers(api)
    assert (
        waarde(na, "lerarenregister_snelheid_geweigerd_total", limiet="publiek")
        - waarde(voor, "lerarenregister_snelheid_geweigerd_total", limiet="publiek")
    ) == 1
    assert (
        waarde(na, "lerarenregister_verzoeken_total", operatie="unknown", doelgroep="onbekend", code="RATE_LIMITED")
        - waarde(voor, "lerarenregister_verzoeken_total", operatie="unknown", doelgroep="onbekend", code="RATE_LIMITED")
    ) == 1


async def test_verbindingen_in_gebruik(api: Api) -> None:
    """A connection held out of the engine's pool shows in the next scrape; returned, it is gone."""
    async with api.app.state.engine.connect() as verbinding:
        await verbinding.exec_driver_sql("SELECT 1")
        bezig = await cijfers(api)
    assert waarde(bezig, "lerarenregister_db_verbindingen_in_gebruik", pool="engine") >= 1
    klaar = await cijfers(api)
    assert waarde(klaar, "lerarenregister_db_verbindingen_in_gebruik", pool="engine") == 0
    if api.store == "postgres":  # the compiled path's own pool is sampled too
        assert ("lerarenregister_db_verbindingen_in_gebruik", frozenset({("pool", "gecompileerd")})) in klaar


async def test_operatienamen_van_een_vijandige_client_blijven_begrensd(api: Api) -> None:
    """A client chooses operation names: a long one, or the 201st distinct one, is counted as `other`."""
    lang = "Q" + "x" * 80
    await api.post(f"query {lang} {{ herregistratiecriteria {{ totaalUren }} }}")
    c = await cijfers(api)
    namen = {dict(labels)["operatie"] for (naam, labels) in c if naam == "lerarenregister_verzoeken_total"}
    assert lang not in namen and "other" in namen
    for i in range(metrieken.MAX_OPERATIES + 50):  # the cap itself, without 250 requests
        metrieken.operatie_label(f"Bedacht{i}")
    assert len(metrieken._operaties) == metrieken.MAX_OPERATIES
    assert metrieken.operatie_label("NogEenNieuwe") == "other"
    assert metrieken.operatie_label("bad-name") == "other" and metrieken.operatie_label(None) == "anonymous"


def _klant(api: Api, adres: str, app: Any = None) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        transport=httpx.ASGITransport(app=app or api.app, client=(adres, 40000)), base_url="http://register.test"
    )


async def test_alleen_van_loopback(api: Api) -> None:
    async with _klant(api, "203.0.113.5") as buiten:
        r = await buiten.get("/metrics")
        assert r.status_code == 404 and "lerarenregister" not in r.text
    async with _klant(api, "::1") as lokaal:
        assert (await lokaal.get("/metrics")).status_code == 200
    async with _klant(api, "127.0.0.1") as lokaal:
        # Passed on by a proxy the register does not trust: the client is anyone.
        assert (await lokaal.get("/metrics", headers={"X-Forwarded-For": "127.0.0.1"})).status_code == 404
        assert (await lokaal.get("/metrics", headers={"Forwarded": "for=127.0.0.1"})).status_code == 404


@pytest.mark.instellingen(metrics_netwerken="203.0.113.0/24, 2001:db8::/32", vertrouwde_proxies="10.0.0.1/32")
async def test_metrics_netwerken(api: Api) -> None:
    for adres in ("203.0.113.5", "2001:db8::7"):
        async with _klant(api, adres) as binnen:
            assert (await binnen.get("/metrics")).status_code == 200, adres
    async with _klant(api, "198.51.100.1") as buiten:
        assert (await buiten.get("/metrics")).status_code == 404
    async with _klant(api, "10.0.0.1") as proxy:  # a trusted proxy: its client decides
        assert (await proxy.get("/metrics", headers={"X-Forwarded-For": "203.0.113.9"})).status_code == 200
        assert (await proxy.get("/metrics", headers={"X-Forwarded-For": "198.51.100.1"})).status_code == 404
