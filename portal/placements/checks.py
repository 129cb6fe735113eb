"""The checks of a transition: side and state, input, the slot's dates and places, the checklist."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from portal.auth.policy import Side
from portal.employers.slot_form import MAX_HOURS, MIN_HOURS
from portal.i18n import _
from portal.placements import agreement, capacity
from portal.placements.rows import PlacementRow
from portal.placements.transitions import (
    NOTE_LIMIT,
    OUTCOME_LABELS,
    Input,
    Refused,
    S,
    Transition,
    choosable_reasons,
    refusal_of_side,
)


def precheck(t: Transition, row: PlacementRow, side: Side | None) -> None:
    """Refused unless `side` may start `t` from the placement's state (input not yet looked at)."""
    if side not in t.sides:
        raise Refused(refusal_of_side(t), status=403)
    if row["candidate_erased_at"] is not None:
        raise Refused(_("The personal data of this candidate have been erased."))
    if S(row["state"]) not in t.sources:
        raise Refused(_(t.refusal))


def input_problems(
    t: Transition, row: Mapping[str, Any], data: Input, *, side: Side | None = None
) -> dict[str, str]:
    """What is missing or wrong in the input of `t` (field → message); empty if nothing."""
    errors: dict[str, str] = {}
    reasons = t.reasons if side == Side.system else choosable_reasons(t)
    if t.reasons and data.reason not in reasons:
        errors["reason"] = _("Please choose a reason.")
    if data.reason == "other" and not data.note.strip():
        errors["note"] = _("Please say in a few words what the reason is.")
    if t.note_required and not data.note.strip():
        errors["note"] = _("Please write a short note for the employer.")
    if len(data.note) > NOTE_LIMIT:
        errors["note"] = _("Please keep the note under %(limit)s characters.", limit=NOTE_LIMIT)
    if t.needs_dates:
        errors.update(date_problems(row, data))
    if t.needs_evaluation and data.evaluation is None:
        errors["evaluation"] = _("Please fill in the evaluation.")
    if t.needs_outcome:
        if data.outcome not in OUTCOME_LABELS:
            errors["outcome"] = _("Please choose what followed the internship.")
        if data.outcome_on is None:
            errors["outcome_on"] = _("Please enter the date, e.g. 01.09.2026.")
    return errors


def date_problems(row: Mapping[str, Any], data: Input) -> dict[str, str]:
    """The internship's dates must lie inside the slot's window and last at most its duration."""
    start, end = data.start_date, data.end_date
    errors: dict[str, str] = {}
    if start is None:
        errors["start_date"] = _("Please enter the first day, e.g. 02.03.2026.")
    if end is None:
        errors["end_date"] = _("Please enter the last day, e.g. 13.03.2026.")
    if errors or start is None or end is None:
        return errors
    window = (row["slot_start"], row["slot_end"])
    if end < start:
        errors["end_date"] = _("The last day cannot be before the first day.")
    elif start < window[0] or end > window[1]:
        errors["start_date"] = _(
            "The dates must lie within the slot's dates, %(start)s to %(end)s.",
            start=window[0].strftime("%d.%m.%Y"),
            end=window[1].strftime("%d.%m.%Y"),
        )
    elif (end - start).days + 1 > row["slot_duration"]:
        errors["end_date"] = _("The slot offers at most %(days)s days.", days=row["slot_duration"])
    # The slot's rule (slot_form.MAX_HOURS: 40, JArbSchG §8), so a placement cannot agree
    # to more hours than any slot may offer.
    if data.hours_per_week is not None and not MIN_HOURS <= data.hours_per_week <= MAX_HOURS:
        errors["hours_per_week"] = _(
            "Please enter from %(low)s to %(high)s hours a week.", low=MIN_HOURS, high=MAX_HOURS
        )
    return errors


async def check_capacity(row: PlacementRow, data: Input | None = None) -> None:
    """Refused when the slot's places are taken for the placement's dates (slot row locked)."""
    problem = await capacity.problem(
        row,
        start=data.start_date if data else None,
        end=data.end_date if data else None,
    )
    if problem:
        raise Refused(problem)


async def checklist_complete(row: PlacementRow) -> bool:
    return await agreement.checklist_complete(row)
