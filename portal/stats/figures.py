"""The figures of one statistics view: a scope and a period, with every breakdown.

A view is computed whole — the funnel and all its breakdowns — and protected in one go by
`disclosure.protect`, because they are linked by their totals: the funnel's figure of a stage
is the sum of each breakdown's column. Every output (page, chart, CSV, spreadsheet, JSON) is
drawn from the protected `View`, so all of them suppress the same cells.

The counts come from the summary (placement events) and, for the first two stages, from the
candidates' own rows (registered, profiled): dates and the programme, never a person.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Hashable
from dataclasses import dataclass, field
from typing import Any

from piccolo.query.methods.select import Count
from piccolo.querystring import QueryString

from portal.auth.policy import StatsScope, statistics_employers_where
from portal.candidates.tables import Candidate
from portal.clock import TIMEZONE, now, today
from portal.employers.tables import Slot
from portal.i18n import N_
from portal.placements.transitions import ABORT_REASONS, OUTCOME_LABELS
from portal.stats import cache
from portal.stats import disclosure as d
from portal.stats.labels import labels_of
from portal.stats.periods import Period
from portal.stats.tables import StatsSummary

TOTAL = ("total", "")

# The funnel, top to bottom: stage id → label. Candidate stages count people registered and
# profiled in the period; the others count placement events in the period.
CANDIDATE_STAGES = ("registered", "profiled")
STAGES: dict[str, str] = {
    "registered": N_("Candidates registered"),
    "profiled": N_("Profiled (active)"),
    "nominated": N_("Nominated or requested"),
    "accepted": N_("Accepted by the employer"),
    "declined": N_("Declined"),
    "withdrawn": N_("Withdrawn"),
    "started": N_("Internships started"),
    "completed": N_("Internships completed"),
    "aborted": N_("Internships ended early"),
    **{f"aborted.{code}": label for code, label in ABORT_REASONS.items()},
    "outcome": N_("Outcomes recorded"),
    **{f"outcome.{code}": label for code, label in OUTCOME_LABELS.items()},
    "follow_up_3.employed": N_("Still employed after 3 months"),
    "follow_up_6.employed": N_("Still employed after 6 months"),
}
# Stages split into parts that add up to them (linked groups of the disclosure control).
SPLITS = {"aborted": tuple(ABORT_REASONS), "outcome": tuple(OUTCOME_LABELS)}
# The stages a breakdown table shows as its columns (the exports show every stage).
BREAKDOWN_COLUMNS = (
    "nominated",
    "accepted",
    "started",
    "completed",
    "aborted",
    "outcome",
    "outcome.hired",
    "outcome.apprenticeship",
)
RATES: tuple[tuple[str, str, str], ...] = (
    (N_("Accepted of nominated"), "accepted", "nominated"),
    (N_("Started of accepted"), "started", "accepted"),
    (N_("Completed of started"), "completed", "started"),
    (N_("Hired of completed"), "outcome.hired", "completed"),
    (N_("Apprenticeship of completed"), "outcome.apprenticeship", "completed"),
    (N_("Still employed after 6 months of hired"), "follow_up_6.employed", "outcome.hired"),
)
MEDIANS: dict[str, str] = {
    "days_nomination": N_("Days from registration to the first nomination"),
    "days_internship": N_("Days from registration to the first internship"),
    "days_hire": N_("Days from registration to a hire"),
}
# Breakdowns: id → (label, the SQL expression of its value over the summary's rows joined with
# the employer's organisation, `base` in _counts_sql). Our own constants, never input.
DIMENSIONS: dict[str, tuple[str, str]] = {
    "area": (N_("Occupational area (KldB, 1 digit)"), "occupation_area"),
    "field": (
        N_("Occupational main group (KldB, 2 digits)"),
        "occupation_main_group",
    ),
    "municipality": (N_("Municipality"), "CAST(municipality AS VARCHAR(12))"),
    "programme": (N_("Programme"), "CAST(programme AS VARCHAR(12))"),
    "kind": (N_("Slot kind"), "slot_kind"),
    "size": (N_("Employer size"), "COALESCE(size_class, '')"),
    "chamber": (N_("Chamber"), "COALESCE(chamber, '')"),
    # The time series: the period's months ("2026-03"; a day is stored as YYYY-MM-DD by both
    # engines).
    "month": (N_("Month"), "SUBSTR(CAST(day AS VARCHAR(10)), 1, 7)"),
}
EMPLOYER_ROWS: dict[str, str] = {
    "employers_active": N_("Employers with placement activity"),
    "slots_posted": N_("Slots published"),
    "places_offered": N_("Places offered in published slots"),
}


@dataclass
class View:
    scope: StatsScope
    period: Period
    rules: d.Rules
    cells: dict[Hashable, d.Cell]
    groups: list[d.Group]
    published: dict[Hashable, d.Published]
    values: dict[str, list[tuple[str, str]]]  # dimension → [(value, label)]
    durations: dict[str, dict[int, int]]
    employer_rows: dict[str, d.Published] = field(default_factory=dict)
    counted_at: dt.datetime | None = None  # when the counts were read from the summary

    def get(self, stage: str, dimension: str = "total", value: str = "") -> d.Published:
        return self.published.get((stage, dimension, value), d.Published(0))

    def applies(self, stage: str, dimension: str) -> bool:
        """Candidate stages break down by programme only, and not in a chamber's member view."""
        if stage in CANDIDATE_STAGES:
            return self.scope == StatsScope.district and dimension in ("total", "programme")
        return True

    def rate(self, numerator: str, denominator: str) -> float | None:
        return d.rate(self.get(numerator), self.get(denominator), self.rules)

    def median(self, metric: str) -> float | None:
        return d.median(self.durations.get(metric, {}), self.rules)


