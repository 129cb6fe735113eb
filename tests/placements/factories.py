"""Placements in any state, made through the state machine (so every test starts from a
state the portal itself could have reached)."""

from __future__ import annotations

from typing import Any

from portal.clock import today
from portal.placements import machine
from portal.placements.tables import ChecklistItem, PlacementState
from portal.placements.transitions import EvaluationFields
from tests.conftest import run
from tests.placements.session import as_user

# The path from a nomination to each state: (action, side) steps after `nominate`.
PATHS: dict[str, list[str]] = {
    "proposed": [],
    "accepted": ["accept"],
    "declined": ["decline"],
    "withdrawn": ["withdraw"],
    "preparing": ["accept", "prepare"],
    "in_progress": ["accept", "prepare", "checklist", "start"],
    "completed": ["accept", "prepare", "checklist", "start", "complete"],
    "aborted": ["accept", "prepare", "checklist", "start", "abort"],
    "outcome": ["accept", "prepare", "checklist", "start", "complete", "record_outcome"],
}

EVALUATION = EvaluationFields(
    attendance="all",
    skills=["metal.mig_mag"],
    work_habits=["punctuality"],
    german_level="B1",
    recommendation="hire",
)


def inputs(slot: Any) -> dict[str, machine.Input]:
    """A valid input of each transition for a placement at `slot`."""

    return {
        "decline": machine.Input(reason="dates"),
        "decline_request": machine.Input(reason="not_available"),
        "withdraw": machine.Input(reason="candidate_declined"),
        "abort": machine.Input(reason="mutual"),
        "prepare": machine.Input(start_date=slot.start_date, end_date=slot.end_date),
        "complete": machine.Input(evaluation=EVALUATION),
        "record_outcome": machine.Input(outcome="hired", outcome_on=today()),
    }


def confirm_checklist(placement_id: Any, user: Any, slot_kind: str) -> None:
    from portal.placements.checklist import required_items

    for item in required_items(slot_kind):
        value = "permit_obtained" if item == "work_access" else "BG Holz und Metall"
        run(
            ChecklistItem.insert(
                ChecklistItem(placement=placement_id, item=item, value=value, confirmed_by=user.id)
            )
        )


def make_placement(
    state: str, *, slot: Any, candidate: Any, case_worker: Any, employer_user: Any
) -> Any:
    """A placement of `candidate` at `slot` in `state`, reached by the machine's transitions."""
    placement_id = run(
        machine.create(
            as_user(case_worker),
            "nominate",
            slot_id=slot.id,
            candidate_id=candidate.id,
            note="Erfahrung im Schweißen, zuverlässig.",
        )
    )
    given = inputs(slot)
    for step in PATHS[PlacementState(state).value]:
        if step == "checklist":
            confirm_checklist(placement_id, case_worker, slot.kind)
            continue
        t = machine.TRANSITIONS[step]
        user = employer_user if machine.Side.employer in t.sides else case_worker
        run(machine.apply(as_user(user), placement_id, step, given.get(step)))
    return placement_id
