"""Rotating the BSN hash key (README, "Rotating the BSN key"), on both stores: with the previous key
set, a teacher still logs in and a delivery finds the teacher and moves the row to the new key;
`sleutels` reports how many stand where and re-keys nothing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import AUDIENCE, ISSUER, SECRET, Api
from gegevens import KLAARZETTEN, bsn, levering

from lerarenregister.regels.bsn import sleutel_id
from lerarenregister.resolvers.sleutels import per_sleutel

NIEUW = "een-nieuwe-sleutel-van-minstens-32-bytes!"
CLI = str(Path(sys.executable).with_name("lerarenregister"))


async def test_rotatie(api: Api) -> None:
    b, ander = bsn(501), bsn(502)
    nummers = (
        await api.ok(KLAARZETTEN, {"leveringen": [levering(b), levering(ander, achternaam="Smit")]}, api.sleutels.duo())
    )["zetGegevensKlaar"]["registernummers"]
    assert (await per_sleutel(api.settings)).onder_huidig == 2

    # The new key, with the old one as the previous: nobody is lost meanwhile.
    async with Api(api.store, api.url, api.sleutels, api.vandaag, secret_key=NIEUW, secret_key_vorige=SECRET) as nu:
        stand = await per_sleutel(nu.settings)
        assert (stand.huidig, stand.vorige, stand.onder_huidig, stand.onder_vorige) == (
            sleutel_id(NIEUW.encode()),
            sleutel_id(SECRET.encode()),
            0,
            2,
        )
        ik = await nu.ok("{ ik { registernummer } }", token=nu.sleutels.leraar(b))
        assert ik["ik"]["registernummer"] == nummers[0]  # a login finds the teacher under the old key
        uit = (await nu.ok(KLAARZETTEN, {"leveringen": [levering(b)]}, nu.sleutels.duo()))["zetGegevensKlaar"]
        assert (uit["nieuw"], uit["ongewijzigd"], uit["registernummers"]) == (0, 1, [nummers[0]])
        stand = await per_sleutel(nu.settings)
        assert (stand.onder_huidig, stand.onder_vorige) == (1, 1)  # the delivered one moved, the other not

    # Without the previous key: the re-keyed teacher is found, the other one is not (until delivered).
    async with Api(api.store, api.url, api.sleutels, api.vandaag, secret_key=NIEUW) as later:
        assert (await later.ok("{ ik { registernummer } }", token=later.sleutels.leraar(b)))["ik"][
            "registernummer"
        ] == nummers[0]
        body = await later.gql("{ ik { registernummer } }", token=later.sleutels.leraar(ander))
        assert body["data"]["ik"] is None and body["errors"][0]["extensions"]["code"] == "NOT_FOUND"
        assert (await per_sleutel(later.settings)).anders == 1


def test_sleutels_commando_meldt_en_wijzigt_niets(tmp_path: Path, sleutels) -> None:  # type: ignore[no-untyped-def]
    env = {k: v for k, v in os.environ.items() if not k.startswith("REGISTER_")}
    env.update(
        {
            "REGISTER_DATABASE_URL": f"sqlite:///{tmp_path / 'r.sqlite3'}",
            "REGISTER_OIDC_ISSUER": ISSUER,
            "REGISTER_OIDC_AUDIENCE": AUDIENCE,
            "REGISTER_OIDC_JWKS": str(sleutels.jwks_pad),
            "REGISTER_SECRET_KEY": NIEUW,
            "REGISTER_SECRET_KEY_VORIGE": SECRET,
        }
    )
    r = subprocess.run([CLI, "sleutels"], env=env, capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert f"current key {sleutel_id(NIEUW.encode())}: 0 teachers" in r.stdout
    assert f"previous key {sleutel_id(SECRET.encode())}" in r.stdout and NIEUW not in r.stdout + r.stderr
