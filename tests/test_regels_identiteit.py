"""Identity rules: the BSN (elfproef, keyed hash), registernummers (Luhn) and names (API.md, "Search")."""

from __future__ import annotations

import hashlib
import itertools

import pytest

from lerarenregister.regels.bsn import bsn_hash, elfproef
from lerarenregister.regels.naam import (
    normaliseer,
    sorteernaam,
    voorletters,
    weergavenaam,
)
from lerarenregister.regels.registernummer import (
    EERSTE_VOLGNUMMER,
    is_geldig,
    luhn_controlecijfer,
    registernummer,
)

# ---------------------------------------------------------------------------------------------- BSN


def elfproef_los(bsn: str) -> bool:
    """API.md's rule spelled out: 9*d1 + 8*d2 + ... + 2*d8 - d9 divisible by 11."""
    d = [int(c) for c in bsn]
    return (9 * d[0] + 8 * d[1] + 7 * d[2] + 6 * d[3] + 5 * d[4] + 4 * d[5] + 3 * d[6] + 2 * d[7] - d[8]) % 11 == 0


@pytest.mark.parametrize("bsn", ["111222333", "123456782", "999999990", "010000008"])
def test_elfproef_geldig(bsn: str) -> None:
    assert elfproef_los(bsn)
    assert elfproef(bsn)


@pytest.mark.parametrize("bsn", ["111222334", "123456789", "123456783", "999999999"])
def test_elfproef_ongeldig(bsn: str) -> None:
    assert not elfproef_los(bsn)
    assert not elfproef(bsn)


def test_elfproef_alle_nullen() -> None:
    assert elfproef_los("000000000")  # the sum is 0, divisible by 11 ...
    assert not elfproef("000000000")  # ... but it is no BSN


@pytest.mark.parametrize(
    "bsn",
    [
        "",
        "12345678",
        "1234567820",
        "0123456782",
        " 123456782",
        "123456782 ",
        "12345678 ",
        "12345678a",
        "1234-5678",
        "+23456782",
        "-23456782",
        "12345678.",
        "１２３４５６７８２",  # full-width digits: str.isdigit says yes
        "12345678²",  # superscript two: str.isdigit says yes too
        "١٢٣٤٥٦٧٨٢",  # Arabic-Indic digits
    ],
)
def test_elfproef_vorm(bsn: str) -> None:
    assert not elfproef(bsn)


def test_elfproef_vangt_elke_fout_in_een_cijfer() -> None:
    """Weights 9..2 and -1 are all nonzero modulo the prime 11: every single wrong digit is caught."""
    for bsn in ("111222333", "123456782", "999999990"):
        for i in range(9):
            for cijfer in "0123456789":
                if cijfer != bsn[i]:
                    fout = bsn[:i] + cijfer + bsn[i + 1 :]
                    assert not elfproef(fout), fout


def test_elfproef_komt_overeen_met_de_regel() -> None:
    """Over a stretch of numbers, exactly those passing API.md's rule pass (and about 1 in 11 do)."""
    geldig = 0
    for n in range(100_000_000, 100_011_000):
        bsn = f"{n:09d}"
        assert elfproef(bsn) == elfproef_los(bsn), bsn
        geldig += elfproef(bsn)
    assert 900 <= geldig <= 1100


def test_bsn_hash_is_gesleuteld_en_vast() -> None:
    sleutel = b"register-sleutel-een"
    h = bsn_hash(sleutel, "123456782")
    assert h == bsn_hash(sleutel, "123456782")  # deterministic: it matches a login
    assert len(h) == 64 and all(c in "0123456789abcdef" for c in h)
    assert "123456782" not in h
    assert h != bsn_hash(b"register-sleutel-twee", "123456782")  # another key, another hash
    assert h != bsn_hash(sleutel, "111222333")  # another BSN, another hash
    # keyed: not the plain hash an attacker could compute for all 10^9 BSNs
    assert h != hashlib.sha256(b"123456782").hexdigest()
    assert h != hashlib.sha256(sleutel + b"123456782").hexdigest()


def test_bsn_hash_geen_botsingen() -> None:
    sleutel = b"k"
    bsns = [f"{n:09d}" for n in range(100_000_000, 100_030_000) if elfproef(f"{n:09d}")]
    assert len({bsn_hash(sleutel, b) for b in bsns}) == len(bsns)


# ------------------------------------------------------------------------------------ registernummer


def luhn_geldig_los(nummer: str) -> bool:
    """The Luhn check on the full number: double every second digit from the right, sum, mod 10."""
    totaal = 0
    for i, c in enumerate(reversed(nummer)):
        d = int(c)
        if i % 2 == 1:
            d = d * 2 - 9 if d * 2 > 9 else d * 2
        totaal += d
    return totaal % 10 == 0


def test_luhn_bekende_waarde() -> None:
    assert luhn_controlecijfer("7992739871") == 3  # the textbook example: 79927398713
    assert luhn_geldig_los("79927398713")


