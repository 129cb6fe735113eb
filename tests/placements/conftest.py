"""Personas of the placement tests.

Case-management organisation A ("Jobcenter Musterland"): case manager Alice owns the candidate
(Amina Haddad, code in `candidate.code`), her colleague Bob (caseload not shared), team lead
Tanja. Organisation B: case manager Charlie. Employer E ("Metallbau Kassel GmbH") with admin
Erik and member Emma owns the one-place slot; employer F with admin Fritz is a stranger. An
operator admin and a statistics viewer stand for every role that has no side in a placement.
"""

from __future__ import annotations

from typing import Any

import pytest

from portal.accounts.tables import Organisation, OrgKind, Role, User
from portal.clock import today
from tests.conftest import run
from tests.factories import make_candidate, make_org, make_slot, make_user


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
def employer() -> Organisation:
    return make_org(OrgKind.employer, name="Metallbau Kassel GmbH")


@pytest.fixture
def erik(employer: Organisation) -> User:
    return make_user(employer, Role.employer_admin, name="Erik Werkstatt", language="de")


@pytest.fixture
def emma(employer: Organisation) -> User:
    return make_user(employer, Role.employer_member, name="Emma Meisterin", language="en")


@pytest.fixture
def fritz() -> User:
    return make_user(make_org(OrgKind.employer, name="Fremdfirma AG"), Role.employer_admin)


@pytest.fixture
def operator() -> User:
    return make_user(make_org(OrgKind.operator), Role.operator_admin, name="Olga Operator")


@pytest.fixture
def statistician() -> User:
    return make_user(make_org(OrgKind.chamber), Role.statistics_viewer, name="Stella Statistik")


@pytest.fixture
def slot(employer: Organisation) -> Any:
    """An open one-place slot of the employer, occupation 24412, two weeks from next month."""
    return make_slot(employer, places=1)


def consent(candidate: Any, **scopes: bool) -> Any:
    """An active consent of the candidate (every scope granted unless told otherwise)."""
    from portal.candidates.tables import Consent, ConsentMethod

    record = Consent(
        candidate=candidate.id,
        show_profile=scopes.get("show_profile", True),
        talent_pool=scopes.get("talent_pool", True),
        release_identity=scopes.get("release_identity", True),
        given_on=today(),
        method=ConsentMethod.signed_form,
        text_version="2026-01",
        language="de",
    )
    run(record.save())
    return record


@pytest.fixture
def candidate(agency: Organisation, alice: User) -> Any:
    """Alice's active case with every consent: Amina Haddad, desired occupation 24412."""
    from portal.candidates.tables import CandidateStatus

    found = make_candidate(agency, alice, occupations=("24412",), status=CandidateStatus.active)
    consent(found)
    return found
