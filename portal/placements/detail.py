"""What the placement page shows, for the side that looks at it (a constant number of queries).

The employer reads the pseudonymised profile, the shareable documents and — only while
`machine.identity_visible` — the released name and contact, each display audited. The case
worker reads the placement and links to the candidate's own pages. Both read the history, the
conversation and the actions their side may take now.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TypedDict, Unpack

from portal.auth import CurrentUser, policy
from portal.candidates import identity
from portal.candidates.access import audit
from portal.candidates.consent import active_consent
from portal.candidates.profile import load_profile
from portal.candidates.tables import Document
from portal.candidates.vault import Vault
from portal.i18n import _
from portal.placements import machine
from portal.placements.checks import checklist_complete
from portal.placements.labels import EVENT_LABELS, STATE_BADGES, STATE_LABELS
from portal.placements.loading import available
from portal.placements.machine import Side
from portal.placements.preparation import detail_context
from portal.placements.rows import PlacementRow
from portal.placements.tables import (
    RELEASE_STATES,
    Placement,
    PlacementEvent,
    PlacementState,
)
from portal.placements.thread import MESSAGE_CAP, latest_messages
from portal.placements.transitions import (
    RELEASE_ALLOWED,
    Transition,
    choosable_reasons,
    reason_label,
)
from portal.reference.limits import load_limit
from portal.search.services import contact as slot_contact
from portal.search.services import slot_details

S = PlacementState
# The events of a placement (a dozen in a long life); capped so that a page never grows.
EVENT_CAP = 200
# An employer may download the shareable copies while nominated, requested or accepted on.
DOCUMENT_STATES = frozenset({S.proposed, S.requested, *RELEASE_STATES})
# Transitions whose form is a page of its own (helper C's), linked instead of inline.
OWN_PAGES = {"complete": "placements:evaluation", "record_outcome": "placements:outcome"}


@dataclass(frozen=True)
class Action:
    """One button (and its form) of the placement page."""

    transition: Transition
    page: str  # a route name of its own page, or ""
    disabled: str  # why it cannot be done yet, or ""

    @property
    def action(self) -> str:
        return self.transition.action

    @property
    def label(self) -> str:
        return _(self.transition.label)

    @property
    def reasons(self) -> list[tuple[str, str]]:
        return [(code, _(label)) for code, label in choosable_reasons(self.transition).items()]


async def names_for_guard(vault: Vault, row: PlacementRow) -> list[str]:
    """The candidate's names for the PII guard on free text the other side reads, as long as
    the employer does not know them (none once the identity is released to it)."""
    if machine.identity_visible(row, await load_limit(KEEP_IDENTITY)):
        return []
    person = await identity.peek(vault, row["candidate"])
    return [person.given_names, person.family_name] if person else []


# The limit that says how long a released identity outlives the internship.
KEEP_IDENTITY = "identity_days_after_end"

# The case worker's own steps, which the employer's history leaves out: the checklist's items
# touch the person's access to work, the follow-ups what became of them after the internship.
CASE_WORKER_EVENTS = ("checklist.%", "follow_up.%")


async def events_of(placement_id: Any, side: Side | None = None) -> list[dict[str, Any]]:
    """The placement's history, oldest first, with who acted (one query); for the employer
    without the case worker's own steps (CASE_WORKER_EVENTS)."""
    query = PlacementEvent.select(
        *PlacementEvent.all_columns(),
        PlacementEvent.actor.display_name.as_alias("actor_name"),
        PlacementEvent.actor_organisation.name.as_alias("actor_organisation_name"),
    ).where(
        (PlacementEvent.placement == placement_id)
        # The coordination office's own notes, flags and reminders are not the sides' business.
        & PlacementEvent.internal.eq(False)
    )
    if side == Side.employer:
        for pattern in CASE_WORKER_EVENTS:
            query = query.where(PlacementEvent.action.not_like(pattern))
    return await (  # type: ignore[no-any-return]
        query.order_by(PlacementEvent.created_at)
        .order_by(PlacementEvent._meta.primary_key)
        .limit(EVENT_CAP)
    )


async def shareable_documents(row: PlacementRow) -> list[dict[str, Any]]:
    """The copies the case worker marked shareable, for the employer (one query)."""
    return await (  # type: ignore[no-any-return]
        Document.select(
            Document.id,
            Document.kind,
            Document.filename,
            Document.content_type,
            Document.size,
            Document.uploaded_at,
        )
        .where((Document.candidate == row["candidate"]) & Document.shareable.eq(True))
        .order_by(Document.uploaded_at, ascending=False)
        .limit(50)
    )


def employer_may_download(row: PlacementRow) -> bool:
    return S(row["state"]) in DOCUMENT_STATES and row["candidate_erased_at"] is None


def may_download(user: CurrentUser, document: Mapping[str, Any], row: PlacementRow) -> bool:
    """Whether `user` may have the document's bytes through the placement `row` (a row of
    machine.load_placement): policy.may_download_document, told whether the placement's state
    shares documents (requested, proposed or accepted on, not erased)."""
    return policy.may_download_document(
        user, document, placement=row, placement_shares_documents=employer_may_download(row)
    )


def prepare_defaults(row: PlacementRow) -> dict[str, str]:
    """The date form's values: the placement's own dates, else the slot's (within its length)."""
    start: dt.date = row["start_date"] or row["slot_start"]
    end: dt.date = row["end_date"] or min(
        row["slot_end"], start + dt.timedelta(days=max(row["slot_duration"] or 1, 1) - 1)
    )
    return {
        "start_date": start.isoformat(),
        "end_date": end.isoformat(),
        "hours_per_week": str(row["hours_per_week"] or row["slot_hours"] or ""),
        "supervisor": row["supervisor"] or "",
    }


