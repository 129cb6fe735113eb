import os

from piccolo.conf.apps import AppConfig

from portal.reference.tables import Municipality, Occupation, OperatingLimit, Programme

APP_CONFIG = AppConfig(
    app_name="reference",
    migrations_folder_path=os.path.join(os.path.dirname(__file__), "piccolo_migrations"),
    table_classes=[Occupation, Municipality, Programme, OperatingLimit],
)
