"""Every transition over HTTP: the allowed side succeeds, everyone else is refused (403 for the
other side and roles without a side, 404 for strangers), wrong states and missing input refused —
and a refusal changes nothing."""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

import pytest

from portal.clock import today
from portal.i18n import gettext, set_language
from portal.notifications.tables import OutboxMessage
from portal.placements import machine
from portal.placements.tables import Placement, PlacementEvent
from portal.placements.transitions import refusal_of_side
from tests.conftest import run
from tests.factories import login, make_slot, post_form
from tests.placements.factories import confirm_checklist, make_placement
from tests.placements.session import as_user

ACTIONS = sorted(a for a, t in machine.TRANSITIONS.items() if None not in t.sources)
# The state each action starts from in these tests.
START = {
    "confirm_request": "requested",
    "decline_request": "requested",
    "cancel_request": "requested",
    "accept": "proposed",
    "decline": "proposed",
    "withdraw": "accepted",
    "prepare": "accepted",
    "start": "preparing",
    "complete": "in_progress",
    "abort": "in_progress",
    "record_outcome": "completed",
}


def valid_form(action: str, slot: Any) -> dict[str, str]:
    return {
        "decline": {"reason": "dates"},
        "decline_request": {"reason": "not_available"},
        "withdraw": {"reason": "candidate_declined"},
        "abort": {"reason": "mutual"},
        "prepare": {
            "start_date": slot.start_date.isoformat(),
            "end_date": slot.end_date.isoformat(),
            "hours_per_week": "30",
            "supervisor": "Meisterin Schulz",
        },
        "complete": {"attendance": "all", "recommendation": "hire", "comment": "Sehr sorgfältig."},
        "record_outcome": {"outcome": "hired", "outcome_on": today().isoformat()},
    }.get(action, {})


def german(message: str, **variables: Any) -> str:
    set_language("de")
    return html.escape(gettext(message, **variables))


def reach(state: str, slot: Any, candidate: Any, alice: Any, erik: Any) -> Any:
    if state == "requested":
        return run(
            machine.create(as_user(erik), "request", slot_id=slot.id, candidate_id=candidate.id)
        )
    placement_id = make_placement(
        state, slot=slot, candidate=candidate, case_worker=alice, employer_user=erik
    )
    if state == "preparing":
        confirm_checklist(placement_id, alice, slot.kind)
    return placement_id


def url(placement_id: Any, action: str) -> str:
    return f"/placements/{placement_id}/transition/{action}"


def state_of(placement_id: Any) -> str:
    return run(Placement.select(Placement.state).where(Placement.id == placement_id).first())[
        "state"
    ]


def sides(action: str) -> list[str]:
    return sorted(s.value for s in machine.TRANSITIONS[action].sides if s != machine.Side.system)


@pytest.mark.parametrize(
    ("action", "side"), [(a, s) for a in ACTIONS for s in sides(a)], ids=lambda v: str(v)
)
def test_it_lets_the_allowed_side_make_the_transition(
    client: Any, action: str, side: str, slot: Any, candidate: Any, alice: Any, erik: Any,
    emma: Any,
) -> None:  # fmt: skip
    t = machine.TRANSITIONS[action]
    placement_id = reach(START[action], slot, candidate, alice, erik)
    run(OutboxMessage.delete(force=True))
    login(client, (erik if side == "employer" else alice).email)
    response = post_form(
        client, url(placement_id, action), valid_form(action, slot), follow_redirects=False
    )
    assert response.status_code == 303, response.text[:2000]
    assert response.headers["location"] == f"/placements/{placement_id}"
    assert state_of(placement_id) == t.target
    event = run(
        PlacementEvent.select()
        .where(PlacementEvent.placement == placement_id)
        .order_by(PlacementEvent.created_at, ascending=False)
        .first()
    )
    assert event["action"] == action and event["to_state"] == t.target
    assert str(event["actor"]) == str((erik if side == "employer" else alice).id)
    mails = run(OutboxMessage.select(OutboxMessage.to_address, OutboxMessage.template))
    # The first day's calendar invitation is tested in test_invitation.py.
    mails = [m for m in mails if m["template"] != "placement_first_day"]
    if not t.template:
        assert mails == []
        return
    told = t.notify or (machine.Side.case_worker if side == "employer" else machine.Side.employer)
    expected = [erik.email, emma.email] if told == machine.Side.employer else [alice.email]
    assert sorted(m["to_address"] for m in mails) == sorted(expected)
    assert {m["template"] for m in mails} == {t.template}


@pytest.mark.parametrize("action", [a for a in ACTIONS if len(sides(a)) == 1])
def test_it_refuses_the_other_side_with_403(
    client: Any, action: str, slot: Any, candidate: Any, alice: Any, erik: Any
) -> None:
    placement_id = reach(START[action], slot, candidate, alice, erik)
    other = alice if sides(action) == ["employer"] else erik
    login(client, other.email)
    response = post_form(client, url(placement_id, action), valid_form(action, slot))
    assert response.status_code == 403
    assert german(refusal_of_side(machine.TRANSITIONS[action])) in response.text
    assert state_of(placement_id) == START[action]


