"""The summary's key: a unique index over every column but the count (written by hand: Piccolo
makes no index over several columns). summary.py upserts on it (ON CONFLICT, both engines)."""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.table import Table

ID = "2026-12-03T16:00:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "the summary's unique key"


class StatsSummary(Table, tablename="stats_summary"):
    pass


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="stats", description=DESCRIPTION)

    async def unique_key():
        await StatsSummary.raw(
            "CREATE UNIQUE INDEX stats_summary_key ON stats_summary (day, metric, reason, days, "
            "employer, occupation_area, occupation_main_group, municipality, programme, "
            "slot_kind)"
        )

    async def drop_unique_key():
        await StatsSummary.raw("DROP INDEX stats_summary_key")

    manager.add_raw(unique_key)
    manager.add_raw_backwards(drop_unique_key)
    return manager
