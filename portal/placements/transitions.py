"""The rules table of the lifecycle: transitions, reason codes, sides, what a transition gets."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from portal.auth.policy import Side
from portal.i18n import N_, _
from portal.placements.tables import HOLDING_STATES, Outcome, PlacementState

S = PlacementState
# The identity is released after acceptance, and until the internship ends.
RELEASE_ALLOWED = frozenset({S.accepted, S.preparing, S.in_progress})


# -- reason codes -----------------------------------------------------------------------------

DECLINE_REASONS: dict[str, str] = {
    "no_capacity": N_("No capacity at the moment"),
    "profile_mismatch": N_("The profile does not fit the tasks"),
    "german_level": N_("German not yet sufficient for the work and safety instructions"),
    "dates": N_("The dates do not fit"),
    "other": N_("Another reason (see the note)"),
}
REQUEST_DECLINE_REASONS: dict[str, str] = {
    "not_available": N_("The candidate is not available"),
    "not_suitable": N_("The slot does not suit the candidate's plan"),
    "candidate_declined": N_("The candidate does not want this internship"),
    "other": N_("Another reason (see the note)"),
}
WITHDRAW_REASONS: dict[str, str] = {
    "candidate_declined": N_("The candidate decided against it"),
    "other_placement": N_("The candidate takes up another placement"),
    "not_available": N_("The candidate is no longer available"),
    "consent_withdrawn": N_("Consent withdrawn"),
    "employer_request": N_("The employer no longer needs the request"),
    "other": N_("Another reason (see the note)"),
}
ABORT_REASONS: dict[str, str] = {
    "attendance": N_("Absences"),
    "candidate_ended": N_("The candidate ended the internship"),
    "employer_ended": N_("The employer ended the internship"),
    "mutual": N_("Ended by mutual agreement"),
    "other": N_("Another reason (see the note)"),
}
OUTCOME_LABELS: dict[str, str] = {
    Outcome.hired: N_("Hired (employment subject to social insurance)"),
    Outcome.apprenticeship: N_("Apprenticeship"),
    Outcome.entry_qualification: N_("Entry qualification (EQ)"),
    Outcome.further_internship: N_("Further internship"),
    Outcome.mini_job: N_("Mini-job"),
    Outcome.coaching: N_("Coaching or a further measure"),
    Outcome.no_offer: N_("No offer"),
}
# Set by the portal itself (consent withdrawn), never chosen in a form.
SYSTEM_REASONS = frozenset({"consent_withdrawn"})
NOTE_LIMIT = 1000


# -- the rules table --------------------------------------------------------------------------


@dataclass(frozen=True)
class Transition:
    action: str
    # None: the transition creates the placement.
    sources: frozenset[PlacementState | None]
    target: PlacementState
    sides: frozenset[Side]
    label: str  # the button
    refusal: str  # why it is refused from any other state
    reasons: Mapping[str, str] = field(default_factory=dict)  # a reason code is required
    needs_dates: bool = False  # start and end inside the slot's window
    needs_checklist: bool = False
    needs_evaluation: bool = False
    needs_outcome: bool = False
    note_required: bool = False
    notify: Side | None = None  # the side told by e-mail
    template: str = ""  # templates/mail/<template>.txt

    @property
    def takes_place(self) -> bool:
        """Whether it takes one of the slot's places (the capacity check runs)."""
        return self.target in HOLDING_STATES and not (self.sources & HOLDING_STATES)


def _t(action: str, sources: set[PlacementState | None], target: PlacementState,
       sides: set[Side], label: str, refusal: str, **rest: Any) -> Transition:  # fmt: skip
    return Transition(action, frozenset(sources), target, frozenset(sides), label, refusal, **rest)


EMPLOYER = {Side.employer}
CASE_WORKER = {Side.case_worker}
BOTH = {Side.employer, Side.case_worker}

