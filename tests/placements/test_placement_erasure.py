"""Erasing a candidate blanks the free text of its placements and withdraws the ones not yet
started; the employer sees no identity and no text any more."""

from __future__ import annotations

from typing import Any

from portal.placements import machine
from portal.placements.tables import Message, Placement, PlacementEvent
from tests.conftest import run
from tests.factories import login, make_slot, post_form
from tests.placements.factories import make_placement
from tests.placements.session import as_user


def test_it_blanks_messages_and_notes_and_withdraws_open_placements(
    client: Any, employer: Any, slot: Any, candidate: Any, alice: Any, erik: Any
) -> None:
    running = make_placement(
        "in_progress", slot=slot, candidate=candidate, case_worker=alice, employer_user=erik
    )
    waiting = make_placement(
        "proposed", slot=make_slot(employer), candidate=candidate, case_worker=alice,
        employer_user=erik,
    )  # fmt: skip
    run(machine.release_identity(as_user(alice), running, address=""))
    run(
        Message.insert(
            Message(placement=running, author=erik.id, body="Frau Haddad macht das sehr gut."),
            Message(placement=waiting, author=alice.id, body="Sie freut sich auf den Platz."),
        )
    )
    login(client, alice.email)
    response = post_form(
        client, f"/candidates/{candidate.id}/erase", {"confirm": "yes", "code": candidate.code},
        follow_redirects=False,
    )  # fmt: skip
    assert response.status_code == 303
    messages = run(Message.select(Message.body, Message.erased))
    assert messages == [{"body": "", "erased": True}] * 2
    assert run(PlacementEvent.count().where(PlacementEvent.note != "")) == 0
    rows = {row["id"]: row for row in run(Placement.select())}
    assert rows[waiting]["state"] == "withdrawn" and rows[waiting]["reason"] == "not_available"
    assert rows[running]["state"] == "in_progress" and rows[running]["note"] == ""
    client.cookies.clear()
    login(client, erik.email)
    page = client.get(f"/placements/{running}").text
    assert "Haddad" not in page and "Amina" not in page and "Schweißen, zuverlässig" not in page
    assert "macht das sehr gut" not in page
    assert "Mit den personenbezogenen Daten der Person gelöscht." in page
    # Nothing more can be written on it.
    assert (
        post_form(client, f"/placements/{running}/messages", {"body": "Hallo"}).status_code == 409
    )
