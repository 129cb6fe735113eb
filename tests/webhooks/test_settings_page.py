"""The webhook settings: register (secret shown once), the delivery log and "send again",
pause and resume, removal; strangers refused."""

from __future__ import annotations

import re

import pytest

from portal.audit.tables import AuditEvent
from portal.clock import now
from portal.settings import Settings, SettingsError
from portal.webhooks.subscriptions import write_deliveries
from portal.webhooks.tables import HookEvent, WebhookDelivery, WebhookEndpoint
from tests.conftest import run
from tests.factories import login, post_form
from tests.webhooks.factories import make_endpoint

SECRET = re.compile(r"whsec_[A-Za-z0-9_-]{43}")
ALL_EVENTS = {
    "event_nomination_received": "yes",
    "event_nomination_answered": "yes",
    "event_placement_state_changed": "yes",
    "event_slot_filled": "yes",
}


def test_it_registers_an_endpoint_and_shows_its_secret_once(client, erik):
    login(client, erik.email)
    response = post_form(
        client,
        "/settings/webhooks",
        {"url": "https://hr.example.org/portal-hooks", "event_slot_filled": "yes"},
    )
    assert response.status_code == 200
    assert response.headers["cache-control"] == "no-store"
    secret = SECRET.search(response.text).group(0)
    [row] = run(WebhookEndpoint.select())
    assert row["secret"] == secret and row["organisation"] == erik.organisation
    assert row["events"] in (["slot.filled"], '["slot.filled"]')
    listing = client.get("/settings/webhooks")
    assert "https://hr.example.org/portal-hooks" in listing.text
    assert secret not in listing.text and row["hint"] in listing.text
    # The scheme is documented on the page.
    assert "HMAC-SHA256" in listing.text
    event = run(AuditEvent.select().where(AuditEvent.action == "webhook.created").first())
    assert event["record_id"] == str(row["id"])


def test_it_refuses_plain_http_a_local_network_and_no_events(client, erik):
    login(client, erik.email)
    for url, message in (
        ("http://hr.example.org/hooks", "https://"),
        ("https://192.168.1.20/hooks", "lokalen Netzes"),
        ("https://localhost/hooks", "lokalen Netzes"),
    ):
        response = post_form(client, "/settings/webhooks", {"url": url, **ALL_EVENTS})
        assert response.status_code == 400, url
        assert message in response.text
    response = post_form(client, "/settings/webhooks", {"url": "https://hr.example.org/h"})
    assert response.status_code == 400
    assert "Bitte wählen Sie mindestens ein Ereignis." in response.text
    assert run(WebhookEndpoint.select()) == []


def test_the_delivery_log_sends_an_event_again(client, erik, employer):
    endpoint = make_endpoint(erik, "https://hr.example.org/hooks")
    run(write_deliveries(HookEvent.slot_filled, [employer.id], {"slot_id": "x"}, now()))
    [first] = run(WebhookDelivery.select())
    login(client, erik.email)
    page = client.get(f"/settings/webhooks/{endpoint.id}")
    assert page.status_code == 200 and "slot.filled" in page.text
    response = post_form(
        client, f"/settings/webhooks/{endpoint.id}/deliveries/{first['id']}/again", {}
    )
    assert response.status_code == 200
    assert "innerhalb der nächsten Minute erneut gesendet" in response.text
    rows = run(WebhookDelivery.select().order_by(WebhookDelivery.created_at))
    assert len(rows) == 2
    again = rows[1]
    assert again["event_id"] == first["event_id"] and again["body"] == first["body"]
    assert again["attempts"] == 0 and again["delivered_at"] is None


def test_it_pauses_resumes_and_removes_an_endpoint(client, erik):
    endpoint = make_endpoint(erik, "https://hr.example.org/hooks", failing_since=now())
    login(client, erik.email)
    post_form(client, f"/settings/webhooks/{endpoint.id}/pause", {})
    assert run(WebhookEndpoint.select().first())["paused_at"] is not None
    post_form(client, f"/settings/webhooks/{endpoint.id}/resume", {})
    row = run(WebhookEndpoint.select().first())
    assert row["paused_at"] is None and row["failing_since"] is None
    post_form(client, f"/settings/webhooks/{endpoint.id}/delete", {})
    assert run(WebhookEndpoint.select()) == []


def test_a_stranger_gets_404_and_a_member_403(client, erik, emma, fritz, employer):
    endpoint = make_endpoint(erik, "https://hr.example.org/hooks")
    run(write_deliveries(HookEvent.slot_filled, [employer.id], {"slot_id": "x"}, now()))
    [delivery] = run(WebhookDelivery.select())
    login(client, fritz.email)
    assert client.get(f"/settings/webhooks/{endpoint.id}").status_code == 404
    again = f"/settings/webhooks/{endpoint.id}/deliveries/{delivery['id']}/again"
    for path in (again, f"/settings/webhooks/{endpoint.id}/pause"):
        assert post_form(client, path, {}).status_code == 404
    assert post_form(client, f"/settings/webhooks/{endpoint.id}/delete", {}).status_code == 404
    assert endpoint.url not in client.get("/settings/webhooks").text
    login(client, emma.email)
    assert client.get("/settings/webhooks").status_code == 403
    assert client.get(f"/settings/webhooks/{endpoint.id}").status_code == 403
    assert len(run(WebhookDelivery.select())) == 1
    assert run(WebhookEndpoint.select().first())["paused_at"] is None


def test_production_refuses_local_http_endpoints():
    with pytest.raises(SettingsError, match="WEBHOOK_ALLOW_LOCAL_HTTP"):
        Settings(
            environment="production", secret_key="k" * 40, webhook_allow_local_http=True
        )._validate()
