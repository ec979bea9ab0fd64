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


def test_nothing_stored_nothing_delivered_changes_nothing() -> None:
    besluit = stem_af([], [], [], [], [])
    assert not besluit.veranderd and not besluit.voor_elk_bestuur


def test_a_new_bevoegdheid_is_added_and_seen_by_every_board() -> None:
    besluit = stem_af([], [], [], [Bev("  Frans \n", "EERSTEGRAADS", D(2020, 1, 1))], [])
    assert [(n.vak, n.vak_sleutel, n.soort) for n in besluit.bevoegdheden_nieuw] == [("Frans", "frans", "EERSTEGRAADS")]
    assert besluit.veranderd and besluit.voor_elk_bestuur


def test_a_bevoegdheid_left_out_stays() -> None:
    besluit = stem_af([BevRij("Frans", "PO", D(2020, 1, 1))], [], [], [], [])
    assert not besluit.veranderd


def test_a_known_bevoegdheid_follows_the_delivered_spelling_and_date() -> None:
    rij = BevRij("Frans", "PO", D(2020, 1, 1))
    assert not stem_af([rij], [], [], [Bev("Frans", "PO", D(2020, 1, 1))], []).veranderd
    spelling = stem_af([rij], [], [], [Bev("FRANS", "PO", D(2020, 1, 1))], [])
    assert spelling.bevoegdheden_bijgewerkt == [(rij, "FRANS", D(2020, 1, 1))] and spelling.voor_elk_bestuur
    datum = stem_af([rij], [], [], [Bev("Frans", "PO", D(2020, 1, 2))], [])  # the day after
    assert datum.bevoegdheden_bijgewerkt == [(rij, "Frans", D(2020, 1, 2))]
    assert not datum.bevoegdheden_nieuw


def test_another_soort_is_another_bevoegdheid() -> None:
    besluit = stem_af([BevRij("Frans", "PO", D(2020, 1, 1))], [], [], [Bev("Frans", "PDG", D(2020, 1, 1))], [])
    assert [n.soort for n in besluit.bevoegdheden_nieuw] == ["PDG"] and not besluit.bevoegdheden_bijgewerkt


def test_an_appointment_left_out_is_removed_and_its_boards_other_rows_stamped() -> None:
    weg, blijft = BenRij(1, "Frans", BEGIN), BenRij(1, "Duits", BEGIN)
    elders = BenRij(2, "Frans", BEGIN)
    bevoegd = [BevRij("Frans", "PO", D(2020, 1, 1)), BevRij("Duits", "PO", D(2020, 1, 1))]
    besluit = stem_af(bevoegd, [weg, blijft, elders], [], [],
                      [Ben(1, "Duits", BEGIN, None), Ben(2, "Frans", BEGIN, None)])
    assert besluit.benoemingen_weg == [weg]
    assert besluit.benoemingen_gestempeld == [blijft]  # board 2 lost nothing: its row keeps its moment
    assert besluit.veranderd and not besluit.voor_elk_bestuur


def test_a_changed_einddatum_is_taken_over_either_way() -> None:
    open_, gesloten = BenRij(1, "Frans", BEGIN), BenRij(1, "Duits", BEGIN, D(2025, 7, 31))
    bevoegd = [BevRij("Frans", "PO", D(2020, 1, 1)), BevRij("Duits", "PO", D(2020, 1, 1))]
    besluit = stem_af(bevoegd, [open_, gesloten], [], [],
                      [Ben(1, "Frans", BEGIN, D(2025, 7, 31)), Ben(1, "Duits", BEGIN, None)])
    assert besluit.benoemingen_einde == [(open_, D(2025, 7, 31)), (gesloten, None)]
    assert not besluit.benoemingen_weg and not besluit.benoemingen_nieuw and not besluit.benoemingen_gestempeld


def test_an_appointment_a_day_later_is_another_appointment() -> None:
    rij = BenRij(1, "Frans", BEGIN)
    besluit = stem_af([BevRij("Frans", "PO", D(2020, 1, 1))], [rij], [], [],
                      [Ben(1, " Frans ", BEGIN + dt.timedelta(days=1), None)])
    assert besluit.benoemingen_weg == [rij]
    assert besluit.benoemingen_nieuw == [Ben(1, "Frans", BEGIN + dt.timedelta(days=1), None)]


def test_an_appointment_without_bevoegdheid_opens_one_voorportaal_entry_per_subject() -> None:
    besluit = stem_af([], [], [], [], [Ben(1, "Frans", BEGIN, None), Ben(1, "frans", BEGIN, None)])
    assert len(besluit.benoemingen_nieuw) == 2  # two appointments ...
    assert besluit.voorportaal_nieuw == [NieuweInschrijving(1, "Frans", "frans", BEGIN, D(2026, 2, 28))]  # ... one entry


def test_a_stored_or_delivered_bevoegdheid_of_any_soort_needs_no_voorportaal() -> None:
    for opgeslagen, geleverd in (([BevRij("Frans", "PDG", D(2020, 1, 1))], []),
                                 ([], [Bev("FRANS", "PO", D(2020, 1, 1))])):
        assert not stem_af(opgeslagen, [], [], geleverd, [Ben(1, "Frans", BEGIN, None)]).voorportaal_nieuw


def test_an_entry_still_needed_stays_open_and_is_not_opened_twice() -> None:
    entry = VpRij(1, "frans", BEGIN)
    besluit = stem_af([], [BenRij(1, "Frans", BEGIN)], [entry], [], [Ben(1, "Frans", BEGIN, None)])
    assert not besluit.veranderd


def test_an_entry_closes_when_the_bevoegdheid_arrives_or_the_appointment_goes() -> None:
    entry = VpRij(1, "frans", BEGIN)
    bevoegd = stem_af([], [BenRij(1, "Frans", BEGIN)], [entry], [Bev("Frans", "PO", D(2025, 1, 1))],
                      [Ben(1, "Frans", BEGIN, None)])
    assert bevoegd.voorportaal_gesloten == [entry] and bevoegd.voor_elk_bestuur
    weg = stem_af([], [BenRij(1, "Frans", BEGIN)], [entry], [], [])
    assert weg.voorportaal_gesloten == [entry] and weg.benoemingen_weg


def test_a_closed_entry_is_not_closed_again_nor_reopened_for_the_same_appointment() -> None:
    gesloten = VpRij(1, "frans", BEGIN, afgesloten=True)
    assert not stem_af([], [], [gesloten], [], []).voorportaal_gesloten
    # The same (board, subject, begindatum) again: the closed entry is the one it had.
    assert not stem_af([], [], [gesloten], [], [Ben(1, "Frans", BEGIN, None)]).voorportaal_nieuw
