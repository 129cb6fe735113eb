from http.cookies import SimpleCookie

import pytest

from portal.accounts.tables import Role
from tests.factories import PASSWORD, csrf_token, make_org, make_user, post_form
from tests.security.stores import client_with


def _assert_headers(response):
    policy = response.headers["content-security-policy"]
    assert "default-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"]
    assert "strict-transport-security" not in response.headers


def _responses(client):
    csrf_token(client)
    return {
        "page": client.get("/login"),
        "static": client.get("/static/css/portal.css"),
        "unknown path": client.get("/gibt-es-nicht"),
        "forbidden": client.post("/login", data={"email": "a@example.org", "password": "x"}),
        "health": client.get("/healthz"),
        "redirect": client.get("/account", follow_redirects=False),
    }


@pytest.mark.parametrize(
    ("kind", "status"),
    [
        ("page", 200),
        ("static", 200),
        ("unknown path", 404),
        ("forbidden", 403),
        ("health", 200),
        ("redirect", 303),
    ],
)
def test_it_sets_the_security_headers_on_every_kind_of_response(client, kind, status):
    response = _responses(client)[kind]
    assert response.status_code == status
    _assert_headers(response)


def test_it_sends_hsts_only_when_the_portal_runs_on_https(settings):
    with client_with(settings, base_url="https://portal.example.org") as client:
        for response in _responses(client).values():
            assert response.headers["strict-transport-security"].startswith("max-age=")


def _cookie(response, name):
    for header in response.headers.get_list("set-cookie"):
        cookie = SimpleCookie()
        cookie.load(header)
        if name in cookie:
            return cookie[name], header.lower()
    raise AssertionError(f"no {name} cookie in {response.headers.get_list('set-cookie')}")


def test_it_protects_the_session_and_csrf_cookies(client):
    user = make_user(make_org(), Role.employer_member)
    _csrf, csrf_header = _cookie(client.get("/login"), "portal_csrf")
    assert "httponly" in csrf_header
    response = post_form(
        client, "/login", {"email": user.email, "password": PASSWORD}, follow_redirects=False
    )
    session, _header = _cookie(response, "portal_session")
    assert session["httponly"]
    assert session["samesite"].lower() == "lax"
    assert not session["secure"]


def test_it_marks_the_cookies_secure_when_configured(settings):
    with client_with(settings, cookie_secure=True) as client:
        user = make_user(make_org(), Role.employer_member)
        _csrf, csrf_header = _cookie(client.get("/login"), "portal_csrf")
        assert "secure" in csrf_header
        # The test client speaks http: send the CSRF token by hand, as the browser would.
        token = _csrf.value
        response = client.post(
            "/login",
            data={"email": user.email, "password": PASSWORD, "_csrf_token": token},
            headers={"cookie": f"portal_csrf={token}"},
            follow_redirects=False,
        )
        session, _header = _cookie(response, "portal_session")
        assert session["secure"]
        assert session["httponly"]
