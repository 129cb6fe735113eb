"""Every rule of the profile form: a message next to the field, status 400, nothing changed."""

import pytest

from portal.candidates.tables import OccupationKind
from tests.candidates.profiles import (
    audit_rows,
    candidate_row,
    occupation_rows,
    post_profile,
    profile_form,
)
from tests.factories import login, make_municipality

CHOOSE = "Bitte wählen Sie eine der Möglichkeiten aus."
WHOLE = "Bitte geben Sie eine ganze Zahl ohne Komma ein"
HOW_KNOWN = "Bitte geben Sie an, woher das Niveau bekannt ist."


@pytest.fixture
def logged_in(client, alice):
    login(client, alice.email)
    return client


def refused(client, candidate, field, message, **changes):
    before = candidate_row(candidate)
    response = post_profile(client, candidate, profile_form(**changes))
    assert response.status_code == 400
    assert f'id="error-{field}"' in response.text
    assert message in response.text
    assert candidate_row(candidate) == before
    assert [row["occupation"] for row in occupation_rows(candidate)] == ["24412"]
    assert occupation_rows(candidate)[0]["kind"] == OccupationKind.desired
    assert audit_rows(candidate) == []
    return response


def test_it_wants_to_know_how_the_german_level_is_known(logged_in, candidate):
    refused(logged_in, candidate, "german_evidence", HOW_KNOWN, german_evidence="")


def test_it_wants_a_german_level_with_its_evidence(logged_in, candidate):
    refused(
        logged_in, candidate, "german_level", "Bitte wählen Sie das Niveau aus", german_level=""
    )


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("german_level", "D1"),
        ("german_evidence", "rumour"),
        ("language_1", "xx"),
        ("language_1_level", "native"),
        ("language_1_evidence", "guess"),
        ("schooling_level", "9"),
        ("background_1_kind", "hobby"),
        ("background_1_where", "Syrien"),
        ("skill.metal.mig_mag.evidence", "rumour"),
        ("course.integration_course.status", "granted"),
        ("permit_status", "free"),
        ("age_band", "31"),
    ],
)
def test_it_refuses_a_value_the_form_does_not_offer(logged_in, candidate, field, value):
    refused(logged_in, candidate, field, CHOOSE, **{field: value})


@pytest.mark.parametrize(
    ("name", "section"),
    [
        ("skill.metal.laser_cutting", "skills"),
        ("skill.metal.laser_cutting.evidence", "skills"),
        ("habit.always_smiling", "habits"),
        ("course.driving_school", "courses"),
        ("licence.Z", "driving_licences"),
        ("municipality.999999", "municipalities"),
    ],
)
def test_it_refuses_an_unknown_code(logged_in, candidate, name, section):
    refused(logged_in, candidate, section, CHOOSE, **{name: "yes"})


def test_it_refuses_an_inactive_municipality(logged_in, candidate):
    closed = make_municipality("Aufgelöst", active=False)
    refused(logged_in, candidate, "municipalities", CHOOSE, **{f"municipality.{closed.id}": "yes"})


@pytest.mark.parametrize(
    ("name", "section", "limit"),
    [
        ("language_4", "languages", 3),
        ("language_12_level", "languages", 3),
        ("background_5_kind", "background", 4),
        ("desired_4_query", "desired", 3),
        ("desired_0", "desired", 3),
    ],
)
def test_it_refuses_a_row_too_many(logged_in, candidate, name, section, limit):
    message = f"Bitte geben Sie höchstens {limit} Einträge an."
    refused(logged_in, candidate, section, message, **{name: "24422"})


def test_it_refuses_german_among_the_other_languages(logged_in, candidate):
    refused(logged_in, candidate, "language_2", "Für Deutsch gibt es oben", language_2="de")


def test_it_refuses_a_language_twice(logged_in, candidate):
    refused(logged_in, candidate, "language_2", "bereits angegeben", language_2="ar")


def test_it_wants_the_language_of_a_level(logged_in, candidate):
    refused(logged_in, candidate, "language_2", "Bitte wählen Sie die Sprache aus.", language_2="")


@pytest.mark.parametrize("field", ["language_2_level", "language_2_evidence"])
def test_it_wants_the_level_and_evidence_of_a_language(logged_in, candidate, field):
    refused(logged_in, candidate, field, "Bitte", **{field: ""})


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("schooling_years", "21", "Bitte geben Sie 0 bis 20 Jahre an."),
        ("schooling_years", "-1", "Bitte geben Sie 0 bis 20 Jahre an."),
        ("schooling_years", "9,5", WHOLE),
        ("background_1_years", "51", "Bitte geben Sie 0 bis 50 Jahre an."),
        ("background_1_years", "drei", WHOLE),
        ("hours_per_week", "0", "Bitte geben Sie 1 bis 40 Stunden pro Woche an."),
        ("hours_per_week", "41", "Bitte geben Sie 1 bis 40 Stunden pro Woche an."),
        ("hours_per_week", "99999999999", WHOLE),
        ("hours_per_week", "1e3", WHOLE),
    ],
)
def test_it_refuses_a_number_out_of_range(logged_in, candidate, field, value, message):
    refused(logged_in, candidate, field, message, **{field: value})


