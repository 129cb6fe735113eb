"""The organisation admin's webhook settings: endpoints (secret shown once), the delivery log
with "send again", pause and resume, removal."""

from __future__ import annotations

from typing import Any

from litestar import Router, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template

from portal.auth import CurrentUser, org_admin, parse_id
from portal.forms import form_data
from portal.i18n import _
from portal.templating import page
from portal.web import AnyRequest, client_address, flash, see_other, settings_of, user_of
from portal.webhooks import endpoints
from portal.webhooks.delivery import FAILING_LIMIT
from portal.webhooks.tables import HookEvent


def _event_options() -> list[tuple[str, str, str]]:
    return [
        (endpoints.field_name(event), event.value, _(label))
        for event, label in endpoints.EVENT_LABELS.items()
    ]


async def _page(
    user: CurrentUser,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    secret: str | None = None,
    status_code: int = 200,
) -> Template:
    return page(
        "webhooks/endpoints.html",
        endpoints=await endpoints.endpoints_of(user),
        values=values or {endpoints.field_name(event): "yes" for event in HookEvent},
        errors=errors or {},
        secret=secret,
        event_options=_event_options(),
        event_labels={event.value: _(label) for event, label in endpoints.EVENT_LABELS.items()},
        failing_days=FAILING_LIMIT.days,
        status_code=status_code,
    )


@get("/settings/webhooks", name="webhooks:list", guards=[org_admin])
async def endpoint_list(request: AnyRequest) -> Template:
    return await _page(user_of(request))


@post("/settings/webhooks", name="webhooks:create", guards=[org_admin], status_code=200)
async def create(request: AnyRequest) -> Template:
    user = user_of(request)
    data = await form_data(request)
    allow = settings_of(request).webhook_allow_local_http
    errors, fields = endpoints.check_endpoint_form(data, allow_local_http=allow)
    if fields is None:
        return await _page(user, values=data, errors=errors, status_code=400)
    secret = await endpoints.create_endpoint(user, fields, address=client_address(request))
    # The secret is shown on this answer only (no redirect: it is not shown again).
    response = await _page(user, secret=secret)
    response.headers["Cache-Control"] = "no-store"
    return response


async def _endpoint(request: AnyRequest, endpoint_id: str) -> dict[str, Any]:
    found = await endpoints.endpoint_of(user_of(request), parse_id(endpoint_id))
    if found is None:
        raise NotFoundException()
    return found


@get("/settings/webhooks/{endpoint_id:str}", name="webhooks:detail", guards=[org_admin])
async def detail(request: AnyRequest, endpoint_id: FromPath[str]) -> Template:
    endpoint = await _endpoint(request, endpoint_id)
    return page(
        "webhooks/deliveries.html",
        endpoint=endpoint,
        deliveries=await endpoints.deliveries_of(endpoint["id"]),
        event_labels={event.value: _(label) for event, label in endpoints.EVENT_LABELS.items()},
    )


@post(
    "/settings/webhooks/{endpoint_id:str}/deliveries/{delivery_id:str}/again",
    name="webhooks:send_again",
    guards=[org_admin],
)
async def send_again(
    request: AnyRequest, endpoint_id: FromPath[str], delivery_id: FromPath[str]
) -> Redirect:
    endpoint = await _endpoint(request, endpoint_id)
    if not await endpoints.send_again(user_of(request), endpoint["id"], parse_id(delivery_id)):
        raise NotFoundException()
    flash(request, _("The event will be sent again within the next minute."))
    return see_other(request.app.route_reverse("webhooks:detail", endpoint_id=endpoint_id))


async def _pause(request: AnyRequest, endpoint_id: str, paused: bool) -> Redirect:
    user = user_of(request)
    if not await endpoints.set_paused(
        user, parse_id(endpoint_id), paused, address=client_address(request)
    ):
        raise NotFoundException()
    if paused:
        flash(request, _("The endpoint is paused: no events are sent to it."))
    else:
        flash(request, _("The endpoint is active again; the waiting events are sent now."))
    return see_other(request.app.route_reverse("webhooks:detail", endpoint_id=endpoint_id))


@post("/settings/webhooks/{endpoint_id:str}/pause", name="webhooks:pause", guards=[org_admin])
async def pause(request: AnyRequest, endpoint_id: FromPath[str]) -> Redirect:
    return await _pause(request, endpoint_id, True)


@post("/settings/webhooks/{endpoint_id:str}/resume", name="webhooks:resume", guards=[org_admin])
async def resume(request: AnyRequest, endpoint_id: FromPath[str]) -> Redirect:
    return await _pause(request, endpoint_id, False)


@post("/settings/webhooks/{endpoint_id:str}/delete", name="webhooks:delete", guards=[org_admin])
async def delete(request: AnyRequest, endpoint_id: FromPath[str]) -> Redirect:
    user = user_of(request)
    if not await endpoints.delete_endpoint(
        user, parse_id(endpoint_id), address=client_address(request)
    ):
        raise NotFoundException()
    flash(request, _("The endpoint has been removed."))
    return see_other(request.app.route_reverse("webhooks:list"))


router = Router(
    path="/",
    route_handlers=[endpoint_list, create, detail, send_again, pause, resume, delete],
)
