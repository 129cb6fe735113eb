import os

from piccolo.conf.apps import AppConfig

from portal.employers.tables import Slot

APP_CONFIG = AppConfig(
    app_name="employers",
    migrations_folder_path=os.path.join(os.path.dirname(__file__), "piccolo_migrations"),
    table_classes=[Slot],
    migration_dependencies=["portal.accounts.piccolo_app", "portal.reference.piccolo_app"],
)
