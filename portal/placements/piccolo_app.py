import os

from piccolo.conf.apps import AppConfig

from portal.placements.tables import (
    AgreementConfirmation,
    ChecklistItem,
    Evaluation,
    FollowUp,
    Message,
    Placement,
    PlacementEvent,
    PlacementLink,
)

APP_CONFIG = AppConfig(
    app_name="placements",
    migrations_folder_path=os.path.join(os.path.dirname(__file__), "piccolo_migrations"),
    table_classes=[
        Placement,
        PlacementEvent,
        ChecklistItem,
        Evaluation,
        FollowUp,
        Message,
        PlacementLink,
        AgreementConfirmation,
    ],
    migration_dependencies=[
        "portal.accounts.piccolo_app",
        "portal.employers.piccolo_app",
        "portal.candidates.piccolo_app",
    ],
)
