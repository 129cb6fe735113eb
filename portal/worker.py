"""The outbox worker: delivers committed e-mails, with retries and backoff, never twice, and
runs the scheduled jobs (placements/jobs.py). It sits on top of the features, beside the app.

A round claims a batch of due messages in one short transaction — PostgreSQL:
`UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED) RETURNING …`, SQLite: the same UPDATE
under the write lock (BEGIN IMMEDIATE) — so that two workers never hold the same message. A
claim is a lease (`claimed_until`): a worker that dies while sending leaves its messages to be
claimed again after the lease. They then go out with the same Message-ID (derived from the
outbox id), so that a receiving server may drop the duplicate.

Logs carry the outbox id, the template, the attempt and the error's type — never the address
or the text.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import logging
import signal
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any
from urllib.parse import urlsplit

import anyio
from jinja2 import Environment
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine

from portal import clock
from portal.api.http import purge_idempotency_keys
from portal.db import writing
from portal.i18n import format_date
from portal.mail import DELIVERY_ERRORS, build_message, deliver, render, sender_address
from portal.notifications.outbox import LEASE, backoff
from portal.notifications.tables import OutboxMessage
from portal.placements import links
from portal.placements.invitation import invitation_file
from portal.placements.jobs import run_jobs
from portal.placements.subscriptions import subscribe as subscribe_placements
from portal.placements.transitions import reason_label
from portal.settings import Settings
from portal.stats import ahead as stats_ahead
from portal.stats import cache as stats_cache
from portal.stats.summary import subscribe as subscribe_stats
from portal.storage import storage_from_settings
from portal.templating import create_environment
from portal.webhooks import delivery as webhooks
from portal.webhooks.subscriptions import subscribe as subscribe_webhooks

log = logging.getLogger("portal.worker")


@dataclass(frozen=True)
class Delivered:
    sent: int = 0
    failed: int = 0  # given up after the last attempt
    retried: int = 0  # failed now, tried again later

    def __add__(self, other: Delivered) -> Delivered:
        return Delivered(
            self.sent + other.sent, self.failed + other.failed, self.retried + other.retried
        )

    @property
    def claimed(self) -> int:
        return self.sent + self.failed + self.retried


def message_id(outbox_id: Any, settings: Settings) -> str:
    """The same Message-ID for every attempt of one outbox message."""
    domain = urlsplit(settings.base_url).hostname or "portal.invalid"
    return f"<outbox.{outbox_id}@{domain}>"


def day(iso: str) -> str:
    """A date kept as an ISO string in the context, written as the language writes dates."""
    return format_date(dt.date.fromisoformat(iso))


def render_outbox(
    env: Environment, settings: Settings, template: str, language: str, context: Mapping[str, Any]
) -> tuple[str, str]:
    """Subject and body of an outbox message in its recipient's language (the placements'
    mails name reason codes: reason_label)."""
    return render(
        env,
        settings,
        f"mail/{template}.txt",
        language=language,
        reason_label=reason_label,
        day=day,
        **context,
    )


async def claim(batch: int, moment: dt.datetime) -> list[dict[str, Any]]:
    """Take up to `batch` due messages for this worker (a lease until moment + LEASE)."""
    due = (
        OutboxMessage.select(OutboxMessage.id)
        .where(
            OutboxMessage.sent_at.is_null()
            & OutboxMessage.failed_at.is_null()
            & (OutboxMessage.available_at <= moment)
            & (OutboxMessage.claimed_until.is_null() | (OutboxMessage.claimed_until < moment))
        )
        .order_by(OutboxMessage.available_at)
        .limit(batch)
    )
    if not isinstance(OutboxMessage._meta.db, SQLiteEngine):
        due = due.lock_rows(skip_locked=True)
    async with writing(OutboxMessage):
        return await (  # type: ignore[no-any-return]
            OutboxMessage.update(
                {
                    OutboxMessage.claimed_until: moment + LEASE,
                    OutboxMessage.attempts: OutboxMessage.attempts + 1,
                }
            )
            .where(OutboxMessage.id.is_in(due))
            .returning(
                OutboxMessage.id,
                OutboxMessage.to_address,
                OutboxMessage.language,
                OutboxMessage.template,
                OutboxMessage.context,
                OutboxMessage.attempts,
            )
        )


def _forget_address(row: Mapping[str, Any]) -> dict[Any, str]:
    """A candidate's address (from the identity vault) is not kept once the message is done."""
    return {OutboxMessage.to_address: ""} if row["template"] in links.VAULT_ADDRESSED else {}


async def deliver_due(
    settings: Settings, env: Environment, *, batch: int = 20, moment: dt.datetime | None = None
) -> Delivered:
    """Send one batch of due messages; what was sent, given up and left for a retry."""
    moment = moment or clock.now()
    result = Delivered()
    for row in await claim(batch, moment):
        result += await _send_one(settings, env, row, moment)
    return result


