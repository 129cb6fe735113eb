import datetime as dt

from portal.accounts.tables import Role, Token, TokenKind, User
from portal.clock import now
from tests.conftest import run
from tests.factories import link_from, login, make_org, make_user, post_form

NEW_PASSWORD = "Schraubstock-Lehre-77"


def _invitation_link(client, mailbox, email="neu@example.org"):
    """An org admin invites a colleague through the team page; the visitor then is anonymous."""
    admin = make_user(make_org(name="Metallbau Kruse"), Role.employer_admin, name="Anna Admin")
    login(client, admin.email)
    data = {"email": email, "display_name": "Nora", "role": "employer_member"}
    assert post_form(client, "/team", data).status_code == 200
    client.cookies.clear()
    return link_from(mailbox.last_to(email))


def _accept(client, link, **fields):
    data = {"display_name": "Nora Neu", "password": NEW_PASSWORD, "password_again": NEW_PASSWORD}
    return post_form(client, link, {**data, **fields}, follow_redirects=False)


def _user(email="neu@example.org"):
    return run(User.select().where(User.email == email).first())


def test_it_shows_the_form_to_the_invited_person(client, mailbox):
    link = _invitation_link(client, mailbox)
    response = client.get(link)
    assert response.status_code == 200
    assert "Metallbau Kruse" in response.text
    assert 'value="Nora"' in response.text


def test_it_sets_name_and_password_and_logs_in(client, mailbox):
    link = _invitation_link(client, mailbox)
    response = _accept(client, link)
    assert response.status_code == 303
    assert response.headers["location"] == "/"
    home = client.get("/")
    assert "Willkommen, Nora Neu" in home.text
    assert "Willkommen! Ihr Konto ist eingerichtet." in home.text
    user = _user()
    assert user["display_name"] == "Nora Neu"
    assert user["email_confirmed_at"] is not None
    assert user["password_hash"].startswith("$argon2id$")
    client.cookies.clear()
    login(client, "neu@example.org", NEW_PASSWORD)


def test_it_works_only_once(client, mailbox):
    link = _invitation_link(client, mailbox)
    _accept(client, link)
    client.cookies.clear()
    second = client.get(link)
    assert second.status_code == 404
    assert "Diese Einladung ist nicht mehr gültig." in second.text
    again = _accept(
        client, link, password="Ganz-anderes-Passwort-9", password_again="Ganz-anderes-Passwort-9"
    )
    assert again.status_code == 404
    assert "portal_session" not in client.cookies
    login(client, "neu@example.org", NEW_PASSWORD)


def test_it_refuses_an_expired_link(client, mailbox):
    link = _invitation_link(client, mailbox)
    user_id = _user()["id"]
    yesterday = now() - dt.timedelta(days=1)
    run(Token.update({Token.expires_at: yesterday}).where(Token.user == user_id))
    response = client.get(link)
    assert response.status_code == 404
    assert "Diese Einladung ist nicht mehr gültig." in response.text
    assert _accept(client, link).status_code == 404
    assert _user()["password_hash"] == ""
    assert _user()["email_confirmed_at"] is None


def test_it_refuses_a_weak_password_and_keeps_the_link_valid(client, mailbox):
    link = _invitation_link(client, mailbox)
    response = _accept(client, link, password="passwort123", password_again="passwort123")
    assert response.status_code == 400
    assert "Dieses Passwort ist zu verbreitet." in response.text
    assert _user()["password_hash"] == ""
    token = run(Token.select().where(Token.kind == TokenKind.invite).first())
    assert token["used_at"] is None
    assert _accept(client, link).status_code == 303


def test_it_refuses_a_link_of_a_deactivated_user(client, mailbox):
    link = _invitation_link(client, mailbox)
    run(User.update({User.is_active: False}).where(User.email == "neu@example.org"))
    assert client.get(link).status_code == 404
    assert _accept(client, link).status_code == 404


def test_it_refuses_a_made_up_token(client):
    response = client.get("/invite/" + "x" * 43)
    assert response.status_code == 404
    assert "Diese Einladung ist nicht mehr gültig." in response.text
