"""The placement lifecycle (PRODUCT.md section 4): the one place a placement changes state.

For every transition, one row of TRANSITIONS says from which states it starts, where it leads,
which side makes it (the employer, the case worker, or the portal itself), what it requires
(a reason code, dates inside the slot's window, a complete checklist, an evaluation, an
outcome), and whom it tells. `apply()` checks all of that under a lock, writes the new state,
an event row (who, when, from, to, note), an audit event and the outbox e-mails in one
transaction — or refuses with a message and changes nothing.

Capacity (a slot never holds more placements for overlapping dates than it has places, also
when two employers click at the same moment) is counted in capacity.py, under the slot's lock,
inside the transition's transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from litestar.exceptions import NotFoundException
from piccolo.engine.sqlite import SQLiteEngine

from portal.accounts.tables import Role
from portal.audit.services import record
from portal.auth import CurrentUser
from portal.auth.policy import EMPLOYER_ROLES, Side, placement_side
from portal.candidates.consent import active_consent
from portal.candidates.documents import lock_candidate
from portal.candidates.tables import Candidate, CandidateStatus
from portal.clock import now
from portal.employers.tables import Slot, SlotStatus
from portal.i18n import N_, _
from portal.notifications.outbox import (
    Mail,
    Recipient,
    enqueue,
    organisation_recipients,
    user_recipient,
)
from portal.placements import capacity, checklist
from portal.placements.tables import (
    HOLDING_STATES,
    OPEN_STATES,
    RELEASE_STATES,
    Evaluation,
    FollowUp,
    Origin,
    Outcome,
    Placement,
    PlacementEvent,
    PlacementState,
)

S = PlacementState
FOLLOW_UP_MONTHS = (3, 6)
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
        _t("withdraw", {S.requested, S.proposed, S.accepted, S.preparing}, S.withdrawn,
           CASE_WORKER | {Side.system}, N_("Withdraw"),
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


# -- who is asking ----------------------------------------------------------------------------


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


async def load_placement(user: CurrentUser, placement_id: UUID) -> dict[str, Any]:
    """The placement with its slot's and candidate's columns, or 404 for anyone not on a side."""
    row = await Placement.select(*placement_columns()).where(Placement.id == placement_id).first()
    if row is None or side_of(user, row) is None:
        raise NotFoundException()
    return row


def available(user: CurrentUser, row: Mapping[str, Any]) -> list[Transition]:
    """The transitions `user` may start from the placement's state (the buttons to show)."""
    side = side_of(user, row)
    return [t for t in TRANSITIONS.values() if side in t.sides and S(row["state"]) in t.sources]


# -- checking ---------------------------------------------------------------------------------


def precheck(t: Transition, row: Mapping[str, Any], side: Side | None) -> None:
    """Refused unless `side` may start `t` from the placement's state (input not yet looked at)."""
    if side not in t.sides:
        raise Refused(refusal_of_side(t), status=403)
    if row["candidate_erased_at"] is not None:
        raise Refused(_("The personal data of this candidate have been erased."))
    if S(row["state"]) not in t.sources:
        raise Refused(_(t.refusal))


def choosable_reasons(t: Transition) -> dict[str, str]:
    """The reason codes a person may choose for `t` (the portal's own are not offered)."""
    return {code: label for code, label in t.reasons.items() if code not in SYSTEM_REASONS}


def reason_label(action: str, reason: str) -> str:
    """The text of a reason code of `action`, in the current language ("" for none)."""
    t = TRANSITIONS.get(action)
    label = t.reasons.get(reason) if t and reason else None
    return _(label) if label else ""


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
    if data.hours_per_week is not None and not 1 <= data.hours_per_week <= 48:
        errors["hours_per_week"] = _("Please enter between 1 and 48 hours a week.")
    return errors


async def check_capacity(row: Mapping[str, Any], data: Input | None = None) -> None:
    """Refused when the slot's places are taken for the placement's dates (slot row locked)."""
    problem = await capacity.problem(
        row,
        start=data.start_date if data else None,
        end=data.end_date if data else None,
    )
    if problem:
        raise Refused(problem)


