"""Personas of the slot tests: an approved employer with an admin and a member."""

from __future__ import annotations

import pytest

from portal.accounts.tables import Organisation, Role, User
from tests.factories import make_org, make_user


@pytest.fixture
def employer() -> Organisation:
    return make_org(name="Metallbau Schmidt GmbH")


@pytest.fixture
def admin(employer: Organisation) -> User:
    return make_user(employer, Role.employer_admin, name="Stefan Schmidt")


@pytest.fixture
def member(employer: Organisation) -> User:
    return make_user(employer, Role.employer_member, name="Murat Meister")