async def actions_of(user: CurrentUser, row: PlacementRow) -> list[Action]:
    if row["candidate_erased_at"] is not None:
        return []  # the machine refuses every step of an erased candidate's placement
    found = []
    for t in available(user, row):
        disabled = ""
        if t.needs_checklist and not await checklist_complete(row):
            disabled = _("The start checklist is not complete yet.")
        found.append(Action(t, OWN_PAGES.get(t.action, ""), disabled))
    return found


async def release_state(side: Side, row: PlacementRow, keep_days: int) -> dict[str, Any]:
    """What the page says about releasing the identity (case worker only)."""
    if side != Side.case_worker or row["candidate_erased_at"] is not None:
        return {"show": False}
    if row["identity_released_at"] is not None:
        visible = machine.identity_visible(row, keep_days)
        return {"show": True, "released": True, "visible": visible}
    if S(row["state"]) not in RELEASE_ALLOWED:
        return {"show": False}
    consent = await active_consent(row["candidate"])
    return {
        "show": True,
        "released": False,
        "allowed": bool(consent and consent["release_identity"]),
    }


async def read_released_identity(
    user: CurrentUser, row: PlacementRow, vault: Vault, *, address: str, keep_days: int
) -> dict[str, str] | None:
    """Name and contact for the employer, while released; each display is audited first."""
    if not machine.identity_visible(row, keep_days):
        return None
    sealed = await identity.sealed_row(row["candidate"])
    if sealed is None:
        return None
    person = vault.open_identity(sealed, record_id=sealed["id"])
    await audit(user, "identity.read", row["candidate"], address, placement=str(row["id"]))
    return {
        "name": person.full_name,
        "phone": person.phone,
        "email": person.email,
    }


class Feedback(TypedDict, total=False):
    """What a refused or answered form adds to the placement page (each has a default)."""

    form_action: str  # the transition whose form is shown again
    values: Mapping[str, str]
    errors: Mapping[str, str]
    problem: str | None
    notice: str | None
    message_values: Mapping[str, str]
    message_errors: Mapping[str, str]
    message_problem: str | None


class PlacementPage(TypedDict):
    """What templates/placements/detail.html shows."""

    placement: PlacementRow
    side: str  # a Side's value
    events: list[dict[str, Any]]  # events_of
    messages: list[dict[str, Any]]  # thread.latest_messages
    more_messages: bool
    message_cap: int
    actions: list[Action]
    release: dict[str, Any]  # release_state
    profile: dict[str, Any] | None  # the pseudonymised profile, for the employer
    documents: list[dict[str, Any]] | None  # shareable_documents, for the employer
    person: dict[str, str] | None  # read_released_identity
    # The employer's contact person for this slot (search.services.contact), for the case worker
    contact: dict[str, str] | None
    prep: dict[str, Any]  # preparation.detail_context
    reason_label: Callable[[str, str], str]
    state_labels: dict[str, str]
    state_badges: dict[str, str]
    event_labels: dict[str, str]
    prepare_defaults: dict[str, str]
    inline_actions: list[str]
    back_url: str  # the side's list; set by the route, which knows the app's routes
    # Feedback's, with their defaults
    form_action: str
    values: Mapping[str, str]
    errors: Mapping[str, str]
    problem: str | None
    notice: str | None
    message_values: Mapping[str, str]
    message_errors: Mapping[str, str]
    message_problem: str | None


async def page_context(
    user: CurrentUser,
    row: PlacementRow,
    vault: Vault,
    *,
    address: str,
    **feedback: Unpack[Feedback],
) -> PlacementPage:
    """Everything templates/placements/detail.html shows (a constant number of queries)."""
    side = machine.side_of(user, row)
    assert side is not None  # noqa: S101 (load_placement answered 404 otherwise)
    async with Placement._meta.db.transaction():
        events = await events_of(row["id"], side)
        messages, more = await latest_messages(row["id"])
        actions = await actions_of(user, row)
        keep_days = await load_limit(KEEP_IDENTITY)
        release = await release_state(side, row, keep_days)
        profile = documents = None
        if side == Side.employer and row["candidate_erased_at"] is None:
            profile = await load_profile(row["candidate"])
            if employer_may_download(row):
                documents = await shareable_documents(row)
        prep = await detail_context(row, side.value)
        contact = None
        if side == Side.case_worker:
            slot = await slot_details(row["slot"])
            contact = slot_contact(slot) if slot else None
    person = None
    if side == Side.employer:
        person = await read_released_identity(
            user, row, vault, address=address, keep_days=keep_days
        )
    return {
        "placement": row,
        "side": side.value,
        "events": events,
        "messages": messages,
        "more_messages": more,
        "message_cap": MESSAGE_CAP,
        "actions": actions,
        "release": release,
        "profile": profile,
        "documents": documents,
        "person": person,
        "contact": contact,
        "prep": prep,
        "reason_label": reason_label,
        "state_labels": {state: _(label) for state, label in STATE_LABELS.items()},
        "state_badges": STATE_BADGES,
        "event_labels": {
            **{action: _(t.label) for action, t in machine.TRANSITIONS.items()},
            **{action: _(label) for action, label in EVENT_LABELS.items()},
        },
        "prepare_defaults": prepare_defaults(row),
        "inline_actions": [a.action for a in actions if not a.page and not a.disabled],
        "back_url": "",
        "form_action": feedback.get("form_action", ""),
        "values": feedback.get("values", {}),
        "errors": feedback.get("errors", {}),
        "problem": feedback.get("problem"),
        "notice": feedback.get("notice"),
        "message_values": feedback.get("message_values", {}),
        "message_errors": feedback.get("message_errors", {}),
        "message_problem": feedback.get("message_problem"),
    }
