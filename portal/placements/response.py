"""Employers' response rate: how many nominations they answered within the reminder period.

A nomination counts once it is due — the employer answered it (accepted or declined), or it is
older than `days` days. It counts as answered in time when the answer came within `days` days
of the nomination. A nomination the case worker withdrew before it was due and before any answer
does not count: the employer had no chance to answer it. Requests from the talent pool are the
employer's own initiative and do not count either.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from uuid import UUID

from piccolo.querystring import QueryString

from portal.clock import now
from portal.placements.tables import Origin, Placement, PlacementState


@dataclass(frozen=True)
class Rate:
    answered_in_time: int
    due: int
    percent: int | None  # None while nothing is due

    @classmethod
    def of(cls, answered_in_time: int, due: int) -> Rate:
        percent = round(100 * answered_in_time / due) if due else None
        return cls(answered_in_time, due, percent)


NO_NOMINATIONS = Rate(0, 0, None)


def _within_days(later: str, earlier: str) -> str:
    """`later` at most {} days (a placeholder) after `earlier`, two timestamp expressions."""
    if Placement._meta.db.engine_type == "postgres":
        # An interval compared with an interval: half the cost of EXTRACT(EPOCH …) / 86400.0
        # in numeric arithmetic on every row (the console's overview reads every nomination).
        return f"{later} - {earlier} <= make_interval(days => {{}})"
    # Piccolo keeps SQLite timestamps as ISO text in UTC, which julianday() reads.
    return f"julianday({later}) - julianday({earlier}) <= {{}}"


async def response_rates(
    employer_ids: Iterable[UUID] | None, *, days: int, at: dt.datetime | None = None
) -> dict[UUID, Rate]:
    """The response rate of each employer (NO_NOMINATIONS for one without any): one query.

    `employer_ids` None: every employer with a nomination due (the console's overview)."""
    every = employer_ids is None
    ids = [] if employer_ids is None else list(dict.fromkeys(employer_ids))
    if not ids and not every:
        return {}
    moment = at or now()
    answered = _within_days("answered_at", "created_at")
    recent = _within_days("{}", "created_at")
    withdrawn = _within_days("state_changed_at", "created_at")
    employer_filter = "" if every else f" AND employer IN ({', '.join('{}' for _ in ids)})"
    # Only column names and placeholders are formatted into the SQL; values are parameters.
    query = QueryString(
        f"""SELECT employer,
            SUM(CASE WHEN answered_at IS NOT NULL AND {answered} THEN 1 ELSE 0 END)
                AS in_time,
            COUNT(*) AS due
        FROM placement
        WHERE origin = {{}}{employer_filter}
          AND (answered_at IS NOT NULL OR (NOT ({recent})
               AND NOT (state = {{}} AND {withdrawn})))
        GROUP BY employer""",  # noqa: S608
        days,
        Origin.nomination.value,
        *ids,
        moment,
        days,
        PlacementState.withdrawn.value,
        days,
    )
    rates = dict.fromkeys(ids, NO_NOMINATIONS)
    for row in await Placement.raw("{}", query):
        employer = row["employer"] if isinstance(row["employer"], UUID) else UUID(row["employer"])
        rates[employer] = Rate.of(int(row["in_time"] or 0), int(row["due"]))
    return rates
