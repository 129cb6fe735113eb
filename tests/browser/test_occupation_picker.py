"""The occupation picker in a real browser: by keyboard, and without JavaScript."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from portal.accounts.tables import OrgKind, Role
from tests.browser.conftest import assert_accessible, log_in
from tests.factories import make_municipality, make_org, make_user

pytestmark = pytest.mark.browser

WELDING = "24422 – Berufe in der Schweiß- und Verbindungstechnik (Fachkraft)"


@pytest.fixture
def employer_admin():
    make_municipality("Nordheim")
    return make_user(make_org(OrgKind.employer), Role.employer_admin)


def test_it_picks_an_occupation_by_keyboard(page, employer_admin):
    log_in(page, employer_admin.email)
    page.goto("/slots/new")
    field = page.get_by_role("combobox", name="Beruf")
    code = page.locator("input[type='hidden'][name='occupation']")
    listbox = page.get_by_role("listbox", name="Beruf")
    field.focus()
    page.keyboard.type("Schwei")
    expect(listbox).to_be_visible()
    expect(field).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#occupation-status")).to_have_text("7 Berufe gefunden")
    expect(listbox.get_by_role("option")).to_have_count(7)
    assert_accessible(page)

    # The welding occupations first (a word of their title starts with it), skilled level first;
    # the supervisors (24493 Aufsichtskräfte …) last.
    expect(listbox.get_by_role("option").first).to_have_attribute("data-value", "24422")
    expect(listbox.get_by_role("option").last).to_have_attribute("data-value", "2449")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("ArrowUp")
    option = page.locator("#occupation-option-24422")
    expect(field).to_have_attribute("aria-activedescendant", "occupation-option-24422")
    expect(option).to_have_attribute("aria-selected", "true")
    expect(field).to_be_focused()

    page.keyboard.press("Enter")
    expect(field).to_have_value(WELDING)
    expect(code).to_have_value("24422")
    assert field.evaluate("f => f.scrollWidth <= f.clientWidth")  # the whole label is readable
    expect(listbox).to_be_hidden()
    expect(field).to_have_attribute("aria-expanded", "false")
    expect(page).to_have_url("/slots/new")  # Enter chose, it did not send the form

    # Typing again makes the chosen code stale; Escape closes the list and keeps the text.
    page.keyboard.press("End")
    page.keyboard.type("x")
    expect(code).to_have_value("")
    page.keyboard.press("Control+A")
    page.keyboard.type("Lagerwirtschaft")
    expect(listbox).to_be_visible()
    page.keyboard.press("Escape")
    expect(listbox).to_be_hidden()
    expect(field).to_have_value("Lagerwirtschaft")


def test_it_picks_an_occupation_with_the_mouse(page, employer_admin):
    log_in(page, employer_admin.email)
    page.goto("/slots/new")
    page.get_by_role("combobox", name="Beruf").fill("Lagerwirtschaft")
    page.locator("#occupation-option-51312").click()
    expect(page.get_by_role("combobox", name="Beruf")).to_have_value(
        "51312 – Berufe in der Lagerwirtschaft (Fachkraft)"
    )
    expect(page.locator("input[type='hidden'][name='occupation']")).to_have_value("51312")


def test_it_offers_the_matches_without_javascript(browser, live_server, employer_admin):
    context = browser.new_context(base_url=live_server, locale="de-DE", java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(5000)
    try:
        log_in(page, employer_admin.email)
        page.goto("/slots/new")
        page.get_by_role("combobox", name="Beruf").fill("Schwei")
        page.get_by_role("button", name="Als Entwurf speichern").click()
        several = page.get_by_text("Mehrere Berufe passen. Bitte wählen Sie einen aus.")
        expect(several.first).to_be_visible()
        choice = page.get_by_role("radio", name=WELDING)
        expect(choice).to_be_visible()
        # (no axe here: it runs as a script, which this browser context does not run)
        choice.check()
        page.get_by_role("button", name="Als Entwurf speichern").click()
        expect(page.get_by_role("combobox", name="Beruf")).to_have_value(WELDING)
        expect(page.locator("input[type='hidden'][name='occupation']")).to_have_value("24422")
    finally:
        context.close()
