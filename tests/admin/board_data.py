"""Many placements at once for the board's tests (inserted directly: the machine's path is
tested in tests/placements; here only the rows the board reads matter)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from portal.candidates.codes import new_code
from portal.candidates.tables import Candidate
from portal.clock import now
from portal.placements.tables import Placement
from tests.conftest import run


def bulk_placements(
    n: int,
    *,
    slot: Any,
    agency: Any,
    case_worker: Any,
    states: tuple[str, ...] = ("proposed",),
    days_ago: int = 1,
) -> list[Any]:
    """`n` placements at `slot` of new candidates of `agency`, cycling through `states`."""
    candidates = [
        Candidate(code=new_code(), organisation=agency.id, case_manager=case_worker.id)
        for _ in range(n)
    ]
    run(Candidate.insert(*candidates))
    moment = now() - dt.timedelta(days=days_ago)
    placements = [
        Placement(
            slot=slot.id,
            employer=slot.employer,
            candidate=candidate.id,
            agency=agency.id,
            case_manager=case_worker.id,
            state=states[i % len(states)],
            created_at=moment,
            updated_at=moment,
            state_changed_at=moment,
        )
        for i, candidate in enumerate(candidates)
    ]
    run(Placement.insert(*placements))
    return [placement.id for placement in placements]
