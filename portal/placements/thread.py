"""The conversation on a placement between the employer and the case worker.

Contact stays on the portal. The PII guard applies to every message, as to every free text the
other side reads (portal.candidates.pii): no e-mail address, phone number, address, date,
country or age. The candidate's names are refused too while the employer does not know them;
once the identity is released to the employer, the names are allowed (the employer has them),
but e-mail addresses and phone numbers still are not — the released contact is shown from the
vault and disappears with a withdrawal or the erasure; a copy in the thread would not.

The other side is told by e-mail that there is a new message — never its text.
"""

from __future__ import annotations

import functools
from collections.abc import Iterable, Mapping
from typing import Any

from portal.auth import CurrentUser
from portal.candidates.pii import check_free_text
from portal.clock import now
from portal.cpu import run_cpu_bound
from portal.forms import Errors
from portal.i18n import _
from portal.notifications.outbox import Mail, enqueue
from portal.placements import machine
from portal.placements.effects import mail_context, recipients
from portal.placements.machine import Refused, Side
from portal.placements.rows import PlacementRow
from portal.placements.tables import Message

BODY_MIN, BODY_MAX = 1, 2000
# The page shows the latest messages (oldest of them first); older ones are summarised.
MESSAGE_CAP = 50


def check_body(data: Mapping[str, str], *, names: Iterable[str] = ()) -> tuple[str, Errors]:
    """The message's text, or a message on field "body"."""
    errors = Errors(data)
    body = data.get("body", "").replace("\r\n", "\n").strip()
    if len(body) < BODY_MIN:
        errors["body"] = _("Please write a message.")
    else:
        check_free_text(errors, "body", body, limit=BODY_MAX, names=names)
    return body, errors


async def check_body_off_loop(
    data: Mapping[str, str], *, names: Iterable[str] = ()
) -> tuple[str, Errors]:
    """check_body in a worker thread: the PII guard reads the message (portal.cpu)."""
    return await run_cpu_bound(functools.partial(check_body, data, names=names))


async def post_message(
    user: CurrentUser, row: PlacementRow, body: str, *, address: str = ""
) -> None:
    """Write the message and tell the other side (outbox), in one transaction."""
    side = machine.side_of(user, row)
    if side not in (Side.employer, Side.case_worker):
        raise Refused(_("You cannot do this."), status=403)
    if row["candidate_erased_at"] is not None:
        raise Refused(_("The personal data of this candidate have been erased."))
    other = Side.case_worker if side == Side.employer else Side.employer
    async with Message._meta.db.transaction():
        await Message.insert(
            Message(
                placement=row["id"],
                author=user.id,
                author_organisation=user.organisation_id,
                body=body,
                created_at=now(),
            )
        )
        await enqueue(
            Mail("placement_message", mail_context(row, action="message")),
            await recipients(other, row),
        )


async def latest_messages(placement_id: Any) -> tuple[list[dict[str, Any]], bool]:
    """The latest MESSAGE_CAP messages, oldest first, and whether there are older ones
    (one query)."""
    rows = await (
        Message.select(
            *Message.all_columns(),
            Message.author.display_name.as_alias("author_name"),
            Message.author_organisation.name.as_alias("author_organisation_name"),
        )
        .where(Message.placement == placement_id)
        .order_by(Message.created_at, ascending=False)
        .order_by(Message._meta.primary_key, ascending=False)
        .limit(MESSAGE_CAP + 1)
    )
    return list(reversed(rows[:MESSAGE_CAP])), len(rows) > MESSAGE_CAP
