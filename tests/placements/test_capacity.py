"""Capacity: a slot never holds more placements for overlapping dates than it has places — also
when 20 employers' clicks arrive at the same moment (on SQLite and PostgreSQL)."""

from __future__ import annotations

import asyncio
import datetime as dt
import threading
from typing import Any

from portal.candidates.tables import CandidateStatus
from portal.clock import today
from portal.employers.tables import Slot
from portal.i18n import set_language
from portal.placements import machine
from portal.placements.tables import Placement
from tests.conftest import run
from tests.factories import make_candidate, make_slot
from tests.placements.conftest import consent
from tests.placements.session import as_user

FULL = "All places of this slot are taken for these dates."


def _propose(slot: Any, agency: Any, alice: Any, n: int) -> list[Any]:
    worker = as_user(alice)
    ids = []
    for _ in range(n):
        candidate = make_candidate(agency, alice, status=CandidateStatus.active)
        consent(candidate)
        ids.append(
            run(
                machine.create(
                    worker, "nominate", slot_id=slot.id, candidate_id=candidate.id,
                    note="Passt gut zu den Aufgaben.",
                )
            )
        )  # fmt: skip
    return ids


def _accept(user: Any, placement_id: Any) -> str:
    try:
        run(machine.apply(user, placement_id, "accept"))
    except machine.Refused as refused:
        return refused.message
    return "accepted"


def _slot_status(slot: Any) -> str:
    return str(run(Slot.select(Slot.status).where(Slot.id == slot.id).first())["status"])


def test_it_accepts_exactly_one_of_20_concurrent_accepts_for_one_place(
    app: Any, slot: Any, agency: Any, alice: Any, erik: Any
) -> None:
    placement_ids = _propose(slot, agency, alice, 20)
    employer = as_user(erik)
    barrier = threading.Barrier(len(placement_ids))
    results: list[str] = []
    errors: list[BaseException] = []

    def click(placement_id: Any) -> None:
        async def accept() -> str:
            set_language("en")
            try:
                await machine.apply(employer, placement_id, "accept")
            except machine.Refused as refused:
                return refused.message
            return "accepted"

        barrier.wait()
        try:
            results.append(asyncio.run(accept()))
        except BaseException as error:  # reported below
            errors.append(error)

    threads = [threading.Thread(target=click, args=(pid,)) for pid in placement_ids]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert sorted(results) == [FULL] * 19 + ["accepted"]
    held = run(Placement.count().where(Placement.state == "accepted"))
    assert held == 1
    assert _slot_status(slot) == "filled"


def test_it_fills_a_slot_and_opens_it_again_after_a_withdrawal(
    app: Any, slot: Any, agency: Any, alice: Any, erik: Any
) -> None:
    first, second = _propose(slot, agency, alice, 2)
    employer = as_user(erik)
    assert _accept(employer, first) == "accepted"
    assert _slot_status(slot) == "filled"
    assert _accept(employer, second) != "accepted"
    run(machine.apply(as_user(alice), first, "withdraw", machine.Input(reason="not_available")))
    assert _slot_status(slot) == "open"
    assert _accept(employer, second) == "accepted"
    assert _slot_status(slot) == "filled"


def test_it_counts_only_overlapping_dates_on_a_flexible_slot(
    app: Any, employer: Any, agency: Any, alice: Any, erik: Any
) -> None:
    """Two places, 14 days each within 13 weeks: two interns in the first fortnight, a third
    later; not a third at the same time."""
    start = today() + dt.timedelta(days=30)
    slot = make_slot(
        employer, flexible=True, places=2, start_date=start, end_date=start + dt.timedelta(days=90),
        duration_days=14,
    )  # fmt: skip
    a, b, c, d = _propose(slot, agency, alice, 4)
    employer_user, worker = as_user(erik), as_user(alice)

    def prepare(placement_id: Any, first_day: int) -> None:
        first = start + dt.timedelta(days=first_day)
        dates = machine.Input(start_date=first, end_date=first + dt.timedelta(days=13))
        run(machine.apply(worker, placement_id, "prepare", dates))

    for placement_id in (a, b):
        assert _accept(employer_user, placement_id) == "accepted"
        prepare(placement_id, 0)
    # Both places are taken for the first fortnight, but there is room later.
    assert _accept(employer_user, c) == "accepted"
    try:
        prepare(c, 7)  # overlaps a and b
    except machine.Refused as refused:
        assert refused.status == 409
    else:
        raise AssertionError("overlapping dates accepted")
    prepare(c, 14)  # right after them
    assert _accept(employer_user, d) == "accepted"
    prepare(d, 20)  # overlaps c only
    states = {row["id"]: row["state"] for row in run(Placement.select())}
    assert [states[p] for p in (a, b, c, d)] == ["preparing"] * 4
    assert _slot_status(slot) == "open"  # a flexible slot is never "filled"