def test_registernummer_vorm() -> None:
    eerste = registernummer(EERSTE_VOLGNUMMER)
    assert eerste[:9] == "100000000" and len(eerste) == 10
    assert luhn_geldig_los(eerste)
    assert registernummer(123_456_789)[:9] == "123456789"
    for n in range(EERSTE_VOLGNUMMER, EERSTE_VOLGNUMMER + 5000):
        nummer = registernummer(n)
        assert len(nummer) == 10 and nummer.isdigit() and nummer[0] != "0"
        assert luhn_geldig_los(nummer), nummer
        assert is_geldig(nummer), nummer
    assert is_geldig(registernummer(999_999_999))


def test_registernummers_zijn_uniek_en_nooit_een_bsn() -> None:
    nummers = [registernummer(n) for n in range(EERSTE_VOLGNUMMER, EERSTE_VOLGNUMMER + 20_000)]
    assert len(set(nummers)) == len(nummers)
    assert not any(elfproef(n) for n in nummers)  # ten digits: never mistaken for a nine-digit BSN


def test_controlecijfer_is_het_enige_dat_klopt() -> None:
    for n in (EERSTE_VOLGNUMMER, 271_828_182, 314_159_265, 999_999_999):
        goed = registernummer(n)
        for cijfer in "0123456789":
            assert is_geldig(goed[:9] + cijfer) == (cijfer == goed[9])


@pytest.mark.parametrize(
    "nummer",
    [
        "",
        "100000000",
        "10000000000",
        "100000000 ",
        " 1000000008",
        "10000000a8",
        "１０００００００００",
        "100000000²",  # superscript: str.isdigit says yes
    ],
)
def test_is_geldig_vorm(nummer: str) -> None:
    assert not is_geldig(nummer)


def test_is_geldig_vangt_elke_fout_in_een_cijfer() -> None:
    for n in range(EERSTE_VOLGNUMMER, EERSTE_VOLGNUMMER + 3000, 7):
        goed = registernummer(n)
        for i in range(10):
            for cijfer in "0123456789":
                if cijfer != goed[i]:
                    assert not is_geldig(goed[:i] + cijfer + goed[i + 1 :]), (goed, i, cijfer)


def test_is_geldig_vangt_verwisselde_buren() -> None:
    """Every swap of two different adjacent digits is caught, check digit included, except 09 <-> 90:
    Luhn's known blind spot (both contribute 9 whichever position is doubled)."""
    gemist: set[frozenset[str]] = set()
    for n in range(EERSTE_VOLGNUMMER, EERSTE_VOLGNUMMER + 20_000, 7):
        goed = registernummer(n)
        for i in range(9):
            a, b = goed[i], goed[i + 1]
            if a != b:
                fout = goed[:i] + b + a + goed[i + 2 :]
                if is_geldig(fout):
                    gemist.add(frozenset((a, b)))
    assert gemist <= {frozenset("09")}


def test_verwisseling_van_0_en_9_wordt_gemist() -> None:
    """Documented rather than hidden: Luhn cannot see 09 <-> 90."""
    for n in itertools.count(EERSTE_VOLGNUMMER):
        goed = registernummer(n)
        if "09" in goed[:9]:
            i = goed.index("09")
            assert is_geldig(goed[:i] + "90" + goed[i + 2 :])
            break


# -------------------------------------------------------------------------------------------- naam


@pytest.mark.parametrize(
    ("invoer", "verwacht"),
    [
        ("Vries", "vries"),
        ("VRIES", "vries"),
        ("de Vries", "vries"),
        ("De Vries", "vries"),
        ("van der Berg", "berg"),
        ("Van Der Berg", "berg"),
        ("van den Berg", "berg"),
        ("d'Ancona", "ancona"),
        ("D'Ancona", "ancona"),
        ("d' Ancona", "ancona"),
        ("d’Ancona", "ancona"),  # typographic apostrophe
        ("'t Hart", "hart"),
        ("’t Hart", "hart"),
        ("in 't Veld", "veld"),
        ("van 't Hof", "hof"),
        ("ter Horst", "horst"),
        ("von Weber", "weber"),
        ("Müller", "muller"),
        ("MÜLLER", "muller"),
        ("Mu\u0308ller", "muller"),  # the same name decomposed: u + combining diaeresis
        ("Çelik", "celik"),
        ("Ångström", "angstrom"),
        ("Brontë", "bronte"),
        ("  de   Vries  ", "vries"),
        ("de\tVries\n", "vries"),
        ("van\u00a0der Berg", "berg"),  # no-break space
        ("Jansen de Vries", "jansen vries"),
        ("Berg - Jansen", "berg - jansen"),
    ],
)
def test_normaliseer(invoer: str, verwacht: str) -> None:
    assert normaliseer(invoer) == verwacht


