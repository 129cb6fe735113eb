"""Every rule of the slot form: a message next to the field, status 400 (200 for htmx), no slot."""

import pytest

from portal.employers.tables import Slot
from tests.conftest import run
from tests.employers.slots import day, post_slot, slot_form, slots_of
from tests.factories import login, make_municipality, post_form

DATE_FORMAT = "Bitte geben Sie ein Datum im Format TT.MM.JJJJ ein."
REQUIRED = "Bitte füllen Sie dieses Feld aus."
WHOLE = "Bitte geben Sie eine ganze Zahl ohne Komma ein"


def refused(client, field, message, **changes):
    response = post_slot(client, **changes)
    assert response.status_code == 400
    assert f'id="error-{field}"' in response.text
    assert message in response.text
    assert run(Slot.count()) == 0
    return response


@pytest.fixture
def logged_in(client, admin):
    login(client, admin.email)
    return client


@pytest.mark.parametrize(
    "field", ["title", "kind", "tasks", "municipality", "start_date", "end_date"]
)
def test_it_requires_the_field(logged_in, field):
    refused(logged_in, field, REQUIRED, **{field: ""})


@pytest.mark.parametrize("field", ["hours_per_week", "places"])
def test_it_requires_the_number(logged_in, field):
    refused(logged_in, field, REQUIRED, **{field: None})


def test_it_accepts_28_days(logged_in, employer):
    """1 March to 28 March: 28 calendar days, counting both ends."""
    response = post_slot(logged_in, start_date=day(30).isoformat(), end_date=day(57).isoformat())
    assert response.status_code == 200
    [slot] = slots_of(employer)
    assert slot["duration_days"] == 28


def test_it_refuses_29_days(logged_in):
    refused(
        logged_in,
        "end_date",
        "Ein Praktikum dauert höchstens 28 Kalendertage (vier Wochen)",
        start_date=day(30).isoformat(),
        end_date=day(58).isoformat(),
    )


@pytest.mark.parametrize(
    "kind", ["orientation_internship", "employer_measure", "job_shadowing", "training_slot"]
)
def test_it_refuses_29_days_whatever_the_kind(logged_in, kind):
    refused(
        logged_in,
        "end_date",
        "29 Tage",
        kind=kind,
        start_date=day(30).isoformat(),
        end_date=day(58).isoformat(),
    )


def test_it_accepts_a_single_day(logged_in, employer):
    post_slot(logged_in, start_date=day(30).isoformat(), end_date=day(30).isoformat())
    assert slots_of(employer)[0]["duration_days"] == 1


def test_it_refuses_an_end_before_the_start(logged_in):
    refused(
        logged_in,
        "end_date",
        "Der letzte Tag kann nicht vor dem ersten Tag liegen.",
        start_date=day(30).isoformat(),
        end_date=day(29).isoformat(),
    )


@pytest.mark.parametrize(
    "value", ["2026/03/01", "1. März 2026", "03-01-2026", "31.02.2027", "2027-13-01", "morgen"]
)
def test_it_refuses_a_date_in_a_wrong_format(logged_in, value):
    refused(logged_in, "start_date", DATE_FORMAT, start_date=value)


def test_it_shows_the_typed_date_again_with_the_message(logged_in):
    response = refused(logged_in, "end_date", DATE_FORMAT, end_date="32.13.2027")
    assert 'value="32.13.2027"' in response.text


def test_it_refuses_to_publish_a_slot_starting_in_the_past(logged_in):
    refused(
        logged_in,
        "start_date",
        "Ein veröffentlichter Platz kann nicht in der Vergangenheit",
        intent="publish",
        start_date=day(-1).isoformat(),
        end_date=day(5).isoformat(),
    )


def test_it_publishes_a_slot_starting_today(logged_in, employer):
    post_slot(
        logged_in, intent="publish", start_date=day(0).isoformat(), end_date=day(4).isoformat()
    )
    assert slots_of(employer)[0]["status"] == "open"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-1", "Bitte geben Sie 1 bis 50 Plätze an."),
        ("0", "Bitte geben Sie 1 bis 50 Plätze an."),
        ("51", "Bitte geben Sie 1 bis 50 Plätze an."),
        ("99999999", "Bitte geben Sie 1 bis 50 Plätze an."),
        ("9" * 5000, WHOLE),
        ("abc", WHOLE),
        ("1.5", WHOLE),
        ("2,0", WHOLE),
    ],
)
def test_it_refuses_a_wrong_number_of_places(logged_in, value, message):
    refused(logged_in, "places", message, places=value)


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-1", "Bitte geben Sie 1 bis 40 Stunden pro Woche an."),
        ("0", "Bitte geben Sie 1 bis 40 Stunden pro Woche an."),
        ("41", "Bitte geben Sie 1 bis 40 Stunden pro Woche an."),
        ("48", "Bitte geben Sie 1 bis 40 Stunden pro Woche an."),
        ("abc", WHOLE),
        ("3.5", WHOLE),
    ],
)
def test_it_refuses_hours_outside_the_legal_bounds(logged_in, value, message):
    refused(logged_in, "hours_per_week", message, hours_per_week=value)


