"""Helpers for handlers: the session, flash messages, the client's address, redirects."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from litestar import Request
from litestar.response import Redirect, Response

from portal.auth import CurrentUser, password_fingerprint
from portal.middleware import LANGUAGE_COOKIE
from portal.sessions import Session, SessionManager
from portal.settings import Settings
from portal.storage import Storage

AnyRequest = Request[Any, Any, Any]


def settings_of(request: AnyRequest) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


def storage_of(request: AnyRequest) -> Storage:
    return request.app.state["storage"]  # type: ignore[no-any-return]


def session_of(request: AnyRequest) -> Session:
    return request.scope["portal_session"]  # type: ignore[typeddict-item,no-any-return]


def user_of(request: AnyRequest) -> CurrentUser:
    """The logged-in user; only for handlers behind a guard."""
    user = request.scope.get("user")
    assert user is not None, "handler without a login guard"  # noqa: S101
    return user  # type: ignore[no-any-return]


def flash(request: AnyRequest, message: str, category: str = "success") -> None:
    session_of(request).flash(message, category)


def client_address(request: AnyRequest) -> str:
    return request.client.host if request.client else ""


def start_session(request: AnyRequest, user_id: Any, password_hash: str) -> None:
    sessions: SessionManager = request.app.state.sessions
    sessions.start(session_of(request), str(user_id), password_fingerprint(password_hash))


def end_session(request: AnyRequest) -> None:
    sessions: SessionManager = request.app.state.sessions
    sessions.end(session_of(request))


def safe_next(value: str | None, default: str = "/") -> str:
    """Only a local path: never let a login link send the user to another site."""
    if not value:
        return default
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or not value.startswith("/") or value.startswith("//"):
        return default
    if "\\" in value:
        return default
    return value


def see_other(url: str) -> Redirect:
    return Redirect(path=url, status_code=303)


def remember_language(request: AnyRequest, response: Response[Any], language: str) -> None:
    """Keep the language in a cookie too: pages outside a route (unknown paths) read it."""
    response.set_cookie(
        LANGUAGE_COOKIE,
        language,
        max_age=365 * 24 * 3600,
        httponly=True,
        samesite="lax",
        secure=settings_of(request).cookie_secure,
    )


def absolute_url(request: AnyRequest, name: str, **params: Any) -> str:
    """A link for an e-mail: the configured public address, never the request's Host header."""
    return settings_of(request).base_url.rstrip("/") + request.app.route_reverse(name, **params)
