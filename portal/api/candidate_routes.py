"""Candidates of the owning case-management organisation: the pseudonymised profiles (list,
read, create with the identity), and the identity alone through its own endpoint, read and
audited as on the identity page (portal.candidates)."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass
from typing import Annotated, Any
from uuid import UUID

from litestar import Response, Router, get, patch, post
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from portal.api.http import (
    DEFAULT_LIMIT,
    MAX_LIMIT,
    Created,
    check_if_match,
    cursor_id,
    encode_cursor,
    etag,
    idempotent_create,
    json_value,
)
from portal.api.problems import PROBLEMS, ApiProblem, invalid
from portal.api.profile_patch import ProfilePatch, json_errors, overlay
from portal.auth import CurrentUser, case_worker, policy
from portal.candidates import assignment, caseload, identity, profile, profile_form
from portal.candidates.access import caseload_where, load_candidate, vault_of
from portal.candidates.tables import Candidate
from portal.candidates.vault import IdentityData
from portal.i18n import _
from portal.reference import services as reference
from portal.reference.services import programmes
from portal.web import AnyRequest, client_address, settings_of, user_of

Limit = Annotated[int, QueryParameter(ge=1, le=MAX_LIMIT, description="Rows per page")]
# What an API client sees of a profile: the pseudonymised columns, never the identity.
PROFILE_FIELDS = (
    "id",
    "code",
    "status",
    "programme",
    "case_manager",
    "german_level",
    "german_in_course",
    "schooling_years",
    "schooling_level",
    "summary",
    "earliest_start",
    "hours_per_week",
    "shift_work",
    "permit_status",
    "created_at",
    "updated_at",
)


@dataclass
class ProfileOut:
    id: UUID
    code: str
    status: str
    programme: int | None
    case_manager: UUID | None
    german_level: str | None
    german_in_course: bool
    schooling_years: int | None
    schooling_level: str | None
    summary: str
    earliest_start: dt.date | None
    hours_per_week: int | None
    shift_work: bool
    permit_status: str
    created_at: dt.datetime
    updated_at: dt.datetime


@dataclass
class ProfilePage:
    data: list[ProfileOut]
    next_cursor: str | None


@dataclass
class IdentityIn:
    """A new case: the identity as the form asks it, the programme and the case manager."""

    given_names: str
    family_name: str
    date_of_birth: str
    phone: str = ""
    email: str = ""
    street: str = ""
    postcode: str = ""
    city: str = ""
    file_number: str = ""
    residence_status: str = ""
    work_access: str = ""
    residence_document_expires: str = ""
    work_permit_expires: str = ""
    notes: str = ""
    programme: int | None = None
    case_manager: UUID | None = None


@dataclass
class IdentityOut:
    candidate_id: UUID
    given_names: str
    family_name: str
    date_of_birth: str
    phone: str
    email: str
    street: str
    postcode: str
    city: str
    file_number: str
    residence_status: str
    work_access: str
    residence_document_expires: str
    work_permit_expires: str
    notes: str


def _profile(row: dict[str, Any]) -> ProfileOut:
    return ProfileOut(**{name: row[name] for name in PROFILE_FIELDS})


def _etag(row: dict[str, Any]) -> str:
    return etag(row["id"], row["updated_at"], row["status"])


@get("/candidates", name="api:candidates", guards=[case_worker], responses=PROBLEMS)
async def list_candidates(
    request: AnyRequest, cursor: FromQuery[str | None] = None, limit: Limit = DEFAULT_LIMIT
) -> ProfilePage:
    """The caseload's pseudonymised profiles (a team lead's token: the whole organisation's)."""
    user = user_of(request)
    shared = await caseload.is_shared(user.organisation_id)
    query = Candidate.select(*(getattr(Candidate, name) for name in PROFILE_FIELDS)).where(
        caseload_where(user, shared=shared) & Candidate.erased_at.is_null()
    )
    after = cursor_id(cursor)
    if after:
        query = query.where(Candidate.id > after)
    rows = await query.order_by(Candidate.id).limit(limit + 1)
    data = [_profile(row) for row in rows[:limit]]
    return ProfilePage(data, encode_cursor([data[-1].id]) if len(rows) > limit else None)


@get(
    "/candidates/{candidate_id:uuid}",
    name="api:candidate",
    guards=[case_worker],
    responses=PROBLEMS,
)
async def read_candidate(request: AnyRequest, candidate_id: FromPath[UUID]) -> Response[ProfileOut]:
    """One pseudonymised profile of the caseload, with its ETag."""
    row = dict(await load_candidate(user_of(request), candidate_id))
    return Response(_profile(row), headers={"ETag": _etag(row)})


