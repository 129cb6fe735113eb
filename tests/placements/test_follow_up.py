"""Follow-ups: still employed three and six months after the outcome, recorded once due."""

from __future__ import annotations

import pytest

from portal.clock import today
from portal.placements.tables import FollowUp, PlacementEvent
from tests.conftest import run
from tests.factories import login, post_form
from tests.placements.factories import make_placement


def url(placement_id, months=3):
    return f"/placements/{placement_id}/follow-ups/{months}"


@pytest.fixture
def recorded(slot, candidate, alice, erik):
    """An outcome recorded today; the three-month follow-up made due by moving its date."""
    placement = make_placement(
        "outcome", slot=slot, candidate=candidate, case_worker=alice, employer_user=erik
    )
    run(
        FollowUp.update({FollowUp.due_on: today()}).where(
            (FollowUp.placement == placement) & (FollowUp.months == 3)
        )
    )
    return placement


def follow_up(placement_id, months=3):
    return run(
        FollowUp.select()
        .where((FollowUp.placement == placement_id) & (FollowUp.months == months))
        .first()
    )


def test_it_records_a_due_follow_up(client, alice, recorded):
    login(client, alice.email)
    page = client.get(f"/placements/{recorded}/outcome").text
    assert "Nachfrage nach 3 Monaten erfassen" in page
    assert "Nachfrage nach 6 Monaten erfassen" not in page
    response = post_form(client, url(recorded), {"result": "employed"})
    assert response.status_code == 200
    assert "Die Nachfrage nach 3 Monaten ist erfasst." in response.text
    found = follow_up(recorded)
    assert (found["result"], found["recorded_by"]) == ("employed", alice.id)
    assert found["recorded_at"] is not None
    [event] = run(PlacementEvent.select().where(PlacementEvent.action == "follow_up.3"))
    assert (event["actor"], event["reason"]) == (alice.id, "employed")
    assert "Weiterhin beschäftigt" in client.get(f"/placements/{recorded}").text


def test_it_refuses_a_follow_up_before_it_is_due(client, alice, recorded):
    login(client, alice.email)
    response = post_form(client, url(recorded, 6), {"result": "employed"})
    assert response.status_code == 409
    assert "Die Nachfrage nach 6 Monaten ist am" in response.text
    assert follow_up(recorded, 6)["result"] is None


@pytest.mark.parametrize(("months", "result", "status"), [(3, "perhaps", 400), (4, "unknown", 404)])
def test_it_refuses_bad_input(client, alice, recorded, months, result, status):
    login(client, alice.email)
    response = post_form(client, url(recorded, months), {"result": result})
    assert response.status_code == status
    assert follow_up(recorded)["result"] is None


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("erik", 403),
        ("bob", 404),
        ("charlie", 404),
        ("fritz", 404),
        ("operator", 403),
        ("statistician", 403),
    ],
)
def test_it_is_only_for_the_case_worker(client, request, recorded, persona, status):
    login(client, request.getfixturevalue(persona).email)
    assert post_form(client, url(recorded), {"result": "employed"}).status_code == status
    assert follow_up(recorded)["result"] is None
