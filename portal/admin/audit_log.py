"""The console's audit log viewer: the filter, a page of rows (keyset, newest first), the CSV.

The log is read here and nowhere written or changed (portal/audit/chain.py appends it). What an
operator sees of a row: when, who (the staff user and their organisation — staff, never a
candidate), the action, the record (a candidate by its code, anything else by its id), the
address, and of the detail only ids, codes, numbers and flags: a free text (the reason given
for reading an identity, say) is never shown, whatever it holds.

A candidate's code finds the case's own rows and those of its placements. A page is a fixed
number of statements whatever its rows: one per filter that names someone or something (the
actor, the organisation; two for a candidate's code), the page itself with the actor's
name and organisation joined, and the codes of the candidates and placements the page names.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from piccolo.columns.combination import Combinable

from portal.accounts.tables import Organisation, User
from portal.audit.tables import AuditEvent
from portal.candidates.tables import Candidate
from portal.clock import TIMEZONE
from portal.forms import normalise_email, not_allowed, parse_date
from portal.i18n import _
from portal.placements.tables import Placement

PER_PAGE = 50
CSV_BATCH = 1000
FILTERS = ("actor", "organisation", "record", "action", "start", "end")
CODE_RE = re.compile(r"^K-[A-Z0-9]{4}-[A-Z0-9]{2}$")
ACTION_RE = re.compile(r"^[a-z_]+(\.[a-z_]+)*\.?\*?$")
# Detail values shown: ids, codes, enum values, numbers and flags — never a text with spaces.
SAFE_VALUE_RE = re.compile(r"^[A-Za-z0-9_.:@/+-]{0,80}$")
# Keys that hold free text in some actions (the reason for reading an identity); shown only
# where they hold a reason code (a placement declined for `no_capacity`).
FREE_TEXT_KEYS = frozenset({"reason", "note", "message", "text", "comment"})
REASON_CODE_RE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
HIDDEN = "…"


@dataclass
class AuditFilter:
    """The filter as typed (`values`, kept in the URL) and as resolved for the query."""

    values: dict[str, str]
    errors: dict[str, str] = field(default_factory=dict)
    actor_id: UUID | None = None
    organisation_id: UUID | None = None
    record_ids: list[str] = field(default_factory=list)
    action: str = ""
    start: dt.datetime | None = None
    end: dt.datetime | None = None
    # A name that matches nothing: the list is empty (not unfiltered).
    nothing: bool = False

    def query(self, **extra: Any) -> str:
        params = {name: value for name, value in self.values.items() if value}
        return urlencode({**params, **extra})

    def conditions(self) -> list[Combinable]:
        found: list[Combinable] = []
        if self.actor_id:
            found.append(AuditEvent.actor_id == self.actor_id)
        if self.organisation_id:
            found.append(AuditEvent.actor_organisation_id == self.organisation_id)
        if self.record_ids:
            found.append(AuditEvent.record_id.is_in(self.record_ids))
        if self.action.endswith("*"):
            found.append(AuditEvent.action.like(self.action[:-1].rstrip(".") + ".%"))
        elif self.action:
            found.append(AuditEvent.action == self.action)
        if self.start:
            found.append(AuditEvent.at >= self.start)
        if self.end:
            found.append(AuditEvent.at < self.end)
        return found


def _uuid(text: str) -> UUID | None:
    try:
        return UUID(text)
    except ValueError:
        return None


def _midnight(day: dt.date) -> dt.datetime:
    """The start of `day` in the portal's time zone, in UTC (as the log keeps its times)."""
    return dt.datetime.combine(day, dt.time(), TIMEZONE).astimezone(dt.UTC)


