"""An employer posts a slot by keyboard only; a case manager finds it. axe-core on every page."""

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from portal.accounts.tables import OrgKind, Role
from portal.clock import today
from portal.employers.tables import Slot
from tests.browser.conftest import assert_accessible, log_in
from tests.conftest import run
from tests.factories import make_municipality, make_org, make_slot, make_user
from tests.search.slots import many_slots

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
    # A mark on the live region: still there after the searches, so it was never replaced.
    page.evaluate("document.getElementById('slot-count').dataset.kept = 'yes'")

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
    expect(count).to_have_attribute("data-kept", "yes")
    assert_accessible(page)

    page.get_by_role("link", name="Praktikum Schweißen").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Praktikum Schweißen")
    expect(page.get_by_text("Metallbau Kruse GmbH, Wurzen")).to_be_visible()
    assert_accessible(page)


def test_it_moves_focus_to_the_results_after_turning_the_page(page):
    many_slots(make_org(OrgKind.employer), 30)
    log_in(page, make_user(make_org(OrgKind.case_management), Role.team_lead).email)
    page.goto("/search/slots")
    tab_to(page, page.get_by_role("link", name="Nächste Seite"))
    page.keyboard.press("Enter")
    results = page.get_by_role("heading", name="Ergebnisse, Seite 2 von 2")
    expect(results).to_be_focused()
    expect(page).to_have_url(re.compile(r"page=2"))
    expect(page.locator("#slot-count")).to_have_text("30 offene Praktikumsplätze gefunden")
    assert page.evaluate("typeof htmx") == "object"
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


def tab_to(page, target, limit=80):
    """Press Tab until `target` has the focus, as a keyboard user moves through a page."""
    for _ in range(limit):
        if target.evaluate("element => element === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {target}")


def typed_date(page, day):
    """The keys that enter `day` into a date field of this browser.

    A date field takes the digits in the order it shows them, which follows the browser's own
    language, not the page's: DD.MM.YYYY in a German Chromium, MM/DD/YYYY in the Debian package
    (it ships only the en-US locale). A probe field tells which.
    """
    page.evaluate(
        "() => { const probe = document.createElement('input'); probe.type = 'date';"
        " probe.id = 'date-probe'; document.body.append(probe); probe.focus(); }"
    )
    page.keyboard.type("01022030")
    value = page.evaluate("() => document.getElementById('date-probe').value")
    page.evaluate("() => document.getElementById('date-probe').remove()")
    return day.strftime("%d%m%Y" if value == "2030-02-01" else "%m%d%Y")


def test_it_lets_an_employer_post_and_publish_a_slot_by_keyboard_only(page):
    employer = make_org(OrgKind.employer, name="Metallbau Kruse GmbH")
    wurzen = make_municipality("Wurzen")
    admin = make_user(employer, Role.employer_admin, name="Karla Kruse")
    log_in(page, admin.email)
    navigation = page.get_by_role("navigation", name="Hauptnavigation")
    tab_to(page, navigation.get_by_role("link", name="Praktikumsplätze"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Praktikumsplätze")
    assert_accessible(page)
    tab_to(page, page.get_by_role("link", name="Neuer Praktikumsplatz"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Neuer Praktikumsplatz")
    assert_accessible(page)

    # Enter in the empty title sends the form as a draft: the problems are listed and focused.
    tab_to(page, page.get_by_label("Titel"))
    page.keyboard.press("Enter")
    summary = page.locator("#error-summary")
    expect(summary).to_be_focused()
    assert_accessible(page)

    # The summary's first link leads to the title field.
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page.get_by_label("Titel")).to_be_focused()
    page.keyboard.type("Praktikum Schweißen (MAG)")
    page.keyboard.press("Tab")  # the kinds: one stop, the arrow keys choose
    expect(page.get_by_label("Orientierungspraktikum (MiLoG §22)")).to_be_focused()
    page.keyboard.press("Space")
    expect(page.get_by_label("Orientierungspraktikum (MiLoG §22)")).to_be_checked()

    page.keyboard.press("Tab")
    occupation = page.get_by_role("combobox", name="Beruf")
    expect(occupation).to_be_focused()
    page.keyboard.type("Schwei")
    listbox = page.get_by_role("listbox", name="Beruf")
    expect(listbox).to_be_visible()
    first = listbox.get_by_role("option").first
    expect(first).to_contain_text("Schweiß")
    code = first.get_attribute("data-value")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(listbox).to_be_hidden()
    expect(occupation).to_have_value(re.compile("Schweiß"))

    page.keyboard.press("Tab")
    expect(page.get_by_label("Aufgaben")).to_be_focused()
    page.keyboard.type("MAG-Schweißen an Geländern, Schleifen, Entgraten.")
    page.keyboard.press("Tab")
    page.keyboard.type("Sicherheitsschuhe")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Mindestniveau Deutsch")).to_be_focused()
    page.keyboard.type("A2")
    page.keyboard.press("Tab")
    expect(page.get_by_label("Gemeinde")).to_be_focused()
    page.keyboard.type("Wurzen")

    start = today() + dt.timedelta(days=30)
    end = start + dt.timedelta(days=13)
    start_keys, end_keys = typed_date(page, start), typed_date(page, end)
    tab_to(page, page.get_by_label("Erster Tag"))
    page.keyboard.type(start_keys)
    tab_to(page, page.get_by_label("Letzter Tag"))
    page.keyboard.type(end_keys)
    tab_to(page, page.get_by_label("Stunden pro Woche"))
    page.keyboard.type("35")
    tab_to(page, page.get_by_label("Wir stellen die Schutzausrüstung"))
    page.keyboard.press("Space")
    tab_to(page, page.get_by_role("button", name="Als Entwurf speichern"))
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Praktikum Schweißen (MAG)")
    expect(
        page.get_by_text("Fallmanagerinnen und Fallmanager sehen keinen Entwurf.")
    ).to_be_visible()
    tab_to(page, page.get_by_role("button", name="Veröffentlichen"))
    page.keyboard.press("Space")
    expect(page.locator("#messages")).to_contain_text("veröffentlicht")
    assert_accessible(page)

    slot = run(Slot.select().where(Slot.employer == employer.id).first())
    assert slot["status"] == "open" and slot["occupation"] == code
    assert (slot["start_date"], slot["end_date"]) == (start, end)
    assert slot["municipality"] == wurzen.id and slot["min_german"] == "A2"
    assert slot["safety_equipment"] is True

    tab_to(page, navigation.get_by_role("link", name="Praktikumsplätze"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("link", name="Praktikum Schweißen (MAG)")).to_be_visible()
    assert_accessible(page)

    # A case manager finds the published slot and reads the offer.
    tab_to(page, page.get_by_role("button", name="Abmelden"))
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/login"))
    log_in(page, make_user(make_org(OrgKind.case_management), Role.case_manager).email)
    page.goto(f"/search/slots?occupation={code}&municipality={wurzen.id}")
    tab_to(page, page.get_by_role("link", name="Praktikum Schweißen (MAG)"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Praktikum Schweißen (MAG)")
    expect(page.get_by_text("Metallbau Kruse GmbH, Wurzen")).to_be_visible()
    assert_accessible(page)
