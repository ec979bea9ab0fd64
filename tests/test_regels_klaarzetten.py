"""A delivery against what is stored, for one teacher (regels/klaarzetten.py), without a database."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from lerarenregister.regels.klaarzetten import (
    GeleverdeBenoeming as Ben,
)
from lerarenregister.regels.klaarzetten import (
    GeleverdeBevoegdheid as Bev,
)
from lerarenregister.regels.klaarzetten import (
    NieuweInschrijving,
    stem_af,
)
from lerarenregister.regels.naam import vak_sleutel

D = dt.date
BEGIN = D(2024, 2, 29)  # a leap day: the voorportaal term's last day is 28 February two years on


@dataclass
class BevRij:
    vak: str
    soort: str
    behaald_op: dt.date

    @property
    def vak_sleutel(self) -> str:
        return vak_sleutel(self.vak)


@dataclass
class BenRij:
    schoolbestuur_id: int
    vak: str
    begindatum: dt.date
    einddatum: dt.date | None = None


@dataclass
class VpRij:
    schoolbestuur_id: int
    vak_sleutel: str
    begindatum: dt.date
    afgesloten: bool = False


def test_niets_opgeslagen_niets_geleverd_verandert_niets() -> None:
    besluit = stem_af([], [], [], [], [])
    assert not besluit.veranderd and not besluit.voor_elk_bestuur


def test_nieuwe_bevoegdheid_erbij_en_voor_elk_bestuur() -> None:
    besluit = stem_af([], [], [], [Bev("  Frans \n", "EERSTEGRAADS", D(2020, 1, 1))], [])
    assert [(n.vak, n.vak_sleutel, n.soort) for n in besluit.bevoegdheden_nieuw] == [("Frans", "frans", "EERSTEGRAADS")]
    assert besluit.veranderd and besluit.voor_elk_bestuur


def test_weggelaten_bevoegdheid_blijft() -> None:
    besluit = stem_af([BevRij("Frans", "PO", D(2020, 1, 1))], [], [], [], [])
    assert not besluit.veranderd


def test_bekende_bevoegdheid_volgt_geleverde_schrijfwijze_en_datum() -> None:
    rij = BevRij("Frans", "PO", D(2020, 1, 1))
    assert not stem_af([rij], [], [], [Bev("Frans", "PO", D(2020, 1, 1))], []).veranderd
    spelling = stem_af([rij], [], [], [Bev("FRANS", "PO", D(2020, 1, 1))], [])
    assert spelling.bevoegdheden_bijgewerkt == [(rij, "FRANS", D(2020, 1, 1))] and spelling.voor_elk_bestuur
    datum = stem_af([rij], [], [], [Bev("Frans", "PO", D(2020, 1, 2))], [])  # the day after
    assert datum.bevoegdheden_bijgewerkt == [(rij, "Frans", D(2020, 1, 2))]
    assert not datum.bevoegdheden_nieuw


def test_andere_soort_is_andere_bevoegdheid() -> None:
    besluit = stem_af([BevRij("Frans", "PO", D(2020, 1, 1))], [], [], [Bev("Frans", "PDG", D(2020, 1, 1))], [])
    assert [n.soort for n in besluit.bevoegdheden_nieuw] == ["PDG"] and not besluit.bevoegdheden_bijgewerkt


def test_weggelaten_benoeming_weg_en_overige_rijen_van_dat_bestuur_gestempeld() -> None:
    weg, blijft = BenRij(1, "Frans", BEGIN), BenRij(1, "Duits", BEGIN)
    elders = BenRij(2, "Frans", BEGIN)
    bevoegd = [BevRij("Frans", "PO", D(2020, 1, 1)), BevRij("Duits", "PO", D(2020, 1, 1))]
    besluit = stem_af(
        bevoegd, [weg, blijft, elders], [], [], [Ben(1, "Duits", BEGIN, None), Ben(2, "Frans", BEGIN, None)]
    )
    assert besluit.benoemingen_weg == [weg]
    assert besluit.benoemingen_gestempeld == [blijft]  # board 2 lost nothing: its row keeps its moment
    assert besluit.veranderd and not besluit.voor_elk_bestuur


def test_gewijzigde_einddatum_overgenomen_beide_kanten_op() -> None:
    open_, gesloten = BenRij(1, "Frans", BEGIN), BenRij(1, "Duits", BEGIN, D(2025, 7, 31))
    bevoegd = [BevRij("Frans", "PO", D(2020, 1, 1)), BevRij("Duits", "PO", D(2020, 1, 1))]
    besluit = stem_af(
        bevoegd, [open_, gesloten], [], [], [Ben(1, "Frans", BEGIN, D(2025, 7, 31)), Ben(1, "Duits", BEGIN, None)]
    )
    assert besluit.benoemingen_einde == [(open_, D(2025, 7, 31)), (gesloten, None)]
    assert not besluit.benoemingen_weg and not besluit.benoemingen_nieuw and not besluit.benoemingen_gestempeld


def test_benoeming_een_dag_later_is_een_andere_benoeming() -> None:
    rij = BenRij(1, "Frans", BEGIN)
    besluit = stem_af(
        [BevRij("Frans", "PO", D(2020, 1, 1))], [rij], [], [], [Ben(1, " Frans ", BEGIN + dt.timedelta(days=1), None)]
    )
    assert besluit.benoemingen_weg == [rij]
    assert besluit.benoemingen_nieuw == [Ben(1, "Frans", BEGIN + dt.timedelta(days=1), None)]


def test_benoeming_zonder_bevoegdheid_opent_een_inschrijving_per_vak() -> None:
    besluit = stem_af([], [], [], [], [Ben(1, "Frans", BEGIN, None), Ben(1, "frans", BEGIN, None)])
    assert len(besluit.benoemingen_nieuw) == 2  # two appointments ...
    assert besluit.voorportaal_nieuw == [
        NieuweInschrijving(1, "Frans", "frans", BEGIN, D(2026, 2, 28))
    ]  # ... one entry


def test_opgeslagen_of_geleverde_bevoegdheid_van_elke_soort_geen_voorportaal() -> None:
    for opgeslagen, geleverd in (
        ([BevRij("Frans", "PDG", D(2020, 1, 1))], []),
        ([], [Bev("FRANS", "PO", D(2020, 1, 1))]),
    ):
        assert not stem_af(opgeslagen, [], [], geleverd, [Ben(1, "Frans", BEGIN, None)]).voorportaal_nieuw


def test_nog_nodige_inschrijving_blijft_open_en_komt_niet_dubbel() -> None:
    entry = VpRij(1, "frans", BEGIN)
    besluit = stem_af([], [BenRij(1, "Frans", BEGIN)], [entry], [], [Ben(1, "Frans", BEGIN, None)])
    assert not besluit.veranderd


def test_inschrijving_sluit_als_bevoegdheid_komt_of_benoeming_gaat() -> None:
    entry = VpRij(1, "frans", BEGIN)
    bevoegd = stem_af(
        [], [BenRij(1, "Frans", BEGIN)], [entry], [Bev("Frans", "PO", D(2025, 1, 1))], [Ben(1, "Frans", BEGIN, None)]
    )
    assert bevoegd.voorportaal_gesloten == [entry] and bevoegd.voor_elk_bestuur
    weg = stem_af([], [BenRij(1, "Frans", BEGIN)], [entry], [], [])
    assert weg.voorportaal_gesloten == [entry] and weg.benoemingen_weg


def test_gesloten_inschrijving_niet_opnieuw_gesloten_of_geopend() -> None:
    gesloten = VpRij(1, "frans", BEGIN, afgesloten=True)
    assert not stem_af([], [], [gesloten], [], []).voorportaal_gesloten
    # The same (board, subject, begindatum) again: the closed entry is the one it had.
    assert not stem_af([], [], [gesloten], [], [Ben(1, "Frans", BEGIN, None)]).voorportaal_nieuw
