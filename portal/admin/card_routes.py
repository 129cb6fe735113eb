"""The console's actions on a placement (from the board's card menu or the detail page) and
the operator's placement detail."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl, urlsplit

from jinja2_fragments.litestar import HTMXBlockTemplate
from litestar import get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Redirect, Template

from portal.admin import actions, board, board_filter, placement_view
from portal.admin.board_routes import TEMPLATE, board_context
from portal.auth import parse_id
from portal.auth.policy import Side
from portal.forms import form_data
from portal.i18n import N_, _
from portal.placements.labels import STATE_BADGES, STATE_LABELS
from portal.placements.loading import load_placement
from portal.placements.transitions import TRANSITIONS, Refused, choosable_reasons
from portal.reference.limits import load_limits
from portal.templating import page
from portal.web import client_address, flash, safe_next, see_other, settings_of, user_of

DONE = {
    "note": N_("The internal note has been saved."),
    "flag": N_("The placement has been flagged."),
    "unflag": N_("The flag has been removed."),
}


async def _act(request: HTMXRequest, placement_id: Any, action: str, data: dict[str, str]) -> str:
    """Do `action`; the message to show (Refused passes through)."""
    user, address = user_of(request), client_address(request)
    if action == "remind":
        limits = await load_limits(settings_of(request))
        side = await actions.remind(user, placement_id, limits, address=address)
        if side == Side.employer:
            return _("A reminder has been sent to the employer.")
        return _("A reminder has been sent to the case worker.")
    if action == "note":
        await actions.add_note(user, placement_id, data.get("note", ""), address=address)
    elif action in ("flag", "unflag"):
        await actions.set_flag(user, placement_id, action == "flag", address=address)
    elif action in TRANSITIONS:
        await actions.transition(
            user, placement_id, action, reason=data.get("reason", ""),
            note=data.get("note", ""), address=address,
        )  # fmt: skip
        return _("Done: %(action)s.", action=_(TRANSITIONS[action].label))
    else:
        raise NotFoundException()
    return _(DONE[action])


@post("/placements/{placement_id:str}/{card_action:str}", name="admin:card_action", status_code=200)
async def card_action(
    request: HTMXRequest, placement_id: FromPath[str], card_action: FromPath[str]
) -> Template | Redirect:
    """An action on a card; without JavaScript back to where it came from with a message, for
    htmx the board again (its filter from `next`) with the message and focus on the card."""
    pid = parse_id(placement_id)
    data = await form_data(request)
    back = safe_next(data.get("next"), request.app.route_reverse("admin:board"))
    try:
        message, category = await _act(request, pid, card_action, data), "success"
    except Refused as refused:
        message, category = refused.message, "error"
    if not request.htmx or not back.startswith(request.app.route_reverse("admin:board")):
        flash(request, message, category)
        return see_other(back)
    f = board_filter.parse_filter(dict(parse_qsl(urlsplit(back).query)))
    limits = await load_limits(settings_of(request))
    context = await board_context(request, f, limits)
    context["columns"] = await board.board(user_of(request), f, limits)
    return HTMXBlockTemplate(
        template_name=TEMPLATE,
        block_names=["board", "status", "views", "message"],
        context={**context, "oob": True, "message": (message, category), "focus": str(pid)},
    )


@get("/placements/{placement_id:str}/menu", name="admin:card_menu")
async def card_menu(request: HTMXRequest, placement_id: FromPath[str]) -> Template:
    """A card's actions, loaded into its menu when it is opened."""
    row = await load_placement(user_of(request), parse_id(placement_id))
    f = board_filter.parse_filter({})
    context = await board_context(request, f, await load_limits(settings_of(request)))
    context["here"] = safe_next(
        request.query_params.get("next"), request.app.route_reverse("admin:board")
    )
    return HTMXBlockTemplate(
        template_name="admin/_card_menu.html", context={**context, "card": row}
    )


@get("/placements/{placement_id:str}", name="admin:placement")
async def placement_detail(request: HTMXRequest, placement_id: FromPath[str]) -> Template:
    context = await placement_view.view(user_of(request), parse_id(placement_id))
    row = context["row"]
    return page(
        "admin/placement.html",
        **context,
        state_labels={key: _(label) for key, label in STATE_LABELS.items()},
        state_badges=STATE_BADGES,
        transitions=[
            (t, {k: _(v) for k, v in choosable_reasons(t).items()})
            for t in actions.operator_transitions(row["state"])
        ],
        acting=actions.ACTING_SIDE.get(row["state"]),
        here=request.url.path,
    )


card_handlers = [card_action, card_menu, placement_detail]
