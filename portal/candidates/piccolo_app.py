import os

from piccolo.conf.apps import AppConfig

from portal.candidates.tables import (
    Candidate,
    CandidateIdentity,
    CandidateMunicipality,
    CandidateOccupation,
    Consent,
    Document,
)

APP_CONFIG = AppConfig(
    app_name="candidates",
    migrations_folder_path=os.path.join(os.path.dirname(__file__), "piccolo_migrations"),
    table_classes=[
        Candidate,
        CandidateOccupation,
        CandidateMunicipality,
        CandidateIdentity,
        Document,
        Consent,
    ],
    migration_dependencies=["portal.accounts.piccolo_app", "portal.reference.piccolo_app"],
)
