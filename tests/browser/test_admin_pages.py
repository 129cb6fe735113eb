"""The operator's console pages are accessible, also after htmx has swapped their results."""

import pytest
from playwright.sync_api import expect

from portal.accounts.tables import OrgKind, OrgStatus, Role
from tests.browser.conftest import assert_accessible, log_in
from tests.factories import make_org, make_user

pytestmark = pytest.mark.browser


@pytest.fixture
def operator(live_server):
    # After live_server: building the app binds the tables to this test's database.
    return make_user(make_org(OrgKind.operator, name="Koordinierungsstelle"), Role.operator_admin)


def test_it_finds_no_violation_on_the_organisations_and_their_filter(page, operator):
    make_org(name="Metallbau Schmidt GmbH", status=OrgStatus.pending)
    make_org(name="Spedition Weber KG")
    log_in(page, operator.email)
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "link", name="Organisationen"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Organisationen")
    expect(page.get_by_role("row")).to_have_count(4)  # header, 2 employers, the operator
    assert_accessible(page)

    page.get_by_label("Status").select_option("pending")  # htmx swaps the results
    expect(page.get_by_role("row")).to_have_count(2)
    expect(page.locator("#org-results")).to_contain_text("Metallbau Schmidt GmbH")
    expect(page).to_have_url("/admin/organisations?status=pending&kind=", ignore_case=False)
    assert_accessible(page)


def test_it_finds_no_violation_on_the_users(page, operator):
    log_in(page, operator.email)
    page.goto("/admin/users")
    expect(page.get_by_role("heading", level=1)).to_have_text("Benutzerkonten")
    assert_accessible(page)