# -- reading the counts -----------------------------------------------------------------------


def _scope_condition(scope: StatsScope, chamber: str | None) -> QueryString:
    condition = statistics_employers_where(scope, chamber, employer=StatsSummary.employer)
    if condition is None:
        return QueryString("1 = 1")
    return condition.querystring


def _counts_sql() -> str:
    """One query for the funnel and every breakdown: the period's summary rows (`base`), then,
    per breakdown, each stage's count per employer (for the dominance rule), then per cell the
    number of employers, the sum and the largest employer's part."""
    splits = ", ".join(f"'{stage}'" for stage in (*SPLITS, "follow_up_3", "follow_up_6"))
    parts = []
    for dimension, expression in [("total", "''"), *((k, v[1]) for k, v in DIMENSIONS.items())]:
        # PostgreSQL refuses a constant in GROUP BY: the funnel groups by stage and employer only.
        by = "" if dimension == "total" else f"{expression}, "
        parts.append(
            f"SELECT '{dimension}' AS dim, {expression} AS value, metric AS stage, employer, "  # noqa: S608
            f"SUM(events) AS n FROM base GROUP BY {by}metric, employer"
        )
        parts.append(
            f"SELECT '{dimension}' AS dim, {expression} AS value, metric || '.' || reason AS "  # noqa: S608
            f"stage, employer, SUM(events) AS n FROM base WHERE metric IN ({splits}) "
            f"GROUP BY {by}metric, reason, employer"
        )
    union = "\n  UNION ALL\n  ".join(parts)
    return f"""
WITH base AS (
  SELECT stats_summary.day AS day, stats_summary.metric AS metric, stats_summary.reason AS reason,
         stats_summary.employer AS employer, stats_summary.events AS events,
         stats_summary.occupation_area AS occupation_area,
         stats_summary.occupation_main_group AS occupation_main_group,
         stats_summary.municipality AS municipality, stats_summary.programme AS programme,
         stats_summary.slot_kind AS slot_kind, organisation.size_class AS size_class,
         organisation.chamber AS chamber
  FROM stats_summary LEFT JOIN organisation ON organisation.id = stats_summary.employer
  WHERE stats_summary.day >= {{}} AND stats_summary.day <= {{}}
    AND stats_summary.metric NOT LIKE 'days%' AND {{}}
), per_employer AS (
  {union}
)
SELECT dim, value, stage, COUNT(*) AS employers, SUM(n) AS n, MAX(n) AS top
FROM per_employer GROUP BY dim, value, stage
"""  # noqa: S608 (our own constants)


