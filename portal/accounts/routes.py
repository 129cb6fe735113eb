"""Log-in and out, password reset and change, invitation acceptance, language."""

from __future__ import annotations

from typing import Any

from litestar import Router, get, post
from litestar.exceptions import TooManyRequestsException
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Response, Template

from portal.accounts import services
from portal.accounts.passwords import password_problems, verify_password
from portal.accounts.services import LoginOutcome
from portal.accounts.tables import Language, TokenKind, User
from portal.audit.services import record
from portal.auth import PUBLIC, login_required
from portal.forms import Errors, check_email, form_data, normalise_email
from portal.i18n import LANGUAGES, _, ngettext
from portal.templating import page
from portal.web import (
    AnyRequest,
    absolute_url,
    client_address,
    end_session,
    flash,
    remember_language,
    safe_next,
    see_other,
    start_session,
    user_of,
)


@get("/login", name="login", opt=PUBLIC)
async def login_form(request: AnyRequest, next: FromQuery[str] = "") -> Template | Redirect:
    if request.scope.get("user"):
        return see_other(safe_next(next))
    return page(
        "accounts/login.html", values={"next": safe_next(next, "")}, errors={}, problem=None
    )


@post("/login", name="login_submit", opt=PUBLIC)
async def login(request: AnyRequest) -> Template | Redirect:
    data = await form_data(request)
    email = normalise_email(data.get("email", ""))
    errors = Errors(data)
    errors.require(data, "email", "password")
    values = {"email": data.get("email", ""), "next": safe_next(data.get("next"), "")}
    if errors:
        return page(
            "accounts/login.html", values=values, errors=errors, problem=None, status_code=400
        )
    result = await services.authenticate(
        email,
        data["password"],
        address=client_address(request),
        throttle=request.app.state.throttle,
    )
    if result.outcome is LoginOutcome.ok:
        assert result.user is not None  # noqa: S101
        start_session(request, result.user["id"], result.user["password_hash"])
        response = see_other(safe_next(data.get("next")))
        remember_language(request, response, result.user["language"])
        return response
    if result.outcome is LoginOutcome.throttled:
        minutes = max(1, (result.wait_seconds + 59) // 60)
        message = ngettext(
            "Too many failed attempts. Please wait %(num)s minute and try again.",
            "Too many failed attempts. Please wait %(num)s minutes and try again.",
            minutes,
        )
        return page(
            "accounts/login.html", values=values, errors={}, problem=message, status_code=429
        )
    message = {
        LoginOutcome.invalid: _("E-mail address or password is not correct."),
        LoginOutcome.unconfirmed: _(
            "Please confirm your e-mail address first: follow the link in the e-mail we sent you."
        ),
        LoginOutcome.organisation_blocked: _(
            "Your organisation's access is not active. Please contact the coordination office."
        ),
    }[result.outcome]
    return page("accounts/login.html", values=values, errors={}, problem=message, status_code=400)


@post("/logout", name="logout", opt=PUBLIC)
async def logout(request: AnyRequest) -> Redirect:
    end_session(request)
    return see_other(request.app.route_reverse("login") + "?logged_out=1")


@post("/language", name="language", opt=PUBLIC)
async def switch_language(request: AnyRequest) -> Response[Any]:
    """Store the choice on the user, or in a cookie before login."""
    data = await form_data(request)
    language = data.get("language", "")
    target = safe_next(data.get("next"))
    response: Response[Any] = see_other(target)
    if language not in LANGUAGES:
        return response
    user = request.scope.get("user")
    if user is not None:
        await User.update({User.language: Language(language)}).where(User.id == user.id)
    remember_language(request, response, language)
    return response


@get("/account", name="account:settings", guards=[login_required])
async def account_settings(request: AnyRequest) -> Template:
    return page("accounts/settings.html", values={}, errors={})


@post("/account/password", name="account:password", guards=[login_required])
async def change_password(request: AnyRequest) -> Template | Redirect:
    user = user_of(request)
    data = await form_data(request)
    errors = Errors(data)
    errors.require(data, "current_password", "new_password")
    row = await User.select(User.password_hash).where(User.id == user.id).first()
    current_hash = row["password_hash"] if row else ""
    if not errors and not await verify_password(current_hash, data["current_password"]):
        errors["current_password"] = _("The current password is not correct.")
    if not errors:
        problems = password_problems(data["new_password"], user.email)
        if problems:
            errors["new_password"] = " ".join(problems)
        elif data["new_password"] != data.get("new_password_again"):
            errors["new_password_again"] = _("The two passwords do not match.")
    if errors:
        return page("accounts/settings.html", values={}, errors=errors, status_code=400)
    new_hash = await services.set_password(user.id, data["new_password"])
    await record(
        "user.password_changed",
        record_type="user",
        record_id=user.id,
        actor_id=user.id,
        actor_organisation_id=user.organisation_id,
        address=client_address(request),
    )
    # Other sessions end (their fingerprint no longer matches); this one goes on with a new id.
    start_session(request, user.id, new_hash)
    flash(request, _("Your password has been changed."))
    return see_other(request.app.route_reverse("account:settings"))


@get("/password/forgot", name="password:forgot", opt=PUBLIC)
async def forgot_form(request: AnyRequest) -> Template:
    return page("accounts/forgot.html", values={}, errors={}, sent=False)


@post("/password/forgot", name="password:forgot_submit", opt=PUBLIC)
async def forgot(request: AnyRequest) -> Template:
    data = await form_data(request)
    errors = Errors(data)
    check_email(errors, data)
    if errors:
        return page("accounts/forgot.html", values=data, errors=errors, sent=False, status_code=400)
    email = normalise_email(data["email"])
    if await request.app.state.throttle.mail_allowed(email, client_address(request)):
        raise TooManyRequestsException()
    user = (
        await User.select(User.id, User.language, User.is_active, User.password_hash)
        .where(User.email == email)
        .first()
    )
    # The same answer whether or not the address exists: no user enumeration.
    if user and user["is_active"] and user["password_hash"]:
        raw = await services.issue_token(user["id"], TokenKind.password_reset)
        await request.app.state.mailer.send(
            email,
            "mail/password_reset.txt",
            language=user["language"],
            link=absolute_url(request, "password:reset", token=raw),
        )
    return page("accounts/forgot.html", values={}, errors={}, sent=True)


@get("/password/reset/{token:str}", name="password:reset", opt=PUBLIC)
async def reset_form(request: AnyRequest, token: FromPath[str]) -> Template:
    valid = await services.peek_token(token, TokenKind.password_reset) is not None
    return page(
        "accounts/reset.html",
        values={},
        errors={},
        valid=valid,
        token=token,
        status_code=200 if valid else 404,
    )


@post("/password/reset/{token:str}", name="password:reset_submit", opt=PUBLIC)
async def reset(request: AnyRequest, token: FromPath[str]) -> Template | Redirect:
    user_id = await services.peek_token(token, TokenKind.password_reset)
    user = await User.select(User.email).where(User.id == user_id).first() if user_id else None
    if user_id is None or user is None:
        return page(
            "accounts/reset.html", values={}, errors={}, valid=False, token=token, status_code=404
        )
    data = await form_data(request)
    errors = _new_password_errors(data, user["email"])
    if errors:
        return page(
            "accounts/reset.html",
            values={},
            errors=errors,
            valid=True,
            token=token,
            status_code=400,
        )
    if await services.consume_token(token, TokenKind.password_reset) is None:
        return page(
            "accounts/reset.html", values={}, errors={}, valid=False, token=token, status_code=404
        )
    await services.set_password(user_id, data["password"])
    await request.app.state.throttle.clear_account(user["email"])
    await record(
        "user.password_reset",
        record_type="user",
        record_id=user_id,
        actor_id=user_id,
        address=client_address(request),
    )
    return see_other(request.app.route_reverse("login") + "?reset=1")


@get("/invite/{token:str}", name="invite:accept", opt=PUBLIC)
async def invite_form(request: AnyRequest, token: FromPath[str]) -> Template:
    user = await _invited_user(token)
    return page(
        "accounts/invite.html",
        values={"display_name": user["display_name"] if user else ""},
        errors={},
        invited=user,
        token=token,
        status_code=200 if user else 404,
    )


@post("/invite/{token:str}", name="invite:accept_submit", opt=PUBLIC)
async def accept_invite(request: AnyRequest, token: FromPath[str]) -> Template | Redirect:
    user = await _invited_user(token)
    if user is None:
        return page(
            "accounts/invite.html", values={}, errors={}, invited=None, token=token, status_code=404
        )
    data = await form_data(request)
    errors = _new_password_errors(data, user["email"])
    errors.require(data, "display_name")
    errors.max_length(data, "display_name", 120)
    if errors:
        return page(
            "accounts/invite.html",
            values=data,
            errors=errors,
            invited=user,
            token=token,
            status_code=400,
        )
    if await services.consume_token(token, TokenKind.invite) is None:
        return page(
            "accounts/invite.html", values={}, errors={}, invited=None, token=token, status_code=404
        )
    await User.update({User.display_name: data["display_name"]}).where(User.id == user["id"])
    new_hash = await services.set_password(user["id"], data["password"], confirm_email=True)
    await record(
        "user.invite_accepted",
        record_type="user",
        record_id=user["id"],
        actor_id=user["id"],
        address=client_address(request),
    )
    start_session(request, user["id"], new_hash)
    flash(request, _("Welcome! Your account is ready."))
    return see_other(request.app.route_reverse("home"))


async def _invited_user(token: str) -> dict[str, Any] | None:
    user_id = await services.peek_token(token, TokenKind.invite)
    if user_id is None:
        return None
    return await (
        User.select(User.id, User.email, User.display_name, User.organisation.name)
        .where((User.id == user_id) & (User.is_active == True))  # noqa: E712
        .first()
    )


def _new_password_errors(data: dict[str, str], email: str) -> Errors:
    errors = Errors(data)
    errors.require(data, "password")
    if not errors:
        problems = password_problems(data["password"], email)
        if problems:
            errors["password"] = " ".join(problems)
        elif data["password"] != data.get("password_again"):
            errors["password_again"] = _("The two passwords do not match.")
    return errors


router = Router(
    path="/",
    route_handlers=[
        login_form,
        login,
        logout,
        switch_language,
        account_settings,
        change_password,
        forgot_form,
        forgot,
        reset_form,
        reset,
        invite_form,
        accept_invite,
    ],
)
