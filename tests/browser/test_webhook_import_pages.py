"""The webhook settings and the import pages in a real browser: accessible at 1280 and 375 px,
no script needed, no CSP problem."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from portal.accounts.tables import OrgKind, Role
from portal.clock import now
from portal.webhooks.subscriptions import write_deliveries
from portal.webhooks.tables import HookEvent
from tests.browser.conftest import assert_accessible, log_in
from tests.conftest import run
from tests.factories import make_municipality, make_occupation, make_org, make_user
from tests.imports.files import SLOT_COLUMNS, csv_bytes, slot_row

pytestmark = pytest.mark.browser
PHONE = {"width": 375, "height": 812}


def fits(page: Page) -> None:
    page.set_viewport_size(PHONE)
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 376


def test_an_admin_registers_an_endpoint_and_sends_an_event_again(page):
    org = make_org(OrgKind.employer)
    admin = make_user(org, Role.employer_admin)
    log_in(page, admin.email)
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "link", name="Webhooks"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Webhooks")
    assert_accessible(page)

    page.get_by_label("Adresse (URL)").fill("http://hr.example.org/hooks")
    page.get_by_role("button", name="Endpunkt eintragen").click()
    expect(page.get_by_label("Adresse (URL)")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)

    page.get_by_label("Adresse (URL)").fill("https://hr.example.org/hooks")
    page.get_by_role("button", name="Endpunkt eintragen").click()
    expect(page.locator("#webhook-secret")).to_contain_text(re.compile(r"whsec_\S{43}"))
    assert_accessible(page)

    run(write_deliveries(HookEvent.slot_filled, [org.id], {"slot_id": "x"}, now()))
    page.get_by_role("link", name="https://hr.example.org/hooks").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Webhook-Zustellungen")
    page.get_by_role("button", name=re.compile("Erneut senden")).click()
    expect(page.locator("#messages")).to_contain_text("erneut gesendet")
    expect(page.get_by_role("row")).to_have_count(3)  # the header and two deliveries
    assert_accessible(page)
    fits(page)


def test_an_employer_checks_and_imports_slots(page):
    make_occupation("24412")
    make_municipality("Musterstadt")
    admin = make_user(make_org(OrgKind.employer), Role.employer_admin)
    log_in(page, admin.email)
    page.goto("/slots")
    page.get_by_role("link", name="Praktikumsplätze importieren").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Praktikumsplätze importieren")
    assert_accessible(page)

    broken = [slot_row(1), slot_row(2, title="", municipality="Atlantis")]
    page.get_by_label("Datei (CSV oder .xlsx)").set_input_files(
        {"name": "plaetze.csv", "mimeType": "text/csv", "buffer": csv_bytes(SLOT_COLUMNS, broken)}
    )
    page.get_by_role("button", name="Datei prüfen").click()
    expect(page.locator("#problems")).to_contain_text("municipality")
    assert_accessible(page)
    fits(page)

    fixed = [slot_row(1), slot_row(2)]
    page.get_by_label("Datei (CSV oder .xlsx)").set_input_files(
        {"name": "plaetze.csv", "mimeType": "text/csv", "buffer": csv_bytes(SLOT_COLUMNS, fixed)}
    )
    page.get_by_role("button", name="Datei prüfen").click()
    expect(page.locator("#import-ready")).to_contain_text("2 Zeilen")
    page.get_by_role("button", name="Jetzt importieren").click()
    expect(page.locator("#messages")).to_contain_text("2 Zeilen wurden importiert")
    expect(page.get_by_text("Praktikum Metallbau 2")).to_be_visible()


def test_the_case_import_page_is_accessible(page):
    agency = make_org(OrgKind.case_management)
    log_in(page, make_user(agency, Role.case_manager).email)
    page.goto("/candidates")
    page.get_by_role("link", name="Fälle importieren").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Fälle importieren")
    assert_accessible(page)
    fits(page)
