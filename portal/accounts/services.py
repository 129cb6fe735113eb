"""Account rules: log-in, single-use links, invitations, passwords, deactivation.

Handlers call these; tests reach them without HTTP.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import secrets
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from litestar.exceptions import NotFoundException

from portal.accounts.passwords import hash_password, needs_rehash, verify_password
from portal.accounts.tables import (
    OrgKind,
    OrgStatus,
    Role,
    Token,
    TokenKind,
    User,
)
from portal.audit.services import record
from portal.auth import CurrentUser
from portal.auth.policy import assignable_roles, may_manage_users_of, own
from portal.clock import now
from portal.forms import Errors, check_email, normalise_email
from portal.i18n import _
from portal.throttle import LoginThrottle

TOKEN_LIFETIME = {
    TokenKind.confirm_email: dt.timedelta(hours=48),
    TokenKind.invite: dt.timedelta(days=7),
    TokenKind.password_reset: dt.timedelta(hours=1),
}


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


async def issue_token(user_id: UUID, kind: TokenKind) -> str:
    """A new single-use link secret; earlier unused links of the same kind stop working."""
    await Token.update({Token.used_at: now()}).where(
        (Token.user == user_id) & (Token.kind == kind) & Token.used_at.is_null()
    )
    raw = secrets.token_urlsafe(32)
    await Token.insert(
        Token(kind=kind, user=user_id, digest=_digest(raw), expires_at=now() + TOKEN_LIFETIME[kind])
    )
    return raw


async def peek_token(raw: str, kind: TokenKind) -> UUID | None:
    """The user a valid link belongs to, without using it up (to show the form)."""
    if not raw or len(raw) > 100:
        return None
    row = (
        await Token.select(Token.user)
        .where(
            (Token.digest == _digest(raw))
            & (Token.kind == kind)
            & Token.used_at.is_null()
            & (Token.expires_at > now())
        )
        .first()
    )
    return row["user"] if row else None


async def consume_token(raw: str, kind: TokenKind) -> UUID | None:
    """Use a link up; of two simultaneous uses only one succeeds (one conditional UPDATE)."""
    if not raw or len(raw) > 100:
        return None
    rows = (
        await Token.update({Token.used_at: now()})
        .where(
            (Token.digest == _digest(raw))
            & (Token.kind == kind)
            & Token.used_at.is_null()
            & (Token.expires_at > now())
        )
        .returning(Token.user)
    )
    return rows[0]["user"] if rows else None


class LoginOutcome(enum.Enum):
    ok = "ok"
    invalid = "invalid"
    throttled = "throttled"
    unconfirmed = "unconfirmed"
    organisation_blocked = "organisation_blocked"


@dataclass
class LoginResult:
    outcome: LoginOutcome
    user: dict[str, Any] | None = None
    wait_seconds: int = 0


async def authenticate(
    email: str, password: str, *, address: str, throttle: LoginThrottle
) -> LoginResult:
    wait = await throttle.wait_seconds(email, address)
    if wait:
        return LoginResult(LoginOutcome.throttled, wait_seconds=wait)
    user = (
        await User.select(
            User.id,
            User.email,
            User.password_hash,
            User.is_active,
            User.email_confirmed_at,
            User.language,
            User.organisation.status,
        )
        .where(User.email == email)
        .first()
    )
    valid = await verify_password(user["password_hash"] if user else "", password)
    if not valid or user is None or not user["is_active"]:
        await throttle.failed(email, address)
        if user is not None:
            await User.update({User.failed_logins: User.failed_logins + 1}).where(
                User.id == user["id"]
            )
        return LoginResult(LoginOutcome.invalid)
    # The password is right: from here on the answers may be specific.
    if user["email_confirmed_at"] is None:
        return LoginResult(LoginOutcome.unconfirmed)
    if user["organisation.status"] in (OrgStatus.suspended, OrgStatus.rejected):
        return LoginResult(LoginOutcome.organisation_blocked)
    changes: dict[Any, Any] = {User.last_login: now(), User.failed_logins: 0}
    if needs_rehash(user["password_hash"]):
        changes[User.password_hash] = user["password_hash"] = await hash_password(password)
    await User.update(changes).where(User.id == user["id"])
    await throttle.clear_account(email)
    return LoginResult(LoginOutcome.ok, user=user)


async def set_password(user_id: UUID, password: str, *, confirm_email: bool = False) -> str:
    """Store a new password; returns the new hash (its fingerprint ends other sessions)."""
    password_hash = await hash_password(password)
    changes: dict[Any, Any] = {User.password_hash: password_hash, User.failed_logins: 0}
    if confirm_email:
        changes[User.email_confirmed_at] = now()
    await User.update(changes).where(User.id == user_id)
    # A reset or change of password also voids the links still out there.
    await Token.update({Token.used_at: now()}).where(
        (Token.user == user_id) & Token.used_at.is_null()
    )
    return password_hash


async def email_taken(email: str) -> bool:
    return await User.exists().where(User.email == email)


async def invitation_errors(data: Mapping[str, str], roles: Iterable[Role]) -> Errors:
    """What is wrong with an invitation form (e-mail, name, role among `roles`)."""
    errors = Errors(data)
    check_email(errors, data)
    errors.require(data, "display_name", "role")
    errors.max_length(data, "display_name", 120)
    errors.choice(data, "role", {role.value for role in roles})
    if "email" not in errors and await email_taken(normalise_email(data["email"])):
        errors["email"] = _("This e-mail address already has an account.")
    return errors


async def invite_user(
    actor: CurrentUser,
    *,
    organisation_id: UUID,
    organisation_kind: OrgKind,
    email: str,
    display_name: str,
    role: Role,
    address: str,
) -> tuple[UUID, str]:
    """Create a user without a password and an invitation link for them."""
    if not may_manage_users_of(actor, organisation_id):
        raise NotFoundException()
    if role not in assignable_roles(actor, organisation_kind):
        raise ValueError("role not allowed for this organisation")
    user = User(
        email=email,
        display_name=display_name,
        organisation=organisation_id,
        role=role,
        language=actor.language,
    )
    await user.save()
    raw = await issue_token(user.id, TokenKind.invite)
    await record(
        "user.invited",
        record_type="user",
        record_id=user.id,
        actor_id=actor.id,
        actor_organisation_id=actor.organisation_id,
        address=address,
        role=role.value,
    )
    return user.id, raw


async def set_user_active(actor: CurrentUser, user_id: UUID, active: bool, *, address: str) -> bool:
    """Deactivate or reactivate a user of the actor's organisation (operators: any).

    Returns False when there is no such user for this actor (the caller answers 404).
    Deactivation takes effect at once: the session check refuses inactive users.
    """
    row = await User.select(User.id, User.organisation).where(User.id == user_id).first()
    if row is None or not may_manage_users_of(actor, row["organisation"]):
        return False
    if row["id"] == actor.id:
        raise ValueError("cannot deactivate oneself")
    await User.update({User.is_active: active}).where(User.id == user_id)
    await record(
        "user.activated" if active else "user.deactivated",
        record_type="user",
        record_id=user_id,
        actor_id=actor.id,
        actor_organisation_id=actor.organisation_id,
        address=address,
    )
    return True


# The columns an organisation admin sees of a colleague; "pending" is derived from the hash.
_COLLEAGUE_COLUMNS = (
    User.id,
    User.email,
    User.display_name,
    User.role,
    User.is_active,
    User.last_login,
    User.created_at,
    User.password_hash,
)


def _colleague_row(row: dict[str, Any]) -> dict[str, Any]:
    # An invited user has no password until they accept: the invitation is still pending.
    row["pending"] = not row.pop("password_hash")
    return row


async def count_colleagues(organisation_id: UUID) -> int:
    return await User.count().where(User.organisation == organisation_id)


async def colleagues(organisation_id: UUID, *, offset: int, limit: int) -> list[dict[str, Any]]:
    """One page of an organisation's users, by name (one query)."""
    rows = (
        await User.select(*_COLLEAGUE_COLUMNS)
        .where(User.organisation == organisation_id)
        .order_by(User.display_name, User.email)
        .offset(offset)
        .limit(limit)
    )
    return [_colleague_row(row) for row in rows]


async def colleague(actor: CurrentUser, user_id: UUID) -> dict[str, Any] | None:
    """A user of the actor's own organisation; None for anyone else (the caller answers 404)."""
    row = (
        await User.select(*_COLLEAGUE_COLUMNS)
        .where((User.id == user_id) & own(actor, User.organisation))
        .first()
    )
    return _colleague_row(row) if row else None


async def renew_invitation(actor: CurrentUser, user_id: UUID, *, address: str) -> str | None:
    """A new invitation link for a colleague who has not accepted yet; the old link stops working.

    None when the user is not the actor's colleague; ValueError when there is nothing to renew
    (the invitation was accepted, or the user is deactivated and could not accept it anyway).
    """
    row = await colleague(actor, user_id)
    if row is None:
        return None
    if not row["pending"] or not row["is_active"]:
        raise ValueError("no pending invitation")
    raw = await issue_token(user_id, TokenKind.invite)
    await record(
        "user.invitation_renewed",
        record_type="user",
        record_id=user_id,
        actor_id=actor.id,
        actor_organisation_id=actor.organisation_id,
        address=address,
    )
    return raw
