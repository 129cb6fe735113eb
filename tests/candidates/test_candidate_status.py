"""Activate, pause, close, reopen: one rules table, a clear refusal, one winner of two clicks."""

import asyncio
import datetime as dt

import pytest

from portal.auth import load_user
from portal.candidates.caseload import Refused
from portal.candidates.status import CandidateAction, allowed_actions, change_status
from portal.candidates.tables import CandidateStatus
from portal.clock import now
from tests.candidates.caseload import candidate_row, events, give_consent, share_caseload
from tests.conftest import run
from tests.factories import login, make_candidate, post_form

NOTHING = "Es wurde nichts geändert."


def act(client, case, action):
    return post_form(client, f"/candidates/{case.id}/status", {"action": action})


@pytest.fixture
def ready(agency, alice):
    """A draft with a desired occupation and consent to show the profile."""
    case = make_candidate(agency, alice, occupations=("24412",))
    give_consent(case)
    return case


def test_it_activates_a_case_with_consent_and_a_desired_occupation(client, alice, ready):
    login(client, alice.email)
    response = act(client, ready, "activate")
    assert response.status_code == 200
    assert "Der Fall ist aktiv" in response.text
    row = candidate_row(ready.id)
    assert row["status"] == "active"
    assert row["activated_at"] is not None
    [event] = events(ready.id, "candidate.status")
    assert event["detail"] == {"from": "draft", "to": "active"}
    assert event["actor_id"] == alice.id


def test_it_keeps_the_first_activation_time(client, agency, alice):
    first = dt.datetime(2026, 1, 5, 9, 0, tzinfo=dt.UTC)
    case = make_candidate(
        agency, alice, occupations=("24412",), status=CandidateStatus.paused, activated_at=first
    )
    give_consent(case)
    login(client, alice.email)
    act(client, case, "activate")
    row = candidate_row(case.id)
    assert row["status"] == "active"
    assert row["activated_at"] == first


@pytest.mark.parametrize(
    "consent", ["none", "withdrawn", "without showing the profile"], ids=lambda c: c
)
def test_it_refuses_to_activate_without_consent(client, agency, alice, consent):
    case = make_candidate(agency, alice, occupations=("24412",))
    if consent == "withdrawn":
        give_consent(case, ended=True)
    elif consent != "none":
        give_consent(case, show_profile=False)
    login(client, alice.email)
    response = act(client, case, "activate")
    assert response.status_code == 409
    assert NOTHING in response.text
    assert "Bitte erfassen Sie zuerst die Einwilligung." in response.text
    assert candidate_row(case.id)["status"] == "draft"
    assert events(case.id, "candidate.status") == []


def test_it_refuses_to_activate_without_a_desired_occupation(client, agency, alice):
    case = make_candidate(agency, alice)
    give_consent(case)
    login(client, alice.email)
    response = act(client, case, "activate")
    assert response.status_code == 409
    assert "ohne Wunschberuf" in response.text or "mit einem Wunschberuf" in response.text
    assert candidate_row(case.id)["status"] == "draft"


def test_it_offers_activation_only_when_it_can_work_and_says_what_is_missing(client, agency, alice):
    case = make_candidate(agency, alice)
    login(client, alice.email)
    page = client.get(f"/candidates/{case.id}").text
    assert 'value="activate"' not in page
    assert "Bevor der Fall aktiviert werden kann" in page
    consent_link = f'href="/candidates/{case.id}/consent">Einwilligung der Person erfassen'
    profile_link = f'href="/candidates/{case.id}/profile">Einen Wunschberuf'
    assert consent_link in page and profile_link in page

    give_consent(case)
    page = client.get(f"/candidates/{case.id}").text
    assert 'value="activate"' not in page
    assert consent_link not in page and profile_link in page

    ready = make_candidate(agency, alice, occupations=("24412",))
    give_consent(ready)
    page = client.get(f"/candidates/{ready.id}").text
    assert 'value="activate"' in page
    assert "Bevor der Fall aktiviert werden kann" not in page


def test_it_pauses_an_active_case(client, agency, alice):
    case = make_candidate(agency, alice, status=CandidateStatus.active)
    login(client, alice.email)
    assert "Der Fall wurde pausiert." in act(client, case, "pause").text
    assert candidate_row(case.id)["status"] == "paused"


@pytest.mark.parametrize("status", [CandidateStatus.draft, CandidateStatus.active, "paused"])
def test_it_closes_a_case_and_starts_the_retention_period(client, agency, alice, status):
    case = make_candidate(agency, alice, status=status)
    login(client, alice.email)
    assert "Der Fall wurde abgeschlossen." in act(client, case, "close").text
    row = candidate_row(case.id)
    assert row["status"] == "closed"
    assert row["closed_at"] is not None
    assert row["retention_from"] == row["closed_at"]
    assert events(case.id, "candidate.status")[0]["detail"] == {"from": status, "to": "closed"}


def test_it_reopens_a_closed_case_and_stops_the_retention_with_consent(client, agency, alice):
    moment = now()
    case = make_candidate(
        agency, alice, status=CandidateStatus.closed, closed_at=moment, retention_from=moment
    )
    give_consent(case)
    login(client, alice.email)
    assert "wieder aufgenommen" in act(client, case, "reopen").text
    row = candidate_row(case.id)
    assert row["status"] == "draft"
    assert row["closed_at"] is None
    assert row["retention_from"] is None


