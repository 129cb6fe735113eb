"""Webhook deliveries against a real receiver: signed as documented, retried, never doubled,
paused after three days of failure."""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import hmac
import json
import threading
from collections import Counter
from typing import Any

from portal.clock import now
from portal.notifications.tables import OutboxMessage
from portal.placements import machine
from portal.webhooks.delivery import Sent, deliver_all, deliver_due, prune
from portal.webhooks.subscriptions import write_deliveries
from portal.webhooks.tables import HookEvent, WebhookDelivery, WebhookEndpoint
from tests.conftest import free_port, run
from tests.placements.session import as_user
from tests.webhooks.factories import make_endpoint


def nominate(alice: Any, slot: Any, candidate: Any) -> Any:
    return run(
        machine.create(
            as_user(alice),
            "nominate",
            slot_id=slot.id,
            candidate_id=candidate.id,
            note="Erfahrung im Schweißen, zuverlässig.",
        )
    )


def deliveries() -> list[dict[str, Any]]:
    return run(WebhookDelivery.select().order_by(WebhookDelivery.created_at))


def test_it_sends_a_nomination_signed_with_the_documented_scheme(
    app, receiver, erik, alice, slot, candidate
):
    endpoint = make_endpoint(erik, receiver.url)
    placement_id = nominate(alice, slot, candidate)

    assert run(deliver_all()) == Sent(delivered=1)

    [got] = receiver.requests
    stamp, signature = (
        got.headers["Portal-Webhook-Timestamp"],
        got.headers["Portal-Webhook-Signature"],
    )
    # docs/webhooks.md: v1= + hex HMAC-SHA256(secret, timestamp + "." + body)
    expected = hmac.new(
        endpoint.secret.encode(), f"{stamp}.{got.body}".encode(), hashlib.sha256
    ).hexdigest()
    assert hmac.compare_digest(signature, f"v1={expected}")
    assert abs(int(stamp) - now().timestamp()) < 60
    payload = json.loads(got.body)
    assert payload["type"] == "nomination.received"
    assert got.headers["Portal-Webhook-Id"] == payload["id"]
    assert payload["data"]["placement_id"] == str(placement_id)
    assert payload["data"]["candidate_code"] == candidate.code
    assert payload["data"]["to_state"] == "proposed"
    # Codes and ids only: never the person behind the code.
    for identity in ("Amina", "Haddad", "1994", "@"):
        assert identity not in got.body
    [row] = deliveries()
    assert row["delivered_at"] is not None and row["attempts"] == 1 and row["last_status"] == 204


def test_it_tells_whom_each_event_concerns(app, receiver, erik, alice, team_lead, slot, candidate):
    employer_hooks = make_endpoint(erik, receiver.url)
    agency_hooks = make_endpoint(team_lead, receiver.url + "/agency")
    placement_id = nominate(alice, slot, candidate)
    # The one-place slot is filled by the acceptance.
    run(machine.apply(as_user(erik), placement_id, "accept"))

    told = Counter((row["endpoint"], row["event"]) for row in deliveries())
    assert told == Counter(
        {
            (employer_hooks.id, "nomination.received"): 1,
            (employer_hooks.id, "nomination.answered"): 1,
            (agency_hooks.id, "nomination.answered"): 1,
            (employer_hooks.id, "slot.filled"): 1,
        }
    )


def test_it_writes_nothing_for_an_event_not_subscribed_or_a_paused_endpoint(
    app, receiver, erik, alice, slot, candidate
):
    make_endpoint(erik, receiver.url, events=["slot.filled"])
    make_endpoint(erik, receiver.url, paused_at=now())
    nominate(alice, slot, candidate)
    assert deliveries() == []


