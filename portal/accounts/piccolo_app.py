import os

from piccolo.conf.apps import AppConfig

from portal.accounts.tables import Organisation, Token, User

APP_CONFIG = AppConfig(
    app_name="accounts",
    migrations_folder_path=os.path.join(os.path.dirname(__file__), "piccolo_migrations"),
    table_classes=[Organisation, User, Token],
    migration_dependencies=["portal.reference.piccolo_app"],
)
