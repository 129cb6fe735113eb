"""The employer registration form is accessible, also when it comes back with errors."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.browser


def test_it_finds_no_violation_on_the_form_and_its_errors(page):
    page.goto("/register")
    expect(page.get_by_role("heading", level=1)).to_have_text("Unternehmen registrieren")
    assert_accessible(page)
    page.get_by_role("button", name="Registrieren", exact=True).click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(page.get_by_label("Name des Unternehmens")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)
