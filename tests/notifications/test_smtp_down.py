"""With the mail server down, changes succeed; the mails go out once it is back, once each."""

from __future__ import annotations

import datetime as dt

from portal.clock import now
from portal.notifications.tables import OutboxMessage
from portal.worker import Delivered, deliver_due
from tests.conftest import free_port, run
from tests.placements.factories import make_placement


def test_it_sends_the_mails_once_the_server_is_back(
    app, settings, env, mailbox, slot, candidate, alice, erik, emma
):
    placement_id = make_placement(
        "proposed", slot=slot, candidate=candidate, case_worker=alice, employer_user=erik
    )
    down = settings.replace(smtp_port=free_port())

    assert run(deliver_due(down, env)) == Delivered(retried=2)

    rows = run(OutboxMessage.select())
    assert mailbox.messages == []
    assert [r["attempts"] for r in rows] == [1, 1]
    assert all(r["sent_at"] is None and r["available_at"] > now() for r in rows)
    assert {r["last_error"] for r in rows} == {"ConnectionRefusedError"}
    assert run(deliver_due(settings, env)) == Delivered()  # still waiting for the backoff

    later = now() + dt.timedelta(minutes=2)
    assert run(deliver_due(settings, env, moment=later)) == Delivered(sent=2)
    assert run(deliver_due(settings, env, moment=later)) == Delivered()

    assert sorted(m["To"] for m in mailbox.messages) == sorted([erik.email, emma.email])
    german, english = mailbox.last_to(erik.email), mailbox.last_to(emma.email)
    assert german["Subject"].startswith("Neue Kandidatin oder neuer Kandidat")
    assert english["Subject"].startswith("New candidate for")
    assert f"/placements/{placement_id}" in english.get_content()
    rows = {r["to_address"]: r for r in run(OutboxMessage.select())}
    assert all(r["sent_at"] is not None and r["claimed_until"] is None for r in rows.values())
    assert rows[emma.email]["subject"] == english["Subject"]
    assert english["Message-ID"] == f"<outbox.{rows[emma.email]['id']}@127.0.0.1>"
