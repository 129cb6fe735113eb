"""The organisation admin's settings page for API tokens: create (shown once), list, revoke."""

from __future__ import annotations

from litestar import Router, get, post
from litestar.exceptions import NotFoundException
from litestar.params import FromPath
from litestar.response import Redirect, Template

from portal.api import tokens
from portal.api.tables import TokenScope
from portal.auth import CurrentUser, parse_id, roles
from portal.clock import today
from portal.forms import form_data
from portal.i18n import N_, _
from portal.templating import page
from portal.web import AnyRequest, client_address, flash, see_other, user_of

# The organisations' admins, and the statistics viewers of chambers and authorities (which
# have no admin) for their read-only tokens.
token_admin = roles(*tokens.TOKEN_ADMINS)
SCOPE_LABELS = {
    TokenScope.read: N_("Read only"),
    TokenScope.read_write: N_("Read and write"),
}


async def _page(
    user: CurrentUser,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    secret: str | None = None,
    status_code: int = 200,
) -> Template:
    rows = await tokens.tokens_of(user)
    for row in rows:
        row["active"] = tokens.is_active(row)
    return page(
        "api/tokens.html",
        tokens=rows,
        values=values or {"scope": TokenScope.read.value},
        errors=errors or {},
        secret=secret,
        scope_labels={scope.value: _(label) for scope, label in SCOPE_LABELS.items()},
        scope_options=[(scope.value, _(SCOPE_LABELS[scope])) for scope in tokens.scopes_for(user)],
        status_code=status_code,
    )


@get("/settings/api-tokens", name="api_tokens:list", guards=[token_admin])
async def token_list(request: AnyRequest) -> Template:
    return await _page(user_of(request))


@post("/settings/api-tokens", name="api_tokens:create", guards=[token_admin], status_code=200)
async def create(request: AnyRequest) -> Template:
    user = user_of(request)
    data = await form_data(request)
    errors, fields = tokens.check_token_form(data, today(), tokens.scopes_for(user))
    if fields is None:
        return await _page(user, values=data, errors=errors, status_code=400)
    secret = await tokens.create_token(user, fields, address=client_address(request))
    # The secret is shown on this answer only (no redirect: it is not kept anywhere).
    response = await _page(user, secret=secret)
    response.headers["Cache-Control"] = "no-store"
    return response


@post("/settings/api-tokens/{token_id:str}/revoke", name="api_tokens:revoke", guards=[token_admin])
async def revoke(request: AnyRequest, token_id: FromPath[str]) -> Redirect:
    user = user_of(request)
    if not await tokens.revoke_token(user, parse_id(token_id), address=client_address(request)):
        raise NotFoundException()
    flash(request, _("The token has been revoked. Requests with it are refused from now on."))
    return see_other(request.app.route_reverse("api_tokens:list"))


router = Router(path="/", route_handlers=[token_list, create, revoke])
