"""Sending the webhooks' deliveries: claimed like the e-mails of the outbox, signed, retried.

A round claims due deliveries of unpaused endpoints in one short transaction (PostgreSQL: FOR
UPDATE SKIP LOCKED, SQLite: the write lock), with a lease, so that two workers never send the
same delivery (portal/worker.py does the same for the e-mails). A delivery is sent with a POST
of its body, signed (portal/webhooks/endpoints.sign); a 2xx answer delivers it, anything else
(another status, a time-out, a refused connection) leaves it for a retry after the outbox's
backoff. There is no last attempt: an endpoint that has failed for FAILING_LIMIT (three days)
is paused instead, its organisation's admins told by e-mail, and what waits goes out once an
admin resumes it.

Redirects are not followed (the registered address is the one that is trusted), and the
receiver's answer is not read beyond its status. Logs carry the delivery's id, the event type,
the attempt and the status or error type — never the body or the address.
"""

from __future__ import annotations

import datetime as dt
import logging
import urllib.error
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import anyio
from piccolo.engine.sqlite import SQLiteEngine

from portal import clock
from portal.accounts.tables import Role
from portal.db import writing
from portal.notifications.outbox import (
    LEASE,
    Mail,
    backoff,
    enqueue,
    organisation_recipients,
)
from portal.webhooks.endpoints import sign
from portal.webhooks.tables import WebhookDelivery, WebhookEndpoint

log = logging.getLogger("portal.webhooks")

FAILING_LIMIT = dt.timedelta(days=3)
# The delivery log keeps what was delivered this long (what waits stays until it is sent).
KEEP_DELIVERED = dt.timedelta(days=30)
TIMEOUT_SECONDS = 10
ADMIN_ROLES = [Role.employer_admin, Role.team_lead, Role.operator_admin]
USER_AGENT = "placement-portal-webhooks/1"


@dataclass(frozen=True)
class Sent:
    delivered: int = 0
    retried: int = 0
    paused: int = 0

    def __add__(self, other: Sent) -> Sent:
        return Sent(
            self.delivered + other.delivered,
            self.retried + other.retried,
            self.paused + other.paused,
        )

    @property
    def claimed(self) -> int:
        return self.delivered + self.retried


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: Any, **kwargs: Any) -> None:
        return None


_opener = urllib.request.build_opener(_NoRedirect)


def post(url: str, body: str, headers: Mapping[str, str]) -> int:
    """POST `body` to `url` (blocking; run in a thread); the answer's status, 0 for none."""
    request = urllib.request.Request(  # noqa: S310 - http(s) only, checked when registered
        url, data=body.encode(), method="POST", headers=dict(headers)
    )
    try:
        with _opener.open(request, timeout=TIMEOUT_SECONDS) as answer:
            return int(answer.status)
    except urllib.error.HTTPError as exc:
        return int(exc.code)


async def claim(batch: int, moment: dt.datetime) -> list[dict[str, Any]]:
    """Take up to `batch` due deliveries of unpaused endpoints (a lease until moment + LEASE)."""
    due = (
        WebhookDelivery.select(WebhookDelivery.id)
        .where(
            WebhookDelivery.delivered_at.is_null()
            & (WebhookDelivery.available_at <= moment)
            & (WebhookDelivery.claimed_until.is_null() | (WebhookDelivery.claimed_until < moment))
            & WebhookDelivery.endpoint.paused_at.is_null()
        )
        .order_by(WebhookDelivery.available_at)
        .limit(batch)
    )
    if not isinstance(WebhookDelivery._meta.db, SQLiteEngine):
        due = due.lock_rows(skip_locked=True, of=(WebhookDelivery,))
    async with writing(WebhookDelivery):
        claimed = await (
            WebhookDelivery.update(
                {
                    WebhookDelivery.claimed_until: moment + LEASE,
                    WebhookDelivery.attempts: WebhookDelivery.attempts + 1,
                }
            )
            .where(WebhookDelivery.id.is_in(due))
            .returning(WebhookDelivery.id)
        )
        if not claimed:
            return []
        return await WebhookDelivery.select(  # type: ignore[no-any-return]
            WebhookDelivery.id,
            WebhookDelivery.event_id,
            WebhookDelivery.event,
            WebhookDelivery.body,
            WebhookDelivery.attempts,
            WebhookDelivery.endpoint.id.as_alias("endpoint_id"),
            WebhookDelivery.endpoint.url.as_alias("url"),
            WebhookDelivery.endpoint.secret.as_alias("secret"),
        ).where(WebhookDelivery.id.is_in([row["id"] for row in claimed]))


