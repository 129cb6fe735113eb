"""Loading and locking a placement with its slot's and candidate's columns; whose side it is."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast
from uuid import UUID

from litestar.exceptions import NotFoundException
from piccolo.engine.sqlite import SQLiteEngine

from portal.auth import CurrentUser
from portal.auth.policy import Side, placement_side
from portal.placements.rows import PlacementRow
from portal.placements.tables import Placement
from portal.placements.transitions import TRANSITIONS, S, Transition


def placement_columns() -> list[Any]:
    """A placement with what every check and every page needs of its slot and candidate."""
    return [
        *Placement.all_columns(),
        Placement.slot.title.as_alias("slot_title"),
        Placement.slot.kind.as_alias("slot_kind"),
        Placement.slot.start_date.as_alias("slot_start"),
        Placement.slot.end_date.as_alias("slot_end"),
        Placement.slot.flexible.as_alias("slot_flexible"),
        Placement.slot.duration_days.as_alias("slot_duration"),
        Placement.slot.hours_per_week.as_alias("slot_hours"),
        Placement.slot.places.as_alias("slot_places"),
        Placement.slot.status.as_alias("slot_status"),
        Placement.employer.name.as_alias("employer_name"),
        Placement.agency.name.as_alias("agency_name"),
        Placement.agency.caseload_shared.as_alias("agency_shared"),
        Placement.candidate.code.as_alias("candidate_code"),
        Placement.candidate.case_manager.as_alias("candidate_case_manager"),
        Placement.candidate.erased_at.as_alias("candidate_erased_at"),
    ]


def side_of(user: CurrentUser, row: Mapping[str, Any]) -> Side | None:
    """Which side of the placement `user` is on; None: not theirs to see (404)."""
    return placement_side(user, row)


async def select_placement(placement_id: UUID) -> PlacementRow | None:
    """The placement with its slot's and candidate's columns, unchecked."""
    row = await Placement.select(*placement_columns()).where(Placement.id == placement_id).first()
    # Piccolo types every row as dict[str, Any]: the columns are placement_columns'.
    return cast(PlacementRow | None, row)


async def load_placement(user: CurrentUser, placement_id: UUID) -> PlacementRow:
    """The placement with its slot's and candidate's columns, or 404 for anyone not on a side."""
    row = await select_placement(placement_id)
    if row is None or side_of(user, row) is None:
        raise NotFoundException()
    return row


def available(user: CurrentUser, row: Mapping[str, Any]) -> list[Transition]:
    """The transitions `user` may start from the placement's state (the buttons to show)."""
    side = side_of(user, row)
    return [t for t in TRANSITIONS.values() if side in t.sides and S(row["state"]) in t.sources]


async def lock_placement(placement_id: UUID) -> PlacementRow | None:
    query = Placement.select(*placement_columns()).where(Placement.id == placement_id)
    if not isinstance(Placement._meta.db, SQLiteEngine):
        # Lock only the placement's own row (the joined tables stay unlocked).
        query = query.lock_rows(of=(Placement,))
    return cast(PlacementRow | None, await query.first())  # placement_columns, as above
