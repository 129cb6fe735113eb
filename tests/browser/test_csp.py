"""The strict Content-Security-Policy holds in a real browser: htmx runs, nothing is blocked."""

import pytest

from portal.accounts.tables import OrgKind, Role
from tests.browser.conftest import log_in
from tests.factories import make_org, make_user

pytestmark = pytest.mark.browser


def test_it_runs_htmx_and_the_pages_without_a_violation(page, problems):
    user = make_user(make_org(OrgKind.employer), Role.employer_admin)
    response = page.goto("/login")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert page.evaluate("typeof htmx") == "object"
    assert page.evaluate("htmx.config.includeIndicatorStyles") is False
    log_in(page, user.email)
    page.goto("/account")
    page.goto("/team")
    assert page.evaluate("typeof htmx") == "object"
    assert not problems


def test_it_notices_a_violation(page, problems):
    # The watch itself works: an inline style is refused and reported.
    page.goto("/login")
    page.evaluate(
        "() => { const s = document.createElement('style'); s.textContent = 'p {}';"
        " document.head.append(s); }"
    )
    page.wait_for_function("() => window.cspViolations.length > 0")
    for _ in range(20):  # the report reaches Python with one of the browser's next messages
        if problems:
            break
        page.evaluate("0")
    assert any(problem.startswith("CSP: style-src") for problem in problems), problems
    problems.clear()
    page.evaluate("window.cspViolations = []")
