"""Caseload: list, create, the candidate's overview, status, assignment and sharing."""

from __future__ import annotations

from typing import Any, TypedDict
from uuid import UUID

from jinja2_fragments.litestar import HTMXBlockTemplate
from litestar import Router, get, post
from litestar.exceptions import PermissionDeniedException
from litestar.params import FromPath, FromQuery
from litestar.plugins.htmx import ClientRedirect, HTMXRequest
from litestar.response import Redirect, Template

from portal.auth import CurrentUser, case_worker, case_worker_or_operator, policy, team_lead
from portal.candidates import assignment, caseload, duplicates
from portal.candidates import status as statuses
from portal.candidates.access import load_candidate, vault_of
from portal.candidates.caseload import Refused
from portal.candidates.consent import active_consent
from portal.candidates.identity import check_identity
from portal.candidates.labels import STATUS_BADGES, STATUS_LABELS, WORK_ACCESS_LABELS
from portal.candidates.rows import CandidateRow
from portal.candidates.status import CandidateAction
from portal.forms import form_data
from portal.i18n import _, ngettext
from portal.middleware import READS_ONLY
from portal.pagination import page_number
from portal.reference.services import all_programmes, programmes
from portal.templating import page
from portal.web import AnyRequest, client_address, flash, see_other, settings_of, user_of


class Labels(TypedDict):
    """The status names and badges every caseload page shows."""

    status_labels: dict[str, str]
    status_badges: dict[str, str]


def _labels() -> Labels:
    return {
        "status_labels": {key.value: _(label) for key, label in STATUS_LABELS.items()},
        "status_badges": {key.value: badge for key, badge in STATUS_BADGES.items()},
    }


def _partial(request: HTMXRequest) -> bool:
    return bool(request.htmx) and not request.htmx.history_restore_request


def _to(request: HTMXRequest, url: str) -> Redirect | ClientRedirect:
    return ClientRedirect(redirect_to=url) if request.htmx else see_other(url)


# -- the caseload -----------------------------------------------------------------------------


@get("/candidates", name="candidates:list", guards=[case_worker], opt=READS_ONLY)
async def caseload_list(
    request: HTMXRequest,
    status: FromQuery[str] = "",
    case_manager: FromQuery[str] = "",
    programme: FromQuery[str] = "",
    q: FromQuery[str] = "",
) -> Template:
    user = user_of(request)
    shared = await caseload.is_shared(user.organisation_id)
    colleagues = caseload.sees_colleagues(user, shared)
    filters = caseload.clean_filters(
        status=status, case_manager=case_manager, programme=programme, q=q, colleagues=colleagues
    )
    listing = await caseload.caseload(
        user, filters, shared=shared, number=page_number(request.query_params.get("page", ""))
    )
    context: dict[str, Any] = {
        "page": listing,
        "filters": filters,
        "colleagues": colleagues,
        **_labels(),
    }
    if _partial(request):
        # The results, and the count out of band into the live region that stays on the page.
        return HTMXBlockTemplate(
            template_name="candidates/list.html",
            block_names=["results", "status"],
            context={**context, "oob": True},
        )
    workers = await caseload.case_workers(user.organisation_id) if colleagues else []
    return page(
        "candidates/list.html",
        **context,
        oob=False,
        shared=shared,
        is_team_lead=policy.may_assign_cases(user),
        workers=workers,
        programmes={str(row["id"]): row["name"] for row in await all_programmes()},
    )


@post("/candidates/sharing", name="candidates:sharing", guards=[team_lead])
async def sharing(request: AnyRequest) -> Redirect:
    data = await form_data(request)
    shared = data.get("shared") == "yes"
    await assignment.set_sharing(user_of(request), shared, address=client_address(request))
    if shared:
        flash(request, _("Case managers now see their colleagues' cases."))
    else:
        flash(request, _("Case managers now see only their own cases."))
    return see_other(request.app.route_reverse("candidates:list"))


