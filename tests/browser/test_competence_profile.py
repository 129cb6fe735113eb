"""The competence profile in Chromium: the form with its errors swapped in, the employer's view,
and the summary printed on one A4 page. axe-core on every page."""

import re

import pytest
from playwright.sync_api import expect

from portal.accounts.tables import OrgKind, Role
from tests.browser.conftest import assert_accessible, log_in, screenshot
from tests.candidates.profiles import profile_form
from tests.factories import make_candidate, make_municipality, make_org, make_user

pytestmark = pytest.mark.browser


@pytest.fixture
def agency():
    return make_org(OrgKind.case_management, name="Jobcenter Musterland")


@pytest.fixture
def alice(agency):
    return make_user(agency, Role.case_manager, name="Alice Fallmanagerin")


@pytest.fixture
def case(agency, alice):
    make_municipality("Leipzig")
    return make_candidate(agency, alice, occupations=("24412",))


def test_it_edits_the_profile_with_errors_swapped_in(page, alice, case):
    log_in(page, alice.email)
    page.goto(f"/candidates/{case.id}/profile")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kompetenzprofil")
    assert_accessible(page)

    page.locator("#field-german_level").select_option("B1")
    page.locator("#field-german_evidence").select_option("certificate")
    page.get_by_label("MIG/MAG-Schweißen", exact=True).check()
    page.get_by_label("MIG/MAG-Schweißen: woher bekannt").select_option("observed")
    page.get_by_label("Pünktlichkeit").check()
    page.get_by_label("Leipzig").check()
    page.get_by_label("Arbeitserlaubnis geklärt").check()
    page.get_by_label("Stunden pro Woche").fill("99")
    page.get_by_role("button", name="Profil speichern").click()

    summary = page.locator("#error-summary")
    expect(summary).to_contain_text("Bitte geben Sie 1 bis 40 Stunden pro Woche an.")
    expect(summary).to_be_focused()
    expect(page.get_by_label("MIG/MAG-Schweißen", exact=True)).to_be_checked()
    assert_accessible(page)
    screenshot(page, "competence-profile-errors")

    page.get_by_label("Stunden pro Woche").fill("35")
    page.get_by_role("button", name="Profil speichern").click()
    expect(page).to_have_url(re.compile(rf"/candidates/{case.id}$"))
    expect(page.locator("#messages")).to_contain_text("Das Kompetenzprofil wurde gespeichert.")


def test_it_shows_the_employer_view_and_prints_one_page(page, alice, case):
    log_in(page, alice.email)
    # The full profile of the form tests, sent from the browser's session.
    page.goto(f"/candidates/{case.id}/profile")
    token = page.locator("input[name=_csrf_token]").first.input_value()
    response = page.request.post(
        f"/candidates/{case.id}/profile", form={**profile_form(), "_csrf_token": token}
    )
    assert response.ok

    page.goto(f"/candidates/{case.id}/preview")
    expect(page.get_by_text("So sieht ein Arbeitgeber dieses Profil")).to_be_visible()
    expect(page.locator(".profile-card")).to_contain_text("MIG/MAG-Schweißen (beobachtet)")
    assert_accessible(page)

    page.get_by_role("link", name="Kompetenzübersicht zum Drucken").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Kompetenzübersicht")
    expect(page.get_by_role("button", name="Drucken")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "competence-summary")

    page.emulate_media(media="print")
    expect(page.get_by_role("button", name="Drucken")).to_be_hidden()
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.locator(".site-footer")).to_be_hidden()
    expect(page.locator(".candidate-tabs")).to_be_hidden()
    page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
    screenshot(page, "competence-summary-print")
    pdf = page.pdf(format="A4", print_background=False)
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
    assert pages == 1, f"the summary takes {pages} pages"