async def _counts(period: Period, scope: StatsScope, chamber: str | None) -> list[dict[str, Any]]:
    condition = _scope_condition(scope, chamber)
    return await StatsSummary.raw(_COUNTS_SQL, period.start, period.end, condition)  # type: ignore[no-any-return]


_COUNTS_SQL = _counts_sql()


async def _durations(period: Period, scope: StatsScope, chamber: str | None) -> list[list[Any]]:
    """[metric, days, count] of the waiting times in the period."""
    rows = await StatsSummary.raw(
        "SELECT metric, days, SUM(events) AS n FROM stats_summary WHERE day >= {} AND day <= {} "
        "AND metric LIKE 'days%' AND {} GROUP BY metric, days",
        period.start,
        period.end,
        _scope_condition(scope, chamber),
    )
    return [[row["metric"], int(row["days"]), int(row["n"])] for row in rows]


def _bounds(period: Period) -> tuple[dt.datetime, dt.datetime]:
    """The period's first and last moment in the portal's time zone, as aware datetimes."""
    start = dt.datetime.combine(period.start, dt.time(), TIMEZONE)
    end = dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time(), TIMEZONE)
    return start.astimezone(dt.UTC), end.astimezone(dt.UTC)


async def _candidates(period: Period) -> list[dict[str, Any]]:
    """Candidates registered and profiled in the period, by programme (people, not events)."""
    start, end = _bounds(period)
    found = []
    for stage, column in (
        ("registered", Candidate.created_at),
        ("profiled", Candidate.activated_at),
    ):
        rows = await (
            Candidate.select(Candidate.programme, Count(alias="n"))
            .where((column >= start) & (column < end))
            .group_by(Candidate.programme)
        )
        found += [{"stage": stage, "value": str(r["programme"] or 0), "n": r["n"]} for r in rows]
    return found


async def _employer_counts(
    period: Period, scope: StatsScope, chamber: str | None
) -> dict[str, list[int]]:
    """[count, employers, largest employer's part] of the companies' rows."""
    start, end = _bounds(period)
    condition = statistics_employers_where(scope, chamber, employer=Slot.employer)
    where = (Slot.published_at >= start) & (Slot.published_at < end)
    if condition is not None:
        where = where & condition
    slots = await Slot.select(Slot.employer, Slot.places).where(where)
    per: dict[str, int] = defaultdict(int)
    places: dict[str, int] = defaultdict(int)
    for row in slots:
        per[str(row["employer"])] += 1
        places[str(row["employer"])] += row["places"]
    active = await StatsSummary.raw(
        "SELECT COUNT(DISTINCT employer) AS n FROM stats_summary WHERE day >= {} AND day <= {} "
        "AND {}",
        period.start,
        period.end,
        _scope_condition(scope, chamber),
    )
    return {
        # Counts of companies: the threshold applies; a company count has no dominance.
        "employers_active": [int(active[0]["n"] or 0)],
        "slots_posted": [sum(per.values()), len(per), max(per.values(), default=0)],
        "places_offered": [sum(places.values()), len(places), max(places.values(), default=0)],
    }


def job(period: Period, scope: StatsScope, chamber: str | None) -> cache.Job:
    """Everything a view is computed from, as plain numbers: one pass over the summary (and
    the candidates' and slots' rows), kept by `cache` so that viewers share it."""

    async def count() -> cache.Counts:
        return {
            "cells": [
                [
                    str(row["dim"]),
                    str(row["value"]),
                    str(row["stage"]),
                    int(row["n"]),
                    int(row["employers"]),
                    int(row["top"]),
                ]
                for row in await _counts(period, scope, chamber)
            ],
            "candidates": [
                [row["stage"], row["value"], int(row["n"])] for row in await _candidates(period)
            ]
            if scope == StatsScope.district
            else [],
            "employers": await _employer_counts(period, scope, chamber),
            "durations": await _durations(period, scope, chamber),
            "counted_at": now().isoformat(),
        }

    members_of = chamber or "" if scope == StatsScope.members else ""
    key = f"{scope.value}|{members_of}|{period.start}|{period.end}"
    return cache.Job(key, closed=period.end < today(), count=count)


