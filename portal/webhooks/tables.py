"""Webhooks: an organisation's endpoints and the deliveries waiting for the worker."""

from __future__ import annotations

import enum

from piccolo.columns import (
    JSON,
    UUID,
    ForeignKey,
    Integer,
    OnDelete,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from portal.accounts.tables import Organisation, User


class HookEvent(enum.StrEnum):
    nomination_received = "nomination.received"
    nomination_answered = "nomination.answered"
    placement_state_changed = "placement.state_changed"
    slot_filled = "slot.filled"


class WebhookEndpoint(Table):
    """An HTTPS address of an organisation's system, told of the events it subscribed to.

    `secret` signs every delivery (HMAC-SHA256): the portal must present it, so it is kept
    (unlike an API token's, which is only compared) and shown to the admin once. `failing_since`
    is the first failure after the last success; three days of it pause the endpoint."""

    id = UUID(primary_key=True)
    organisation = ForeignKey(references=Organisation, on_delete=OnDelete.cascade, index=True)
    created_by = ForeignKey(references=User, on_delete=OnDelete.restrict)
    url = Varchar(length=500)
    # The HookEvent values subscribed to.
    events = JSON(default="[]")
    secret = Varchar(length=80)
    hint = Varchar(length=16)
    created_at = Timestamptz(default=TimestamptzNow())
    failing_since = Timestamptz(null=True, default=None)
    paused_at = Timestamptz(null=True, default=None)


class WebhookDelivery(Table):
    """One event for one endpoint: the webhooks' outbox, written in the transaction of the
    change it tells about and sent by the worker (portal/webhooks/delivery.py) with the same
    lease and backoff as the e-mails. `body` is the exact JSON that is signed and sent; it holds
    codes and ids, never an identity. `event_id` is the same for a delivery sent again, so that
    a receiver can drop the duplicate."""

    id = UUID(primary_key=True)
    endpoint = ForeignKey(references=WebhookEndpoint, on_delete=OnDelete.cascade, index=True)
    event_id = UUID()
    event = Varchar(length=40)
    body = Text()
    created_at = Timestamptz(default=TimestamptzNow(), index=True)
    available_at = Timestamptz(default=TimestamptzNow(), index=True)
    claimed_until = Timestamptz(null=True, default=None)
    attempts = Integer(default=0)
    # The receiver's HTTP status of the last attempt (0: no answer) and the error's type.
    last_status = Integer(default=0)
    last_error = Varchar(length=200, default="")
    delivered_at = Timestamptz(null=True, default=None, index=True)
