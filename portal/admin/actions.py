"""What the coordination office does on a card of the board: remind the side that must act,
note something for operator staff, flag and unflag, and the transitions the lifecycle gives
the operator's side (only through `machine.apply`). Each is an event on the placement's
timeline; the office's own (reminder, note, flag) are internal: the employer's and the case
worker's pages never show them (`PlacementEvent.internal`).
"""

from __future__ import annotations

import datetime as dt
from uuid import UUID

from litestar.exceptions import NotFoundException

from portal.auth import CurrentUser
from portal.auth.policy import Side
from portal.clock import now
from portal.forms import not_allowed, not_allowed_message
from portal.i18n import N_, _, format_date
from portal.notifications.outbox import Mail, enqueue
from portal.placements import capacity, machine
from portal.placements.effects import log_event, mail_context, recipients
from portal.placements.loading import lock_placement, side_of
from portal.placements.rows import PlacementRow
from portal.placements.tables import Placement, PlacementState
from portal.placements.transitions import NOTE_LIMIT, TRANSITIONS, Refused, Transition
from portal.reference.limits import Limits

S = PlacementState

# Who must act next in each state (None: nobody waits — nothing to remind of).
ACTING_SIDE: dict[str, Side] = {
    S.requested: Side.case_worker,  # confirm or decline the employer's request
    S.proposed: Side.employer,  # accept or decline the nomination
    S.accepted: Side.case_worker,  # release the identity and fix the dates
    S.preparing: Side.case_worker,  # complete the start checklist
    S.in_progress: Side.employer,  # complete with an evaluation (or end early)
    S.completed: Side.case_worker,  # record the outcome
}
SIDE_LABELS = {
    Side.employer: N_("Remind the employer"),
    Side.case_worker: N_("Remind the case worker"),
}
CARD_ACTIONS = frozenset({"remind", "note", "flag", "unflag"})


def operator_transitions(state: str) -> list[Transition]:
    """The transitions the operator's side may start from `state` (the menu's buttons)."""
    return [t for t in TRANSITIONS.values() if Side.operator in t.sides and state in t.sources]


async def _locked(user: CurrentUser, placement_id: UUID) -> PlacementRow:
    row = await lock_placement(placement_id)
    if row is None or side_of(user, row) != Side.operator:
        raise NotFoundException()
    return row


async def remind(user: CurrentUser, placement_id: UUID, limits: Limits, *, address: str) -> Side:
    """E-mail the side that must act (through the outbox); at most one per reminder period."""
    async with capacity.placement_transaction():
        row = await _locked(user, placement_id)
        side = ACTING_SIDE.get(row["state"])
        if side is None:
            raise Refused(_("Nobody has to act on this placement now."))
        moment = now()
        last = row["operator_reminded_at"]
        if last is not None and moment - last < dt.timedelta(days=limits.reminder_days):
            raise Refused(
                _(
                    "A reminder was sent on %(day)s; the next one is possible after %(days)s days.",
                    day=format_date(last),
                    days=limits.reminder_days,
                )
            )
        await Placement.update(
            {Placement.operator_reminded_at: moment, Placement.updated_at: moment}
        ).where(Placement.id == placement_id)
        context = mail_context(
            row,
            action="console_reminder",
            state=row["state"],
            since=row["state_changed_at"].date().isoformat(),
        )
        await enqueue(Mail("placement_console_reminder", context), await recipients(side, row))
        await log_event(
            placement_id, "console_reminder", user, reason=side.value, address=address,
            moment=moment, internal=True,
        )  # fmt: skip
    return side


def note_problem(text: str) -> str | None:
    if not text.strip():
        return _("Please write the note.")
    if len(text) > NOTE_LIMIT:
        return _("Please keep the note under %(limit)s characters.", limit=NOTE_LIMIT)
    if not_allowed(text):
        return not_allowed_message()
    return None


async def add_note(user: CurrentUser, placement_id: UUID, text: str, *, address: str) -> None:
    """An internal note: for operator staff only (never shown to the two sides)."""
    problem = note_problem(text)
    if problem:
        raise Refused(problem, status=422, errors={"note": problem})
    async with capacity.placement_transaction():
        await _locked(user, placement_id)
        await log_event(
            placement_id, "internal_note", user, note=text.strip(), address=address,
            internal=True,
        )  # fmt: skip


async def set_flag(user: CurrentUser, placement_id: UUID, flagged: bool, *, address: str) -> None:
    async with capacity.placement_transaction():
        row = await _locked(user, placement_id)
        if (row["flagged_at"] is not None) == flagged:
            return
        moment = now()
        await Placement.update({Placement.flagged_at: moment if flagged else None}).where(
            Placement.id == placement_id
        )
        await log_event(
            placement_id, "flag" if flagged else "unflag", user, address=address, moment=moment,
            internal=True,
        )  # fmt: skip


async def transition(
    user: CurrentUser, placement_id: UUID, action: str, *, reason: str, note: str, address: str
) -> PlacementRow:
    """A transition of the operator's side, through the machine (capacity, consent, checks)."""
    t = TRANSITIONS.get(action)
    if t is None or Side.operator not in t.sides:
        raise NotFoundException()
    data = machine.Input(reason=reason, note=note)
    return await machine.apply(user, placement_id, action, data, address=address)
