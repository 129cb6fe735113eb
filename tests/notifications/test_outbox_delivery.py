"""Delivering the outbox: the console without SMTP, the lease of a worker that died, bad rows."""

from __future__ import annotations

import datetime as dt

from portal.clock import now
from portal.notifications.outbox import Mail, Recipient, enqueue
from portal.notifications.tables import OutboxMessage
from portal.worker import LEASE, Delivered, claim, deliver_due
from tests.conftest import run
from tests.notifications.test_backoff import CONTEXT


def write(template: str = "placement_message") -> None:
    run(enqueue(Mail(template, CONTEXT), [Recipient("erika@example.org", "de")]))


def test_it_prints_to_the_console_without_smtp(app, settings, env, mailbox, capsys):
    write()
    assert run(deliver_due(settings.replace(smtp_host=""), env)) == Delivered(sent=1)
    printed = capsys.readouterr().out
    assert "Subject: Neue Nachricht zu K-7Q4M2" in printed
    assert mailbox.messages == []


def test_a_message_held_by_a_worker_that_died_goes_out_after_its_lease(app, settings, env, mailbox):
    write()
    moment = now()
    [held] = run(claim(10, moment))  # a worker took it and died before sending
    assert run(deliver_due(settings, env, moment=moment + dt.timedelta(minutes=1))) == Delivered()

    after = moment + LEASE + dt.timedelta(seconds=1)
    assert run(deliver_due(settings, env, moment=after)) == Delivered(sent=1)
    [message] = mailbox.messages
    assert message["Message-ID"] == f"<outbox.{held['id']}@127.0.0.1>"
    row = run(OutboxMessage.select().first())
    assert row["attempts"] == 2


def test_a_message_that_cannot_be_rendered_is_retried_not_lost(app, settings, env, mailbox):
    write("no_such_template")
    write()
    assert run(deliver_due(settings, env)) == Delivered(sent=1, retried=1)
    failed = run(OutboxMessage.select().where(OutboxMessage.template == "no_such_template").first())
    assert (failed["last_error"], failed["sent_at"]) == ("TemplateNotFound", None)
    assert len(mailbox.messages) == 1
