"""The data protection tab: the person's rights, when the data go, export and erasure."""

import datetime as dt

from portal.accounts.tables import Organisation
from portal.candidates.privacy import erase_candidate
from portal.candidates.tables import CandidateStatus
from tests.conftest import run
from tests.factories import login, make_candidate


def tab(client, candidate):
    response = client.get(f"/candidates/{candidate.id}/privacy")
    assert response.status_code == 200
    return response.text


def test_the_assigned_case_manager_exports_directly(client, candidate, alice):
    login(client, alice.email)
    text = tab(client, candidate)
    assert "Art. 15 DSGVO" in text and "Art. 17 DSGVO" in text
    assert f'href="/candidates/{candidate.id}/export"' in text
    assert f'href="/candidates/{candidate.id}/export.json"' in text
    assert 'id="export-form"' not in text
    assert "Haddad" not in text


def test_the_team_lead_is_asked_for_a_reason(client, candidate, team_lead):
    login(client, team_lead.email)
    text = tab(client, candidate)
    assert 'id="export-form"' in text
    assert 'name="reason"' in text
    assert f'formaction="/candidates/{candidate.id}/export.json"' in text


def test_a_colleague_of_a_shared_caseload_is_asked_for_a_reason_and_may_not_erase(
    client, candidate, bob, agency
):
    run(
        Organisation.update({Organisation.caseload_shared: True}).where(
            Organisation.id == agency.id
        )
    )
    login(client, bob.email)
    text = tab(client, candidate)
    assert 'id="export-form"' in text
    assert 'id="erase-form"' not in text
    assert "Nur die Teamleitung oder die zuständige" in text


def test_it_offers_the_erasure_to_the_case_manager_and_the_team_lead(
    client, candidate, alice, team_lead
):
    for user in (alice, team_lead):
        client.cookies.clear()
        login(client, user.email)
        assert 'id="erase-form"' in tab(client, candidate)


def test_an_erased_case_has_nothing_left_to_erase(client, app, candidate, alice):
    run(erase_candidate(candidate.id, app.state["storage"]))
    login(client, alice.email)
    text = tab(client, candidate)
    assert 'id="erase-form"' not in text
    assert "Es gibt nichts mehr zu löschen." in text
    assert "wurden am" in text


def test_it_shows_when_the_erasure_is_due(client, agency, alice):
    closed = make_candidate(
        agency,
        alice,
        status=CandidateStatus.closed,
        retention_from=dt.datetime(2026, 3, 10, 9, tzinfo=dt.UTC),
    )
    running = make_candidate(agency, alice, status=CandidateStatus.active)
    login(client, alice.email)
    assert "Fällig am 10.09.2026" in client.get(f"/candidates/{closed.id}/privacy").text
    assert "Nicht geplant." in client.get(f"/candidates/{running.id}/privacy").text
