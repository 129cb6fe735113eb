"""The caseload: listing and its filters, creating a case, the overview.

Who sees which case is decided in access.py; this module only ever lists or changes cases of
the user's own organisation.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

import asyncpg
from piccolo.columns.combination import Combinable, WhereRaw
from piccolo.querystring import QueryString

from portal.accounts.tables import Organisation, User
from portal.auth import CurrentUser
from portal.auth.policy import CASE_WORKER_ROLES, sees_whole_caseload
from portal.candidates import codes
from portal.candidates.access import audit, caseload_where
from portal.candidates.identity import seal
from portal.candidates.tables import (
    Candidate,
    CandidateIdentity,
    CandidateMunicipality,
    CandidateOccupation,
    CandidateStatus,
    Consent,
    Document,
    OccupationKind,
)
from portal.candidates.vault import IdentityData, Vault
from portal.clock import now
from portal.pagination import Page, paginate


class Refused(Exception):
    """An action the case does not allow; nothing was changed. The message says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def table_name(table: Any) -> str:
    return str(table._meta.tablename)


# -- the list ---------------------------------------------------------------------------------

CODE_SEARCH_MAX = 20
STATUS_VALUES = frozenset(status.value for status in CandidateStatus)


async def is_shared(organisation_id: UUID) -> bool:
    row = (
        await Organisation.select(Organisation.caseload_shared)
        .where(Organisation.id == organisation_id)
        .first()
    )
    return bool(row and row["caseload_shared"])


def sees_colleagues(user: CurrentUser, shared: bool) -> bool:
    """Whether the user's caseload holds colleagues' cases (and so a case manager filter)."""
    return sees_whole_caseload(user, shared)


def code_search(raw: str) -> str:
    """A code as typed: any case, with or without dashes ("k7qx4", "K-7QX4-2M" → "K7QX42M")."""
    return re.sub(r"[^0-9A-Z]", "", raw.upper())[:CODE_SEARCH_MAX]


def _code_contains(term: str) -> WhereRaw:
    # The code without its dashes; `term` holds only letters and digits (no LIKE wildcards).
    return WhereRaw(
        f"replace(\"{table_name(Candidate)}\".\"code\", '-', '') LIKE {{}}", f"%{term}%"
    )


@dataclass(frozen=True)
class Filters:
    status: str = ""
    case_manager: str = ""
    programme: str = ""
    q: str = ""

    def conditions(self) -> list[Combinable]:
        found: list[Combinable] = []
        if self.status:
            found.append(Candidate.status == self.status)
        if self.case_manager:
            found.append(Candidate.case_manager == UUID(self.case_manager))
        if self.programme:
            found.append(Candidate.programme == int(self.programme))
        if self.q:
            found.append(_code_contains(self.q))
        return found


def clean_filters(
    *, status: str, case_manager: str, programme: str, q: str, colleagues: bool
) -> Filters:
    """The filters of the URL that make sense; anything else is ignored."""
    try:
        manager = str(UUID(case_manager)) if colleagues and case_manager else ""
    except ValueError:
        manager = ""
    return Filters(
        status=status if status in STATUS_VALUES else "",
        case_manager=manager,
        programme=programme if programme.isdigit() and len(programme) < 10 else "",
        q=code_search(q),
    )


async def caseload(user: CurrentUser, filters: Filters, *, shared: bool, number: int) -> Page:
    """A page of the cases the user may see, last changed first, pseudonymised.

    Four queries whatever the page's size: the count, the page, the first desired occupation
    and the consents of the page's cases.
    """
    query = Candidate.select(
        Candidate.id,
        Candidate.code,
        Candidate.status,
        Candidate.german_level,
        Candidate.updated_at,
        Candidate.erased_at,
        Candidate.programme.name.as_alias("programme_name"),
        Candidate.case_manager.display_name.as_alias("case_manager_name"),
    )
    listing = await paginate(
        Candidate,
        query,
        [caseload_where(user, shared=shared), *filters.conditions()],
        number=number,
        order_by=[(Candidate.updated_at, False)],
        filters={
            "status": filters.status,
            "case_manager": filters.case_manager,
            "programme": filters.programme,
            "q": filters.q,
        },
    )
    ids = [row["id"] for row in listing.rows]
    occupations = await first_desired_occupations(ids)
    consented = await with_active_consent(ids)
    for row in listing.rows:
        row["occupation"] = occupations.get(row["id"])
        row["consent"] = row["id"] in consented
    return listing


