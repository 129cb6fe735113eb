import uuid

from portal.accounts.tables import OrgKind, Role, User
from tests.conftest import run
from tests.factories import login, make_org, make_user


def test_it_shows_a_colleague(client):
    org = make_org(OrgKind.case_management)
    lead = make_user(org, Role.team_lead)
    colleague = make_user(org, Role.case_manager, name="Carla Case", email="carla@example.org")
    login(client, lead.email)
    response = client.get(f"/team/{colleague.id}")
    assert response.status_code == 200
    assert "Carla Case" in response.text
    assert "carla@example.org" in response.text
    assert "Fallmanager/in" in response.text
    assert "Deaktivieren" in response.text
    assert "Einladung erneut senden" not in response.text


def test_it_offers_to_send_a_pending_invitation_again(client):
    org = make_org()
    admin = make_user(org, Role.employer_admin)
    pending = make_user(org, Role.employer_member)
    run(User.update({User.password_hash: ""}).where(User.id == pending.id))
    login(client, admin.email)
    response = client.get(f"/team/{pending.id}")
    assert "Einladung ausstehend" in response.text
    assert "Einladung erneut senden" in response.text


def test_it_offers_no_deactivation_on_the_own_page(client):
    admin = make_user(make_org(), Role.employer_admin)
    login(client, admin.email)
    response = client.get(f"/team/{admin.id}")
    assert response.status_code == 200
    assert "Das ist Ihr eigenes Konto." in response.text
    assert 'name="active"' not in response.text


def test_it_answers_404_for_a_user_of_another_organisation(client):
    admin = make_user(make_org(), Role.employer_admin)
    stranger = make_user(make_org(), Role.employer_member, name="Fremde Person")
    login(client, admin.email)
    response = client.get(f"/team/{stranger.id}")
    assert response.status_code == 404
    assert "Fremde Person" not in response.text


def test_it_answers_404_for_a_malformed_or_unknown_id(client):
    admin = make_user(make_org(), Role.employer_admin)
    login(client, admin.email)
    assert client.get("/team/not-a-uuid").status_code == 404
    assert client.get(f"/team/{uuid.uuid4()}").status_code == 404


def test_it_refuses_a_colleague_without_admin_role(client):
    org = make_org()
    member = make_user(org, Role.employer_member)
    other = make_user(org, Role.employer_member)
    login(client, member.email)
    assert client.get(f"/team/{other.id}").status_code == 403


def test_it_sends_an_anonymous_visitor_to_the_login(client):
    user = make_user(make_org(), Role.employer_member)
    response = client.get(f"/team/{user.id}", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"/login?next=%2Fteam%2F{user.id}"
