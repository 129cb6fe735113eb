import os

from piccolo.conf.apps import AppConfig

from portal.imports.tables import ImportBatch

APP_CONFIG = AppConfig(
    app_name="imports",
    migrations_folder_path=os.path.join(os.path.dirname(__file__), "piccolo_migrations"),
    table_classes=[ImportBatch],
    migration_dependencies=["portal.accounts.piccolo_app"],
)
