"""Withdrawing consent: in one step, the profile paused at once, the retention period begins."""

import datetime as dt

import pytest

from portal.audit.tables import AuditEvent
from portal.candidates.tables import Candidate, CandidateStatus
from portal.clock import now
from tests.candidates.consents import candidate_row, consents_of, make_consent
from tests.conftest import run
from tests.factories import login, make_candidate, post_form


def withdraw(client, candidate):
    return post_form(
        client, f"/candidates/{candidate.id}/consent/withdraw", {}, follow_redirects=True
    )


def events(candidate):
    return run(
        AuditEvent.select()
        .where(
            (AuditEvent.record_id == str(candidate.id)) & (AuditEvent.action == "consent.withdraw")
        )
        .output(load_json=True)
    )


@pytest.mark.parametrize("status", [CandidateStatus.active, CandidateStatus.placed])
def test_it_pauses_the_profile_at_once(client, alice, agency, status):
    case = make_candidate(agency, alice, status=status)
    consent = make_consent(case, alice)
    login(client, alice.email)
    response = withdraw(client, case)
    assert response.status_code == 200
    assert "Der Widerruf wurde erfasst. Das Profil wurde sofort pausiert." in response.text
    assert candidate_row(case)["status"] == "paused"
    [row] = consents_of(case)
    assert row["id"] == consent.id
    assert row["ended_reason"] == "withdrawn"
    assert row["ended_by"] == alice.id
    assert row["ended_at"] is not None
    [event] = events(case)
    assert event["actor_id"] == alice.id
    assert event["detail"] == {
        "consent": str(consent.id),
        "status": {"from": status.value, "to": "paused"},
    }


def test_it_starts_the_retention_period(client, alice, agency):
    case = make_candidate(agency, alice, status=CandidateStatus.active)
    make_consent(case, alice)
    login(client, alice.email)
    before = now()
    withdraw(client, case)
    assert candidate_row(case)["retention_from"] >= before - dt.timedelta(seconds=1)


def test_it_keeps_a_retention_period_that_already_runs(client, alice, agency):
    started = now() - dt.timedelta(days=40)
    case = make_candidate(agency, alice, status=CandidateStatus.closed, retention_from=started)
    make_consent(case, alice)
    login(client, alice.email)
    response = withdraw(client, case)
    assert "Der Widerruf wurde erfasst." in response.text
    row = candidate_row(case)
    assert (row["status"], row["retention_from"]) == ("closed", started)


@pytest.mark.parametrize("status", [CandidateStatus.draft, CandidateStatus.paused])
def test_it_leaves_a_profile_employers_do_not_see(client, alice, agency, status):
    case = make_candidate(agency, alice, status=status)
    make_consent(case, alice)
    login(client, alice.email)
    response = withdraw(client, case)
    assert "Das Profil wurde sofort pausiert." not in response.text
    assert candidate_row(case)["status"] == status.value
    [event] = events(case)
    assert "status" not in event["detail"]


def test_it_says_when_there_is_nothing_to_withdraw(client, alice, agency):
    case = make_candidate(agency, alice, status=CandidateStatus.active)
    old = make_consent(case, alice, ended_at=now(), ended_reason="withdrawn")
    login(client, alice.email)
    response = withdraw(client, case)
    assert response.status_code == 409
    assert "Es liegt keine gültige Einwilligung vor, die widerrufen werden könnte." in response.text
    row = candidate_row(case)
    assert (row["status"], row["retention_from"]) == ("active", None)
    [consent] = consents_of(case)
    assert consent["ended_at"] == old.ended_at
    assert events(case) == []


def test_it_shows_the_withdrawal_in_the_history(client, alice, candidate):
    make_consent(candidate, alice)
    login(client, alice.email)
    withdraw(client, candidate)
    html = client.get(f"/candidates/{candidate.id}/consent").text
    assert "Es liegt keine gültige Einwilligung vor." in html
    assert "Widerrufen" in html
    assert "Widerruf erfassen" not in html


def test_it_lets_the_team_lead_withdraw(client, team_lead, alice, candidate):
    make_consent(candidate, alice)
    login(client, team_lead.email)
    assert withdraw(client, candidate).status_code == 200
    [consent] = consents_of(candidate)
    assert consent["ended_by"] == team_lead.id


def test_it_refuses_for_an_erased_candidate(client, alice, candidate):
    make_consent(candidate, alice)
    run(Candidate.update({Candidate.erased_at: now()}).where(Candidate.id == candidate.id))
    login(client, alice.email)
    response = withdraw(client, candidate)
    assert response.status_code == 409
    assert "Die personenbezogenen Daten dieser Person wurden gelöscht." in response.text
    [consent] = consents_of(candidate)
    assert consent["ended_at"] is None
