"""The operator's actions on a card: reminder, internal note, flag, the operator's transition."""

from __future__ import annotations

import pytest

from portal.accounts.tables import OrgKind, Role
from portal.notifications.tables import OutboxMessage
from portal.placements.tables import Placement, PlacementEvent
from tests.conftest import run
from tests.factories import csrf_token, login, make_candidate, make_org, make_slot, make_user
from tests.placements.conftest import consent
from tests.placements.factories import make_placement

HX = {"HX-Request": "true"}


@pytest.fixture
def parties():
    employer = make_org(OrgKind.employer, name="Metallbau Kassel GmbH")
    agency = make_org(OrgKind.case_management, name="Jobcenter Musterland")
    alice = make_user(agency, Role.case_manager, name="Alice Fallmanagerin")
    erik = make_user(employer, Role.employer_admin, name="Erik Werkstatt")
    candidate = make_candidate(agency, alice, status="active")
    consent(candidate)
    return {"employer": employer, "alice": alice, "erik": erik, "candidate": candidate,
            "slot": make_slot(employer, places=2)}  # fmt: skip


def place(state, p):
    return make_placement(state, slot=p["slot"], candidate=p["candidate"],
                          case_worker=p["alice"], employer_user=p["erik"])  # fmt: skip


def act(client, placement_id, action, headers=None, **data):
    url = f"/admin/placements/{placement_id}/{action}"
    body = {"_csrf_token": csrf_token(client), "next": "/admin/placements?closed=1", **data}
    return client.post(url, data=body, headers=headers or {}, follow_redirects=False)


def state_of(placement_id):
    return run(Placement.select(Placement.state).where(Placement.id == placement_id).first())[
        "state"
    ]


def events(placement_id, action):
    query = PlacementEvent.select().where(
        (PlacementEvent.placement == placement_id) & (PlacementEvent.action == action)
    )
    return run(query)


def test_it_reminds_the_side_that_must_act_once_per_period(client, operator, parties):
    placement = place("proposed", parties)
    login(client, operator.email)
    run(OutboxMessage.delete(force=True))
    response = act(client, placement, "remind", headers=HX)
    assert response.status_code == 200
    assert "Der Arbeitgeber wurde erinnert." in response.text
    sent = run(OutboxMessage.select().where(OutboxMessage.template == "placement_console_reminder"))
    assert [m["to_address"] for m in sent] == [parties["erik"].email]
    [event] = events(placement, "console_reminder")
    assert event["internal"] is True and event["actor"] == operator.id
    again = act(client, placement, "remind", headers=HX)
    assert "wurde bereits erinnert" in again.text
    assert run(OutboxMessage.count().where(
        OutboxMessage.template == "placement_console_reminder")) == 1  # fmt: skip


def test_it_reminds_the_case_worker_of_an_accepted_placement_without_javascript(
    client, operator, parties
):
    placement = place("accepted", parties)
    login(client, operator.email)
    response = act(client, placement, "remind")
    assert response.status_code == 303
    assert response.headers["location"] == "/admin/placements?closed=1"
    sent = run(OutboxMessage.select().where(OutboxMessage.template == "placement_console_reminder"))
    assert [m["to_address"] for m in sent] == [parties["alice"].email]


def test_an_internal_note_is_shown_to_operators_only(client, operator, parties):
    placement = place("proposed", parties)
    login(client, operator.email)
    assert (
        act(client, placement, "note", note="Arbeitgeber telefonisch nachfassen").status_code == 303
    )
    assert "Arbeitgeber telefonisch nachfassen" in client.get(f"/admin/placements/{placement}").text
    for side in ("erik", "alice"):
        login(client, parties[side].email)
        page = client.get(f"/placements/{placement}")
        assert page.status_code == 200
        assert "telefonisch nachfassen" not in page.text and "Interne Notiz" not in page.text


def test_an_empty_note_is_refused_with_a_message(client, operator, parties):
    placement = place("proposed", parties)
    login(client, operator.email)
    response = act(client, placement, "note", headers=HX, note="   ")
    assert response.status_code == 200 and "Bitte schreiben Sie die Notiz." in response.text
    assert events(placement, "internal_note") == []


def test_it_flags_and_unflags_a_placement(client, operator, parties):
    placement = place("proposed", parties)
    login(client, operator.email)
    flagged = act(client, placement, "flag", headers=HX)
    assert "board-card--flagged" in flagged.text and "autofocus" in flagged.text
    assert run(Placement.select(Placement.flagged_at).first())["flagged_at"] is not None
    act(client, placement, "unflag", headers=HX)
    assert run(Placement.select(Placement.flagged_at).first())["flagged_at"] is None
    internal = PlacementEvent.select(PlacementEvent.action).where(PlacementEvent.internal.eq(True))
    actions = run(internal.order_by(PlacementEvent.created_at).output(as_list=True))
    assert actions == ["flag", "unflag"]


def test_the_operator_withdraws_through_the_machine_and_both_sides_are_told(
    client, operator, parties
):
    placement = place("accepted", parties)
    login(client, operator.email)
    run(OutboxMessage.delete(force=True))
    refused = act(client, placement, "withdraw", headers=HX)
    assert "Bitte prüfen Sie" in refused.text or "Grund" in refused.text
    assert state_of(placement) == "accepted"
    response = act(client, placement, "withdraw", headers=HX, reason="not_available")
    assert response.status_code == 200
    assert state_of(placement) == "withdrawn"
    withdrawn = response.text.split('id="column-withdrawn"')[1].split("</section>")[0]
    assert f'id="card-{placement}"' in withdrawn
    [event] = events(placement, "withdraw")
    assert event["internal"] is False and event["to_state"] == "withdrawn"
    told = {m["to_address"] for m in run(OutboxMessage.select())}
    assert told == {parties["erik"].email, parties["alice"].email}


@pytest.mark.parametrize("action", ["accept", "prepare", "start", "nominate", "delete"])
def test_the_operator_has_no_other_transition(client, operator, parties, action):
    placement = place("proposed", parties)
    login(client, operator.email)
    assert act(client, placement, action).status_code == 404
    assert state_of(placement) == "proposed"


def test_a_guessed_placement_is_not_found(client, operator):
    login(client, operator.email)
    assert act(client, "9b1deb4d-3b7d-4bad-9bdd-2b0d7b3dcb6d", "flag").status_code == 404
    assert client.get("/admin/placements/not-an-id").status_code == 404
