"""Personas of the candidate tests.

Case-management organisation A ("Jobcenter Musterland") with case manager Alice (who owns the
case), her colleague Bob and team lead Tanja; organisation B with case manager Charlie; an
operator admin, an employer admin, and statistics viewers of a chamber and an authority.
"""

from __future__ import annotations

from typing import Any

import pytest

from portal.accounts.tables import Organisation, OrgKind, Role, User
from tests.factories import make_candidate, make_org, make_user


@pytest.fixture
def agency() -> Organisation:
    return make_org(OrgKind.case_management, name="Jobcenter Musterland")


@pytest.fixture
def other_agency() -> Organisation:
    return make_org(OrgKind.case_management, name="Integrationszentrum Musterstadt e. V.")


@pytest.fixture
def alice(agency: Organisation) -> User:
    return make_user(agency, Role.case_manager, name="Alice Fallmanagerin")


@pytest.fixture
def bob(agency: Organisation) -> User:
    return make_user(agency, Role.case_manager, name="Bob Kollege")


@pytest.fixture
def team_lead(agency: Organisation) -> User:
    return make_user(agency, Role.team_lead, name="Tanja Teamleitung")


@pytest.fixture
def charlie(other_agency: Organisation) -> User:
    return make_user(other_agency, Role.case_manager, name="Charlie Fremd")


@pytest.fixture
def operator() -> User:
    return make_user(make_org(OrgKind.operator), Role.operator_admin, name="Olga Operator")


@pytest.fixture
def employer_admin() -> User:
    return make_user(make_org(OrgKind.employer), Role.employer_admin, name="Stefan Schmidt")


@pytest.fixture(params=[OrgKind.chamber, OrgKind.authority])
def statistician(request: pytest.FixtureRequest) -> User:
    return make_user(make_org(request.param), Role.statistics_viewer, name="Stella Statistik")


@pytest.fixture
def candidate(agency: Organisation, alice: User) -> Any:
    """Alice's case: Amina Haddad, born 1994-05-17, desired occupation 24412."""
    return make_candidate(agency, alice, occupations=("24412",))