async def _send_one(
    settings: Settings, env: Environment, row: Mapping[str, Any], moment: dt.datetime
) -> Delivered:
    context = row["context"]
    if isinstance(context, str):
        context = json.loads(context or "{}")
    where = OutboxMessage.id == row["id"]
    about = {"outbox_id": str(row["id"]), "template": row["template"], "attempt": row["attempts"]}
    try:
        # A link in the message is made now, so that its secret is kept nowhere but in the mail.
        context = await links.for_mail(row["template"], context)
        subject, body = render_outbox(env, settings, row["template"], row["language"], context)
        calendar = None
        if "invitation" in context:
            calendar = invitation_file(
                context["invitation"],
                summary=subject,
                url=f"{settings.base_url}/placements/{context['placement_id']}",
                to=row["to_address"],
                organizer=sender_address(settings),
                stamp=moment,
            )
        message = build_message(
            settings,
            row["to_address"],
            subject,
            body,
            message_id=message_id(row["id"], settings),
            calendar=calendar,
        )
        await anyio.to_thread.run_sync(deliver, settings, message)
    except Exception as exc:
        # A template that cannot be rendered fails like an unreachable server: retried (it may
        # be fixed by a deployment), and given up after the last attempt.
        error = type(exc).__name__
        if context.get("link_token"):
            # The link made for this message went nowhere; the retry makes a new one.
            await links.discard(context["link_token"])
        if not isinstance(exc, DELIVERY_ERRORS):
            log.exception("mail could not be rendered", extra={**about, "error": error})
        if row["attempts"] >= settings.outbox_max_attempts:
            await OutboxMessage.update(
                {
                    OutboxMessage.failed_at: moment,
                    OutboxMessage.claimed_until: None,
                    OutboxMessage.last_error: error,
                    **_forget_address(row),
                }
            ).where(where)
            log.error("mail given up", extra={**about, "error": error})
            return Delivered(failed=1)
        await OutboxMessage.update(
            {
                OutboxMessage.available_at: moment + backoff(row["attempts"]),
                OutboxMessage.claimed_until: None,
                OutboxMessage.last_error: error,
            }
        ).where(where)
        log.warning("mail failed, will retry", extra={**about, "error": error})
        return Delivered(retried=1)
    await OutboxMessage.update(
        {
            OutboxMessage.sent_at: clock.now(),
            OutboxMessage.subject: subject,
            OutboxMessage.claimed_until: None,
            OutboxMessage.last_error: "",
            **_forget_address(row),
        }
    ).where(where)
    log.info("mail sent", extra=about)
    return Delivered(sent=1)


async def deliver_all(settings: Settings, env: Environment, *, batch: int = 20) -> Delivered:
    """Deliver batches until nothing is due (what failed now waits for its backoff)."""
    total = Delivered()
    while True:
        done = await deliver_due(settings, env, batch=batch)
        total += done
        if done.claimed < batch:
            return total


# -- the loop ---------------------------------------------------------------------------------


async def run_worker(settings: Settings, *, once: bool = False) -> None:
    """Deliver, run the scheduled jobs, sleep; until SIGTERM or SIGINT (or one round: `once`)."""
    # Erasure past the retention period (run_jobs) must reach the placements too.
    subscribe_placements()
    # The placements' events of the jobs (withdrawals on erasure) are counted by the statistics.
    subscribe_stats()
    # The jobs' placement events (withdrawals on erasure) reach the organisations' webhooks.
    subscribe_webhooks()
    stats_cache.configure(seconds=settings.stats_cache_seconds)
    env = create_environment()
    storage = storage_from_settings(settings)
    engine = OutboxMessage._meta.db
    if isinstance(engine, PostgresEngine) and settings.database_pool_size:
        # A few connections suffice: the worker runs one query at a time.
        await engine.start_connection_pool(min_size=1, max_size=2)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(signum, stop.set)
    log.info("worker started", extra={"interval": settings.worker_interval_seconds})
    last_daily: dt.date | None = None
    try:
        while not stop.is_set():
            today = clock.today()
            jobs: dict[str, int] = {}
            try:
                daily = today != last_daily
                jobs = await run_jobs(settings, storage, today=today, daily=daily)
                # The API's kept answers to Idempotency-Keys past their 24 hours.
                jobs["idempotency_keys_removed"] = await purge_idempotency_keys(clock.now())
                if daily:
                    jobs["webhook_deliveries_pruned"] = await webhooks.prune()
                # The statistics' usual views counted ahead, so that a viewer rarely waits.
                jobs["statistics_views_counted"] = await stats_ahead.warm()
                last_daily = today
            except Exception:
                # A database away for a moment must not end the worker: the next round retries.
                log.exception("jobs failed")
            try:
                # Also the mails the jobs have just written.
                mails = await deliver_all(settings, env)
            except Exception:
                log.exception("delivery failed")
                mails = Delivered()
            try:
                hooks = await webhooks.deliver_all()
            except Exception:
                log.exception("webhook delivery failed")
                hooks = webhooks.Sent()
            if mails.claimed or hooks.claimed or any(jobs.values()):
                log.info(
                    "worker round",
                    extra={
                        **jobs,
                        **asdict(mails),
                        **{f"webhooks_{k}": v for k, v in asdict(hooks).items()},
                    },
                )
            if once:
                break
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), timeout=settings.worker_interval_seconds)
    finally:
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.remove_signal_handler(signum)
        if isinstance(engine, PostgresEngine) and engine.pool is not None:
            await engine.close_connection_pool()
    log.info("worker stopped")
