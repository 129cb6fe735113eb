"""Every console route: operators only; the wrong role 403, anonymous users to the login."""

import uuid

import pytest

from portal.accounts.tables import Organisation, OrgKind, OrgStatus, Role
from tests.conftest import run
from tests.factories import csrf_token, login, make_org, make_user, post_form

GET_PAGES = [
    "/admin/organisations",
    "/admin/organisations/new",
    "/admin/organisations/{org}",
    "/admin/users",
    "/admin/texts",
]
POST_ACTIONS = [
    (
        "/admin/organisations/new",
        {"kind": "chamber", "name": "IHK", "display_name": "I", "email": "i@example.org"},
    ),
    ("/admin/organisations/{org}/approve", {}),
    ("/admin/organisations/{org}/reject", {}),
    ("/admin/users/{user}/deactivate", {}),
    ("/admin/texts", {"imprint_de": "Neu"}),
]
WRONG_ROLES = [
    (OrgKind.employer, Role.employer_admin),
    (OrgKind.employer, Role.employer_member),
    (OrgKind.case_management, Role.case_manager),
    (OrgKind.case_management, Role.team_lead),
    (OrgKind.chamber, Role.statistics_viewer),
    (OrgKind.authority, Role.statistics_viewer),
]


@pytest.fixture
def pending():
    org = make_org(OrgKind.employer, status=OrgStatus.pending, name="Wartend GmbH")
    return org, make_user(org, Role.employer_admin)


def _fill(url, pending):
    org, user = pending
    return url.format(org=org.id, user=user.id)


@pytest.mark.parametrize("url", GET_PAGES)
def test_it_shows_every_page_to_an_operator(client, operator, pending, url):
    login(client, operator.email)
    assert client.get(_fill(url, pending)).status_code == 200


@pytest.mark.parametrize("url", GET_PAGES)
@pytest.mark.parametrize(("kind", "role"), WRONG_ROLES)
def test_it_refuses_every_page_to_other_roles(client, pending, url, kind, role):
    login(client, make_user(make_org(kind), role).email)
    assert client.get(_fill(url, pending)).status_code == 403


@pytest.mark.parametrize(("url", "data"), POST_ACTIONS)
@pytest.mark.parametrize(("kind", "role"), WRONG_ROLES)
def test_it_refuses_every_action_to_other_roles(client, pending, url, data, kind, role):
    login(client, make_user(make_org(kind), role).email)
    response = post_form(client, _fill(url, pending), data, follow_redirects=False)
    assert response.status_code == 403


def test_it_refuses_an_operator_whose_organisation_is_suspended(client, operator):
    login(client, operator.email)
    run(
        Organisation.update({Organisation.status: OrgStatus.suspended}).where(
            Organisation.id == operator.organisation
        )
    )
    assert client.get("/admin/organisations", follow_redirects=False).status_code == 303


@pytest.mark.parametrize("url", GET_PAGES)
def test_it_sends_anonymous_visitors_to_the_login(client, pending, url):
    path = _fill(url, pending)
    response = client.get(path, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=%2Fadmin%2F")


@pytest.mark.parametrize(("url", "data"), POST_ACTIONS)
def test_it_refuses_anonymous_actions(client, pending, url, data):
    csrf_token(client)
    response = post_form(client, _fill(url, pending), data, follow_redirects=False)
    assert response.status_code == 403


@pytest.mark.parametrize(
    "url",
    [
        "/admin/organisations/6d1e4f0a-2b3c-4d5e-8f90-a1b2c3d4e5f6",
        "/admin/organisations/not-an-id",
        "/admin/organisations/12345",
    ],
)
def test_it_answers_404_for_an_unknown_or_malformed_organisation(client, operator, url):
    login(client, operator.email)
    assert client.get(url).status_code == 404
    assert post_form(client, f"{url}/approve", {}).status_code == 404


def test_it_answers_404_for_an_unknown_decision_or_user(client, operator, pending):
    org, user = pending
    login(client, operator.email)
    assert post_form(client, f"/admin/organisations/{org.id}/delete", {}).status_code == 404
    assert post_form(client, f"/admin/users/{uuid.uuid4()}/deactivate", {}).status_code == 404
    assert post_form(client, "/admin/users/nonsense/deactivate", {}).status_code == 404
    assert post_form(client, f"/admin/users/{user.id}/promote", {}).status_code == 404
