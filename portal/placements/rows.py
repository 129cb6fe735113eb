"""The row of a placement as the loaders return it (loading.placement_columns).

The keys are checked against the database by tests/test_rows.py on both engines. Choice
columns (state, origin, outcome, the slot's kind and status) come back as their plain string.
"""

import datetime as dt
from typing import TypedDict
from uuid import UUID


class PlacementRow(TypedDict):
    # Placement.all_columns()
    id: UUID
    slot: UUID
    employer: UUID
    candidate: UUID
    agency: UUID
    case_manager: UUID | None
    state: str
    origin: str
    note: str
    created_by: UUID | None
    created_at: dt.datetime
    updated_at: dt.datetime
    state_changed_at: dt.datetime
    answered_at: dt.datetime | None
    reminded_at: dt.datetime | None
    reason: str
    start_date: dt.date | None
    end_date: dt.date | None
    hours_per_week: int | None
    supervisor: str
    started_at: dt.datetime | None
    ended_at: dt.datetime | None
    identity_released_at: dt.datetime | None
    identity_released_by: UUID | None
    start_notified_at: dt.datetime | None
    outcome: str | None
    outcome_on: dt.date | None
    outcome_note: str
    outcome_recorded_at: dt.datetime | None
    flagged_at: dt.datetime | None
    operator_reminded_at: dt.datetime | None
    # The slot's (a placement's slot, employer, agency and candidate are never null).
    slot_title: str
    slot_kind: str
    slot_start: dt.date
    slot_end: dt.date
    slot_flexible: bool
    slot_duration: int
    slot_hours: int
    slot_places: int
    slot_status: str
    # The organisations' and the candidate's.
    employer_name: str
    agency_name: str
    agency_shared: bool
    candidate_code: str
    candidate_case_manager: UUID | None
    candidate_erased_at: dt.datetime | None
