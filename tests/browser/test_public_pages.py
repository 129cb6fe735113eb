"""axe-core finds no violation on the pages anyone can open, in German and in English."""

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import assert_accessible

pytestmark = pytest.mark.browser


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/", "Praktika, die in Arbeit führen"),
        ("/login", "Anmelden"),
        ("/password/forgot", "Passwort vergessen?"),
        ("/accessibility", "Erklärung zur Barrierefreiheit"),
        ("/imprint", "Impressum"),
        ("/privacy", "Datenschutz"),
        ("/no-such-page", "Seite nicht gefunden"),
        ("/password/reset/not-a-token", "Neues Passwort wählen"),
    ],
)
def test_it_finds_no_accessibility_violation(page, path, heading):
    page.goto(path)
    expect(page.get_by_role("heading", level=1)).to_have_text(heading)
    expect(page.locator("html")).to_have_attribute("lang", "de")
    assert_accessible(page)


def test_it_finds_no_violation_on_the_english_login_page(page):
    page.goto("/login?logged_out=1")
    english = page.get_by_role("button", name="English")
    expect(english).to_have_attribute("lang", "en")
    english.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Log in")
    # The switch keeps the page's query: the message is still there, now in English.
    expect(page.get_by_role("status")).to_have_text("You have been logged out.")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("button", name="Deutsch")).to_have_attribute("lang", "de")
    assert_accessible(page)
