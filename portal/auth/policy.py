"""May this user see or change this record? The record-level rules of PRODUCT.md section 2.

Every page, the console, the statistics and the API ask these functions; none writes its own
`… == user.organisation_id`. A rule is written twice only where it must be: as a predicate on a
loaded row (`may_see_candidate`) and as the query condition listing the same rows
(`caseload_where`), side by side so that they stay the same.

The functions take rows (mappings) and columns, never a feature's tables, so this module sits
at the bottom with the accounts and every feature builds on it. The keys a predicate reads are
named in its docstring; the loaders (`candidates.access.load_candidate`,
`placements.machine.load_placement`, `candidates.documents.load_document`) select them.

Who sees which record (PRODUCT.md section 2):

- candidate (profile, identity, consent, documents): a case manager their own cases, and their
  colleagues' when the organisation shares its caseload; a team lead every case of the
  organisation; an employer only a pseudonymised profile nominated to its slot, the identity
  once released and the documents marked shareable, through its placement; an operator admin
  the pseudonymised profile where a route allows it, never the identity or the documents; a
  statistics viewer never.
- slot: its employer's users; case workers the published ones (search); the operator every one.
- placement: the employer's users (employer side); on the agency's side a team lead every one
  of the organisation, a case manager those of their own cases or that they handle (all when
  the caseload is shared); never a statistics viewer.
- organisation and its users: its own members; its admins change them; the operator every one.
- statistics (aggregates only): a chamber's viewers by default the employers that are its
  members (the employer's chamber membership), or the whole district; an authority's viewers
  and the operator the whole district.

A record outside these answers 404, never 403, so a guessed id reveals nothing.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from typing import Any
from uuid import UUID

from litestar.exceptions import NotFoundException
from piccolo.columns import Boolean, Column
from piccolo.columns.combination import And, Or, Where

from portal.accounts.tables import (
    ORG_ADMIN_ROLES,
    ROLES_BY_KIND,
    Chamber,
    Organisation,
    OrgKind,
    Role,
)
from portal.auth.identity import CurrentUser

Condition = Where | And | Or

EMPLOYER_ROLES = frozenset({Role.employer_member, Role.employer_admin})
CASE_WORKER_ROLES = frozenset({Role.case_manager, Role.team_lead})
# The admins of an organisation's own team (the operator administers users in the console).
TEAM_ADMIN_ROLES = frozenset({Role.employer_admin, Role.team_lead})
STATISTICS_ROLES = frozenset({Role.statistics_viewer, Role.operator_admin})
__all__ = [
    "CASE_WORKER_ROLES",
    "EMPLOYER_ROLES",
    "ORG_ADMIN_ROLES",
    "STATISTICS_ROLES",
    "TEAM_ADMIN_ROLES",
]


def parse_id(value: str) -> UUID:
    """A record id from a URL; anything malformed is simply not found."""
    try:
        return UUID(value)
    except ValueError:
        raise NotFoundException() from None


# -- organisations and their records ----------------------------------------------------------


def is_own(user: CurrentUser, organisation_id: UUID | str | None) -> bool:
    """Whether a record of `organisation_id` belongs to the user's own organisation."""
    return organisation_id is not None and str(organisation_id) == str(user.organisation_id)


def ensure_own(user: CurrentUser, organisation_id: UUID | str | None) -> None:
    """404 unless the record belongs to the user's own organisation."""
    if not is_own(user, organisation_id):
        raise NotFoundException()


def own(user: CurrentUser, organisation: Column) -> Condition:
    """The condition for the rows of the user's own organisation (`organisation`: the column
    naming the owner, e.g. Slot.employer, User.organisation)."""
    return organisation == user.organisation_id  # type: ignore[no-any-return]


def may_manage_users_of(actor: CurrentUser, organisation_id: UUID | str | None) -> bool:
    """Whether `actor` may invite or change the user accounts of `organisation_id`: the operator
    any organisation's, an organisation's admin (the route's guard) only their own."""
    return actor.is_operator or is_own(actor, organisation_id)


