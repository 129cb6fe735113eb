"""Withdrawn consent withdraws the candidate's open nominations, in the same transaction."""

from __future__ import annotations

from typing import Any

from portal.accounts.tables import OrgKind, Role
from portal.notifications.tables import OutboxMessage
from portal.placements.tables import Placement, PlacementEvent
from tests.conftest import run
from tests.factories import login, make_org, make_slot, make_user, post_form
from tests.placements.factories import make_placement


def test_it_withdraws_every_open_placement_and_tells_the_employers(
    client: Any, employer: Any, slot: Any, candidate: Any, alice: Any, erik: Any, emma: Any
) -> None:
    other = make_org(OrgKind.employer, name="Zweitfirma GmbH")
    otto = make_user(other, Role.employer_admin, name="Otto Zweit")
    placements = {
        "proposed": make_placement(
            "proposed", slot=slot, candidate=candidate, case_worker=alice, employer_user=erik
        ),
        "preparing": make_placement(
            "preparing",
            slot=make_slot(other),
            candidate=candidate,
            case_worker=alice,
            employer_user=otto,
        ),
        "in_progress": make_placement(
            "in_progress",
            slot=make_slot(employer),
            candidate=candidate,
            case_worker=alice,
            employer_user=erik,
        ),
    }
    run(OutboxMessage.delete(force=True))
    login(client, alice.email)
    response = post_form(
        client, f"/candidates/{candidate.id}/consent/withdraw", {}, follow_redirects=False
    )
    assert response.status_code == 303
    states = {
        row["id"]: row["state"] for row in run(Placement.select(Placement.id, Placement.state))
    }
    assert states[placements["proposed"]] == "withdrawn"
    assert states[placements["preparing"]] == "withdrawn"
    assert states[placements["in_progress"]] == "in_progress"  # a running internship goes on
    events = run(
        PlacementEvent.select().where(
            (PlacementEvent.action == "withdraw") & (PlacementEvent.reason == "consent_withdrawn")
        )
    )
    assert len(events) == 2 and all(event["actor"] is None for event in events)
    mails = run(OutboxMessage.select().where(OutboxMessage.template == "placement_withdrawn"))
    assert sorted(m["to_address"] for m in mails) == sorted([erik.email, emma.email, otto.email])
    # The slot held by the preparing placement is open again.
    from portal.employers.tables import Slot

    assert run(Slot.select(Slot.status).where(Slot.employer == other.id).first())["status"] == (
        "open"
    )
