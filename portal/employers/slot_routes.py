"""An employer's slots: the dashboard, the form, the slot's page and its transitions, the .ics."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit
from uuid import UUID

from jinja2_fragments.litestar import HTMXBlockTemplate
from litestar import Response, Router, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.plugins.htmx import ClientRedirect, HTMXRequest
from litestar.response import Redirect, Template

from portal.auth import CurrentUser, employer_user, parse_id
from portal.clock import now, today
from portal.employers import ics, slot_form, slots
from portal.employers.labels import (
    SLOT_KIND_HINTS,
    SLOT_KIND_LABELS,
    SLOT_STATUS_BADGES,
    SLOT_STATUS_LABELS,
)
from portal.employers.rows import SlotRow
from portal.employers.services import active_municipalities, company_profile
from portal.employers.slots import EMPLOYER_TRANSITIONS, Refused, SlotAction
from portal.forms import form_data
from portal.i18n import N_, _
from portal.pagination import page_number
from portal.reference.tables import CEFR
from portal.templating import page
from portal.web import AnyRequest, absolute_url, client_address, flash, see_other, user_of

# Both roles of an approved employer; a pending one sees nothing (403), others' slots are 404.


def _labels() -> dict[str, Any]:
    return {
        "status_labels": {key.value: _(label) for key, label in SLOT_STATUS_LABELS.items()},
        "kind_labels": {key.value: _(label) for key, label in SLOT_KIND_LABELS.items()},
        "status_badges": {key.value: badge for key, badge in SLOT_STATUS_BADGES.items()},
    }


async def _slot_or_404(user: CurrentUser, slot_id: str) -> SlotRow:
    row = await slots.slot_of(user, parse_id(slot_id))
    if row is None:
        raise NotFoundException()
    return row


def _partial(request: HTMXRequest) -> bool:
    return bool(request.htmx) and not request.htmx.history_restore_request


# -- the dashboard ----------------------------------------------------------------------------


@get("/slots", name="slots:list", guards=[employer_user])
async def slot_list(
    request: HTMXRequest, status: FromQuery[str] = "", sort: FromQuery[str] = ""
) -> Template:
    listing = await slots.dashboard(
        user_of(request).organisation_id,
        status=status,
        sort=sort,
        number=page_number(request.query_params.get("page", "")),
    )
    context = {
        "page": listing,
        "filters": {
            "status": listing.filters["status"],
            "sort": listing.filters["sort"] or "start",
        },
        **_labels(),
    }
    return HTMXBlockTemplate(
        template_name="employers/slots.html",
        block_name="results" if _partial(request) else None,
        context=context,
    )


# -- the form ---------------------------------------------------------------------------------


async def _form(
    request: HTMXRequest,
    *,
    values: dict[str, Any],
    errors: dict[str, str],
    slot: SlotRow | None = None,
    status_code: int = 200,
) -> Template:
    """The slot form; for htmx only its `form` block (htmx swaps only 2xx answers)."""
    if errors and not request.htmx:
        status_code = 400
    context = {
        "values": values,
        "errors": errors,
        "slot": slot,
        "kinds": [(kind.value, _(label)) for kind, label in SLOT_KIND_LABELS.items()],
        "kind_hints": {kind.value: _(hint) for kind, hint in SLOT_KIND_HINTS.items()},
        "levels": [(level.value, level.value) for level in CEFR],
        "municipalities": await active_municipalities(),
        "max_hours": slot_form.MAX_HOURS,
        **_labels(),
    }
    return HTMXBlockTemplate(
        template_name="employers/slot_form.html",
        block_name="form" if _partial(request) else None,
        context=context,
        status_code=status_code,
    )


def _to_slot(request: HTMXRequest, slot_id: UUID, message: str) -> Redirect | ClientRedirect:
    flash(request, message)
    url = request.app.route_reverse("slots:detail", slot_id=str(slot_id))
    return ClientRedirect(redirect_to=url) if request.htmx else see_other(url)


@get("/slots/new", name="slots:new", guards=[employer_user])
async def new_slot(request: HTMXRequest) -> Template:
    """An empty form, with the company's municipality and contact person suggested."""
    profile = await company_profile(user_of(request).organisation_id)
    values = {
        "schedule": "fixed",
        "places": "1",
        "municipality": str(profile["municipality"] or ""),
        "contact_name": profile["contact_name"],
        "contact_phone": profile["contact_phone"],
        "contact_email": profile["contact_email"],
    }
    return await _form(request, values=values, errors={})


@post("/slots", name="slots:create", guards=[employer_user], status_code=200)
async def create_slot(request: HTMXRequest) -> Template | Redirect | ClientRedirect:
    data = await form_data(request)
    publish = data.get("intent") == "publish"
    errors, fields, values = await slot_form.check_slot(data, publishing=publish)
    if fields is None:
        return await _form(request, values=values, errors=errors)
    slot_id = await slots.create_slot(
        user_of(request), fields, publish=publish, address=client_address(request)
    )
    message = _("The slot has been published.") if publish else _("The draft has been saved.")
    return _to_slot(request, slot_id, message)


