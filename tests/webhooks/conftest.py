"""The placement personas and a real webhook receiver per test."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.placements.conftest import (  # noqa: F401 - fixtures used by the tests here
    agency,
    alice,
    candidate,
    emma,
    employer,
    erik,
    fritz,
    slot,
    team_lead,
)
from tests.webhooks.receiver import Receiver, start_receiver


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    found, server = start_receiver()
    yield found
    server.shutdown()
    server.server_close()