async def resolve_filter(params: Mapping[str, str]) -> AuditFilter:
    """The filter from the URL: a name, e-mail address or code looked up once, dates checked."""
    typed = {name: " ".join((params.get(name) or "").split())[:100] for name in FILTERS}
    # A value holding a character no text may hold (NUL: PostgreSQL refuses it in a query)
    # matches nothing, and is not sent to the database.
    values = {name: "" if not_allowed(value) else value for name, value in typed.items()}
    found = AuditFilter(values)
    found.nothing = values != typed
    actor = values["actor"]
    if actor:
        found.actor_id = _uuid(actor)
        if found.actor_id is None:
            row = await User.select(User.id).where(User.email == normalise_email(actor)).first()
            found.actor_id = row["id"] if row else None
            found.nothing = found.nothing or row is None
    organisation = values["organisation"]
    if organisation:
        found.organisation_id = _uuid(organisation)
        if found.organisation_id is None:
            rows = await Organisation.select(Organisation.id).where(
                Organisation.name == organisation
            )
            if len(rows) == 1:
                found.organisation_id = rows[0]["id"]
            else:
                found.errors["organisation"] = (
                    _("Several organisations have this name; use the link in a row instead.")
                    if rows
                    else _("There is no organisation of this name.")
                )
                found.nothing = True
    record = values["record"]
    if record:
        code = record.upper()
        if CODE_RE.match(code):
            row = await Candidate.select(Candidate.id).where(Candidate.code == code).first()
            if row:
                # The case and its placements: what happened to this person's internships.
                placements = await Placement.select(Placement.id).where(
                    Placement.candidate == row["id"]
                )
                found.record_ids = [str(row["id"])] + [str(p["id"]) for p in placements]
            else:
                found.errors["record"] = _(
                    "There is no candidate with the code %(code)s.", code=code
                )
                found.nothing = True
        else:
            uuid = _uuid(record)
            found.record_ids = [str(uuid) if uuid else record]
    action = values["action"].lower()
    if action:
        if ACTION_RE.match(action) and len(action) <= 60:
            found.action = action
        else:
            found.errors["action"] = _(
                "Enter an action such as placement.accepted, or placement.* for all of a kind."
            )
            found.nothing = True
    for name in ("start", "end"):
        if not values[name]:
            continue
        day = parse_date(values[name])
        if day is None:
            found.errors[name] = _("Please enter a date such as 31.01.2027.")
            found.nothing = True
        elif name == "start":
            found.start = _midnight(day)
        else:
            found.end = _midnight(day + dt.timedelta(days=1))
    if found.start and found.end and found.start >= found.end:
        found.errors["end"] = _("The end of the period lies before its start.")
        found.nothing = True
    return found


# -- the rows ---------------------------------------------------------------------------------

_SELECT = (
    "SELECT audit_event.id AS id, audit_event.at AS at, audit_event.action AS action, "
    "audit_event.record_type AS record_type, audit_event.record_id AS record_id, "
    "audit_event.address AS address, audit_event.detail AS detail, "
    "audit_event.actor_id AS actor_id, audit_event.actor_organisation_id AS organisation_id, "
    "portal_user.display_name AS actor_name, organisation.name AS organisation_name "
    "FROM audit_event "
    "LEFT JOIN portal_user ON portal_user.id = audit_event.actor_id "
    "LEFT JOIN organisation ON organisation.id = audit_event.actor_organisation_id "
)


def _summary(detail: Any) -> list[tuple[str, str]]:
    """The detail as (key, value) pairs an operator may read; free text shows as `…`."""
    if isinstance(detail, str):
        detail = json.loads(detail or "{}")
    pairs: list[tuple[str, str]] = []

    def add(key: str, value: Any) -> None:
        if isinstance(value, dict):
            for inner, inner_value in value.items():
                add(f"{key}.{inner}", inner_value)
            return
        if isinstance(value, list):
            shown = [_value(key, item) for item in value]
            pairs.append((key, ", ".join(shown)))
            return
        pairs.append((key, _value(key, value)))

    for key, value in sorted(detail.items()):
        add(str(key), value)
    return pairs