def test_it_keeps_the_retention_running_when_no_consent_is_in_force(client, agency, alice):
    moment = dt.datetime(2026, 3, 1, tzinfo=dt.UTC)
    case = make_candidate(
        agency, alice, status=CandidateStatus.closed, closed_at=moment, retention_from=moment
    )
    login(client, alice.email)
    act(client, case, "reopen")
    row = candidate_row(case.id)
    assert row["status"] == "draft"
    assert row["closed_at"] is None
    assert row["retention_from"] == moment


@pytest.mark.parametrize(
    ("action", "status", "message"),
    [
        ("activate", CandidateStatus.active, "Nur ein Entwurf oder ein pausierter Fall"),
        ("activate", CandidateStatus.closed, "Nur ein Entwurf oder ein pausierter Fall"),
        ("activate", CandidateStatus.placed, "Nur ein Entwurf oder ein pausierter Fall"),
        ("pause", CandidateStatus.draft, "Nur ein aktiver Fall kann pausiert werden."),
        ("pause", CandidateStatus.closed, "Nur ein aktiver Fall kann pausiert werden."),
        ("close", CandidateStatus.closed, "Nur ein Entwurf, ein aktiver oder ein pausierter"),
        ("close", CandidateStatus.placed, "Nur ein Entwurf, ein aktiver oder ein pausierter"),
        ("reopen", CandidateStatus.draft, "Nur ein abgeschlossener Fall"),
        ("reopen", CandidateStatus.active, "Nur ein abgeschlossener Fall"),
    ],
)
def test_it_refuses_a_move_the_rules_do_not_allow(client, agency, alice, action, status, message):
    case = make_candidate(agency, alice, status=status, occupations=("24412",))
    give_consent(case)
    login(client, alice.email)
    response = act(client, case, action)
    assert response.status_code == 409
    assert NOTHING in response.text
    assert message in response.text
    assert candidate_row(case.id)["status"] == status
    assert events(case.id) == []


@pytest.mark.parametrize("action", ["reopen", "activate"])
def test_it_refuses_to_take_up_an_erased_case(client, agency, alice, action):
    status = CandidateStatus.closed if action == "reopen" else CandidateStatus.paused
    case = make_candidate(agency, alice, status=status, erased_at=now())
    login(client, alice.email)
    response = act(client, case, action)
    assert response.status_code == 409
    assert "wurden gelöscht" in response.text
    assert candidate_row(case.id)["status"] == status


def test_it_offers_no_button_to_take_up_an_erased_case(client, agency, alice):
    case = make_candidate(agency, alice, status=CandidateStatus.closed, erased_at=now())
    login(client, alice.email)
    html = client.get(f"/candidates/{case.id}").text
    assert 'value="reopen"' not in html


@pytest.mark.parametrize("action", ["", "delete", "place"])
def test_it_refuses_an_unknown_action(client, alice, candidate, action):
    login(client, alice.email)
    response = act(client, candidate, action)
    assert response.status_code == 409
    assert candidate_row(candidate.id)["status"] == "draft"


def test_a_stale_page_cannot_move_the_case_twice(app, alice, ready):
    user = run(load_user(str(alice.id), None))
    row = candidate_row(ready.id)
    run(change_status(user, row, CandidateAction.close, address=""))
    # The same (now stale) row again: the status in the UPDATE stops it.
    with pytest.raises(Refused):
        run(change_status(user, row, CandidateAction.close, address=""))
    assert len(events(ready.id, "candidate.status")) == 1


def test_of_two_clicks_at_the_same_moment_only_one_wins(app, alice, ready):
    user = run(load_user(str(alice.id), None))
    row = candidate_row(ready.id)

    async def both():
        return await asyncio.gather(
            change_status(user, row, CandidateAction.activate, address=""),
            change_status(user, row, CandidateAction.activate, address=""),
            return_exceptions=True,
        )

    results = run(both())
    assert sorted(type(result).__name__ for result in results) == ["CandidateStatus", "Refused"]
    assert candidate_row(ready.id)["status"] == "active"
    assert len(events(ready.id, "candidate.status")) == 1


def test_the_rules_say_which_action_starts_from_which_status():
    def actions(status, erased=None):
        return allowed_actions({"status": status, "erased_at": erased})

    assert actions("draft") == ["activate", "close"]
    assert actions("active") == ["pause", "close"]
    assert actions("paused") == ["activate", "close"]
    assert actions("placed") == []
    assert actions("closed") == ["reopen"]
    assert actions("closed", erased=now()) == []


def test_it_lets_a_colleague_act_when_the_caseload_is_shared(client, agency, bob, candidate):
    login(client, bob.email)
    assert act(client, candidate, "close").status_code == 404
    share_caseload(agency)
    assert act(client, candidate, "close").status_code == 200
    assert candidate_row(candidate.id)["status"] == "closed"


def test_it_answers_404_to_another_organisation(client, charlie, candidate):
    login(client, charlie.email)
    assert act(client, candidate, "close").status_code == 404
    assert candidate_row(candidate.id)["status"] == "draft"


def test_it_answers_403_to_the_operator(client, operator, candidate):
    login(client, operator.email)
    assert act(client, candidate, "close").status_code == 403
    assert candidate_row(candidate.id)["status"] == "draft"
