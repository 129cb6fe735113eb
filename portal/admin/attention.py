"""Needs attention: the console's home — what waits too long, each with a count, the oldest
case and a link to the filtered board or to the action.

A constant number of queries: one per item (a count and the oldest moment in one aggregate),
two for the employers' response rates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from piccolo.columns.combination import WhereRaw
from piccolo.query.functions.aggregate import Count, Min

from portal.accounts.tables import Organisation, OrgKind, OrgStatus
from portal.admin.board import need_where
from portal.admin.board_filter import NEEDS
from portal.clock import now, today
from portal.employers.tables import Slot, SlotStatus
from portal.i18n import N_
from portal.placements.response import response_rates
from portal.placements.tables import Placement
from portal.reference.limits import Limits

# Open slots ending this soon without a single nomination.
SLOT_DAYS = 14
# An employer answering fewer nominations in time than this (with at least LOW_RATE_MINIMUM
# due) is listed.
LOW_RATE_PERCENT = 50
LOW_RATE_MINIMUM = 3

LABELS = {
    "unanswered": N_("Nominations unanswered past the reminder limit"),
    "no_start": N_("Accepted without a start date"),
    "checklist": N_("Starting within 7 days with an incomplete checklist"),
    "evaluation": N_("Evaluations overdue"),
    "follow_up": N_("Follow-ups overdue"),
    "slots": N_("Open slots ending within 14 days without a nomination"),
    "response": N_("Employers with a low response rate"),
    "approvals": N_("Employer registrations awaiting approval"),
}


@dataclass(frozen=True)
class Item:
    key: str
    count: int
    # How long the oldest case has waited, in days (None: nothing waits).
    oldest_days: int | None
    # Where to look: a route name and its query.
    link: str
    query: dict[str, str]
    # Employers, for the response rate: (id, name, percent).
    employers: tuple[tuple[str, str, int], ...] = ()


def _days(moment: Any, at: dt.datetime) -> int | None:
    if moment is None:
        return None
    if isinstance(moment, str):  # SQLite returns an aggregate of timestamps as text
        moment = dt.datetime.fromisoformat(moment)
    if isinstance(moment, dt.datetime):
        if moment.tzinfo is None:
            moment = moment.replace(tzinfo=dt.UTC)
        return max(0, (at - moment).days)
    return max(0, (at.date() - moment).days)


async def _placements_item(need: str, limits: Limits, at: dt.datetime, day: dt.date) -> Item:
    row = await (
        Placement.select(Count(alias="n"), Min(Placement.state_changed_at, alias="oldest"))
        .where(need_where(need, limits, at, day))
        .first()
    )
    assert row is not None  # noqa: S101 (an aggregate always has a row)
    return Item(
        need, row["n"], _days(row["oldest"], at), "admin:board", {"need": need, "closed": ""}
    )


async def _slots_item(at: dt.datetime, day: dt.date) -> Item:
    row = await (
        Slot.select(Count(alias="n"), Min(Slot.end_date, alias="soonest"))
        .where(
            (Slot.status == SlotStatus.open)
            & (Slot.end_date >= day)
            & (Slot.end_date <= day + dt.timedelta(days=SLOT_DAYS))
            # NOT EXISTS: an index look-up per candidate slot (NOT IN hashes every placement).
            & WhereRaw('NOT EXISTS (SELECT 1 FROM placement WHERE placement.slot = "slot"."id")')
        )
        .first()
    )
    assert row is not None  # noqa: S101
    soonest = row["soonest"]
    if isinstance(soonest, str):
        soonest = dt.date.fromisoformat(soonest)
    days_left = None if soonest is None else (soonest - day).days
    return Item("slots", row["n"], days_left, "admin:organisations", {"kind": "employer"})


async def _response_item(limits: Limits) -> Item:
    rates = await response_rates(None, days=limits.reminder_days)
    low = sorted(
        (rate.percent, str(employer))
        for employer, rate in rates.items()
        if rate.percent is not None
        and rate.due >= LOW_RATE_MINIMUM
        and rate.percent < LOW_RATE_PERCENT
    )
    names = {}
    if low:
        names = {
            str(r["id"]): r["name"]
            for r in await Organisation.select(Organisation.id, Organisation.name).where(
                Organisation.id.is_in([employer for _percent, employer in low[:5]])
            )
        }
    employers = tuple((employer, names.get(employer, ""), percent) for percent, employer in low[:5])
    query = {"employer": employers[0][0]} if employers else {}
    return Item("response", len(low), None, "admin:board", query, employers)


async def _approvals_item(at: dt.datetime) -> Item:
    row = await (
        Organisation.select(Count(alias="n"), Min(Organisation.created_at, alias="oldest"))
        .where((Organisation.status == OrgStatus.pending) & (Organisation.kind == OrgKind.employer))
        .first()
    )
    assert row is not None  # noqa: S101
    query = {"status": "pending", "kind": "employer"}
    return Item("approvals", row["n"], _days(row["oldest"], at), "admin:organisations", query)


async def needs_attention(limits: Limits) -> list[Item]:
    """Every item of the list, in the lifecycle's order (a constant number of queries)."""
    at, day = now(), today()
    items = [await _placements_item(need, limits, at, day) for need in NEEDS]
    items.append(await _slots_item(at, day))
    items.append(await _response_item(limits))
    items.append(await _approvals_item(at))
    return items
