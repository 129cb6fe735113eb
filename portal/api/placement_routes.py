"""Placements: nominations (case workers) and requests (employers), the placements either side
may see, and their transitions — through placements.machine (create, apply, release_identity)
and the forms' parsing, as the placement pages do; nothing here decides a rule of its own."""

from __future__ import annotations

from typing import Annotated, Literal, cast
from uuid import UUID

from litestar import Response, Router, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery, JSONBody, QueryParameter

from portal.api.http import (
    DEFAULT_LIMIT,
    MAX_LIMIT,
    Created,
    check_if_match,
    cursor_id,
    encode_cursor,
    idempotent_create,
    json_value,
)
from portal.api.placement_shapes import (
    NominationIn,
    PlacementOut,
    PlacementPage,
    RequestIn,
    TransitionIn,
    json_errors,
    placement_etag,
    placement_out,
)
from portal.api.problems import PROBLEMS, ApiProblem, invalid
from portal.auth import CurrentUser, case_worker, employer_user, placement_party
from portal.auth.policy import is_employer, own
from portal.candidates.access import load_candidate, vault_of
from portal.candidates.profile_form import identity_names
from portal.clock import today
from portal.placements import detail, forms, lists, machine
from portal.placements.checks import input_problems, precheck
from portal.placements.loading import available, placement_columns
from portal.placements.nomination_routes import create, requestable
from portal.placements.rows import PlacementRow
from portal.placements.tables import Placement, PlacementState
from portal.search import services as search
from portal.web import AnyRequest, client_address, user_of

Limit = Annotated[int, QueryParameter(ge=1, le=MAX_LIMIT, description="Rows per page")]
State = Literal[
    "requested", "proposed", "accepted", "declined", "withdrawn", "preparing", "in_progress",
    "completed", "aborted", "outcome",
]  # fmt: skip
# The transitions of machine.TRANSITIONS that move an existing placement, and the release of
# the identity to the employer (machine.release_identity).
Action = Literal[
    "confirm_request", "decline_request", "cancel_request", "accept", "decline", "withdraw",
    "prepare", "start", "complete", "abort", "record_outcome", "release",
]  # fmt: skip
assert set(State.__args__) == {state.value for state in PlacementState}  # type: ignore[attr-defined]  # noqa: S101
assert set(Action.__args__) - {"release"} == {  # type: ignore[attr-defined]  # noqa: S101
    name for name, t in machine.TRANSITIONS.items() if None not in t.sources
}


def _out(user: CurrentUser, row: PlacementRow) -> PlacementOut:
    return placement_out(row, [t.action for t in available(user, row)])


def _answer(user: CurrentUser, row: PlacementRow) -> Response[PlacementOut]:
    return Response(_out(user, row), headers={"ETag": placement_etag(row)})


def _refusal(refused: machine.Refused) -> ApiProblem:
    return ApiProblem(refused.status, refused.message, errors=json_errors(refused.errors))


async def _load(user: CurrentUser, placement_id: UUID) -> PlacementRow:
    try:
        return await machine.load_placement(user, placement_id)
    except NotFoundException:
        raise ApiProblem(404) from None


@get("/placements", name="api:placements", guards=[placement_party], responses=PROBLEMS)
async def list_placements(
    request: AnyRequest,
    # "state" is a name Litestar keeps for the app's state: the parameter is renamed.
    in_state: Annotated[State | None, QueryParameter(name="state")] = None,
    slot: FromQuery[UUID | None] = None,
    cursor: FromQuery[str | None] = None,
    limit: Limit = DEFAULT_LIMIT,
) -> PlacementPage:
    """The placements the organisation is a side of (an employer's: of its slots; a case
    management organisation's: of its cases), a page at a time, optionally of one state or
    one slot."""
    user = user_of(request)
    side = own(user, Placement.employer) if is_employer(user) else lists.case_worker_where(user)
    query = Placement.select(*placement_columns()).where(side)
    if in_state:
        query = query.where(Placement.state == in_state)
    if slot:
        query = query.where(Placement.slot == slot)
    after = cursor_id(cursor)
    if after:
        query = query.where(Placement.id > after)
    rows = await query.order_by(Placement.id).limit(limit + 1)
    # placement_columns: the rows are PlacementRows (Piccolo types them as dicts).
    data = [_out(user, cast(PlacementRow, row)) for row in rows[:limit]]
    return PlacementPage(data, encode_cursor([data[-1].id]) if len(rows) > limit else None)


