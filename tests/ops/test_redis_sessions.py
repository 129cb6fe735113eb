"""Sessions and login throttling in Redis, shared by several app processes."""

from __future__ import annotations

from typing import Any

import pytest
import redis
from litestar import Litestar
from litestar.testing import TestClient

from portal.accounts.tables import OrgKind, Role
from portal.app import create_app
from tests.factories import login, make_org, make_user, post_form

NAMESPACE = "portal"  # the store namespace portal/app.py uses


def own_keys(connection: redis.Redis) -> set[bytes]:
    # Nested namespaces are joined with "_" (portal_sessions:…), as RedisStore.delete_all does.
    return set(connection.scan_iter(match=f"{NAMESPACE}*:*"))


@pytest.fixture
def redis_settings(settings: Any, redis_url: str) -> Any:
    """The test's settings with Redis (a database of the worker's own, tests/conftest.py)."""
    return settings.replace(redis_url=redis_url)


def client_of(app: Litestar) -> TestClient:
    return TestClient(app, base_url="http://testserver.local")


# Apps are built before the users: create_app binds the tables to the test's database.


def test_it_shares_a_login_between_two_app_processes(redis_settings):
    one, two = create_app(redis_settings), create_app(redis_settings)
    user = make_user(make_org(OrgKind.employer), Role.employer_admin)
    with client_of(one) as first, client_of(two) as second:
        login(first, user.email)
        second.cookies.set("portal_session", first.cookies["portal_session"])
        response = second.get("/account", follow_redirects=False)
        assert response.status_code == 200
        assert user.email in response.text
        # Logging out through the second ends the session for the first as well.
        post_form(second, "/logout", {})
        assert first.get("/account", follow_redirects=False).status_code == 303


def test_it_keeps_the_session_in_redis_not_on_disk(redis_settings):
    app = create_app(redis_settings)
    user = make_user(make_org(OrgKind.employer), Role.employer_member)
    connection = redis.Redis.from_url(redis_settings.redis_url)
    before = own_keys(connection)
    with client_of(app) as client:
        login(client, user.email)
    added = own_keys(connection) - before
    assert any(key.startswith(b"portal_sessions:") for key in added), added
    assert not (redis_settings.var_dir / "sessions").exists()
    connection.close()


def test_it_throttles_logins_across_app_processes(redis_settings):
    settings = redis_settings.replace(login_throttle_account=2)
    one, two = create_app(settings), create_app(settings)
    user = make_user(make_org(OrgKind.employer), Role.employer_member)
    wrong = {"email": user.email, "password": "falsches-passwort-1"}
    with client_of(one) as first, client_of(two) as second:
        assert post_form(first, "/login", wrong).status_code == 400
        assert post_form(second, "/login", wrong).status_code == 400
        assert post_form(first, "/login", wrong).status_code == 429


def test_it_works_when_the_app_is_served_on_a_new_event_loop(redis_settings):
    # Each TestClient runs the app on an event loop of its own (STACK-NOTES trap 5), as a
    # restarted server would: no Redis connection may stay bound to the first loop.
    app = create_app(redis_settings)
    user = make_user(make_org(OrgKind.employer), Role.employer_member)
    with client_of(app) as first:
        login(first, user.email)
        cookie = first.cookies["portal_session"]
    with client_of(app) as second:
        second.cookies.set("portal_session", cookie)
        assert second.get("/account", follow_redirects=False).status_code == 200
