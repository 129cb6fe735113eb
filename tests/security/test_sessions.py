from litestar.testing import TestClient

from portal.accounts.tables import Role
from tests.factories import login, make_org, make_user, post_form
from tests.security.stores import client_with, entries, move_back


def _logged_in(client):
    return client.get("/account", follow_redirects=False).status_code == 200


def test_it_ends_a_session_after_the_idle_time(settings):
    with client_with(settings, session_idle_minutes=5) as client:
        user = make_user(make_org(), Role.employer_member)
        login(client, user.email)
        assert move_back(settings.var_dir / "sessions", 6 * 60, "seen") == 1
        response = client.get("/account", follow_redirects=False)
        assert response.status_code == 303
        assert response.headers["location"].startswith("/login?next=")


def test_it_keeps_an_active_session_alive(settings):
    with client_with(settings, session_idle_minutes=5) as client:
        user = make_user(make_org(), Role.employer_member)
        login(client, user.email)
        # Two requests four minutes apart: each renews the idle time.
        move_back(settings.var_dir / "sessions", 4 * 60, "seen")
        assert _logged_in(client)
        move_back(settings.var_dir / "sessions", 4 * 60, "seen")
        assert _logged_in(client)


def test_it_ends_a_session_after_the_absolute_time(settings):
    with client_with(settings, session_absolute_hours=1) as client:
        user = make_user(make_org(), Role.employer_member)
        login(client, user.email)
        # Active all along (the expiry in the store is fresh), but started over an hour ago.
        move_back(settings.var_dir / "sessions", 3601, "created", expiry=False)
        assert not _logged_in(client)
        assert entries(settings.var_dir / "sessions") == []


def test_it_ends_the_session_of_a_deactivated_user_at_once(app, client, settings):
    org = make_org()
    admin = make_user(org, Role.employer_admin)
    member = make_user(org, Role.employer_member)
    login(client, member.email)
    with TestClient(app, base_url="http://testserver.local") as admin_client:
        login(admin_client, admin.email)
        post_form(admin_client, f"/team/{member.id}/active", {"active": "no"})
        response = client.get("/account", follow_redirects=False)
        assert response.status_code == 303
        assert "portal_session" not in client.cookies
        # Only the admin's session is left in the store.
        assert len(entries(settings.var_dir / "sessions")) == 1


def test_it_stores_nothing_for_anonymous_visitors(client, settings):
    make_user(make_org(), Role.employer_member, email="jemand@example.org")
    for path in ("/", "/login", "/password/forgot", "/imprint", "/healthz", "/readyz"):
        client.get(path)
    client.get("/static/css/portal.css")
    client.get("/does-not-exist")
    client.get("/team", follow_redirects=False)
    post_form(client, "/login", {"email": "jemand@example.org", "password": "falsch-falsch-1"})
    post_form(client, "/password/forgot", {"email": "jemand@example.org"})
    post_form(client, "/language", {"language": "en", "next": "/"})
    assert entries(settings.var_dir / "sessions") == []
    assert "portal_session" not in client.cookies
