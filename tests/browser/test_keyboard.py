"""The keyboard alone is enough: skip link, login form, error summary, visible focus."""

import pytest
from playwright.sync_api import expect

from portal.accounts.tables import Role
from tests.browser.conftest import assert_accessible
from tests.factories import PASSWORD, make_org, make_user

pytestmark = pytest.mark.browser

# True when the focused element shows a focus outline of at least 2 px (KERN's and ours: 4 px).
FOCUS_IS_VISIBLE = """() => {
  const style = getComputedStyle(document.activeElement);
  return style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2;
}"""


def test_it_offers_the_skip_link_first_and_moves_focus_to_main(page):
    page.goto("/login")
    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Zum Hauptinhalt springen")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_label("E-Mail-Adresse")).to_be_focused()


def test_it_logs_in_with_the_keyboard_alone(page):
    user = make_user(make_org(), Role.employer_member, name="Karl Tastatur")
    page.goto("/login")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # the skip link
    page.keyboard.press("Tab")
    page.keyboard.type(user.email)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Anmelden")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Willkommen, Karl Tastatur")


def test_it_shows_where_the_focus_is_on_every_control(page):
    user = make_user(make_org(), Role.employer_admin)
    page.goto("/login")
    page.get_by_label("E-Mail-Adresse").fill(user.email)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_role("button", name="Anmelden").click()
    page.get_by_role("heading", level=1, name="Willkommen").wait_for()
    controls = page.locator("a[href], button, input:not([type=hidden])").count()
    seen = set()
    for _ in range(controls):
        page.keyboard.press("Tab")
        name = page.evaluate("document.activeElement.outerHTML.slice(0, 120)")
        assert page.evaluate(FOCUS_IS_VISIBLE), f"no visible focus on {name}"
        seen.add(name)
    assert len(seen) == controls


def test_it_leads_from_the_error_summary_to_the_field(page):
    page.goto("/password/forgot")
    page.get_by_role("button", name="Link senden").click()
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Bitte korrigieren Sie die markierten Felder.")
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    field = page.get_by_label("E-Mail-Adresse")
    expect(field).to_be_focused()
    expect(field).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)
