"""Who is asking: the user behind a session, loaded once per request by the middleware."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from litestar.connection import ASGIConnection

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
