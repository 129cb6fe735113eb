"""The forms of the lifecycle: strings from a request → machine.Input, or messages per field."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping

from portal.candidates import competences
from portal.candidates.pii import check_free_text
from portal.clock import today
from portal.cpu import run_cpu_bound
from portal.forms import Errors, date_within, parse_date, years_from
from portal.i18n import N_, _
from portal.placements.transitions import NOTE_LIMIT, TRANSITIONS, EvaluationFields, Input
from portal.reference.tables import CEFR

ATTENDANCE: dict[str, str] = {
    "all": N_("Present on every agreed day"),
    "mostly": N_("Mostly present, absences excused"),
    "often_absent": N_("Often absent"),
}
RECOMMENDATIONS: dict[str, str] = {
    "hire": N_("We would hire the person"),
    "apprenticeship": N_("We would offer an apprenticeship"),
    "further_internship": N_("A further internship would help"),
    "not_yet": N_("Not yet ready for this work"),
}
COMMENT_LIMIT = 1000


def _checked(data: Mapping[str, str], name: str) -> bool:
    return data.get(name, "") in ("on", "1", "true", "yes")


def parse_evaluation(
    data: Mapping[str, str], *, names: Iterable[str] = ()
) -> tuple[EvaluationFields | None, Errors]:
    """The employer's evaluation: attendance, observed skills and habits, German, recommendation.

    Skills and habits are the codes of the competence summary (competences.SKILLS,
    WORK_HABITS), so that they read in the profile on the same scale.
    """
    errors = Errors(data)
    errors.require(data, "attendance", "recommendation")
    errors.choice(data, "attendance", set(ATTENDANCE))
    errors.choice(data, "recommendation", set(RECOMMENDATIONS))
    errors.choice(data, "german_level", {level.value for level in CEFR})
    comment = data.get("comment", "")
    if comment:
        check_free_text(errors, "comment", comment, limit=COMMENT_LIMIT, names=names)
    if errors:
        return None, errors
    return (
        EvaluationFields(
            attendance=data["attendance"],
            skills=[code for code in competences.SKILLS if _checked(data, f"skill.{code}")],
            work_habits=[
                code for code in competences.WORK_HABITS if _checked(data, f"habit.{code}")
            ],
            german_level=data.get("german_level") or None,
            recommendation=data["recommendation"],
            comment=comment,
        ),
        errors,
    )


def parse_input(
    action: str, data: Mapping[str, str], *, names: Iterable[str] = ()
) -> tuple[Input, Errors]:
    """The input of a transition from its form. `names`: the candidate's names, for the PII
    guard on notes the other side reads before the identity is released (empty after it)."""
    t = TRANSITIONS[action]
    errors = Errors(data)
    note = data.get("note", "")[: NOTE_LIMIT + 1]
    if len(note) > NOTE_LIMIT:
        # Said as the machine's checks say it (checks.input_problems), before the PII guard.
        errors["note"] = _("Please keep the note under %(limit)s characters.", limit=NOTE_LIMIT)
    elif note:
        check_free_text(errors, "note", note, limit=NOTE_LIMIT, names=names)
    start = end = outcome_on = None
    hours: int | None = None
    if t.needs_dates:
        for name in ("start_date", "end_date"):
            if data.get(name) and parse_date(data[name]) is None:
                errors[name] = _("Please enter a date such as 02.03.2026.")
        start = parse_date(data.get("start_date", ""))
        end = parse_date(data.get("end_date", ""))
        if data.get("hours_per_week"):
            try:
                hours = int(data["hours_per_week"])
            except ValueError:
                errors["hours_per_week"] = _("Please enter a whole number of hours.")
        errors.max_length(data, "supervisor", 120)
    if t.needs_outcome and data.get("outcome_on"):
        outcome_on = parse_date(data["outcome_on"])
        if outcome_on is None:
            errors["outcome_on"] = _("Please enter a date such as 02.03.2026.")
        else:
            window = years_from(today(), -5), years_from(today(), 1)
            outcome_on = date_within(errors, "outcome_on", outcome_on, *window)
    evaluation = None
    if t.needs_evaluation:
        evaluation, evaluation_errors = parse_evaluation(data, names=names)
        errors.update(evaluation_errors)
    return (
        Input(
            reason=data.get("reason", ""),
            note=note,
            start_date=start,
            end_date=end,
            hours_per_week=hours,
            supervisor=data.get("supervisor", "")[:120],
            evaluation=evaluation,
            outcome=data.get("outcome", ""),
            outcome_on=outcome_on,
        ),
        errors,
    )


async def parse_input_off_loop(
    action: str, data: Mapping[str, str], *, names: Iterable[str] = ()
) -> tuple[Input, Errors]:
    """parse_input in a worker thread: the PII guard reads the note and the comment (portal.cpu)."""
    return await run_cpu_bound(functools.partial(parse_input, action, data, names=names))