def test_a_failing_receiver_gets_retries_with_backoff(app, receiver, erik, alice, slot, candidate):
    endpoint = make_endpoint(erik, receiver.url)
    nominate(alice, slot, candidate)
    receiver.status = 500
    first = now()

    assert run(deliver_due(moment=first)) == Sent(retried=1)
    [row] = deliveries()
    assert row["attempts"] == 1 and row["last_status"] == 500 and row["delivered_at"] is None
    # The outbox's backoff: 30 s ± 10 % before the next attempt; nothing is due before.
    assert dt.timedelta(seconds=26) < row["available_at"] - first < dt.timedelta(seconds=34)
    assert run(deliver_due(moment=first + dt.timedelta(seconds=20))) == Sent()
    failing = run(WebhookEndpoint.select(WebhookEndpoint.failing_since).first())
    assert failing["failing_since"] == first

    assert run(deliver_due(moment=row["available_at"])) == Sent(retried=1)
    receiver.status = 200
    later = run(WebhookDelivery.select(WebhookDelivery.available_at).first())["available_at"]
    assert run(deliver_due(moment=later)) == Sent(delivered=1)

    assert len(receiver.requests) == 3
    # One event, sent three times: the same id each time, so that a receiver can drop repeats.
    assert len({got.headers["Portal-Webhook-Id"] for got in receiver.requests}) == 1
    state = run(WebhookEndpoint.select().where(WebhookEndpoint.id == endpoint.id).first())
    assert state["failing_since"] is None and state["paused_at"] is None


def test_an_unreachable_receiver_is_retried_too(app, erik, alice, slot, candidate):
    make_endpoint(erik, f"http://127.0.0.1:{free_port()}/nobody")
    nominate(alice, slot, candidate)
    assert run(deliver_all()) == Sent(retried=1)
    [row] = deliveries()
    assert row["last_status"] == 0 and row["last_error"]


def test_an_endpoint_failing_for_three_days_is_paused_and_its_admins_told(
    app, receiver, erik, emma, alice, slot, candidate, time_machine
):
    endpoint = make_endpoint(erik, receiver.url)
    nominate(alice, slot, candidate)
    receiver.status = 503
    assert run(deliver_all()) == Sent(retried=1)

    time_machine.move_to(now() + dt.timedelta(days=2, hours=23))
    assert run(deliver_all()) == Sent(retried=1)
    assert run(WebhookEndpoint.select(WebhookEndpoint.paused_at).first())["paused_at"] is None

    time_machine.move_to(now() + dt.timedelta(hours=2))
    assert run(deliver_all()) == Sent(retried=1, paused=1)
    state = run(WebhookEndpoint.select().where(WebhookEndpoint.id == endpoint.id).first())
    assert state["paused_at"] is not None
    # The admin is told by e-mail, through the outbox; the member is not.
    mails = run(OutboxMessage.select().where(OutboxMessage.template == "webhook_paused"))
    assert [mail["to_address"] for mail in mails] == [erik.email]
    # Paused: nothing more is sent to it, however long one waits.
    time_machine.move_to(now() + dt.timedelta(days=1))
    assert run(deliver_all()) == Sent()
    assert len(receiver.requests) == 3


def test_two_workers_deliver_each_event_once(app, receiver, erik, employer):
    make_endpoint(erik, receiver.url)
    for number in range(30):
        run(write_deliveries(HookEvent.slot_filled, [employer.id], {"n": number}, now()))
    barrier = threading.Barrier(2)
    results: list[Sent] = []

    async def work() -> Sent:
        total = Sent()
        while True:
            done = await deliver_due(batch=4)
            total += done
            if not done.claimed:
                return total

    def worker() -> None:
        barrier.wait()
        results.append(asyncio.run(work()))

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert sum(result.delivered for result in results) == 30
    received = Counter(json.loads(got.body)["data"]["n"] for got in receiver.requests)
    assert received == Counter(range(30))
    assert {row["attempts"] for row in deliveries()} == {1}


def test_the_log_forgets_deliveries_a_month_after_they_were_delivered(app, erik, employer):
    make_endpoint(erik, "https://hr.example.org/hooks")
    run(write_deliveries(HookEvent.slot_filled, [employer.id], {"n": 1}, now()))
    run(write_deliveries(HookEvent.slot_filled, [employer.id], {"n": 2}, now()))
    [old, waiting] = deliveries()
    long_ago = now() - dt.timedelta(days=31)
    run(
        WebhookDelivery.update({WebhookDelivery.delivered_at: long_ago}).where(
            WebhookDelivery.id == old["id"]
        )
    )
    assert run(prune()) == 1
    assert [row["id"] for row in deliveries()] == [waiting["id"]]
