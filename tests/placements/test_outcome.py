"""The outcome: the case worker records what followed a completed internship (machine action
`record_outcome`), which plans the follow-ups at three and six months."""

from __future__ import annotations

import pytest

from portal.clock import today
from portal.placements.machine import add_months
from portal.placements.tables import FollowUp, Placement
from tests.conftest import run
from tests.factories import login, post_form
from tests.placements.factories import make_placement

# Recorded today: the follow-ups lie three and six months ahead, not due yet on any day.
OUTCOME_ON = today()
GOOD = {"outcome": "apprenticeship", "outcome_on": OUTCOME_ON.isoformat(), "note": "Ausbildung."}


def url(placement_id):
    return f"/placements/{placement_id}/outcome"


@pytest.fixture
def completed(slot, candidate, alice, erik):
    return make_placement(
        "completed", slot=slot, candidate=candidate, case_worker=alice, employer_user=erik
    )


def row(placement_id):
    return run(Placement.select().where(Placement.id == placement_id).first())


def test_it_records_the_outcome_and_plans_the_follow_ups(client, alice, completed):
    login(client, alice.email)
    assert (
        "Eingestellt (sozialversicherungspflichtige Beschäftigung)"
        in client.get(url(completed)).text
    )
    response = post_form(client, url(completed), GOOD)
    assert response.status_code == 200
    assert "Das Ergebnis ist erfasst." in response.text
    assert "Nachfrage nach 3 Monaten erfassen" not in response.text  # not due yet
    placement = row(completed)
    assert (placement["state"], placement["outcome"]) == ("outcome", "apprenticeship")
    assert placement["outcome_on"] == OUTCOME_ON
    due = run(
        FollowUp.select(FollowUp.months, FollowUp.due_on).where(FollowUp.placement == completed)
    )
    assert sorted((f["months"], f["due_on"]) for f in due) == [
        (3, add_months(OUTCOME_ON, 3)),
        (6, add_months(OUTCOME_ON, 6)),
    ]
    assert "Ausbildung" in client.get(f"/placements/{completed}").text


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"outcome": ""}, "Bitte wählen Sie, was auf das Praktikum folgte."),
        ({"outcome": "lottery"}, "Bitte wählen Sie, was auf das Praktikum folgte."),
        ({"outcome_on": ""}, "Bitte geben Sie das Datum ein"),
        ({"outcome_on": "31.02.2026"}, "Bitte geben Sie ein Datum wie 02.03.2026 ein."),
        ({"note": "Kontakt: info@example.org"}, "E-Mail-Adresse"),
    ],
)
def test_it_refuses_bad_input_and_changes_nothing(client, alice, completed, change, message):
    login(client, alice.email)
    response = post_form(client, url(completed), {**GOOD, **change})
    assert response.status_code == 400
    assert message in response.text
    assert row(completed)["state"] == "completed"
    assert run(FollowUp.count()) == 0


def test_it_is_only_for_a_completed_internship(client, alice, slot, candidate, erik):
    placement = make_placement(
        "in_progress", slot=slot, candidate=candidate, case_worker=alice, employer_user=erik
    )
    login(client, alice.email)
    assert client.get(url(placement)).status_code == 409
    response = post_form(client, url(placement), GOOD)
    assert response.status_code == 409
    assert "wenn das Praktikum abgeschlossen ist" in response.text
    assert row(placement)["outcome"] is None


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
def test_it_is_only_for_the_case_worker(client, request, completed, persona, status):
    login(client, request.getfixturevalue(persona).email)
    assert client.get(url(completed)).status_code == status
    response = post_form(client, url(completed), GOOD)
    assert response.status_code == status
    if persona == "erik":
        assert "erfasst das Ergebnis" in response.text
    assert row(completed)["state"] == "completed"


def test_it_gives_the_placement_page_its_sections_in_three_queries(app, queries, slot, completed):
    from portal.placements.loading import placement_columns
    from portal.placements.preparation import detail_context

    run(
        Placement.update({Placement.state: "outcome", Placement.outcome: "hired"}).where(
            Placement.id == completed
        )
    )
    run(FollowUp.insert(FollowUp(placement=completed, months=3, due_on=today())))
    placement = run(Placement.select(*placement_columns()).where(Placement.id == completed).first())
    queries.clear()
    prep = run(detail_context(placement, "case_worker"))
    assert len(queries) == 3
    assert prep["complete"] and prep["outcome"] and prep["evaluation"]
    assert [f["months"] for f in prep["follow_ups"]] == [3]
    queries.clear()
    prep = run(detail_context(placement, "employer"))
    assert len(queries) == 1  # the evaluation it wrote; never the checklist's answers
    assert "checklist" not in prep and "outcome" not in prep
