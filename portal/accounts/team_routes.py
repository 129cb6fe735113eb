"""An organisation admin's team: colleagues, invitations, deactivation."""

from __future__ import annotations

from typing import Annotated, Any

from jinja2_fragments.litestar import HTMXBlockTemplate
from litestar import Router, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, QueryParameter
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Redirect, Template

from portal.accounts import services
from portal.accounts.labels import ROLE_LABELS
from portal.accounts.mails import send_invitation
from portal.accounts.tables import Role
from portal.auth import CurrentUser, parse_id, policy, team_admin
from portal.forms import form_data, normalise_email
from portal.i18n import _
from portal.pagination import PER_PAGE, Page, clamp, offset, page_number
from portal.templating import page
from portal.web import (
    AnyRequest,
    client_address,
    flash,
    see_other,
    user_of,
)

# Operators manage users in their console; the team pages are for the admins of a tenant.


def _role_options(user: CurrentUser) -> list[tuple[str, str]]:
    return [
        (role.value, _(ROLE_LABELS[role]))
        for role in policy.assignable_roles(user, user.organisation_kind)
    ]


async def _team_context(user: CurrentUser, raw_page: str = "1") -> dict[str, Any]:
    # Count first, so that an out-of-range page number can be clamped before the page query.
    total = await services.count_colleagues(user.organisation_id)
    number = clamp(page_number(raw_page), total)
    rows = await services.colleagues(user.organisation_id, offset=offset(number), limit=PER_PAGE)
    current = Page(rows=rows, number=number, total=total)
    return {
        "colleagues": rows,
        "page": current,
        "role_labels": {role.value: _(label) for role, label in ROLE_LABELS.items()},
        "role_options": _role_options(user),
    }


def _team_page(
    request: HTMXRequest, context: dict[str, Any], *, status_code: int = 200
) -> Template:
    """The full team page, or for htmx only its `team` block (the list and the invite form)."""
    return HTMXBlockTemplate(
        template_name="accounts/team.html",
        block_name="team" if request.htmx else None,
        context=context,
        status_code=status_code,
    )


@get("/team", name="team:list", guards=[team_admin])
async def team_list(
    request: HTMXRequest, raw_page: Annotated[str, QueryParameter(name="page")] = "1"
) -> Template:
    context = await _team_context(user_of(request), raw_page)
    return _team_page(request, {**context, "values": {}, "errors": {}, "invited": None})


@post("/team", name="team:invite", guards=[team_admin], status_code=200)
async def invite(request: HTMXRequest) -> Template | Redirect:
    user = user_of(request)
    data = await form_data(request)
    errors = await services.invitation_errors(
        data, policy.assignable_roles(user, user.organisation_kind)
    )
    email = normalise_email(data.get("email", ""))
    if errors:
        context = await _team_context(user)
        # htmx swaps only 2xx answers; without JavaScript the form comes back with a 400.
        return _team_page(
            request,
            {**context, "values": data, "errors": errors, "invited": None},
            status_code=200 if request.htmx else 400,
        )
    user_id, raw = await services.invite_user(
        user,
        organisation_id=user.organisation_id,
        organisation_kind=user.organisation_kind,
        email=email,
        display_name=data["display_name"],
        role=Role(data["role"]),
        address=client_address(request),
    )
    sent = await send_invitation(
        request, user, email=email, organisation=user.organisation_name, token=raw
    )
    message = (
        _("We have sent an invitation to %(email)s.", email=email)
        if sent
        else _(
            "The account for %(email)s has been created, but the invitation could not be sent. "
            "Please try again from the colleague's page.",
            email=email,
        )
    )
    if not request.htmx:
        flash(request, message, "success" if sent else "warning")
        return see_other(request.app.route_reverse("team:list"))
    context = await _team_context(user)
    invited = {"id": user_id, "message": message, "sent": sent}
    return _team_page(request, {**context, "values": {}, "errors": {}, "invited": invited})


async def _colleague_or_404(user: CurrentUser, user_id: str) -> dict[str, Any]:
    row = await services.colleague(user, parse_id(user_id))
    if row is None:
        raise NotFoundException()
    return row


def _detail_page(user: CurrentUser, row: dict[str, Any], *, problem: str | None = None) -> Template:
    return page(
        "accounts/team_member.html",
        colleague=row,
        is_self=row["id"] == user.id,
        role_label=_(ROLE_LABELS[Role(row["role"])]),
        problem=problem,
        status_code=400 if problem else 200,
    )


@get("/team/{user_id:str}", name="team:detail", guards=[team_admin])
async def colleague_detail(request: AnyRequest, user_id: FromPath[str]) -> Template:
    user = user_of(request)
    return _detail_page(user, await _colleague_or_404(user, user_id))


@post("/team/{user_id:str}/active", name="team:set_active", guards=[team_admin])
async def set_active(request: AnyRequest, user_id: FromPath[str]) -> Template | Redirect:
    user = user_of(request)
    row = await _colleague_or_404(user, user_id)
    active = (await form_data(request)).get("active") == "yes"
    try:
        await services.set_user_active(user, row["id"], active, address=client_address(request))
    except ValueError:
        problem = _("You cannot deactivate your own account. Ask another administrator.")
        return _detail_page(user, row, problem=problem)
    name = row["display_name"]
    if active:
        flash(request, _("%(name)s can log in again.", name=name))
    else:
        flash(request, _("%(name)s has been deactivated and logged out.", name=name))
    return see_other(request.app.route_reverse("team:detail", user_id=str(row["id"])))


@post("/team/{user_id:str}/invitation", name="team:reinvite", guards=[team_admin])
async def reinvite(request: AnyRequest, user_id: FromPath[str]) -> Template | Redirect:
    user = user_of(request)
    row = await _colleague_or_404(user, user_id)
    try:
        raw = await services.renew_invitation(user, row["id"], address=client_address(request))
    except ValueError:
        problem = _("There is no open invitation for this account.")
        return _detail_page(user, row, problem=problem)
    if raw is None:
        raise NotFoundException()
    if await send_invitation(
        request, user, email=row["email"], organisation=user.organisation_name, token=raw
    ):
        flash(request, _("We have sent a new invitation to %(email)s.", email=row["email"]))
    else:
        flash(request, _("The invitation could not be sent. Please try again later."), "warning")
    return see_other(request.app.route_reverse("team:detail", user_id=str(row["id"])))


router = Router(
    path="/", route_handlers=[team_list, invite, colleague_detail, set_active, reinvite]
)
