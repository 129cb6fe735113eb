from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Boolean
from piccolo.columns.column_types import Timestamptz
from piccolo.columns.indexes import IndexMethod

from portal.placements.tables import Placement

ID = "2026-12-03T15:57:25:846936"
VERSION = "1.38.0"
DESCRIPTION = "the console's board: flag, operator reminder, internal events, board index"

# Written by hand (Piccolo cannot declare it): each column of the board is one state, oldest
# change first, so (state, state_changed_at) serves its page and its ageing count. Portable.
STATEMENTS = (
    "CREATE INDEX placement_board ON placement (state, state_changed_at)",
)


async def forwards():
    manager = MigrationManager(
        migration_id=ID, app_name="placements", description=DESCRIPTION
    )

    manager.add_column(
        table_class_name="Placement",
        tablename="placement",
        column_name="flagged_at",
        db_column_name="flagged_at",
        column_class_name="Timestamptz",
        column_class=Timestamptz,
        params={
            "default": None,
            "null": True,
            "primary_key": False,
            "unique": False,
            "index": True,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    manager.add_column(
        table_class_name="Placement",
        tablename="placement",
        column_name="operator_reminded_at",
        db_column_name="operator_reminded_at",
        column_class_name="Timestamptz",
        column_class=Timestamptz,
        params={
            "default": None,
            "null": True,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    manager.add_column(
        table_class_name="PlacementEvent",
        tablename="placement_event",
        column_name="internal",
        db_column_name="internal",
        column_class_name="Boolean",
        column_class=Boolean,
        params={
            "default": False,
            "null": False,
            "primary_key": False,
            "unique": False,
            "index": False,
            "index_method": IndexMethod.btree,
            "choices": None,
            "db_column_name": None,
            "secret": False,
        },
        schema=None,
    )

    async def run():
        for statement in STATEMENTS:
            await Placement.raw(statement)

    manager.add_raw(run)
    return manager