@get("/slots/{slot_id:str}/edit", name="slots:edit", guards=[employer_user])
async def edit_slot(request: HTMXRequest, slot_id: FromPath[str]) -> Template:
    row = await _slot_or_404(user_of(request), slot_id)
    if not slots.may(SlotAction.edit, row["status"]):
        return _detail(row, problem=_(slots.RULES[SlotAction.edit].refusal))
    return await _form(request, values=slot_form.form_values(row), errors={}, slot=row)


@post("/slots/{slot_id:str}/edit", name="slots:update", guards=[employer_user], status_code=200)
async def update_slot(
    request: HTMXRequest, slot_id: FromPath[str]
) -> Template | Redirect | ClientRedirect:
    user = user_of(request)
    row = await _slot_or_404(user, slot_id)
    if not slots.may(SlotAction.edit, row["status"]):
        return _detail(row, problem=_(slots.RULES[SlotAction.edit].refusal))
    data = await form_data(request)
    # An open slot is published: its (new) first day must not have passed.
    errors, fields, values = await slot_form.check_slot(data, publishing=row["status"] == "open")
    if fields is None:
        return await _form(request, values=values, errors=errors, slot=row)
    try:
        await slots.update_slot(user, row, fields, address=client_address(request))
    except Refused as refused:
        return _detail(row, problem=refused.message)
    return _to_slot(request, row["id"], _("The changes have been saved."))


# -- the slot's page and its transitions ------------------------------------------------------


def _detail(row: SlotRow, *, problem: str | None = None) -> Template:
    """The slot's page; with a problem (a refused action) as 409: nothing was changed."""
    status = row["status"]
    return page(
        "employers/slot.html",
        slot=row,
        problem=problem,
        can_edit=slots.may(SlotAction.edit, status),
        transitions=[action.value for action in EMPLOYER_TRANSITIONS if slots.may(action, status)],
        kind_hints={kind.value: _(hint) for kind, hint in SLOT_KIND_HINTS.items()},
        status_code=409 if problem else 200,
        **_labels(),
    )


@get("/slots/{slot_id:str}", name="slots:detail", guards=[employer_user])
async def slot_detail(request: AnyRequest, slot_id: FromPath[str]) -> Template:
    return _detail(await _slot_or_404(user_of(request), slot_id))


@post("/slots/{slot_id:str}/duplicate", name="slots:duplicate", guards=[employer_user])
async def duplicate_slot(request: AnyRequest, slot_id: FromPath[str]) -> Redirect:
    user = user_of(request)
    row = await _slot_or_404(user, slot_id)
    copy_id = await slots.duplicate_slot(user, row, address=client_address(request))
    flash(request, _("A copy has been saved as a draft. Check its dates before you publish it."))
    return see_other(request.app.route_reverse("slots:edit", slot_id=str(copy_id)))


TRANSITION_MESSAGES = {
    SlotAction.publish: N_("The slot has been published."),
    SlotAction.pause: N_("The slot has been paused; case managers no longer find it."),
    SlotAction.close: N_("The slot has been closed."),
}


@post("/slots/{slot_id:str}/{action:str}", name="slots:transition", guards=[employer_user])
async def transition(
    request: AnyRequest, slot_id: FromPath[str], action: FromPath[str]
) -> Template | Redirect:
    user = user_of(request)
    row = await _slot_or_404(user, slot_id)
    if action not in {allowed.value for allowed in EMPLOYER_TRANSITIONS}:
        raise NotFoundException()
    try:
        await slots.transition(user, row, SlotAction(action), address=client_address(request))
    except Refused as refused:
        return _detail(row, problem=refused.message)
    flash(request, _(TRANSITION_MESSAGES[SlotAction(action)]))
    return see_other(request.app.route_reverse("slots:detail", slot_id=str(row["id"])))


# -- the calendar -----------------------------------------------------------------------------


@get("/slots/calendar.ics", name="slots:calendar", guards=[employer_user])
async def calendar(request: AnyRequest) -> Response[str]:
    """The organisation's upcoming open and paused slots as an iCalendar file."""
    user = user_of(request)
    host = urlsplit(request.app.state.settings.base_url).hostname or "localhost"
    events = [
        ics.Event(
            # Stable across downloads, so that a calendar updates the event instead of adding one.
            uid=f"{row['id']}@{host}",
            first_day=row["start_date"],
            last_day=row["end_date"],
            summary=row["title"],
            description=_slot_note(row),
            url=absolute_url(request, "slots:detail", slot_id=str(row["id"])),
        )
        for row in await slots.upcoming(user.organisation_id, today())
    ]
    text = ics.calendar(
        events, name=_("Internship slots – %(name)s", name=user.organisation_name), stamp=now()
    )
    return Response(
        content=text,
        media_type="text/calendar",
        headers={"Content-Disposition": 'attachment; filename="slots.ics"'},
    )


def _slot_note(row: Mapping[str, Any]) -> str:
    parts = []
    if row["flexible"]:
        parts.append(_("%(days)s days within this period.", days=row["duration_days"]))
    if row["status"] == "paused":
        parts.append(_("Paused: case managers do not find this slot at the moment."))
    return " ".join(parts)


router = Router(
    path="/",
    route_handlers=[
        slot_list,
        new_slot,
        create_slot,
        calendar,
        slot_detail,
        edit_slot,
        update_slot,
        duplicate_slot,
        transition,
    ],
)
