"""A view whose counts are not kept is counted in the background (portal/stats/counting.py):
the request waits only briefly, then answers "being counted" and asks again; the next request
after the count gets the figures. The tests let the request wait 0 s, so that every count
not kept outlasts the wait: a real count, only never waited for."""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Iterator

import pytest

from portal.accounts.tables import OrgKind, OrgStatus, Role
from portal.clock import today
from portal.stats import cache, counting
from portal.stats.tables import StatsCounts, StatsSummary
from tests.conftest import run
from tests.factories import login, make_org, make_user
from tests.stats.history import make_history

START = (today() - dt.timedelta(days=3 * 365)).isoformat()
# Three years up to today: a custom range, which the worker never counts ahead.
RANGE = {"period": "custom", "start": START, "end": today().isoformat(), "by": "chamber"}
BEING_COUNTED = "Die Zahlen für diesen Zeitraum werden gerade gezählt …"


@pytest.fixture
def counted_later(app) -> Iterator[None]:
    """Counts kept, as in production, and a request that never waits for a count."""
    cache.configure(seconds=600)
    counting.configure(wait_seconds=0)
    yield
    cache.configure(seconds=0)
    counting.configure()


@pytest.fixture
def viewer(client):
    make_history(per_employer=3, employers=4)
    user = make_user(make_org(OrgKind.authority, status=OrgStatus.active), Role.statistics_viewer)
    login(client, user.email)
    return user


def counts_done(client) -> counting.Counting:
    """Once the counts running in the background of the client's app are done."""

    async def done() -> counting.Counting:
        mine = counting.counting()
        await asyncio.gather(*mine.tasks.values(), return_exceptions=True)
        return mine

    return client.blocking_portal.call(done)


def test_it_says_the_figures_are_being_counted_and_shows_them_on_the_next_request(
    client, counted_later, viewer
):
    waiting = client.get("/statistics", params=RANGE)
    assert waiting.status_code == 200
    assert BEING_COUNTED in waiting.text
    assert "data-table" not in waiting.text
    # htmx asks again every 2 s for the same view; without JavaScript a link does.
    assert 'hx-trigger="every 2s"' in waiting.text
    assert "<noscript>" in waiting.text and "Neu laden" in waiting.text
    counts_done(client)
    # The view and the period before it, kept by the background task.
    assert run(StatsCounts.count()) == 2
    page = client.get("/statistics", params=RANGE)
    assert BEING_COUNTED not in page.text
    assert 'data-sign="12"' in page.text


def test_the_htmx_poll_swaps_the_figures_in_once_they_are_counted(client, counted_later, viewer):
    poll = {"HX-Request": "true", "HX-Trigger": "figures"}
    waiting = client.get("/statistics", params=RANGE, headers=poll)
    assert waiting.status_code == 200
    assert waiting.text.lstrip().startswith('<div id="figures" data-poll')
    # Asking again says nothing new to the live region.
    assert "hx-swap-oob" not in waiting.text
    counts_done(client)
    figures = client.get("/statistics", params=RANGE, headers=poll)
    assert 'data-sign="12"' in figures.text and "data-poll" not in figures.text
    assert 'hx-swap-oob="innerHTML">Zahlen für' in figures.text


def test_two_requests_for_the_same_view_start_one_count(client, counted_later, viewer):
    mine = counts_done(client)

    async def hold_every_slot() -> None:
        for _ in range(counting.AT_ONCE):
            await mine.slots.acquire()

    async def release_every_slot() -> None:
        for _ in range(counting.AT_ONCE):
            mine.slots.release()

    # Every place taken: the counts wait their turn, so the second request finds the first's.
    client.blocking_portal.call(hold_every_slot)
    assert BEING_COUNTED in client.get("/statistics", params=RANGE).text
    assert BEING_COUNTED in client.get("/statistics", params=RANGE).text
    assert mine.started == 2  # the view and the period before it, once each
    client.blocking_portal.call(release_every_slot)
    counts_done(client)
    assert 'data-sign="12"' in client.get("/statistics", params=RANGE).text
    assert mine.started == 2


