"""The time series: a breakdown by month, linked to the funnel like every breakdown, and its
column chart on the dashboard when the period spans months."""

from __future__ import annotations

import datetime as dt
from collections import Counter

from portal.accounts.tables import Chamber, OrgKind, OrgStatus, Role, SizeClass
from portal.auth.policy import StatsScope
from portal.clock import today
from portal.stats import disclosure as d
from portal.stats.figures import view
from portal.stats.periods import Period
from portal.stats.tables import StatsSummary
from tests.conftest import run
from tests.factories import login, make_org, make_user


def summary_rows(employers, per_month: dict[dt.date, int], metric: str = "started") -> None:
    """`per_month[day]` events of `metric` on `day`, dealt out to the employers one by one."""
    counts: Counter = Counter()
    for day, events in per_month.items():
        for i in range(events):
            counts[(day, employers[i % len(employers)].id)] += 1
    rows = [
        StatsSummary(day=day, metric=metric, employer=employer, occupation_area="2",
                     occupation_main_group="24", events=n)
        for (day, employer), n in counts.items()
    ]  # fmt: skip
    run(StatsSummary.insert(*rows))


def year_of(day: dt.date) -> Period:
    return Period("year", dt.date(day.year, 1, 1), dt.date(day.year, 12, 31))


def months(day: dt.date) -> tuple[dt.date, dt.date, dt.date]:
    """Three days in three different months of `day`'s year."""
    return dt.date(day.year, 2, 10), dt.date(day.year, 5, 3), dt.date(day.year, 9, 28)


def employers(n: int) -> list:
    return [make_org(OrgKind.employer, size_class=SizeClass.small, chamber=Chamber.ihk)
            for _ in range(n)]  # fmt: skip


def test_the_months_add_up_to_the_period_and_small_months_are_hidden_with_a_neighbour(app):
    february, may, september = months(today())
    summary_rows(employers(4), {february: 8, may: 2, september: 6})
    v = run(view(year_of(today()), StatsScope.district, None, d.Rules()))
    assert [value for value, _label in v.values["month"]] == [
        f"{february:%Y-%m}",
        f"{may:%Y-%m}",
        f"{september:%Y-%m}",
    ]
    assert v.get("started").value == 16
    assert v.get("started", "month", f"{february:%Y-%m}").value == 8
    # Two in May: suppressed; the total is published, so the next smallest month goes too.
    assert v.get("started", "month", f"{may:%Y-%m}").suppressed
    assert v.get("started", "month", f"{september:%Y-%m}").suppressed
    assert not v.get("started", "month", f"{february:%Y-%m}").suppressed


def test_the_dashboard_draws_the_months_of_a_year_as_columns(client):
    february, may, september = months(today())
    summary_rows(employers(4), {february: 8, may: 4, september: 6})
    org = make_org(OrgKind.authority, status=OrgStatus.active)
    login(client, make_user(org, Role.statistics_viewer).email)
    page = client.get(f"/statistics?period=year&on={today().isoformat()}").text
    assert 'id="table-by_month"' in page
    assert 'id="chart-by-month-title"' in page
    assert "Februar" in page and "Mai" in page and "September" in page
    csv = client.get(f"/statistics/figures.csv?period=year&on={today().isoformat()}").text
    assert f"Februar {february.year}" in csv


def test_a_single_month_shows_no_time_series(client):
    summary_rows(employers(4), {today(): 5})
    org = make_org(OrgKind.authority, status=OrgStatus.active)
    login(client, make_user(org, Role.statistics_viewer).email)
    page = client.get("/statistics?period=month").text
    assert 'id="table-by_month"' not in page