async def checklist_complete(row: Mapping[str, Any]) -> bool:
    return await checklist.is_complete(row)


# -- applying ---------------------------------------------------------------------------------


async def _lock(placement_id: UUID) -> dict[str, Any] | None:
    query = Placement.select(*placement_columns()).where(Placement.id == placement_id)
    if not isinstance(Placement._meta.db, SQLiteEngine):
        # Lock only the placement's own row (the joined tables stay unlocked).
        query = query.lock_rows(of=(Placement,))
    return await query.first()


async def apply(
    user: CurrentUser | None,
    placement_id: UUID,
    action: str,
    data: Input | None = None,
    *,
    address: str = "",
) -> dict[str, Any]:
    """Move the placement on by `action`; Refused (or 404) changes nothing.

    `user` None is the portal itself (Side.system). Returns the placement's row as it is now.
    """
    t = TRANSITIONS.get(action)
    if t is None or None in t.sources:
        raise NotFoundException()
    data = data or Input()
    async with capacity.placement_transaction():
        row = await _lock(placement_id)
        side = Side.system if user is None else (side_of(user, row) if row else None)
        if row is None or side is None:
            raise NotFoundException()
        precheck(t, row, side)
        errors = input_problems(t, row, data, side=side)
        if errors:
            raise Refused(_("Please check the marked fields."), status=422, errors=errors)
        if t.needs_checklist and not await checklist_complete(row):
            raise Refused(_("The start checklist is not complete yet."))
        if t.takes_place or (t.needs_dates and t.target in HOLDING_STATES):
            await check_capacity(row, data)
        await _write(t, row, user, side, data, address)
        if t.takes_place or (S(row["state"]) in HOLDING_STATES) != (t.target in HOLDING_STATES):
            await capacity.update_slot_fill(row["slot"])
        await notify(t, row, side, reason=data.reason)
        updated = (
            await Placement.select(*placement_columns()).where(Placement.id == placement_id).first()
        )
    assert updated is not None  # noqa: S101
    return updated


async def _write(
    t: Transition,
    row: Mapping[str, Any],
    user: CurrentUser | None,
    side: Side,
    data: Input,
    address: str,
) -> None:
    moment = now()
    values: dict[Any, Any] = {
        Placement.state: t.target,
        Placement.updated_at: moment,
        Placement.state_changed_at: moment,
    }
    if t.reasons:
        values[Placement.reason] = data.reason
    if t.action in ("accept", "decline"):
        values[Placement.answered_at] = moment
    if t.needs_dates:
        values[Placement.start_date] = data.start_date
        values[Placement.end_date] = data.end_date
        values[Placement.hours_per_week] = data.hours_per_week or row["slot_hours"]
        values[Placement.supervisor] = data.supervisor.strip()
    if t.target == S.in_progress:
        values[Placement.started_at] = moment
    if t.target in (S.completed, S.aborted):
        values[Placement.ended_at] = moment
    if t.needs_outcome:
        values[Placement.outcome] = data.outcome
        values[Placement.outcome_on] = data.outcome_on
        values[Placement.outcome_note] = data.note.strip()
        values[Placement.outcome_recorded_at] = moment
    # The state again in the UPDATE: the row is locked, this only guards against misuse.
    changed = (
        await Placement.update(values)
        .where((Placement.id == row["id"]) & (Placement.state == row["state"]))
        .returning(Placement.id)
    )
    if not changed:
        raise Refused(_("The placement was changed in the meantime. Please look at it again."))
    if t.needs_evaluation and data.evaluation is not None:
        e = data.evaluation
        await Evaluation.insert(
            Evaluation(
                placement=row["id"],
                candidate=row["candidate"],
                attendance=e.attendance,
                skills=e.skills,
                work_habits=e.work_habits,
                german_level=e.german_level,
                recommendation=e.recommendation,
                comment=e.comment.strip(),
                written_by=user.id if user else None,
                written_at=moment,
            )
        )
    if t.needs_outcome and data.outcome_on is not None:
        await FollowUp.insert(
            *(
                FollowUp(
                    placement=row["id"], months=months, due_on=add_months(data.outcome_on, months)
                )
                for months in FOLLOW_UP_MONTHS
            )
        )
    await log_event(
        row["id"],
        t.action,
        user,
        from_state=row["state"],
        to_state=t.target,
        reason=data.reason if t.reasons else "",
        note=data.note.strip(),
        address=address,
        moment=moment,
    )