def test_no_more_counts_wait_than_the_queue_holds(client, counted_later, viewer, caplog):
    mine = counts_done(client)

    async def hold_every_slot() -> None:
        for _ in range(counting.AT_ONCE):
            await mine.slots.acquire()

    async def release_every_slot() -> None:
        for _ in range(counting.AT_ONCE):
            mine.slots.release()

    client.blocking_portal.call(hold_every_slot)
    # Each custom range is two counts (the range and the one before it), all waiting.
    ends = [today() - dt.timedelta(days=n) for n in range(counting.AT_ONCE + counting.QUEUED)]
    ranges = [{**RANGE, "end": end.isoformat()} for end in ends]
    for view in ranges[: (counting.AT_ONCE + counting.QUEUED) // 2]:
        assert BEING_COUNTED in client.get("/statistics", params=view).text
    assert mine.started == counting.AT_ONCE + counting.QUEUED
    with caplog.at_level(logging.WARNING, logger="portal.stats"):
        busy = client.get("/statistics", params=ranges[-1])
    assert busy.status_code == 200
    assert "konnten nicht gezählt werden" in busy.text
    assert "statistics counting busy" in caplog.text
    assert mine.started == counting.AT_ONCE + counting.QUEUED  # nothing more started
    client.blocking_portal.call(release_every_slot)
    counts_done(client)
    # Once the queue has room, the same view is counted.
    assert BEING_COUNTED in client.get("/statistics", params=ranges[-1]).text
    counts_done(client)
    assert 'data-sign="' in client.get("/statistics", params=ranges[-1]).text


def test_the_json_export_answers_202_with_retry_after_until_counted(client, counted_later, viewer):
    waiting = client.get("/statistics/figures.json", params=RANGE)
    assert waiting.status_code == 202
    assert waiting.headers["retry-after"] == "2"
    assert waiting.headers["content-type"].startswith("application/problem+json")
    problem = waiting.json()
    assert problem["status"] == 202
    assert problem["title"] == "Die Zahlen für diesen Zeitraum werden gerade gezählt."
    counts_done(client)
    figures = client.get("/statistics/figures.json", params=RANGE)
    assert figures.status_code == 200 and figures.json()["tables"]


def test_a_download_answers_202_with_a_page_and_the_report_asks_again(
    client, counted_later, viewer
):
    csv = client.get("/statistics/figures.csv", params=RANGE)
    assert csv.status_code == 202 and csv.headers["retry-after"] == "2"
    assert csv.headers["content-type"].startswith("text/html")
    assert BEING_COUNTED in csv.text and "Erneut herunterladen" in csv.text
    report = client.get("/statistics/report", params=RANGE)
    assert report.status_code == 200
    assert BEING_COUNTED in report.text and 'hx-trigger="every 2s"' in report.text
    counts_done(client)
    # The waiting report's poll: now the whole page is loaded again.
    asked_again = client.get("/statistics/report", params=RANGE, headers={"HX-Request": "true"})
    assert asked_again.headers["hx-refresh"] == "true"
    assert "Programmbericht" in client.get("/statistics/report", params=RANGE).text
    assert client.get("/statistics/figures.csv", params=RANGE).status_code == 200


def test_the_figures_counted_in_the_background_are_suppressed_as_in_the_request(
    client, counted_later, viewer
):
    assert client.get("/statistics/figures.json", params=RANGE).status_code == 202
    counts_done(client)
    later = client.get("/statistics/figures.json", params=RANGE).json()
    cache.configure(seconds=0)  # counted in the request, nothing kept
    now = client.get("/statistics/figures.json", params=RANGE).json()
    assert later["tables"] == now["tables"]
    cells = [c for t in later["tables"] for r in t["rows"] for c in r["cells"]]
    # Not vacuous: the HWK member's three placements stand alone in the chamber breakdown.
    assert {"sign": "*", "value": None} in cells and {"sign": "12", "value": 12} in cells


def test_a_failed_count_is_logged_and_offered_again(client, counted_later, viewer, caplog):
    caplog.set_level(logging.INFO, logger="portal.stats")
    # A real failure: the summary is not there while the count runs.
    run(StatsSummary.raw("ALTER TABLE stats_summary RENAME TO stats_summary_gone"))
    try:
        assert BEING_COUNTED in client.get("/statistics", params=RANGE).text
        counts_done(client)
    finally:
        run(StatsSummary.raw("ALTER TABLE stats_summary_gone RENAME TO stats_summary"))
    failed = client.get("/statistics", params=RANGE)
    assert failed.status_code == 200
    assert "Die Zahlen für diesen Zeitraum konnten nicht gezählt werden." in failed.text
    assert "Erneut versuchen" in failed.text and "data-poll" not in failed.text
    [record, *_] = [r for r in caplog.records if r.getMessage() == "statistics count failed"]
    assert record.key.startswith("district||")
    assert viewer.email not in caplog.text
    # Asked again: counted again, and shown.
    assert BEING_COUNTED in client.get("/statistics", params=RANGE).text
    counts_done(client)
    assert 'data-sign="12"' in client.get("/statistics", params=RANGE).text


def test_a_quick_count_is_waited_for(client, viewer):
    cache.configure(seconds=600)  # the request waits its usual 1.5 s
    try:
        page = client.get("/statistics", params=RANGE)
    finally:
        cache.configure(seconds=0)
    assert 'data-sign="12"' in page.text
    assert run(StatsCounts.count()) == 2
