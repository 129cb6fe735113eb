"""Error pages in the user's language; a login redirect for pages that need one."""

from __future__ import annotations

import logging
import sqlite3
from typing import Any
from urllib.parse import quote

import asyncpg
from litestar import MediaType
from litestar.exceptions import (
    HTTPException,
    InternalServerException,
    NotAuthorizedException,
    NotFoundException,
)
from litestar.response import Redirect, Response, Template
from litestar.types import ASGIApp, Receive, Scope, Send

from portal.edge import UnreadableForm
from portal.files import FORM_MAX_BYTES
from portal.middleware import RequestTimedOut, error_context, fallback_context
from portal.web import AnyRequest

log = logging.getLogger("portal.errors")

KNOWN = (400, 403, 404, 405, 409, 413, 429, 500, 503)
CONFLICTS = (sqlite3.IntegrityError, asyncpg.exceptions.IntegrityConstraintViolationError)
# The database (or another service) is gone for the moment: a restart, a cut connection, a
# refused one. Nothing was committed (a transaction cut before its COMMIT is rolled back by the
# server), so the user may try again: 503, not 500. The next request opens a new connection.
UNAVAILABLE = (
    OSError,  # refused, reset, timed out (TimeoutError is an OSError)
    asyncpg.exceptions.PostgresConnectionError,  # the connection was lost
    asyncpg.exceptions.OperatorInterventionError,  # the server shuts down or starts up
)


class Stale(Exception):
    """The record was changed since the version the caller read and named (the API's
    If-Match); nothing was changed. The services check it inside their UPDATE."""


def handle_exception(request: AnyRequest, exc: Exception) -> Response[Any]:
    if isinstance(exc, HTTPException):
        status = exc.status_code
    elif isinstance(exc, CONFLICTS):
        # Two people changed the same thing at once (e.g. one e-mail address invited twice):
        # the database refused the second change; say so instead of failing.
        status = 409
    elif isinstance(exc, UNAVAILABLE) or database_busy(exc):
        status = 503
    else:
        status = 500
    if status >= 500:
        # The exception, not the request: its message may quote what a user typed.
        log.error("unhandled error", exc_info=exc)
    if isinstance(exc, NotAuthorizedException) and request.method in ("GET", "HEAD"):
        target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
        login = request.app.route_reverse("login") + "?next=" + quote(target, safe="")
        if request.headers.get("hx-request"):
            return Response(content="", status_code=401, headers={"HX-Redirect": login})
        return Redirect(path=login, status_code=303)
    if status == 401:
        status = 403
    if (
        request.url.path.startswith(("/healthz", "/readyz"))
        or "json" in request.headers.get("accept", "").split(",")[0]
    ):
        fallback_context(request.scope)
        return Response({"status": status}, status_code=status, media_type=MediaType.JSON)
    csrf_failed = status == 403 and "CSRF" in str(getattr(exc, "detail", ""))
    return ErrorPage(
        template_name="errors/error.html",
        context={
            "status": status if status in KNOWN else 400,
            "csrf_failed": csrf_failed,
            "unreadable_form": isinstance(exc, UnreadableForm),
            "timed_out": isinstance(exc, RequestTimedOut),
            "upload_max_mb": _upload_limit(request) if status == 413 else None,
            "form_max_kb": FORM_MAX_BYTES // 1024,
        },
        status_code=status,
    )


class ErrorPage(Template):
    """The error page, rendered once the user behind the session is known.

    Routing errors (an unknown path, a wrong method) happen before our middleware ran, so the
    user is loaded here (middleware.error_context): a logged-in user keeps their navigation on
    a 404. Static files have no session: anonymous, the language from the cookie (set at login
    and at every switch) or the browser."""

    def to_asgi_response(  # type: ignore[override]
        self, app: Any, request: AnyRequest, **kwargs: Any
    ) -> ASGIApp:
        async def respond(scope: Scope, receive: Receive, send: Send) -> None:
            if scope["path"].startswith("/static/"):
                fallback_context(scope)
            else:
                state = request.app.state
                try:
                    await error_context(scope, state.sessions, state.settings.secret_key)
                except Exception:
                    # The error may be the database itself (gone, locked): the page is still
                    # shown, anonymously, rather than failing a second time.
                    fallback_context(scope)
            page = super(ErrorPage, self).to_asgi_response(app, request, **kwargs)
            await page(scope, receive, send)

        return respond


def database_busy(exc: Exception) -> bool:
    """SQLite's "database is locked" after its busy timeout: another writer held on."""
    return isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc)


def static_file_error(request: AnyRequest, exc: Exception) -> Response[Any]:
    """404 for a static path that names no file the system can look up: Litestar lets the
    ValueError of a NUL byte through and turns any OSError but FileNotFoundError (a name too
    long, a path through a file) into a 500."""
    if isinstance(exc, ValueError) or (
        isinstance(exc, InternalServerException) and isinstance(exc.__cause__, OSError)
    ):
        exc = NotFoundException()
    return handle_exception(request, exc)


def _upload_limit(request: AnyRequest) -> int | None:
    """The upload limit in MB, to name it when a file was refused (upload routes say
    `opt={"upload": True}`); None for any other route."""
    handler = request.scope.get("route_handler")
    if handler is None or not handler.opt.get("upload"):
        return None
    return request.app.state.settings.upload_max_mb  # type: ignore[no-any-return]
