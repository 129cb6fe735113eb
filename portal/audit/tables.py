"""The audit log: who did what to which record, when, from which address.

Append-only and chained: each row carries the hash of the row before it (`prev_hash`) and its
own (`hash`, chain.py), so that a row changed or removed behind the portal's back shows in
`portal audit verify`. `AuditChain` is the chain's one bookkeeping row: its head (the last
row's id and hash, so that a removed tail shows too) and its anchor (the hash the first kept
row follows: the genesis value, or the last row the retention job removed).
"""

from piccolo.columns import JSON, UUID, BigInt, BigSerial, Integer, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class AuditEvent(Table):
    id = BigSerial(primary_key=True)
    at = Timestamptz(default=TimestamptzNow(), index=True)
    # Plain ids, not foreign keys: the log outlives the records and users it names.
    actor_id = UUID(null=True, default=None, index=True)
    actor_organisation_id = UUID(null=True, default=None, index=True)
    action = Varchar(length=60, index=True)
    record_type = Varchar(length=40)
    record_id = Varchar(length=64, index=True)
    address = Varchar(length=45, default="")
    detail = JSON(default="{}")
    prev_hash = Varchar(length=64, default="")
    hash = Varchar(length=64, default="")


class AuditChain(Table):
    """One row (id 1): where the chain starts and where it ends."""

    id = Integer(primary_key=True)
    anchor_id = BigInt(default=0)
    anchor_hash = Varchar(length=64)
    head_id = BigInt(default=0)
    head_hash = Varchar(length=64)
