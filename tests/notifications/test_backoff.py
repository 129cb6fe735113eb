"""Retries wait longer each time, and the worker gives up after OUTBOX_MAX_ATTEMPTS."""

from __future__ import annotations

import datetime as dt
import logging

from portal.clock import now
from portal.notifications.outbox import Mail, Recipient, enqueue
from portal.notifications.tables import OutboxMessage
from portal.worker import Delivered, backoff, deliver_due
from tests.conftest import free_port, run

CONTEXT = {
    "placement_id": "0b7c4e5e-3a41-4c55-9d7e-1f2a3b4c5d6e",
    "code": "K-7Q4M2",
    "slot_title": "Praktikum Metallbau",
    "employer": "Metallbau Kassel GmbH",
    "agency": "Jobcenter Musterland",
    "action": "message",
}


def test_the_wait_doubles_up_to_an_hour():
    assert 27 <= backoff(1).total_seconds() <= 33
    assert 54 <= backoff(2).total_seconds() <= 66
    assert 3240 <= backoff(12).total_seconds() <= 3960


def test_it_retries_later_each_time_then_gives_up(app, settings, env, mailbox, caplog):
    run(enqueue(Mail("placement_message", CONTEXT), [Recipient("erika@example.org", "de")]))
    down = settings.replace(smtp_port=free_port(), outbox_max_attempts=3)
    caplog.set_level(logging.INFO, logger="portal.worker")
    moment = now()
    waits = []
    for _attempt in range(2):
        assert run(deliver_due(down, env, moment=moment)) == Delivered(retried=1)
        row = run(OutboxMessage.select().first())
        waits.append(row["available_at"] - moment)
        assert row["claimed_until"] is None
        early = row["available_at"] - dt.timedelta(seconds=1)
        assert run(deliver_due(down, env, moment=early)) == Delivered()
        moment = row["available_at"]
    assert waits[1] > waits[0]

    assert run(deliver_due(down, env, moment=moment)) == Delivered(failed=1)
    row = run(OutboxMessage.select().first())
    assert (row["attempts"], row["last_error"]) == (3, "ConnectionRefusedError")
    assert row["failed_at"] is not None and row["sent_at"] is None

    far = moment + dt.timedelta(days=1)
    assert run(deliver_due(settings, env, moment=far)) == Delivered()
    assert mailbox.messages == []
    logged = [r for r in caplog.records if r.name == "portal.worker"]
    assert [r.getMessage() for r in logged][-1] == "mail given up"
    assert all("erika" not in str(r.__dict__) for r in logged)
    assert {r.outbox_id for r in logged} == {str(row["id"])}
