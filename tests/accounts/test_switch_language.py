import datetime as dt

from litestar.testing import TestClient

from portal.accounts.tables import Role, User
from tests.conftest import run
from tests.factories import login, make_org, make_user, post_form


def _switch(client, language, next="/login"):
    return post_form(
        client, "/language", {"language": language, "next": next}, follow_redirects=False
    )


def test_it_switches_an_anonymous_visitor_with_a_cookie(client):
    assert '<html lang="de">' in client.get("/login").text
    response = _switch(client, "en")
    assert response.status_code == 303
    assert response.headers["location"] == "/login"
    assert client.cookies["portal_lang"] == "en"
    page = client.get("/login")
    assert '<html lang="en">' in page.text
    assert "Forgot your password?" in page.text
    _switch(client, "de")
    assert "Passwort vergessen?" in client.get("/login").text


def test_it_stores_the_choice_of_a_logged_in_user(app, client):
    user = make_user(make_org(), Role.employer_admin, name="Erika Muster")
    login(client, user.email)
    _switch(client, "en", next="/")
    assert run(User.select(User.language).where(User.id == user.id).first())["language"] == "en"
    # Another browser, without the cookie: the next login shows English.
    with TestClient(app, base_url="http://testserver.local") as other:
        page = login(other, user.email, landing=True)
        assert '<html lang="en">' in page.text
        assert "Welcome, Erika Muster" in page.text


def test_it_formats_dates_for_the_language(client):
    org = make_org()
    admin = make_user(org, Role.employer_admin)
    member = make_user(org, Role.employer_member)
    moment = dt.datetime(2026, 3, 5, 13, 7, tzinfo=dt.UTC)
    run(User.update({User.last_login: moment}).where(User.id == member.id))
    login(client, admin.email)
    assert "05.03.2026, 14:07" in client.get("/team").text
    _switch(client, "en", next="/team")
    page = client.get("/team")
    assert "Mar 5, 2026, 2:07" in page.text
    assert "05.03.2026" not in page.text


def test_it_ignores_an_unknown_language(client):
    response = _switch(client, "xx")
    assert response.status_code == 303
    assert "portal_lang" not in client.cookies or client.cookies["portal_lang"] != "xx"
    assert '<html lang="de">' in client.get("/login").text


def test_it_never_redirects_to_another_site(client):
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        response = _switch(client, "en", next=target)
        assert response.headers["location"] == "/"
