"""Publish, pause, close: what the rules table allows, and a clear refusal for the rest."""

import pytest

from portal.audit.tables import AuditEvent
from portal.employers.slots import RULES, SlotAction, allowed_actions, transition_problem
from portal.employers.tables import SlotStatus
from tests.conftest import run
from tests.employers.slots import day, slot_row
from tests.factories import login, make_slot, post_form

ALLOWED = [
    ("publish", SlotStatus.draft, "open", "slot.published", "Der Platz wurde veröffentlicht."),
    ("publish", SlotStatus.paused, "open", "slot.published", "Der Platz wurde veröffentlicht."),
    ("pause", SlotStatus.open, "paused", "slot.paused", "Der Platz wurde pausiert"),
    ("close", SlotStatus.open, "closed", "slot.closed", "Der Platz wurde geschlossen."),
    ("close", SlotStatus.paused, "closed", "slot.closed", "Der Platz wurde geschlossen."),
]
REFUSED = [
    ("publish", SlotStatus.open, "Nur ein Entwurf oder ein pausierter Platz"),
    ("publish", SlotStatus.closed, "Nur ein Entwurf oder ein pausierter Platz"),
    ("publish", SlotStatus.filled, "Nur ein Entwurf oder ein pausierter Platz"),
    ("publish", SlotStatus.expired, "Nur ein Entwurf oder ein pausierter Platz"),
    ("pause", SlotStatus.draft, "Nur ein offener Platz kann pausiert werden."),
    ("pause", SlotStatus.paused, "Nur ein offener Platz kann pausiert werden."),
    ("pause", SlotStatus.closed, "Nur ein offener Platz kann pausiert werden."),
    ("close", SlotStatus.draft, "Nur ein offener oder pausierter Platz"),
    ("close", SlotStatus.closed, "Nur ein offener oder pausierter Platz"),
    ("close", SlotStatus.expired, "Nur ein offener oder pausierter Platz"),
]


def actions_of(slot):
    rows = run(AuditEvent.select(AuditEvent.action).where(AuditEvent.record_id == str(slot.id)))
    return [row["action"] for row in rows]


@pytest.mark.parametrize(("action", "status", "after", "event", "message"), ALLOWED)
def test_it_moves_the_slot_on(client, employer, member, action, status, after, event, message):
    slot = make_slot(employer, status=status)
    login(client, member.email)
    response = post_form(client, f"/slots/{slot.id}/{action}", {})
    assert response.status_code == 200
    assert message in response.text
    assert slot_row(slot.id)["status"] == after
    assert actions_of(slot) == [event]


@pytest.mark.parametrize(("action", "status", "message"), REFUSED)
def test_it_refuses_a_move_the_rules_do_not_allow(client, employer, admin, action, status, message):
    slot = make_slot(employer, status=status)
    login(client, admin.email)
    response = post_form(client, f"/slots/{slot.id}/{action}", {})
    assert response.status_code == 409
    assert "Es wurde nichts geändert." in response.text
    assert message in response.text
    assert slot_row(slot.id)["status"] == status
    assert actions_of(slot) == []


def test_it_refuses_to_publish_a_draft_whose_first_day_has_passed(client, employer, admin):
    slot = make_slot(employer, status=SlotStatus.draft, start_date=day(-1), end_date=day(5))
    login(client, admin.email)
    response = post_form(client, f"/slots/{slot.id}/publish", {})
    assert response.status_code == 409
    assert "dessen erster Tag vorbei ist" in response.text
    assert slot_row(slot.id)["status"] == "draft"


def test_it_sets_the_publication_time(client, employer, admin):
    slot = make_slot(employer, status=SlotStatus.draft)
    login(client, admin.email)
    post_form(client, f"/slots/{slot.id}/publish", {})
    assert slot_row(slot.id)["published_at"] is not None


@pytest.mark.parametrize("action", ["fill", "expire", "delete", "open"])
def test_it_has_no_button_for_other_moves(client, employer, admin, action):
    slot = make_slot(employer)
    login(client, admin.email)
    assert post_form(client, f"/slots/{slot.id}/{action}", {}).status_code == 404
    assert slot_row(slot.id)["status"] == "open"


def test_it_shows_only_the_allowed_buttons(client, employer, admin):
    slot = make_slot(employer, status=SlotStatus.paused)
    login(client, admin.email)
    response = client.get(f"/slots/{slot.id}")
    assert f'action="/slots/{slot.id}/publish"' in response.text
    assert f'action="/slots/{slot.id}/close"' in response.text
    assert f'action="/slots/{slot.id}/pause"' not in response.text


# -- the rules table itself -------------------------------------------------------------------


def test_the_rules_say_which_action_starts_from_which_status():
    assert allowed_actions("draft") == ["edit", "duplicate", "publish"]
    assert allowed_actions("open") == ["edit", "duplicate", "pause", "close", "fill", "expire"]
    assert allowed_actions("paused") == ["edit", "duplicate", "publish", "close", "expire"]
    for finished in ("filled", "closed", "expired"):
        assert allowed_actions(finished) == ["duplicate"]


def test_the_rules_lead_to_the_documented_statuses():
    assert RULES[SlotAction.fill].target == SlotStatus.filled
    assert RULES[SlotAction.expire].target == SlotStatus.expired
    assert RULES[SlotAction.edit].target is None


def test_a_transition_problem_names_the_reason():
    row = {"status": "open", "start_date": day(1)}
    assert transition_problem(row, SlotAction.pause, day(0)) is None
    assert transition_problem(row, SlotAction.publish, day(0)) is not None
    draft = {"status": "draft", "start_date": day(-1)}
    assert "erster Tag vorbei" in transition_problem(draft, SlotAction.publish, day(0))
