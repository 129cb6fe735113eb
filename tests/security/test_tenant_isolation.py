"""Object-level authorization of the team pages: who may see whose colleagues."""

import pytest

from portal.accounts.tables import OrgKind, Role, User
from tests.conftest import run
from tests.factories import login, make_org, make_user, post_form

ACTIONS = ["detail", "deactivate", "invite again"]


def _request(client, action, user_id):
    if action == "detail":
        return client.get(f"/team/{user_id}", follow_redirects=False)
    if action == "deactivate":
        return post_form(client, f"/team/{user_id}/active", {"active": "no"})
    return post_form(client, f"/team/{user_id}/invitation", {})


@pytest.fixture
def target():
    """A pending case manager of organisation B."""
    user = make_user(make_org(OrgKind.case_management, name="Träger B"), Role.case_manager)
    run(User.update({User.password_hash: ""}).where(User.id == user.id))
    return user


def _unchanged(user):
    row = run(User.select(User.is_active).where(User.id == user.id).first())
    return row["is_active"]


@pytest.mark.parametrize("action", ACTIONS)
def test_it_answers_404_to_a_team_lead_of_another_organisation(client, mailbox, target, action):
    lead = make_user(make_org(OrgKind.case_management, name="Träger A"), Role.team_lead)
    login(client, lead.email)
    response = _request(client, action, target.id)
    assert response.status_code == 404
    assert "Seite nicht gefunden" in response.text
    assert "Träger B" not in response.text
    assert _unchanged(target)
    assert mailbox.messages == []


@pytest.mark.parametrize("action", ACTIONS)
def test_it_answers_403_to_an_employer_member(client, mailbox, target, action):
    member = make_user(make_org(OrgKind.employer), Role.employer_member)
    login(client, member.email)
    assert _request(client, action, target.id).status_code == 403
    assert _unchanged(target)


@pytest.mark.parametrize("action", ACTIONS)
def test_it_answers_403_to_a_case_manager_of_the_same_organisation(client, mailbox, action):
    org = make_org(OrgKind.case_management)
    colleague = make_user(org, Role.case_manager)
    target = make_user(org, Role.case_manager)
    login(client, colleague.email)
    assert _request(client, action, target.id).status_code == 403
    assert _unchanged(target)


@pytest.mark.parametrize("action", ACTIONS)
def test_it_answers_403_to_a_statistics_viewer(client, mailbox, target, action):
    viewer = make_user(make_org(OrgKind.chamber), Role.statistics_viewer)
    login(client, viewer.email)
    assert _request(client, action, target.id).status_code == 403
    assert _unchanged(target)


def test_it_sends_an_anonymous_visitor_to_the_login(client, target):
    response = _request(client, "detail", target.id)
    assert response.status_code == 303
    assert response.headers["location"] == f"/login?next=%2Fteam%2F{target.id}"


@pytest.mark.parametrize("action", ["deactivate", "invite again"])
def test_it_refuses_an_anonymous_change(client, mailbox, target, action):
    assert _request(client, action, target.id).status_code == 403
    assert _unchanged(target)
    assert mailbox.messages == []
