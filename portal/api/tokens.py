"""API tokens: created by an organisation's admin, shown once, kept as a hash, revocable.

A token acts as its organisation in the role of the organisation's admin (TOKEN_ROLE): the
same guards (portal.auth.guards) and record rules (portal.auth.policy) as for that admin's
pages decide what it may reach — nothing here repeats them. A read token is further limited
to reading (api.auth.writes). The admin who created it is the actor of what it does
(audit rows, records that name their author); a token stops working when that admin is
deactivated or the organisation is suspended, when it is revoked or when it expires.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from portal.accounts.tables import OrgKind, OrgStatus, Role
from portal.api.tables import ApiToken, TokenScope
from portal.audit.services import record
from portal.auth import CurrentUser
from portal.auth.policy import own
from portal.clock import TIMEZONE, now
from portal.forms import Errors, date_within, parse_date, years_from
from portal.i18n import _

PREFIX = "ppt_"  # "portal personal token": recognisable in a leaked file or a secret scanner
NAME_LIMIT = 100
# The role a token of an organisation of each kind stands for: its admin's. Chambers and
# authorities have no admin: their statistics viewers make read-only tokens for the figures.
TOKEN_ROLE = {
    OrgKind.employer: Role.employer_admin,
    OrgKind.case_management: Role.team_lead,
    OrgKind.operator: Role.operator_admin,
    OrgKind.chamber: Role.statistics_viewer,
    OrgKind.authority: Role.statistics_viewer,
}
# Who makes and revokes an organisation's tokens (the settings page's guard).
TOKEN_ADMINS = (Role.employer_admin, Role.team_lead, Role.operator_admin, Role.statistics_viewer)


def scopes_for(user: CurrentUser) -> tuple[TokenScope, ...]:
    """The scopes the user may give a token: a statistics viewer only reads."""
    if user.role == Role.statistics_viewer:
        return (TokenScope.read,)
    return tuple(TokenScope)


def digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def new_secret() -> str:
    return PREFIX + secrets.token_urlsafe(32)


@dataclass(frozen=True)
class TokenFields:
    name: str
    scope: TokenScope
    expires_on: dt.date | None


def check_token_form(
    data: Mapping[str, str], on: dt.date, scopes: tuple[TokenScope, ...] = tuple(TokenScope)
) -> tuple[Errors, TokenFields | None]:
    """The creation form's problems field by field, or the fields (`scopes`: the user's)."""
    errors = Errors(data)
    errors.require(data, "name", "scope")
    errors.max_length(data, "name", NAME_LIMIT)
    errors.choice(data, "scope", {scope.value for scope in scopes})
    expires_on = None
    if data.get("expires_on"):
        expires_on = parse_date(data["expires_on"])
        if expires_on is None:
            errors.setdefault("expires_on", _("Please enter a date in the format DD.MM.YYYY."))
        elif expires_on <= on:
            errors.setdefault("expires_on", _("Please choose a day after today."))
        else:
            expires_on = date_within(errors, "expires_on", expires_on, on, years_from(on, 5))
    if errors:
        return errors, None
    return errors, TokenFields(data["name"], TokenScope(data["scope"]), expires_on)


def _audit(user: CurrentUser, action: str, token_id: UUID, address: str, **detail: Any) -> Any:
    return record(
        action,
        record_type="api_token",
        record_id=token_id,
        actor_id=user.id,
        actor_organisation_id=user.organisation_id,
        address=address,
        **detail,
    )


async def create_token(user: CurrentUser, fields: TokenFields, *, address: str) -> str:
    """A new token of the user's organisation; returns the secret, which is not kept."""
    raw = new_secret()
    expires_at = None
    if fields.expires_on is not None:
        # Valid through the chosen day in Berlin, until midnight.
        expires_at = dt.datetime.combine(
            fields.expires_on + dt.timedelta(days=1), dt.time(), tzinfo=TIMEZONE
        )
    token = ApiToken(
        organisation=user.organisation_id,
        created_by=user.id,
        name=fields.name,
        scope=fields.scope,
        digest=digest(raw),
        hint=raw[: len(PREFIX) + 6],
        created_at=now(),
        expires_at=expires_at,
    )
    async with ApiToken._meta.db.transaction():
        await token.save()
        await _audit(user, "api_token.created", token.id, address, scope=fields.scope.value)
    return raw


async def tokens_of(user: CurrentUser) -> list[dict[str, Any]]:
    """The organisation's tokens, newest first (never the secret: it is not kept)."""
    return await (
        ApiToken.select(
            ApiToken.id,
            ApiToken.name,
            ApiToken.scope,
            ApiToken.hint,
            ApiToken.created_at,
            ApiToken.expires_at,
            ApiToken.revoked_at,
            ApiToken.last_used_at,
            ApiToken.last_address,
            ApiToken.created_by.display_name.as_alias("created_by_name"),
        )
        .where(own(user, ApiToken.organisation))
        .order_by(ApiToken.created_at, ascending=False)
    )


