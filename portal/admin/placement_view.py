"""A placement as the coordination office reads it: timeline, checklist, conversation,
evaluation, outcome, follow-ups — pseudonymised, never a released identity.

After the identity is released, the two sides may write the candidate's name to each other
(the PII guard allows it then, portal.placements.thread). The console reads no identity and
so cannot redact one: free text written after the release (messages, notes of events, the
evaluation's comment, the outcome's note) is not shown here, only that it exists. Checklist
answers are shown as done / not done (the work-access answer tells of the residence status).
"""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from portal.auth import CurrentUser
from portal.i18n import N_, _
from portal.placements import agreement, checklist
from portal.placements.labels import EVENT_LABELS
from portal.placements.loading import load_placement
from portal.placements.preparation import evaluation_of, follow_ups_of, outcome_view
from portal.placements.rows import PlacementRow
from portal.placements.tables import Message, PlacementEvent, PlacementState
from portal.placements.thread import MESSAGE_CAP
from portal.placements.transitions import TRANSITIONS, reason_label

S = PlacementState
EVENT_CAP = 200
CONSOLE_EVENT_LABELS = {
    "console_reminder": N_("Reminder sent by the coordination office"),
    "internal_note": N_("Internal note"),
    "flag": N_("Flagged"),
    "unflag": N_("Flag removed"),
}


def _after_release(row: PlacementRow, moment: dt.datetime) -> bool:
    released = row["identity_released_at"]
    return released is not None and moment >= released


def event_label(action: str) -> str:
    if action in CONSOLE_EVENT_LABELS:
        return _(CONSOLE_EVENT_LABELS[action])
    if action in EVENT_LABELS:
        return _(EVENT_LABELS[action])
    t = TRANSITIONS.get(action)
    return _(t.label) if t else action


async def timeline(row: PlacementRow) -> list[dict[str, Any]]:
    """Every event, the office's internal ones too, oldest first (one query)."""
    rows = await (
        PlacementEvent.select(
            *PlacementEvent.all_columns(),
            PlacementEvent.actor.display_name.as_alias("actor_name"),
            PlacementEvent.actor_organisation.name.as_alias("actor_organisation_name"),
        )
        .where(PlacementEvent.placement == row["id"])
        .order_by(PlacementEvent.created_at)
        .order_by(PlacementEvent._meta.primary_key)
        .limit(EVENT_CAP)
    )
    for event in rows:
        event["label"] = event_label(event["action"])
        event["reason_label"] = reason_label(event["action"], event["reason"])
        hidden = not event["internal"] and _after_release(row, event["created_at"])
        event["note_hidden"] = hidden and bool(event["note"])
        if hidden:
            event["note"] = ""
    return rows


async def conversation(row: PlacementRow) -> tuple[list[dict[str, Any]], bool]:
    """The latest messages, oldest first; the text only of those written before the release."""
    rows = await (
        Message.select(
            Message._meta.primary_key,
            Message.body,
            Message.created_at,
            Message.erased,
            Message.author_organisation.name.as_alias("author_organisation_name"),
        )
        .where(Message.placement == row["id"])
        .order_by(Message.created_at, ascending=False)
        .order_by(Message._meta.primary_key, ascending=False)
        .limit(MESSAGE_CAP + 1)
    )
    shown = list(reversed(rows[:MESSAGE_CAP]))
    for message in shown:
        message["hidden"] = message["erased"] or _after_release(row, message["created_at"])
        if message["hidden"]:
            message["body"] = ""
    return shown, len(rows) > MESSAGE_CAP


async def checklist_state(row: PlacementRow) -> list[dict[str, Any]]:
    # An agreement confirmed online counts only while its text is unchanged.
    done = await agreement.fresh(row, await checklist.items_of(row["id"]))
    return [
        {
            "label": _(checklist.ITEMS[code]),
            "done": code in done,
            "confirmed_at": done[code]["confirmed_at"] if code in done else None,
        }
        for code in checklist.required_items(row["slot_kind"])
    ]


async def view(user: CurrentUser, placement_id: UUID) -> dict[str, Any]:
    """The page's context: the placement (404 outside the policy) and its parts."""
    row = await load_placement(user, placement_id)
    state = S(row["state"])
    evaluation = await evaluation_of(row["id"]) if state in (S.completed, S.outcome) else None
    if evaluation and row["identity_released_at"] is not None:
        evaluation["comment_hidden"] = bool(evaluation["comment"])
        evaluation["comment"] = ""
    outcome = outcome_view(row)
    if outcome and row["identity_released_at"] is not None:
        outcome["note_hidden"] = bool(outcome["note"])
        outcome["note"] = ""
    messages, older = await conversation(row)
    return {
        "row": row,
        "events": await timeline(row),
        "checklist": await checklist_state(row),
        "messages": messages,
        "older_messages": older,
        "evaluation": evaluation,
        "outcome": outcome,
        "follow_ups": await follow_ups_of(row["id"]) if state == S.outcome else [],
    }
