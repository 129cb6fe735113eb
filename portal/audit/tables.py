"""The audit log: who did what to which record, when, from which address."""

from piccolo.columns import JSON, UUID, BigSerial, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class AuditEvent(Table):
    id = BigSerial(primary_key=True)
    at = Timestamptz(default=TimestamptzNow(), index=True)
    # Plain ids, not foreign keys: the log outlives the records and users it names.
    actor_id = UUID(null=True, default=None, index=True)
    actor_organisation_id = UUID(null=True, default=None)
    action = Varchar(length=60, index=True)
    record_type = Varchar(length=40)
    record_id = Varchar(length=64, index=True)
    address = Varchar(length=45, default="")
    detail = JSON(default="{}")
