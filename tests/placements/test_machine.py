"""The state machine without HTTP: every state is reachable, events and mails are written."""

from __future__ import annotations

from typing import Any

import pytest

from portal.notifications.tables import OutboxMessage
from portal.placements.tables import Placement, PlacementEvent
from portal.placements.transitions import choosable_reasons
from tests.conftest import run
from tests.placements.factories import PATHS, make_placement


@pytest.mark.parametrize("state", sorted(PATHS))
def test_it_reaches_every_state(
    app: Any, state: str, slot: Any, candidate: Any, alice: Any, erik: Any
) -> None:
    placement_id = make_placement(
        state, slot=slot, candidate=candidate, case_worker=alice, employer_user=erik
    )
    row = run(Placement.select().where(Placement.id == placement_id).first())
    assert row["state"] == state
    events = run(PlacementEvent.count().where(PlacementEvent.placement == placement_id))
    assert events == 1 + len([s for s in PATHS[state] if s != "checklist"])


def test_it_mails_the_employer_on_nomination(
    app: Any, slot: Any, candidate: Any, alice: Any, erik: Any, emma: Any
) -> None:
    make_placement(
        "proposed", slot=slot, candidate=candidate, case_worker=alice, employer_user=erik
    )
    rows = run(OutboxMessage.select().order_by(OutboxMessage.to_address))
    assert sorted(r["to_address"] for r in rows) == sorted([erik.email, emma.email])
    assert {r["language"] for r in rows} == {"de", "en"}
    assert "Amina" not in str(rows) and "Haddad" not in str(rows)


def test_it_keeps_the_portals_own_reason_from_people(
    app: Any, slot: Any, candidate: Any, alice: Any, erik: Any
) -> None:
    from portal.placements import machine
    from tests.placements.session import as_user

    placement_id = make_placement(
        "proposed", slot=slot, candidate=candidate, case_worker=alice, employer_user=erik
    )
    with pytest.raises(machine.Refused) as refused:
        run(
            machine.apply(
                as_user(alice), placement_id, "withdraw", machine.Input(reason="consent_withdrawn")
            )
        )
    assert refused.value.status == 422 and "reason" in refused.value.errors
    assert "consent_withdrawn" not in choosable_reasons(machine.TRANSITIONS["withdraw"])
    row = run(
        machine.apply(None, placement_id, "withdraw", machine.Input(reason="consent_withdrawn"))
    )
    assert row["state"] == "withdrawn"
