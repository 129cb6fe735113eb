"""A slot's places: the lock that serialises the changes of a slot's placements, and counting.

A slot never holds more placements (accepted, preparing, in progress) for overlapping dates
than it has places (PRODUCT.md section 4). The count runs with the slot's row locked
(PostgreSQL: SELECT … FOR UPDATE) or under SQLite's write lock (BEGIN IMMEDIATE, taken by
`placement_transaction`), so two clicks at the same moment are counted one after the other.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any
from uuid import UUID

from piccolo.engine.sqlite import SQLiteEngine

from portal import events
from portal.audit.services import record
from portal.clock import now, today
from portal.db import writing
from portal.employers.tables import Slot, SlotStatus
from portal.i18n import _
from portal.placements.tables import HOLDING_STATES, Placement

# Announced with slot_id= in the transaction that filled the slot's last place (the
# organisations' webhooks, portal/webhooks); nobody listening is fine.
SLOT_FILLED = events.Event("slot.filled", must_be_heard=False)


def period(
    row: Mapping[str, Any], start: dt.date | None = None, end: dt.date | None = None
) -> tuple[dt.date, dt.date]:
    """The dates a placement holds its place for: the given ones, its own once fixed, else the
    slot's window."""
    return (
        start or row["start_date"] or row["slot_start"],
        end or row["end_date"] or row["slot_end"],
    )


def placement_transaction() -> Any:
    """A transaction that changes placements, one writer at a time (see the top)."""
    return writing(Placement)


async def lock_slot(slot_id: UUID) -> dict[str, Any]:
    query = Slot.select(
        Slot.id, Slot.places, Slot.status, Slot.start_date, Slot.end_date, Slot.flexible
    ).where(Slot.id == slot_id)
    if not isinstance(Slot._meta.db, SQLiteEngine):
        query = query.lock_rows()
    slot = await query.first()
    assert slot is not None  # noqa: S101 (a placement's slot is never deleted: RESTRICT)
    return slot


async def holding(slot_id: UUID, *, besides: UUID | None = None) -> list[dict[str, Any]]:
    """The placements that hold one of the slot's places, with their dates."""
    condition = (Placement.slot == slot_id) & Placement.state.is_in(list(HOLDING_STATES))
    if besides is not None:
        condition &= Placement.id != besides
    return await Placement.select(Placement.id, Placement.start_date, Placement.end_date).where(
        condition
    )


async def problem(
    row: Mapping[str, Any], *, start: dt.date | None = None, end: dt.date | None = None
) -> str | None:
    """Why the placement cannot hold a place of its slot for its dates (`start`/`end` when
    being fixed), or None. Locks the slot's row; run it in `placement_transaction()`."""
    slot = await lock_slot(row["slot"])
    if slot["status"] in (SlotStatus.closed, SlotStatus.expired, SlotStatus.draft):
        return _("This slot is no longer offered.")
    # A placement without dates of its own holds the slot's whole window.
    others = [
        (other["start_date"] or slot["start_date"], other["end_date"] or slot["end_date"])
        for other in await holding(row["slot"], besides=row["id"])
    ]

    def taken(start: dt.date, end: dt.date) -> int:
        return sum(
            1 for other_start, other_end in others if other_start <= end and start <= other_end
        )

    if slot["flexible"] and not start and not row["start_date"]:
        # Flexible dates are fixed later (prepare): there must be room for one stretch of the
        # slot's length somewhere in its window. The best stretch starts at the window's start
        # or the day after another placement ends (moving a stretch left to such a day never
        # adds an overlap).
        length = dt.timedelta(days=max(row["slot_duration"] or 1, 1) - 1)
        starts = [
            slot["start_date"],
            *(other_end + dt.timedelta(days=1) for _, other_end in others),
        ]
        free = any(
            taken(first, first + length) < slot["places"]
            for first in starts
            if slot["start_date"] <= first and first + length <= slot["end_date"]
        )
    else:
        free = taken(*period(row, start, end)) < slot["places"]
    return None if free else _("All places of this slot are taken for these dates.")


async def update_slot_fill(slot_id: UUID) -> None:
    """A fixed-date slot whose places are all held is filled; one that frees a place before its
    first day reopens."""
    slot = await lock_slot(slot_id)
    if slot["flexible"]:
        return
    held = len(await holding(slot_id))
    moment = now()
    if slot["status"] == SlotStatus.open and held >= slot["places"]:
        await Slot.update({Slot.status: SlotStatus.filled, Slot.updated_at: moment}).where(
            (Slot.id == slot_id) & (Slot.status == SlotStatus.open)
        )
        await record("slot.filled", record_type="slot", record_id=slot_id)
        await events.announce(SLOT_FILLED, slot_id=slot_id, moment=moment)
    elif (
        slot["status"] == SlotStatus.filled
        and held < slot["places"]
        and slot["start_date"] > today()
    ):
        # A place freed before the first day is offered again; once the slot's dates have
        # begun, nobody else can join it, and it stays filled.
        await Slot.update({Slot.status: SlotStatus.open, Slot.updated_at: moment}).where(
            (Slot.id == slot_id) & (Slot.status == SlotStatus.filled)
        )
        await record("slot.reopened", record_type="slot", record_id=slot_id)
