"""Outgoing e-mail: printed to the console in development, sent over SMTP when configured."""

from __future__ import annotations

import logging
import smtplib
import sys
from email.message import EmailMessage
from email.utils import make_msgid
from typing import Any

import anyio
from jinja2 import Environment

from portal import i18n
from portal.settings import Settings
from portal.templating import render_mail

log = logging.getLogger("portal.mail")


class Mailer:
    def __init__(self, settings: Settings, env: Environment) -> None:
        self.settings = settings
        self.env = env

    async def send(self, to: str, template: str, *, language: str, **context: Any) -> bool:
        """Render `template` in the recipient's language and send it; False (logged) on failure.

        A failed delivery must not turn the user's action into an error page: the action has
        happened, and the log (without the address) tells the operator to look.
        """
        token = i18n.set_language(language)
        try:
            subject, body = render_mail(
                self.env, template, base_url=self.settings.base_url, **context
            )
        finally:
            i18n._current.reset(token)
        message = EmailMessage()
        message["From"] = self.settings.mail_from
        message["To"] = to
        message["Subject"] = subject
        message["Message-ID"] = make_msgid(domain="portal.invalid")
        message.set_content(body)
        try:
            await anyio.to_thread.run_sync(self._deliver, message)
        except (OSError, smtplib.SMTPException) as exc:
            log.error("mail failed", extra={"template": template, "error": type(exc).__name__})
            return False
        log.info("mail sent", extra={"template": template})
        return True

    def _deliver(self, message: EmailMessage) -> None:
        s = self.settings
        if not s.smtp_host:
            sys.stdout.write(f"\n----- e-mail -----\n{message}\n------------------\n")
            sys.stdout.flush()
            return
        with smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=15) as smtp:
            if s.smtp_starttls:
                smtp.starttls()
            if s.smtp_username:
                smtp.login(s.smtp_username, s.smtp_password)
            smtp.send_message(message)
