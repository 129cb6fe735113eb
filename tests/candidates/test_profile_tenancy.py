"""Who may edit the profile, see the employer's view and print the summary."""

import pytest

from portal.accounts.tables import Organisation
from tests.candidates.profiles import audit_rows, candidate_row, post_profile, profile_form
from tests.conftest import run
from tests.factories import login

ROUTES = ["form", "save", "preview", "summary"]


def request(client, route, candidate_id):
    if route == "form":
        return client.get(f"/candidates/{candidate_id}/profile", follow_redirects=False)
    if route == "save":
        return post_profile(client, candidate_id, profile_form(), follow_redirects=False)
    return client.get(f"/candidates/{candidate_id}/{route}", follow_redirects=False)


def unchanged(candidate):
    return candidate_row(candidate)["german_level"] is None and audit_rows(candidate) == []


@pytest.fixture
def as_user(client):
    def log_in(user):
        login(client, user.email)
        return client

    return log_in


@pytest.mark.parametrize("route", ROUTES)
def test_it_lets_the_case_manager_in(as_user, alice, candidate, route):
    response = request(as_user(alice), route, candidate.id)
    assert response.status_code in (200, 303)
    assert candidate.code in response.text or response.status_code == 303


@pytest.mark.parametrize("route", ROUTES)
def test_it_lets_the_team_lead_in(as_user, team_lead, candidate, route):
    assert request(as_user(team_lead), route, candidate.id).status_code in (200, 303)


@pytest.mark.parametrize("route", ROUTES)
def test_it_answers_404_to_a_colleague_without_sharing(as_user, bob, candidate, route):
    response = request(as_user(bob), route, candidate.id)
    assert response.status_code == 404
    assert candidate.code not in response.text
    assert unchanged(candidate)


@pytest.mark.parametrize("route", ROUTES)
def test_it_lets_a_colleague_in_when_the_caseload_is_shared(as_user, agency, bob, candidate, route):
    run(
        Organisation.update({Organisation.caseload_shared: True}).where(
            Organisation.id == agency.id
        )
    )
    assert request(as_user(bob), route, candidate.id).status_code in (200, 303)


def test_it_saves_a_shared_colleagues_change(as_user, agency, bob, candidate):
    run(
        Organisation.update({Organisation.caseload_shared: True}).where(
            Organisation.id == agency.id
        )
    )
    assert request(as_user(bob), "save", candidate.id).status_code == 303
    assert candidate_row(candidate)["german_level"] == "B1"
    [event] = audit_rows(candidate)
    assert event["actor_id"] == bob.id


@pytest.mark.parametrize("route", ROUTES)
def test_it_answers_404_to_another_organisation(as_user, charlie, candidate, route):
    response = request(as_user(charlie), route, candidate.id)
    assert response.status_code == 404
    assert candidate.code not in response.text
    assert unchanged(candidate)


@pytest.mark.parametrize("route", ["preview", "summary"])
def test_it_shows_the_operator_the_pseudonymised_profile(as_user, operator, candidate, route):
    response = request(as_user(operator), route, candidate.id)
    assert response.status_code == 200
    assert candidate.code in response.text
    assert "Amina" not in response.text and "Haddad" not in response.text


@pytest.mark.parametrize("route", ["form", "save"])
def test_it_answers_403_to_the_operator_on_the_form(as_user, operator, candidate, route):
    assert request(as_user(operator), route, candidate.id).status_code == 403
    assert unchanged(candidate)


@pytest.mark.parametrize("route", ROUTES)
def test_it_answers_403_to_a_statistician(as_user, statistician, candidate, route):
    assert request(as_user(statistician), route, candidate.id).status_code == 403
    assert unchanged(candidate)


@pytest.mark.parametrize("route", ROUTES)
def test_it_answers_403_to_an_employer(as_user, employer_admin, candidate, route):
    assert request(as_user(employer_admin), route, candidate.id).status_code == 403
    assert unchanged(candidate)


@pytest.mark.parametrize("route", ROUTES)
def test_it_answers_404_for_a_malformed_or_unknown_id(as_user, alice, route):
    client = as_user(alice)
    assert request(client, route, "not-a-uuid").status_code == 404
    assert request(client, route, "00000000-0000-0000-0000-000000000000").status_code == 404


@pytest.mark.parametrize("route", ["form", "preview", "summary"])
def test_it_sends_an_anonymous_visitor_to_the_login(client, candidate, route):
    response = request(client, route, candidate.id)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=")


def test_it_refuses_an_anonymous_change(client, candidate):
    assert request(client, "save", candidate.id).status_code == 403
    assert unchanged(candidate)
