"""An employer posts a slot by keyboard only; a case manager finds it. axe-core on every page."""

import re

import pytest
from playwright.sync_api import expect

from portal.accounts.tables import OrgKind, Role
from tests.browser.conftest import assert_accessible, log_in
from tests.factories import make_municipality, make_org, make_slot, make_user

pytestmark = pytest.mark.browser


def test_it_lets_a_case_manager_search_and_read_an_offer_by_keyboard(page):
    employer = make_org(OrgKind.employer, name="Metallbau Kruse GmbH")
    wurzen = make_municipality("Wurzen")
    make_slot(employer, title="Praktikum Schweißen", municipality=wurzen.id, min_german="A2")
    make_slot(employer, title="Praktikum Küche", occupation="29302", municipality=wurzen.id)
    case_manager = make_user(make_org(OrgKind.case_management), Role.case_manager)
    log_in(page, case_manager.email)
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "link", name="Praktikumsplätze suchen"
    ).press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Praktikumsplätze suchen")
    count = page.locator("#slot-count")
    expect(count).to_have_text("2 offene Praktikumsplätze gefunden")
    assert_accessible(page)

    # Typing a code narrows the results after a short pause, without a page load: the count
    # changes inside the live region that stayed in place, and the URL can be bookmarked.
    page.get_by_label("oder Berufscode").focus()
    page.keyboard.type("244")
    expect(count).to_have_text("1 offener Praktikumsplatz gefunden")
    expect(page.locator("#slot-results")).not_to_contain_text("Praktikum Küche")
    expect(page).to_have_url(re.compile(r"occupation=244"))
    assert page.evaluate("typeof htmx") == "object"
    expect(page.get_by_label("oder Berufscode")).to_be_focused()

    # A malformed date: a message next to the field, the rest of the search still works.
    page.keyboard.press("Tab")  # to the municipality
    page.keyboard.press("Tab")  # to the kind
    page.keyboard.press("Tab")  # to "available from"
    expect(page.get_by_label("Verfügbar ab")).to_be_focused()
    page.keyboard.type("31.02.2099")
    page.keyboard.press("Tab")
    expect(page.locator("#problem-from")).to_contain_text("im Format TT.MM.JJJJ")
    expect(count).to_contain_text("wurden nicht angewendet")
    expect(count).to_contain_text("1 offener Praktikumsplatz gefunden")
    assert_accessible(page)

    page.get_by_role("link", name="Praktikum Schweißen").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Praktikum Schweißen")
    expect(page.get_by_text("Metallbau Kruse GmbH, Wurzen")).to_be_visible()
    assert_accessible(page)


def test_it_works_without_javascript(browser, live_server):
    employer = make_org(OrgKind.employer)
    make_slot(employer, title="Praktikum Schweißen")
    make_slot(employer, title="Praktikum Küche", occupation="29302")
    case_manager = make_user(make_org(OrgKind.case_management), Role.case_manager)
    context = browser.new_context(base_url=live_server, locale="de-DE", java_script_enabled=False)
    page = context.new_page()
    try:
        log_in(page, case_manager.email)
        page.goto("/search/slots")
        page.get_by_label("oder Berufscode").fill("244")
        page.get_by_label("oder Berufscode").press("Enter")
        expect(page).to_have_url(re.compile(r"/search/slots\?.*occupation=244"))
        expect(page.locator("#slot-count")).to_have_text("1 offener Praktikumsplatz gefunden")
    finally:
        context.close()
