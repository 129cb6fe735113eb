"""Per-request context: request id, session, current user, language, access log; the
request time-out."""

from __future__ import annotations

import logging
import re
import secrets
import time
from typing import Any

import anyio
from litestar.datastructures import Cookie, MutableScopeHeaders
from litestar.enums import ScopeType
from litestar.exceptions import ServiceUnavailableException
from litestar.middleware import ASGIMiddleware
from litestar.middleware.csrf import generate_csrf_token
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from litestar.utils.scope.state import ScopeState
from piccolo.engine.sqlite import SQLiteEngine

from portal import i18n
from portal.auth import load_user
from portal.logs import request_id_var
from portal.sessions import COOKIE_NAME, Session, SessionManager

log = logging.getLogger("portal.request")

LANGUAGE_COOKIE = "portal_lang"
# The JSON API (portal.api): machines with tokens, never a browser's session or CSRF cookie.
API_PREFIX = "/api/"
CSRF_COOKIE = "portal_csrf"
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")


def _cookies(scope: Scope) -> dict[str, str]:
    cookies: dict[str, str] = {}
    for name, value in scope.get("headers", []):
        if name == b"cookie":
            for part in value.decode("latin-1").split(";"):
                key, _sep, val = part.strip().partition("=")
                cookies.setdefault(key, val)
    return cookies


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return value.decode("latin-1")
    return None


async def load_context(scope: Scope, sessions: SessionManager) -> Session:
    """Load session, user and language into the scope once; safe to call again."""
    if "portal_session" in scope:
        return scope["portal_session"]  # type: ignore[typeddict-item,no-any-return]
    cookies = _cookies(scope)
    # The API never reads or makes a session: a token (portal.api.auth) says who is asking, so
    # a browser's cookie cannot act there (which is why the API needs no CSRF token).
    if scope["path"].startswith(API_PREFIX):
        session = Session()
    else:
        session = await sessions.load(cookies.get(COOKIE_NAME))
    user = None
    if session.user_id:
        user = await load_user(session.user_id, session.data.get("fp"))
        if user is None:
            sessions.end(session)
    scope["portal_session"] = session  # type: ignore[typeddict-unknown-key]
    scope["user"] = user
    _set_language(scope, cookies, user.language if user else None)
    return session


def _set_language(scope: Scope, cookies: dict[str, str], preferred: str | None) -> None:
    if preferred in i18n.LANGUAGES:
        language = preferred
    elif cookies.get(LANGUAGE_COOKIE) in i18n.LANGUAGES:
        language = cookies[LANGUAGE_COOKIE]
    else:
        language = i18n.negotiate(_header(scope, b"accept-language"))
    scope["language"] = language  # type: ignore[typeddict-unknown-key]
    i18n.set_language(language)


def fallback_context(scope: Scope) -> None:
    """For responses made outside a route (unknown paths): anonymous, language from the request."""
    if "portal_session" in scope:
        return
    assign_request_id(scope)
    scope["portal_session"] = Session()  # type: ignore[typeddict-unknown-key]
    scope["user"] = None
    _set_language(scope, _cookies(scope), None)


async def error_context(scope: Scope, sessions: SessionManager, csrf_secret: str) -> None:
    """For error pages made outside a route (an unknown path, a wrong method): the routing
    answers before this middleware runs, so the user behind the session is loaded here, as for
    any page — the page then shows their navigation — with the session's CSRF token for its
    forms (log out, language). Nothing is written: no session is made or extended."""
    if "portal_session" in scope:
        return
    assign_request_id(scope)
    session = await load_context(scope, sessions)
    token = bind_csrf_token(scope, session, csrf_secret) if scope.get("user") else None
    if token:
        ScopeState.from_scope(scope).csrf_token = token


def session_cookie_header(session: Session, *, secure: bool) -> str | None:
    if session.new and session.id:
        cookie = Cookie(
            key=COOKIE_NAME,
            value=session.id,
            httponly=True,
            samesite="lax",
            secure=secure,
            path="/",
        )
    elif session.ended:
        cookie = Cookie(
            key=COOKIE_NAME,
            value="",
            expires=0,
            max_age=0,
            httponly=True,
            samesite="lax",
            secure=secure,
            path="/",
        )
    else:
        return None
    return cookie.to_header(header="")


def bind_csrf_token(scope: Scope, session: Session, secret: str) -> str | None:
    """A logged-in session's CSRF token is the session's own, not whatever cookie comes along.

    Litestar's CSRF check compares the submitted token with the `portal_csrf` cookie (a double
    submit), so a cookie and token pair planted in the browser (e.g. from a sibling subdomain)
    would pass. For a session, the token is kept in the session (made at login: rotated with
    it) and the incoming cookie is replaced by it before the check: a planted pair fails.
    Anonymous requests (the login form) keep the double-submit cookie. Returns the bound token,
    which the response sets as the cookie when the browser's differs."""
    if not session.id:
        return None
    token = session.data.get("csrf")
    if not token:
        # A new session (a login): a new token, whatever the browser had before.
        token = generate_csrf_token(secret)
        session.data["csrf"] = token
        session.dirty = True
    pairs = [
        part.strip()
        for name, value in scope.get("headers", [])
        if name == b"cookie"
        for part in value.decode("latin-1").split(";")
        if part.strip()
    ]
    sent = [pair for pair in pairs if pair.partition("=")[0] == CSRF_COOKIE]
    # A form sent without the cookie stays refused (the double submit still holds); a page
    # read without it gets the session's token, and the response sets the cookie.
    unsafe = scope.get("method") not in ("GET", "HEAD", "OPTIONS")
    if sent != [f"{CSRF_COOKIE}={token}"] and not (unsafe and not sent):
        others = [pair for pair in pairs if pair.partition("=")[0] != CSRF_COOKIE]
        header = "; ".join([*others, f"{CSRF_COOKIE}={token}"])
        scope["headers"] = [
            (name, value) for name, value in scope.get("headers", []) if name != b"cookie"
        ] + [(b"cookie", header.encode("latin-1"))]
    return token  # type: ignore[no-any-return]


