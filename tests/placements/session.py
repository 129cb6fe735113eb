"""The CurrentUser of a test user, for calling the domain functions without HTTP."""

from __future__ import annotations

from typing import Any

from portal.auth import CurrentUser, load_user
from tests.conftest import run


def as_user(user: Any) -> CurrentUser:
    found = run(load_user(str(user.id), None))
    assert found is not None
    return found
