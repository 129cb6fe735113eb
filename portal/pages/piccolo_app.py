import os

from piccolo.conf.apps import AppConfig

from portal.pages.tables import SiteText

APP_CONFIG = AppConfig(
    app_name="pages",
    migrations_folder_path=os.path.join(os.path.dirname(__file__), "piccolo_migrations"),
    table_classes=[SiteText],
)