def may_edit_own_organisation(user: CurrentUser) -> bool:
    """The organisation's details: its admins change them, its members read them."""
    return user.is_org_admin


def assignable_roles(actor: CurrentUser, organisation_kind: OrgKind) -> tuple[Role, ...]:
    """The roles `actor` may give a user of an organisation of this kind: the operator any
    kind's, an organisation's admin those of their own kind."""
    if actor.is_operator or actor.organisation_kind == organisation_kind:
        return ROLES_BY_KIND[organisation_kind]
    return ()


# -- candidates -------------------------------------------------------------------------------


def is_team_lead(user: CurrentUser) -> bool:
    return user.role == Role.team_lead


def is_case_worker(user: CurrentUser) -> bool:
    return user.role in CASE_WORKER_ROLES


def is_employer(user: CurrentUser) -> bool:
    return user.role in EMPLOYER_ROLES


def may_assign_cases(user: CurrentUser) -> bool:
    """Assigning and reassigning cases between case managers: the team lead's."""
    return user.role == Role.team_lead


def is_assigned(user: CurrentUser, row: Mapping[str, Any]) -> bool:
    """Whether the candidate (`row["case_manager"]`) is assigned to `user`."""
    return str(row["case_manager"]) == str(user.id)


def sees_whole_caseload(user: CurrentUser, shared: bool) -> bool:
    """Whether the user's caseload holds colleagues' cases: a team lead's always, a case
    manager's when the organisation shares its caseload (Organisation.caseload_shared)."""
    return user.role == Role.team_lead or (user.role == Role.case_manager and shared)


def may_see_candidate(user: CurrentUser, row: Mapping[str, Any], *, operator: bool = False) -> bool:
    """Whether `user` may open the candidate's case (keys: organisation, case_manager, shared).

    `operator=True` where a route lets the operator admin read the pseudonymised profile."""
    if user.role == Role.operator_admin:
        return operator
    if user.role not in CASE_WORKER_ROLES or not is_own(user, row["organisation"]):
        return False
    return sees_whole_caseload(user, bool(row.get("shared"))) or is_assigned(user, row)


def caseload_where(
    user: CurrentUser, *, organisation: Column, case_manager: Column, shared: bool
) -> Condition:
    """The condition for the candidates `user` may list — `may_see_candidate` as a query."""
    if sees_whole_caseload(user, shared):
        return own(user, organisation)
    return own(user, organisation) & (case_manager == user.id)  # type: ignore[no-any-return]


def may_erase_candidate(user: CurrentUser, row: Mapping[str, Any]) -> bool:
    """Erase, export: the team lead or the assigned case manager (a colleague who only sees the
    case through a shared caseload may not). The caller has checked `may_see_candidate`."""
    return user.role == Role.team_lead or is_assigned(user, row)


# -- placements -------------------------------------------------------------------------------


class Side(enum.StrEnum):
    employer = "employer"
    case_worker = "case_worker"
    # The portal itself (consent withdrawn, a scheduled job): no user acts.
    system = "system"
    # The coordination office in the console: sees every placement pseudonymised, acts only
    # where the transitions table names this side.
    operator = "operator"


def placement_side(user: CurrentUser, row: Mapping[str, Any]) -> Side | None:
    """Which side of the placement `user` is on; None: not theirs to see (404).

    Keys: employer, agency, agency_shared, case_manager (who handles the placement),
    candidate_case_manager (who handles the candidate)."""
    if user.role == Role.operator_admin:
        return Side.operator
    if user.role in EMPLOYER_ROLES:
        return Side.employer if is_own(user, row["employer"]) else None
    if user.role in CASE_WORKER_ROLES and is_own(user, row["agency"]):
        if sees_whole_caseload(user, bool(row["agency_shared"])):
            return Side.case_worker
        # A case manager: the placements of their own cases (or that they are responsible for).
        if str(user.id) in (str(row["candidate_case_manager"]), str(row["case_manager"])):
            return Side.case_worker
    return None


