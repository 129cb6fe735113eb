"""Browser tests: the real app over HTTP (uvicorn in a thread), driven by headless Chromium.

Playwright's sync API runs its own event loop in the test thread, so the server gets a thread
of its own, and `tests.conftest.run` moves direct database calls to a worker thread.
Every page is checked with axe-core; any Content-Security-Policy violation, script error or
failed asset fails the test.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from typing import Any

import pytest
from axe_playwright_python.base import AxeResults
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Browser, ConsoleMessage, Page, Response, sync_playwright

from portal.settings import ROOT
from tests.factories import PASSWORD
from tests.live import LiveServer

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
ARTIFACTS = ROOT / "test-artifacts"

AXE = Axe()
# WCAG 2.1 A and AA (BITV 2.0) plus axe's best practices (landmarks, one h1, regions).
AXE_OPTIONS = {
    "runOnly": {
        "type": "tag",
        "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
    },
    "resultTypes": ["violations"],
}
AXE_ARGUMENTS = AXE._format_script_args(context=None, options=AXE_OPTIONS)

# A listener in every document reports CSP violations to Python and keeps them in
# window.cspViolations (the init script is injected by the browser, outside the page's CSP).
REPORT_CSP = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  const text = `${event.violatedDirective} blocked ${event.blockedURI}`;
  window.reportCspViolation(text);
  window.cspViolations.push(text);
});
"""


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def live_servers(worker_database: Any) -> Iterator[dict[Any, LiveServer]]:
    """The worker's live servers, one per settings, started when a test first needs them.

    Building the app costs about a second (Litestar inspects every route handler), more than
    many a browser test, and nearly every test has the worker's settings. Like the `app`
    fixture's app, a server keeps nothing of a test but what lies in the database and the var
    folder, which every test starts afresh."""
    servers: dict[Any, LiveServer] = {}
    yield servers
    for server in servers.values():
        server.stop()


@pytest.fixture
def live_server(
    settings: Any, mailbox: Any, worker_database: Any, live_servers: dict[Any, LiveServer]
) -> Iterator[str]:
    """The app for the test's settings on a free port of 127.0.0.1, with the test's database;
    yields its URL."""
    server = live_servers.get(settings)
    if server is None:
        server = live_servers[settings] = LiveServer(settings, worker_database)
        server.start()
    server.begin_test(worker_database.engine)
    yield server.url
    server.wait_until_idle()


@pytest.fixture
def problems() -> list[str]:
    """What went wrong in the browser while a test ran: CSP violations, script errors, assets."""
    return []


@pytest.fixture
def page(browser: Browser, live_server: str, problems: list[str]) -> Iterator[Page]:
    """A fresh browser context (no cookies) that speaks German, on a desktop-sized window."""
    context = browser.new_context(base_url=live_server, locale="de-DE", viewport=DESKTOP)
    context.expose_function("reportCspViolation", lambda text: problems.append(f"CSP: {text}"))
    context.add_init_script(REPORT_CSP)
    page = context.new_page()
    page.set_default_timeout(5000)
    page.on("console", lambda message: _console(message, problems))
    page.on("pageerror", lambda error: problems.append(f"script error: {error}"))
    page.on("response", lambda response: _asset(response, problems))
    yield page
    # A violation in the last moments may not have reached Python yet; the page still has it.
    for text in page.evaluate("window.cspViolations || []"):
        if f"CSP: {text}" not in problems:
            problems.append(f"CSP: {text}")
    context.close()
    assert not problems, "\n".join(problems)


def _console(message: ConsoleMessage, problems: list[str]) -> None:
    # Chromium logs "Failed to load resource" also for an error page's own status (a 404 page
    # is expected); failed assets are caught by _asset instead.
    # htmx logs an aborted request (the person followed a link while a search was still
    # running) as htmx:sendAbort and a failed htmx:afterRequest: expected, not a fault of the page.
    if message.text.startswith(("htmx:sendAbort", "htmx:afterRequest")):
        return
    if message.type == "error" and "Failed to load resource" not in message.text:
        problems.append(f"console: {message.text}")


def _asset(response: Response, problems: list[str]) -> None:
    if response.request.resource_type != "document" and response.status >= 400:
        problems.append(f"asset {response.url} answered {response.status}")


def assert_accessible(page: Page) -> None:
    """axe-core finds no WCAG 2.1 AA violation (nor best-practice problem) on the page."""
    page.wait_for_load_state("load")
    # axe-core (half a megabyte of script) stays in the document it was put into: after an htmx
    # swap the same document is checked again without evaluating it once more.
    if page.evaluate("typeof window.axe") != "object":
        page.evaluate(AXE.axe_script)
    results = AxeResults(page.evaluate(f"axe.run({AXE_ARGUMENTS}).then(results => results)"))
    assert results.violations_count == 0, f"{page.url}\n{results.generate_report()}"


def log_in(page: Page, email: str, password: str = PASSWORD) -> None:
    """Type the credentials into the login form and press Enter, as a person would."""
    page.goto("/login")
    page.get_by_label("E-Mail-Adresse").fill(email)
    page.get_by_label("Passwort").fill(password)
    page.get_by_label("Passwort").press("Enter")
    page.get_by_role("heading", level=1, name="Willkommen").wait_for()


def screenshot(page: Page, name: str) -> None:
    """A full-page picture in test-artifacts/ (gitignored), to look at the layout by eye, when
    TEST_SCREENSHOTS=1: it asserts nothing, and encoding a full page costs CPU in every run."""
    if os.environ.get("TEST_SCREENSHOTS", "") not in ("1", "true", "yes"):
        return
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"{name}.png", full_page=True)
