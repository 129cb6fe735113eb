"""Written by hand: the existing rows chained in id order, and on PostgreSQL the trigger that
keeps the audit log append-only (portal/audit/chain.py explains both).

The trigger refuses UPDATE, DELETE and TRUNCATE on audit_event; a DELETE passes only in a
transaction that set `portal.audit_retention = on` (the retention job, chain.remove_expired).
SQLite has no such trigger: there the chain alone shows a change (`portal audit verify`).
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from portal.audit.chain import BATCH, CHAIN_ID, GENESIS, row_hash
from portal.audit.tables import AuditChain, AuditEvent

ID = "2026-12-03T16:10:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "chain the existing audit rows; append-only trigger on PostgreSQL"

TRIGGER = (
    """
CREATE FUNCTION audit_event_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND coalesce(current_setting('portal.audit_retention', true), '') = 'on'
    THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'the audit log is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$$
""",
    "CREATE TRIGGER audit_event_append_only BEFORE UPDATE OR DELETE ON audit_event "
    "FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()",
    "CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event "
    "FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()",
)


async def chain_existing_rows() -> None:
    prev, last_id = GENESIS, 0
    while True:
        batch = (
            await AuditEvent.select()
            .where(AuditEvent.id > last_id)
            .order_by(AuditEvent.id)
            .limit(BATCH)
        )
        for row in batch:
            digest = row_hash(prev, row)
            await AuditEvent.update(
                {AuditEvent.prev_hash: prev, AuditEvent.hash: digest}
            ).where(AuditEvent.id == row["id"])
            prev, last_id = digest, row["id"]
        if len(batch) < BATCH:
            break
    # The chain row from the start (chain._head would make it on first use, with two more
    # statements in that one request).
    await AuditChain.insert(
        AuditChain(id=CHAIN_ID, anchor_id=0, anchor_hash=GENESIS, head_id=last_id, head_hash=prev)
    )


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="audit", description=DESCRIPTION)

    async def run():
        await chain_existing_rows()
        if AuditEvent._meta.db.engine_type == "postgres":
            for statement in TRIGGER:
                await AuditEvent.raw(statement)

    manager.add_raw(run)
    return manager
