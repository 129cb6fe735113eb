"""The statistics of the demo district in Chromium: axe-core clean at 1280 and 375 px, the
charts beside their tables, the programme report printed on one A4 page, and a range being
counted in the background swapped in once counted."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from playwright.sync_api import expect

from portal.candidates.demo import seed_candidates
from portal.clock import today
from portal.demo import DEMO_PASSWORD, seed
from portal.placements.demo import seed_placements
from portal.stats import cache, counting, summary
from portal.stats.demo import seed_history
from tests.browser.conftest import assert_accessible, log_in, screenshot
from tests.conftest import run

pytestmark = pytest.mark.browser

PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def demo(live_server, settings):
    async def load() -> None:
        await seed()
        await seed_candidates(settings)
        await seed_placements()
        await seed_history()
        await summary.rebuild()

    run(load())


def fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def test_the_demo_statistics_are_accessible_on_a_desktop_and_a_phone(page, demo):
    page.set_viewport_size(DESKTOP)
    log_in(page, "controlling@landkreis.demo.portal.test", DEMO_PASSWORD)
    page.get_by_role("navigation", name="Hauptnavigation").get_by_role(
        "link", name="Statistik"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vermittlungsstatistik")
    # The last twelve months (a calendar year is empty on the first of January).
    page.get_by_label("Zeitraum", exact=True).select_option("custom")
    page.get_by_label("Eigener Zeitraum: von").fill((today() - dt.timedelta(days=364)).isoformat())
    page.get_by_label("bis", exact=True).fill(today().isoformat())
    page.get_by_label("Gliederung").select_option("municipality")
    page.get_by_role("button", name="Anzeigen").click()
    expect(page.get_by_role("img", name="Trichter")).to_be_visible()
    expect(page.locator("table[data-table=by_municipality]")).to_be_visible()
    # htmx swapped the figures in place, kept the choice in the address, and said so.
    assert "by=municipality" in page.url and "period=custom" in page.url
    expect(page.locator("#figures-status")).to_contain_text("Zahlen für")
    # Twelve months: the time series, its column chart beside its table.
    expect(page.locator("table[data-table=by_month]")).to_be_visible()
    expect(page.locator("#chart-by-month-title")).to_have_count(1)
    numbers = page.locator("table[data-table=funnel] td").all_inner_texts()
    assert sum(1 for n in numbers if n.isdigit()) >= 10, numbers
    assert_accessible(page)
    screenshot(page, "statistics-desktop")

    page.set_viewport_size(PHONE)
    assert fits(page)
    assert_accessible(page)
    screenshot(page, "statistics-phone")

    page.goto("/statistics/methods")
    expect(page.get_by_role("heading", level=1)).to_have_text("Wie die Zahlen entstehen")
    assert_accessible(page)


def test_the_programme_report_prints_on_one_a4_page(page, demo):
    page.set_viewport_size(DESKTOP)
    log_in(page, "controlling@landkreis.demo.portal.test", DEMO_PASSWORD)
    start = (today() - dt.timedelta(days=364)).isoformat()
    page.goto(f"/statistics/report?period=custom&start={start}&end={today().isoformat()}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Programmbericht")
    assert_accessible(page)
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
    screenshot(page, "statistics-report-print")
    pdf = page.pdf(format="A4", print_background=False)
    pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
    assert pages == 1, f"the report takes {pages} pages"


def test_a_custom_range_shows_it_is_being_counted_then_the_figures_without_a_reload(
    page, demo, live_servers, settings
):
    """Counts kept as in production and counted in the background; the request never waits
    for them, and the counts wait their turn until the test lets them run."""
    server = live_servers[settings]
    held: list[counting.Counting] = []

    async def hold_every_slot() -> None:
        mine = counting.counting()
        for _ in range(counting.AT_ONCE):
            await mine.slots.acquire()
            held.append(mine)

    async def release() -> None:
        while held:
            held.pop().slots.release()

    cache.configure(seconds=600)
    counting.configure(wait_seconds=0)
    server.call(hold_every_slot)
    try:
        page.set_viewport_size(DESKTOP)
        log_in(page, "controlling@landkreis.demo.portal.test", DEMO_PASSWORD)
        page.goto("/statistics")
        expect(page.locator("#figures")).to_contain_text("werden gerade gezählt")
        page.evaluate("window.sameDocument = true")
        page.get_by_label("Zeitraum", exact=True).select_option("custom")
        start = (today() - dt.timedelta(days=2 * 365)).isoformat()
        page.get_by_label("Eigener Zeitraum: von").fill(start)
        page.get_by_label("bis", exact=True).fill(today().isoformat())
        page.get_by_role("button", name="Anzeigen").click()
        expect(page.locator("#figures-status")).to_contain_text("werden gerade gezählt")
        expect(page.locator("#figures")).to_contain_text(
            "Die Zahlen für diesen Zeitraum werden gerade gezählt …"
        )
        assert "period=custom" in page.url
        assert_accessible(page)
        server.call(release)
        # The poll brings the figures in place: no reload, the focus where the viewer left it.
        expect(page.get_by_role("img", name="Trichter")).to_be_visible(timeout=15_000)
        expect(page.locator("#figures-status")).to_contain_text("Zahlen für")
        assert page.evaluate("window.sameDocument") is True
        assert page.evaluate("document.activeElement.textContent.trim()") == "Anzeigen"
        assert page.locator("[data-poll]").count() == 0
        assert_accessible(page)
    finally:
        server.call(release)
        cache.configure(seconds=0)
        counting.configure()
