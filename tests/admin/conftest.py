"""Personas shared by the console's tests (the `queries` fixture is in tests/conftest.py)."""

from __future__ import annotations

import pytest

from portal.accounts.tables import OrgKind, Role, User
from tests.factories import make_org, make_user


@pytest.fixture
def operator() -> User:
    return make_user(
        make_org(OrgKind.operator, name="Koordinierungsstelle"),
        Role.operator_admin,
        name="Olga Operator",
    )