async def _assignment(
    user: CurrentUser, data: IdentityIn
) -> tuple[int | None, UUID, dict[str, str]]:
    """The programme and case manager of a new case, as the new-case form checks them."""
    errors: dict[str, str] = {}
    programme = None
    if data.programme is not None:
        if data.programme not in {row["id"] for row in await programmes()}:
            errors["programme"] = _("Please choose one of the options.")
        programme = data.programme
    manager = user.id
    if data.case_manager is not None and data.case_manager != user.id:
        found = None
        if policy.may_assign_cases(user):
            found = await assignment.find_case_worker(user.organisation_id, str(data.case_manager))
        if found is None:
            errors["case_manager"] = _("Please choose one of the options.")
        else:
            manager = found["id"]
    return programme, manager, errors


@post("/candidates", name="api:candidate_create", guards=[case_worker], responses=PROBLEMS)
async def create_candidate(request: AnyRequest, data: JSONBody[IdentityIn]) -> Response[ProfileOut]:
    """A new case as a draft, its identity sealed as on the new-case page. Send an
    Idempotency-Key."""
    user = user_of(request)

    async def create() -> Created:
        fields = {key: value for key, value in asdict(data).items() if isinstance(value, str)}
        errors, person = identity.check_identity(fields)
        programme, manager, more = await _assignment(user, data)
        errors.update(more)
        if person is None or errors:
            raise invalid(errors)
        candidate_id, _dup = await caseload.create_candidate(
            user,
            person,
            programme=programme,
            case_manager=manager,
            vault=vault_of(request),
            hash_key=settings_of(request).duplicate_hash_key,
            address=client_address(request),
        )
        row: dict[str, Any] = dict(await load_candidate(user, candidate_id))
        body = {name: json_value(row[name]) for name in PROFILE_FIELDS}
        location = request.app.route_reverse("api:candidate", candidate_id=candidate_id)
        return Created(body, location, _etag(row))

    return await idempotent_create(request, user, create)


@get(
    "/candidates/{candidate_id:uuid}/identity",
    name="api:candidate_identity",
    guards=[case_worker],
    responses=PROBLEMS,
)
async def read_identity(
    request: AnyRequest,
    candidate_id: FromPath[UUID],
    reason: Annotated[str, QueryParameter(max_length=200, description="Why (audit log)")] = "",
) -> IdentityOut:
    """The identity, for the owning organisation only; every read is audited with its reason.
    The assigned case manager's token needs none; anyone else gives `reason` (5 to 200
    characters, without the person's name or contact), as on the identity page."""
    user = user_of(request)
    row = await load_candidate(user, candidate_id)
    if row["erased_at"] is not None:
        raise ApiProblem(409, _("The identity of this case has been erased."))
    why = identity.ASSIGNED_REASON if policy.is_assigned(user, row) else " ".join(reason.split())
    if not policy.is_assigned(user, row):
        person = await identity.peek(vault_of(request), row["id"])
        problem = identity.check_reason(why, names=[person.full_name] if person else [])
        if problem:
            raise invalid({"reason": problem})
    found: IdentityData | None = await identity.read_identity(
        user, row["id"], vault_of(request), reason=why, address=client_address(request)
    )
    if found is None:
        raise ApiProblem(404)
    return IdentityOut(candidate_id=row["id"], **asdict(found))


@patch(
    "/candidates/{candidate_id:uuid}",
    name="api:candidate_update",
    guards=[case_worker],
    responses=PROBLEMS,
)
async def update_candidate(
    request: AnyRequest, candidate_id: FromPath[UUID], data: JSONBody[ProfilePatch]
) -> Response[ProfileOut]:
    """Change the competence profile: the fields sent, through the profile form's checks (the
    PII guard on the summary included); If-Match with its ETag (412 when it changed)."""
    user = user_of(request)
    row: dict[str, Any] = dict(await load_candidate(user, candidate_id))
    matched = check_if_match(request, _etag(row))
    if row["erased_at"] is not None:
        raise ApiProblem(409, _("The identity of this case has been erased."))
    values = overlay(await profile_form.form_values(row), data)
    errors, fields, _values = await profile_form.check_profile(
        values,
        names=await profile_form.identity_names(vault_of(request), row["id"]),
        municipalities=await reference.municipalities(),
    )
    if fields is None:
        raise invalid(json_errors(errors))
    try:
        await profile.save_profile(
            user,
            row,
            fields,
            address=client_address(request),
            unchanged_since=row["updated_at"] if matched else None,
        )
    except profile.Refused:
        raise ApiProblem(409, _("The identity of this case has been erased.")) from None
    changed = dict(await load_candidate(user, candidate_id))
    return Response(_profile(changed), headers={"ETag": _etag(changed)})


router = Router(
    path="/",
    route_handlers=[
        list_candidates,
        read_candidate,
        create_candidate,
        update_candidate,
        read_identity,
    ],
)
