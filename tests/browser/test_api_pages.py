"""The API token page and the API description: accessible, no script needed, no CSP problem."""

import re

import pytest
from playwright.sync_api import expect

from portal.accounts.tables import OrgKind, Role
from tests.browser.conftest import assert_accessible, log_in
from tests.factories import make_org, make_user

pytestmark = pytest.mark.browser


def test_an_admin_creates_and_revokes_a_token(page):
    admin = make_user(make_org(OrgKind.case_management), Role.team_lead)
    log_in(page, admin.email)
    nav = page.get_by_role("navigation", name="Hauptnavigation")
    nav.get_by_role("link", name="API-Tokens").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("API-Tokens")
    assert_accessible(page)

    page.get_by_role("button", name="Token erstellen").click()
    expect(page.get_by_label("Name", exact=True)).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)

    page.get_by_label("Name", exact=True).fill("Fallmanagement-Software")
    page.get_by_role("button", name="Token erstellen").click()
    expect(page.locator("#token-secret")).to_contain_text(re.compile(r"ppt_\S{43}"))
    assert_accessible(page)

    page.get_by_role("button", name=re.compile("Widerrufen.*Fallmanagement-Software")).click()
    expect(page.get_by_role("table")).to_contain_text("Widerrufen")
    assert_accessible(page)


def test_a_chambers_statistics_viewer_makes_a_read_only_token(page):
    viewer = make_user(make_org(OrgKind.chamber), Role.statistics_viewer)
    log_in(page, viewer.email)
    nav = page.get_by_role("navigation", name="Hauptnavigation")
    nav.get_by_role("link", name="API-Tokens").click()
    access = page.get_by_label("Zugriff")
    expect(access.locator("option")).to_have_count(1)
    page.get_by_label("Name", exact=True).fill("Berichtswesen")
    page.get_by_role("button", name="Token erstellen").click()
    expect(page.locator("#token-secret")).to_contain_text(re.compile(r"ppt_\S{43}"))
    expect(page.get_by_role("table")).to_contain_text("Nur lesen")
    assert_accessible(page)


def test_the_api_description_is_readable(page):
    page.goto("/schema")
    expect(page.get_by_role("heading", level=1)).to_have_text("API-Beschreibung")
    expect(page.locator("#problem-412")).to_be_visible()
    assert_accessible(page)
