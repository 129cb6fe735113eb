"""The placement page: its state, history, actions, identity release, conversation, documents.

Employers and case workers on a side of the placement reach it; anyone else of those roles gets
404 (machine.load_placement), every other role 403 (the guard). Every form works without
JavaScript (POST → 303 back to the page with a flash); htmx swaps the actions block.
"""

from __future__ import annotations

from typing import Any, Unpack

from jinja2_fragments.litestar import HTMXBlockTemplate
from litestar import Response, Router, get, post
from litestar.exceptions import NoRouteMatchFoundException, NotFoundException
from litestar.params import FromPath
from litestar.plugins.htmx import ClientRedirect, HTMXRequest
from litestar.response import Redirect, Template

from portal.auth import case_worker, parse_id, placement_party
from portal.candidates import documents
from portal.candidates.access import audit, vault_of
from portal.files import file_response
from portal.forms import form_data
from portal.i18n import _
from portal.placements import detail, machine, thread
from portal.placements.checks import input_problems, precheck
from portal.placements.forms import parse_input_off_loop
from portal.placements.machine import Refused
from portal.placements.rows import PlacementRow
from portal.web import AnyRequest, client_address, flash, see_other, storage_of, user_of

# Employers and case workers (operators and statistics viewers: 403).
TEMPLATE = "placements/detail.html"


def _partial(request: HTMXRequest) -> bool:
    return bool(request.htmx) and not request.htmx.history_restore_request


def _detail_url(request: AnyRequest, placement_id: Any) -> str:
    return request.app.route_reverse("placements:detail", placement_id=str(placement_id))


async def _load(request: AnyRequest, placement_id: str) -> PlacementRow:
    return await machine.load_placement(user_of(request), parse_id(placement_id))


async def _render(
    request: HTMXRequest,
    row: PlacementRow,
    *,
    block: str | None = None,
    status_code: int = 200,
    **feedback: Unpack[detail.Feedback],
) -> Template:
    context = await detail.page_context(
        user_of(request), row, vault_of(request), address=client_address(request), **feedback
    )
    context["back_url"] = _back_url(request, context["side"])
    partial = block if _partial(request) else None
    return HTMXBlockTemplate(
        template_name=TEMPLATE,
        block_name=partial,
        context=dict(context),
        # htmx swaps only 2xx answers: the fragment with its messages comes with 200.
        status_code=200 if partial else status_code,
    )


def _done(request: HTMXRequest, row: PlacementRow, message: str) -> Redirect | ClientRedirect:
    flash(request, message)
    url = _detail_url(request, row["id"])
    return ClientRedirect(redirect_to=url) if _partial(request) else see_other(url)


def _back_url(request: AnyRequest, side: str) -> str:
    """The side's list (the inbox or my placements), once it exists."""
    try:
        return request.app.route_reverse(
            "placements:inbox" if side == "employer" else "placements:mine"
        )
    except NoRouteMatchFoundException:
        return ""


@get("/placements/{placement_id:str}", name="placements:detail", guards=[placement_party])
async def show(request: HTMXRequest, placement_id: FromPath[str]) -> Template:
    return await _render(request, await _load(request, placement_id))


@post(
    "/placements/{placement_id:str}/transition/{action:str}",
    name="placements:transition",
    guards=[placement_party],
    status_code=200,
)
async def transition(
    request: HTMXRequest, placement_id: FromPath[str], action: FromPath[str]
) -> Template | Redirect | ClientRedirect:
    """One step of the lifecycle; a refusal shows the page with its message, nothing changed."""
    user = user_of(request)
    row = await _load(request, placement_id)
    t = machine.TRANSITIONS.get(action)
    if t is None or None in t.sources:
        raise NotFoundException()
    data = await form_data(request)
    names = await detail.names_for_guard(vault_of(request), row)
    parsed, errors = await parse_input_off_loop(action, data, names=names)
    try:
        if errors:
            # The machine's own checks first (side, state), so that a 403/409 is not hidden
            # behind a form error; then parse errors and the machine's input errors together.
            side = machine.side_of(user, row)
            precheck(t, row, side)
            problems = input_problems(t, row, parsed, side=side)
            raise Refused(
                _("Please check the marked fields."), status=422, errors={**problems, **errors}
            )
        updated = await machine.apply(
            user, row["id"], action, parsed, address=client_address(request)
        )
    except Refused as refused:
        fresh = await _load(request, placement_id)
        return await _render(
            request,
            fresh,
            block="actions",
            status_code=refused.status,
            form_action=action,
            values=data,
            errors=refused.errors,
            problem=refused.message,
        )
    return _done(request, updated, _("Done: %(label)s.", label=_(t.label)))


@post(
    "/placements/{placement_id:str}/release",
    name="placements:release",
    guards=[case_worker],
    status_code=200,
)
async def release(
    request: HTMXRequest, placement_id: FromPath[str]
) -> Template | Redirect | ClientRedirect:
    row = await _load(request, placement_id)
    try:
        await machine.release_identity(user_of(request), row["id"], address=client_address(request))
    except Refused as refused:
        return await _render(
            request, row, block="actions", status_code=refused.status, problem=refused.message
        )
    return _done(request, row, _("Name and contact have been released to the employer."))


@post(
    "/placements/{placement_id:str}/messages",
    name="placements:message",
    guards=[placement_party],
    status_code=200,
)
async def message(
    request: HTMXRequest, placement_id: FromPath[str]
) -> Template | Redirect | ClientRedirect:
    user = user_of(request)
    row = await _load(request, placement_id)
    data = await form_data(request)
    body, errors = await thread.check_body_off_loop(
        data, names=await detail.names_for_guard(vault_of(request), row)
    )
    try:
        if errors:
            raise Refused(_("Please check the marked fields."), status=422, errors=errors)
        await thread.post_message(user, row, body, address=client_address(request))
    except Refused as refused:
        return await _render(
            request,
            row,
            block="thread",
            status_code=refused.status,
            message_values=data,
            message_errors=refused.errors,
            message_problem=refused.message,
        )
    if _partial(request):
        return await _render(request, row, block="thread", notice=_("Your message has been sent."))
    flash(request, _("Your message has been sent."))
    return see_other(_detail_url(request, row["id"]) + "#thread")


@get(
    "/placements/{placement_id:str}/documents/{document_id:str}",
    name="placements:document",
    guards=[placement_party],
)
async def document(
    request: AnyRequest, placement_id: FromPath[str], document_id: FromPath[str]
) -> Response[bytes]:
    """A copy the case worker marked shareable, for the employer of this placement (audited)."""
    user = user_of(request)
    row = await _load(request, placement_id)
    found = await documents.load_document(parse_id(document_id))
    if found is None or found["candidate"] != row["candidate"]:
        raise NotFoundException()
    if not detail.may_download(user, found, row):
        raise NotFoundException()
    data = await storage_of(request).get(found["storage_key"])
    await audit(
        user,
        "document.download",
        found["candidate"],
        client_address(request),
        document=str(found["id"]),
        placement=str(row["id"]),
    )
    return file_response(
        data, name=documents.download_name(found), content_type=found["content_type"]
    )


router = Router(path="/", route_handlers=[show, transition, release, message, document])
