"""Two workers at once send every message exactly once (SKIP LOCKED / SQLite's write lock)."""

from __future__ import annotations

import asyncio
import threading
from collections import Counter

from portal.notifications.outbox import Mail, Recipient, enqueue
from portal.notifications.tables import OutboxMessage
from portal.worker import Delivered, deliver_due
from tests.conftest import run
from tests.notifications.test_backoff import CONTEXT

ADDRESSES = [f"person{n:02}@example.org" for n in range(30)]


def test_two_workers_send_each_message_once(app, settings, env, mailbox):
    run(enqueue(Mail("placement_message", CONTEXT), [Recipient(a, "en") for a in ADDRESSES]))
    barrier = threading.Barrier(2)
    results: list[Delivered] = []

    async def work() -> Delivered:
        total = Delivered()
        while True:
            done = await deliver_due(settings, env, batch=4)
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

    assert sum(r.sent for r in results) == 30
    assert all(r.sent for r in results)  # both did a share of the work
    assert Counter(m["To"] for m in mailbox.messages) == Counter(ADDRESSES)
    rows = run(OutboxMessage.select(OutboxMessage.attempts, OutboxMessage.sent_at))
    assert {r["attempts"] for r in rows} == {1}
    assert all(r["sent_at"] is not None for r in rows)