async def log_event(
    placement_id: UUID,
    action: str,
    user: CurrentUser | None,
    *,
    from_state: str = "",
    to_state: str = "",
    reason: str = "",
    note: str = "",
    address: str = "",
    moment: dt.datetime | None = None,
) -> None:
    """The placement's event row and its audit event (the audit holds codes, never the note)."""
    await PlacementEvent.insert(
        PlacementEvent(
            placement=placement_id,
            action=action,
            from_state=from_state,
            to_state=to_state,
            actor=user.id if user else None,
            actor_organisation=user.organisation_id if user else None,
            reason=reason,
            note=note,
            created_at=moment or now(),
        )
    )
    detail: dict[str, Any] = {}
    if from_state or to_state:
        detail["state"] = {"from": from_state, "to": to_state}
    if reason:
        detail["reason"] = reason
    await record(
        f"placement.{action}",
        record_type="placement",
        record_id=placement_id,
        actor_id=user.id if user else None,
        actor_organisation_id=user.organisation_id if user else None,
        address=address,
        **detail,
    )


def add_months(day: dt.date, months: int) -> dt.date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    for last in (31, 30, 29, 28):
        try:
            return dt.date(year, month, min(day.day, last))
        except ValueError:
            continue
    raise AssertionError("unreachable")


# -- telling ----------------------------------------------------------------------------------


async def recipients(side: Side, row: Mapping[str, Any]) -> list[Recipient]:
    """The employer's users, or the responsible case manager (the team leads if there is none)."""
    if side == Side.employer:
        return await organisation_recipients(row["employer"], EMPLOYER_ROLES)
    found = await user_recipient(row["case_manager"] or row["candidate_case_manager"])
    return found or await organisation_recipients(row["agency"], [Role.team_lead])


def mail_context(row: Mapping[str, Any], **extra: Any) -> dict[str, Any]:
    """What a placement e-mail may say: the code, the slot, the employer — never an identity."""
    return {
        "placement_id": str(row["id"]),
        "code": row["candidate_code"],
        "slot_title": row["slot_title"],
        "employer": row["employer_name"],
        "agency": row["agency_name"],
        **extra,
    }


async def notify(t: Transition, row: Mapping[str, Any], side: Side, *, reason: str = "") -> None:
    """The transition's e-mail, to the side it names (or, when None, to the other side)."""
    if not t.template:
        return
    told = t.notify
    if told is None:
        told = Side.case_worker if side == Side.employer else Side.employer
    if told == side:
        return
    await enqueue(
        Mail(t.template, mail_context(row, action=t.action, reason=reason)),
        await recipients(told, row),
    )


# -- creating ---------------------------------------------------------------------------------