@pytest.mark.parametrize("action", ACTIONS)
def test_it_refuses_strangers_and_roles_without_a_side(
    client: Any, action: str, slot: Any, candidate: Any, alice: Any, erik: Any, bob: Any,
    charlie: Any, fritz: Any, operator: Any, statistician: Any,
) -> None:  # fmt: skip
    placement_id = reach(START[action], slot, candidate, alice, erik)
    for user, status in (
        (bob, 404), (charlie, 404), (fritz, 404), (operator, 403), (statistician, 403),
    ):  # fmt: skip
        client.cookies.clear()
        login(client, user.email)
        response = post_form(client, url(placement_id, action), valid_form(action, slot))
        assert response.status_code == status, user.email
    assert state_of(placement_id) == START[action]


@pytest.mark.parametrize("action", ACTIONS)
def test_it_refuses_a_wrong_state_with_409(
    client: Any, action: str, slot: Any, candidate: Any, alice: Any, erik: Any
) -> None:
    placement_id = reach("declined", slot, candidate, alice, erik)
    login(client, (erik if "employer" in sides(action) else alice).email)
    response = post_form(client, url(placement_id, action), valid_form(action, slot))
    assert response.status_code == 409
    assert german(machine.TRANSITIONS[action].refusal) in response.text
    assert state_of(placement_id) == "declined"


def test_it_answers_404_for_an_unknown_action(
    client: Any, slot: Any, candidate: Any, alice: Any, erik: Any
) -> None:
    placement_id = reach("proposed", slot, candidate, alice, erik)
    login(client, erik.email)
    assert post_form(client, url(placement_id, "nominate"), {}).status_code == 404
    assert post_form(client, url(placement_id, "teleport"), {}).status_code == 404


def _flexible_slot(employer: Any) -> Any:
    start = today() + dt.timedelta(days=30)
    return make_slot(
        employer, flexible=True, start_date=start, end_date=start + dt.timedelta(days=90),
        duration_days=14,
    )  # fmt: skip


@pytest.mark.parametrize(
    ("action", "form", "field"),
    [
        ("decline", {}, "reason"),
        ("decline_request", {"reason": "bogus"}, "reason"),
        ("withdraw", {"reason": ""}, "reason"),
        ("abort", {}, "reason"),
        ("abort", {"reason": "other"}, "note"),
        ("prepare", {"start_date": "before", "end_date": "end"}, "start_date"),
        ("prepare", {"start_date": "long", "end_date": "long"}, "end_date"),
        ("prepare", {"start_date": "31.02.2026", "end_date": ""}, "start_date"),
        ("complete", {}, "attendance"),
        ("record_outcome", {"outcome_on": "2026-09-01"}, "outcome"),
        ("decline", {"reason": "dates", "note": "Frau Haddad passt nicht."}, "note"),
    ],
    ids=lambda v: v if isinstance(v, str) else None,
)
def test_it_enforces_the_required_fields_with_422(
    client: Any, action: str, form: dict[str, str], field: str, employer: Any, slot: Any,
    candidate: Any, alice: Any, erik: Any,
) -> None:  # fmt: skip
    if action == "prepare":
        slot = _flexible_slot(employer)  # 14 days within 13 weeks
    placement_id = reach(START[action], slot, candidate, alice, erik)
    form = dict(form)
    if form.get("start_date") == "before":
        form["start_date"] = (slot.start_date - dt.timedelta(days=1)).isoformat()
        form["end_date"] = (slot.start_date + dt.timedelta(days=5)).isoformat()
    if form.get("start_date") == "long":
        form["start_date"] = slot.start_date.isoformat()
        form["end_date"] = (slot.start_date + dt.timedelta(days=20)).isoformat()
    login(client, (erik if "employer" in sides(action) else alice).email)
    response = post_form(client, url(placement_id, action), form)
    assert response.status_code == 422
    assert f'id="error-{field}"' in response.text
    assert state_of(placement_id) == START[action]


def test_it_refuses_to_start_with_an_incomplete_checklist(
    client: Any, slot: Any, candidate: Any, alice: Any, erik: Any
) -> None:
    placement_id = make_placement(
        "preparing", slot=slot, candidate=candidate, case_worker=alice, employer_user=erik
    )
    login(client, erik.email)
    response = post_form(client, url(placement_id, "start"), {})
    assert response.status_code == 409
    assert german("The start checklist is not complete yet.") in response.text
    assert state_of(placement_id) == "preparing"


def test_it_answers_htmx_with_a_client_redirect_or_the_actions_block(
    client: Any, slot: Any, candidate: Any, alice: Any, erik: Any
) -> None:
    placement_id = reach("proposed", slot, candidate, alice, erik)
    login(client, erik.email)
    headers = {"HX-Request": "true"}
    refused = post_form(client, url(placement_id, "decline"), {}, headers=headers)
    assert refused.status_code == 200
    assert refused.text.lstrip().startswith('<section id="placement-actions"')
    assert 'id="error-reason"' in refused.text
    done = post_form(client, url(placement_id, "accept"), {}, headers=headers)
    assert done.status_code == 200
    assert done.headers["hx-redirect"] == f"/placements/{placement_id}"
    assert state_of(placement_id) == "accepted"
