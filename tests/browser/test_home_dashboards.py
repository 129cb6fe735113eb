"""The to-do dashboards on the home page in a real browser: accessible at 1280 and 375 px,
nothing wider than the phone's screen, and each row leads to the page of its action."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from playwright.sync_api import Page, expect

from portal.accounts.tables import OrgKind, Role
from portal.clock import now, today
from tests.browser.conftest import DESKTOP, assert_accessible, log_in, screenshot
from tests.factories import make_candidate, make_org, make_slot, make_user
from tests.home.rows import put

pytestmark = pytest.mark.browser

PHONE_375 = {"width": 375, "height": 812}


def days(n: int) -> dt.date:
    return today() + dt.timedelta(days=n)


@pytest.fixture
def world(live_server: str) -> dict[str, Any]:
    """After live_server (which binds the tables): one of each thing a dashboard lists."""
    employer = make_org(OrgKind.employer, name="Metallbau Kassel GmbH")
    agency = make_org(OrgKind.case_management, name="Jobcenter Musterland")
    alice = make_user(agency, Role.case_manager, name="Alice Fallmanagerin")
    slot = make_slot(employer, title="Praktikum Schweißen", start_date=days(-2), end_date=days(9))
    put("proposed", slot, agency, alice, n=6, created_at=now() - dt.timedelta(days=4))
    put("requested", slot, agency, alice, origin="request")
    put("accepted", slot, agency, alice, answered_at=now(), start_date=days(3), end_date=days(8))
    put("preparing", slot, agency, alice, start_date=days(2), end_date=days(9))
    put("in_progress", slot, agency, alice, start_date=days(-9), end_date=days(-1))
    put("completed", slot, agency, alice)
    make_candidate(agency, alice)
    return {
        "erik": make_user(employer, Role.employer_admin, name="Erik Werkstatt"),
        "alice": alice,
        "tanja": make_user(agency, Role.team_lead, name="Tanja Teamleitung"),
    }


def check(page: Page, name: str) -> None:
    """Accessible and not wider than the window, at 1280 and at 375 px."""
    for size, viewport in (("desktop", DESKTOP), ("375", PHONE_375)):
        page.set_viewport_size(viewport)
        assert_accessible(page)
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= viewport["width"] + 1, (size, width)
        screenshot(page, f"home-{name}-{size}")
    page.set_viewport_size(DESKTOP)


def test_the_employers_dashboard(page: Page, world: dict[str, Any]) -> None:
    log_in(page, world["erik"].email)
    expect(page.get_by_role("heading", level=2, name="Was als Nächstes zu tun ist")).to_be_visible()
    waiting = page.locator("#todo-section-waiting")
    expect(waiting.get_by_role("listitem")).to_have_count(5)
    expect(waiting.get_by_text("wartet seit 4 Tagen").first).to_be_visible()
    check(page, "employer")
    page.locator("#todo-section-evaluations").get_by_role("link").first.click()
    expect(page).to_have_url(re.compile(r"/placements/[0-9a-f-]+/evaluation$"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.go_back()
    page.get_by_role("link", name="Neuer Praktikumsplatz").click()
    expect(page).to_have_url(re.compile(r"/slots/new$"))


def test_the_case_managers_dashboard(page: Page, world: dict[str, Any]) -> None:
    log_in(page, world["alice"].email)
    expect(page.locator("#todo-section-accepted").get_by_role("listitem")).to_have_count(1)
    check(page, "case-manager")
    page.locator("#todo-section-checklist").get_by_role("link").first.click()
    expect(page).to_have_url(re.compile(r"/placements/[0-9a-f-]+/checklist$"))
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    page.go_back()
    page.locator("#todo-section-cases").get_by_role("link").first.click()
    expect(page).to_have_url(re.compile(r"/candidates/[0-9a-f-]+/consent$"))
    expect(page.get_by_role("heading", level=1)).to_contain_text("K-")


def test_the_team_leads_dashboard(page: Page, world: dict[str, Any]) -> None:
    log_in(page, world["tanja"].email)
    table = page.get_by_role("table", name="Was wartet, pro Person im Team")
    expect(table.get_by_role("row", name="Alice Fallmanagerin")).to_be_visible()
    check(page, "team-lead")
    table.get_by_role("link", name="Alice Fallmanagerin").click()
    expect(page).to_have_url(re.compile(r"/board/placements\?case_worker=[0-9a-f-]+$"))
