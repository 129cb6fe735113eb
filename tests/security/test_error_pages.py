import re

from litestar import get
from litestar.testing import TestClient

from portal.accounts.tables import OrgKind, Role
from portal.auth import PUBLIC
from tests.factories import csrf_token, login, make_org, make_user, post_form


def test_it_shows_a_german_404_page_by_default(client):
    response = client.get("/gibt-es-nicht")
    assert response.status_code == 404
    assert '<html lang="de">' in response.text
    assert "Seite nicht gefunden" in response.text


def test_it_shows_an_english_404_page_to_an_english_browser(client):
    response = client.get("/gibt-es-nicht", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert response.status_code == 404
    assert '<html lang="en">' in response.text
    assert "Page not found" in response.text


def test_it_answers_405_for_a_wrong_method(client):
    response = client.get("/logout")
    assert response.status_code == 405
    assert "Diese Aktion ist hier nicht möglich" in response.text
    token = csrf_token(client)
    put = client.put("/login", data={"_csrf_token": token}, headers={"x-csrftoken": token})
    assert put.status_code == 405


def test_it_never_fails_on_a_malformed_form_body(client):
    token = csrf_token(client)
    bodies = [
        ("multipart/form-data; boundary=xyz", b"--xyz\r\nnonsense without end"),
        ("multipart/form-data", b"no boundary at all"),
        ("application/x-www-form-urlencoded", b"email=%ZZ%&password=\xff\xfe&&=="),
        ("application/json", b"{not json"),
    ]
    for content_type, body in bodies:
        response = client.post(
            "/login",
            content=body,
            headers={"content-type": content_type, "x-csrftoken": token},
        )
        assert response.status_code == 400, (content_type, response.status_code)
        assert "Bei uns ist ein Fehler aufgetreten" not in response.text


def _client_with_route(app, handler):
    app.register(handler)
    return TestClient(app, base_url="http://testserver.local")


def test_it_shows_a_500_page_in_german_without_details(own_app, caplog):
    @get("/test-crash", name="test_crash", opt=PUBLIC)
    async def crash() -> None:
        raise RuntimeError("secret internal detail")

    with _client_with_route(own_app, crash) as client:
        response = client.get("/test-crash")
    assert response.status_code == 500
    assert "Bei uns ist ein Fehler aufgetreten" in response.text
    assert "secret internal detail" not in response.text
    assert "unhandled error" in caplog.text


def test_it_shows_a_403_page_to_the_wrong_role(client):
    login(client, make_user(make_org(OrgKind.chamber), Role.statistics_viewer).email)
    response = client.get("/admin/organisations")
    assert response.status_code == 403
    assert "Zugriff verweigert" in response.text


def test_it_shows_a_429_page_in_english(client):
    client.headers["Accept-Language"] = "en"
    for _ in range(3):
        post_form(client, "/password/forgot", {"email": "someone@example.org"})
    response = post_form(client, "/password/forgot", {"email": "someone@example.org"})
    assert response.status_code == 429
    assert "Too many requests" in response.text


def _logout_token(html):
    form = re.search(r'action="/logout".*?name="_csrf_token" value="([^"]*)"', html, re.S)
    assert form, "no logout form"
    return form.group(1)


def test_a_404_shows_a_logged_in_user_their_navigation(client):
    operator = make_user(make_org(OrgKind.operator), Role.operator_admin)
    login(client, operator.email)
    for path in ("/gibt-es-nicht", "/admin/organisations/not-a-uuid/x/y"):
        response = client.get(path)
        assert response.status_code == 404
        assert "Seite nicht gefunden" in response.text
        assert "Abmelden" in response.text and "Organisationen" in response.text
        assert "Unternehmen registrieren" not in response.text
    # The navigation's forms carry the session's token: logging out from the 404 page works.
    token = _logout_token(client.get("/gibt-es-nicht").text)
    response = client.post("/logout", data={"_csrf_token": token}, follow_redirects=False)
    assert response.status_code == 303
    assert "Abmelden" not in client.get("/gibt-es-nicht").text


def test_a_403_shows_a_logged_in_user_their_navigation(client):
    employer = make_user(make_org(OrgKind.employer), Role.employer_admin)
    login(client, employer.email)
    response = client.get("/admin/audit")
    assert response.status_code == 403
    assert "Zugriff verweigert" in response.text
    assert "Abmelden" in response.text and "Praktikumsplätze" in response.text
    assert _logout_token(response.text)


def test_an_anonymous_404_keeps_the_anonymous_navigation(client):
    response = client.get("/gibt-es-nicht")
    assert "Anmelden" in response.text and "Abmelden" not in response.text