@get(
    "/placements/{placement_id:uuid}",
    name="api:placement",
    guards=[placement_party],
    responses=PROBLEMS,
)
async def read_placement(
    request: AnyRequest, placement_id: FromPath[UUID]
) -> Response[PlacementOut]:
    """One placement with its ETag and the actions the organisation may take now."""
    user = user_of(request)
    return _answer(user, await _load(user, placement_id))


async def _created(request: AnyRequest, user: CurrentUser, placement_id: UUID) -> Created:
    row = await _load(user, placement_id)
    body = {name: json_value(value) for name, value in vars(_out(user, row)).items()}
    location = request.app.route_reverse("api:placement", placement_id=placement_id)
    return Created(body, location, placement_etag(row))


@post(
    "/placements/nominations",
    name="api:nominate",
    guards=[case_worker],
    responses=PROBLEMS,
)
async def nominate(request: AnyRequest, data: JSONBody[NominationIn]) -> Response[PlacementOut]:
    """Propose a candidate of the caseload for an open slot, with a note for the employer
    (checked for the person's name and contact as on the page). Send an Idempotency-Key."""
    user = user_of(request)

    async def nominated() -> Created:
        candidate = await load_candidate(user, data.candidate_id)
        slot = await search.offer(data.slot_id, today=today())
        if slot is None:
            raise ApiProblem(404)
        names = await identity_names(vault_of(request), candidate["id"])
        parsed, errors = await forms.parse_input_off_loop(
            "nominate", {"note": data.note}, names=names
        )
        if errors:
            raise invalid(errors)
        try:
            placement_id = await create(
                user,
                "nominate",
                slot_id=slot["id"],
                candidate_id=candidate["id"],
                note=parsed.note,
                address=client_address(request),
            )
        except machine.Refused as refused:
            raise _refusal(refused) from None
        return await _created(request, user, placement_id)

    return await idempotent_create(request, user, nominated)


@post(
    "/placements/requests",
    name="api:request_candidate",
    guards=[employer_user],
    responses=PROBLEMS,
)
async def request_candidate(
    request: AnyRequest, data: JSONBody[RequestIn]
) -> Response[PlacementOut]:
    """Ask for a candidate of the talent pool for one of the organisation's open slots.
    Send an Idempotency-Key."""
    user = user_of(request)

    async def requested() -> Created:
        context = await requestable(request, str(data.slot_id), str(data.candidate_id))
        parsed, errors = await forms.parse_input_off_loop("request", {"note": data.note})
        if errors:
            raise invalid(errors)
        try:
            placement_id = await create(
                user,
                "request",
                slot_id=context["slot"]["id"],
                candidate_id=context["candidate"]["id"],
                note=parsed.note,
                address=client_address(request),
            )
        except machine.Refused as refused:
            raise _refusal(refused) from None
        return await _created(request, user, placement_id)

    return await idempotent_create(request, user, requested)


@post(
    "/placements/{placement_id:uuid}/{action:str}",
    name="api:placement_transition",
    guards=[placement_party],
    status_code=200,
    responses=PROBLEMS,
)
async def transition(
    request: AnyRequest,
    placement_id: FromPath[UUID],
    action: FromPath[Action],
    data: JSONBody[TransitionIn | None] = None,
) -> Response[PlacementOut]:
    """One step of the lifecycle, as the placement page's buttons: the body carries what the
    step needs (reason, dates, evaluation, outcome). `release` gives the employer who accepted
    the candidate's name and contact (consent permitting). If-Match with the ETag: 412 when
    the placement changed since it was read."""
    user = user_of(request)
    row = await _load(user, placement_id)
    matched = check_if_match(request, placement_etag(row))
    address = client_address(request)
    since = row["updated_at"] if matched else None
    try:
        if action == "release":
            await machine.release_identity(user, row["id"], address=address, unchanged_since=since)
            return _answer(user, await _load(user, placement_id))
        body = data or TransitionIn()
        names = await detail.names_for_guard(vault_of(request), row)
        parsed, errors = await forms.parse_input_off_loop(action, body.form(), names=names)
        errors.update(body.unknown_codes())
        if errors:
            # The machine's own checks first (side, state), as on the page: a 403/409 is not
            # hidden behind a field message.
            t = machine.TRANSITIONS[action]
            side = machine.side_of(user, row)
            precheck(t, row, side)
            problems = input_problems(t, row, parsed, side=side)
            raise machine.Refused("", status=422, errors={**problems, **errors})
        updated = await machine.apply(
            user,
            row["id"],
            action,
            parsed,
            address=address,
            unchanged_since=since,
        )
    except machine.Refused as refused:
        raise _refusal(refused) from None
    return _answer(user, updated)


router = Router(
    path="/",
    route_handlers=[list_placements, read_placement, nominate, request_candidate, transition],
)
