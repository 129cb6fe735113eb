"""Team leads give one case, or all open cases of a case manager, to someone else."""

import pytest

from portal.accounts.tables import Role
from portal.candidates.tables import CandidateStatus
from tests.candidates.caseload import candidate_row, events, share_caseload
from tests.factories import login, make_candidate, make_user, post_form


def assign(client, case, user_id):
    return post_form(client, f"/candidates/{case.id}/assign", {"case_manager": str(user_id)})


def reassign(client, source, target):
    return post_form(client, "/candidates/reassign", {"from": str(source), "to": str(target)})


# -- one case ---------------------------------------------------------------------------------


def test_it_gives_a_case_to_another_case_manager(client, team_lead, alice, bob, candidate):
    login(client, team_lead.email)
    response = assign(client, candidate, bob.id)
    assert response.status_code == 200
    assert "Der Fall liegt jetzt bei Bob Kollege." in response.text
    assert candidate_row(candidate.id)["case_manager"] == bob.id
    [event] = events(candidate.id, "candidate.assign")
    assert event["detail"] == {"from": str(alice.id), "to": str(bob.id)}
    assert event["actor_id"] == team_lead.id


@pytest.mark.parametrize("who", ["charlie", "inactive", "nonsense"])
def test_it_refuses_someone_outside_the_organisation(
    client, agency, team_lead, alice, charlie, candidate, who
):
    target = {
        "charlie": lambda: charlie.id,
        "inactive": lambda: make_user(agency, Role.case_manager, active=False).id,
        "nonsense": lambda: "nobody",
    }[who]()
    login(client, team_lead.email)
    response = assign(client, candidate, target)
    assert response.status_code == 409
    assert "Es wurde nichts geändert." in response.text
    assert "Bitte wählen Sie eine aktive Fallmanagerin" in response.text
    assert candidate_row(candidate.id)["case_manager"] == alice.id
    assert events(candidate.id) == []


def test_it_lets_no_case_manager_give_a_case(client, alice, bob, candidate):
    login(client, alice.email)
    assert assign(client, candidate, bob.id).status_code == 403
    assert candidate_row(candidate.id)["case_manager"] == alice.id


def test_it_answers_404_to_a_colleague_and_403_with_sharing(client, agency, alice, bob, candidate):
    login(client, bob.email)
    assert assign(client, candidate, bob.id).status_code == 404
    share_caseload(agency)
    assert assign(client, candidate, bob.id).status_code == 403
    assert candidate_row(candidate.id)["case_manager"] == alice.id


def test_it_answers_404_to_another_organisation(client, charlie, alice, candidate):
    login(client, charlie.email)
    assert assign(client, candidate, charlie.id).status_code == 404
    assert candidate_row(candidate.id)["case_manager"] == alice.id


def test_it_lets_no_operator_give_a_case(client, operator, alice, candidate):
    login(client, operator.email)
    assert assign(client, candidate, alice.id).status_code == 403


# -- all open cases ---------------------------------------------------------------------------


def test_it_moves_all_open_cases(client, agency, other_agency, team_lead, alice, bob, charlie):
    open_cases = [
        make_candidate(agency, alice, status=status)
        for status in (CandidateStatus.draft, CandidateStatus.active, CandidateStatus.paused)
    ]
    closed = make_candidate(agency, alice, status=CandidateStatus.closed)
    elsewhere = make_candidate(other_agency, charlie)
    login(client, team_lead.email)
    response = reassign(client, alice.id, bob.id)
    assert response.status_code == 200
    assert "3 offene Fälle wurden übertragen." in response.text
    for case in open_cases:
        assert candidate_row(case.id)["case_manager"] == bob.id
        [event] = events(case.id, "candidate.assign")
        assert event["detail"] == {"from": str(alice.id), "to": str(bob.id)}
    assert candidate_row(closed.id)["case_manager"] == alice.id
    assert candidate_row(elsewhere.id)["case_manager"] == charlie.id
    assert events(closed.id) == []


def test_it_moves_the_cases_of_someone_who_left(client, agency, team_lead, bob):
    gone = make_user(agency, Role.case_manager, active=False, name="Gerd Gegangen")
    case = make_candidate(agency, gone)
    login(client, team_lead.email)
    assert "Gerd Gegangen (deaktiviert)" in client.get("/candidates").text
    assert "1 offener Fall wurde übertragen." in reassign(client, gone.id, bob.id).text
    assert candidate_row(case.id)["case_manager"] == bob.id


@pytest.mark.parametrize("pair", ["same", "to charlie", "from charlie", "to inactive", "empty"])
def test_it_refuses_a_wrong_pair_and_changes_nothing(
    client, agency, team_lead, alice, bob, charlie, candidate, pair
):
    inactive = make_user(agency, Role.case_manager, active=False)
    source, target = {
        "same": (alice.id, alice.id),
        "to charlie": (alice.id, charlie.id),
        "from charlie": (charlie.id, bob.id),
        "to inactive": (alice.id, inactive.id),
        "empty": ("", ""),
    }[pair]
    login(client, team_lead.email)
    response = reassign(client, source, target)
    assert response.status_code == 200
    assert "Es wurde nichts geändert." in response.text
    assert "kern-alert--danger" in response.text
    assert candidate_row(candidate.id)["case_manager"] == alice.id
    assert events(candidate.id) == []


def test_it_lets_no_case_manager_move_cases(client, agency, alice, bob, candidate):
    share_caseload(agency)
    login(client, alice.email)
    assert reassign(client, alice.id, bob.id).status_code == 403
    assert candidate_row(candidate.id)["case_manager"] == alice.id
    assert "Funktionen der Teamleitung" not in client.get("/candidates").text


def test_it_lets_no_operator_move_cases(client, operator, alice, bob, candidate):
    login(client, operator.email)
    assert reassign(client, alice.id, bob.id).status_code == 403
