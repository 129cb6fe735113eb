"""The console's organisations: the list, one organisation, approval and suspension, creation."""

from __future__ import annotations

import enum
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import asyncpg
from piccolo.columns.combination import Where
from piccolo.querystring import QueryString

from portal.accounts.labels import ORG_STATUS_LABELS
from portal.accounts.services import email_taken, invite_user
from portal.accounts.tables import Organisation, OrgKind, OrgStatus, Role, User
from portal.audit.services import record
from portal.auth import CurrentUser
from portal.clock import now
from portal.employers.services import POSTCODE_RE
from portal.forms import Errors, check_email, normalise_email, not_allowed, not_allowed_message
from portal.i18n import N_, _
from portal.pagination import Page, paginate

STATUS_VALUES = frozenset(status.value for status in OrgStatus)
KIND_VALUES = frozenset(kind.value for kind in OrgKind)
REASON_MAX_LENGTH = 2000

# Operators create these; employers register themselves. The first user's role follows the kind.
CREATABLE_KINDS = {
    OrgKind.case_management: Role.team_lead,
    OrgKind.chamber: Role.statistics_viewer,
    OrgKind.authority: Role.statistics_viewer,
}


def _unconfirmed() -> QueryString:
    """True for an organisation none of whose users has confirmed an e-mail address yet.

    A correlated subquery inside the page query, so that the list stays at one count and one
    page query however many organisations it shows.
    """
    # Table names come from our own models, never from input.
    user, organisation = User._meta.tablename, Organisation._meta.tablename
    sql = (
        f'NOT EXISTS (SELECT 1 FROM "{user}" WHERE "{user}"."organisation" = '  # noqa: S608
        f'"{organisation}"."id" AND "{user}"."email_confirmed_at" IS NOT NULL)'
    )
    return QueryString(sql).as_alias("unconfirmed")


def _organisation_filters(status: str, kind: str) -> list[Where]:
    conditions = []
    if status in STATUS_VALUES:
        conditions.append(Organisation.status == status)
    if kind in KIND_VALUES:
        conditions.append(Organisation.kind == kind)
    return conditions


async def organisations(*, status: str, kind: str, number: int) -> Page:
    """A page of organisations, newest first: one count and one page query."""
    query = Organisation.select(
        Organisation.id,
        Organisation.name,
        Organisation.kind,
        Organisation.city,
        Organisation.status,
        Organisation.created_at,
        _unconfirmed(),
    )
    filters = {
        "status": status if status in STATUS_VALUES else "",
        "kind": kind if kind in KIND_VALUES else "",
    }
    listing = await paginate(
        Organisation,
        query,
        _organisation_filters(status, kind),
        number=number,
        order_by=[(Organisation.created_at, False)],
        filters=filters,
    )
    rows = listing.rows
    for row in rows:
        row["unconfirmed"] = bool(row["unconfirmed"])
    return listing


async def organisation(organisation_id: UUID) -> dict[str, Any] | None:
    row = (
        await Organisation.select(*Organisation.all_columns(), _unconfirmed())
        .where(Organisation.id == organisation_id)
        .first()
    )
    if row is not None:
        row["unconfirmed"] = bool(row["unconfirmed"])
    return row


async def organisation_users(organisation_id: UUID) -> list[dict[str, Any]]:
    """What the console shows of an organisation's users: name, role, active — no more."""
    return (
        await User.select(User.id, User.display_name, User.role, User.is_active)
        .where(User.organisation == organisation_id)
        .order_by(User.display_name)
    )


class Decision(enum.StrEnum):
    approve = "approve"
    reject = "reject"
    suspend = "suspend"
    reactivate = "reactivate"


# decision → (the status it applies to, the status it leads to, the audit action)
TRANSITIONS = {
    Decision.approve: (OrgStatus.pending, OrgStatus.active, "organisation.approved"),
    Decision.reject: (OrgStatus.pending, OrgStatus.rejected, "organisation.rejected"),
    Decision.suspend: (OrgStatus.active, OrgStatus.suspended, "organisation.suspended"),
    Decision.reactivate: (OrgStatus.suspended, OrgStatus.active, "organisation.reactivated"),
}
NOT_APPLICABLE = {
    Decision.approve: N_("Only a registration awaiting approval can be approved."),
    Decision.reject: N_("Only a registration awaiting approval can be rejected."),
    Decision.suspend: N_("Only an active organisation can be suspended."),
    Decision.reactivate: N_("Only a suspended organisation can be reactivated."),
}
DONE = {
    Decision.approve: N_("%(name)s has been approved. Its users have been informed by e-mail."),
    Decision.reject: N_("%(name)s has been rejected. Its users have been informed by e-mail."),
    Decision.suspend: N_("%(name)s has been suspended. Its users can no longer log in."),
    Decision.reactivate: N_("%(name)s has been reactivated. Its users can log in again."),
}


