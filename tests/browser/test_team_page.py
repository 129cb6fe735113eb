"""An employer admin's team page: accessible, and focus lands sensibly after the htmx swaps."""

import pytest
from playwright.sync_api import expect

from portal.accounts.tables import OrgKind, Role
from tests.browser.conftest import assert_accessible, log_in
from tests.factories import make_org, make_user

pytestmark = pytest.mark.browser


def test_it_moves_focus_to_the_problem_and_then_to_the_result(page):
    admin = make_user(make_org(OrgKind.employer), Role.employer_admin)
    log_in(page, admin.email)
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role("link", name="Team").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Team")
    assert_accessible(page)

    page.get_by_role("button", name="Einladung senden").click()
    email = page.get_by_label("E-Mail-Adresse")
    expect(email).to_have_attribute("aria-invalid", "true")
    expect(email).to_be_focused()
    assert page.evaluate("typeof htmx") == "object"  # the swap, not a page load
    assert_accessible(page)

    email.fill("neu@example.org")
    page.get_by_label("Rolle").select_option("employer_member")
    page.get_by_label("Name", exact=True).fill("Nina Neu")
    page.get_by_label("Name", exact=True).press("Enter")
    result = page.locator("#invite-result")
    expect(result).to_have_text("Wir haben eine Einladung an neu@example.org gesendet.")
    expect(result).to_be_focused()
    expect(page.get_by_role("table")).to_contain_text("Nina Neu")
    assert_accessible(page)
