"""The JSON shapes of placements and their transitions, and their translation to the forms'
fields (portal.placements.forms parses them, as for the pages)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from portal.api.http import etag
from portal.candidates import competences
from portal.i18n import _


@dataclass
class NominationIn:
    """A case worker proposes a candidate of the caseload for an open slot."""

    candidate_id: UUID
    slot_id: UUID
    note: str


@dataclass
class RequestIn:
    """An employer asks for a candidate of the talent pool for one of its open slots."""

    slot_id: UUID
    candidate_id: UUID
    note: str = ""


@dataclass
class EvaluationIn:
    """The employer's evaluation when completing: codes as in the reference (competences)."""

    attendance: str
    recommendation: str
    skills: list[str] = field(default_factory=list)
    work_habits: list[str] = field(default_factory=list)
    german_level: str | None = None
    comment: str = ""


@dataclass
class TransitionIn:
    """What a transition needs, as its form asks it: a reason code (decline, withdraw, abort),
    a note, the dates (prepare), the evaluation (complete), the outcome (record_outcome)."""

    reason: str = ""
    note: str = ""
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    hours_per_week: int | None = None
    supervisor: str = ""
    evaluation: EvaluationIn | None = None
    outcome: str = ""
    outcome_on: dt.date | None = None

    def form(self) -> dict[str, str]:
        """The same fields as the placement page's forms submit them."""
        values = {
            "reason": self.reason,
            "note": self.note,
            "start_date": _day(self.start_date),
            "end_date": _day(self.end_date),
            "hours_per_week": "" if self.hours_per_week is None else str(self.hours_per_week),
            "supervisor": self.supervisor,
            "outcome": self.outcome,
            "outcome_on": _day(self.outcome_on),
        }
        e = self.evaluation
        if e is not None:
            values |= {
                "attendance": e.attendance,
                "recommendation": e.recommendation,
                "german_level": e.german_level or "",
                "comment": e.comment,
            }
            values |= {f"skill.{code}": "yes" for code in e.skills}
            values |= {f"habit.{code}": "yes" for code in e.work_habits}
        return values

    def unknown_codes(self) -> dict[str, str]:
        """Skills and habits the form has no box for (the form would drop them silently)."""
        e = self.evaluation
        if e is None:
            return {}
        errors = {}
        for name, known, sent in (
            ("skills", competences.SKILLS, e.skills),
            ("work_habits", competences.WORK_HABITS, e.work_habits),
        ):
            if any(code not in known for code in sent):
                errors[f"evaluation.{name}"] = _("Please choose one of the options.")
        return errors


def _day(value: dt.date | None) -> str:
    return value.isoformat() if value else ""


# The evaluation's form fields, named in errors under "evaluation." as in the JSON.
EVALUATION_FIELDS = frozenset({"attendance", "recommendation", "german_level", "comment"})


def json_errors(errors: Mapping[str, str]) -> dict[str, str]:
    return {
        (f"evaluation.{name}" if name in EVALUATION_FIELDS else name): message
        for name, message in errors.items()
    }


@dataclass
class PlacementOut:
    """A placement as either side sees it: pseudonymised (the candidate's code), its state,
    dates and the transitions the token's organisation may make now (`actions`)."""

    id: UUID
    state: str
    origin: str
    slot: UUID
    slot_title: str
    employer: UUID
    employer_name: str
    agency: UUID
    agency_name: str
    candidate: UUID
    candidate_code: str
    note: str
    reason: str
    created_at: dt.datetime
    updated_at: dt.datetime
    state_changed_at: dt.datetime
    answered_at: dt.datetime | None
    start_date: dt.date | None
    end_date: dt.date | None
    hours_per_week: int | None
    supervisor: str
    started_at: dt.datetime | None
    ended_at: dt.datetime | None
    identity_released_at: dt.datetime | None
    outcome: str | None
    outcome_on: dt.date | None
    actions: list[str]


PLACEMENT_FIELDS = tuple(name for name in PlacementOut.__dataclass_fields__ if name != "actions")


def placement_out(row: Mapping[str, Any], actions: list[str]) -> PlacementOut:
    return PlacementOut(**{name: row[name] for name in PLACEMENT_FIELDS}, actions=actions)


def placement_etag(row: Mapping[str, Any]) -> str:
    return etag(row["id"], row["updated_at"], row["state"])


@dataclass
class PlacementPage:
    data: list[PlacementOut]
    next_cursor: str | None
