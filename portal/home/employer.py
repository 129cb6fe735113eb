"""The employer's home: nominations and requests waiting, interns starting this week,
evaluations due, slots ending soon — only the employer's own (`policy.own`).

Eight queries whatever the number of placements and slots (a count and the first rows of each
section); the inbox's own sections (`placements.lists.section_where`) where they exist.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from portal.auth import CurrentUser
from portal.auth.policy import own
from portal.employers.tables import Slot, SlotStatus
from portal.home.sections import Link, Section, count_and_first, days_since, days_until
from portal.placements import lists
from portal.placements.tables import Placement, PlacementState

S = PlacementState

# Interns whose first day is today or within this many days.
STARTING_DAYS = 7
# Published slots whose last day is this close: after it the slot expires unfilled.
ENDING_DAYS = 14


def _columns() -> list[Any]:
    return [
        Placement.id,
        Placement.state,
        Placement.origin,
        Placement.created_at,
        Placement.start_date,
        Placement.end_date,
        Placement.slot.title.as_alias("slot_title"),
        Placement.candidate.code.as_alias("candidate_code"),
    ]


def _detail(row: dict[str, Any]) -> Link:
    return Link("placements:detail", {"placement_id": str(row["id"])})


async def _waiting(user: CurrentUser, day: dt.date) -> Section:
    """Nominations and requests to answer, the longest waiting first, with their age."""
    count, rows = await count_and_first(
        Placement,
        _columns(),
        lists.section_where(user, "new", day),
        [(Placement.created_at, True)],
    )
    for row in rows:
        row["link"] = _detail(row)
        row["age"] = days_since(row["created_at"], day)
    return Section("waiting", count, rows, Link("placements:inbox", query={"section": "new"}))


async def _starting(user: CurrentUser, day: dt.date) -> Section:
    """Accepted interns whose first day is in the coming week."""
    last = day + dt.timedelta(days=STARTING_DAYS)
    count, rows = await count_and_first(
        Placement,
        _columns(),
        [
            own(user, Placement.employer),
            Placement.state.is_in([S.accepted, S.preparing]),
            Placement.start_date >= day,
            Placement.start_date <= last,
        ],
        [(Placement.start_date, True)],
    )
    for row in rows:
        row["link"] = _detail(row)
        row["in_days"] = days_until(row["start_date"], day)
    return Section("starting", count, rows, Link("placements:inbox", query={"section": "interns"}))


async def _evaluations(user: CurrentUser, day: dt.date) -> Section:
    """Internships at or past their last day, waiting for the employer's evaluation."""
    count, rows = await count_and_first(
        Placement,
        _columns(),
        lists.section_where(user, "due", day),
        [(Placement.end_date, True)],
    )
    for row in rows:
        row["link"] = Link("placements:evaluation", {"placement_id": str(row["id"])})
    return Section("evaluations", count, rows, Link("placements:inbox", query={"section": "due"}))


async def _ending(user: CurrentUser, day: dt.date) -> Section:
    """Open slots whose window closes soon: filled by then or expired."""
    count, rows = await count_and_first(
        Slot,
        [Slot.id, Slot.title, Slot.start_date, Slot.end_date, Slot.places],
        [
            own(user, Slot.employer),
            Slot.status == SlotStatus.open,
            Slot.end_date >= day,
            Slot.end_date <= day + dt.timedelta(days=ENDING_DAYS),
        ],
        [(Slot.end_date, True)],
    )
    for row in rows:
        row["link"] = Link("slots:detail", {"slot_id": str(row["id"])})
        row["in_days"] = days_until(row["end_date"], day)
    return Section("ending", count, rows, Link("slots:list", query={"status": "open"}))


async def dashboard(user: CurrentUser, day: dt.date) -> list[Section]:
    """The employer's sections, in the order of the work."""
    return [
        await _waiting(user, day),
        await _starting(user, day),
        await _evaluations(user, day),
        await _ending(user, day),
    ]
