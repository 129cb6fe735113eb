"""The audit log's hash chain: appending a row, verifying the chain, the retention of old rows.

Each row's `hash` is SHA-256 over a canonical serialisation of its fields and the previous
row's hash (`prev_hash`); the chain row (`AuditChain`, id 1) holds the anchor the first kept
row follows and the head (the last row's id and hash). Appending takes the chain row first —
`SELECT … FOR UPDATE` on PostgreSQL, inside the caller's transaction, so that two writers
queue instead of forking the chain (SQLite serialises writers by itself: an immediate
transaction when the caller has none) — and moves the head in the same transaction.

On PostgreSQL a trigger (migration audit_2026_12_03t16_10_00) refuses UPDATE, DELETE and
TRUNCATE on `audit_event`. The one exception is the retention job (`remove_expired`): in its
own transaction it sets `portal.audit_retention = on` (SET LOCAL, gone at commit), deletes the
oldest rows — always a prefix of the chain — and stores the hash of the last row it deleted
as the new anchor, so that the chain still verifies. The setting guards against mistakes, not
against the database's superuser, who can drop the trigger; what the chain adds is that such
a change shows in `portal audit verify`.
"""

from __future__ import annotations

import calendar
import contextlib
import datetime as dt
import hashlib
import json
from collections.abc import AsyncIterator, Mapping
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from piccolo.engine.sqlite import TransactionType

from portal.audit.tables import AuditChain, AuditEvent
from portal.clock import now

GENESIS = "0" * 64
CHAIN_ID = 1
BATCH = 1000
RETENTION_SETTING = "portal.audit_retention"


