"""search_occupations and occupation: finding the KldB 2010 occupations shipped with the portal."""

from __future__ import annotations

from portal.accounts.tables import OrgKind, Role
from portal.reference.services import occupation, occupation_label, search_occupations
from tests.conftest import run
from tests.factories import login, make_org, make_user


def codes(term: str, limit: int = 15) -> list[str]:
    return [hit.code for hit in run(search_occupations(term, limit))]


def test_it_finds_the_welding_occupations_by_a_part_of_the_word(app):
    found = codes("Schwei")
    assert {"24422", "24423", "24424", "2442", "244"} <= set(found)


def test_it_ignores_case(app):
    assert codes("schwei") == codes("SCHWEI")


def test_it_ranks_as_people_read_title_start_then_words_then_the_rest(app):
    # Issue 15: "24493 Aufsichtskräfte" came first for "Metallbau" and for "Schweiß".
    assert codes("Metallbau")[:3] == ["244", "24411", "24412"]  # the title starts with it
    assert codes("Schweiß")[:3] == ["24422", "24423", "24424"]  # a word starts with it
    for term in ("Metallbau", "Schweiß", "Lager"):
        found = codes(term)
        supervisors = [found.index(code) for code in found if code.startswith(("2449", "5139"))]
        assert supervisors and min(supervisors) > 3, found
    levels = [hit.level for hit in run(search_occupations("Schweiß"))][:4]
    assert levels == sorted(levels, reverse=True)


def test_it_finds_codes_by_their_beginning(app):
    found = codes("244", limit=50)
    assert found and all(code.startswith("244") for code in found)
    assert {"244", "2441", "24412", "24422"} <= set(found)
    assert "2442" in codes("2442") and "12442" not in codes("2442")


def test_it_puts_an_exact_match_first(app):
    assert codes("244")[0] == "244"
    assert codes("reinigung")[0] == "541"


def test_it_keeps_to_the_limit(app):
    assert len(codes("e", limit=15)) == 15


def test_it_takes_percent_and_underscore_literally(app):
    assert codes("%") == []
    assert codes("_") == []
    assert codes("Schwei%technik") == []
    assert codes("24_22") == []


def test_it_finds_nothing_for_an_empty_term(app):
    assert codes("   ") == []


def test_it_returns_one_occupation_by_its_code(app):
    hit = run(occupation("24422"))
    assert hit is not None and hit.level == 5
    assert hit.label == "24422 – Berufe in der Schweiß- und Verbindungstechnik (Fachkraft)"
    assert run(occupation("99999")) is None
    assert run(occupation("24x22")) is None


def test_it_labels_occupations_with_their_requirement_level():
    name = "Berufe in der Lagerwirtschaft – Helfer-/Anlerntätigkeiten"
    assert occupation_label("51311", name) == "51311 – Berufe in der Lagerwirtschaft (Helfer)"
    assert occupation_label("24493", "Aufsichtskräfte – Metallbau und Schweißtechnik") == (
        "24493 – Aufsichtskräfte – Metallbau und Schweißtechnik"
    )
    assert occupation_label("244", "Metallbau und Schweißtechnik") == (
        "244 – Metallbau und Schweißtechnik"
    )


def test_it_finds_nothing_for_a_term_with_a_nul_character(app):
    # Found by the fuzz test: PostgreSQL refused the NUL in the query (a 500).
    assert codes("Schwei\x00") == []


def test_the_look_up_page_takes_a_nul_character(client, app):
    login(client, make_user(make_org(OrgKind.case_management), Role.case_manager).email)
    assert client.get("/occupations?q=0%00").status_code == 200
