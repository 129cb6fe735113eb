"""Requests Litestar alone would answer with a 500 or a 405: odd static paths, HEAD."""

from __future__ import annotations

import pytest

from portal.accounts.tables import OrgKind, Role
from tests.factories import login, make_org, make_user


@pytest.mark.parametrize(
    "path",
    [
        "/static/css/portal.css%00.js",
        "/static/css/%00",
        "/static/css/portal.css/anything",  # a path through a file
        "/static/css/" + "a" * 300 + ".css",  # a name longer than the file system allows
    ],
)
def test_it_answers_404_for_a_static_path_no_file_can_have(client, path):
    response = client.get(path)
    assert response.status_code == 404


def test_it_still_serves_a_static_file(client):
    response = client.get("/static/css/portal.css")
    assert response.status_code == 200
    assert response.content


@pytest.mark.parametrize("path", ["/", "/login", "/static/css/portal.css", "/healthz"])
def test_it_answers_head_like_get_without_a_body(client, path):
    got = client.get(path)
    head = client.head(path)
    assert head.status_code == got.status_code == 200
    assert head.content == b""
    assert head.headers["content-type"] == got.headers["content-type"]
    assert head.headers["content-length"] == got.headers["content-length"]


def test_it_answers_head_on_a_page_behind_a_login(client):
    user = make_user(make_org(OrgKind.employer), Role.employer_admin)
    login(client, user.email)
    head = client.head("/slots")
    assert head.status_code == 200
    assert head.content == b""
    assert "text/html" in head.headers["content-type"]


def test_it_sends_an_anonymous_head_to_the_login_like_get(client):
    head = client.head("/slots", follow_redirects=False)
    assert head.status_code == client.get("/slots", follow_redirects=False).status_code == 303
    assert head.content == b""


def test_it_still_refuses_head_where_there_is_no_get(client):
    assert client.head("/logout").status_code == 405


@pytest.mark.parametrize(
    "url",
    [
        "/admin/placements?q=a%00",
        "/admin/placements/list?programme=%00",
        "/admin/audit?actor=a%00b",
        "/search/slots?occupation=%00",
    ],
)
def test_a_nul_in_a_filter_is_no_500_on_either_engine(client, url):
    """PostgreSQL refuses a NUL in a query (the fuzz test found 500s in the console's filters):
    the filters leave such a value out (the audit log finds nothing for it)."""
    operator = make_user(make_org(OrgKind.operator), Role.operator_admin)
    login(client, operator.email)
    response = client.get(url)
    assert response.status_code == 200
