"""A first walk through the register on both stores: deliver, confirm, find."""

from __future__ import annotations

from gegevens import benoeming, bevestig, bsn, klaarzetten, levering


async def test_klaarzetten_bevestigen_en_vinden(api):
    b = bsn(1)
    nummers = await klaarzetten(api, [levering(b, benoemingen=[benoeming("10001")])])
    assert len(nummers) == 1 and len(nummers[0]) == 10
    body = await api.gql('{ zoekLeraren(zoekterm: "de Vries") { totalCount } }')
    assert body["data"]["zoekLeraren"]["totalCount"] == 0  # not confirmed: not in the public register
    await bevestig(api, b)
    for term in ("de Vries", "Vries", "VRIES", nummers[0]):
        data = await api.ok(
            "query($t: String!) { zoekLeraren(zoekterm: $t) { totalCount edges { node { "
            "registernummer naam { weergavenaam } } } } }",
            {"t": term},
        )
        assert data["zoekLeraren"]["totalCount"] == 1, term
        assert data["zoekLeraren"]["edges"][0]["node"]["naam"]["weergavenaam"] == "A.M. de Vries"
