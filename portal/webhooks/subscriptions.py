"""What the webhooks hear: the placements' event rows and a slot's last place taken.

The placements announce every event row (`placements.effects.EVENT_LOGGED`) and a filled slot
(`placements.capacity.SLOT_FILLED`) inside the change's transaction; the handlers here write
one delivery per subscribed, unpaused endpoint of each organisation concerned, in that same
transaction, so that a change and its webhooks commit together (the worker sends them).

Which organisation hears what:
- nomination.received: the side that did not act (a nomination: the employer; an employer's
  request for a candidate: the case-management organisation);
- nomination.answered (accept, decline, confirm or decline a request) and
  placement.state_changed (every other change of state): both parties of the placement;
- slot.filled: the slot's employer.

A payload holds the event's id and type, the moment, and codes and ids only (placement, slot,
the candidate's pseudonymous code, the states, a reason code) — never a name or a contact.
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections.abc import Iterable
from typing import Any
from uuid import UUID

from portal import events
from portal.employers.tables import Slot
from portal.placements.capacity import SLOT_FILLED
from portal.placements.effects import EVENT_LOGGED
from portal.placements.tables import Placement, PlacementEvent
from portal.webhooks.tables import HookEvent, WebhookDelivery, WebhookEndpoint

RECEIVED = {"nominate": "employer", "request": "agency"}
ANSWERED = {"accept", "decline", "confirm_request", "decline_request"}


def body(event: HookEvent, event_id: UUID, moment: dt.datetime, data: dict[str, Any]) -> str:
    """The JSON sent (and signed) for one event: compact, keys sorted, ids as strings."""
    payload = {
        "id": str(event_id),
        "type": event.value,
        "created_at": moment.isoformat(),
        "data": data,
    }
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), default=str)


async def write_deliveries(
    event: HookEvent, organisations: Iterable[Any], data: dict[str, Any], moment: dt.datetime
) -> int:
    """One delivery per endpoint of these organisations subscribed to `event` (one query to
    find them, one to write)."""
    wanted = {str(org) for org in organisations if org is not None}
    if not wanted:
        return 0
    endpoints = await WebhookEndpoint.select(WebhookEndpoint.id, WebhookEndpoint.events).where(
        WebhookEndpoint.organisation.is_in(list(wanted)) & WebhookEndpoint.paused_at.is_null()
    )
    event_id = uuid.uuid4()
    text = body(event, event_id, moment, data)
    rows = [
        WebhookDelivery(
            endpoint=row["id"],
            event_id=event_id,
            event=event.value,
            body=text,
            created_at=moment,
            available_at=moment,
        )
        for row in endpoints
        if event.value in _listed(row["events"])
    ]
    if rows:
        await WebhookDelivery.insert(*rows)
    return len(rows)


async def _anyone_listening() -> bool:
    """Whether any endpoint is active: one cheap query keeps a portal without webhooks (and
    every placement change in it) from looking up placements for nobody."""
    return await WebhookEndpoint.exists().where(WebhookEndpoint.paused_at.is_null())  # type: ignore[no-any-return]


def _listed(value: Any) -> list[str]:
    return json.loads(value) if isinstance(value, str) else list(value or [])


async def placement_event_logged(
    *,
    event_id: int,
    placement_id: UUID,
    action: str,
    to_state: str,
    reason: str,
    moment: dt.datetime,
    **_rest: Any,
) -> None:
    if action not in RECEIVED and not to_state:
        return  # a message, a checklist item, a follow-up: no change of state
    if not await _anyone_listening():
        return
    row = await (
        Placement.select(
            Placement.employer,
            Placement.agency,
            Placement.slot,
            Placement.candidate.code.as_alias("candidate_code"),
        )
        .where(Placement.id == placement_id)
        .first()
    )
    logged = (
        await PlacementEvent.select(PlacementEvent.from_state)
        .where(PlacementEvent._meta.primary_key == event_id)
        .first()
    )
    if row is None:
        return
    data = {
        "placement_id": str(placement_id),
        "slot_id": str(row["slot"]),
        "candidate_code": row["candidate_code"],
        "action": action,
        "from_state": (logged or {}).get("from_state") or None,
        "to_state": to_state or None,
        "reason": reason or None,
    }
    parties = [row["employer"], row["agency"]]
    if action in RECEIVED:
        await write_deliveries(HookEvent.nomination_received, [row[RECEIVED[action]]], data, moment)
    elif action in ANSWERED:
        await write_deliveries(HookEvent.nomination_answered, parties, data, moment)
    else:
        await write_deliveries(HookEvent.placement_state_changed, parties, data, moment)


async def slot_filled(*, slot_id: UUID, moment: dt.datetime, **_rest: Any) -> None:
    if not await _anyone_listening():
        return
    row = await Slot.select(Slot.employer, Slot.places).where(Slot.id == slot_id).first()
    if row is None:
        return
    data = {"slot_id": str(slot_id), "places": row["places"]}
    await write_deliveries(HookEvent.slot_filled, [row["employer"]], data, moment)


def subscribe() -> None:
    """Called by every entry point (app, worker, cli), as the placements' subscriptions are."""
    events.subscribe(EVENT_LOGGED, placement_event_logged)
    events.subscribe(SLOT_FILLED, slot_filled)
