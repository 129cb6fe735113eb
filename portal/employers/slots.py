"""Slots (Praktikumsplätze): the states an employer moves a slot through (one rules table),
storing, the dashboard's list, the calendar's rows and the expiry job.

The form's rules are in slot_form.py.
"""

from __future__ import annotations

import datetime as dt
import enum
import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, cast
from uuid import UUID

from piccolo.columns.combination import Combinable
from piccolo.query import OrderByRaw

from portal.audit.services import record, record_many
from portal.auth import CurrentUser
from portal.auth.policy import own
from portal.clock import now, today
from portal.employers.rows import SlotRow
from portal.employers.slot_form import COPIED_FIELDS, TEXT_LIMITS, SlotFields
from portal.employers.tables import Slot, SlotStatus
from portal.errors import Stale
from portal.events import Event, collect
from portal.i18n import N_, _
from portal.pagination import Page, paginate

log = logging.getLogger("portal.slots")


# -- states -----------------------------------------------------------------------------------


class SlotAction(enum.StrEnum):
    edit = "edit"
    duplicate = "duplicate"
    publish = "publish"
    pause = "pause"
    close = "close"
    fill = "fill"
    expire = "expire"


@dataclass(frozen=True)
class Rule:
    sources: frozenset[SlotStatus]  # the statuses the action may start from
    target: SlotStatus | None  # the status it leads to (None: the slot keeps its status)
    refusal: str  # why it is refused from any other status (translated where shown)


_ANY = frozenset(SlotStatus)
_LIVE = frozenset({SlotStatus.open, SlotStatus.paused})

# The one table of what may happen to a slot in which status.
RULES: dict[SlotAction, Rule] = {
    SlotAction.edit: Rule(
        frozenset({SlotStatus.draft, SlotStatus.open, SlotStatus.paused}),
        None,
        N_("A filled, closed or expired slot cannot be changed. Duplicate it to offer it again."),
    ),
    # The copy is a new draft; the original keeps its status.
    SlotAction.duplicate: Rule(_ANY, None, ""),
    SlotAction.publish: Rule(
        frozenset({SlotStatus.draft, SlotStatus.paused}),
        SlotStatus.open,
        N_("Only a draft or a paused slot can be published."),
    ),
    SlotAction.pause: Rule(
        frozenset({SlotStatus.open}), SlotStatus.paused, N_("Only an open slot can be paused.")
    ),
    SlotAction.close: Rule(
        _LIVE, SlotStatus.closed, N_("Only an open or paused slot can be closed.")
    ),
    # Set by the placements (issue "Placements") when the last place is taken; no button.
    SlotAction.fill: Rule(
        frozenset({SlotStatus.open}), SlotStatus.filled, N_("Only an open slot can be filled.")
    ),
    # Set by `portal expire-slots` once the last day has passed; no button.
    SlotAction.expire: Rule(_LIVE, SlotStatus.expired, N_("Only an open or paused slot expires.")),
}
# The transitions an employer makes with a button on the slot's page.
EMPLOYER_TRANSITIONS = (SlotAction.publish, SlotAction.pause, SlotAction.close)
AUDIT_ACTIONS = {
    SlotAction.publish: "slot.published",
    SlotAction.pause: "slot.paused",
    SlotAction.close: "slot.closed",
    SlotAction.fill: "slot.filled",
}


def may(action: SlotAction, status: str) -> bool:
    return SlotStatus(status) in RULES[action].sources


def allowed_actions(status: str) -> list[SlotAction]:
    return [action for action in SlotAction if may(action, status)]


class Refused(Exception):
    """An action that the slot's status (or its dates) does not allow; nothing was changed."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# -- storing ----------------------------------------------------------------------------------


def _audit(user: CurrentUser, action: str, slot_id: UUID, address: str, **detail: Any) -> Any:
    return record(
        action,
        record_type="slot",
        record_id=slot_id,
        actor_id=user.id,
        actor_organisation_id=user.organisation_id,
        address=address,
        **detail,
    )


def _new_slot(user: CurrentUser, fields: SlotFields, publish: bool, moment: dt.datetime) -> Slot:
    return Slot(
        employer=user.organisation_id,
        status=SlotStatus.open if publish else SlotStatus.draft,
        published_at=moment if publish else None,
        created_at=moment,
        updated_at=moment,
        **fields.columns(),
    )


async def create_slot(
    user: CurrentUser, fields: SlotFields, *, publish: bool, address: str
) -> UUID:
    """A new slot of the user's organisation: a draft, or open at once."""
    slot = _new_slot(user, fields, publish, now())
    async with Slot._meta.db.transaction():
        await slot.save()
        await _audit(user, "slot.created", slot.id, address)
        if publish:
            await _audit(user, "slot.published", slot.id, address)
    return slot.id  # type: ignore[no-any-return]


