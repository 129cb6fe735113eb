"""The data protection tab and the export are accessible; the erasure form works with htmx."""

import pytest
from playwright.sync_api import expect

from portal.accounts.tables import OrgKind, Role
from tests.browser.conftest import assert_accessible, log_in, screenshot
from tests.candidates.privacy import make_consent
from tests.factories import make_candidate, make_org, make_user

pytestmark = pytest.mark.browser


@pytest.fixture
def agency(live_server):
    # After live_server: building the app binds the tables to this test's database.
    return make_org(OrgKind.case_management, name="Jobcenter Musterland")


@pytest.fixture
def alice(agency):
    return make_user(agency, Role.case_manager, name="Alice Fallmanagerin")


@pytest.fixture
def case(agency, alice):
    candidate = make_candidate(agency, alice, code="K-7QX4-2M", occupations=("24412",))
    make_consent(candidate)
    return candidate


def test_the_case_manager_exports_and_erases(page, case, alice):
    log_in(page, alice.email)
    page.goto(f"/candidates/{case.id}/privacy")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Datenschutz")
    assert_accessible(page)

    page.get_by_role("link", name="Export anzeigen").click()
    expect(page.get_by_role("heading", name="Identität", exact=True)).to_be_visible()
    expect(page.get_by_text("Haddad")).to_be_visible()
    assert_accessible(page)
    screenshot(page, "privacy-export")

    page.get_by_role("link", name="Zurück zum Datenschutz").click()
    page.get_by_role("button", name="Personenbezogene Daten löschen").click()  # htmx: errors
    expect(page.locator("#error-summary")).to_be_focused()
    assert_accessible(page)

    page.get_by_label("Ich bestätige").check()
    page.get_by_label("Geben Sie zur Bestätigung den Code der Person ein").fill("K-7QX4-2M")
    page.get_by_role("button", name="Personenbezogene Daten löschen").click()
    expect(page.get_by_text("Die personenbezogenen Daten wurden gelöscht.")).to_be_visible()
    assert_accessible(page)


def test_the_team_lead_is_asked_for_a_reason(page, agency, case):
    lead = make_user(agency, Role.team_lead, name="Tanja Teamleitung")
    log_in(page, lead.email)
    page.goto(f"/candidates/{case.id}/privacy")
    page.get_by_role("button", name="Export anzeigen").click()
    expect(page.locator("#error-summary")).to_be_focused()
    assert_accessible(page)

    page.get_by_label("Grund").fill("Auskunftsersuchen vom 3. März")
    page.get_by_role("button", name="Export anzeigen").click()
    expect(page.get_by_text("Auskunftsersuchen vom 3. März")).to_be_visible()
    assert_accessible(page)