@pytest.mark.parametrize(
    "naam", ["Vandenberg", "Devries", "Terpstra", "Dekker", "Uitdenbogaard", "Lebon", "Delaat", "Dalen", "Tenhaeff"]
)
def test_tussenvoegsel_alleen_als_los_woord(naam: str) -> None:
    """Only whole words are tussenvoegsels: 'Vandenberg' keeps its 'van'."""
    assert normaliseer(naam) == naam.lower()


@pytest.mark.parametrize(("invoer", "verwacht"), [("Le", "le"), ("Van", "van"), ("Ter", "ter"), ("Du", "du")])
def test_achternaam_die_zelf_een_tussenvoegselwoord_is(invoer: str, verwacht: str) -> None:
    """A teacher named 'Le' must still be findable by name: nothing left means nothing was dropped."""
    assert normaliseer(invoer) == verwacht
    assert normaliseer(invoer.upper()) == verwacht


@pytest.mark.parametrize("leeg", ["", "   ", "\t\n"])
def test_normaliseer_leeg(leeg: str) -> None:
    assert normaliseer(leeg) == ""


def test_zoektermen_vinden_de_naam() -> None:
    """API.md: "de Vries", "Vries", "VRIES" find "A.M. de Vries"; "muller" finds "Müller" (prefix)."""
    opgeslagen = normaliseer("Vries")  # the achternaam as DUO delivers it, tussenvoegsel apart
    for term in ("de Vries", "Vries", "VRIES", "vr", "De  VRIES "):
        assert opgeslagen.startswith(normaliseer(term)), term
    assert normaliseer("Müller").startswith(normaliseer("muller"))
    assert normaliseer("Müller").startswith(normaliseer("mül"))
    assert normaliseer("Ancona").startswith(normaliseer("d'Ancona"))
    assert not normaliseer("Vries").startswith(normaliseer("Berg"))


def test_normaliseer_is_idempotent() -> None:
    for naam in ("de Vries", "van der Berg", "d'Ancona", "Müller", "Le", "in 't Veld", "Jansen de Vries"):
        eenmaal = normaliseer(naam)
        assert normaliseer(eenmaal) == eenmaal, naam


@pytest.mark.parametrize(
    ("voornamen", "verwacht"),
    [
        ("Anna Maria", "A.M."),
        ("anna maria", "A.M."),
        ("  Anna   Maria  ", "A.M."),
        ("Jan", "J."),
        ("Élise", "É."),
        ("Pieter Jan Hendrik", "P.J.H."),
        ("Anna\tMaria", "A.M."),
        ("", ""),
    ],
)
def test_voorletters(voornamen: str, verwacht: str) -> None:
    assert voorletters(voornamen) == verwacht


def test_weergavenaam() -> None:
    assert weergavenaam("A.M.", "de", "Vries") == "A.M. de Vries"
    assert weergavenaam("J.", "van der", "Berg") == "J. van der Berg"
    assert weergavenaam("J.", None, "Jansen") == "J. Jansen"
    assert weergavenaam("J.", "", "Jansen") == "J. Jansen"


def test_sorteernaam_volgorde() -> None:
    """Achternaam (normalised, tussenvoegsel ignored) first, then voorletters."""
    namen = [  # (achternaam as stored, voorletters), in the order expected
        ("Aalbers", "J."),
        ("Berg", "A."),
        ("Berg", "A.M."),
        ("van den Berg", "Z."),
        ("Berg Jansen", "A."),  # a longer achternaam after "Berg", whatever the voorletters
        ("Berg-Jansen", "A."),
        ("Bergen", "A."),
        ("Le", "T."),
        ("Mulder", "P."),
        ("Müller", "K."),
        ("Vries", "A."),
        ("de Vries", "B."),
        ("Vries", "É."),
        ("Vries", "F."),
    ]
    for volgorde in (namen, list(reversed(namen)), sorted(namen, key=lambda n: n[1])):
        gesorteerd = sorted(volgorde, key=lambda n: sorteernaam(*n))
        assert gesorteerd == namen


def test_sorteernaam_negeert_hoofdletters_en_accenten() -> None:
    assert sorteernaam("Müller", "K.") == sorteernaam("MULLER", "k.")
    assert sorteernaam("de Vries", "É.") == sorteernaam("Vries", "E.")


def test_sorteernaam_past_in_beide_stores() -> None:
    """The key is stored in a VARCHAR(200): text without NUL, which PostgreSQL refuses."""
    sleutel = sorteernaam("van der Berg", "A.M.")
    assert "\x00" not in sleutel
    assert sleutel.startswith("berg") and sleutel.endswith("a.m.")


def test_zonder_accenten_ascii_blijft_en_accenten_gaan() -> None:
    from lerarenregister.regels.naam import zonder_accenten

    assert zonder_accenten("de Vries-Jansen 't Hart") == "de Vries-Jansen 't Hart"
    assert zonder_accenten("Müller Çelik Ørsted") == "Muller Celik Ørsted"  # Ø is a letter, not a mark
    assert zonder_accenten("Jose\u0301") == "Jose"  # a combining mark, already decomposed
    assert zonder_accenten("") == ""
