"""Personas shared by the console's tests (the `queries` fixture is in tests/conftest.py)."""

from __future__ import annotations

from typing import Any

import pytest

from portal.accounts.tables import OrgKind, Role, User
from tests.factories import make_org, make_slot, make_user


@pytest.fixture
def operator() -> User:
    return make_user(
        make_org(OrgKind.operator, name="Koordinierungsstelle"),
        Role.operator_admin,
        name="Olga Operator",
    )


@pytest.fixture
def district() -> dict[str, Any]:
    """Two employers, two case-management organisations and their people (the board's tests)."""
    employer = make_org(OrgKind.employer, name="Metallbau Kassel GmbH")
    other_employer = make_org(OrgKind.employer, name="Pflege Nord gGmbH")
    agency = make_org(OrgKind.case_management, name="Jobcenter Musterland")
    other_agency = make_org(OrgKind.case_management, name="Integrationszentrum Süd")
    return {
        "employer": employer,
        "other_employer": other_employer,
        "agency": agency,
        "other_agency": other_agency,
        "erik": make_user(employer, Role.employer_admin, name="Erik Werkstatt"),
        "alice": make_user(agency, Role.case_manager, name="Alice Fallmanagerin"),
        "lead": make_user(agency, Role.team_lead, name="Tanja Teamleitung"),
        "charlie": make_user(other_agency, Role.case_manager, name="Charlie Fremd"),
        "slot": make_slot(employer, places=5, title="Praktikum Schweißen"),
        "other_slot": make_slot(other_employer, places=5, title="Praktikum Pflegehilfe"),
    }
