from portal.accounts.tables import Role, User
from tests.conftest import run
from tests.factories import PASSWORD, csrf_token, login, make_org, make_user

FORM_EXPIRED = "Das Formular ist abgelaufen oder wurde von einer anderen Seite gesendet."


def _invite_data():
    return {"email": "neu@example.org", "display_name": "Nora Neu", "role": "employer_member"}


def _invited():
    return run(User.exists().where(User.email == "neu@example.org"))


def test_it_refuses_a_form_without_token(client):
    user = make_user(make_org(), Role.employer_member)
    csrf_token(client)
    response = client.post("/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 403
    assert FORM_EXPIRED in response.text
    assert '<html lang="de">' in response.text
    assert "portal_session" not in client.cookies


def test_it_refuses_a_form_with_a_wrong_token(client):
    admin = make_user(make_org(), Role.employer_admin)
    login(client, admin.email)
    response = client.post("/team", data={**_invite_data(), "_csrf_token": "falsch" * 10})
    assert response.status_code == 403
    assert FORM_EXPIRED in response.text
    assert not _invited()


def test_it_refuses_a_form_without_the_cookie(client):
    admin = make_user(make_org(), Role.employer_admin)
    login(client, admin.email)
    token = csrf_token(client)
    del client.cookies["portal_csrf"]
    response = client.post("/team", data={**_invite_data(), "_csrf_token": token})
    assert response.status_code == 403
    assert not _invited()


def test_it_accepts_the_token_in_the_htmx_header(client, mailbox):
    admin = make_user(make_org(), Role.employer_admin)
    login(client, admin.email)
    headers = {"HX-Request": "true", "x-csrftoken": csrf_token(client)}
    response = client.post("/team", data=_invite_data(), headers=headers)
    assert response.status_code == 200
    assert "Nora Neu" in response.text
    assert _invited()


def test_it_refuses_a_wrong_htmx_header(client, mailbox):
    admin = make_user(make_org(), Role.employer_admin)
    login(client, admin.email)
    headers = {"HX-Request": "true", "x-csrftoken": "falsch" * 10}
    response = client.post("/team", data=_invite_data(), headers=headers)
    assert response.status_code == 403
    assert not _invited()
    assert mailbox.messages == []


def test_it_puts_the_token_on_the_body_for_htmx(client):
    admin = make_user(make_org(), Role.employer_admin)
    login(client, admin.email)
    page = client.get("/team").text
    assert f'hx-headers=\'{{"x-csrftoken": "{csrf_token(client)}"}}\'' in page


def test_it_refuses_a_cookie_and_token_pair_planted_in_a_logged_in_browser(client):
    """A valid pair from the attacker's own visit (the double submit alone would accept it)
    does not pass: a session's token is the session's own."""
    planted = csrf_token(client)  # the attacker's pair: cookie and token from an anonymous visit
    admin = make_user(make_org(), Role.employer_admin)
    login(client, admin.email)
    assert csrf_token(client) != planted  # rotated at login
    client.cookies["portal_csrf"] = planted  # planted from a sibling subdomain
    response = client.post("/team", data={**_invite_data(), "_csrf_token": planted})
    assert response.status_code == 403
    assert FORM_EXPIRED in response.text
    assert not _invited()


def test_it_gives_the_page_the_sessions_token_back_after_a_planted_cookie(client, mailbox):
    admin = make_user(make_org(), Role.employer_admin)
    login(client, admin.email)
    bound = csrf_token(client)
    for cookie in list(client.cookies.jar):
        if cookie.name == "portal_csrf":
            client.cookies.jar.clear(cookie.domain, cookie.path, cookie.name)
    client.cookies["portal_csrf"] = "x" * 128
    page = client.get("/team")
    assert bound in page.text  # the form carries the session's token
    # and the cookie is set back
    assert client.cookies.get("portal_csrf", domain="testserver.local") == bound
    response = client.post("/team", data={**_invite_data(), "_csrf_token": bound})
    assert response.status_code == 200
    assert _invited()


def test_it_refuses_the_token_of_before_the_login_after_it(client):
    user = make_user(make_org(), Role.employer_admin)
    before = csrf_token(client)
    login(client, user.email)
    response = client.post(
        "/team",
        data={**_invite_data(), "_csrf_token": before},
        headers={
            "cookie": f"portal_csrf={before}; portal_session={client.cookies['portal_session']}"
        },
    )
    assert response.status_code == 403
    assert not _invited()
