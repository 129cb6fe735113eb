"""A small history of placements for the statistics' tests: enough that not every cell is `*`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from portal.accounts.tables import Chamber, OrgKind, Role, SizeClass
from tests.factories import make_candidate, make_org, make_slot, make_user
from tests.placements.conftest import consent
from tests.placements.factories import make_placement


@dataclass
class History:
    employers: list[Any]
    candidates: list[Any]
    placements: list[Any]


def make_history(per_employer: int = 2, employers: int = 4, state: str = "outcome") -> History:
    """`employers` IHK member employers (the last one HWK), each with `per_employer`
    placements in `state`, of candidates of one agency."""
    agency = make_org(OrgKind.case_management)
    worker = make_user(agency, Role.case_manager)
    orgs, candidates, placements = [], [], []
    for i in range(employers):
        chamber = Chamber.hwk if i == employers - 1 else Chamber.ihk
        org = make_org(OrgKind.employer, size_class=SizeClass.small, chamber=chamber)
        boss = make_user(org, Role.employer_admin)
        orgs.append(org)
        for _ in range(per_employer):
            candidate = make_candidate(agency, worker, status="active")
            consent(candidate)
            candidates.append(candidate)
            placements.append(
                make_placement(
                    state,
                    slot=make_slot(org, places=1),
                    candidate=candidate,
                    case_worker=worker,
                    employer_user=boss,
                )
            )
    return History(orgs, candidates, placements)
