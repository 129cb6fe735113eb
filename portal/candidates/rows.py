"""The row of a candidate as access.load_candidate returns it.

The keys are checked against the database by tests/test_rows.py on both engines.
"""

import datetime as dt
from typing import TypedDict
from uuid import UUID


class CandidateRow(TypedDict):
    id: UUID
    code: str
    organisation: UUID
    case_manager: UUID | None
    programme: int | None
    status: str
    german_level: str | None
    german_in_course: bool
    german_evidence: str | None
    # The JSON columns come back as their text on both engines (Piccolo decodes JSON only
    # when a query asks for it with output(load_json=True)); profile.json_list reads them.
    languages: str
    schooling_years: int | None
    schooling_level: str | None
    skills: str
    work_habits: str
    courses: str
    summary: str
    earliest_start: dt.date | None
    hours_per_week: int | None
    shift_work: bool
    driving_licences: str
    permit_status: str
    age_band: str
    created_at: dt.datetime
    updated_at: dt.datetime
    activated_at: dt.datetime | None
    closed_at: dt.datetime | None
    retention_from: dt.datetime | None
    erased_at: dt.datetime | None
    # Organisation.caseload_shared: whether colleagues see the case (policy.may_see_candidate).
    shared: bool
