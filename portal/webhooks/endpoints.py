"""An organisation's webhook endpoints: registered by its admin, signed, paused and resumed.

The signature scheme (docs/webhooks.md, shown on the settings page): every delivery carries
`Portal-Webhook-Timestamp` (Unix seconds) and `Portal-Webhook-Signature: v1=<hex>`, the
HMAC-SHA256 with the endpoint's secret over the timestamp, a full stop and the body, byte for
byte. A receiver recomputes it, compares in constant time and refuses an old timestamp.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit
from uuid import UUID

from portal.audit.services import record
from portal.auth import CurrentUser
from portal.auth.policy import own
from portal.clock import now
from portal.forms import Errors
from portal.i18n import N_, _
from portal.webhooks.tables import HookEvent, WebhookDelivery, WebhookEndpoint

SECRET_PREFIX = "whsec_"  # noqa: S105 - a prefix, not a secret
URL_LIMIT = 500
EVENT_LABELS = {
    HookEvent.nomination_received: N_("Nomination received (a candidate proposed or requested)"),
    HookEvent.nomination_answered: N_("Nomination answered (accepted or declined)"),
    HookEvent.placement_state_changed: N_("Placement state changed"),
    HookEvent.slot_filled: N_("Slot filled (all places taken)"),
}


def field_name(event: HookEvent) -> str:
    """The form's checkbox of an event."""
    return "event_" + event.value.replace(".", "_")


def new_secret() -> str:
    return SECRET_PREFIX + secrets.token_urlsafe(32)


def sign(secret: str, timestamp: int, body: str) -> str:
    """The signature header's value for one delivery."""
    message = f"{timestamp}.{body}".encode()
    return "v1=" + hmac.new(secret.encode(), message, hashlib.sha256).hexdigest()


@dataclass(frozen=True)
class EndpointFields:
    url: str
    events: list[str]


def _is_local(host: str) -> bool:
    if host == "localhost" or host.endswith((".localhost", ".local", ".internal")):
        return True
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return not address.is_global


def check_endpoint_form(
    data: Mapping[str, Any], *, allow_local_http: bool
) -> tuple[Errors, EndpointFields | None]:
    """The form's problems field by field, or the fields. Production sends only over HTTPS to a
    public address; `allow_local_http` (WEBHOOK_ALLOW_LOCAL_HTTP, tests and development) also
    admits http://127.0.0.1."""
    errors = Errors(data)
    url = str(data.get("url") or "").strip()
    chosen = [event.value for event in HookEvent if data.get(field_name(event)) == "yes"]
    errors.require(data, "url")
    errors.max_length(data, "url", URL_LIMIT)
    if url and "url" not in errors:
        parts = urlsplit(url)
        host = parts.hostname or ""
        local_http = allow_local_http and parts.scheme == "http" and host == "127.0.0.1"
        if parts.scheme != "https" and not local_http:
            errors["url"] = _("Please enter an address that begins with https://.")
        elif not host or parts.username or parts.password:
            errors["url"] = _("Please enter a web address without user name or password.")
        elif _is_local(host) and not local_http:
            errors["url"] = _("Please enter a public address, not one of a local network.")
    if not chosen:
        errors["events"] = _("Please choose at least one event.")
    if errors:
        return errors, None
    return errors, EndpointFields(url, sorted(set(chosen)))


def _audit(user: CurrentUser, action: str, endpoint_id: UUID, address: str) -> Any:
    return record(
        action,
        record_type="webhook_endpoint",
        record_id=endpoint_id,
        actor_id=user.id,
        actor_organisation_id=user.organisation_id,
        address=address,
    )


async def create_endpoint(user: CurrentUser, fields: EndpointFields, *, address: str) -> str:
    """A new endpoint of the user's organisation; returns its secret (shown once)."""
    secret = new_secret()
    endpoint = WebhookEndpoint(
        organisation=user.organisation_id,
        created_by=user.id,
        url=fields.url,
        events=fields.events,
        secret=secret,
        hint=secret[: len(SECRET_PREFIX) + 4],
        created_at=now(),
    )
    async with WebhookEndpoint._meta.db.transaction():
        await endpoint.save()
        await _audit(user, "webhook.created", endpoint.id, address)
    return secret


def _events(value: Any) -> list[str]:
    return json.loads(value) if isinstance(value, str) else list(value or [])


