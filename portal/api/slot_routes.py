"""Slots: an employer's own (list, read, create, replace, publish, pause, close) through the
services of the slot pages (portal.employers), and the open offers that case managers search
with the search page's filters (portal.search)."""

from __future__ import annotations

from typing import Annotated, Literal
from uuid import UUID

from litestar import Response, Router, get, post, put
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
from portal.api.problems import PROBLEMS, ApiProblem, invalid
from portal.api.slot_shapes import (
    OFFER_FIELDS,
    SLOT_FIELDS,
    OfferOut,
    OfferPage,
    SlotInput,
    SlotOut,
    SlotPage,
    json_errors,
    slot_etag,
    slot_out,
)
from portal.auth import CurrentUser, case_worker, employer_user
from portal.auth.policy import own
from portal.clock import today
from portal.employers import slot_form, slots
from portal.employers.rows import SlotRow
from portal.employers.slots import Refused, SlotAction
from portal.employers.tables import Slot
from portal.search import services as search
from portal.web import AnyRequest, client_address, user_of

Limit = Annotated[int, QueryParameter(ge=1, le=MAX_LIMIT, description="Rows per page")]
Status = Literal["draft", "open", "paused", "filled", "closed", "expired"]
Transition = Literal["publish", "pause", "close"]


async def _own_slot(user: CurrentUser, slot_id: FromPath[UUID]) -> SlotRow:
    row = await slots.slot_of(user, slot_id)
    if row is None:
        raise ApiProblem(404)
    return row


def _with_etag(row: SlotRow) -> Response[SlotOut]:
    return Response(slot_out(row), headers={"ETag": slot_etag(row)})


@get("/slots", name="api:slots", guards=[employer_user], responses=PROBLEMS)
async def list_slots(
    request: AnyRequest,
    status: FromQuery[Status | None] = None,
    cursor: FromQuery[str | None] = None,
    limit: Limit = DEFAULT_LIMIT,
) -> SlotPage:
    """The organisation's own slots, a page at a time (by id), optionally of one status."""
    query = Slot.select(
        *Slot.all_columns(),
        Slot.occupation.name.as_alias("occupation_name"),
        Slot.municipality.name.as_alias("municipality_name"),
    ).where(own(user_of(request), Slot.employer))
    if status:
        query = query.where(Slot.status == status)
    after = cursor_id(cursor)
    if after:
        query = query.where(Slot.id > after)
    rows = await query.order_by(Slot.id).limit(limit + 1)
    data = [slot_out(row) for row in rows[:limit]]
    return SlotPage(data, encode_cursor([data[-1].id]) if len(rows) > limit else None)


@post("/slots", name="api:slot_create", guards=[employer_user], responses=PROBLEMS)
async def create_slot(request: AnyRequest, data: JSONBody[SlotInput]) -> Response[SlotOut]:
    """A new slot: a draft, or open at once with "publish": true. Send an Idempotency-Key."""
    user = user_of(request)

    async def create() -> Created:
        errors, fields, _values = await slot_form.check_slot(data.form(), publishing=data.publish)
        if fields is None:
            raise invalid(json_errors(errors))
        slot_id = await slots.create_slot(
            user, fields, publish=data.publish, address=client_address(request)
        )
        row = await _own_slot(user, slot_id)
        location = request.app.route_reverse("api:slot", slot_id=slot_id)
        body = {name: json_value(row[name]) for name in SLOT_FIELDS}  # type: ignore[literal-required]
        return Created(body, location, slot_etag(row))

    return await idempotent_create(request, user, create)


@get("/slots/{slot_id:uuid}", name="api:slot", guards=[employer_user], responses=PROBLEMS)
async def read_slot(request: AnyRequest, slot_id: FromPath[UUID]) -> Response[SlotOut]:
    """One of the organisation's slots, with its ETag."""
    return _with_etag(await _own_slot(user_of(request), slot_id))


@put("/slots/{slot_id:uuid}", name="api:slot_update", guards=[employer_user], responses=PROBLEMS)
async def update_slot(
    request: AnyRequest, slot_id: FromPath[UUID], data: JSONBody[SlotInput]
) -> Response[SlotOut]:
    """Replace a draft, open or paused slot; If-Match with its ETag (412 when it changed)."""
    user = user_of(request)
    row = await _own_slot(user, slot_id)
    matched = check_if_match(request, slot_etag(row))
    errors, fields, _values = await slot_form.check_slot(
        data.form(), publishing=row["status"] == "open"
    )
    if fields is None:
        raise invalid(json_errors(errors))
    try:
        await slots.update_slot(
            user,
            row,
            fields,
            address=client_address(request),
            unchanged_since=row["updated_at"] if matched else None,
        )
    except Refused as refused:
        raise ApiProblem(409, refused.message) from None
    return _with_etag(await _own_slot(user, slot_id))


@post(
    "/slots/{slot_id:uuid}/{action:str}",
    name="api:slot_transition",
    guards=[employer_user],
    status_code=200,
    responses=PROBLEMS,
)
async def transition(
    request: AnyRequest, slot_id: FromPath[UUID], action: FromPath[Transition]
) -> Response[SlotOut]:
    """Publish, pause or close a slot (as its page's buttons); If-Match as for a change."""
    user = user_of(request)
    row = await _own_slot(user, slot_id)
    matched = check_if_match(request, slot_etag(row))
    try:
        await slots.transition(
            user,
            row,
            SlotAction(action),
            address=client_address(request),
            unchanged_since=row["updated_at"] if matched else None,
        )
    except Refused as refused:
        raise ApiProblem(409, refused.message) from None
    return _with_etag(await _own_slot(user, slot_id))


@get("/offers", name="api:offers", guards=[case_worker], responses=PROBLEMS)
async def offers(
    request: AnyRequest, cursor: FromQuery[str | None] = None, limit: Limit = DEFAULT_LIMIT
) -> OfferPage:
    """Open slots of approved employers with the search page's filters (query parameters
    main_group, occupation, municipality, kind, from, to, german)."""
    filters, errors = search.parse_filters(request.query_params)
    if errors:
        raise invalid(errors, 400)
    query = Slot.select(
        Slot.id,
        Slot.title,
        Slot.kind,
        Slot.occupation,
        Slot.start_date,
        Slot.end_date,
        Slot.flexible,
        Slot.duration_days,
        Slot.places,
        Slot.min_german,
        Slot.employer.name.as_alias("employer_name"),
        Slot.occupation.name.as_alias("occupation_name"),
        Slot.municipality.name.as_alias("municipality_name"),
    )
    for condition in search.conditions(filters, today()):
        query = query.where(condition)
    after = cursor_id(cursor)
    if after:
        query = query.where(Slot.id > after)
    rows = await query.order_by(Slot.id).limit(limit + 1)
    data = [OfferOut(**{name: row[name] for name in OFFER_FIELDS}) for row in rows[:limit]]
    return OfferPage(data, encode_cursor([data[-1].id]) if len(rows) > limit else None)


@get("/offers/{slot_id:uuid}", name="api:offer", guards=[case_worker], responses=PROBLEMS)
async def offer(slot_id: FromPath[UUID]) -> OfferOut:
    """One open slot, as the offer page shows it."""
    row = await search.offer(slot_id, today=today())
    if row is None:
        raise ApiProblem(404)
    return OfferOut(**{name: row[name] for name in OFFER_FIELDS})


router = Router(
    path="/",
    route_handlers=[list_slots, create_slot, read_slot, update_slot, transition, offers, offer],
)