class RequestContextMiddleware(ASGIMiddleware):
    scopes = (ScopeType.HTTP,)
    # Static files, the icon and health checks need no session (and must not create one).
    should_bypass_for_scope = staticmethod(
        lambda scope: (
            scope["path"].startswith("/static/")
            or scope["path"] in ("/healthz", "/readyz", "/favicon.ico")
        )
    )

    def __init__(self, sessions: SessionManager, *, secure_cookies: bool, csrf_secret: str) -> None:
        self.sessions = sessions
        self.secure_cookies = secure_cookies
        self.csrf_secret = csrf_secret

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        started = time.perf_counter()
        assign_request_id(scope)
        status: dict[str, Any] = {}
        session = await load_context(scope, self.sessions)
        browser_token = _cookies(scope).get(CSRF_COOKIE)
        bind_csrf_token(scope, session, self.csrf_secret)

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"] = message["status"]
                # A login starts a new session: its own CSRF token, set as the cookie.
                token = bind_csrf_token(scope, session, self.csrf_secret)
                await self.sessions.persist(session)
                headers = MutableScopeHeaders.from_message(message)
                header = session_cookie_header(session, secure=self.secure_cookies)
                if header:
                    headers.add("Set-Cookie", header)
                if token and token != browser_token:
                    headers.add("Set-Cookie", self._csrf_cookie(token))
            await send(message)

        try:
            await next_app(scope, receive, send_wrapper)
        finally:
            log.info(
                "request",
                extra={
                    "method": scope.get("method"),
                    # The route pattern, not the path: paths carry tokens (reset links).
                    "route": scope.get("path_template") or "?",
                    "status": status.get("code"),
                    "ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )

    def _csrf_cookie(self, token: str) -> str:
        cookie = Cookie(
            key=CSRF_COOKIE,
            value=token,
            httponly=True,
            samesite="lax",
            secure=self.secure_cookies,
            path="/",
        )
        return cookie.to_header(header="")


def assign_request_id(scope: Scope) -> str:
    """Take a well-formed id from the proxy, or make one; it goes into logs and the response."""
    state = scope.setdefault("state", {})  # type: ignore[typeddict-item]
    if "request_id" in state:
        return state["request_id"]  # type: ignore[no-any-return]
    incoming = _header(scope, b"x-request-id")
    request_id = incoming if incoming and _REQUEST_ID.match(incoming) else secrets.token_hex(8)
    state["request_id"] = request_id
    request_id_var.set(request_id)
    return request_id


class RequestTimedOut(ServiceUnavailableException):
    """The request ran past REQUEST_TIMEOUT_SECONDS and was stopped (errors.py: the 503 page)."""

    detail = "The request took too long"


class RequestTimeout(ASGIMiddleware):
    """Stop a request that runs longer than REQUEST_TIMEOUT_SECONDS and answer 503 (issue 14).

    A request that waits on a hung database or a lock, or loops, would otherwise hold its
    worker, its connection and the user's patience for good. The handler is cancelled: an open
    transaction is rolled back, and work handed to a thread (portal.cpu) finishes there first.
    Uploads are left out (opt "upload"): a large file on a slow line may take longer, and
    UploadLimit bounds them. A response that has begun cannot be turned into a page: it is cut.
    """

    scopes = (ScopeType.HTTP,)

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        handler = scope.get("route_handler")
        if handler is not None and handler.opt.get("upload"):
            await next_app(scope, receive, send)
            return
        started = False

        async def watching_send(message: Message) -> None:
            nonlocal started
            started = started or message["type"] == "http.response.start"
            await send(message)

        with anyio.move_on_after(self.seconds) as deadline:
            await next_app(scope, receive, watching_send)
        if deadline.cancelled_caught:
            log.warning("request stopped after %s s", self.seconds)
            if not started:
                raise RequestTimedOut()


# A page whose handler only reads (opt READS_ONLY): on SQLite its queries share one connection.
READS_ONLY = {"reads_only": True}


class ReadsOnOneConnection(ASGIMiddleware):
    """On SQLite, run the handler of a GET route marked READS_ONLY in one read transaction.

    Piccolo's SQLite engine opens a connection (and a thread) for every query outside a
    transaction; a list page asks a dozen. Grouped in one DEFERRED transaction they share one
    connection and see one snapshot of the data (WAL: the writers are not held up). Only routes
    that never write are marked — a write inside a read transaction could find the snapshot
    stale and fail — so the marking is explicit, never by HTTP method alone. PostgreSQL uses
    its pool and is left alone.
    """

    scopes = (ScopeType.HTTP,)

    def __init__(self, engine: Any) -> None:
        self.engine = engine

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        handler = scope.get("route_handler")
        if (
            isinstance(self.engine, SQLiteEngine)
            and scope.get("method") in ("GET", "HEAD")
            and handler is not None
            and handler.opt.get("reads_only")
        ):
            async with self.engine.transaction():
                await next_app(scope, receive, send)
            return
        await next_app(scope, receive, send)
