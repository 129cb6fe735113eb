"""The employer's evaluation: a form of its own that completes the internship (machine action
`complete`), with its errors shown on the form and nothing changed."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from portal.clock import today
from portal.employers.tables import Slot, SlotStatus
from portal.placements.tables import Evaluation, Placement, PlacementEvent
from tests.conftest import run
from tests.factories import login, make_slot, post_form
from tests.placements.factories import make_placement

GOOD = {
    "attendance": "all",
    "skill.metal.mig_mag": "yes",
    "skill.general.hand_tools": "yes",
    "habit.punctuality": "yes",
    "german_level": "B1",
    "recommendation": "apprenticeship",
    "comment": "Sauber gearbeitet, schnell gelernt.",
}


def url(placement_id):
    return f"/placements/{placement_id}/evaluation"


@pytest.fixture
def running(employer, candidate, alice, erik):
    """An internship in progress whose last day is today."""
    slot = make_slot(employer, start_date=today() - dt.timedelta(days=11), end_date=today())
    return make_placement(
        "in_progress", slot=slot, candidate=candidate, case_worker=alice, employer_user=erik
    )


@pytest.fixture
def running_until_later(slot, candidate, alice, erik):
    """An internship in progress whose last day is still to come."""
    return make_placement(
        "in_progress", slot=slot, candidate=candidate, case_worker=alice, employer_user=erik
    )


def state(placement_id):
    return run(Placement.select(Placement.state).where(Placement.id == placement_id).first())[
        "state"
    ]


def test_it_shows_the_skills_of_the_slots_field_first(client, emma, running):
    login(client, emma.email)
    text = client.get(url(running)).text
    assert 'name="skill.metal.mig_mag"' in text and 'name="habit.punctuality"' in text
    assert text.index('name="skill.metal.mig_mag"') < text.index("<details")
    assert text.index("<details") < text.index('name="skill.general.hand_tools"')


def test_it_completes_the_internship_with_the_evaluation(client, erik, running):
    login(client, erik.email)
    response = post_form(client, url(running), GOOD, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"/placements/{running}"
    assert state(running) == "completed"
    [row] = run(Evaluation.select().where(Evaluation.placement == running))
    skills, habits = (
        json.loads(v) if isinstance(v, str) else v for v in (row["skills"], row["work_habits"])
    )
    assert skills == ["metal.mig_mag", "general.hand_tools"]
    assert habits == ["punctuality"]
    assert (row["attendance"], row["german_level"], row["recommendation"], row["written_by"]) == (
        "all", "B1", "apprenticeship", erik.id,
    )  # fmt: skip
    assert run(PlacementEvent.exists().where(PlacementEvent.action == "complete"))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"attendance": ""}, "Bitte füllen Sie dieses Feld aus."),
        ({"recommendation": "maybe"}, "eine der Möglichkeiten"),
        ({"german_level": "D9"}, "eine der Möglichkeiten"),
        ({"comment": "Bitte rufen Sie an: 0561 1234567"}, "Telefonnummer"),
        ({"comment": "Frau Haddad war immer pünktlich."}, "Namen"),
    ],
)
def test_it_shows_the_errors_on_the_form_and_changes_nothing(
    client, erik, running, change, message
):
    login(client, erik.email)
    response = post_form(client, url(running), {**GOOD, **change})
    assert response.status_code == 400
    assert message in response.text
    assert 'name="skill.metal.mig_mag" value="yes" checked' in response.text
    assert state(running) == "in_progress"
    assert run(Evaluation.count()) == 0


def test_it_is_only_for_a_running_internship(client, erik, slot, candidate, alice):
    placement = make_placement(
        "preparing", slot=slot, candidate=candidate, case_worker=alice, employer_user=erik
    )
    login(client, erik.email)
    assert client.get(url(placement)).status_code == 409
    response = post_form(client, url(placement), GOOD)
    assert response.status_code == 409
    assert "Nur ein laufendes Praktikum kann abgeschlossen werden." in response.text
    assert state(placement) == "preparing"


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("alice", 403),
        ("bob", 404),
        ("charlie", 404),
        ("fritz", 404),
        ("operator", 403),
        ("statistician", 403),
    ],
)
def test_it_is_only_for_the_employer(client, request, running, persona, status):
    login(client, request.getfixturevalue(persona).email)
    assert client.get(url(running)).status_code == status
    response = post_form(client, url(running), GOOD)
    assert response.status_code == status
    if persona == "alice":
        assert "Nur der Betrieb bewertet das Praktikum." in response.text
    assert state(running) == "in_progress"


def test_completing_before_the_last_day_needs_a_confirmation_that_says_so(
    client, erik, running_until_later, slot
):
    """Issue 15: "Mit Bewertung abschließen" ended an internship two weeks early, unwarned."""
    login(client, erik.email)
    page = client.get(url(running_until_later)).text
    assert "Vor dem letzten Tag" in page
    assert slot.end_date.strftime("%d.%m.%Y") in page
    response = post_form(client, url(running_until_later), GOOD)
    assert response.status_code == 400
    assert "vor seinem letzten Tag endet" in response.text
    assert state(running_until_later) == "in_progress"
    assert run(Evaluation.count().where(Evaluation.placement == running_until_later)) == 0

    confirmed = {**GOOD, "end_early": "yes"}
    response = post_form(client, url(running_until_later), confirmed, follow_redirects=False)
    assert response.status_code == 303
    assert state(running_until_later) == "completed"


def test_a_slot_whose_dates_have_begun_never_reopens(client, erik, employer, candidate, alice):
    """Completing frees the place, but nobody can join an internship that has begun: the slot
    stays filled (issue 15: it went back to "Offen")."""
    started = make_slot(employer, start_date=today() - dt.timedelta(days=3), end_date=today())
    placement = make_placement(
        "in_progress", slot=started, candidate=candidate, case_worker=alice, employer_user=erik
    )
    assert run(Slot.select(Slot.status).where(Slot.id == started.id).first())["status"] == (
        SlotStatus.filled
    )
    login(client, erik.email)
    assert post_form(client, url(placement), GOOD, follow_redirects=False).status_code == 303
    assert run(Slot.select(Slot.status).where(Slot.id == started.id).first())["status"] == (
        SlotStatus.filled
    )
