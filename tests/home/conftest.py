"""The home page's tests use the placements' personas (tests/placements/conftest.py)."""

from tests.placements.conftest import (  # noqa: F401 (fixtures)
    agency,
    alice,
    bob,
    candidate,
    charlie,
    employer,
    erik,
    fritz,
    other_agency,
    slot,
    team_lead,
)