async def endpoints_of(user: CurrentUser) -> list[dict[str, Any]]:
    """The organisation's endpoints, newest first (never the secret)."""
    rows = await (
        WebhookEndpoint.select(
            WebhookEndpoint.id,
            WebhookEndpoint.url,
            WebhookEndpoint.events,
            WebhookEndpoint.hint,
            WebhookEndpoint.created_at,
            WebhookEndpoint.failing_since,
            WebhookEndpoint.paused_at,
        )
        .where(own(user, WebhookEndpoint.organisation))
        .order_by(WebhookEndpoint.created_at, ascending=False)
    )
    for row in rows:
        row["events"] = _events(row["events"])
    return rows


async def endpoint_of(user: CurrentUser, endpoint_id: UUID) -> dict[str, Any] | None:
    """One endpoint of the user's organisation (None for another's: a 404)."""
    row = await (
        WebhookEndpoint.select(
            WebhookEndpoint.id,
            WebhookEndpoint.url,
            WebhookEndpoint.events,
            WebhookEndpoint.hint,
            WebhookEndpoint.failing_since,
            WebhookEndpoint.paused_at,
        )
        .where((WebhookEndpoint.id == endpoint_id) & own(user, WebhookEndpoint.organisation))
        .first()
    )
    if row is not None:
        row["events"] = _events(row["events"])
    return row


async def set_paused(user: CurrentUser, endpoint_id: UUID, paused: bool, *, address: str) -> bool:
    """Pause or resume an endpoint of the user's organisation; resuming sends what waited."""
    mine = (WebhookEndpoint.id == endpoint_id) & own(user, WebhookEndpoint.organisation)
    async with WebhookEndpoint._meta.db.transaction():
        changed = await (
            WebhookEndpoint.update(
                {WebhookEndpoint.paused_at: now()}
                if paused
                # Resumed: the three days of failure count afresh.
                else {WebhookEndpoint.paused_at: None, WebhookEndpoint.failing_since: None}
            )
            .where(mine)
            .returning(WebhookEndpoint.id)
        )
        if changed:
            await _audit(
                user, "webhook.paused" if paused else "webhook.resumed", endpoint_id, address
            )
    return bool(changed)


async def delete_endpoint(user: CurrentUser, endpoint_id: UUID, *, address: str) -> bool:
    """Remove an endpoint of the user's organisation and its delivery log."""
    mine = (WebhookEndpoint.id == endpoint_id) & own(user, WebhookEndpoint.organisation)
    async with WebhookEndpoint._meta.db.transaction():
        deleted = await WebhookEndpoint.delete().where(mine).returning(WebhookEndpoint.id)
        if deleted:
            await _audit(user, "webhook.deleted", endpoint_id, address)
    return bool(deleted)


async def deliveries_of(endpoint_id: UUID, *, limit: int = 50) -> list[dict[str, Any]]:
    """The endpoint's latest deliveries (the caller has checked the endpoint is the user's)."""
    return await (
        WebhookDelivery.select(
            WebhookDelivery.id,
            WebhookDelivery.event_id,
            WebhookDelivery.event,
            WebhookDelivery.created_at,
            WebhookDelivery.available_at,
            WebhookDelivery.attempts,
            WebhookDelivery.last_status,
            WebhookDelivery.last_error,
            WebhookDelivery.delivered_at,
        )
        .where(WebhookDelivery.endpoint == endpoint_id)
        .order_by(WebhookDelivery.created_at, ascending=False)
        .limit(limit)
    )


async def send_again(user: CurrentUser, endpoint_id: UUID, delivery_id: UUID) -> bool:
    """A new delivery of the same event and body, due now ("send again" in the log)."""
    row = await (
        WebhookDelivery.select(
            WebhookDelivery.event_id, WebhookDelivery.event, WebhookDelivery.body
        )
        .where(
            (WebhookDelivery.id == delivery_id)
            & (WebhookDelivery.endpoint == endpoint_id)
            & own(user, WebhookDelivery.endpoint.organisation)
        )
        .first()
    )
    if row is None:
        return False
    moment = now()
    await WebhookDelivery.insert(
        WebhookDelivery(endpoint=endpoint_id, created_at=moment, available_at=moment, **row)
    )
    return True