@post("/candidates/reassign", name="candidates:reassign", guards=[team_lead])
async def reassign(request: AnyRequest) -> Redirect:
    data = await form_data(request)
    try:
        moved = await assignment.reassign_all(
            user_of(request),
            data.get("from", ""),
            data.get("to", ""),
            address=client_address(request),
        )
    except Refused as refused:
        flash(request, _("Nothing has been changed.") + " " + refused.message, "error")
    else:
        flash(
            request,
            ngettext(
                "%(num)s open case has been moved.", "%(num)s open cases have been moved.", moved
            ),
        )
    return see_other(request.app.route_reverse("candidates:list"))


# -- a new case -------------------------------------------------------------------------------


async def _form(
    request: HTMXRequest,
    *,
    values: dict[str, Any],
    errors: dict[str, str],
    status_code: int = 200,
) -> Template:
    """The form for a new case; for htmx only its `form` block (htmx swaps only 2xx answers)."""
    user = user_of(request)
    if errors and not request.htmx:
        status_code = 400
    is_team_lead = policy.may_assign_cases(user)
    workers = (
        await caseload.case_workers(user.organisation_id, active_only=True) if is_team_lead else []
    )
    context = {
        "values": values,
        "errors": errors,
        "candidate": None,
        "work_access": [(key.value, _(label)) for key, label in WORK_ACCESS_LABELS.items()],
        "programmes": [(str(row["id"]), row["name"]) for row in await programmes()],
        "workers": [(str(row["id"]), row["display_name"]) for row in workers],
        "is_team_lead": is_team_lead,
    }
    return HTMXBlockTemplate(
        template_name="candidates/identity_form.html",
        block_name="form" if _partial(request) else None,
        context=context,
        status_code=status_code,
    )


@get("/candidates/new", name="candidates:new", guards=[case_worker])
async def new_candidate(request: HTMXRequest) -> Template:
    values = {"work_access": "unknown", "case_manager": str(user_of(request).id)}
    return await _form(request, values=values, errors={})


async def _assignment(
    user: CurrentUser, data: dict[str, str], errors: dict[str, str]
) -> tuple[int | None, UUID]:
    """The programme and the case manager chosen on the form (a case manager gets the case)."""
    programme = None
    if data.get("programme"):
        active = {str(row["id"]): row["id"] for row in await programmes()}
        if data["programme"] not in active:
            errors.setdefault("programme", _("Please choose one of the options."))
        else:
            programme = active[data["programme"]]
    manager = user.id
    if policy.may_assign_cases(user) and data.get("case_manager", str(user.id)) != str(user.id):
        found = await assignment.find_case_worker(user.organisation_id, data["case_manager"])
        if found is None:
            errors.setdefault("case_manager", _("Please choose one of the options."))
        else:
            manager = found["id"]
    return programme, manager


@post("/candidates", name="candidates:create", guards=[case_worker], status_code=200)
async def create_candidate(request: HTMXRequest) -> Template | Redirect | ClientRedirect:
    user = user_of(request)
    data = await form_data(request)
    errors, identity = check_identity(data)
    programme, manager = await _assignment(user, data, errors)
    if identity is None or errors:
        return await _form(request, values=data, errors=errors)
    settings = settings_of(request)
    candidate_id, dup_hash = await caseload.create_candidate(
        user,
        identity,
        programme=programme,
        case_manager=manager,
        vault=vault_of(request),
        hash_key=settings.duplicate_hash_key,
        address=client_address(request),
    )
    flash(request, _("The case has been created as a draft."))
    found = await duplicates.duplicates(candidate_id, user.organisation_id, dup_hash)
    for message in duplicates.duplicate_messages(found):
        flash(request, message, "warning")
    return _to(
        request, request.app.route_reverse("candidates:detail", candidate_id=str(candidate_id))
    )


# -- the overview -----------------------------------------------------------------------------


