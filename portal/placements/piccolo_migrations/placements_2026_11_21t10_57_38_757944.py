"""Written by hand (Piccolo cannot declare these): indexes that keep the data consistent.

- One open placement of a candidate per slot (no duplicate nomination), whatever two people
  click at the same moment: a partial unique index (both engines support `WHERE`).
- One row per checklist item and per follow-up of a placement.
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from portal.placements.tables import Placement

ID = "2026-11-21T10:57:38:757944"
VERSION = "1.38.0"
DESCRIPTION = "unique open placement per slot and candidate"

STATEMENTS = (
    "CREATE UNIQUE INDEX placement_open_unique ON placement (slot, candidate) "
    "WHERE state IN ('requested', 'proposed', 'accepted', 'preparing', 'in_progress')",
    "CREATE UNIQUE INDEX checklist_item_unique ON checklist_item (placement, item)",
    "CREATE UNIQUE INDEX follow_up_unique ON follow_up (placement, months)",
)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="placements", description=DESCRIPTION)

    async def run():
        for statement in STATEMENTS:
            await Placement.raw(statement)

    manager.add_raw(run)
    return manager