async def create_slots(
    user: CurrentUser, slots: list[tuple[SlotFields, bool]], *, address: str
) -> list[UUID]:
    """Many new slots at once (a spreadsheet import): as create_slot each (fields, publish), in
    one transaction, with a few multi-row INSERTs instead of thousands of statements."""
    moment = now()
    rows = [_new_slot(user, fields, publish, moment) for fields, publish in slots]
    audit = {"actor_id": user.id, "actor_organisation_id": user.organisation_id}
    async with Slot._meta.db.transaction():
        for start in range(0, len(rows), 500):
            await Slot.insert(*rows[start : start + 500])
        ids = [row.id for row in rows]
        await record_many(
            "slot.created", record_type="slot", record_ids=ids, address=address, **audit
        )
        published = [row.id for row in rows if row.status == SlotStatus.open]
        await record_many(
            "slot.published", record_type="slot", record_ids=published, address=address, **audit
        )
    return ids


async def update_slot(
    user: CurrentUser,
    row: Mapping[str, Any],
    fields: SlotFields,
    *,
    address: str,
    unchanged_since: dt.datetime | None = None,
) -> None:
    """Store a changed slot; refused if its status no longer allows a change, Stale if it was
    changed after `unchanged_since` (its updated_at as the caller read it)."""
    columns = fields.columns()
    changed = sorted(name for name, value in columns.items() if row[name] != value)
    async with Slot._meta.db.transaction():
        # The status is checked in the UPDATE itself: a slot closed a moment ago stays closed.
        updated = (
            await Slot.update(
                {
                    **{getattr(Slot, name): value for name, value in columns.items()},
                    Slot.updated_at: now(),
                }
            )
            .where(
                (Slot.id == row["id"])
                & own(user, Slot.employer)
                & Slot.status.is_in(list(RULES[SlotAction.edit].sources))
                & _unchanged(unchanged_since)
            )
            .returning(Slot.id)
        )
        if not updated:
            await _raise_if_stale(row["id"], unchanged_since)
            raise Refused(_(RULES[SlotAction.edit].refusal))
        # Field names only: the texts may name the contact person.
        await _audit(user, "slot.changed", row["id"], address, fields=changed)


def transition_problem(row: Mapping[str, Any], action: SlotAction, on: dt.date) -> str | None:
    """Why `action` is refused for this slot, or None."""
    rule = RULES[action]
    if SlotStatus(row["status"]) not in rule.sources:
        return _(rule.refusal)
    if rule.target == SlotStatus.open and row["start_date"] < on:
        return _(
            "A slot whose first day has passed cannot be published. Please change its dates first."
        )
    return None


def _unchanged(since: dt.datetime | None) -> Any:
    """The UPDATE's condition that the slot is still the version the caller read (If-Match)."""
    return Slot.id.is_not_null() if since is None else Slot.updated_at == since


async def _raise_if_stale(slot_id: Any, since: dt.datetime | None) -> None:
    if since is not None and not await Slot.exists().where(
        (Slot.id == slot_id) & (Slot.updated_at == since)
    ):
        raise Stale()


async def transition(
    user: CurrentUser,
    row: SlotRow,
    action: SlotAction,
    *,
    address: str,
    unchanged_since: dt.datetime | None = None,
) -> SlotStatus:
    """Move a slot of the user's organisation on by `action`; Refused changes nothing (Stale:
    changed after `unchanged_since`, as update_slot)."""
    on = today()
    problem = transition_problem(row, action, on)
    if problem:
        raise Refused(problem)
    rule = RULES[action]
    assert rule.target is not None  # noqa: S101
    values: dict[Any, Any] = {Slot.status: rule.target, Slot.updated_at: now()}
    condition = (
        (Slot.id == row["id"])
        & own(user, Slot.employer)
        & Slot.status.is_in(list(rule.sources))
        & _unchanged(unchanged_since)
    )
    if rule.target == SlotStatus.open:
        values[Slot.published_at] = now()
        condition &= Slot.start_date >= on
    async with Slot._meta.db.transaction():
        # The same rule again inside the UPDATE: two clicks at once move the slot only once.
        if not await Slot.update(values).where(condition).returning(Slot.id):
            await _raise_if_stale(row["id"], unchanged_since)
            raise Refused(_("The slot was changed in the meantime. Please look at it again."))
        await _audit(user, AUDIT_ACTIONS[action], row["id"], address)
    return rule.target