def canonical_detail(detail: Mapping[str, Any]) -> str:
    """The detail as stored and hashed: JSON with sorted keys, ids as strings."""
    normalised = json.loads(json.dumps(dict(detail), default=str))
    return json.dumps(normalised, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def _text(value: Any) -> str | None:
    return None if value is None else str(value)


def row_hash(prev_hash: str, row: Mapping[str, Any]) -> str:
    """SHA-256 over the row's fields (as read back from either engine) and `prev_hash`."""
    at: dt.datetime = row["at"]
    detail = row["detail"]
    if isinstance(detail, str):
        detail = json.loads(detail or "{}")
    fields = [
        prev_hash,
        at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        _text(row["actor_id"]),
        _text(row["actor_organisation_id"]),
        row["action"],
        row["record_type"],
        row["record_id"],
        row["address"],
        canonical_detail(detail),
    ]
    serialised = json.dumps(fields, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(serialised.encode()).hexdigest()


def _is_postgres() -> bool:
    return AuditEvent._meta.db.engine_type == "postgres"


@contextlib.asynccontextmanager
async def _transaction() -> AsyncIterator[None]:
    """The caller's transaction, or one of our own (immediate on SQLite: the write lock first)."""
    db = AuditEvent._meta.db
    if db.current_transaction.get() is not None:
        yield
        return
    if _is_postgres():
        async with db.transaction():
            yield
    else:
        async with db.transaction(transaction_type=TransactionType.immediate):
            yield


async def _head(*, lock: bool) -> dict[str, Any]:
    """The chain row, created on first use; locked until the transaction ends (PostgreSQL)."""
    table = AuditChain._meta.tablename
    select = f"SELECT anchor_id, anchor_hash, head_id, head_hash FROM {table} WHERE id = {{}}"  # noqa: S608
    if lock and _is_postgres():
        select += " FOR UPDATE"
    rows = await AuditChain.raw(select, CHAIN_ID)
    if not rows:
        # Two first writers at once: the second waits on the first's row, then does nothing.
        await AuditChain.raw(
            f"INSERT INTO {table} (id, anchor_id, anchor_hash, head_id, head_hash) "  # noqa: S608
            "VALUES ({}, 0, {}, 0, {}) ON CONFLICT DO NOTHING",
            CHAIN_ID,
            GENESIS,
            GENESIS,
        )
        rows = await AuditChain.raw(select, CHAIN_ID)
    return rows[0]  # type: ignore[no-any-return]


async def append(
    action: str,
    *,
    record_type: str,
    record_id: str,
    actor_id: UUID | None,
    actor_organisation_id: UUID | None,
    address: str,
    detail: Mapping[str, Any],
) -> int:
    """Add one row at the end of the chain; returns its id."""
    async with _transaction():
        head = await _head(lock=True)
        row: dict[str, Any] = {
            "at": now(),
            "actor_id": actor_id,
            "actor_organisation_id": actor_organisation_id,
            "action": action,
            "record_type": record_type,
            "record_id": record_id,
            "address": address,
            "detail": canonical_detail(detail),
        }
        digest = row_hash(head["head_hash"], row)
        [inserted] = await AuditEvent.insert(
            AuditEvent(**row, prev_hash=head["head_hash"], hash=digest)
        )
        await AuditChain.update(
            {AuditChain.head_id: inserted["id"], AuditChain.head_hash: digest}
        ).where(AuditChain.id == CHAIN_ID)
        return int(inserted["id"])


async def append_many(entries: list[dict[str, Any]]) -> int:
    """Add rows at the end of the chain in their order, with one lock of the chain and one
    INSERT per thousand rows (an import of thousands of records); returns how many.

    Each entry has the keyword arguments of `append`. The ids of one multi-row INSERT follow
    the order of its VALUES (one sequence, one statement), so each row follows the one before
    it, as `verify` reads them."""
    if not entries:
        return 0
    async with _transaction():
        head = await _head(lock=True)
        previous = head["head_hash"]
        moment = now()
        rows = []
        for entry in entries:
            row: dict[str, Any] = {
                "at": moment,
                "actor_id": entry["actor_id"],
                "actor_organisation_id": entry["actor_organisation_id"],
                "action": entry["action"],
                "record_type": entry["record_type"],
                "record_id": entry["record_id"],
                "address": entry["address"],
                "detail": canonical_detail(entry["detail"]),
            }
            digest = row_hash(previous, row)
            rows.append(AuditEvent(**row, prev_hash=previous, hash=digest))
            previous = digest
        last = 0
        for start in range(0, len(rows), BATCH):
            inserted = await AuditEvent.insert(*rows[start : start + BATCH])
            last = max(last, *(int(found["id"]) for found in inserted))
        await AuditChain.update({AuditChain.head_id: last, AuditChain.head_hash: previous}).where(
            AuditChain.id == CHAIN_ID
        )
    return len(rows)


# -- verifying --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Break:
    """The first place where the chain does not hold."""

    row_id: int | None
    problem: str


@dataclass(frozen=True)
class Verification:
    rows: int
    broken: Break | None

    @property
    def ok(self) -> bool:
        return self.broken is None


_COLUMNS = (
    AuditEvent.id,
    AuditEvent.at,
    AuditEvent.actor_id,
    AuditEvent.actor_organisation_id,
    AuditEvent.action,
    AuditEvent.record_type,
    AuditEvent.record_id,
    AuditEvent.address,
    AuditEvent.detail,
    AuditEvent.prev_hash,
    AuditEvent.hash,
)


async def verify() -> Verification:
    """Walk the chain in id order, a batch at a time; report the first row that breaks it.

    A row whose own hash does not match its fields was changed; a row whose `prev_hash` is not
    its predecessor's hash follows a row that was removed (or changed and re-hashed); a chain
    whose last row is not the recorded head lost its end.
    """
    head = await _head(lock=False)
    expected, last_id, count = head["anchor_hash"], head["anchor_id"], 0
    while True:
        batch = (
            await AuditEvent.select(*_COLUMNS)
            .where(AuditEvent.id > last_id)
            .order_by(AuditEvent.id)
            .limit(BATCH)
        )
        for row in batch:
            count += 1
            if row["prev_hash"] != expected:
                problem = "does not follow the row before it (a row missing or changed?)"
                return Verification(count, Break(row["id"], problem))
            if row_hash(row["prev_hash"], row) != row["hash"]:
                return Verification(count, Break(row["id"], "was changed after it was written"))
            expected, last_id = row["hash"], row["id"]
        if len(batch) < BATCH:
            break
    if (head["head_id"], head["head_hash"]) != (last_id, expected):
        return Verification(
            count,
            Break(last_id or None, "is not the recorded end of the chain (rows after it removed?)"),
        )
    return Verification(count, None)


# -- retention --------------------------------------------------------------------------------


def retention_cutoff(months: int, moment: dt.datetime | None = None) -> dt.datetime:
    """`months` calendar months before `moment` (the 31st becomes the month's last day)."""
    moment = moment or now()
    index = moment.month - 1 - months
    year, month = moment.year + index // 12, index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


async def remove_expired(before: dt.datetime) -> int:
    """Delete the rows written before `before` — the oldest part of the chain, up to the first
    row that is younger — and anchor the chain at the last one deleted. Returns how many."""
    db = AuditEvent._meta.db
    async with _transaction():
        head = await _head(lock=True)
        young = (
            await AuditEvent.select(AuditEvent.id)
            .where(AuditEvent.at >= before)
            .order_by(AuditEvent.id)
            .first()
        )
        limit = young["id"] if young else head["head_id"] + 1
        last = (
            await AuditEvent.select(AuditEvent.id, AuditEvent.hash)
            .where(AuditEvent.id < limit)
            .order_by(AuditEvent.id, ascending=False)
            .first()
        )
        if last is None:
            return 0
        if db.engine_type == "postgres":
            await AuditEvent.raw(f"SET LOCAL {RETENTION_SETTING} = 'on'")
        count = await AuditEvent.count().where(AuditEvent.id <= last["id"])
        await AuditEvent.delete().where(AuditEvent.id <= last["id"])
        await AuditChain.update(
            {AuditChain.anchor_id: last["id"], AuditChain.anchor_hash: last["hash"]}
        ).where(AuditChain.id == CHAIN_ID)
        if db.engine_type == "postgres":
            await AuditEvent.raw(f"SET LOCAL {RETENTION_SETTING} = 'off'")
        return int(count)
