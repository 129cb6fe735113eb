"""The Mailer against a real SMTP server (aiosmtpd): language, headers, failures."""

from __future__ import annotations

import logging

import pytest

from portal.mail import Mailer
from portal.templating import create_environment
from tests.conftest import free_port, run

LINK = "http://127.0.0.1:8000/password/reset/abc123"


@pytest.fixture
def mailer(settings):
    return Mailer(settings, create_environment())


def send(mailer, to, language="de"):
    return run(mailer.send(to, "mail/password_reset.txt", language=language, link=LINK))


def test_it_sends_in_german_by_smtp(mailer, mailbox):
    assert send(mailer, "erika@example.org", "de") is True
    message = mailbox.last_to("erika@example.org")
    assert message["Subject"] == "Neues Passwort wählen"
    assert message["From"] == "Praktikumsportal <noreply@portal.invalid>"
    assert message["Message-ID"]
    body = message.get_content()
    assert body.startswith("Guten Tag,")
    assert LINK in body


def test_it_sends_in_the_recipients_language(mailer, mailbox):
    send(mailer, "john@example.org", "en")
    message = mailbox.last_to("john@example.org")
    assert message["Subject"] == "Choose a new password"
    assert message.get_content().startswith("Hello,")


def test_it_leaves_the_language_of_the_request_as_it_was(mailer, mailbox):
    from portal import i18n

    async def send_and_read_language():
        i18n.set_language("de")
        await mailer.send("john@example.org", "mail/password_reset.txt", language="en", link=LINK)
        return i18n.current_language()

    assert run(send_and_read_language()) == "de"


def test_it_returns_false_and_logs_without_the_address_when_smtp_is_down(settings, caplog):
    mailer = Mailer(settings.replace(smtp_port=free_port()), create_environment())
    caplog.set_level(logging.INFO, logger="portal.mail")
    assert send(mailer, "erika@example.org") is False
    [record] = [r for r in caplog.records if r.name == "portal.mail"]
    assert record.levelno == logging.ERROR
    assert record.template == "mail/password_reset.txt"
    assert record.error == "ConnectionRefusedError"
    assert "erika" not in caplog.text
    assert "abc123" not in caplog.text


def test_it_logs_a_sent_mail_without_the_address(mailer, mailbox, caplog):
    caplog.set_level(logging.INFO, logger="portal.mail")
    send(mailer, "erika@example.org")
    assert [r.getMessage() for r in caplog.records if r.name == "portal.mail"] == ["mail sent"]
    assert "erika" not in caplog.text


def test_it_prints_the_mail_without_smtp(settings, capsys):
    mailer = Mailer(settings.replace(smtp_host=""), create_environment())
    assert send(mailer, "erika@example.org") is True
    printed = capsys.readouterr().out
    assert "To: erika@example.org" in printed
    assert LINK in printed
