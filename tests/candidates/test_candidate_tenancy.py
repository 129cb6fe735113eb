"""Every caseload and identity route against every persona: right user, colleague, another
organisation (404), wrong role (403), anonymous."""

import pytest

from portal.accounts.tables import OrgKind, Role
from portal.candidates.tables import Candidate, CandidateIdentity
from tests.candidates.caseload import events, identity_form
from tests.conftest import run
from tests.factories import login, make_org, make_user, post_form

# route → (method, path with {id}, form)
ROUTES = {
    "overview": ("get", "/candidates/{id}", None),
    "status": ("post", "/candidates/{id}/status", {"action": "close"}),
    "assign": ("post", "/candidates/{id}/assign", {"case_manager": "{user}"}),
    "identity": ("get", "/candidates/{id}/identity", None),
    "identity access": ("post", "/candidates/{id}/identity/access", {"reason": "Vertretung"}),
    "identity form": ("get", "/candidates/{id}/identity/edit", None),
    "identity edit": ("post", "/candidates/{id}/identity/edit", identity_form(family_name="X")),
}


def call(client, route, candidate, user):
    method, path, form = ROUTES[route]
    url = path.format(id=candidate.id)
    if method == "get":
        return client.get(url, follow_redirects=False)
    data = {key: value.replace("{user}", str(user.id)) for key, value in form.items()}
    return post_form(client, url, data, follow_redirects=False)


def sealed(candidate):
    return run(
        CandidateIdentity.select().where(CandidateIdentity.candidate == candidate.id).first()
    )


@pytest.fixture
def case(candidate):
    """Alice's case, and its stored identity as it was before the request."""
    return candidate, sealed(candidate)


def untouched(case, alice):
    candidate, identity = case
    row = run(Candidate.select().where(Candidate.id == candidate.id).first())
    return (
        row["status"] == "draft"
        and row["case_manager"] == alice.id
        and sealed(candidate) == identity
        and events(candidate.id) == []
    )


@pytest.mark.parametrize("route", ROUTES)
def test_it_answers_404_to_another_organisation(client, charlie, alice, case, route):
    login(client, charlie.email)
    response = call(client, route, case[0], charlie)
    assert response.status_code == 404
    assert case[0].code not in response.text and "Amina" not in response.text
    assert untouched(case, alice)


@pytest.mark.parametrize("route", ROUTES)
def test_it_answers_404_to_a_colleague_without_sharing(client, bob, alice, case, route):
    login(client, bob.email)
    assert call(client, route, case[0], bob).status_code == 404
    assert untouched(case, alice)


@pytest.mark.parametrize("route", [name for name in ROUTES if name != "overview"])
def test_it_answers_403_to_the_operator_except_on_the_overview(
    client, operator, alice, case, route
):
    login(client, operator.email)
    assert call(client, route, case[0], alice).status_code == 403
    assert untouched(case, alice)


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize(
    ("kind", "role"),
    [
        (OrgKind.employer, Role.employer_admin),
        (OrgKind.employer, Role.employer_member),
        (OrgKind.chamber, Role.statistics_viewer),
        (OrgKind.authority, Role.statistics_viewer),
    ],
)
def test_it_answers_403_to_other_roles(client, alice, case, route, kind, role):
    user = make_user(make_org(kind), role)
    login(client, user.email)
    assert call(client, route, case[0], alice).status_code == 403
    assert untouched(case, alice)


@pytest.mark.parametrize("route", ROUTES)
def test_it_keeps_anonymous_visitors_out(client, alice, case, route):
    response = call(client, route, case[0], alice)
    if ROUTES[route][0] == "get":
        assert response.status_code == 303
        assert response.headers["location"].startswith("/login?next=")
    else:
        assert response.status_code == 403
    assert untouched(case, alice)


@pytest.mark.parametrize("route", ROUTES)
def test_it_answers_404_for_a_malformed_id(client, alice, route):
    login(client, alice.email)
    method, path, _form = ROUTES[route]
    url = path.format(id="not-a-uuid")
    response = client.get(url) if method == "get" else post_form(client, url, {})
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("kind", "role"),
    [(OrgKind.case_management, Role.case_manager), (OrgKind.case_management, Role.team_lead)],
)
def test_a_pending_organisation_sees_nothing(client, candidate, kind, role):
    from portal.accounts.tables import OrgStatus

    user = make_user(make_org(kind, status=OrgStatus.pending), role)
    login(client, user.email)
    assert client.get("/candidates").status_code == 403
    assert client.get(f"/candidates/{candidate.id}").status_code == 403
