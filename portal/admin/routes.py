"""The operator's console: organisations and their approval, users, site texts."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from jinja2_fragments.litestar import HTMXBlockTemplate
from litestar import Router, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath, FromQuery
from litestar.plugins.htmx import HTMXRequest
from litestar.response import Redirect, Template

from portal.accounts.labels import (
    CHAMBER_LABELS,
    ORG_KIND_LABELS,
    ORG_STATUS_LABELS,
    ROLE_LABELS,
    SIZE_CLASS_LABELS,
)
from portal.accounts.mails import send_invitation
from portal.accounts.services import invitation_errors, invite_user, set_user_active
from portal.accounts.tables import ROLES_BY_KIND, OrgKind, OrgStatus, Role
from portal.admin import organisations as orgs
from portal.admin import services
from portal.admin.board_routes import console_handlers as board_handlers
from portal.admin.card_routes import card_handlers
from portal.admin.organisations import Decision, Refused
from portal.auth import operator_admin, parse_id
from portal.candidates.labels import STATUS_BADGES as CANDIDATE_STATUS_BADGES
from portal.candidates.labels import STATUS_LABELS as CANDIDATE_STATUS_LABELS
from portal.forms import Errors, form_data, normalise_email
from portal.i18n import _
from portal.pages.tables import PageSlug
from portal.pagination import page_number
from portal.templating import page
from portal.web import (
    AnyRequest,
    absolute_url,
    client_address,
    flash,
    safe_next,
    see_other,
    user_of,
)


def _labels() -> dict[str, Any]:
    """The translated names of statuses, kinds and roles, for every console page."""
    return {
        "status_labels": {key.value: _(label) for key, label in ORG_STATUS_LABELS.items()},
        "kind_labels": {key.value: _(label) for key, label in ORG_KIND_LABELS.items()},
        "role_labels": {key.value: _(label) for key, label in ROLE_LABELS.items()},
    }


def _block(request: HTMXRequest, template: str, block: str, context: dict[str, Any]) -> Template:
    """The whole page, or for htmx (except a history restore) only the named block."""
    partial = bool(request.htmx) and not request.htmx.history_restore_request
    return HTMXBlockTemplate(
        template_name=template, block_name=block if partial else None, context=context
    )


def _list(request: HTMXRequest, template: str, context: dict[str, Any]) -> Template:
    """A filtered list: for htmx its results, and its count out of band into the live region
    that stays on the page (a replaced live region is not announced by screen readers)."""
    if request.htmx and not request.htmx.history_restore_request:
        return HTMXBlockTemplate(
            template_name=template,
            block_names=["results", "status"],
            context={**context, "oob": True},
        )
    return page(template, **context, oob=False)


def _here(request: AnyRequest) -> str:
    """The current path with its query, to come back to after a form on a filtered list."""
    query = request.url.query
    return request.url.path + (f"?{query}" if query else "")


# -- organisations ----------------------------------------------------------------------------


@get("/organisations", name="admin:organisations")
async def organisations(
    request: HTMXRequest,
    status: FromQuery[str] = "",
    kind: FromQuery[str] = "",
) -> Template:
    listing = await orgs.organisations(
        status=status, kind=kind, number=page_number(request.query_params.get("page", ""))
    )
    context = {"page": listing, "filters": listing.filters, "here": _here(request), **_labels()}
    return _list(request, "admin/organisations.html", context)


async def _organisation_context(
    organisation_id: UUID, *, values: dict[str, str] | None = None, errors: Errors | None = None
) -> dict[str, Any]:
    row = await orgs.organisation(organisation_id)
    if row is None:
        raise NotFoundException()
    kind = OrgKind(row["kind"])
    return {
        "organisation": row,
        "invite_roles": [(role.value, _(ROLE_LABELS[role])) for role in ROLES_BY_KIND[kind]],
        "values": values or {},
        "errors": errors or {},
        "users": await orgs.organisation_users(organisation_id),
        "decisions": orgs.allowed_decisions(row),
        "size_class_labels": {k.value: _(v) for k, v in SIZE_CLASS_LABELS.items()},
        "chamber_labels": {k.value: _(v) for k, v in CHAMBER_LABELS.items()},
        "message": None,
        **_labels(),
    }


@get("/organisations/{org_id:str}", name="admin:organisation")
async def organisation_detail(request: AnyRequest, org_id: FromPath[str]) -> Template:
    return page("admin/organisation.html", **await _organisation_context(parse_id(org_id)))


@post("/organisations/{org_id:str}/users", name="admin:organisation_invite")
async def invite_to_organisation(request: AnyRequest, org_id: FromPath[str]) -> Template | Redirect:
    """Operators add users to any active organisation (chambers and authorities have no admin)."""
    actor, organisation_id = user_of(request), parse_id(org_id)
    row = await orgs.organisation(organisation_id)
    if row is None:
        raise NotFoundException()
    kind = OrgKind(row["kind"])
    data = await form_data(request)
    errors = await invitation_errors(data, ROLES_BY_KIND[kind])
    if row["status"] != OrgStatus.active:
        errors["email"] = _("Users can only be invited to an active organisation.")
    if errors:
        context = await _organisation_context(organisation_id, values=data, errors=errors)
        return page("admin/organisation.html", status_code=400, **context)
    email = normalise_email(data["email"])
    _user_id, raw = await invite_user(
        actor,
        organisation_id=organisation_id,
        organisation_kind=kind,
        email=email,
        display_name=data["display_name"],
        role=Role(data["role"]),
        address=client_address(request),
    )
    sent = await send_invitation(request, actor, email=email, organisation=row["name"], token=raw)
    if sent:
        flash(request, _("We have sent an invitation to %(email)s.", email=email))
    else:
        flash(
            request,
            _(
                "The account for %(email)s has been created, but the invitation could not be sent.",
                email=email,
            ),
            "warning",
        )
    return see_other(request.app.route_reverse("admin:organisation", org_id=str(organisation_id)))


@post("/organisations/{org_id:str}/{decision:str}", name="admin:decide", status_code=200)
async def decide(
    request: HTMXRequest, org_id: FromPath[str], decision: FromPath[str]
) -> Template | Redirect:
    organisation_id = parse_id(org_id)
    if decision not in Decision.__members__:
        raise NotFoundException()
    data = await form_data(request)
    try:
        decided = await orgs.decide(
            user_of(request),
            organisation_id,
            Decision(decision),
            reason=data.get("reason", ""),
            address=client_address(request),
        )
    except LookupError:
        raise NotFoundException() from None
    except Refused as refused:
        message = (refused.message, "error")
    else:
        await _inform(request, Decision(decision), decided, reason=data.get("reason", ""))
        message = (_(orgs.DONE[Decision(decision)], name=decided.name), "success")
    detail_url = request.app.route_reverse("admin:organisation", org_id=str(organisation_id))
    if not request.htmx:
        flash(request, *message)
        return see_other(safe_next(data.get("next"), detail_url))
    context = await _organisation_context(organisation_id)
    context["message"] = message
    return _block(request, "admin/organisation.html", "status", context)


async def _inform(
    request: AnyRequest, decision: Decision, decided: orgs.Decided, *, reason: str
) -> None:
    """Write to the organisation's users about an approval or a rejection."""
    mails = {
        Decision.approve: ("mail/organisation_approved.txt", "login"),
        Decision.reject: ("mail/organisation_rejected.txt", "pages:imprint"),
    }
    if decision not in mails:
        return
    template, link = mails[decision]
    for recipient in decided.recipients:
        await request.app.state.mailer.send(
            recipient["email"],
            template,
            language=recipient["language"],
            organisation=decided.name,
            reason=reason,
            link=absolute_url(request, link),
        )


