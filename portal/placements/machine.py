"""The placement lifecycle (PRODUCT.md section 4): the one place a placement changes state.

For every transition, one row of TRANSITIONS says from which states it starts, where it leads,
which side makes it (the employer, the case worker, or the portal itself), what it requires
(a reason code, dates inside the slot's window, a complete checklist, an evaluation, an
outcome), and whom it tells. `apply()` checks all of that under a lock, writes the new state,
an event row (who, when, from, to, note), an audit event and the outbox e-mails in one
transaction — or refuses with a message and changes nothing.

Capacity (a slot never holds more placements for overlapping dates than it has places, also
when two employers click at the same moment) is counted in capacity.py, under the slot's lock,
inside the transition's transaction. The table is in transitions.py, loading and locking a
placement in loading.py, the checks in checks.py, the event rows and e-mails in effects.py.
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from litestar.exceptions import NotFoundException

from portal.auth import CurrentUser
from portal.auth.policy import Side
from portal.candidates.consent import active_consent
from portal.candidates.documents import lock_candidate
from portal.candidates.tables import Candidate, CandidateStatus
from portal.clock import now
from portal.employers.tables import Slot, SlotStatus
from portal.errors import Stale
from portal.i18n import _
from portal.notifications.outbox import Mail, enqueue
from portal.placements import capacity, links
from portal.placements.checks import check_capacity, checklist_complete, input_problems, precheck
from portal.placements.effects import log_event, mail_context, notify, recipients
from portal.placements.invitation import send_invitation
from portal.placements.loading import load_placement, lock_placement, select_placement, side_of
from portal.placements.rows import PlacementRow
from portal.placements.tables import (
    HOLDING_STATES,
    OPEN_STATES,
    RELEASE_STATES,
    Evaluation,
    FollowUp,
    Origin,
    Placement,
)
from portal.placements.transitions import (
    RELEASE_ALLOWED,
    TRANSITIONS,
    Input,
    Refused,
    S,
    Transition,
)

# The lifecycle's central API, importable from here: the transitions table, what a transition
# is given and how it is refused, and loading a placement with the side of the user.
__all__ = [
    "TRANSITIONS",
    "Input",
    "Refused",
    "Side",
    "apply",
    "create",
    "load_placement",
    "side_of",
]

FOLLOW_UP_MONTHS = (3, 6)


# -- applying ---------------------------------------------------------------------------------


async def apply(
    user: CurrentUser | None,
    placement_id: UUID,
    action: str,
    data: Input | None = None,
    *,
    address: str = "",
    link: links.Grant | None = None,
    unchanged_since: dt.datetime | None = None,
) -> PlacementRow:
    """Move the placement on by `action`; Refused (or 404) changes nothing.

    `user` None is the portal itself (Side.system) — or, with `link`, the employer's side acting
    through an e-mail link (placements.links), which is used up in this transaction and allows
    only its own actions on its own placement. Returns the placement's row as it is now.
    `unchanged_since`: the updated_at the caller read (the API's If-Match); Stale when the
    placement changed since — checked under the row's lock, so no write slips in between.
    """
    t = TRANSITIONS.get(action)
    if t is None or None in t.sources:
        raise NotFoundException()
    if link is not None and (user is not None or not link.allows(placement_id, action)):
        raise NotFoundException()
    data = data or Input()
    async with capacity.placement_transaction():
        row = await lock_placement(placement_id)
        side = _side(user, row, link)
        if row is None or side is None:
            raise NotFoundException()
        if unchanged_since is not None and row["updated_at"] != unchanged_since:
            raise Stale()
        precheck(t, row, side)
        errors = input_problems(t, row, data, side=side)
        if errors:
            raise Refused(_("Please check the marked fields."), status=422, errors=errors)
        if t.needs_checklist and not await checklist_complete(row):
            raise Refused(_("The start checklist is not complete yet."))
        if t.takes_place or (t.needs_dates and t.target in HOLDING_STATES):
            await check_capacity(row, data)
        if link is not None and not await links.consume(link, address=address):
            raise NotFoundException()
        await _write(t, row, user, side, data, address, link)
        if t.takes_place or (S(row["state"]) in HOLDING_STATES) != (t.target in HOLDING_STATES):
            await capacity.update_slot_fill(row["slot"])
        await notify(t, row, side, reason=data.reason)
        updated = await select_placement(placement_id)
        assert updated is not None  # noqa: S101
        await send_invitation(row, updated)
    return updated


def _side(
    user: CurrentUser | None, row: PlacementRow | None, link: links.Grant | None
) -> Side | None:
    if row is None:
        return None
    if link is not None:
        return Side.employer
    return Side.system if user is None else side_of(user, row)


async def _write(
    t: Transition,
    row: PlacementRow,
    user: CurrentUser | None,
    side: Side,
    data: Input,
    address: str,
    link: links.Grant | None = None,
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
    # Whatever e-mail links the placement still had were for the state it has just left.
    await links.revoke(row["id"])
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
        by_link_of=link.employer_id if link else None,
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


async def release_identity(
    user: CurrentUser,
    placement_id: UUID,
    *,
    address: str,
    unchanged_since: dt.datetime | None = None,
) -> None:
    """The case worker releases name and contact to the employer who accepted (with consent);
    `unchanged_since` as for apply."""
    async with capacity.placement_transaction():
        row = await lock_placement(placement_id)
        if row is None or side_of(user, row) is None:
            raise NotFoundException()
        if unchanged_since is not None and row["updated_at"] != unchanged_since:
            raise Stale()
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


def identity_visible(row: PlacementRow, keep_days: int) -> bool:
    """Whether the employer may read the released identity on this placement now: while the
    placement is open, and `keep_days` after it ended (limits: identity_days_after_end)."""
    if not (
        row["identity_released_at"] is not None
        and S(row["state"]) in RELEASE_STATES
        and row["candidate_erased_at"] is None
    ):
        return False
    if S(row["state"]) in HOLDING_STATES or row["ended_at"] is None:
        return True
    return now() < row["ended_at"] + dt.timedelta(days=keep_days)
