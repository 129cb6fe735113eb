"""Webhook endpoints and deliveries for the tests, made directly in the tables."""

from __future__ import annotations

from typing import Any

from portal.clock import now
from portal.webhooks.endpoints import new_secret
from portal.webhooks.subscriptions import write_deliveries
from portal.webhooks.tables import HookEvent, WebhookDelivery, WebhookEndpoint
from tests.conftest import run


def make_endpoint(user: Any, url: str, events: list[str] | None = None, **columns: Any) -> Any:
    """An endpoint of the user's organisation (every event unless told otherwise)."""
    secret = new_secret()
    endpoint = WebhookEndpoint(
        organisation=user.organisation,
        created_by=user.id,
        url=url,
        events=events or [event.value for event in HookEvent],
        secret=secret,
        hint=secret[:10],
        **columns,
    )
    run(endpoint.save())
    return endpoint


def webhook_records(user: Any) -> dict[str, str]:
    """An endpoint of the user's organisation and one delivery, by path parameter (the
    permission table's records of another tenant)."""
    endpoint = make_endpoint(user, "https://hr.example.org/hooks")
    run(write_deliveries(HookEvent.slot_filled, [user.organisation], {"slot_id": "x"}, now()))
    delivery = run(
        WebhookDelivery.select(WebhookDelivery.id)
        .where(WebhookDelivery.endpoint == endpoint.id)
        .first()
    )
    return {"endpoint_id": str(endpoint.id), "delivery_id": str(delivery["id"])}
