"""The layout holds on a desktop and on a phone; screenshots go to test-artifacts/ for a look."""

import pytest
from playwright.sync_api import Page, expect

from portal.accounts.tables import Role
from tests.browser.conftest import DESKTOP, PHONE, log_in, screenshot
from tests.factories import make_org, make_user

pytestmark = pytest.mark.browser


def assert_tidy(page: Page) -> None:
    """Header, navigation and footer are there, nothing sticks out sideways, text is readable."""
    expect(page.get_by_role("banner")).to_be_visible()
    expect(page.get_by_role("navigation", name="Hauptnavigation")).to_be_visible()
    expect(page.get_by_role("contentinfo")).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    assert page.evaluate("parseFloat(getComputedStyle(document.body).fontSize)") >= 16
    # On a short page the footer sits at the bottom of the window, not in its middle.
    footer_bottom = page.evaluate(
        "document.querySelector('footer').getBoundingClientRect().bottom + window.scrollY"
    )
    assert footer_bottom >= page.viewport_size["height"] - 1
    # Navigation targets are comfortable to hit (WCAG 2.5.8: at least 24 px).
    for box in (
        page.get_by_role("navigation")
        .get_by_role("link")
        .evaluate_all("links => links.map(link => link.getBoundingClientRect().height)")
    ):
        assert box >= 24


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_it_lays_out_the_login_page_and_the_overview(page, viewport):
    user = make_user(
        make_org(name="Metallbau Schmidt GmbH"), Role.employer_admin, name="Erika Muster"
    )
    size = "desktop" if viewport == DESKTOP else "phone"
    page.set_viewport_size(viewport)
    page.goto("/login")
    assert_tidy(page)
    screenshot(page, f"login-{size}")
    log_in(page, user.email)
    assert_tidy(page)
    screenshot(page, f"overview-{size}")