async def first_desired_occupations(ids: list[UUID]) -> dict[UUID, dict[str, str]]:
    """The first desired occupation (code and name) of each of these cases: one query."""
    if not ids:
        return {}
    rows = (
        await CandidateOccupation.select(
            CandidateOccupation.candidate,
            CandidateOccupation.occupation.code.as_alias("code"),
            CandidateOccupation.occupation.name.as_alias("name"),
        )
        .where(
            CandidateOccupation.candidate.is_in(ids)
            & (CandidateOccupation.kind == OccupationKind.desired)
        )
        .order_by(CandidateOccupation._meta.primary_key)
    )
    first: dict[UUID, dict[str, str]] = {}
    for row in rows:
        first.setdefault(row["candidate"], {"code": row["code"], "name": row["name"]})
    return first


async def with_active_consent(ids: list[UUID]) -> set[UUID]:
    """Which of these cases have a consent in force: one query."""
    if not ids:
        return set()
    rows = await Consent.select(Consent.candidate).where(
        Consent.candidate.is_in(ids) & Consent.ended_at.is_null()
    )
    return {row["candidate"] for row in rows}


async def case_workers(organisation_id: UUID, *, active_only: bool = False) -> list[dict[str, Any]]:
    """The organisation's case managers and team leads, by name."""
    condition: Combinable = (User.organisation == organisation_id) & User.role.is_in(
        list(CASE_WORKER_ROLES)
    )
    if active_only:
        condition &= User.is_active.eq(True)
    return await (
        User.select(User.id, User.display_name, User.role, User.is_active)
        .where(condition)
        .order_by(User.display_name)
        .order_by(User.id)
    )


# -- a new case -------------------------------------------------------------------------------


def _is_unique_violation(error: Exception) -> bool:
    return isinstance(error, asyncpg.UniqueViolationError | sqlite3.IntegrityError)


def new_case(
    user: CurrentUser,
    identity: IdentityData,
    *,
    programme: int | None,
    case_manager: UUID,
    vault: Vault,
    hash_key: str,
    code: str,
    moment: dt.datetime,
) -> tuple[Candidate, CandidateIdentity, str]:
    """A draft case and its sealed identity, not yet stored; and the duplicate hash."""
    candidate = Candidate(
        code=code,
        organisation=user.organisation_id,
        case_manager=case_manager,
        programme=programme,
        status=CandidateStatus.draft,
        created_at=moment,
        updated_at=moment,
    )
    person = CandidateIdentity(candidate=candidate.id, updated_at=moment)
    columns = seal(vault, identity, record_id=person.id, hash_key=hash_key)
    for name, value in columns.items():
        setattr(person, name, value)
    return candidate, person, columns["dup_hash"]


async def create_candidate(
    user: CurrentUser,
    identity: IdentityData,
    *,
    programme: int | None,
    case_manager: UUID,
    vault: Vault,
    hash_key: str,
    address: str,
    new_code: Callable[[], str] = codes.new_code,
    attempts: int = 5,
) -> tuple[UUID, str]:
    """A draft case with its sealed identity, in one transaction; returns its id and dup hash.

    A code that is taken already (a one-in-a-billion chance) makes the unique index refuse the
    row; the whole transaction is tried again with a new code.
    """
    for attempt in range(attempts):
        candidate, person, dup_hash = new_case(
            user,
            identity,
            programme=programme,
            case_manager=case_manager,
            vault=vault,
            hash_key=hash_key,
            code=new_code(),
            moment=now(),
        )
        try:
            async with Candidate._meta.db.transaction():
                await candidate.save()
                await person.save()
                await audit(user, "candidate.create", candidate.id, address)
        except Exception as error:
            if not _is_unique_violation(error) or attempt == attempts - 1:
                raise
            continue
        return candidate.id, dup_hash
    raise AssertionError("unreachable")  # pragma: no cover


# -- the overview -----------------------------------------------------------------------------


def _count(table: Any, alias: str, extra: str = "") -> QueryString:
    """A correlated count of the case's rows in `table` (one query for the whole overview)."""
    name, candidate = table_name(table), table_name(Candidate)
    sql = (
        f'(SELECT COUNT(*) FROM "{name}" WHERE "{name}"."candidate" = '  # noqa: S608
        f'"{candidate}"."id"{extra})'
    )
    return QueryString(sql).as_alias(alias)


async def overview(candidate_id: UUID) -> dict[str, Any]:
    """Names and counts for the case's overview, in one query."""
    occupation = table_name(CandidateOccupation)
    row = await (
        Candidate.select(
            Candidate.programme.name.as_alias("programme_name"),
            Candidate.case_manager.display_name.as_alias("case_manager_name"),
            _count(
                CandidateOccupation,
                "desired",
                f' AND "{occupation}"."kind" = \'{OccupationKind.desired.value}\'',
            ),
            _count(CandidateMunicipality, "municipalities"),
            _count(Document, "documents"),
        )
        .where(Candidate.id == candidate_id)
        .first()
    )
    assert row is not None  # noqa: S101 - loaded by the caller
    return row
