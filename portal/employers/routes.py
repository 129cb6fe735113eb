"""Employer self-registration: a company and its first user register themselves."""

from __future__ import annotations

from litestar import Router, get, post
from litestar.exceptions import TooManyRequestsException
from litestar.params import FromPath
from litestar.response import Template

from portal.accounts.labels import CHAMBER_LABELS, SIZE_CLASS_LABELS
from portal.accounts.services import peek_token
from portal.accounts.tables import TokenKind
from portal.auth import PUBLIC
from portal.employers import services
from portal.forms import form_data, normalise_email
from portal.i18n import _, current_language
from portal.templating import page
from portal.web import AnyRequest, absolute_url, client_address


def _form(values: dict[str, str], errors: dict[str, str], status_code: int = 200) -> Template:
    return page(
        "employers/register.html",
        values=values,
        errors=errors,
        size_classes=[(size.value, _(label)) for size, label in SIZE_CLASS_LABELS.items()],
        chambers=[(chamber.value, _(label)) for chamber, label in CHAMBER_LABELS.items()],
        status_code=status_code,
    )


@get("/register", name="employers:register", opt=PUBLIC)
async def register_form(request: AnyRequest) -> Template:
    return _form(values={}, errors={})


@post("/register", name="employers:register_submit", opt=PUBLIC)
async def register(request: AnyRequest) -> Template:
    data = await form_data(request)
    errors = services.registration_errors(data)
    if errors:
        values = {k: v for k, v in data.items() if k not in ("password", "password_again")}
        return _form(values=values, errors=errors, status_code=400)
    email = normalise_email(data["email"])
    if await request.app.state.throttle.mail_allowed(email, client_address(request)):
        raise TooManyRequestsException()
    result = await services.register_employer(
        data, language=current_language(), address=client_address(request)
    )
    await _send_registration_mail(request, result, data)
    # The same answer whether or not the address had an account: no user enumeration.
    return page("employers/check_mailbox.html")


async def _send_registration_mail(
    request: AnyRequest, result: services.Registration, data: dict[str, str]
) -> None:
    """The confirmation link for a new account; for a known address, a note on the attempt."""
    confirm_link = (
        absolute_url(request, "employers:confirm", token=result.confirm_token)
        if result.confirm_token
        else ""
    )
    if result.created:
        template = "mail/confirm_registration.txt"
        context = {"link": confirm_link, "company": data["company_name"]}
    else:
        template = "mail/registration_attempt.txt"
        context = {"link": absolute_url(request, "password:forgot"), "confirm_link": confirm_link}
    await request.app.state.mailer.send(
        normalise_email(data["email"]), template, language=result.language, **context
    )


@get("/register/confirm/{token:str}", name="employers:confirm", opt=PUBLIC)
async def confirm_form(request: AnyRequest, token: FromPath[str]) -> Template:
    """Ask for a click: mail scanners open links, and must not use the confirmation up."""
    valid = await peek_token(token, TokenKind.confirm_email) is not None
    return page(
        "employers/confirmed.html",
        state="ask" if valid else "invalid",
        token=token,
        status_code=200 if valid else 404,
    )


@post("/register/confirm/{token:str}", name="employers:confirm_submit", opt=PUBLIC)
async def confirm(request: AnyRequest, token: FromPath[str]) -> Template:
    confirmed = await services.confirm_email(token, address=client_address(request))
    return page(
        "employers/confirmed.html",
        state="confirmed" if confirmed else "invalid",
        token=token,
        status_code=200 if confirmed else 404,
    )


router = Router(path="/", route_handlers=[register_form, register, confirm_form, confirm])
