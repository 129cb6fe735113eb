"""Who may list, upload, download, share and delete a candidate's documents.

The pages and actions answer 403 to every role but case managers and team leads; a download
answers 404 to everyone who may not have the file (also to roles that will later download
shared copies: employers), so that a document id reveals nothing.
"""

import pytest

from portal.accounts.tables import Organisation
from portal.audit.tables import AuditEvent
from portal.candidates.tables import Document
from tests.candidates.documents import PDF, document_rows, make_document, stored_objects, upload
from tests.conftest import run
from tests.factories import login, post_form

ROUTES = ["list", "upload", "download", "share", "confirm delete", "delete"]
PAGES = [route for route in ROUTES if route != "download"]


def request(client, route, candidate_id, document_id):
    if route == "list":
        return client.get(f"/candidates/{candidate_id}/documents", follow_redirects=False)
    if route == "upload":
        return upload(client, candidate_id, PDF, "Gekapert.pdf", follow_redirects=False)
    if route == "download":
        return client.get(f"/documents/{document_id}", follow_redirects=False)
    if route == "share":
        return post_form(
            client, f"/documents/{document_id}/share", {"shareable": "yes"}, follow_redirects=False
        )
    if route == "confirm delete":
        return client.get(f"/documents/{document_id}/delete", follow_redirects=False)
    return post_form(client, f"/documents/{document_id}/delete", {}, follow_redirects=False)


@pytest.fixture
def document(app, candidate, alice):
    return make_document(app, candidate, alice)


def unchanged(settings, document):
    rows = document_rows()
    return (
        [(row["id"], row["shareable"]) for row in rows] == [(document["id"], False)]
        and stored_objects(settings) == [PDF]
        and run(AuditEvent.count().where(AuditEvent.action != "document.upload")) == 0
    )


@pytest.fixture
def as_user(client):
    def log_in(user):
        login(client, user.email)
        return client

    return log_in


@pytest.mark.parametrize("route", ROUTES)
def test_it_lets_the_case_manager_in(as_user, alice, candidate, document, route):
    response = request(as_user(alice), route, candidate.id, document["id"])
    assert response.status_code in (200, 303)


@pytest.mark.parametrize("route", ROUTES)
def test_it_lets_the_team_lead_in(as_user, team_lead, candidate, document, route):
    assert request(as_user(team_lead), route, candidate.id, document["id"]).status_code in (
        200,
        303,
    )


@pytest.mark.parametrize("route", ROUTES)
def test_it_answers_404_to_a_colleague_without_sharing(
    as_user, settings, bob, candidate, document, route
):
    response = request(as_user(bob), route, candidate.id, document["id"])
    assert response.status_code == 404
    assert candidate.code not in response.text and "Zeugnis" not in response.text
    assert unchanged(settings, document)


@pytest.mark.parametrize("route", ROUTES)
def test_it_lets_a_colleague_in_when_the_caseload_is_shared(
    as_user, agency, bob, candidate, document, route
):
    run(
        Organisation.update({Organisation.caseload_shared: True}).where(
            Organisation.id == agency.id
        )
    )
    assert request(as_user(bob), route, candidate.id, document["id"]).status_code in (200, 303)


@pytest.mark.parametrize("route", ROUTES)
def test_it_answers_404_to_another_organisation(
    as_user, settings, charlie, candidate, document, route
):
    response = request(as_user(charlie), route, candidate.id, document["id"])
    assert response.status_code == 404
    assert candidate.code not in response.text and "Zeugnis" not in response.text
    assert response.content != PDF
    assert unchanged(settings, document)


@pytest.mark.parametrize("route", PAGES)
def test_it_answers_403_to_the_operator(as_user, settings, operator, candidate, document, route):
    assert request(as_user(operator), route, candidate.id, document["id"]).status_code == 403
    assert unchanged(settings, document)


@pytest.mark.parametrize("route", PAGES)
def test_it_answers_403_to_a_statistician(
    as_user, settings, statistician, candidate, document, route
):
    assert request(as_user(statistician), route, candidate.id, document["id"]).status_code == 403
    assert unchanged(settings, document)


@pytest.mark.parametrize("route", PAGES)
def test_it_answers_403_to_an_employer(
    as_user, settings, employer_admin, candidate, document, route
):
    assert request(as_user(employer_admin), route, candidate.id, document["id"]).status_code == 403
    assert unchanged(settings, document)


def test_it_answers_404_to_the_operator_asking_for_the_file(as_user, settings, operator, document):
    assert_no_file(as_user(operator), settings, document)


def test_it_answers_404_to_a_statistician_asking_for_the_file(
    as_user, settings, statistician, document
):
    assert_no_file(as_user(statistician), settings, document)


def test_it_answers_404_to_an_employer_asking_for_the_file(
    as_user, settings, employer_admin, document
):
    assert_no_file(as_user(employer_admin), settings, document)


def assert_no_file(client, settings, document):
    response = client.get(f"/documents/{document['id']}")
    assert response.status_code == 404
    assert response.content != PDF
    assert unchanged(settings, document)


@pytest.mark.parametrize("route", ROUTES)
def test_it_answers_404_for_a_malformed_or_unknown_id(as_user, alice, route):
    client = as_user(alice)
    unknown = "00000000-0000-0000-0000-000000000000"
    assert request(client, route, "not-a-uuid", "not-a-uuid").status_code == 404
    assert request(client, route, unknown, unknown).status_code == 404


@pytest.mark.parametrize("route", ["list", "download", "confirm delete"])
def test_it_sends_an_anonymous_visitor_to_the_login(client, candidate, document, route):
    response = request(client, route, candidate.id, document["id"])
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=")


@pytest.mark.parametrize("route", ["upload", "share", "delete"])
def test_it_refuses_an_anonymous_change(client, settings, candidate, document, route):
    assert request(client, route, candidate.id, document["id"]).status_code == 403
    assert unchanged(settings, document)


def test_it_does_not_serve_a_document_without_a_candidate(as_user, app, alice, document):
    run(Document.update({Document.candidate: None}).where(Document.id == document["id"]))
    assert as_user(alice).get(f"/documents/{document['id']}").status_code == 404