async def counts(
    period: Period,
    scope: StatsScope,
    chamber: str | None,
    *,
    within: float = 1.0,
    counted: list[str] | None = None,
) -> cache.Counts:
    """The view's counts, kept ones while fresh, else counted here (the worker, the public
    page; the dashboard counts off the request: stats/counting.py)."""
    return await cache.kept(job(period, scope, chamber), within=within, counted=counted)


# -- the view ---------------------------------------------------------------------------------


async def view(
    period: Period,
    scope: StatsScope,
    chamber: str | None,
    rules: d.Rules,
    counted: cache.Counts | None = None,
) -> View:
    """The protected figures of `period` in `scope`, every breakdown included: from `counted`
    when the caller has the counts, else from the kept ones or counted now."""
    cells: dict[Hashable, d.Cell] = {}
    seen: dict[str, set[str]] = defaultdict(set)
    if counted is None:
        counted = await counts(period, scope, chamber)
    for dimension, raw_value, stage, n, employers, top in counted["cells"]:
        value = "" if dimension == "total" else raw_value
        if stage not in STAGES and stage.split(".")[0] not in ("aborted", "outcome"):
            continue
        cells[(stage, dimension, value)] = d.Cell(n, employers, top)
        if dimension != "total":
            seen[dimension].add(value)
    if scope == StatsScope.district:
        for stage, value, n in counted["candidates"]:
            cells[(stage, "programme", value)] = d.Cell(n)
            seen["programme"].add(value)
        for stage in CANDIDATE_STAGES:
            total = sum(
                cell.value
                for key, cell in cells.items()
                if isinstance(key, tuple) and key[:2] == (stage, "programme")
            )
            cells[(stage, "total", "")] = d.Cell(total)
    placement_stages = [s for s in STAGES if s not in CANDIDATE_STAGES]
    # Zeros where nothing happened, so that every linked group is complete.
    for stage in placement_stages:
        cells.setdefault((stage, "total", ""), d.Cell(0))
        for dimension, values in seen.items():
            for value in values:
                cells.setdefault((stage, dimension, value), d.Cell(0))
    if scope == StatsScope.district:
        for stage in CANDIDATE_STAGES:
            for value in seen["programme"]:
                cells.setdefault((stage, "programme", value), d.Cell(0))
    groups = _groups(cells, seen, scope)
    published = d.protect(cells, groups, rules)
    employer_cells: dict[Hashable, d.Cell] = {
        name: d.Cell(*numbers) for name, numbers in counted["employers"].items()
    }
    employer_published = d.protect(employer_cells, [], rules)
    durations: dict[str, dict[int, int]] = defaultdict(dict)
    for metric, days, n in counted["durations"]:
        durations[metric][days] = n
    return View(
        scope=scope,
        period=period,
        rules=rules,
        cells=cells,
        groups=groups,
        published=published,
        values={dim: await labels_of(dim, sorted(seen[dim])) for dim in DIMENSIONS},
        durations=dict(durations),
        counted_at=dt.datetime.fromisoformat(counted["counted_at"]),
        employer_rows={k: employer_published[k] for k in EMPLOYER_ROWS},
    )


def _groups(
    cells: dict[Hashable, d.Cell], seen: dict[str, set[str]], scope: StatsScope
) -> list[d.Group]:
    groups = []
    for stage in STAGES:
        for dimension, values in seen.items():
            if stage in CANDIDATE_STAGES and (
                dimension != "programme" or scope != StatsScope.district
            ):
                continue
            cells_of = tuple((stage, dimension, v) for v in sorted(values))
            groups.append(d.Group((stage, "total", ""), cells_of))
    for stage, split in SPLITS.items():
        places = [("total", "")] + [(dim, v) for dim, values in seen.items() for v in values]
        for dimension, value in places:
            groups.append(
                d.Group(
                    (stage, dimension, value),
                    tuple((f"{stage}.{p}", dimension, value) for p in split),
                )
            )
    return [g for g in groups if g.total in cells]