def _new_organisation_page(
    values: dict[str, str], errors: dict[str, str], status_code: int = 200
) -> Template:
    kinds = [(kind.value, _(ORG_KIND_LABELS[kind])) for kind in orgs.CREATABLE_KINDS]
    return page(
        "admin/organisation_new.html",
        values=values,
        errors=errors,
        kinds=kinds,
        status_code=status_code,
    )


@get("/organisations/new", name="admin:organisation_new")
async def new_organisation_form(request: AnyRequest) -> Template:
    return _new_organisation_page(values={}, errors={})


@post("/organisations/new", name="admin:organisation_create")
async def create_organisation(request: AnyRequest) -> Template | Redirect:
    actor = user_of(request)
    data = await form_data(request)
    errors = orgs.new_organisation_errors(data)
    if not errors:
        try:
            organisation_id, raw = await orgs.create_organisation(
                actor, data, address=client_address(request)
            )
        except orgs.EmailTaken:
            errors["email"] = _("This e-mail address already has an account.")
    if errors:
        return _new_organisation_page(values=data, errors=errors, status_code=400)
    email = normalise_email(data["email"])
    sent = await send_invitation(request, actor, email=email, organisation=data["name"], token=raw)
    if sent:
        flash(request, _("%(name)s has been created and %(email)s invited.", **_names(data)))
    else:
        flash(
            request,
            _(
                "%(name)s has been created, but the invitation to %(email)s could not be sent.",
                **_names(data),
            ),
            "warning",
        )
    return see_other(request.app.route_reverse("admin:organisation", org_id=str(organisation_id)))


