"""Writing e-mails to the outbox, inside the caller's transaction.

The change and its e-mail are committed together or not at all; the worker (portal/worker.py) sends
what was committed. Nothing here talks to a mail server.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from portal.accounts.tables import Role, User
from portal.notifications.tables import OutboxMessage

# A worker holds what it claimed this long (an SMTP send times out after 15 s, a webhook after
# 10 s); the e-mails and the webhooks' deliveries share the lease and the backoff.
LEASE = dt.timedelta(minutes=5)
BACKOFF_FIRST = dt.timedelta(seconds=30)
BACKOFF_CAP = dt.timedelta(hours=1)


def backoff(attempts: int) -> dt.timedelta:
    """The wait before the next attempt: 30 s, 1 min, 2 min, … at most an hour, ±10 %."""
    wait = min(BACKOFF_FIRST * 2 ** max(attempts - 1, 0), BACKOFF_CAP)
    return wait * random.uniform(0.9, 1.1)  # noqa: S311 - spreading retries, not a secret


@dataclass(frozen=True)
class Recipient:
    address: str
    language: str


@dataclass(frozen=True)
class Mail:
    """One e-mail to write: a template under templates/mail/ and a context of plain values.

    The context holds codes, titles, dates as ISO strings and paths — never a name, a date of
    birth or a contact of a candidate (PRODUCT.md: no identity in any e-mail)."""

    template: str
    context: dict[str, Any] = field(default_factory=dict)


async def enqueue(
    mail: Mail, recipients: Iterable[Recipient], *, dedupe_key: str | None = None
) -> int:
    """Write one outbox message per recipient; a `dedupe_key` already written is skipped.

    With a key, each recipient's message gets the key plus its address, so that a job that runs
    twice (or in two workers at once) writes each message once.
    """
    rows = [
        OutboxMessage(
            to_address=recipient.address,
            language=recipient.language,
            template=mail.template,
            context=mail.context,
            dedupe_key=f"{dedupe_key}:{recipient.address}"[:120] if dedupe_key else None,
        )
        for recipient in recipients
    ]
    if not rows:
        return 0
    if dedupe_key is None:
        await OutboxMessage.insert(*rows)
        return len(rows)
    written = (
        await OutboxMessage.insert(*rows)
        .on_conflict(target=OutboxMessage.dedupe_key, action="DO NOTHING")
        .returning(OutboxMessage.id)
    )
    return len(written)


async def organisation_recipients(
    organisation_id: Any, roles: Iterable[Role] | None = None
) -> list[Recipient]:
    """The active users of an organisation (optionally of some roles), in their language."""
    condition = (User.organisation == organisation_id) & (User.is_active == True)  # noqa: E712
    if roles is not None:
        condition &= User.role.is_in([role.value for role in roles])
    rows = await User.select(User.email, User.language).where(condition).order_by(User.email)
    return [Recipient(row["email"], row["language"]) for row in rows]


async def user_recipient(user_id: Any) -> list[Recipient]:
    """One active user (none if the user is gone or inactive)."""
    if user_id is None:
        return []
    row = (
        await User.select(User.email, User.language)
        .where((User.id == user_id) & (User.is_active == True))  # noqa: E712
        .first()
    )
    return [Recipient(row["email"], row["language"])] if row else []