def case_worker_placements_where(
    user: CurrentUser,
    *,
    agency: Column,
    agency_shared: Boolean,
    case_manager: Column,
    candidate_case_manager: Column,
) -> Condition:
    """The placements `user` is on the case worker's side of — `placement_side` as a query."""
    if user.role == Role.team_lead:
        return own(user, agency)
    return own(user, agency) & (  # type: ignore[no-any-return]
        agency_shared.eq(True) | (case_manager == user.id) | (candidate_case_manager == user.id)
    )


def console_placements_where(user: CurrentUser, *, agency: Column) -> Condition | None:
    """The placements on `user`'s board in the console: every one for the operator admin
    (pseudonymised; None: no condition), a team lead's those of the own organisation — the
    same rows as `placement_side` gives them a side of."""
    if user.role == Role.operator_admin:
        return None
    if user.role == Role.team_lead:
        return own(user, agency)
    return agency.is_null() & agency.is_not_null()  # type: ignore[no-any-return]


# -- documents --------------------------------------------------------------------------------


def may_download_document(
    user: CurrentUser,
    document: Mapping[str, Any],
    *,
    placement: Mapping[str, Any] | None = None,
    placement_shares_documents: bool = False,
) -> bool:
    """Whether `user` may have the document's bytes: the one rule for every download.

    Whoever may see the candidate's case (document keys: candidate, candidate_organisation,
    candidate_case_manager, candidate_shared; never an operator or another organisation). And
    an employer through one of its placements of the candidate (`placement`, keys employer and
    candidate) in a state that shares documents (`placement_shares_documents`, the lifecycle's
    answer), a copy the case manager marked shareable."""
    if document["candidate"] is None:
        return False
    if placement is not None and user.role in EMPLOYER_ROLES:
        return (
            bool(document["shareable"])
            and is_own(user, placement["employer"])
            and str(placement["candidate"]) == str(document["candidate"])
            and placement_shares_documents
        )
    return may_see_candidate(user, _candidate_of(document))


def may_manage_document(user: CurrentUser, document: Mapping[str, Any]) -> bool:
    """Share, unshare, delete: only those who work on the case."""
    return document["candidate"] is not None and may_see_candidate(user, _candidate_of(document))


def _candidate_of(document: Mapping[str, Any]) -> dict[str, Any]:
    return {
        "organisation": document["candidate_organisation"],
        "case_manager": document["candidate_case_manager"],
        "shared": document["candidate_shared"],
    }


# -- statistics -------------------------------------------------------------------------------


class StatsScope(enum.StrEnum):
    members = "members"  # the employers that are members of the viewer's chamber
    district = "district"  # every employer of the deployment


def statistics_scopes(user: CurrentUser) -> tuple[StatsScope, ...]:
    """The views of the statistics `user` may choose, the default first."""
    if user.role == Role.statistics_viewer and user.organisation_kind == OrgKind.chamber:
        return (StatsScope.members, StatsScope.district)
    if user.role in (Role.statistics_viewer, Role.operator_admin):
        return (StatsScope.district,)
    return ()


def statistics_counts_employer(
    scope: StatsScope, chamber: str | None, employer: Mapping[str, Any]
) -> bool:
    """Whether an employer's events count in `scope` (keys: chamber); `chamber` is the viewing
    chamber's own (Organisation.chamber of the chamber), None when it is not set."""
    if scope == StatsScope.district:
        return True
    return chamber not in (None, Chamber.none) and employer["chamber"] == chamber


def statistics_employers_where(
    scope: StatsScope, chamber: str | None, *, employer: Column
) -> Condition | None:
    """`statistics_counts_employer` as a query condition on an employer column (None: every
    employer). A chamber whose own chamber is not set sees no member."""
    if scope == StatsScope.district:
        return None
    own = chamber if chamber not in (None, Chamber.none) else "-"
    members = Organisation.select(Organisation.id).where(
        (Organisation.kind == OrgKind.employer) & (Organisation.chamber == own)
    )
    return employer.is_in(members)  # type: ignore[no-any-return]
