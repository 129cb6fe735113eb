import pytest
from litestar.testing import TestClient

from portal.accounts.tables import Role, User
from tests.conftest import run
from tests.factories import PASSWORD, login, make_org, make_user, post_form

NEW_PASSWORD = "Schraubstock-Lehre-77"


def _change(client, current=PASSWORD, new=NEW_PASSWORD, again=None):
    data = {"current_password": current, "new_password": new, "new_password_again": again or new}
    return post_form(client, "/account/password", data, follow_redirects=False)


def _hash(user):
    return run(User.select(User.password_hash).where(User.id == user.id).first())["password_hash"]


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"current": "falsches-Passwort-1"}, "Das aktuelle Passwort ist nicht korrekt."),
        ({"new": "kurz-1"}, "Verwenden Sie mindestens 12 Zeichen."),
        ({"new": "Passwort2024!"}, "Dieses Passwort ist zu verbreitet."),
        (
            {"new": "werner.werk-Schraube-7"},
            "Das Passwort darf Ihre E-Mail-Adresse nicht enthalten.",
        ),
        ({"again": "Schraubstock-Lehre-78"}, "Die beiden Passwörter stimmen nicht überein."),
    ],
)
def test_it_refuses_a_bad_change_with_a_message(client, fields, message):
    user = make_user(make_org(), Role.employer_member, email="werner.werk@example.org")
    login(client, user.email)
    before = _hash(user)
    response = _change(client, **fields)
    assert response.status_code == 400
    assert message in response.text
    assert 'aria-invalid="true"' in response.text
    assert _hash(user) == before


def test_it_changes_the_password_and_ends_the_other_sessions(app, client):
    user = make_user(make_org(), Role.employer_member)
    with TestClient(app, base_url="http://testserver.local") as other:
        login(other, user.email)
        login(client, user.email)
        response = _change(client)
        assert response.status_code == 303
        assert response.headers["location"] == "/account"
        # The other browser is logged out; this one goes on.
        assert other.get("/account", follow_redirects=False).status_code == 303
        page = client.get("/account")
        assert page.status_code == 200
        assert "Ihr Passwort wurde geändert." in page.text
    client.cookies.clear()
    assert (
        post_form(client, "/login", {"email": user.email, "password": PASSWORD}).status_code == 400
    )
    login(client, user.email, NEW_PASSWORD)


def test_it_gives_the_current_session_a_new_id(client):
    user = make_user(make_org(), Role.employer_member)
    login(client, user.email)
    before = client.cookies["portal_session"]
    _change(client)
    assert client.cookies["portal_session"] != before


def test_it_sends_an_anonymous_visitor_away(client):
    response = _change(client)
    assert response.status_code == 403