class Overview(Labels):
    """What templates/candidates/detail.html shows."""

    candidate: CandidateRow
    facts: dict[str, Any]  # caseload.overview: names and counts
    consent: dict[str, Any] | None  # the consent in force; None for an operator
    duplicates: list[dict[str, Any]]  # duplicates.duplicates_of
    actions: list[str]  # the CandidateAction values the status allows
    activation_missing: list[str]  # status.activation_missing: what activating still needs
    operator: bool
    is_team_lead: bool
    workers: list[tuple[str, str]]  # (id, name) of the case workers to assign to
    problem: str | None


async def _detail(user: CurrentUser, row: CandidateRow, *, problem: str | None = None) -> Template:
    """The case's overview; with a problem (a refused action) as 409: nothing was changed."""
    operator = user.is_operator
    is_team_lead = policy.may_assign_cases(user)
    workers = (
        await caseload.case_workers(user.organisation_id, active_only=True) if is_team_lead else []
    )
    facts = await caseload.overview(row["id"])
    consent = None if operator else await active_consent(row["id"])
    actions = [] if operator else [action.value for action in statuses.allowed_actions(row)]
    missing: list[str] = []
    if "activate" in actions:
        # Not offered until it can work: the page says what is missing instead (with links).
        missing = statuses.activation_missing(consent, desired=bool(facts["desired"]))
        if missing:
            actions.remove("activate")
    context: Overview = {
        "candidate": row,
        "facts": facts,
        "consent": consent,
        "duplicates": []
        if operator
        else await duplicates.duplicates_of(row["id"], user.organisation_id),
        "actions": actions,
        "activation_missing": missing,
        "operator": operator,
        "is_team_lead": is_team_lead,
        "workers": [(str(w["id"]), w["display_name"]) for w in workers],
        "problem": problem,
        **_labels(),
    }
    return page("candidates/detail.html", status_code=409 if problem else 200, **context)


@get("/candidates/{candidate_id:str}", name="candidates:detail", guards=[case_worker_or_operator])
async def candidate_detail(request: AnyRequest, candidate_id: FromPath[str]) -> Template:
    user = user_of(request)
    return await _detail(user, await load_candidate(user, candidate_id, operator=True))


@post("/candidates/{candidate_id:str}/status", name="candidates:status", guards=[case_worker])
async def change_status(request: AnyRequest, candidate_id: FromPath[str]) -> Template | Redirect:
    user = user_of(request)
    row = await load_candidate(user, candidate_id)
    data = await form_data(request)
    if data.get("action") not in CandidateAction.__members__:
        return await _detail(user, row, problem=_("Please choose one of the options."))
    action = CandidateAction(data["action"])
    try:
        await statuses.change_status(user, row, action, address=client_address(request))
    except Refused as refused:
        return await _detail(user, row, problem=refused.message)
    flash(request, _(statuses.DONE[action]))
    return see_other(request.app.route_reverse("candidates:detail", candidate_id=str(row["id"])))


@post("/candidates/{candidate_id:str}/assign", name="candidates:assign", guards=[case_worker])
async def assign(request: AnyRequest, candidate_id: FromPath[str]) -> Template | Redirect:
    user = user_of(request)
    # Another organisation's case is not found (404) before the role is checked (403).
    row = await load_candidate(user, candidate_id)
    if not policy.may_assign_cases(user):
        raise PermissionDeniedException()
    data = await form_data(request)
    try:
        target = await assignment.assign(
            user, row, data.get("case_manager", ""), address=client_address(request)
        )
    except Refused as refused:
        return await _detail(user, row, problem=refused.message)
    flash(request, _("The case is now with %(name)s.", name=target["display_name"]))
    return see_other(request.app.route_reverse("candidates:detail", candidate_id=str(row["id"])))


router = Router(
    path="",
    route_handlers=[
        caseload_list,
        new_candidate,
        create_candidate,
        candidate_detail,
        change_status,
        assign,
        reassign,
        sharing,
    ],
)