# The one table of the lifecycle (PRODUCT.md section 4). Read a row as: action — from these
# states — to this state — by these sides — button — refusal from any other state — what it
# requires — whom it tells, with which mail.
# fmt: off
TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        _t("nominate", {None}, S.proposed, CASE_WORKER, N_("Nominate"), "",
           note_required=True, notify=Side.employer, template="placement_nominated"),
        _t("request", {None}, S.requested, EMPLOYER, N_("Ask for this candidate"), "",
           notify=Side.case_worker, template="placement_requested"),
        _t("confirm_request", {S.requested}, S.accepted, CASE_WORKER, N_("Confirm the request"),
           N_("Only an open request can be confirmed."),
           notify=Side.employer, template="placement_request_confirmed"),
        _t("decline_request", {S.requested}, S.declined, CASE_WORKER, N_("Decline the request"),
           N_("Only an open request can be declined."), reasons=REQUEST_DECLINE_REASONS,
           notify=Side.employer, template="placement_request_declined"),
        _t("cancel_request", {S.requested}, S.withdrawn, EMPLOYER, N_("Cancel the request"),
           N_("Only an open request can be cancelled."),
           notify=Side.case_worker, template="placement_request_cancelled"),
        _t("accept", {S.proposed}, S.accepted, EMPLOYER, N_("Accept"),
           N_("Only a proposed candidate can be accepted."),
           notify=Side.case_worker, template="placement_accepted"),
        _t("decline", {S.proposed}, S.declined, EMPLOYER, N_("Decline"),
           N_("Only a proposed candidate can be declined."), reasons=DECLINE_REASONS,
           notify=Side.case_worker, template="placement_declined"),
        # The coordination office may withdraw too (a nomination nobody answers, a case worker
        # gone): it frees a place, so it never bypasses capacity; it needs no consent. Nothing
        # else is the office's to decide for the two sides.
        _t("withdraw", {S.requested, S.proposed, S.accepted, S.preparing}, S.withdrawn,
           CASE_WORKER | {Side.system, Side.operator}, N_("Withdraw"),
           N_("A placement can be withdrawn only before the internship starts."),
           reasons=WITHDRAW_REASONS, notify=Side.employer, template="placement_withdrawn"),
        _t("prepare", {S.accepted}, S.preparing, CASE_WORKER, N_("Fix the dates"),
           N_("Dates are fixed once the candidate is accepted."), needs_dates=True,
           notify=Side.employer, template="placement_preparing"),
        # notify=None: the side that did not act is told.
        _t("start", {S.preparing}, S.in_progress, BOTH, N_("Internship has started"),
           N_("Only a prepared placement can start."), needs_checklist=True,
           notify=None, template="placement_started"),
        _t("complete", {S.in_progress}, S.completed, EMPLOYER, N_("Complete with evaluation"),
           N_("Only a running internship can be completed."), needs_evaluation=True,
           notify=Side.case_worker, template="placement_completed"),
        _t("abort", {S.in_progress}, S.aborted, BOTH, N_("End early"),
           N_("Only a running internship can be ended early."), reasons=ABORT_REASONS,
           notify=None, template="placement_aborted"),
        # No mail: the outcome is the case manager's own record; follow-ups are planned.
        _t("record_outcome", {S.completed}, S.outcome, CASE_WORKER, N_("Record the outcome"),
           N_("The outcome is recorded once the internship is completed."), needs_outcome=True),
    )
}
# fmt: on


def refusal_of_side(transition: Transition) -> str:
    if transition.sides & {Side.employer, Side.case_worker} == {Side.employer}:
        return _("Only the employer can do this.")
    if transition.sides & {Side.employer, Side.case_worker} == {Side.case_worker}:
        return _("Only the candidate's case manager can do this.")
    return _("You cannot do this.")


class Refused(Exception):
    """A transition this state, this side or this input does not allow; nothing was changed.

    `status`: 403 for the wrong side, 409 for the wrong state or a full slot, 422 for input."""

    def __init__(self, message: str, status: int = 409, errors: Mapping[str, str] | None = None):
        super().__init__(message)
        self.message = message
        self.status = status
        self.errors = dict(errors or {})


# -- what a transition is given ---------------------------------------------------------------


@dataclass(frozen=True)
class EvaluationFields:
    attendance: str
    skills: list[str]
    work_habits: list[str]
    german_level: str | None
    recommendation: str
    comment: str = ""


@dataclass(frozen=True)
class Input:
    """Validated input of a transition (the forms parse strings into this)."""

    reason: str = ""
    note: str = ""
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    hours_per_week: int | None = None
    supervisor: str = ""
    evaluation: EvaluationFields | None = None
    outcome: str = ""
    outcome_on: dt.date | None = None


def choosable_reasons(t: Transition) -> dict[str, str]:
    """The reason codes a person may choose for `t` (the portal's own are not offered)."""
    return {code: label for code, label in t.reasons.items() if code not in SYSTEM_REASONS}


def reason_label(action: str, reason: str) -> str:
    """The text of a reason code of `action`, in the current language ("" for none)."""
    t = TRANSITIONS.get(action)
    label = t.reasons.get(reason) if t and reason else None
    return _(label) if label else ""
