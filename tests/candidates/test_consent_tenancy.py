"""Who may see the consent page, record consent and withdraw it."""

import pytest

from portal.accounts.tables import Organisation
from portal.audit.tables import AuditEvent
from tests.candidates.consents import candidate_row, consents_of, make_consent, record
from tests.conftest import run
from tests.factories import login, post_form

ROUTES = ["page", "record", "withdraw"]


def request(client, route, candidate_id):
    if route == "page":
        return client.get(f"/candidates/{candidate_id}/consent", follow_redirects=False)
    if route == "record":
        return record(client, candidate_id, text_version="Gekapert", follow_redirects=False)
    return post_form(
        client, f"/candidates/{candidate_id}/consent/withdraw", {}, follow_redirects=False
    )


@pytest.fixture
def consent(candidate, alice):
    """The consent in force: a withdrawal or a new consent would end it."""
    return make_consent(candidate, alice)


def unchanged(candidate, consent):
    [row] = consents_of(candidate)
    return (
        row["id"] == consent.id
        and row["ended_at"] is None
        and candidate_row(candidate)["status"] == "draft"
        and run(AuditEvent.count().where(AuditEvent.record_id == str(candidate.id))) == 0
    )


@pytest.fixture
def as_user(client):
    def log_in(user):
        login(client, user.email)
        return client

    return log_in


@pytest.mark.parametrize("route", ROUTES)
def test_it_lets_the_case_manager_in(as_user, alice, candidate, consent, route):
    response = request(as_user(alice), route, candidate.id)
    assert response.status_code in (200, 303)
    assert candidate.code in response.text or response.status_code == 303


@pytest.mark.parametrize("route", ROUTES)
def test_it_lets_the_team_lead_in(as_user, team_lead, candidate, consent, route):
    assert request(as_user(team_lead), route, candidate.id).status_code in (200, 303)


@pytest.mark.parametrize("route", ROUTES)
def test_it_answers_404_to_a_colleague_without_sharing(as_user, bob, candidate, consent, route):
    response = request(as_user(bob), route, candidate.id)
    assert response.status_code == 404
    assert candidate.code not in response.text
    assert unchanged(candidate, consent)


@pytest.mark.parametrize("route", ROUTES)
def test_it_lets_a_colleague_in_when_the_caseload_is_shared(
    as_user, agency, bob, candidate, consent, route
):
    run(
        Organisation.update({Organisation.caseload_shared: True}).where(
            Organisation.id == agency.id
        )
    )
    assert request(as_user(bob), route, candidate.id).status_code in (200, 303)


@pytest.mark.parametrize("route", ROUTES)
def test_it_answers_404_to_another_organisation(as_user, charlie, candidate, consent, route):
    response = request(as_user(charlie), route, candidate.id)
    assert response.status_code == 404
    assert candidate.code not in response.text
    assert unchanged(candidate, consent)


@pytest.mark.parametrize("route", ROUTES)
def test_it_answers_403_to_the_operator(as_user, operator, candidate, consent, route):
    assert request(as_user(operator), route, candidate.id).status_code == 403
    assert unchanged(candidate, consent)


@pytest.mark.parametrize("route", ROUTES)
def test_it_answers_403_to_a_statistician(as_user, statistician, candidate, consent, route):
    assert request(as_user(statistician), route, candidate.id).status_code == 403
    assert unchanged(candidate, consent)


@pytest.mark.parametrize("route", ROUTES)
def test_it_answers_403_to_an_employer(as_user, employer_admin, candidate, consent, route):
    assert request(as_user(employer_admin), route, candidate.id).status_code == 403
    assert unchanged(candidate, consent)


@pytest.mark.parametrize("route", ROUTES)
def test_it_answers_404_for_a_malformed_or_unknown_id(as_user, alice, route):
    client = as_user(alice)
    assert request(client, route, "not-a-uuid").status_code == 404
    assert request(client, route, "00000000-0000-0000-0000-000000000000").status_code == 404


def test_it_sends_an_anonymous_visitor_to_the_login(client, candidate):
    response = request(client, "page", candidate.id)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=")


@pytest.mark.parametrize("route", ["record", "withdraw"])
def test_it_refuses_an_anonymous_change(client, candidate, consent, route):
    assert request(client, route, candidate.id).status_code == 403
    assert unchanged(candidate, consent)
