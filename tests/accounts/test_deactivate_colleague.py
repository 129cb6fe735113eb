from portal.accounts.tables import Role, User
from portal.audit.tables import AuditEvent
from tests.conftest import run
from tests.factories import login, make_org, make_user, post_form


def _active(user):
    return run(User.select(User.is_active).where(User.id == user.id).first())["is_active"]


def test_it_deactivates_a_colleague(client):
    org = make_org()
    admin = make_user(org, Role.employer_admin)
    member = make_user(org, Role.employer_member, name="Max Monteur")
    login(client, admin.email)
    response = post_form(client, f"/team/{member.id}/active", {"active": "no"})
    assert response.status_code == 200
    assert "Max Monteur wurde deaktiviert und abgemeldet." in response.text
    assert "Wieder aktivieren" in response.text
    assert not _active(member)
    event = run(AuditEvent.select().where(AuditEvent.action == "user.deactivated").first())
    assert event["record_id"] == str(member.id)
    assert event["actor_id"] == admin.id


def test_it_reactivates_a_colleague(client):
    org = make_org()
    admin = make_user(org, Role.employer_admin)
    member = make_user(org, Role.employer_member, name="Max Monteur", active=False)
    login(client, admin.email)
    response = post_form(
        client, f"/team/{member.id}/active", {"active": "yes"}, follow_redirects=False
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"/team/{member.id}"
    assert _active(member)


def test_it_does_not_let_an_admin_deactivate_themselves(client):
    admin = make_user(make_org(), Role.employer_admin)
    login(client, admin.email)
    response = post_form(client, f"/team/{admin.id}/active", {"active": "no"})
    assert response.status_code == 400
    assert "Sie können Ihr eigenes Konto nicht deaktivieren." in response.text
    assert _active(admin)
    assert client.get("/team").status_code == 200


def test_it_answers_404_for_a_user_of_another_organisation(client):
    admin = make_user(make_org(), Role.employer_admin)
    stranger = make_user(make_org(), Role.employer_member)
    login(client, admin.email)
    response = post_form(client, f"/team/{stranger.id}/active", {"active": "no"})
    assert response.status_code == 404
    assert _active(stranger)


def test_it_answers_404_for_a_malformed_id(client):
    admin = make_user(make_org(), Role.employer_admin)
    login(client, admin.email)
    assert post_form(client, "/team/12345/active", {"active": "no"}).status_code == 404


def test_it_refuses_a_colleague_without_admin_role(client):
    org = make_org()
    member = make_user(org, Role.employer_member)
    other = make_user(org, Role.employer_member)
    login(client, member.email)
    assert post_form(client, f"/team/{other.id}/active", {"active": "no"}).status_code == 403
    assert _active(other)


def test_it_refuses_an_anonymous_visitor(client):
    member = make_user(make_org(), Role.employer_member)
    response = post_form(client, f"/team/{member.id}/active", {"active": "no"})
    assert response.status_code == 403
    assert _active(member)
