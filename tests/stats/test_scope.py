"""Whose events a statistics view counts: policy.statistics_counts_employer and its query
condition select the same employers; the roles' choices of view."""

from __future__ import annotations

import pytest

from portal.accounts.tables import Chamber, Organisation, OrgKind, Role
from portal.auth.policy import (
    StatsScope,
    statistics_counts_employer,
    statistics_employers_where,
    statistics_scopes,
)
from portal.candidates.privacy import erase_candidate
from portal.clock import today
from portal.stats import disclosure as d
from portal.stats.figures import view
from portal.stats.periods import period_of
from portal.storage import storage_from_settings
from tests.conftest import run
from tests.factories import make_org, make_user
from tests.placements.session import as_user
from tests.stats.history import make_history


@pytest.mark.parametrize("scope", list(StatsScope))
@pytest.mark.parametrize("chamber", [Chamber.ihk, Chamber.hwk, Chamber.none, None])
def test_the_predicate_and_the_condition_agree(app, scope, chamber):
    for membership in (Chamber.ihk, Chamber.hwk, Chamber.none, None):
        make_org(OrgKind.employer, chamber=membership)
    rows = run(Organisation.select(Organisation.id, Organisation.chamber).where(
        Organisation.kind == OrgKind.employer))  # fmt: skip
    condition = statistics_employers_where(scope, chamber, employer=Organisation.id)
    query = Organisation.select(Organisation.id).where(Organisation.kind == OrgKind.employer)
    if condition is not None:
        query = query.where(condition)
    listed = {row["id"] for row in run(query)}
    assert listed == {row["id"] for row in rows if statistics_counts_employer(scope, chamber, row)}


@pytest.mark.parametrize(
    ("kind", "role", "scopes"),
    [
        (OrgKind.chamber, Role.statistics_viewer, ("members", "district")),
        (OrgKind.authority, Role.statistics_viewer, ("district",)),
        (OrgKind.operator, Role.operator_admin, ("district",)),
        (OrgKind.employer, Role.employer_admin, ()),
        (OrgKind.case_management, Role.team_lead, ()),
    ],
)
def test_the_views_each_role_may_choose(app, kind, role, scopes):
    user = as_user(make_user(make_org(kind), role))
    assert tuple(s.value for s in statistics_scopes(user)) == scopes


def test_erasing_the_people_changes_no_figure_of_the_view(app, settings):
    history = make_history(per_employer=3, employers=4)
    period = period_of("month", today())
    before = run(view(period, StatsScope.district, None, d.Rules()))
    storage = storage_from_settings(settings)
    for candidate in history.candidates:
        assert run(erase_candidate(candidate.id, storage)) is True
    after = run(view(period, StatsScope.district, None, d.Rules()))
    assert after.published == before.published
    assert after.durations == before.durations
    assert before.get("registered").value == 12