class Refused(Exception):
    """A decision that does not apply; the message says why, in the user's language."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def allowed_decisions(row: Mapping[str, Any]) -> list[Decision]:
    """The decisions the console offers for an organisation in its current state."""
    return [
        decision
        for decision, (source, _target, _action) in TRANSITIONS.items()
        if row["status"] == source
        and not (decision is Decision.approve and row["unconfirmed"])
        and not (decision is Decision.suspend and row["kind"] == OrgKind.operator)
    ]


@dataclass(frozen=True)
class Decided:
    name: str
    # The users to inform by e-mail (address and language).
    recipients: list[dict[str, Any]]


async def decide(
    actor: CurrentUser,
    organisation_id: UUID,
    decision: Decision,
    *,
    reason: str = "",
    address: str,
) -> Decided:
    """Move an organisation to its next status.

    Raises Refused when the decision does not apply to the organisation's current status.
    """
    row = await organisation(organisation_id)
    if row is None:
        raise LookupError(organisation_id)
    source, target, action = TRANSITIONS[decision]
    if row["status"] != source:
        current = _(ORG_STATUS_LABELS[OrgStatus(row["status"])])
        raise Refused(_(NOT_APPLICABLE[decision]) + " " + _("Its status is: %(s)s.", s=current))
    if decision is Decision.approve and row["unconfirmed"]:
        raise Refused(
            _("This registration cannot be approved yet: the e-mail address is not confirmed.")
        )
    if decision is Decision.suspend and row["kind"] == OrgKind.operator:
        raise Refused(_("The operating organisation cannot be suspended."))
    if len(reason) > REASON_MAX_LENGTH:
        raise Refused(_("Please use at most %(n)s characters.", n=REASON_MAX_LENGTH))
    if not_allowed(reason):
        raise Refused(not_allowed_message())
    # Conditional on the status read above: of two operators deciding at once, one wins.
    changed = (
        await Organisation.update({Organisation.status: target, Organisation.decided_at: now()})
        .where((Organisation.id == organisation_id) & (Organisation.status == source))
        .returning(Organisation.id)
    )
    if not changed:
        raise Refused(_("Someone else has just changed this organisation. Please check again."))
    await record(
        action,
        record_type="organisation",
        record_id=organisation_id,
        actor_id=actor.id,
        actor_organisation_id=actor.organisation_id,
        address=address,
        reason_given=bool(reason),
    )
    if decision not in (Decision.approve, Decision.reject):
        return Decided(name=row["name"], recipients=[])
    # Only confirmed addresses: a rejection must not reach someone whose address was misused.
    recipients = (
        await User.select(User.email, User.language)
        .where(
            (User.organisation == organisation_id)
            & (User.is_active == True)  # noqa: E712
            & User.email_confirmed_at.is_not_null()
        )
        .order_by(User.created_at)
    )
    return Decided(name=row["name"], recipients=recipients)


def new_organisation_errors(data: Mapping[str, str]) -> Errors:
    errors = Errors(data)
    errors.require(data, "kind", "name", "display_name")
    errors.choice(data, "kind", {kind.value for kind in CREATABLE_KINDS})
    errors.max_length(data, "name", 200)
    errors.max_length(data, "street", 200)
    errors.max_length(data, "city", 100)
    errors.max_length(data, "display_name", 120)
    if data.get("postcode") and not POSTCODE_RE.match(data["postcode"]):
        errors.setdefault("postcode", _("Please enter a postcode of five digits, e.g. 04109."))
    check_email(errors, data)
    return errors


class EmailTaken(Exception):
    pass


async def create_organisation(
    actor: CurrentUser, data: Mapping[str, str], *, address: str
) -> tuple[UUID, str]:
    """An active organisation with its first user invited; returns its id and the invite link.

    Raises EmailTaken when the first user's address already has an account.
    """
    kind = OrgKind(data["kind"])
    email = normalise_email(data["email"])
    if await email_taken(email):
        raise EmailTaken(email)
    new = Organisation(
        kind=kind,
        name=data["name"],
        street=data.get("street", ""),
        postcode=data.get("postcode", ""),
        city=data.get("city", ""),
        status=OrgStatus.active,
        decided_at=now(),
    )
    try:
        async with Organisation._meta.db.transaction():
            await new.save()
            _user_id, raw = await invite_user(
                actor,
                organisation_id=new.id,
                organisation_kind=kind,
                email=email,
                display_name=data["display_name"],
                role=CREATABLE_KINDS[kind],
                address=address,
            )
            await record(
                "organisation.created",
                record_type="organisation",
                record_id=new.id,
                actor_id=actor.id,
                actor_organisation_id=actor.organisation_id,
                address=address,
                kind=kind.value,
            )
    except (asyncpg.UniqueViolationError, sqlite3.IntegrityError):
        raise EmailTaken(email) from None
    return new.id, raw
