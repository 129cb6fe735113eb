"""The API token settings page: create (shown once), list, revoke; strangers refused."""

import datetime as dt
import hashlib
import re

from portal.accounts.tables import OrgKind, Role
from portal.api.tables import ApiToken
from portal.audit.tables import AuditEvent
from portal.clock import today
from tests.conftest import run
from tests.factories import login, make_org, make_user, post_form

SECRET = re.compile(r"ppt_[A-Za-z0-9_-]{43}")


def _tokens(org):
    return run(ApiToken.select().where(ApiToken.organisation == org.id))


def test_it_creates_a_token_and_shows_it_once(client):
    org = make_org()
    admin = make_user(org, Role.employer_admin)
    login(client, admin.email)
    response = post_form(client, "/settings/api-tokens", {"name": "HR-System", "scope": "read"})
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    assert "nur dieses eine Mal angezeigt" in response.text
    secret = SECRET.search(response.text).group(0)
    [row] = _tokens(org)
    # Only the hash is kept, and the page never shows the secret again.
    assert row["digest"] == hashlib.sha256(secret.encode()).hexdigest()
    assert row["scope"] == "read" and row["created_by"] == admin.id
    listing = client.get("/settings/api-tokens")
    assert "HR-System" in listing.text and row["hint"] in listing.text
    assert secret not in listing.text
    event = run(AuditEvent.select().where(AuditEvent.action == "api_token.created").first())
    assert event["record_id"] == str(row["id"]) and event["actor_id"] == admin.id


def test_it_refuses_a_nameless_token_and_a_past_expiry(client):
    org = make_org(OrgKind.case_management)
    login(client, make_user(org, Role.team_lead).email)
    yesterday = (today() - dt.timedelta(days=1)).isoformat()
    response = post_form(
        client, "/settings/api-tokens", {"name": "", "scope": "admin", "expires_on": yesterday}
    )
    assert response.status_code == 400
    assert "Bitte füllen Sie dieses Feld aus." in response.text
    assert "Bitte wählen Sie eine der Möglichkeiten aus." in response.text
    assert "Bitte wählen Sie einen Tag nach heute." in response.text
    assert _tokens(org) == []


def test_it_stores_the_expiry_through_the_chosen_day(client):
    org = make_org(OrgKind.operator)
    login(client, make_user(org, Role.operator_admin).email)
    day = today() + dt.timedelta(days=30)
    post_form(
        client,
        "/settings/api-tokens",
        {"name": "Statistik", "scope": "read_write", "expires_on": day.isoformat()},
    )
    [row] = _tokens(org)
    assert row["expires_at"] > dt.datetime.combine(day, dt.time(12), tzinfo=dt.UTC)
    assert row["expires_at"] < dt.datetime.combine(day + dt.timedelta(days=2), dt.time(), dt.UTC)


def test_it_revokes_a_token(client):
    org = make_org()
    admin = make_user(org, Role.employer_admin)
    login(client, admin.email)
    post_form(client, "/settings/api-tokens", {"name": "HR-System", "scope": "read"})
    [row] = _tokens(org)
    response = post_form(client, f"/settings/api-tokens/{row['id']}/revoke", {})
    assert response.status_code == 200
    assert "Der Token wurde widerrufen." in response.text
    assert "Widerrufen" in response.text
    assert _tokens(org)[0]["revoked_at"] is not None
    assert run(AuditEvent.count().where(AuditEvent.action == "api_token.revoked")) == 1
    again = post_form(client, f"/settings/api-tokens/{row['id']}/revoke", {})
    assert again.status_code == 404


def test_it_does_not_show_or_revoke_another_organisations_token(client):
    org = make_org()
    other = make_org()
    stranger = make_user(other, Role.employer_admin)
    login(client, make_user(org, Role.employer_admin).email)
    post_form(client, "/settings/api-tokens", {"name": "Geheim", "scope": "read"})
    [row] = _tokens(org)
    client.cookies.clear()
    login(client, stranger.email)
    assert "Geheim" not in client.get("/settings/api-tokens").text
    response = post_form(client, f"/settings/api-tokens/{row['id']}/revoke", {})
    assert response.status_code == 404
    assert _tokens(org)[0]["revoked_at"] is None


def test_it_refuses_members(client):
    member = make_user(make_org(), Role.employer_member)
    login(client, member.email)
    assert client.get("/settings/api-tokens").status_code == 403
    response = post_form(client, "/settings/api-tokens", {"name": "x", "scope": "read"})
    assert response.status_code == 403
    # A chamber's statistics viewers make its (read-only) tokens: test_statistics.py.
