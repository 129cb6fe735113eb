"""A section of a dashboard: a count, the first few rows, and where the whole list is.

Every section is two queries whatever the number of records (a count and the first rows);
what a section may list is decided by the policy's query conditions (`portal.auth.policy`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from piccolo.columns.combination import Combinable
from piccolo.table import Table

from portal.clock import TIMEZONE

# How many rows a section shows; the rest is behind its "all …" link.
SHOWN = 5


@dataclass(frozen=True)
class Link:
    """A route by name, its path parameters and its query."""

    name: str
    params: Mapping[str, str] = field(default_factory=dict)
    query: Mapping[str, str] = field(default_factory=dict)


@dataclass
class Section:
    key: str
    count: int
    rows: list[dict[str, Any]]
    # The full list behind the section (None: the rows are all there is).
    everything: Link | None = None
    # Team leads: the count per case worker (user id → count).
    per_person: dict[str, int] = field(default_factory=dict)
    # Team leads: what belongs to no active case worker of the team.
    unassigned: int = 0


async def count_and_first(
    table: type[Table],
    columns: Sequence[Any],
    conditions: Iterable[Combinable],
    order_by: Sequence[tuple[Any, bool]],
) -> tuple[int, list[dict[str, Any]]]:
    """How many rows match, and the first SHOWN of them in this order: two queries."""
    count = table.count()
    query = table.select(*columns)
    for condition in conditions:
        count = count.where(condition)
        query = query.where(condition)
    for column, ascending in order_by:
        query = query.order_by(column, ascending=ascending)
    query = query.order_by(table._meta.primary_key).limit(SHOWN)
    return await count, await query


def days_since(moment: dt.datetime | dt.date | None, day: dt.date) -> int | None:
    """Whole days from `moment` to `day` (0 for today), None without a moment."""
    if moment is None:
        return None
    if isinstance(moment, dt.datetime):
        if moment.tzinfo is None:  # SQLite keeps UTC without the zone
            moment = moment.replace(tzinfo=dt.UTC)
        moment = moment.astimezone(TIMEZONE).date()
    return max(0, (day - moment).days)


def days_until(moment: dt.date | None, day: dt.date) -> int | None:
    return None if moment is None else (moment - day).days