async def revoke_token(user: CurrentUser, token_id: UUID, *, address: str) -> bool:
    """Revoke a token of the user's organisation; False when there is none to revoke."""
    async with ApiToken._meta.db.transaction():
        revoked = await (
            ApiToken.update({ApiToken.revoked_at: now()})
            .where(
                (ApiToken.id == token_id)
                & own(user, ApiToken.organisation)
                & ApiToken.revoked_at.is_null()
            )
            .returning(ApiToken.id)
        )
        if revoked:
            await _audit(user, "api_token.revoked", token_id, address)
    return bool(revoked)


# A token's last use (and its read's audit row) is written at most this often: every API read
# writing two rows made reading cost a write and filled the audit log with polls.
USE_RECORDED_EVERY = dt.timedelta(minutes=1)
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass(frozen=True)
class TokenUse:
    """Who a valid token acts as, and how."""

    token_id: UUID
    scope: TokenScope
    user: CurrentUser
    last_used_at: dt.datetime | None = None


async def authenticate(raw: str, *, language: str) -> TokenUse | None:
    """The token behind a Bearer secret if it is valid now (one query), else None."""
    if not raw.startswith(PREFIX) or len(raw) > 100:
        return None
    row = (
        await ApiToken.select(
            ApiToken.id,
            ApiToken.scope,
            ApiToken.expires_at,
            ApiToken.revoked_at,
            ApiToken.last_used_at,
            ApiToken.created_by,
            ApiToken.created_by.is_active.as_alias("creator_active"),
            ApiToken.organisation.id.as_alias("organisation_id"),
            ApiToken.organisation.name.as_alias("organisation_name"),
            ApiToken.organisation.kind.as_alias("organisation_kind"),
            ApiToken.organisation.status.as_alias("organisation_status"),
        )
        .where(ApiToken.digest == digest(raw))
        .first()
    )
    if row is None or row["revoked_at"] is not None or not row["creator_active"]:
        return None
    if row["expires_at"] is not None and row["expires_at"] <= now():
        return None
    kind = OrgKind(row["organisation_kind"])
    status = OrgStatus(row["organisation_status"])
    if kind not in TOKEN_ROLE or status in (OrgStatus.suspended, OrgStatus.rejected):
        return None
    user = CurrentUser(
        id=row["created_by"],
        email="",
        display_name="",
        role=TOKEN_ROLE[kind],
        language=language,
        organisation_id=row["organisation_id"],
        organisation_name=row["organisation_name"],
        organisation_kind=kind,
        organisation_status=status,
    )
    return TokenUse(
        token_id=row["id"],
        scope=TokenScope(row["scope"]),
        user=user,
        last_used_at=row["last_used_at"],
    )


async def record_use(use: TokenUse, *, address: str, method: str, route: str) -> None:
    """The token's last use and address, and an audit row naming the route pattern.

    Every write is audited (besides the service's own audit row of what it changed). Reads are
    recorded at most once a minute per token (USE_RECORDED_EVERY): the audit log shows that
    and from where a token was reading, without a row per poll. The reads that the pages audit
    one by one (an identity, a document's bytes) are audited by their services, for the API
    as for the pages."""
    moment = now()
    values: dict[Any, Any] = {ApiToken.last_used_at: moment, ApiToken.last_address: address[:45]}
    if method.upper() not in READ_METHODS:
        async with ApiToken._meta.db.transaction():
            await ApiToken.update(values).where(ApiToken.id == use.token_id)
            await _audit(
                use.user, "api_token.used", use.token_id, address, method=method, route=route
            )
        return
    since = moment - USE_RECORDED_EVERY
    if use.last_used_at is not None and use.last_used_at > since:
        return
    async with ApiToken._meta.db.transaction():
        # Conditional: of parallel reads after a quiet minute, one records.
        recorded = (
            await ApiToken.update(values)
            .where(
                (ApiToken.id == use.token_id)
                & (ApiToken.last_used_at.is_null() | (ApiToken.last_used_at <= since))
            )
            .returning(ApiToken.id)
        )
        if recorded:
            await _audit(
                use.user, "api_token.used", use.token_id, address, method=method, route=route
            )


def is_active(row: Mapping[str, Any]) -> bool:
    """Whether a listed token still works (not revoked, not expired)."""
    expires = row["expires_at"]
    return row["revoked_at"] is None and (expires is None or expires > now())
