"""The case worker's placements and the employer's inbox of nominations (accept or decline)."""

from __future__ import annotations

from typing import Any

from jinja2_fragments.litestar import HTMXBlockTemplate
from litestar import get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Redirect, ServerSentEvent, Template

from portal import clock, live
from portal.auth import case_worker, employer_user, parse_id
from portal.forms import form_data
from portal.i18n import _
from portal.middleware import READS_ONLY
from portal.pagination import page_number
from portal.placements import forms, lists, machine
from portal.placements.labels import STATE_LABELS
from portal.templating import page
from portal.web import AnyRequest, client_address, flash, see_other, settings_of, user_of


def _partial(request: HTMXRequest) -> bool:
    return bool(request.htmx) and not request.htmx.history_restore_request


# -- the case worker's placements -------------------------------------------------------------


def _state_labels() -> dict[str, str]:
    return {state: _(label) for state, label in STATE_LABELS.items()}


@get("/placements", name="placements:mine", guards=[case_worker], opt=READS_ONLY)
async def mine(request: HTMXRequest) -> Template:
    state = lists.parse_state(request.query_params.get("state"))
    need = lists.parse_need(request.query_params.get("need"))
    listing = await lists.my_placements(
        user_of(request),
        state=state,
        need=need,
        number=page_number(request.query_params.get("page")),
        today=clock.today(),
    )
    context: dict[str, Any] = {
        "page": listing,
        "state": state,
        "state_labels": _state_labels(),
        "need": need,
        "need_labels": {key: _(label) for key, label in lists.NEED_LABELS.items()},
    }
    # htmx swaps the results and, out of band, the count in its live region.
    if _partial(request):
        return HTMXBlockTemplate(
            template_name="placements/mine.html",
            block_names=["results", "status"],
            context={**context, "oob": True},
        )
    return page("placements/mine.html", **context, oob=False)


# -- the employer's inbox ---------------------------------------------------------------------

DECISIONS = ("accept", "decline")


async def _inbox(request: AnyRequest, **context: Any) -> dict[str, Any]:
    only = request.query_params.get("section", "")
    only = only if only in lists.SECTIONS else ""
    pages = await lists.inbox(
        user_of(request),
        today=clock.today(),
        only=only,
        number=page_number(request.query_params.get("page")),
    )
    return {"pages": pages, "only": only, "message": "", **_row_context(**context)}


def _row_context(**context: Any) -> dict[str, Any]:
    """What a row of the inbox needs besides itself (also when htmx renders it alone)."""
    return {
        "reasons": lists.decline_reasons(),
        "state_labels": _state_labels(),
        "notices": {},
        "problems": {},
        "row_errors": {},
        "counts": {},
        "today": clock.today(),
        **context,
    }


@get("/nominations/live", name="placements:inbox_live", guards=[employer_user])
async def inbox_live(request: AnyRequest) -> ServerSentEvent:
    """The inbox's live updates: the placements of the employer's own organisation."""
    return live.stream(
        request.app.state.live,
        f"employer:{user_of(request).organisation_id}",
        settings_of(request).live_stream_seconds,
    )


@get("/nominations", name="placements:inbox", guards=[employer_user], opt=READS_ONLY)
async def inbox(request: AnyRequest) -> Template:
    return page("placements/inbox.html", **await _inbox(request))


@post(
    "/nominations/{placement_id:str}/{decision:str}",
    name="placements:inbox_decide",
    guards=[employer_user],
    status_code=200,
)
async def decide(
    request: HTMXRequest, placement_id: FromPath[str], decision: FromPath[str]
) -> Template | Redirect:
    """Accept or decline a nomination in one click: htmx gets the row back, a form the page."""
    if decision not in DECISIONS:
        raise NotFoundException()
    user = user_of(request)
    uid = parse_id(placement_id)
    parsed, errors = await forms.parse_input_off_loop(decision, await form_data(request))
    try:
        if errors:
            raise machine.Refused(_("Please check the marked fields."), 422, errors)
        row = await machine.apply(user, uid, decision, parsed, address=client_address(request))
    except machine.Refused as refused:
        key = str(uid)
        if _partial(request):
            problem = {"problems": {key: refused.message}, "row_errors": {key: refused.errors}}
            return _row(await lists.inbox_row(user, uid), **problem)
        # The page says what went wrong at its top (the row may be in no section any more).
        context = await _inbox(request, message=refused.message, row_errors={key: refused.errors})
        return page("placements/inbox.html", status_code=refused.status, **context)
    if decision == "accept":
        done = _("%(code)s accepted — the case manager has been told.", code=row["candidate_code"])
    else:
        done = _("%(code)s declined — the case manager has been told.", code=row["candidate_code"])
    if _partial(request):
        # The row comes back, and the sections' headings get their new counts (out of band).
        counts = await lists.inbox_counts(user, today=clock.today())
        return _row(await lists.inbox_row(user, uid), notices={str(uid): done}, counts=counts)
    flash(request, done)
    return see_other(request.app.route_reverse("placements:inbox"))


def _row(row: dict[str, Any] | None, **context: Any) -> Template:
    if row is None:
        raise NotFoundException()
    return HTMXBlockTemplate(
        template_name="placements/inbox.html",
        block_name="row",
        context={"row": row, **_row_context(**context)},
    )
