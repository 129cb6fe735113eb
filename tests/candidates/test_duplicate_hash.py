"""The duplicate hint's keyed hash: the same person gives the same hash, nothing else does."""

import pytest

from portal.candidates.vault import duplicate_hash, normalise_name

KEY = "test-duplicate-hash-key-0123456789abcdef"


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Amina Haddad", "AMINA HADDAD"),  # case
        ("Ána Müller", "Ana Muller"),  # accents and umlauts
        ("Jürgen Weiß", "Jurgen Weiss"),  # ß
        ("Haddad, Amina", "Amina Haddad"),  # order and punctuation
        ("Müller-Lüdenscheidt Ana", "Ana Müller Lüdenscheidt"),  # hyphens
        ("  Amina   Haddad ", "Amina Haddad"),  # spaces
        ("Ａｍｉｎａ Haddad", "Amina Haddad"),  # full-width letters
    ],
)
def test_it_normalises_names_that_differ_only_in_writing(one, other):
    assert normalise_name(one) == normalise_name(other)


def test_it_normalises_to_sorted_plain_words():
    assert normalise_name("Müller-Lüdenscheidt, Ána") == "ana ludenscheidt muller"


def test_it_keeps_different_names_apart():
    assert normalise_name("Amina Haddad") != normalise_name("Amina Hadad")


def test_it_gives_the_same_person_the_same_hash():
    first = duplicate_hash(KEY, "Haddad, Amina", "1994-05-17")
    assert first == duplicate_hash(KEY, "AMINA HADDAD", "1994-05-17")
    assert len(first) == 64


def test_it_gives_another_birthday_another_hash():
    assert duplicate_hash(KEY, "Amina Haddad", "1994-05-17") != duplicate_hash(
        KEY, "Amina Haddad", "1994-05-18"
    )


def test_it_gives_another_key_another_hash():
    assert duplicate_hash(KEY, "Amina Haddad", "1994-05-17") != duplicate_hash(
        KEY + "x", "Amina Haddad", "1994-05-17"
    )


def test_it_hides_the_name_and_birthday():
    value = duplicate_hash(KEY, "Amina Haddad", "1994-05-17")
    assert "amina" not in value and "1994" not in value


@pytest.mark.parametrize(("name", "dob"), [("Amina Haddad", ""), ("", "1994-05-17"), ("-", "")])
def test_it_gives_no_hash_without_a_name_or_birthday(name, dob):
    assert duplicate_hash(KEY, name, dob) == ""
