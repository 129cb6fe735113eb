"""portal.auth.policy: each rule as a predicate and as a query, and the two agree."""

from __future__ import annotations

from typing import Any

import pytest

from portal.accounts.tables import Organisation, OrgKind, Role
from portal.auth import load_user, policy
from portal.candidates.access import caseload_where
from portal.candidates.tables import Candidate
from portal.placements.lists import case_worker_where
from portal.placements.loading import placement_columns
from portal.placements.tables import Placement
from tests.conftest import run
from tests.factories import make_candidate, make_org, make_slot, make_user
from tests.placements.conftest import consent
from tests.placements.factories import make_placement


def current(user: Any) -> Any:
    return run(load_user(str(user.id), None))


@pytest.fixture
def district(app) -> dict[str, Any]:
    """Two agencies (one sharing its caseload), their case managers and team leads, a case for
    each case manager, and a placement of each case at one employer."""
    people: dict[str, Any] = {}
    employer = make_org(OrgKind.employer)
    erik = make_user(employer, Role.employer_admin)
    for label, shared in (("a", False), ("b", True)):
        agency = make_org(OrgKind.case_management, caseload_shared=shared)
        for name in ("anna", "bert"):
            worker = make_user(agency, Role.case_manager)
            case = make_candidate(agency, worker, occupations=("24412",), status="active")
            consent(case)
            make_placement(
                "proposed",
                slot=make_slot(employer),
                candidate=case,
                case_worker=worker,
                employer_user=erik,
            )
            people[f"{name}_{label}"] = worker
        people[f"lead_{label}"] = make_user(agency, Role.team_lead)
    people["erik"] = erik
    people["olga"] = make_user(make_org(OrgKind.operator), Role.operator_admin)
    people["stella"] = make_user(make_org(OrgKind.chamber), Role.statistics_viewer)
    return people


def candidates_with_sharing() -> list[dict[str, Any]]:
    return run(
        Candidate.select(
            *Candidate.all_columns(), Candidate.organisation.caseload_shared.as_alias("shared")
        )
    )


def shared_of(user: Any) -> bool:
    row = run(
        Organisation.select(Organisation.caseload_shared)
        .where(Organisation.id == user.organisation_id)
        .first()
    )
    return bool(row and row["caseload_shared"])


@pytest.mark.parametrize("who", ["anna_a", "bert_a", "lead_a", "anna_b", "lead_b"])
def test_the_caseload_query_lists_exactly_the_cases_the_predicate_lets_see(district, who):
    user = current(district[who])
    rows = candidates_with_sharing()
    seen = {row["id"] for row in rows if policy.may_see_candidate(user, row)}
    where = caseload_where(user, shared=shared_of(user))
    listed = set(run(Candidate.select(Candidate.id).where(where).output(as_list=True)))
    assert listed == seen
    expected = {"anna_a": 1, "bert_a": 1, "lead_a": 2, "anna_b": 2, "lead_b": 2}[who]
    assert len(seen) == expected


@pytest.mark.parametrize("who", ["anna_a", "lead_a", "anna_b", "lead_b"])
def test_the_placement_query_lists_exactly_the_placements_of_the_case_workers_side(district, who):
    user = current(district[who])
    rows = run(Placement.select(*placement_columns()))
    sides = {
        row["id"] for row in rows if policy.placement_side(user, row) == policy.Side.case_worker
    }
    listed = set(
        run(Placement.select(Placement.id).where(case_worker_where(user)).output(as_list=True))
    )
    assert listed == sides
    assert len(sides) == {"anna_a": 1, "lead_a": 2, "anna_b": 2, "lead_b": 2}[who]


@pytest.mark.parametrize("who", ["erik", "olga", "stella"])
def test_no_one_outside_the_agencies_sees_a_case_or_sits_on_the_case_workers_side(district, who):
    user = current(district[who])
    assert not any(policy.may_see_candidate(user, row) for row in candidates_with_sharing())
    sides = {
        policy.placement_side(user, row) for row in run(Placement.select(*placement_columns()))
    }
    expected = {"erik": {policy.Side.employer}, "olga": {policy.Side.operator}}
    assert sides == expected.get(who, {None})


@pytest.mark.parametrize("who", ["olga", "lead_a", "lead_b", "anna_a", "erik"])
def test_the_console_board_lists_exactly_the_placements_the_user_has_a_side_on(district, who):
    user = current(district[who])
    rows = run(Placement.select(*placement_columns()))
    where = policy.console_placements_where(user, agency=Placement.agency)
    query = Placement.select(Placement.id)
    listed = set(run((query if where is None else query.where(where)).output(as_list=True)))
    if who in ("olga", "lead_a", "lead_b"):
        assert listed == {row["id"] for row in rows if policy.placement_side(user, row)}
        assert listed
    else:
        assert listed == set()


def test_the_operator_reads_a_profile_only_where_a_route_allows_it(district):
    olga = current(district["olga"])
    row = candidates_with_sharing()[0]
    assert not policy.may_see_candidate(olga, row)
    assert policy.may_see_candidate(olga, row, operator=True)


def test_only_the_team_lead_or_the_assigned_case_manager_may_erase(district):
    rows = {str(row["case_manager"]): row for row in candidates_with_sharing()}
    anna_b, bert_b, lead_b = (current(district[k]) for k in ("anna_b", "bert_b", "lead_b"))
    bert_case = rows[str(bert_b.id)]
    assert policy.may_see_candidate(anna_b, bert_case)  # the shared caseload
    assert not policy.may_erase_candidate(anna_b, bert_case)
    assert policy.may_erase_candidate(bert_b, bert_case)
    assert policy.may_erase_candidate(lead_b, bert_case)


def test_an_admin_manages_their_own_organisations_users_and_the_operator_everyones(district):
    lead_a, olga = current(district["lead_a"]), current(district["olga"])
    lead_b = current(district["lead_b"])
    assert policy.may_manage_users_of(lead_a, lead_a.organisation_id)
    assert not policy.may_manage_users_of(lead_a, lead_b.organisation_id)
    assert policy.may_manage_users_of(olga, lead_b.organisation_id)
