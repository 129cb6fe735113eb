"""What a placement change leaves behind: its event row, the audit event, the e-mails to a side."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any
from uuid import UUID

from portal import events
from portal.accounts.tables import Role
from portal.audit.services import record
from portal.auth import CurrentUser
from portal.auth.policy import EMPLOYER_ROLES, Side
from portal.clock import now
from portal.events import announce
from portal.live import PLACEMENT_CHANGED
from portal.notifications.outbox import (
    Mail,
    Recipient,
    enqueue,
    organisation_recipients,
    user_recipient,
)
from portal.placements.tables import Placement, PlacementEvent
from portal.placements.transitions import Transition

# Every event row of a placement, announced in its transaction: the statistics count it
# (portal/stats/summary.py), so their summary commits or rolls back with the change.
EVENT_LOGGED = events.Event("placement.event_logged")


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
    internal: bool = False,
    by_link_of: UUID | None = None,
) -> None:
    """The placement's event row and its audit event (the audit holds codes, never the note).

    `internal`: the coordination office's own event, shown to operator staff only.
    `by_link_of`: no user acted, but someone of this organisation through an e-mail link."""
    moment = moment or now()
    organisation = user.organisation_id if user else by_link_of
    inserted = await PlacementEvent.insert(
        PlacementEvent(
            placement=placement_id,
            action=action,
            from_state=from_state,
            to_state=to_state,
            actor=user.id if user else None,
            actor_organisation=organisation,
            reason=reason,
            note=note,
            created_at=moment,
            internal=internal,
        )
    )
    await events.announce(
        EVENT_LOGGED,
        event_id=inserted[0]["id"],
        placement_id=placement_id,
        action=action,
        to_state=to_state,
        reason=reason,
        moment=moment,
    )
    detail: dict[str, Any] = {}
    if from_state or to_state:
        detail["state"] = {"from": from_state, "to": to_state}
    if reason:
        detail["reason"] = reason
    if by_link_of is not None:
        detail["via"] = "email_link"
    # The boards, the attention list and the employer's inbox update themselves (portal.live).
    await announce(PLACEMENT_CHANGED, placement_id=placement_id)
    await record(
        f"placement.{action}",
        record_type="placement",
        record_id=placement_id,
        actor_id=user.id if user else None,
        actor_organisation_id=organisation,
        address=address,
        **detail,
    )


async def live_topics(placement_ids: Iterable[Any]) -> set[str]:
    """The live topics that show these placements (portal.live): the console, the agency's
    board, the employer's inbox (one query)."""
    ids = list(placement_ids)
    if not ids:
        return set()
    rows = await Placement.select(Placement.employer, Placement.agency).where(
        Placement.id.is_in(ids)
    )
    topics = {"console"}
    for row in rows:
        topics |= {f"agency:{row['agency']}", f"employer:{row['employer']}"}
    return topics


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
    context = mail_context(row, action=t.action, reason=reason, by_office=side == Side.operator)
    # The coordination office acted for neither side: both are told.
    sides = [Side.employer, Side.case_worker] if side == Side.operator else [told]
    for each in sides:
        await enqueue(Mail(t.template, context), await recipients(each, row))
