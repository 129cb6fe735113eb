"""The candidate pages on a phone (375 px wide) and without JavaScript."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import Page, expect

from portal.accounts.tables import OrgKind, Role
from portal.candidates.tables import Candidate, CandidateStatus
from portal.clock import today
from tests.browser.conftest import assert_accessible, log_in, screenshot
from tests.candidates.consents import make_consent
from tests.conftest import run
from tests.factories import make_candidate, make_org, make_user

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}


@pytest.fixture
def agency(live_server):
    # After live_server: building the app binds the tables to this test's database.
    return make_org(OrgKind.case_management, name="Jobcenter Musterland")


@pytest.fixture
def alice(agency):
    return make_user(agency, Role.case_manager, name="Alice Fallmanagerin")


@pytest.fixture
def case(agency, alice):
    """An active case with a consent in force, a German level and a desired occupation."""
    candidate = make_candidate(
        agency,
        alice,
        code="K-7QX4-2M",
        occupations=("24412",),
        status=CandidateStatus.active,
        german_level="B1",
        earliest_start=today() + dt.timedelta(days=14),
    )
    make_consent(candidate, alice, talent_pool=True)
    make_candidate(agency, alice, code="K-9ZT3-8P")  # a draft beside it
    return candidate


def assert_fits(page: Page) -> None:
    """Nothing sticks out sideways: wide tables scroll inside their own box."""
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), page.url


def test_the_pages_hold_on_a_phone(page, case, alice):
    page.set_viewport_size(PHONE)
    log_in(page, alice.email)
    page.goto("/candidates")
    expect(page.locator("#candidate-count")).to_have_text("2 Fälle gefunden")
    assert_fits(page)
    assert_accessible(page)
    screenshot(page, "caseload-phone")

    page.get_by_role("link", name="K-7QX4-2M").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("K-7QX4-2M")
    expect(page.get_by_role("navigation", name="Person K-7QX4-2M")).to_be_visible()
    assert_fits(page)
    assert_accessible(page)
    screenshot(page, "candidate-overview-phone")

    page.get_by_role("link", name="Einwilligung", exact=True).first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Einwilligung – K-7QX4-2M")
    expect(page.get_by_role("table")).to_be_visible()  # the history
    assert_fits(page)
    assert_accessible(page)
    screenshot(page, "candidate-consent-phone")

    page.goto(f"/candidates/{case.id}/preview")
    expect(page.locator(".profile-card")).to_contain_text("B1")
    assert_fits(page)
    assert_accessible(page)
    screenshot(page, "candidate-employer-view-phone")

    page.goto(f"/candidates/{case.id}/identity")  # a reading, listed in the export
    expect(page.locator("main")).to_contain_text("Haddad")
    page.goto(f"/candidates/{case.id}/export")
    expect(page.get_by_role("table")).to_have_count(3)  # occupations, consents, readings
    assert_fits(page)
    assert_accessible(page)
    screenshot(page, "candidate-export-phone")


def test_the_caseload_and_the_overview_work_without_javascript(browser, live_server, case, alice):
    context = browser.new_context(base_url=live_server, locale="de-DE", java_script_enabled=False)
    page = context.new_page()
    try:
        log_in(page, alice.email)
        page.goto("/candidates")
        expect(page.get_by_role("heading", level=1)).to_have_text("Fallbestand")
        expect(page.locator("#candidate-count")).to_have_text("2 Fälle gefunden")
        expect(page.get_by_role("row")).to_have_count(3)
        # The filter is an ordinary GET form: Enter in the code field sends it.
        page.get_by_label("Code").fill("7qx4")
        page.get_by_label("Code").press("Enter")
        expect(page).to_have_url(re.compile(r"/candidates\?.*q=7qx4"))
        expect(page.locator("#candidate-count")).to_have_text("1 Fall gefunden")
        row = page.get_by_role("row", name=re.compile("K-7QX4-2M"))
        expect(row).to_contain_text("Aktiv")
        expect(row).to_contain_text("B1")
        expect(row).to_contain_text("ja")  # consent

        page.get_by_role("link", name="K-7QX4-2M").click()
        expect(page.get_by_role("heading", level=1)).to_have_text("K-7QX4-2M")
        tabs = page.get_by_role("navigation", name="Person K-7QX4-2M")
        expect(tabs.get_by_role("link", name="Übersicht")).to_have_attribute("aria-current", "page")
        expect(tabs.get_by_role("link")).to_have_count(8)
        main = page.locator("main")
        expect(main).to_contain_text("Alice Fallmanagerin")  # the case manager
        expect(main).to_contain_text("Arbeitgebern im Portal gezeigt")  # the consent
        expect(main).to_contain_text("Deutschniveau: B1")
        expect(main).not_to_contain_text("Haddad")

        # The status buttons are ordinary forms too.
        page.get_by_role("button", name="Pausieren").click()
        expect(page.locator("#messages")).to_contain_text("Der Fall wurde pausiert.")
        assert run(Candidate.select(Candidate.status).where(Candidate.id == case.id).first()) == {
            "status": "paused"
        }
    finally:
        context.close()
