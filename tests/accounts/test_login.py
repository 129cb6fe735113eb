from portal.accounts.tables import OrgKind, OrgStatus, Role, User
from tests.conftest import run
from tests.factories import (
    PASSWORD,
    csrf_token,
    login,
    make_org,
    make_user,
    post_form,
    use_session_cookie,
)


def test_it_logs_in_and_shows_the_overview(client):
    user = make_user(make_org(OrgKind.employer), Role.employer_admin, name="Erika Muster")
    response = login(client, user.email, landing=True)
    assert "Willkommen, Erika Muster" in response.text
    assert run(User.select(User.last_login).where(User.id == user.id).first())["last_login"]


def test_it_accepts_the_email_in_any_case(client):
    user = make_user(make_org(), Role.employer_member, email="mixed@example.org")
    login(client, "MiXeD@Example.org")
    assert client.get("/account").status_code == 200
    assert user.email in client.get("/account").text


def test_it_refuses_a_wrong_password_without_saying_which_part_is_wrong(client):
    user = make_user(make_org(), Role.employer_member)
    response = post_form(client, "/login", {"email": user.email, "password": "wrong-password-1"})
    assert response.status_code == 400
    assert "E-Mail-Adresse oder Passwort ist nicht korrekt." in response.text
    unknown = post_form(client, "/login", {"email": "nobody@example.org", "password": PASSWORD})
    assert "E-Mail-Adresse oder Passwort ist nicht korrekt." in unknown.text
    assert "portal_session" not in client.cookies


def test_it_renews_the_session_id_at_login(client):
    user = make_user(make_org(), Role.employer_member)
    login(client, user.email)
    first = client.cookies["portal_session"]
    login(client, user.email)
    second = client.cookies["portal_session"]
    assert first != second
    # The old id no longer opens a session.
    use_session_cookie(client, first)
    assert client.get("/account", follow_redirects=False).status_code == 303


def test_it_ends_the_session_on_logout(client):
    user = make_user(make_org(), Role.employer_member)
    login(client, user.email)
    session_id = client.cookies["portal_session"]
    response = post_form(client, "/logout", {})
    assert "abgemeldet" in response.text
    use_session_cookie(client, session_id)
    assert client.get("/account", follow_redirects=False).status_code == 303


def test_it_refuses_a_user_of_a_suspended_organisation(client):
    user = make_user(make_org(status=OrgStatus.suspended), Role.employer_member)
    response = post_form(client, "/login", {"email": user.email, "password": PASSWORD})
    assert response.status_code == 400
    assert "portal_session" not in client.cookies


def test_it_refuses_a_login_without_csrf_token(client):
    user = make_user(make_org(), Role.employer_member)
    csrf_token(client)
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 403
    assert "portal_session" not in client.cookies
