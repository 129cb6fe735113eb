"""The placement personas and the reference data the import files name."""

from __future__ import annotations

import pytest

from tests.factories import make_municipality, make_occupation
from tests.placements.conftest import (  # noqa: F401 - fixtures used by the tests here
    agency,
    alice,
    bob,
    emma,
    employer,
    erik,
    fritz,
    team_lead,
)


@pytest.fixture(autouse=True)
def reference(app: object) -> None:
    make_occupation("24412")
    make_municipality("Musterstadt")
