"""The statistics' own tables: the summary of the placements' events, the counts of a view
kept, and the public switch."""

from __future__ import annotations

from piccolo.columns import UUID, Boolean, Date, Integer, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class StatsSummary(Table):
    """How many events of one kind happened on one day, per employer and dimension.

    Counts only: no candidate, no placement, no user. One row per (day, metric, reason, days,
    employer, occupation area and main group, municipality, programme, slot kind) — a unique
    index made by the migration — whose `events` the placements' events raise in their own
    transaction (summary.py). `days` is the waiting time of the duration metrics (days_*), 0
    for the others; `employer` is kept for the chamber's view and the dominance rule.
    """

    day = Date(index=True)
    metric = Varchar(length=20)
    reason = Varchar(length=30, default="")
    days = Integer(default=0)
    employer = UUID(index=True)
    occupation_area = Varchar(length=1, default="")
    occupation_main_group = Varchar(length=2, default="")
    municipality = Integer(default=0)
    programme = Integer(default=0)
    slot_kind = Varchar(length=30, default="")
    events = Integer(default=0)


class StatsOption(Table):
    """Switches an operator admin sets for the statistics (one row per name)."""

    name = Varchar(length=40, unique=True)
    enabled = Boolean(default=False)
    changed_at = Timestamptz(default=TimestamptzNow())


class StatsCounts(Table):
    """The counts one statistics view is computed from (the summary's query results for one
    period and scope, as JSON), so that a view over millions of events is read, not counted
    again, on every request. Counts only, as the summary. `closed`: the period had ended when
    they were counted, so they stay until the summary is rebuilt."""

    key = Varchar(length=120, unique=True)
    counts = Text()
    closed = Boolean(default=False)
    counted_at = Timestamptz(default=TimestamptzNow())