async def duplicate_slot(user: CurrentUser, row: Mapping[str, Any], *, address: str) -> UUID:
    """A copy of the slot as a new draft, to change and publish again."""
    title = _("%(title)s (copy)", title=row["title"])
    limit = TEXT_LIMITS["title"]
    if len(title) > limit:
        title = _("%(title)s (copy)", title=row["title"][: limit - (len(title) - limit) - 1])
    copied = {name: row[name] for name in COPIED_FIELDS}
    moment = now()
    slot = Slot(
        employer=user.organisation_id,
        title=title[:limit],
        status=SlotStatus.draft,
        created_at=moment,
        updated_at=moment,
        **copied,
    )
    async with Slot._meta.db.transaction():
        await slot.save()
        await _audit(user, "slot.created", slot.id, address, copied_from=str(row["id"]))
    return slot.id  # type: ignore[no-any-return]


# -- reading ----------------------------------------------------------------------------------

# The counts of placements per slot (proposed, accepted, running), which the placements keep:
# each subscriber answers a list of aliased column expressions for a query of Slot.
PLACEMENT_COUNTS = Event("slots.placement_counts")


async def _placement_counts() -> list[Any]:
    """Columns of the placements' counts per slot, inside the slots' own query (no query)."""
    return [column for answer in await collect(PLACEMENT_COUNTS) for column in answer]


async def slot_of(user: CurrentUser, slot_id: UUID) -> SlotRow | None:
    """A slot of the user's own organisation with its placement counts (None for anyone
    else's: the caller answers 404)."""
    row = await (
        Slot.select(
            *Slot.all_columns(),
            Slot.occupation.name.as_alias("occupation_name"),
            Slot.municipality.name.as_alias("municipality_name"),
            *await _placement_counts(),
        )
        .where((Slot.id == slot_id) & own(user, Slot.employer))
        .first()
    )
    # Piccolo types every row as dict[str, Any]: the columns are the ones selected above.
    return cast(SlotRow | None, row)


# sort key in the URL → ORDER BY; anything else is the default (the next start first).
SORTS: dict[str, tuple[tuple[Any, bool], ...]] = {
    "start": ((Slot.start_date, True),),
    "-start": ((Slot.start_date, False),),
    "title": ((OrderByRaw("lower(title)"), True),),
    "status": ((Slot.status, True), (Slot.start_date, True)),
}
DEFAULT_SORT = "start"
STATUS_VALUES = frozenset(status.value for status in SlotStatus)


async def dashboard(organisation_id: UUID, *, status: str, sort: str, number: int) -> Page:
    """A page of the organisation's slots: one count and one page query."""
    status = status if status in STATUS_VALUES else ""
    sort = sort if sort in SORTS else DEFAULT_SORT
    condition: Combinable = Slot.employer == organisation_id
    if status:
        condition &= Slot.status == status
    query = Slot.select(
        Slot.id,
        Slot.title,
        Slot.occupation,
        Slot.occupation.name.as_alias("occupation_name"),
        Slot.start_date,
        Slot.end_date,
        Slot.flexible,
        Slot.duration_days,
        Slot.places,
        Slot.status,
        *await _placement_counts(),
    )
    return await paginate(
        Slot,
        query,
        [condition],
        number=number,
        order_by=SORTS[sort],
        filters={"status": status, "sort": sort if sort != DEFAULT_SORT else ""},
    )


async def upcoming(organisation_id: UUID, on: dt.date) -> list[dict[str, Any]]:
    """The organisation's open and paused slots that have not ended, for its calendar."""
    return await (
        Slot.select(
            Slot.id,
            Slot.title,
            Slot.start_date,
            Slot.end_date,
            Slot.flexible,
            Slot.duration_days,
            Slot.status,
        )
        .where(
            (Slot.employer == organisation_id)
            & Slot.status.is_in(list(_LIVE))
            & (Slot.end_date >= on)
        )
        .order_by(Slot.start_date)
        .order_by(Slot.id)
    )


# -- the expiry job ---------------------------------------------------------------------------


async def expire_slots(on: dt.date) -> int:
    """Open and paused slots whose last day is before `on` become expired: one UPDATE.

    Safe at any time and repeatedly: a second run finds nothing left to expire.
    """
    rule = RULES[SlotAction.expire]
    expired = (
        await Slot.update({Slot.status: rule.target, Slot.updated_at: now()})
        .where(Slot.status.is_in(list(rule.sources)) & (Slot.end_date < on))
        .returning(Slot.id)
    )
    log.info("slots expired", extra={"count": len(expired)})
    return len(expired)