async def create(
    user: CurrentUser,
    action: str,
    *,
    slot_id: UUID,
    candidate_id: UUID,
    note: str = "",
    address: str = "",
) -> UUID:
    """A new placement by `nominate` (case worker) or `request` (employer); Refused if not.

    The caller has checked that `user` may see the candidate (case worker) or owns the slot
    (employer); this checks the rest under the candidate's and the slot's locks.
    """
    t = TRANSITIONS[action]
    assert None in t.sources  # noqa: S101
    data = Input(note=note)
    async with capacity.placement_transaction():
        await lock_candidate(candidate_id)
        candidate = (
            await Candidate.select(
                Candidate.id,
                Candidate.code,
                Candidate.status,
                Candidate.organisation,
                Candidate.case_manager,
                Candidate.organisation.name.as_alias("agency_name"),
            )
            .where(Candidate.id == candidate_id)
            .first()
        )
        slot = await capacity.lock_slot(slot_id)
        slot_row = (
            await Slot.select(
                Slot.id, Slot.title, Slot.employer, Slot.employer.name.as_alias("name")
            )
            .where(Slot.id == slot_id)
            .first()
        )
        if candidate is None or slot_row is None:
            raise NotFoundException()
        if candidate["status"] != CandidateStatus.active:
            raise Refused(_("Only an active candidate can be proposed for a slot."))
        consent = await active_consent(candidate_id)
        scope = "show_profile" if action == "nominate" else "talent_pool"
        if consent is None or not consent[scope]:
            raise Refused(
                _("The candidate's consent does not allow showing the profile to employers.")
                if action == "nominate"
                else _("This candidate is no longer in the talent pool.")
            )
        if slot["status"] != SlotStatus.open:
            raise Refused(_("Candidates can be proposed only for an open slot."))
        errors = input_problems(t, {}, data)
        if errors:
            raise Refused(_("Please check the marked fields."), status=422, errors=errors)
        if await Placement.exists().where(
            (Placement.slot == slot_id)
            & (Placement.candidate == candidate_id)
            & Placement.state.is_in(list(OPEN_STATES))
        ):
            raise Refused(_("This candidate is already proposed for this slot."))
        moment = now()
        placement = Placement(
            slot=slot_id,
            employer=slot_row["employer"],
            candidate=candidate_id,
            agency=candidate["organisation"],
            case_manager=candidate["case_manager"],
            state=t.target,
            origin=Origin.nomination if action == "nominate" else Origin.request,
            note=note.strip(),
            created_by=user.id,
            created_at=moment,
            updated_at=moment,
            state_changed_at=moment,
        )
        await placement.save()
        await log_event(
            placement.id, action, user, to_state=t.target, note=note.strip(),
            address=address, moment=moment,
        )  # fmt: skip
        row = {
            "id": placement.id,
            "employer": slot_row["employer"],
            "agency": candidate["organisation"],
            "case_manager": candidate["case_manager"],
            "candidate_case_manager": candidate["case_manager"],
            "candidate_code": candidate["code"],
            "slot_title": slot_row["title"],
            "employer_name": slot_row["name"],
            "agency_name": candidate["agency_name"],
        }
        await notify(t, row, Side.employer if action == "request" else Side.case_worker)
    return placement.id  # type: ignore[no-any-return]


# -- identity release -------------------------------------------------------------------------


async def release_identity(user: CurrentUser, placement_id: UUID, *, address: str) -> None:
    """The case worker releases name and contact to the employer who accepted (with consent)."""
    async with capacity.placement_transaction():
        row = await _lock(placement_id)
        if row is None or side_of(user, row) is None:
            raise NotFoundException()
        if side_of(user, row) != Side.case_worker:
            raise Refused(_("Only the candidate's case manager can do this."), status=403)
        if row["candidate_erased_at"] is not None:
            raise Refused(_("The personal data of this candidate have been erased."))
        if S(row["state"]) not in RELEASE_ALLOWED:
            raise Refused(_("The identity can be released once the employer has accepted."))
        if row["identity_released_at"] is not None:
            raise Refused(_("The identity has already been released to this employer."))
        consent = await active_consent(row["candidate"])
        if consent is None or not consent["release_identity"]:
            raise Refused(_("The candidate's consent does not cover releasing name and contact."))
        moment = now()
        await Placement.update(
            {
                Placement.identity_released_at: moment,
                Placement.identity_released_by: user.id,
                Placement.updated_at: moment,
            }
        ).where(Placement.id == placement_id)
        await log_event(placement_id, "release_identity", user, address=address, moment=moment)
        await enqueue(
            Mail("placement_identity_released", mail_context(row, action="release_identity")),
            await recipients(Side.employer, row),
        )


def identity_visible(row: Mapping[str, Any]) -> bool:
    """Whether the employer may read the released identity on this placement now."""
    return (
        row["identity_released_at"] is not None
        and S(row["state"]) in RELEASE_STATES
        and row["candidate_erased_at"] is None
    )
