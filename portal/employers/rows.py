"""The row of a slot as slots.slot_of returns it.

The keys are checked against the database by tests/test_rows.py on both engines. No
`from __future__ import annotations` here: Python 3.11 sees `NotRequired` only when the
annotations are evaluated.
"""

import datetime as dt
from typing import NotRequired, TypedDict
from uuid import UUID


class SlotRow(TypedDict):
    id: UUID
    employer: UUID
    title: str
    kind: str
    occupation: str  # the KldB code (Occupation's primary key)
    occupation_area: str
    occupation_main_group: str
    occupation_group: str
    tasks: str
    requirements: str
    min_german: str | None
    municipality: int
    start_date: dt.date
    end_date: dt.date
    flexible: bool
    duration_days: int
    hours_per_week: int
    places: int
    safety_equipment: bool
    hire_possible: bool
    shift_work: bool
    contact_name: str
    contact_phone: str
    contact_email: str
    status: str
    created_at: dt.datetime
    updated_at: dt.datetime
    published_at: dt.datetime | None
    occupation_name: str
    municipality_name: str
    # The placements' counts (the slots.placement_counts event): present only when the
    # placements have subscribed, which this layer cannot know (placements.subscriptions).
    proposed: NotRequired[int]
    accepted: NotRequired[int]
    running: NotRequired[int]
