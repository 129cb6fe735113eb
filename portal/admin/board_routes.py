"""The pipeline board: the operator's over every placement (/admin/placements) and a team
lead's over its own organisation's (/board/placements) — the same handlers, the scope from the
policy (`console_placements_where`)."""

from __future__ import annotations

from typing import Any

from jinja2_fragments.litestar import HTMXBlockTemplate
from litestar import Response, Router, get
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.plugins.htmx import HTMXRequest
from litestar.response import ServerSentEvent, Template

from portal import live
from portal.admin import actions, attention, board, board_choices, board_export, board_filter
from portal.auth import team_lead
from portal.clock import today
from portal.i18n import N_, _
from portal.middleware import READS_ONLY
from portal.placements.labels import STATE_BADGES, STATE_LABELS
from portal.placements.transitions import choosable_reasons
from portal.reference.limits import Limits, load_limits
from portal.web import AnyRequest, settings_of, user_of

TEMPLATE = "admin/board.html"
CARD_TEXTS = {
    "employer": N_("Employer"),
    "agency": N_("Case management"),
    "start": N_("Start"),
    "days": N_("In this state"),
    "actions": N_("Actions"),
    "open": N_("Open the placement to act on it"),
    "aged": N_("Waiting too long"),
    "flagged": N_("Flagged"),
    "for_code": N_("for"),
    "more": N_("Show more"),
}
LIST_TEMPLATE = "admin/board_list.html"


def _partial(request: HTMXRequest) -> bool:
    return bool(request.htmx) and not request.htmx.history_restore_request


def _prefix(request: AnyRequest) -> str:
    """The route names of this board: the console's ("admin:board") or the team lead's."""
    return "admin:board" if request.url.path.startswith("/admin/") else "board:team"


async def board_context(
    request: AnyRequest, f: board_filter.BoardFilter, limits: Limits
) -> dict[str, Any]:
    user = user_of(request)
    context: dict[str, Any] = {
        "f": f,
        "names": _prefix(request),
        "console": user.is_operator,
        "state_labels": {key: _(label) for key, label in STATE_LABELS.items()},
        "state_badges": STATE_BADGES,
        "open_columns": [s.value for s in board.OPEN_COLUMNS],
        "limits": limits,
        "today": today(),
        "need_labels": {key: _(label) for key, label in attention.LABELS.items()},
        # The words on every card and a column's URL: once a request, not once a column.
        "card_texts": {key: _(text) for key, text in CARD_TEXTS.items()},
        "column_url": request.app.route_reverse(f"{_prefix(request)}_column", column_state="STATE"),
        # Where a card's form comes back to: the board with this filter.
        "here": f"{request.app.route_reverse(_prefix(request))}?{f.query()}",
    }
    if user.is_operator:
        # Built once, not once per card (route_reverse is not free at 70 cards a page).
        context["detail_url"] = request.app.route_reverse("admin:placement", placement_id="ID")
        context["menu_url"] = request.app.route_reverse("admin:card_menu", placement_id="ID")
        # The card menu: who a reminder goes to, the operator's transitions with their reasons.
        context["acting"] = {
            state: _(actions.SIDE_LABELS[side]) for state, side in actions.ACTING_SIDE.items()
        }
        context["transitions"] = {
            s.value: [
                (t, {k: _(v) for k, v in choosable_reasons(t).items()})
                for t in actions.operator_transitions(s.value)
            ]
            for s in board.OPEN_COLUMNS
        }
    return context


def _filter(request: AnyRequest) -> board_filter.BoardFilter:
    return board_filter.parse_filter(request.query_params)


@get("/", name="admin:home")
async def attention_page(request: HTMXRequest) -> Template:
    """Needs attention: the console's home."""
    limits = await load_limits(settings_of(request))
    items = await attention.needs_attention(limits)
    context = {
        "items": items,
        "labels": {key: _(label) for key, label in attention.LABELS.items()},
        "limits": limits,
    }
    if _partial(request):
        return HTMXBlockTemplate(
            template_name="admin/home.html", block_name="attention", context=context
        )
    return HTMXBlockTemplate(template_name="admin/home.html", context=context)


@get("/live", name="admin:live")
async def console_live(request: AnyRequest) -> ServerSentEvent:
    """The board's and the attention list's live updates (every placement)."""
    return live.stream(request.app.state.live, "console", settings_of(request).live_stream_seconds)


@get("/live", name="board:team_live")
async def team_live(request: AnyRequest) -> ServerSentEvent:
    """A team lead's board's live updates (the placements of the own organisation)."""
    return live.stream(
        request.app.state.live,
        f"agency:{user_of(request).organisation_id}",
        settings_of(request).live_stream_seconds,
    )


