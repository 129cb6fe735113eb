"""Placements written directly, and the sections of the home page's HTML."""

from __future__ import annotations

from typing import Any

from portal.candidates.codes import new_code
from portal.candidates.tables import Candidate, CandidateStatus
from portal.placements.tables import Placement
from tests.conftest import run


def put(
    state: str, slot: Any, agency: Any, case_manager: Any, *, n: int = 1, **columns: Any
) -> list[Any]:
    """`n` placements in `state` written directly, with their cases: two statements (the
    machine is tested elsewhere; these tests are about what the home page lists)."""
    candidates = [
        Candidate(code=new_code(), organisation=agency.id, case_manager=case_manager.id,
                  status=CandidateStatus.active)
        for _ in range(n)
    ]  # fmt: skip
    run(Candidate.insert(*candidates))
    rows = [
        Placement(slot=slot.id, employer=slot.employer, candidate=c.id, agency=agency.id,
                  case_manager=case_manager.id, state=state, **columns)
        for c in candidates
    ]  # fmt: skip
    run(Placement.insert(*rows))
    return [row.id for row in rows]


def section(text: str, key: str) -> str:
    """The HTML of one section of the dashboard ('' when it is not there)."""
    marker = f'id="todo-section-{key}"'
    if marker not in text:
        return ""
    return text.split(marker)[1].split("</section>")[0]
