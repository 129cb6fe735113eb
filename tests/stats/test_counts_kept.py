"""The counts of a statistics view kept (portal/stats/cache.py): a running period's for
STATS_CACHE_SECONDS, an ended period's until the summary is rebuilt; the worker counts the
usual views ahead; the dashboard says when its figures were counted."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from portal.accounts.tables import Chamber, OrgKind, Role, SizeClass
from portal.auth.policy import StatsScope
from portal.clock import now, today
from portal.stats import cache, summary
from portal.stats import disclosure as d
from portal.stats.ahead import warm
from portal.stats.figures import view
from portal.stats.periods import Period, period_of
from portal.stats.tables import StatsCounts
from tests.conftest import run
from tests.factories import login, make_org, make_user
from tests.stats.test_time_series import summary_rows


@pytest.fixture
def keeping(app) -> Iterator[None]:
    """Counts kept for ten minutes, as in production (the tests' settings keep none)."""
    cache.configure(seconds=600)
    yield
    cache.configure(seconds=0)


def employers(n: int) -> list:
    return [make_org(OrgKind.employer, size_class=SizeClass.small, chamber=Chamber.ihk)
            for _ in range(n)]  # fmt: skip


def started(period: Period) -> int | None:
    return run(view(period, StatsScope.district, None, d.Rules())).get("started").value


def test_a_running_periods_counts_are_kept_for_their_time(keeping, time_machine):
    time_machine.move_to(now(), tick=False)
    month = period_of("month", today())
    summary_rows(employers(4), {today(): 5})
    assert started(month) == 5
    summary_rows(employers(4), {today(): 4})
    assert started(month) == 5  # kept
    time_machine.shift(dt.timedelta(seconds=601))
    assert started(month) == 9  # counted again
    assert run(StatsCounts.count()) == 1


def test_an_ended_periods_counts_are_kept_until_the_summary_is_rebuilt(keeping, time_machine):
    time_machine.move_to(now(), tick=False)
    last_month = period_of("month", today()).previous()
    summary_rows(employers(4), {last_month.start: 6})
    assert started(last_month) == 6
    # A row written behind the summary's back (what a rebuild repairs): the kept counts stay,
    # also long after their time.
    summary_rows(employers(4), {last_month.start: 3})
    time_machine.shift(dt.timedelta(days=2))
    assert started(last_month) == 6
    run(summary.rebuild())  # from the events: there are none, so the summary is emptied
    assert run(StatsCounts.count()) == 0
    assert started(last_month) == 0


def test_nothing_is_kept_when_the_setting_is_0(app):
    summary_rows(employers(4), {today(): 5})
    assert started(period_of("month", today())) == 5
    assert run(StatsCounts.count()) == 0


def test_the_worker_counts_the_usual_views_ahead_once(keeping, time_machine):
    time_machine.move_to(now(), tick=False)
    make_org(OrgKind.chamber, chamber=Chamber.ihk)
    summary_rows(employers(4), {today(): 5})
    # Month, quarter and year and the one before each: the district's and the IHK members'.
    assert run(warm()) == 12
    assert run(warm()) == 0
    # Half their time gone, the running periods are counted again (the ended ones are kept).
    time_machine.shift(dt.timedelta(seconds=301))
    assert run(warm()) == 6
    summary_rows(employers(4), {today(): 1})
    assert started(period_of("month", today())) == 5  # the worker's counts, kept


def test_the_dashboard_says_when_its_figures_were_counted(client, keeping, time_machine):
    time_machine.move_to(dt.datetime(2026, 11, 17, 13, 5, tzinfo=dt.UTC), tick=False)
    authority = make_org(OrgKind.authority)
    make_user(authority, Role.statistics_viewer, email="statistik@behoerde.test")
    login(client, "statistik@behoerde.test")
    page = client.get("/statistics")
    assert page.status_code == 200
    assert "Stand: 17.11.26, 14:05" in page.text  # Berlin's time
    # The figures counted at 14:05 are shown until they are ten minutes old.
    time_machine.shift(dt.timedelta(minutes=9))
    assert "Stand: 17.11.26, 14:05" in client.get("/statistics").text
    time_machine.shift(dt.timedelta(minutes=2))
    assert "Stand: 17.11.26, 14:16" in client.get("/statistics").text