def _value(key: str, value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    text = str(value)
    if key.split(".")[-1] in FREE_TEXT_KEYS:
        return text if REASON_CODE_RE.match(text) else HIDDEN
    return text if SAFE_VALUE_RE.match(text) else HIDDEN


async def _codes(rows: list[dict[str, Any]]) -> dict[str, str]:
    """record id → the candidate code of the candidates and placements the rows name."""
    candidate_ids = {r["record_id"] for r in rows if r["record_type"] == "candidate"}
    placement_ids = {r["record_id"] for r in rows if r["record_type"] == "placement"}
    codes: dict[str, str] = {}
    valid = [uuid for text in candidate_ids if (uuid := _uuid(text))]
    if valid:
        for row in await Candidate.select(Candidate.id, Candidate.code).where(
            Candidate.id.is_in(valid)
        ):
            codes[str(row["id"])] = row["code"]
    valid = [uuid for text in placement_ids if (uuid := _uuid(text))]
    if valid:
        for row in await Placement.select(
            Placement.id, Placement.candidate.code.as_alias("code")
        ).where(Placement.id.is_in(valid)):
            codes[str(row["id"])] = row["code"]
    return codes


@dataclass(frozen=True)
class AuditPage:
    rows: list[dict[str, Any]]
    newer: int | None  # the `after` of the page before (newer rows), None on the newest
    older: int | None  # the `before` of the next page (older rows), None on the oldest


async def _fetch(
    found: AuditFilter, *, before: int | None, after: int | None, limit: int
) -> list[dict[str, Any]]:
    conditions = found.conditions()
    if before:
        conditions.append(AuditEvent.id < before)
    if after:
        conditions.append(AuditEvent.id > after)
    query = AuditEvent.select(AuditEvent.id)
    for condition in conditions:
        query = query.where(condition)
    # The filter picks the ids (Piccolo, on the indexes); a second statement joins the actor's
    # name and organisation to those rows only.
    rows = await query.order_by(AuditEvent.id, ascending=after is not None).limit(limit)
    ids = [row["id"] for row in rows]
    if not ids:
        return []
    detailed = await AuditEvent.raw(
        _SELECT + "WHERE audit_event.id IN (" + ", ".join("{}" for _id in ids) + ")",
        *ids,
    )
    return sorted(detailed, key=lambda row: row["id"], reverse=True)


async def audit_page(
    found: AuditFilter, *, before: int | None = None, after: int | None = None
) -> AuditPage:
    """One page, newest first: before `before` (older), or after `after` (newer)."""
    if found.nothing:
        return AuditPage([], None, None)
    rows = await _fetch(found, before=before, after=after, limit=PER_PAGE + 1)
    more = len(rows) > PER_PAGE
    if after is not None:
        rows = rows[-PER_PAGE:] if more else rows
        newer = rows[0]["id"] if more else None
        older = rows[-1]["id"] if rows else None
    else:
        rows = rows[:PER_PAGE]
        newer = rows[0]["id"] if rows and before is not None else None
        older = rows[-1]["id"] if more else None
    return AuditPage(await _present(rows), newer, older)


async def _present(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    codes = await _codes(rows)
    return [
        {
            **row,
            "at": _aware(row["at"]),
            "code": codes.get(row["record_id"], ""),
            "detail": _summary(row["detail"]),
        }
        for row in rows
    ]


def _aware(value: Any) -> dt.datetime:
    if isinstance(value, str):
        value = dt.datetime.fromisoformat(value)
    return value if value.tzinfo else value.replace(tzinfo=dt.UTC)  # type: ignore[no-any-return]


async def csv_rows(found: AuditFilter) -> AsyncIterator[list[dict[str, Any]]]:
    """Every row of the filter, newest first, a batch at a time (keyset: no offset scans)."""
    if found.nothing:
        return
    before: int | None = None
    while True:
        batch = await _fetch(found, before=before, after=None, limit=CSV_BATCH)
        if not batch:
            return
        yield await _present(batch)
        if len(batch) < CSV_BATCH:
            return
        before = batch[-1]["id"]
