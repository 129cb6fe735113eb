"""Organisations (the tenants), their users, and single-use links sent by e-mail."""

from __future__ import annotations

import enum

from piccolo.columns import (
    UUID,
    Boolean,
    ForeignKey,
    Integer,
    OnDelete,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from portal.reference.tables import Municipality


class OrgKind(enum.StrEnum):
    employer = "employer"
    case_management = "case_management"
    chamber = "chamber"
    authority = "authority"
    operator = "operator"


class OrgStatus(enum.StrEnum):
    pending = "pending"
    active = "active"
    suspended = "suspended"
    rejected = "rejected"


class SizeClass(enum.StrEnum):
    micro = "micro"  # 1–9
    small = "small"  # 10–49
    medium = "medium"  # 50–249
    large = "large"  # 250+


class Chamber(enum.StrEnum):
    ihk = "ihk"
    hwk = "hwk"
    none = "none"


class Role(enum.StrEnum):
    employer_member = "employer_member"
    employer_admin = "employer_admin"
    case_manager = "case_manager"
    team_lead = "team_lead"
    statistics_viewer = "statistics_viewer"
    operator_admin = "operator_admin"


# PRODUCT.md section 2: which roles a user of each kind of organisation may hold, and which of
# them administers the organisation's users.
ROLES_BY_KIND: dict[OrgKind, tuple[Role, ...]] = {
    OrgKind.employer: (Role.employer_member, Role.employer_admin),
    OrgKind.case_management: (Role.case_manager, Role.team_lead),
    OrgKind.chamber: (Role.statistics_viewer,),
    OrgKind.authority: (Role.statistics_viewer,),
    OrgKind.operator: (Role.operator_admin,),
}
ORG_ADMIN_ROLES = frozenset({Role.employer_admin, Role.team_lead, Role.operator_admin})


class Language(enum.StrEnum):
    de = "de"
    en = "en"


class Organisation(Table):
    id = UUID(primary_key=True)
    kind = Varchar(length=20, choices=OrgKind, index=True)
    name = Varchar(length=200)
    street = Varchar(length=200, default="")
    postcode = Varchar(length=10, default="")
    city = Varchar(length=100, default="")
    sector = Varchar(length=100, default="")
    size_class = Varchar(length=10, choices=SizeClass, null=True, default=None)
    chamber = Varchar(length=10, choices=Chamber, null=True, default=None)
    status = Varchar(length=20, choices=OrgStatus, default=OrgStatus.pending, index=True)
    created_at = Timestamptz(default=TimestamptzNow())
    decided_at = Timestamptz(null=True, default=None)
    # The company profile (employers; issue "Employers").
    municipality = ForeignKey(
        references=Municipality, on_delete=OnDelete.set_null, null=True, default=None, index=True
    )
    contact_name = Varchar(length=120, default="")
    contact_phone = Varchar(length=40, default="")
    contact_email = Varchar(length=254, default="")
    description = Text(default="")
    # Case management: case managers also see their colleagues' cases (team leads see all).
    caseload_shared = Boolean(default=False)

    @property
    def is_active(self) -> bool:
        return self.status == OrgStatus.active


class User(Table, tablename="portal_user"):
    id = UUID(primary_key=True)
    # Stored lower-cased (see accounts.services.normalise_email): unique case-insensitively.
    email = Varchar(length=254, unique=True)
    display_name = Varchar(length=120)
    organisation = ForeignKey(references=Organisation, on_delete=OnDelete.restrict, index=True)
    role = Varchar(length=20, choices=Role)
    language = Varchar(length=2, choices=Language, default=Language.de)
    # Empty until the user sets a password (an invited user who has not yet accepted).
    password_hash = Varchar(length=200, default="")
    is_active = Boolean(default=True)
    email_confirmed_at = Timestamptz(null=True, default=None)
    last_login = Timestamptz(null=True, default=None)
    failed_logins = Integer(default=0)
    created_at = Timestamptz(default=TimestamptzNow())


class TokenKind(enum.StrEnum):
    confirm_email = "confirm_email"
    invite = "invite"
    password_reset = "password_reset"  # noqa: S105 - a kind of link, not a password


class Token(Table):
    """A single-use, expiring link; only the SHA-256 of the secret is stored."""

    kind = Varchar(length=20, choices=TokenKind)
    user = ForeignKey(references=User, on_delete=OnDelete.cascade, index=True)
    digest = Varchar(length=64, unique=True)
    expires_at = Timestamptz()
    used_at = Timestamptz(null=True, default=None)
    created_at = Timestamptz(default=TimestamptzNow())