async def send_one(row: Mapping[str, Any], moment: dt.datetime) -> Sent:
    """One attempt of one claimed delivery, and what it leaves behind."""
    stamp = int(clock.timestamp())
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "Portal-Webhook-Id": str(row["event_id"]),
        "Portal-Webhook-Event": row["event"],
        "Portal-Webhook-Timestamp": str(stamp),
        "Portal-Webhook-Signature": sign(row["secret"], stamp, row["body"]),
    }
    about = {"delivery_id": str(row["id"]), "event": row["event"], "attempt": row["attempts"]}
    status, error = 0, ""
    try:
        status = await anyio.to_thread.run_sync(post, row["url"], row["body"], headers)
    except Exception as exc:  # unreachable, refused, timed out, a bad certificate
        error = type(exc).__name__
    where = WebhookDelivery.id == row["id"]
    if 200 <= status < 300:
        await WebhookDelivery.update(
            {
                WebhookDelivery.delivered_at: clock.now(),
                WebhookDelivery.claimed_until: None,
                WebhookDelivery.last_status: status,
                WebhookDelivery.last_error: "",
            }
        ).where(where)
        await WebhookEndpoint.update({WebhookEndpoint.failing_since: None}).where(
            WebhookEndpoint.id == row["endpoint_id"]
        )
        log.info("webhook delivered", extra={**about, "status": status})
        return Sent(delivered=1)
    await WebhookDelivery.update(
        {
            WebhookDelivery.available_at: moment + backoff(row["attempts"]),
            WebhookDelivery.claimed_until: None,
            WebhookDelivery.last_status: status,
            WebhookDelivery.last_error: error or f"HTTP {status}",
        }
    ).where(where)
    log.warning("webhook failed, will retry", extra={**about, "status": status, "error": error})
    paused = await _note_failure(row["endpoint_id"], moment)
    return Sent(retried=1, paused=int(paused))


async def _note_failure(endpoint_id: Any, moment: dt.datetime) -> bool:
    """Remember when the endpoint began failing; pause it (and tell its admins) after
    FAILING_LIMIT. True when it was paused now."""
    await WebhookEndpoint.update({WebhookEndpoint.failing_since: moment}).where(
        (WebhookEndpoint.id == endpoint_id) & WebhookEndpoint.failing_since.is_null()
    )
    async with WebhookEndpoint._meta.db.transaction():
        paused = await (
            WebhookEndpoint.update({WebhookEndpoint.paused_at: moment})
            .where(
                (WebhookEndpoint.id == endpoint_id)
                & WebhookEndpoint.paused_at.is_null()
                & (WebhookEndpoint.failing_since <= moment - FAILING_LIMIT)
            )
            .returning(WebhookEndpoint.organisation, WebhookEndpoint.url)
        )
        if not paused:
            return False
        context = {"endpoint_id": str(endpoint_id), "url": paused[0]["url"]}
        recipients = await organisation_recipients(paused[0]["organisation"], ADMIN_ROLES)
        await enqueue(Mail("webhook_paused", context), recipients)
    log.warning("webhook endpoint paused", extra={"endpoint_id": str(endpoint_id)})
    return True


async def deliver_due(*, batch: int = 20, moment: dt.datetime | None = None) -> Sent:
    """Send one batch of due deliveries."""
    moment = moment or clock.now()
    result = Sent()
    for row in await claim(batch, moment):
        result += await send_one(row, moment)
    return result


async def deliver_all(*, batch: int = 20) -> Sent:
    """Deliver batches until nothing is due (what failed now waits for its backoff)."""
    total = Sent()
    while True:
        done = await deliver_due(batch=batch)
        total += done
        if done.claimed < batch:
            return total


async def prune(moment: dt.datetime | None = None) -> int:
    """Forget deliveries delivered more than KEEP_DELIVERED ago (the worker, once a day)."""
    moment = moment or clock.now()
    gone = await (
        WebhookDelivery.delete()
        .where(WebhookDelivery.delivered_at < moment - KEEP_DELIVERED)
        .returning(WebhookDelivery.id)
    )
    return len(gone)
