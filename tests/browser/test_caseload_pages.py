"""The caseload and identity pages are accessible, also after htmx has swapped their parts."""

import re

import pytest
from playwright.sync_api import expect

from portal.accounts.tables import OrgKind, Role
from tests.browser.conftest import DESKTOP, PHONE, assert_accessible, log_in
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
def team_lead(agency):
    return make_user(agency, Role.team_lead, name="Tanja Teamleitung")


def test_a_case_manager_creates_a_case_and_reads_the_identity(page, alice):
    log_in(page, alice.email)
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "link", name="Fallbestand"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fallbestand")
    assert_accessible(page)

    page.get_by_role("link", name="Neue Person").click()
    assert_accessible(page)
    page.get_by_label("Vornamen").fill("Amina")
    page.get_by_role("button", name="Fall anlegen").click()  # htmx swaps in the form's errors
    expect(page.locator("#error-summary")).to_be_visible()
    expect(page.locator("#error-summary")).to_be_focused()
    assert_accessible(page)

    page.get_by_label("Familienname").fill("Haddad")
    page.get_by_label("Geburtsdatum").fill("1994-05-17")
    page.get_by_role("button", name="Fall anlegen").click()
    expect(page.get_by_text("Der Fall wurde als Entwurf angelegt.")).to_be_visible()
    assert_accessible(page)

    page.get_by_role("link", name="Identität", exact=True).click()
    expect(page.get_by_text("Haddad")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Identität ändern").click()
    assert_accessible(page)


def test_a_team_lead_gives_a_reason_and_filters_the_caseload(page, agency, alice, team_lead):
    case = make_candidate(agency, alice, code="K-7QX4-2M", occupations=("24412",))
    make_candidate(agency, alice)
    log_in(page, team_lead.email)
    page.goto("/candidates")
    expect(page.locator("#candidate-count")).to_have_text("2 Fälle gefunden")
    page.get_by_label("Code").fill("7qx4")  # htmx swaps the results
    expect(page.locator("#candidate-count")).to_have_text("1 Fall gefunden")
    expect(page.get_by_role("row")).to_have_count(2)
    assert_accessible(page)

    page.get_by_role("link", name="K-7QX4-2M").click()
    assert_accessible(page)
    page.goto(f"/candidates/{case.id}/identity")
    expect(page.get_by_label("Grund")).to_be_focused()
    page.get_by_label("Grund").fill("kurz")
    page.get_by_role("button", name="Identität anzeigen").click()
    expect(page.locator("#error-summary")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Grund").fill("Vertretung während des Urlaubs")
    page.get_by_role("button", name="Identität anzeigen").click()
    expect(page.get_by_text("Amina")).to_be_visible()
    assert_accessible(page)


def test_the_operator_sees_the_console_list_and_the_overview(page, agency, alice):
    operator = make_user(make_org(OrgKind.operator), Role.operator_admin)
    make_candidate(agency, alice, code="K-7QX4-2M")
    log_in(page, operator.email)
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role("link", name="Fälle").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fälle")
    assert_accessible(page)
    page.get_by_label("Status").select_option("draft")
    expect(page.get_by_role("row")).to_have_count(2)
    assert_accessible(page)
    page.get_by_role("link", name="K-7QX4-2M").click()
    expect(page.get_by_text("Amina")).to_have_count(0)
    assert_accessible(page)


def test_on_a_phone_a_wide_table_says_it_scrolls_and_codes_stay_whole(page, agency, alice):
    """At 375 px the caseload's columns do not fit: a hint says so, the box scrolls by keyboard,
    and a code such as K-43AM-NQ is never broken at its hyphens."""
    for _ in range(3):
        make_candidate(agency, alice, status="active")
    page.set_viewport_size(PHONE)
    log_in(page, alice.email)
    page.goto("/candidates")
    box = page.locator(".kern-table-responsive")
    expect(box).to_have_class(re.compile(r"\bis-scrollable\b"))
    hint = page.locator(".table-scroll-hint")
    expect(hint).to_have_text("Weitere Spalten: seitlich wischen oder scrollen →")
    expect(box).to_have_attribute("tabindex", "0")
    box.focus()
    page.keyboard.press("ArrowRight")
    # An arrow function: a bare expression is evaluated by the page's eval(), which the
    # Content-Security-Policy refuses once it has to be polled.
    page.wait_for_function("() => document.querySelector('.kern-table-responsive').scrollLeft > 0")
    lines = page.locator("a.candidate-code").evaluate_all(
        "codes => codes.map(code => code.getClientRects().length)"
    )
    assert lines and set(lines) == {1}
    assert_accessible(page)

    page.set_viewport_size(DESKTOP)  # wide enough again: no hint
    expect(hint).to_have_count(0)