@get("/placements", name="admin:board", opt=READS_ONLY)
async def board_page(request: HTMXRequest) -> Template:
    f, limits = _filter(request), await load_limits(settings_of(request))
    context = await board_context(request, f, limits)
    context["columns"] = await board.board(user_of(request), f, limits)
    if _partial(request):
        # The board, and its count out of band into the live region that stays on the page.
        return HTMXBlockTemplate(
            template_name=TEMPLATE,
            block_names=["board", "status", "views"],
            context={**context, "oob": True},
        )
    context["choices"] = await board_choices.choices(user_of(request), f)
    return HTMXBlockTemplate(template_name=TEMPLATE, context={**context, "oob": False})


@get("/placements/column/{column_state:str}", name="admin:board_column", opt=READS_ONLY)
async def column_page(request: HTMXRequest, column_state: FromPath[str]) -> Template:
    """One column's page: for htmx the next cards (they replace the "more" button), without
    JavaScript the board showing just this column."""
    state = column_state
    if state not in board.STATE_VALUES:
        raise NotFoundException()
    f, limits = _filter(request), await load_limits(settings_of(request))
    number = board.page_of(request.query_params)
    context = await board_context(request, f, limits)
    column = await board.one_column(user_of(request), f, state, number, limits)
    context["columns"] = [column]
    context["single"] = True
    if _partial(request):
        context["column"] = column
        return HTMXBlockTemplate(template_name=TEMPLATE, block_name="cards", context=context)
    context["choices"] = await board_choices.choices(user_of(request), f)
    return HTMXBlockTemplate(template_name=TEMPLATE, context={**context, "oob": False})


@get("/placements/list", name="admin:board_list", opt=READS_ONLY)
async def list_page(request: HTMXRequest) -> Template:
    f, limits = _filter(request), await load_limits(settings_of(request))
    context = await board_context(request, f, limits)
    context["page"] = await board.listing(
        user_of(request), f, board.page_of(request.query_params), limits
    )
    context["list_view"] = True
    if _partial(request):
        return HTMXBlockTemplate(
            template_name=LIST_TEMPLATE,
            block_names=["results", "status", "views"],
            context={**context, "oob": True},
        )
    context["choices"] = await board_choices.choices(user_of(request), f)
    return HTMXBlockTemplate(template_name=LIST_TEMPLATE, context={**context, "oob": False})


@get("/placements/options", name="admin:board_options", opt=READS_ONLY)
async def options_page(request: HTMXRequest) -> Template:
    """A picker's options (its active search): what matches the text typed, in the board's
    scope, at most board_choices.OPTION_LIMIT."""
    picker = request.query_params.get("field", "")
    text = board_filter.typed(request.query_params, f"{picker}_query")
    known = picker in board_filter.PICKERS
    hits = await board_choices.search(user_of(request), picker, text) if known else []
    context = {
        "field": picker if known else "picker", "query": text, "hits": hits,
        "limit": board_choices.OPTION_LIMIT,
    }  # fmt: skip
    return HTMXBlockTemplate(template_name=TEMPLATE, block_name="options", context=context)


@get("/placements.csv", name="admin:board_csv")
async def csv_export(request: AnyRequest) -> Response[str]:
    f, limits = _filter(request), await load_limits(settings_of(request))
    body = await board_export.export(user_of(request), f, limits)
    name = f"placements-{today().isoformat()}.csv"
    return Response(
        body,
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


# The same board for a team lead, over its own organisation (the policy narrows the query).
@get("/placements", name="board:team")
async def team_board_page(request: HTMXRequest) -> Template:
    return await board_page.fn(request)  # type: ignore[no-any-return]


@get("/placements/column/{column_state:str}", name="board:team_column")
async def team_column_page(request: HTMXRequest, column_state: FromPath[str]) -> Template:
    return await column_page.fn(request, column_state)  # type: ignore[no-any-return]


@get("/placements/list", name="board:team_list")
async def team_list_page(request: HTMXRequest) -> Template:
    return await list_page.fn(request)  # type: ignore[no-any-return]


@get("/placements/options", name="board:team_options")
async def team_options_page(request: HTMXRequest) -> Template:
    return await options_page.fn(request)  # type: ignore[no-any-return]


@get("/placements.csv", name="board:team_csv")
async def team_csv_export(request: AnyRequest) -> Response[str]:
    return await csv_export.fn(request)  # type: ignore[no-any-return]


console_handlers = [
    attention_page, console_live, board_page, column_page, list_page, options_page, csv_export,
]  # fmt: skip
team_router = Router(
    path="/board",
    guards=[team_lead],
    route_handlers=[
        team_live,
        team_board_page,
        team_column_page,
        team_list_page,
        team_options_page,
        team_csv_export,
    ],
)
