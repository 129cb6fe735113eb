from piccolo.apps.migrations.auto.migration_manager import MigrationManager
from piccolo.columns.column_types import Boolean
from piccolo.columns.indexes import IndexMethod

ID = "2026-11-21T11:06:00:698326"
VERSION = "1.38.0"
DESCRIPTION = "slot: shift work, for matching"


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="employers", description=DESCRIPTION)

    manager.add_column(
        table_class_name="Slot",
        tablename="slot",
        column_name="shift_work",
        db_column_name="shift_work",
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

    return manager
