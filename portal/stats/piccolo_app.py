import os

from piccolo.conf.apps import AppConfig

from portal.stats.tables import StatsCounts, StatsOption, StatsSummary

APP_CONFIG = AppConfig(
    app_name="stats",
    migrations_folder_path=os.path.join(os.path.dirname(__file__), "piccolo_migrations"),
    table_classes=[StatsSummary, StatsOption, StatsCounts],
    migration_dependencies=["portal.placements.piccolo_app"],
)
