"""Structured logs: JSON lines with a request id, route patterns, and no personal data."""

from __future__ import annotations

import io
import json
import logging
import re
from collections.abc import Iterator
from typing import Any

import pytest
from litestar.testing import TestClient

from portal.accounts.tables import OrgKind, Role
from portal.app import create_app
from portal.placements import links
from portal.placements.tables import LinkPurpose
from tests.conftest import run
from tests.factories import (
    PASSWORD,
    link_from,
    login,
    make_candidate,
    make_org,
    make_slot,
    make_user,
    post_form,
)
from tests.placements.conftest import consent
from tests.placements.factories import make_placement

NEW_PASSWORD = "Schraubstock-Amboss-77"


@pytest.fixture
def output() -> Iterator[io.StringIO]:
    """What the app's own log handler writes; the logging set-up is restored afterwards."""
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    # The test SMTP server (aiosmtpd) runs in this process and logs addresses at INFO: it is
    # not the portal, so it is left out of the portal's log here.
    smtp_server_log = logging.getLogger("mail.log")
    smtp_server_level = smtp_server_log.level
    smtp_server_log.setLevel(logging.WARNING)
    buffer = io.StringIO()
    yield buffer
    root.handlers[:], level = saved
    root.setLevel(level)
    smtp_server_log.setLevel(smtp_server_level)


@pytest.fixture
def json_client(output: io.StringIO, settings: Any, mailbox: Any) -> Iterator[TestClient]:
    """A client of an app that logs JSON at INFO into `output`."""
    app = create_app(settings.replace(log_format="json", log_level="INFO"))
    # configure_logging installed one handler on the root logger, writing to stderr.
    [handler] = logging.getLogger().handlers
    assert isinstance(handler, logging.StreamHandler)
    handler.setStream(output)
    with TestClient(app, base_url="http://testserver.local") as client:
        output.seek(0)
        output.truncate()  # start-up lines are not the test's business
        yield client


def log_lines(output: io.StringIO) -> list[dict[str, Any]]:
    lines = [line for line in output.getvalue().splitlines() if line.strip()]
    assert lines, "nothing was logged"
    entries = [json.loads(line) for line in lines]
    assert all(isinstance(entry, dict) for entry in entries)
    return entries


def requests(entries: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [e for e in entries if e["event"] == "request"]


def test_it_logs_one_json_object_per_line_with_a_request_id(json_client, output):
    response = json_client.get("/login")
    entries = log_lines(output)
    for entry in entries:
        assert {"time", "level", "event", "request_id"} <= set(entry)
    [entry] = requests(entries)
    assert entry["level"] == "info"
    assert entry["method"] == "GET"
    assert entry["route"] == "/login"
    assert entry["status"] == 200
    assert entry["request_id"] == response.headers["x-request-id"]
    assert re.fullmatch(r"[0-9a-f]{16}", entry["request_id"])


def test_it_logs_login_and_password_reset_without_personal_data(json_client, mailbox, output):
    user = make_user(make_org(OrgKind.employer), Role.employer_admin, email="erika.m@example.org")
    login(json_client, user.email)
    post_form(json_client, "/logout", {})
    post_form(json_client, "/password/forgot", {"email": user.email})
    path = link_from(mailbox.last_to(user.email))
    token = path.rsplit("/", 1)[1]
    assert json_client.get(path).status_code == 200
    response = post_form(
        json_client, path, {"password": NEW_PASSWORD, "password_again": NEW_PASSWORD}
    )
    assert response.status_code == 200, response.text[:300]
    entries = log_lines(output)
    routes = [(e["method"], e["route"]) for e in requests(entries)]
    assert ("POST", "/login") in routes
    assert ("POST", "/password/forgot") in routes
    assert ("GET", "/password/reset/{token}") in routes
    assert ("POST", "/password/reset/{token}") in routes
    assert any(e["event"] == "mail sent" for e in entries)
    for secret in (token, "erika", "example.org", PASSWORD, NEW_PASSWORD):
        assert secret not in output.getvalue(), secret


def test_it_reuses_a_well_formed_request_id(json_client, output):
    response = json_client.get("/login", headers={"X-Request-ID": "proxy-4711.abc_DEF"})
    assert response.headers["x-request-id"] == "proxy-4711.abc_DEF"
    [entry] = requests(log_lines(output))
    assert entry["request_id"] == "proxy-4711.abc_DEF"


@pytest.mark.parametrize(
    "incoming", ["short", "has spaces in it", "x" * 65, "<script>alert(1)</script>"]
)
def test_it_replaces_a_malformed_request_id(json_client, output, incoming):
    response = json_client.get("/login", headers={"X-Request-ID": incoming})
    assert re.fullmatch(r"[0-9a-f]{16}", response.headers["x-request-id"])
    [entry] = requests(log_lines(output))
    assert entry["request_id"] == response.headers["x-request-id"]


def test_it_gives_every_request_its_own_id(json_client):
    first = json_client.get("/healthz").headers["x-request-id"]
    second = json_client.get("/healthz").headers["x-request-id"]
    assert first != second


def test_it_logs_the_answer_by_link_without_its_secret(json_client, output):
    agency = make_org(OrgKind.case_management)
    alice = make_user(agency, Role.case_manager)
    employer = make_org(OrgKind.employer)
    erik = make_user(employer, Role.employer_admin)
    candidate = make_candidate(agency, alice, occupations=("24412",), status="active")
    consent(candidate)
    placement = make_placement("proposed", slot=make_slot(employer), candidate=candidate,
                               case_worker=alice, employer_user=erik)  # fmt: skip
    token = run(links.issue(placement, LinkPurpose.answer))
    assert token
    assert json_client.get(f"/answer/{token}").status_code == 200
    assert post_form(json_client, f"/answer/{token}/accept", {}).status_code == 200
    routes = [(e["method"], e["route"]) for e in requests(log_lines(output))]
    assert ("GET", "/answer/{token}") in routes
    assert ("POST", "/answer/{token}/{decision}") in routes
    assert token not in output.getvalue()
