"""Outgoing e-mail: printed to the console in development, sent over SMTP when configured.

Rendering (`render`) and delivery (`build_message`, `deliver`) are separate steps, so that the
outbox worker (portal/worker.py) sends with the same code as `Mailer.send`, which
the account mails (invitations, password resets) still use inside the request.
"""

from __future__ import annotations

import logging
import smtplib
import sys
from email.message import EmailMessage
from email.utils import make_msgid, parseaddr
from typing import Any

import anyio
from jinja2 import Environment

from portal import i18n
from portal.settings import Settings
from portal.templating import render_mail

log = logging.getLogger("portal.mail")

# What a failed delivery raises (a refused connection, a timeout, the server's refusal).
DELIVERY_ERRORS = (OSError, smtplib.SMTPException)


def render(
    env: Environment, settings: Settings, template: str, *, language: str, **context: Any
) -> tuple[str, str]:
    """Subject and body of `template` in `language` (the caller's language is left as it was)."""
    token = i18n.set_language(language)
    try:
        return render_mail(env, template, base_url=settings.base_url, **context)
    finally:
        i18n._current.reset(token)


def build_message(
    settings: Settings,
    to: str,
    subject: str,
    body: str,
    *,
    message_id: str | None = None,
    calendar: tuple[str, str] | None = None,
) -> EmailMessage:
    """The e-mail; `calendar` (an iCalendar text and its iTIP method) is attached as
    text/calendar, which mail programs offer to put into the calendar."""
    message = EmailMessage()
    message["From"] = settings.mail_from
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = message_id or make_msgid(domain="portal.invalid")
    message.set_content(body)
    if calendar is not None:
        text, method = calendar
        message.add_attachment(
            text, subtype="calendar", filename="invitation.ics", params={"method": method}
        )
    return message


def sender_address(settings: Settings) -> str:
    """The bare address of the portal's sender (mail_from may carry a display name)."""
    return parseaddr(settings.mail_from)[1]


def deliver(settings: Settings, message: EmailMessage) -> None:
    """Send `message` (blocking: call it in a thread); raises one of DELIVERY_ERRORS."""
    if not settings.smtp_host:
        sys.stdout.write(f"\n----- e-mail -----\n{message}\n------------------\n")
        sys.stdout.flush()
        return
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=15) as smtp:
        if settings.smtp_starttls:
            smtp.starttls()
        if settings.smtp_username:
            smtp.login(settings.smtp_username, settings.smtp_password)
        smtp.send_message(message)


class Mailer:
    def __init__(self, settings: Settings, env: Environment) -> None:
        self.settings = settings
        self.env = env

    async def send(self, to: str, template: str, *, language: str, **context: Any) -> bool:
        """Render `template` in the recipient's language and send it; False (logged) on failure.

        A failed delivery must not turn the user's action into an error page: the action has
        happened, and the log (without the address) tells the operator to look.
        """
        subject, body = render(self.env, self.settings, template, language=language, **context)
        message = build_message(self.settings, to, subject, body)
        try:
            await anyio.to_thread.run_sync(deliver, self.settings, message)
        except DELIVERY_ERRORS as exc:
            log.error("mail failed", extra={"template": template, "error": type(exc).__name__})
            return False
        log.info("mail sent", extra={"template": template})
        return True
