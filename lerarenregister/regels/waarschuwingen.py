"""Which warnings stand on a day (API.md, "Warnings"). `datum` is the day the window opened."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from . import datums

ZES_MAANDEN = 6
TWAALF_WEKEN_DAGEN = 84
VOORPORTAAL_MAANDEN = 3
NIET_BEVESTIGD_DAGEN = 31


def maanden_terug(dag: dt.date, maanden: int) -> dt.date:
    """The same day `maanden` months earlier, clamped to the end of a shorter month."""
    jaar, maand = divmod(dag.year * 12 + dag.month - 1 - maanden, 12)
    maand += 1
    for d in (dag.day, 30, 29, 28):
        try:
            return dt.date(jaar, maand, d)
        except ValueError:
            continue
    raise AssertionError("unreachable")


@dataclass(frozen=True)
class Waarschuwing:
    soort: str
    datum: dt.date
    bericht: str
    bevoegdheid_id: int | None = None
    schoolbestuur_id: int | None = None


def periode_waarschuwingen(
    bevoegdheid_id: int,
    vak: str,
    einde: dt.date,
    status: str,
    voldaan: bool,
    vandaag: dt.date,
) -> list[Waarschuwing]:
    """ACHTER_OP_SCHEMA, HERREGISTRATIE_ZES_MAANDEN / _TWAALF_WEKEN for the period ending `einde`."""
    uit: list[Waarschuwing] = []
    if status == "RISICO":
        uit.append(
            Waarschuwing(
                "ACHTER_OP_SCHEMA", vandaag, f"Achter op schema voor de herregistratie van {vak}.", bevoegdheid_id
            )
        )
    dag_na = datums.volgende_periode_start(einde)
    zes = maanden_terug(dag_na, ZES_MAANDEN)
    twaalf = dag_na - dt.timedelta(days=TWAALF_WEKEN_DAGEN)
    if not voldaan and zes <= vandaag <= einde:
        if vandaag >= twaalf:
            uit.append(
                Waarschuwing(
                    "HERREGISTRATIE_TWAALF_WEKEN",
                    twaalf,
                    f"De herregistratieperiode voor {vak} eindigt op {einde.isoformat()}; "
                    "nog niet aan alle criteria voldaan.",
                    bevoegdheid_id,
                )
            )
        else:
            uit.append(
                Waarschuwing(
                    "HERREGISTRATIE_ZES_MAANDEN",
                    zes,
                    f"De herregistratieperiode voor {vak} eindigt op {einde.isoformat()}; "
                    "nog niet aan alle criteria voldaan.",
                    bevoegdheid_id,
                )
            )
    return uit


def voorportaal_waarschuwing(
    vak: str, termijn_einde: dt.date, afgesloten: bool, vandaag: dt.date, schoolbestuur_id: int | None = None
) -> Waarschuwing | None:
    """VOORPORTAALTERMIJN_VERLOOPT from three months before the day after termijnEinde until it."""
    if afgesloten:
        return None
    opent = maanden_terug(termijn_einde + dt.timedelta(days=1), VOORPORTAAL_MAANDEN)
    if opent <= vandaag <= termijn_einde:
        return Waarschuwing(
            "VOORPORTAALTERMIJN_VERLOOPT",
            opent,
            f"De voorportaaltermijn voor {vak} verloopt op {termijn_einde.isoformat()}.",
            None,
            schoolbestuur_id,
        )
    return None


def aantekening_waarschuwing(bevoegdheid_id: int, vak: str, geplaatst_op: dt.date) -> Waarschuwing:
    """AANTEKENING while one stands."""
    return Waarschuwing(
        "AANTEKENING", geplaatst_op, f"Er staat een aantekening op de bevoegdheid {vak}.", bevoegdheid_id
    )


def niet_bevestigd_waarschuwing(
    eerste_levering: dt.date | None, geregistreerd: bool, vandaag: dt.date
) -> Waarschuwing | None:
    """REGISTRATIE_NIET_BEVESTIGD from 31 days after the first delivery until confirmation."""
    if geregistreerd or eerste_levering is None:
        return None
    opent = eerste_levering + dt.timedelta(days=NIET_BEVESTIGD_DAGEN)
    if vandaag >= opent:
        return Waarschuwing("REGISTRATIE_NIET_BEVESTIGD", opent, "De registratie is nog niet bevestigd.")
    return None
