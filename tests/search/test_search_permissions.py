"""Who may search slots and read an offer: case management and operators of approved
organisations; employers, chambers and authorities are refused, anonymous users sent to log in."""

import pytest

from portal.accounts.tables import OrgKind, OrgStatus, Role
from tests.factories import login, make_org, make_slot, make_user

ALLOWED = [
    (OrgKind.case_management, Role.case_manager),
    (OrgKind.case_management, Role.team_lead),
    (OrgKind.operator, Role.operator_admin),
]
REFUSED = [
    (OrgKind.employer, Role.employer_admin),
    (OrgKind.employer, Role.employer_member),
    (OrgKind.chamber, Role.statistics_viewer),
    (OrgKind.authority, Role.statistics_viewer),
]


@pytest.fixture
def urls(employer):
    slot = make_slot(employer, title="Praktikum Schweißen")
    return ["/search/slots", f"/offers/{slot.id}"]


@pytest.mark.parametrize(("kind", "role"), ALLOWED)
def test_it_lets_case_management_and_operators_search_and_read(client, urls, kind, role):
    login(client, make_user(make_org(kind), role).email)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert "Praktikum Schweißen" in response.text


@pytest.mark.parametrize(("kind", "role"), REFUSED)
def test_it_refuses_employers_chambers_and_authorities(client, urls, kind, role):
    login(client, make_user(make_org(kind), role).email)
    for url in urls:
        response = client.get(url)
        assert response.status_code == 403, url
        assert "Praktikum Schweißen" not in response.text


def test_it_refuses_the_employer_whose_slot_it_is(client, employer, urls):
    # Employers see their own slots on their dashboard, never through the case managers' search.
    login(client, make_user(employer, Role.employer_admin).email)
    assert [client.get(url).status_code for url in urls] == [403, 403]


def test_it_refuses_a_case_manager_of_an_organisation_not_yet_approved(client, urls):
    org = make_org(OrgKind.case_management, status=OrgStatus.pending)
    login(client, make_user(org, Role.case_manager).email)
    assert [client.get(url).status_code for url in urls] == [403, 403]


def test_it_sends_anonymous_users_to_the_login_and_back(client, urls):
    for url in urls:
        response = client.get(url + "?x=1", follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"].startswith("/login?next=")
        assert "%2F" in response.headers["location"]


def test_it_tells_htmx_to_go_to_the_login(client):
    response = client.get("/search/slots", headers={"HX-Request": "true"})
    assert response.status_code == 401
    assert response.headers["HX-Redirect"].startswith("/login?next=")


def test_it_shows_no_search_link_to_employers(client, employer):
    login(client, make_user(employer, Role.employer_admin).email)
    assert 'href="/search/slots"' not in client.get("/").text