def _names(data: dict[str, str]) -> dict[str, str]:
    return {"name": data["name"], "email": normalise_email(data["email"])}


# -- users ------------------------------------------------------------------------------------


@get("/users", name="admin:users")
async def users(
    request: HTMXRequest, kind: FromQuery[str] = "", q: FromQuery[str] = ""
) -> Template:
    listing = await services.users(
        kind=kind, search=q, number=page_number(request.query_params.get("page", ""))
    )
    context = {
        "page": listing,
        "filters": listing.filters,
        "here": _here(request),
        "me": user_of(request).id,
        **_labels(),
    }
    return _list(request, "admin/users.html", context)


@post("/users/{user_id:str}/{change:str}", name="admin:user_active")
async def user_active(
    request: AnyRequest, user_id: FromPath[str], change: FromPath[str]
) -> Redirect:
    target = parse_id(user_id)
    if change not in ("deactivate", "reactivate"):
        raise NotFoundException()
    data = await form_data(request)
    try:
        found = await set_user_active(
            user_of(request), target, change == "reactivate", address=client_address(request)
        )
    except ValueError:
        flash(request, _("You cannot deactivate your own account."), "error")
    else:
        if not found:
            raise NotFoundException()
        if change == "reactivate":
            flash(request, _("The user has been reactivated."))
        else:
            flash(request, _("The user has been deactivated and can no longer log in."))
    return see_other(safe_next(data.get("next"), request.app.route_reverse("admin:users")))


# -- candidates -------------------------------------------------------------------------------


@get("/candidates", name="admin:candidates")
async def candidates(
    request: HTMXRequest, organisation: FromQuery[str] = "", status: FromQuery[str] = ""
) -> Template:
    """Every organisation's cases, pseudonymised (the operator never sees an identity)."""
    listing = await services.candidates(
        organisation=organisation,
        status=status,
        number=page_number(request.query_params.get("page", "")),
    )
    context = {
        "page": listing,
        "filters": listing.filters,
        "candidate_status_labels": {k.value: _(v) for k, v in CANDIDATE_STATUS_LABELS.items()},
        "candidate_status_badges": {k.value: v for k, v in CANDIDATE_STATUS_BADGES.items()},
    }
    if not request.htmx or request.htmx.history_restore_request:
        context["organisations"] = await services.case_organisations()
    return _list(request, "admin/candidates.html", context)


# -- site texts -------------------------------------------------------------------------------


def _texts_page(values: dict[str, str], errors: dict[str, str], status_code: int = 200) -> Template:
    return page(
        "admin/texts.html",
        values=values,
        errors=errors,
        slugs=[
            (PageSlug.imprint, _("Imprint")),
            (PageSlug.privacy, _("Privacy notice")),
            (PageSlug.accessibility, _("Accessibility: feedback contact")),
        ],
        limit=services.SITE_TEXT_MAX_LENGTH,
        status_code=status_code,
    )


@get("/texts", name="admin:texts")
async def texts(request: AnyRequest) -> Template:
    return _texts_page(values=await services.site_texts(), errors={})


@post("/texts", name="admin:texts_save")
async def save_texts(request: AnyRequest) -> Template | Redirect:
    data = await form_data(request)
    errors = services.site_text_errors(data)
    if errors:
        return _texts_page(values=data, errors=errors, status_code=400)
    await services.save_site_texts(user_of(request), data, address=client_address(request))
    flash(request, _("The texts have been saved."))
    return see_other(request.app.route_reverse("admin:texts"))


router = Router(
    path="/admin",
    guards=[operator_admin],
    route_handlers=[
        organisations,
        new_organisation_form,
        create_organisation,
        organisation_detail,
        invite_to_organisation,
        decide,
        users,
        user_active,
        candidates,
        texts,
        save_texts,
        *board_handlers,
        *card_handlers,
    ],
)