@pytest.mark.parametrize("value", ["31.02.2026", "2026-13-01", "bald", "1.9.26"])
def test_it_refuses_a_malformed_start(logged_in, candidate, value):
    refused(logged_in, candidate, "earliest_start", "im Format TT.MM.JJJJ", earliest_start=value)


def test_it_refuses_a_start_years_ahead(logged_in, candidate):
    refused(
        logged_in,
        candidate,
        "earliest_start",
        "innerhalb der nächsten drei Jahre",
        earliest_start="2099-01-01",
    )


def test_it_requires_the_permit_status(logged_in, candidate):
    refused(
        logged_in,
        candidate,
        "permit_status",
        "Bitte füllen Sie dieses Feld aus.",
        permit_status=None,
    )


def test_it_refuses_a_summary_too_long(logged_in, candidate):
    refused(
        logged_in,
        candidate,
        "summary_text",
        "Bitte verwenden Sie höchstens 1000 Zeichen.",
        summary_text="Sorgfältig. " * 100,
    )


def test_it_wants_the_kind_of_a_background_row(logged_in, candidate):
    refused(
        logged_in,
        candidate,
        "background_1_kind",
        "Bitte wählen Sie Ausbildung oder Berufserfahrung aus.",
        background_1_kind="",
    )


def test_it_wants_the_occupation_of_a_background_row(logged_in, candidate):
    refused(
        logged_in,
        candidate,
        "background_3",
        "Bitte wählen Sie einen Beruf aus.",
        background_3_years="2",
    )


def test_it_refuses_an_unknown_occupation_code(logged_in, candidate):
    refused(
        logged_in,
        candidate,
        "desired_1",
        "Es gibt keinen Beruf mit dem Schlüssel 99999.",
        desired_1="",
        desired_1_query="99999",
    )


def test_it_refuses_a_text_no_occupation_matches(logged_in, candidate):
    refused(
        logged_in,
        candidate,
        "background_1",
        "Kein Beruf passt zu „Sternenkunde am Hof“",
        background_1="",
        background_1_query="Sternenkunde am Hof",
    )


def test_it_offers_the_matches_of_an_ambiguous_text(logged_in, candidate):
    response = refused(
        logged_in,
        candidate,
        "desired_2",
        "Mehrere Berufe passen.",
        desired_2_query="Schweiß",
    )
    assert 'name="desired_2_choice" value="24422"' in response.text


def test_it_takes_the_match_chosen_without_javascript(logged_in, candidate):
    response = post_profile(
        logged_in,
        candidate,
        profile_form(
            desired_1=None,
            desired_1_query=None,
            desired_2_query="Schweiß",
            desired_2_choice="24422",
        ),
    )
    assert response.status_code == 200
    desired = [row["occupation"] for row in occupation_rows(candidate) if row["kind"] == "desired"]
    assert desired == ["24422"]


def test_it_refuses_a_desired_occupation_twice(logged_in, candidate):
    refused(
        logged_in,
        candidate,
        "desired_2",
        "Dieser Beruf ist bereits angegeben.",
        desired_2_query="24422 – Berufe in der Schweiß- und Verbindungstechnik (Fachkraft)",
    )


def test_it_wants_to_know_how_a_skill_is_known(logged_in, candidate):
    refused(
        logged_in,
        candidate,
        "skill.metal.mig_mag.evidence",
        "Bitte geben Sie an, woher das bekannt ist.",
        **{"skill.metal.mig_mag.evidence": ""},
    )


def test_it_wants_the_skill_ticked_with_its_evidence(logged_in, candidate):
    refused(
        logged_in,
        candidate,
        "skill.metal.tig",
        "Bitte kreuzen Sie die Fähigkeit an",
        **{"skill.metal.tig.evidence": "tested"},
    )


def test_it_wants_the_status_of_a_course(logged_in, candidate):
    refused(
        logged_in,
        candidate,
        "course.first_aid.status",
        "Bitte wählen Sie den Stand aus.",
        **{"course.first_aid": "yes"},
    )


def test_it_wants_the_course_ticked_with_its_status(logged_in, candidate):
    refused(
        logged_in,
        candidate,
        "course.first_aid",
        "Bitte kreuzen Sie den Kurs an",
        **{"course.first_aid.status": "completed"},
    )


def test_it_offers_a_recognition_procedure_its_own_statuses(logged_in, candidate):
    refused(
        logged_in,
        candidate,
        "course.recognition.status",
        CHOOSE,
        **{"course.recognition.status": "in_progress"},
    )


def test_it_links_each_message_from_the_summary_to_its_field(logged_in, candidate):
    response = refused(
        logged_in, candidate, "hours_per_week", "Stunden pro Woche", hours_per_week="50"
    )
    assert 'href="#field-hours_per_week"' in response.text
    assert 'id="field-hours_per_week"' in response.text
    assert 'aria-describedby="hint-hours_per_week error-hours_per_week"' in response.text


def test_it_keeps_what_was_entered(logged_in, candidate):
    response = refused(
        logged_in, candidate, "hours_per_week", "Stunden pro Woche", hours_per_week="50"
    )
    assert 'value="50"' in response.text
    assert "Schicht 06–14 Uhr möglich" in response.text
    assert (
        'value="24422 – Berufe in der Schweiß- und Verbindungstechnik (Fachkraft)"' in response.text
    )
