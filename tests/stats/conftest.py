"""The statistics' tests use the placements' personas (tests/placements/conftest.py)."""

from tests.ops.test_cli import cli_database, portal  # noqa: F401 (fixtures)
from tests.placements.conftest import (  # noqa: F401 (fixtures)
    agency,
    alice,
    candidate,
    employer,
    erik,
    operator,
    slot,
    statistician,
)