@pytest.mark.parametrize("value", ["1", "40"])
def test_it_accepts_hours_at_the_bounds(logged_in, employer, value):
    post_slot(logged_in, hours_per_week=value)
    assert slots_of(employer)[0]["hours_per_week"] == int(value)


def test_it_requires_an_occupation(logged_in):
    refused(logged_in, "occupation", "Bitte wählen Sie einen Beruf aus.", occupation="")


def test_it_refuses_an_unknown_occupation_code(logged_in):
    refused(
        logged_in,
        "occupation",
        "Es gibt keinen Beruf mit dem Schlüssel 99999.",
        occupation="",
        occupation_query="99999",
    )


def test_it_offers_the_matches_of_an_ambiguous_occupation_text(logged_in):
    """Without JavaScript the text is searched; several matches come back to choose from."""
    response = refused(
        logged_in, "occupation", "Mehrere Berufe passen", occupation="", occupation_query="Schweiß"
    )
    assert 'name="occupation_choice" value="24422"' in response.text


def test_it_takes_the_occupation_chosen_from_the_matches(logged_in, employer):
    post_slot(logged_in, occupation="", occupation_query="Schweiß", occupation_choice="24422")
    [slot] = slots_of(employer)
    assert (slot["occupation"], slot["occupation_group"]) == ("24422", "244")


def test_it_refuses_an_unknown_kind(logged_in):
    refused(
        logged_in, "kind", "Bitte wählen Sie eine der Möglichkeiten aus.", kind="apprenticeship"
    )


def test_it_refuses_an_unknown_german_level(logged_in):
    refused(
        logged_in, "min_german", "Bitte wählen Sie eine der Möglichkeiten aus.", min_german="D1"
    )


def test_it_refuses_an_inactive_municipality(logged_in):
    closed = make_municipality("Altdorf", active=False)
    refused(
        logged_in,
        "municipality",
        "Bitte wählen Sie eine der Möglichkeiten aus.",
        municipality=str(closed.id),
    )


def test_it_refuses_a_wrong_contact_email(logged_in):
    refused(logged_in, "contact_email", "gültige E-Mail-Adresse", contact_email="chef(at)metallbau")


def test_it_refuses_a_title_that_is_too_long(logged_in):
    refused(logged_in, "title", "Bitte verwenden Sie höchstens 200 Zeichen.", title="x" * 201)


# -- availability windows ---------------------------------------------------------------------


def window(**changes):
    values = {
        "schedule": "window",
        "start_date": day(10).isoformat(),
        "end_date": day(60).isoformat(),
        "duration_days": "14",
    }
    values.update(changes)
    return values


def test_it_requires_the_length_of_a_window(logged_in):
    refused(logged_in, "duration_days", REQUIRED, **window(duration_days=""))


@pytest.mark.parametrize("value", ["0", "29", "-3"])
def test_it_refuses_a_window_length_outside_1_to_28_days(logged_in, value):
    refused(
        logged_in,
        "duration_days",
        "Ein Praktikum dauert 1 bis 28 Kalendertage.",
        **window(duration_days=value),
    )


def test_it_accepts_a_window_of_28_days(logged_in, employer):
    post_slot(logged_in, **window(duration_days="28"))
    assert slots_of(employer)[0]["duration_days"] == 28


def test_it_refuses_a_window_shorter_than_the_internship(logged_in):
    refused(
        logged_in,
        "end_date",
        "mindestens so lang sein wie das Praktikum (14 Tage)",
        **window(start_date=day(10).isoformat(), end_date=day(22).isoformat()),
    )


def test_it_accepts_a_window_exactly_as_long_as_the_internship(logged_in, employer):
    post_slot(logged_in, **window(start_date=day(10).isoformat(), end_date=day(23).isoformat()))
    assert slots_of(employer)[0]["flexible"] is True


# -- htmx -------------------------------------------------------------------------------------


def test_it_answers_htmx_with_the_form_alone_and_200(logged_in):
    response = post_form(
        logged_in, "/slots", slot_form(places="-1"), headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<form id="slot-form"')
    assert "Bitte geben Sie 1 bis 50 Plätze an." in response.text
    assert run(Slot.count()) == 0


def test_it_speaks_english_to_an_english_user(client, employer):
    from portal.accounts.tables import Role
    from tests.factories import make_user

    user = make_user(employer, Role.employer_admin, language="en")
    login(client, user.email)
    response = post_slot(client, start_date="2027-02-30")
    assert response.status_code == 400
    assert "Please enter a date in the format DD.MM.YYYY." in response.text
