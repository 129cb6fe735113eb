"""The placement personas (tests/placements/conftest.py) and the e-mails' Jinja environment."""

from __future__ import annotations

from typing import Any

import pytest

from tests.placements.conftest import (  # noqa: F401 - fixtures used by the tests here
    agency,
    alice,
    candidate,
    emma,
    employer,
    erik,
    slot,
)


@pytest.fixture
def env() -> Any:
    from portal.templating import create_environment

    return create_environment()
