"""Who is asking, and may they: the one public place for access checks.

Every feature uses these guards and helpers; none writes its own. Role checks answer 403,
tenant checks answer 404, so that a guessed id does not even reveal that a record exists.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from litestar.connection import ASGIConnection
from litestar.exceptions import NotAuthorizedException, NotFoundException, PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler

from portal.accounts.tables import ORG_ADMIN_ROLES, OrgKind, OrgStatus, Role, User


@dataclass(frozen=True)
class CurrentUser:
    id: UUID
    email: str
    display_name: str
    role: Role
    language: str
    organisation_id: UUID
    organisation_name: str
    organisation_kind: OrgKind
    organisation_status: OrgStatus

    @property
    def is_org_admin(self) -> bool:
        return self.role in ORG_ADMIN_ROLES

    @property
    def is_operator(self) -> bool:
        return self.role == Role.operator_admin

    @property
    def organisation_active(self) -> bool:
        return self.organisation_status == OrgStatus.active


def password_fingerprint(password_hash: str) -> str:
    """Changes whenever the password does; kept in the session to end it after a change."""
    return hashlib.sha256(password_hash.encode()).hexdigest()[:16]


async def load_user(user_id: str, fingerprint: str | None) -> CurrentUser | None:
    """The active user behind a session, with their organisation, in one query."""
    try:
        uid = UUID(user_id)
    except (TypeError, ValueError):
        return None
    row = (
        await User.select(
            User.id,
            User.email,
            User.display_name,
            User.role,
            User.language,
            User.password_hash,
            User.is_active,
            User.organisation.id,
            User.organisation.name,
            User.organisation.kind,
            User.organisation.status,
        )
        .where(User.id == uid)
        .first()
    )
    if row is None or not row["is_active"]:
        return None
    if fingerprint is not None and password_fingerprint(row["password_hash"]) != fingerprint:
        return None
    if row["organisation.status"] in (OrgStatus.suspended, OrgStatus.rejected):
        return None
    return CurrentUser(
        id=row["id"],
        email=row["email"],
        display_name=row["display_name"],
        role=Role(row["role"]),
        language=row["language"],
        organisation_id=row["organisation.id"],
        organisation_name=row["organisation.name"],
        organisation_kind=OrgKind(row["organisation.kind"]),
        organisation_status=OrgStatus(row["organisation.status"]),
    )


def current_user(connection: ASGIConnection[Any, Any, Any, Any]) -> CurrentUser | None:
    return connection.scope.get("user")  # type: ignore[return-value]


Guard = Callable[[ASGIConnection[Any, Any, Any, Any], BaseRouteHandler], None]


def login_required(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """Any logged-in user, also of an organisation that still awaits approval."""
    if current_user(connection) is None:
        raise NotAuthorizedException()


def roles(*allowed: Role) -> Guard:
    """A logged-in user of an approved organisation holding one of `allowed`."""
    allowed_set = frozenset(allowed)

    def guard(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
        user = current_user(connection)
        if user is None:
            raise NotAuthorizedException()
        if not user.organisation_active or user.role not in allowed_set:
            raise PermissionDeniedException()

    return guard


def active_member(connection: ASGIConnection[Any, Any, Any, Any], _: BaseRouteHandler) -> None:
    """Any logged-in user of an approved organisation."""
    user = current_user(connection)
    if user is None:
        raise NotAuthorizedException()
    if not user.organisation_active:
        raise PermissionDeniedException()


org_admin = roles(*ORG_ADMIN_ROLES)
operator_admin = roles(Role.operator_admin)


def ensure_same_tenant(user: CurrentUser, organisation_id: UUID | str | None) -> None:
    """404 unless the record belongs to the user's own organisation."""
    if organisation_id is None or str(organisation_id) != str(user.organisation_id):
        raise NotFoundException()


def parse_id(value: str) -> UUID:
    """A record id from a URL; anything malformed is simply not found."""
    try:
        return UUID(value)
    except ValueError:
        raise NotFoundException() from None


def require_kind(user: CurrentUser, kinds: Iterable[OrgKind]) -> None:
    if user.organisation_kind not in set(kinds):
        raise PermissionDeniedException()
