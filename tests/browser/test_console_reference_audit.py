"""The console's reference data, limits and audit log pages: axe-clean at 1280 and 375 px,
also after htmx has swapped a section, and nothing sticks out sideways on a phone."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from portal.accounts.tables import OrgKind, Role
from portal.audit.services import record
from portal.reference import services
from tests.browser.conftest import assert_accessible, log_in, screenshot
from tests.conftest import run
from tests.factories import make_municipality, make_org, make_user

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}
PAGES = ("/admin/programmes", "/admin/municipalities", "/admin/limits", "/admin/audit")


@pytest.fixture
def operator(live_server):
    # After live_server: building the app binds the tables to this test's database.
    user = make_user(make_org(OrgKind.operator, name="Koordinierungsstelle"), Role.operator_admin)
    run(services.add_programme("WIR-Fallmanagement", description="Hessen"))
    make_municipality("Leipzig", ags="14713000", district="Kreisfreie Stadt")
    for number in range(3):
        run(
            record(
                "placement.accepted",
                record_type="placement",
                record_id=f"p-{number}",
                actor_id=user.id,
                actor_organisation_id=user.organisation,
                reason="Rückfrage beim Jobcenter",
            )
        )
    return user


def assert_fits(page: Page) -> None:
    """Nothing sticks out sideways: wide tables scroll inside their own box."""
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), page.url


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["1280px", "375px"])
def test_the_pages_are_accessible(page, operator, viewport):
    if viewport:
        page.set_viewport_size(viewport)
    log_in(page, operator.email)
    for path in PAGES:
        page.goto(path)
        expect(page.get_by_role("heading", level=1)).to_be_visible()
        assert_accessible(page)
        if viewport:
            assert_fits(page)
        screenshot(page, f"console{path.replace('/', '-')}-{'phone' if viewport else 'desk'}")


def test_adding_a_programme_by_htmx_stays_accessible(page, operator):
    log_in(page, operator.email)
    page.goto("/admin/programmes")
    page.get_by_label("Name").fill("wir-fallmanagement")
    page.get_by_role("button", name="Anlegen").click()
    expect(page.locator("#reference-section")).to_contain_text("gibt es schon")
    assert_accessible(page)
    page.get_by_label("Name").fill("KAI – Kurs . Arbeit . Integration")
    page.get_by_role("button", name="Anlegen").click()
    expect(page.locator("#reference-section")).to_contain_text("wurde angelegt")
    expect(page.get_by_role("row")).to_have_count(3)
    page.get_by_role("button", name="Stilllegen WIR-Fallmanagement").click()
    expect(page.locator("#reference-section")).to_contain_text("wurde stillgelegt")
    assert_accessible(page)


def test_the_audit_log_filters_by_htmx_and_keeps_the_filter_in_the_url(page, operator):
    log_in(page, operator.email)
    page.goto("/admin/audit")
    expect(page.get_by_role("row")).to_have_count(5)  # the header, 3 rows, programme.created
    page.get_by_label("Datensatz (Fall-Code oder ID)").fill("p-1")
    page.get_by_role("button", name="Anzeigen").click()
    expect(page.get_by_role("row")).to_have_count(2)
    expect(page).to_have_url("/admin/audit?actor=&organisation=&record=p-1&action=&start=&end=")
    assert "Rückfrage" not in page.content()
    assert_accessible(page)
    page.reload()
    expect(page.get_by_role("row")).to_have_count(2)
