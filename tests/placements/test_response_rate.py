"""Employers' response rate: nominations answered within the reminder period."""

from __future__ import annotations

import datetime as dt
from typing import Any

from portal.clock import now
from portal.placements import machine
from portal.placements.response import NO_NOMINATIONS, Rate, response_rates
from portal.placements.tables import Placement
from tests.conftest import run
from tests.factories import login
from tests.placements.factories import make_placement
from tests.placements.matching_factories import offer
from tests.placements.session import as_user

NOW = now()


def backdate(
    placement_id: Any, created: int, answered: int | None = None, changed: int = 0
) -> None:
    """Move a placement's times `n` days into the past."""
    values: dict[Any, Any] = {
        Placement.created_at: NOW - dt.timedelta(days=created),
        Placement.state_changed_at: NOW - dt.timedelta(days=changed),
    }
    if answered is not None:
        values[Placement.answered_at] = NOW - dt.timedelta(days=answered)
    run(Placement.update(values).where(Placement.id == placement_id))


def nominations(employer: Any, candidate: Any, alice: Any, erik: Any) -> None:
    """One of three due nominations answered within five days; three that do not count."""

    def placement(state: str, title: str) -> Any:
        slot = offer(employer, title)
        return make_placement(
            state, slot=slot, candidate=candidate, case_worker=alice, employer_user=erik
        )

    backdate(placement("accepted", "in time"), created=10, answered=8)
    backdate(placement("declined", "late"), created=10, answered=3)
    backdate(placement("proposed", "unanswered"), created=6)
    backdate(placement("proposed", "not yet due"), created=2)
    backdate(placement("withdrawn", "withdrawn early"), created=10, changed=9)
    requested = run(
        machine.create(
            as_user(erik),
            "request",
            slot_id=offer(employer, "requested").id,
            candidate_id=candidate.id,
            note="",
        )
    )
    backdate(requested, created=10)


def test_it_counts_nominations_answered_within_the_period(
    app: Any, employer: Any, fritz: Any, candidate: Any, alice: Any, erik: Any
) -> None:
    nominations(employer, candidate, alice, erik)

    rates = run(response_rates([employer.id, fritz.organisation], days=5))

    assert rates == {employer.id: Rate(1, 3, 33), fritz.organisation: NO_NOMINATIONS}
    assert run(response_rates([], days=5)) == {}


def test_it_shows_the_rate_on_the_offer_and_the_matches(
    client: Any, employer: Any, candidate: Any, alice: Any, erik: Any, slot: Any
) -> None:
    nominations(employer, candidate, alice, erik)
    login(client, alice.email)

    expected = "Beantwortet 1 von 3 Vorschlägen innerhalb von 5 Tagen"
    assert expected in client.get(f"/offers/{slot.id}").text
    assert expected in client.get(f"/candidates/{candidate.id}/matches").text


def test_an_answer_on_the_last_day_of_the_period_is_in_time(
    app: Any, employer: Any, candidate: Any, alice: Any, erik: Any
) -> None:
    slot = offer(employer, "exactly five days")
    placement = make_placement(
        "accepted", slot=slot, candidate=candidate, case_worker=alice, employer_user=erik
    )
    backdate(placement, created=10, answered=5)

    assert run(response_rates([employer.id], days=5)) == {employer.id: Rate(1, 1, 100)}
    assert run(response_rates([employer.id], days=4)) == {employer.id: Rate(0, 1, 0)}
