"""The statistics' usual views counted ahead (the worker, every round), so that a viewer
rarely waits for a count over millions of events (portal/stats/cache.py)."""

from __future__ import annotations

from portal.accounts.tables import Organisation, OrgKind
from portal.auth.policy import StatsScope
from portal.clock import today
from portal.stats import cache
from portal.stats.figures import counts
from portal.stats.periods import period_of


async def warm() -> int:
    """Count ahead what viewers open first (the worker, every round): the district's and each
    chamber's month, quarter and year and the periods before them, where their kept counts
    have passed half their time. How many views were counted."""
    if not cache.keeping():
        return 0
    chambers = (
        await Organisation.select(Organisation.chamber)
        .where((Organisation.kind == OrgKind.chamber) & Organisation.chamber.is_not_null())
        .distinct()
    )
    scopes = [(StatsScope.district, None)] + [
        (StatsScope.members, row["chamber"]) for row in chambers
    ]
    counted: list[str] = []
    on = today()
    for scope, chamber in scopes:
        for kind in ("month", "quarter", "year"):
            period = period_of(kind, on)
            for each in (period, period.previous()):
                await counts(each, scope, chamber, within=0.5, counted=counted)
    return len(counted)
