"""Single-use links bound to one placement: answer a nomination, write the evaluation, confirm
the agreement.

A link lets someone without a session do exactly one thing on exactly one placement: the
employer accepts or declines one nomination (and reads its pseudonymised profile), the slot's
contact person completes one internship with the evaluation, or the intern confirms the
internship agreement (sent by the case manager to the intern's e-mail, or shown as a QR code in
the office). Nothing else — no session is made, no other page opens.

The secret is random (`secrets.token_urlsafe`) and made when the e-mail is sent (the worker asks
`issue`), so it exists only in the message: the outbox keeps the context, never the link, and the
database keeps the SHA-256 of the secret. A link is valid for LIFETIME (portal.clock), while the
placement is in its purpose's state, and until it is used; every change of the placement's
state kills the placement's live links (`revoke`, from machine.apply). Every use is audited.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from portal.audit.services import record
from portal.clock import now
from portal.placements.tables import LinkPurpose, Placement, PlacementLink, PlacementState

LIFETIME = dt.timedelta(days=7)
# The placement's state in which a link of each purpose is valid, and what it allows.
STATE_OF = {
    LinkPurpose.answer: PlacementState.proposed,
    LinkPurpose.evaluation: PlacementState.in_progress,
    LinkPurpose.agreement: PlacementState.preparing,
}
ACTIONS_OF = {
    LinkPurpose.answer: frozenset({"accept", "decline"}),
    LinkPurpose.evaluation: frozenset({"complete"}),
    LinkPurpose.agreement: frozenset({"confirm_agreement"}),
}
# The outbox's e-mails that carry a link (templates/mail/<name>.txt: `link_token`), for what.
MAIL_LINKS = {
    "placement_nominated": LinkPurpose.answer,
    "placement_reminder": LinkPurpose.answer,  # the employer's; a request's reminder gets none
    "placement_evaluation_link": LinkPurpose.evaluation,
    "placement_agreement_link": LinkPurpose.agreement,
}
# The e-mails to a candidate (the intern's link): the address is the identity vault's, so the
# outbox forgets it once the message is sent or given up (the worker blanks `to_address`).
VAULT_ADDRESSED = frozenset({"placement_agreement_link"})
# A secret of token_urlsafe(32) has 43 characters; anything much longer is not one of ours.
MAX_LENGTH = 100


@dataclass(frozen=True)
class Grant:
    """What a valid link allows: the actions of its purpose on its placement, once."""

    link_id: int
    placement_id: UUID
    employer_id: UUID
    purpose: LinkPurpose

    @property
    def organisation_id(self) -> UUID | None:
        """The organisation of whoever holds the link (the intern belongs to none)."""
        return None if self.purpose == LinkPurpose.agreement else self.employer_id

    def allows(self, placement_id: UUID, action: str) -> bool:
        return placement_id == self.placement_id and action in ACTIONS_OF[self.purpose]


def digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


async def issue(placement_id: UUID | str, purpose: LinkPurpose) -> str | None:
    """A new link's secret; None when the placement is not (any longer) in the purpose's state."""
    state = await Placement.select(Placement.state).where(Placement.id == placement_id).first()
    if state is None or state["state"] != STATE_OF[purpose]:
        return None
    raw = secrets.token_urlsafe(32)
    await PlacementLink.insert(
        PlacementLink(
            placement=placement_id,
            purpose=purpose,
            digest=digest(raw),
            expires_at=now() + LIFETIME,
        )
    )
    return raw


async def for_mail(template: str, context: Mapping[str, Any]) -> dict[str, Any]:
    """The context of an outbox e-mail about to be sent, with a new link's secret where the
    e-mail carries one (`link_token`, "" when the placement has moved on). Each sending makes
    its own link, so the secret is never stored: only the message holds it."""
    purpose = MAIL_LINKS.get(template)
    if purpose is None or "placement_id" not in context:
        return dict(context)
    raw = await issue(UUID(str(context["placement_id"])), purpose)
    return {**context, "link_token": raw or ""}


def _valid(purpose: LinkPurpose) -> Any:
    return (
        (PlacementLink.purpose == purpose)
        & PlacementLink.used_at.is_null()
        & PlacementLink.revoked_at.is_null()
        & (PlacementLink.expires_at > now())
    )


async def find(raw: str, purpose: LinkPurpose) -> Grant | None:
    """The grant of a valid link of `purpose` (unused, alive, not expired, the placement still
    in the purpose's state); None for anything else, without saying why."""
    if not raw or len(raw) > MAX_LENGTH:
        return None
    row = (
        await PlacementLink.select(
            PlacementLink._meta.primary_key,
            PlacementLink.placement,
            PlacementLink.placement.employer.as_alias("employer"),
            PlacementLink.placement.state.as_alias("state"),
        )
        .where((PlacementLink.digest == digest(raw)) & _valid(purpose))
        .first()
    )
    if row is None or row["state"] != STATE_OF[purpose]:
        return None
    return Grant(row["id"], row["placement"], row["employer"], purpose)


async def consume(grant: Grant, *, address: str) -> bool:
    """Use the link up (in the caller's transaction); of two uses at once only one succeeds."""
    used = (
        await PlacementLink.update({PlacementLink.used_at: now()})
        .where(
            (PlacementLink._meta.primary_key == grant.link_id)
            & (PlacementLink.placement == grant.placement_id)
            & _valid(grant.purpose)
        )
        .returning(PlacementLink._meta.primary_key)
    )
    if used:
        await audit("placement_link.used", grant, address=address)
    return bool(used)


async def discard(raw: str) -> None:
    """Remove the link of a message that could not be sent: its secret is lost with the message,
    so the row could never be used (a retry makes a new link)."""
    await PlacementLink.delete().where(
        (PlacementLink.digest == digest(raw)) & PlacementLink.used_at.is_null()
    )


async def purge(moment: dt.datetime) -> int:
    """Remove the links past their expiry (the scheduled daily jobs): none of them can be used
    any more, and the audit log keeps what was done with them (by the link's id)."""
    gone = (
        await PlacementLink.delete()
        .where(PlacementLink.expires_at < moment)
        .returning(PlacementLink._meta.primary_key)
    )
    return len(gone)


async def refused(purpose: LinkPurpose, *, address: str) -> None:
    """An audit row of a link that was tried and is not (or no longer) valid: its purpose and
    the address, never what was typed (it may be a real link's secret, mistyped)."""
    await record(
        "placement_link.refused", record_type="placement_link", record_id="unknown",
        address=address, purpose=purpose.value,
    )  # fmt: skip


async def revoke(placement_id: UUID) -> None:
    """Kill the placement's live links (its state changes: what they were for is over)."""
    await PlacementLink.update({PlacementLink.revoked_at: now()}).where(
        (PlacementLink.placement == placement_id)
        & PlacementLink.used_at.is_null()
        & PlacementLink.revoked_at.is_null()
    )


async def audit(action: str, grant: Grant, *, address: str) -> None:
    """An audit row of a link's use (the link's id and purpose, never its secret)."""
    await record(
        action,
        record_type="placement",
        record_id=grant.placement_id,
        actor_organisation_id=grant.organisation_id,
        address=address,
        link=grant.link_id,
        purpose=grant.purpose.value,
    )
