"""Why a slot and a candidate fit (or do not): one line per part of the score, in words."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from portal.i18n import _, format_date
from portal.placements.matching_score import GERMAN_MET


@dataclass(frozen=True)
class Reason:
    """One line of a match's explanation: which part, whether it is met, in words."""

    part: str
    met: bool
    text: str


def explain(row: Mapping[str, Any], today: dt.date) -> list[Reason]:
    """Why this slot and this candidate fit (or do not), one line per part of the score."""
    reasons = [
        _explain_occupation(row),
        _explain_german(row),
        _explain_place(row),
        _explain_dates(row, today),
        _explain_hours(row),
    ]
    if row["slot_shift"]:
        reasons.append(
            Reason("shift", True, _("Shift work possible"))
            if row["candidate_shift"]
            else Reason("shift", False, _("No shift work, the slot needs it"))
        )
    return reasons


def _explain_occupation(row: Mapping[str, Any]) -> Reason:
    points = row["occupation_points"]
    code, name = row["occupation"], row.get("occupation_name") or ""
    group, group_name = row["occupation_group"], row.get("group_name") or ""
    field, field_name = row["occupation_main_group"], row.get("main_group_name") or ""
    texts = {
        40: _("Occupation matches %(code)s (%(name)s)", code=code, name=name),
        35: _("Training or experience in %(code)s (%(name)s)", code=code, name=name),
        30: _(
            "Desired occupation in the same group %(code)s (%(name)s)",
            code=group,
            name=group_name,
        ),
        25: _(
            "Training or experience in the same group %(code)s (%(name)s)",
            code=group,
            name=group_name,
        ),
        20: _(
            "Desired occupation in the same field %(code)s (%(name)s)",
            code=field,
            name=field_name,
        ),
        15: _(
            "Training or experience in the same field %(code)s (%(name)s)",
            code=field,
            name=field_name,
        ),
    }
    if points in texts:
        return Reason("occupation", True, texts[points])
    return Reason(
        "occupation",
        False,
        _("No occupation in the field %(code)s (%(name)s)", code=field, name=field_name),
    )


def _explain_german(row: Mapping[str, Any]) -> Reason:
    level, required = row["german_level"], row["min_german"]
    if row["german_points"] == GERMAN_MET:
        if required is None:
            return Reason("german", True, _("No German level required"))
        return Reason(
            "german",
            True,
            _("German %(level)s ≥ %(required)s required", level=level, required=required),
        )
    if level is None:
        text = _("German level unknown, %(required)s required", required=required)
    else:
        text = _("German %(level)s < %(required)s required", level=level, required=required)
    if row["german_in_course"]:
        text = _("%(text)s (in a German course)", text=text)
    return Reason("german", False, text)


def _explain_place(row: Mapping[str, Any]) -> Reason:
    place = row.get("municipality_name") or ""
    if row["place_points"]:
        return Reason("place", True, _("%(place)s reachable", place=place))
    return Reason("place", False, _("%(place)s not among the reachable places", place=place))


def _explain_dates(row: Mapping[str, Any], today: dt.date) -> Reason:
    earliest = row["earliest_start"]
    if row["date_points"]:
        if earliest is None or earliest <= today:
            return Reason("dates", True, _("Available now"))
        return Reason("dates", True, _("Available from %(date)s", date=format_date(earliest)))
    if row["flexible"]:
        text = _(
            "Available only from %(date)s, the slot's period ends %(end)s",
            date=format_date(earliest),
            end=format_date(row["end_date"]),
        )
    else:
        text = _(
            "Available only from %(date)s, the internship starts %(start)s",
            date=format_date(earliest),
            start=format_date(row["start_date"]),
        )
    return Reason("dates", False, text)


def _explain_hours(row: Mapping[str, Any]) -> Reason:
    hours = row["slot_hours"]
    if row["hours_points"]:
        return Reason("hours", True, _("%(hours)s hours a week possible", hours=hours))
    return Reason(
        "hours",
        False,
        _(
            "Only %(possible)s of %(hours)s hours a week possible",
            possible=row["candidate_hours"],
            hours=hours,
        ),
    )
