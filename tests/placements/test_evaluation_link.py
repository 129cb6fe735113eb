"""The supervisor's evaluation by e-mail link: the slot's contact person completes that one
internship with the same form and checks as the logged-in employer, once, without an account."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import pytest

from portal.clock import today
from portal.placements import links, machine
from portal.placements.jobs import ask_for_evaluations
from portal.placements.tables import Evaluation, LinkPurpose, Placement, PlacementLink
from portal.placements.transitions import EvaluationFields
from portal.templating import create_environment
from portal.worker import deliver_due
from tests.conftest import run
from tests.factories import make_candidate, make_slot, post_form
from tests.placements.conftest import consent
from tests.placements.factories import make_placement
from tests.placements.session import as_user
from tests.placements.test_evaluation import GOOD

CONTACT = "meister.schmidt@metallbau-kassel.example"


@pytest.fixture
def ended(app, employer, candidate, alice, erik) -> Any:
    """An internship in progress whose last day was yesterday; the slot names a contact."""
    slot = make_slot(
        employer,
        start_date=today() - dt.timedelta(days=12),
        end_date=today() - dt.timedelta(days=1),
        contact_name="Meister Schmidt",
        contact_email=CONTACT,
    )
    return make_placement("in_progress", slot=slot, candidate=candidate, case_worker=alice,
                          employer_user=erik)  # fmt: skip


@pytest.fixture
def token(ended) -> str:
    raw = run(links.issue(ended, LinkPurpose.evaluation))
    assert raw
    return raw


def state(placement_id: Any) -> str:
    row = run(Placement.select(Placement.state).where(Placement.id == placement_id).first())
    return str(row["state"])


def used_at(raw: str) -> Any:
    digest = hashlib.sha256(raw.encode()).hexdigest()
    row = run(PlacementLink.select().where(PlacementLink.digest == digest).first())
    return row["used_at"]


def test_a_get_shows_the_form_and_changes_nothing(client, token, ended, candidate):
    response = client.get(f"/evaluate/{token}")
    assert response.status_code == 200
    assert candidate.code in response.text and 'name="attendance"' in response.text
    assert f'action="/evaluate/{token}"' in response.text
    # No way back into the portal from here: the contact person may have no account.
    assert f'href="/placements/{ended}"' not in response.text
    assert "Amina" not in response.text
    assert state(ended) == "in_progress" and used_at(token) is None
    assert "portal_session" not in client.cookies


def test_it_completes_the_internship_once(client, token, ended):
    response = post_form(client, f"/evaluate/{token}", GOOD)
    assert response.status_code == 200, response.text[:500]
    assert state(ended) == "completed" and used_at(token) is not None
    evaluation = run(Evaluation.select().where(Evaluation.placement == ended).first())
    assert evaluation["recommendation"] == "apprenticeship" and evaluation["written_by"] is None
    assert post_form(client, f"/evaluate/{token}", GOOD).status_code == 404
    assert client.get(f"/evaluate/{token}").status_code == 404


def test_it_checks_the_form_as_the_logged_in_evaluation_does(client, token, ended):
    response = post_form(client, f"/evaluate/{token}", {**GOOD, "attendance": ""})
    assert response.status_code == 400
    assert 'id="error-summary"' in response.text
    named = post_form(client, f"/evaluate/{token}", {**GOOD, "comment": "Amina war pünktlich."})
    assert named.status_code == 400
    assert state(ended) == "in_progress" and used_at(token) is None


def test_it_asks_to_confirm_an_early_end(client, employer, candidate, alice, erik):
    running = make_placement("in_progress", slot=make_slot(employer), candidate=candidate,
                             case_worker=alice, employer_user=erik)  # fmt: skip
    raw = run(links.issue(running, LinkPurpose.evaluation))
    response = post_form(client, f"/evaluate/{raw}", GOOD)
    assert response.status_code == 400 and state(running) == "in_progress"
    assert post_form(client, f"/evaluate/{raw}", {**GOOD, "end_early": "yes"}).status_code == 200
    assert state(running) == "completed"


def test_it_dies_when_the_internship_is_ended_otherwise(client, token, ended, alice):
    run(machine.apply(as_user(alice), ended, "abort", machine.Input(reason="mutual")))
    assert client.get(f"/evaluate/{token}").status_code == 404
    assert post_form(client, f"/evaluate/{token}", GOOD).status_code == 404


def test_it_evaluates_no_other_placement(client, token, ended, employer, agency, alice, erik):
    other = make_candidate(agency, alice, occupations=("24412",), status="active")
    consent(other)
    second = make_placement("in_progress", slot=make_slot(employer), candidate=other,
                            case_worker=alice, employer_user=erik)  # fmt: skip
    grant = run(links.find(token, LinkPurpose.evaluation))
    assert grant is not None
    given = machine.Input(evaluation=EvaluationFields("all", [], [], None, "hire"))
    with pytest.raises(Exception) as refused:
        run(machine.apply(None, second, "complete", given, link=grant))
    assert type(refused.value).__name__ == "NotFoundException"
    assert state(second) == "in_progress"
    # An evaluation link answers no nomination, and opens no page of the portal.
    assert client.get(f"/answer/{token}").status_code == 404
    response = client.get(f"/placements/{ended}", follow_redirects=False)
    assert "/login" in response.headers.get("location", "")


def test_the_due_evaluation_sends_the_contact_a_link(client, ended, erik, settings, mailbox):
    assert run(ask_for_evaluations(today=today())) == 2  # Erik, and the contact with a link
    run(deliver_due(settings, create_environment()))
    # (The contact also had the first day's calendar invitation.)
    [mail] = [m for m in mailbox.to(CONTACT) if "Bitte bewerten Sie" in m["Subject"]]
    body = mail.get_content()
    path = body.split("/evaluate/")[1].split()[0]
    assert client.get(f"/evaluate/{path}").status_code == 200
    # The employer's users are told as before, without a link.
    assert "/evaluate/" not in mailbox.last_to(erik.email).get_content()
    # Asked once.
    assert run(ask_for_evaluations(today=today())) == 0
