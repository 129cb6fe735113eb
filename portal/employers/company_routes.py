"""The company profile: the employer admin edits it, the employer's members read it."""

from __future__ import annotations

from typing import Any

from litestar import Router, get, post
from litestar.response import Redirect, Template

from portal.accounts.labels import CHAMBER_LABELS, SIZE_CLASS_LABELS
from portal.auth import CurrentUser, employer_admin, employer_user, policy
from portal.employers import services
from portal.forms import form_data
from portal.i18n import _
from portal.templating import page
from portal.web import AnyRequest, client_address, flash, see_other, user_of


async def _profile_page(
    user: CurrentUser,
    *,
    values: dict[str, str] | None = None,
    errors: dict[str, str] | None = None,
    status_code: int = 200,
) -> Template:
    profile = await services.company_profile(user.organisation_id)
    context: dict[str, Any] = {
        "profile": profile,
        "values": values if values is not None else services.profile_values(profile),
        "errors": errors or {},
        "can_edit": policy.may_edit_own_organisation(user),
        "municipalities": await services.active_municipalities(),
        "size_classes": [(size.value, _(label)) for size, label in SIZE_CLASS_LABELS.items()],
        "chambers": [(chamber.value, _(label)) for chamber, label in CHAMBER_LABELS.items()],
        "description_limit": services.DESCRIPTION_MAX_LENGTH,
    }
    return page("employers/company.html", status_code=status_code, **context)


@get("/company", name="company:profile", guards=[employer_user])
async def profile(request: AnyRequest) -> Template:
    return await _profile_page(user_of(request))


@post("/company", name="company:save", guards=[employer_admin])
async def save(request: AnyRequest) -> Template | Redirect:
    user = user_of(request)
    data = await form_data(request)
    municipalities = await services.active_municipalities()
    errors = services.profile_errors(data, {value for value, _name in municipalities})
    if errors:
        return await _profile_page(user, values=data, errors=errors, status_code=400)
    await services.save_profile(user, data, address=client_address(request))
    flash(request, _("The company profile has been saved."))
    return see_other(request.app.route_reverse("company:profile"))


router = Router(path="/", route_handlers=[profile, save])
