"""The body limit of every form route (portal.files.FORM_MAX_BYTES, issue 14): a body above it is
refused with 413 and the error page before anything reads it; the largest form stays far below.
The upload routes keep their own limit (test_upload_limits.py: 1 MB files accepted)."""

from urllib.parse import urlencode

from portal.candidates.competences import COURSES, DRIVING_LICENCES, SKILLS, WORK_HABITS
from portal.candidates.profile_form import SUMMARY_LIMIT
from portal.files import FORM_MAX_BYTES
from tests.candidates.profiles import SUMMARY, candidate_row, post_profile, profile_form
from tests.factories import login


def test_it_refuses_a_form_over_the_body_limit_with_the_error_page(client, alice, candidate):
    login(client, alice.email)
    response = post_profile(client, candidate, profile_form(summary_text="x" * FORM_MAX_BYTES))
    assert response.status_code == 413
    assert "Das Formular ist größer als 256 KB" in response.text
    assert candidate_row(candidate)["summary"] != SUMMARY


def test_it_takes_a_form_just_under_the_body_limit_to_its_checks(client, alice, candidate):
    login(client, alice.email)
    response = post_profile(
        client, candidate, profile_form(summary_text="x" * (FORM_MAX_BYTES - 10_000))
    )
    assert response.status_code == 400
    assert f"Bitte verwenden Sie höchstens {SUMMARY_LIMIT} Zeichen." in response.text


def test_it_keeps_the_largest_profile_far_below_the_body_limit():
    data = profile_form(summary_text="ü" * SUMMARY_LIMIT)  # six bytes each, encoded
    for code in SKILLS:
        data[f"skill.{code}"] = "yes"
        data[f"skill.{code}.evidence"] = "self_reported"
    for code in WORK_HABITS:
        data[f"habit.{code}"] = "yes"
    for code in COURSES:
        data[f"course.{code}"] = "yes"
        data[f"course.{code}.status"] = "partially_granted"
    for code in DRIVING_LICENCES:
        data[f"licence.{code}"] = "yes"
    for number in range(1, 1001):  # more municipalities than a district has
        data[f"municipality.{number:06d}"] = "yes"
    data["_csrf_token"] = "t" * 100
    assert len(urlencode(data)) < FORM_MAX_BYTES / 4
