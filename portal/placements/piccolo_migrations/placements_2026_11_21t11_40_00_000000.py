"""Written by hand (Piccolo cannot declare these): indexes for the matching (matching.py).

- Candidates for a slot from the talent pool group the candidate occupations of the slot's main
  group by candidate: a composite index on (main group, candidate) with the columns the score
  reads lets PostgreSQL read the field's rows in candidate order from the index alone.
- The talent pool is the candidates with a consent in force to it: a partial index holds just
  those consents (a fraction of the table once consents are superseded or withdrawn).

Both are additive and portable (SQLite supports partial indexes too).
"""

from piccolo.apps.migrations.auto.migration_manager import MigrationManager

from portal.placements.tables import Placement

ID = "2026-11-21T11:40:00:000000"
VERSION = "1.38.0"
DESCRIPTION = "indexes for the matching"

STATEMENTS = (
    "CREATE INDEX candidate_occupation_field ON candidate_occupation "
    "(occupation_main_group, candidate, kind, occupation, occupation_group)",
    "CREATE INDEX consent_in_talent_pool ON consent (candidate) "
    "WHERE ended_at IS NULL AND talent_pool",
)


async def forwards():
    manager = MigrationManager(migration_id=ID, app_name="placements", description=DESCRIPTION)

    async def run():
        for statement in STATEMENTS:
            await Placement.raw(statement)

    manager.add_raw(run)
    return manager
