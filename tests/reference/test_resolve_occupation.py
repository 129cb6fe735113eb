"""resolve_occupation: what an occupation picker submitted, with and without JavaScript."""

from __future__ import annotations

from portal.reference.services import resolve_occupation
from tests.conftest import run

WELDING = "24422 – Berufe in der Schweiß- und Verbindungstechnik (Fachkraft)"


def resolve(values: dict, **kwargs):
    return run(resolve_occupation(values, **kwargs))


def test_it_takes_the_code_chosen_from_the_list(app):
    values = {"occupation": "24422", "occupation_query": WELDING}
    assert resolve(values) == ("24422", [], None)
    assert values["occupation_query"] == WELDING


def test_it_takes_a_code_typed_without_javascript(app):
    values = {"occupation": "", "occupation_query": " 24422 "}
    assert resolve(values) == ("24422", [], None)
    assert values == {
        "occupation": "24422",
        "occupation_query": WELDING,
        "occupation_matches": [],
    }


def test_it_takes_a_label_as_it_was_shown(app):
    assert resolve({"occupation_query": WELDING}).code == "24422"


def test_it_takes_a_text_that_matches_one_occupation(app):
    assert resolve({"occupation_query": "Maurerhandwerk – fachlich"}).code == "32122"


def test_it_takes_the_occupation_whose_full_name_was_typed(app):
    # "Reinigung" is in many names, but it is the full name of group 541 only.
    assert resolve({"occupation_query": "reinigung"}).code == "541"


def test_it_offers_the_matches_when_several_occupations_match(app):
    values = {"occupation": "", "occupation_query": "Schwei"}
    code, matches, error = resolve(values)
    assert code is None
    assert error == "Mehrere Berufe passen. Bitte wählen Sie einen aus."
    assert "24422" in [hit.code for hit in matches]
    assert values["occupation_matches"] == matches
    assert values["occupation"] == ""
    assert values["occupation_query"] == "Schwei"  # kept, so that the form shows it again


def test_it_takes_the_match_chosen_among_the_radio_buttons(app):
    values = {"occupation": "", "occupation_query": "Schwei", "occupation_choice": "24423"}
    assert resolve(values) == ("24423", [], None)


def test_it_reads_the_text_when_it_was_changed_after_a_choice(app):
    # Without JavaScript the hidden code stays in the form when the text is edited.
    values = {"occupation": "24422", "occupation_query": "51312"}
    assert resolve(values).code == "51312"


def test_it_says_when_nothing_matches(app):
    code, matches, error = resolve({"occupation_query": "Quantenheiler"})
    assert (code, matches) == (None, [])
    assert error == "Kein Beruf passt zu „Quantenheiler“. Bitte versuchen Sie ein anderes Wort."


def test_it_says_when_a_code_does_not_exist(app):
    code, _matches, error = resolve({"occupation": "", "occupation_query": "99999"})
    assert code is None
    assert error == "Es gibt keinen Beruf mit dem Schlüssel 99999."


def test_it_refuses_a_forged_code(app):
    values = {"occupation": "24422' OR 1=1", "occupation_query": ""}
    assert resolve(values) == (None, [], "Bitte wählen Sie einen Beruf aus.")
    assert values["occupation"] == ""


def test_it_asks_for_an_occupation_unless_it_is_optional(app):
    assert resolve({}).error == "Bitte wählen Sie einen Beruf aus."
    assert resolve({}, required=False) == (None, [], None)


def test_it_reads_the_fields_of_any_picker_name(app):
    values = {"desired_query": "24422"}
    assert resolve(values, name="desired").code == "24422"
    assert values["desired"] == "24422"
