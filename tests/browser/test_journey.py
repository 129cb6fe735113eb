"""A person logs in, moves through the header navigation and logs out; axe checks every page."""

import re

import pytest
from playwright.sync_api import expect

from portal.accounts.tables import OrgKind, Role
from tests.browser.conftest import assert_accessible
from tests.factories import PASSWORD, make_org, make_user

pytestmark = pytest.mark.browser


def test_it_logs_in_visits_the_account_and_logs_out(page):
    user = make_user(make_org(OrgKind.employer), Role.employer_admin, name="Erika Muster")
    page.goto("/login")
    assert_accessible(page)

    page.get_by_label("E-Mail-Adresse").fill(user.email)
    page.get_by_label("Passwort").fill(PASSWORD)
    page.get_by_label("Passwort").press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Willkommen, Erika Muster")
    assert_accessible(page)

    navigation = page.get_by_role("navigation", name="Hauptnavigation")
    navigation.get_by_role("link", name="Mein Konto").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mein Konto")
    expect(navigation.get_by_role("link", name="Mein Konto")).to_have_attribute(
        "aria-current", "page"
    )
    assert_accessible(page)

    navigation.get_by_role("link", name="Übersicht").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Willkommen, Erika Muster")
    expect(navigation.get_by_role("link", name="Übersicht")).to_have_attribute(
        "aria-current", "page"
    )

    navigation.get_by_role("button", name="Abmelden").click()
    expect(page).to_have_url(re.compile(r"/login\?logged_out=1$"))
    expect(page.get_by_role("status")).to_have_text("Sie wurden abgemeldet.")
    expect(page.get_by_role("navigation", name="Hauptnavigation")).not_to_contain_text("Abmelden")
    assert_accessible(page)


def test_it_shows_a_wrong_password_accessibly(page):
    user = make_user(make_org(), Role.employer_member)
    page.goto("/login")
    page.get_by_label("E-Mail-Adresse").fill(user.email)
    page.get_by_label("Passwort").fill("not-the-password-1")
    page.get_by_label("Passwort").press("Enter")
    problem = page.get_by_role("alert")
    expect(problem).to_have_text("E-Mail-Adresse oder Passwort ist nicht korrekt.")
    # The problem is read first: focus moved to it (static/js/portal.js).
    expect(problem).to_be_focused()
    expect(page.get_by_label("E-Mail-Adresse")).to_have_value(user.email)
    assert_accessible(page)
