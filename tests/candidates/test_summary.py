"""The printable competence summary: the pseudonymised card on one A4 page, with a print button."""

import re

import pytest

from portal.candidates.tables import Candidate
from portal.clock import today
from portal.i18n import format_date
from portal.reference.tables import Programme
from tests.candidates.profiles import post_profile, profile_form
from tests.conftest import run
from tests.factories import login, make_candidate, without_csrf_token


@pytest.fixture
def case(client, agency, alice):
    programme = Programme(name="WIR-Fallmanagement")
    run(programme.save())
    case = make_candidate(
        agency, alice, programme=programme.id, identity={"file_number": "AZ-4711-XY"}
    )
    login(client, alice.email)
    assert post_profile(client, case, profile_form()).status_code == 200
    return case


def summary(client, case):
    response = client.get(f"/candidates/{case.id}/summary")
    assert response.status_code == 200
    return response.text


def test_it_shows_the_card_with_the_date_and_the_programme(client, case):
    html = summary(client, case)
    assert f'Kompetenzübersicht – <span class="candidate-code">{case.code}</span>' in html
    assert "Programm: WIR-Fallmanagement" in html
    assert format_date(today()) in html
    assert "MIG/MAG-Schweißen (beobachtet)" in html
    assert "Arbeitserlaubnis geklärt" in html


def test_it_shows_nothing_of_the_identity(client, case):
    html = without_csrf_token(client, summary(client, case))
    for secret in ["Amina", "Haddad", "1994", "AZ-4711-XY", "permit_per_job"]:
        assert secret not in html, secret


def test_it_has_a_print_button_without_inline_script(client, case):
    html = summary(client, case)
    assert re.search(r'<button type="button"[^>]*data-print', html)
    assert '<script src="/static/js/print.js" defer></script>' in html
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)
    assert " onclick=" not in html
    script = client.get("/static/js/print.js")
    assert script.status_code == 200
    assert "window.print()" in script.text


def test_it_hides_navigation_header_and_footer_in_print(client, case):
    html = summary(client, case)
    assert '<link rel="stylesheet" href="/static/css/print.css" media="print">' in html
    css = client.get("/static/css/print.css").text
    hidden = re.search(r"([^{}]*)\{\s*display:\s*none\s*!important;\s*\}", css)
    assert hidden
    for selector in [
        ".site-header",
        ".site-nav",
        ".site-footer",
        ".candidate-tabs",
        "[data-print]",
    ]:
        assert selector in hidden.group(1)
    assert "size: A4" in css


def test_it_says_when_no_programme_is_set(client, agency, alice):
    case = make_candidate(agency, alice)
    login(client, alice.email)
    assert "Programm: keine Angabe" in summary(client, case)


def test_it_prints_the_summary_of_an_erased_candidate_without_free_text(client, case):
    run(
        Candidate.update({Candidate.summary: "", Candidate.erased_at: Candidate.updated_at}).where(
            Candidate.id == case.id
        )
    )
    html = summary(client, case)
    assert "MIG/MAG-Schweißen (beobachtet)" in html
    assert "Kurz gesagt" not in html
