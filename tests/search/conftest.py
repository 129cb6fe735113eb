"""Personas of the slot search: who searches, and an approved employer whose slots they find."""

from __future__ import annotations

import pytest

from portal.accounts.tables import Organisation, OrgKind, Role, User
from tests.factories import login, make_org, make_user


@pytest.fixture
def case_manager() -> User:
    return make_user(
        make_org(OrgKind.case_management, name="Jobcenter Musterkreis"),
        Role.case_manager,
        name="Clara Fallmanagerin",
    )


@pytest.fixture
def employer() -> Organisation:
    return make_org(OrgKind.employer, name="Metallbau Kruse GmbH")


@pytest.fixture
def searching(client, case_manager):
    """The test client, logged in as the case manager."""
    login(client, case_manager.email)
    return client
