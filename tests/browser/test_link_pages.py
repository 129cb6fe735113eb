"""The pages behind e-mail links (new password, invitation) are accessible, with their errors."""

import pytest
from playwright.sync_api import expect

from portal.accounts.services import issue_token
from portal.accounts.tables import Role, TokenKind
from tests.browser.conftest import assert_accessible
from tests.conftest import run
from tests.factories import make_org, make_user

pytestmark = pytest.mark.browser


def test_it_finds_no_violation_on_the_new_password_form(page):
    user = make_user(make_org(), Role.employer_member)
    token = run(issue_token(user.id, TokenKind.password_reset))
    page.goto(f"/password/reset/{token}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Neues Passwort wählen")
    assert_accessible(page)
    page.get_by_label("Neues Passwort", exact=True).fill("short")
    page.get_by_label("Neues Passwort", exact=True).press("Enter")
    expect(page.locator("#error-summary")).to_be_focused()
    expect(page.get_by_label("Neues Passwort", exact=True)).to_have_attribute(
        "aria-describedby", "hint-password error-password"
    )
    assert_accessible(page)


def test_it_finds_no_violation_on_the_invitation(page):
    user = make_user(make_org(name="Pflegedienst Sonne"), Role.employer_member, confirmed=False)
    token = run(issue_token(user.id, TokenKind.invite))
    page.goto(f"/invite/{token}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Einladung annehmen")
    expect(page.get_by_role("main")).to_contain_text("Pflegedienst Sonne")
    assert_accessible(page)
