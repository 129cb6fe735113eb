"""Who is asking the API: the organisation behind a Bearer token, and what its scope allows.

The middleware puts the token's CurrentUser (portal.api.tokens: the organisation's admin
role) where the session middleware puts a logged-in user, so the routes' own guards from
portal.auth.guards and the record rules of portal.auth.policy decide as for the pages. Without
a valid token there is no user: the role guard answers 401.
"""

from __future__ import annotations

from typing import Any

from litestar.connection import ASGIConnection
from litestar.enums import ScopeType
from litestar.exceptions import PermissionDeniedException
from litestar.handlers.base import BaseRouteHandler
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Receive, Scope, Send

from portal.api import tokens
from portal.api.ratelimit import rate_limit_of
from portal.api.tables import TokenScope
from portal.i18n import _

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


def bearer(scope: Scope) -> str | None:
    """The secret of an `Authorization: Bearer …` header, if there is one."""
    for name, value in scope.get("headers", []):
        if name == b"authorization":
            kind, _sep, secret = value.decode("latin-1").strip().partition(" ")
            if kind.lower() == "bearer" and secret.strip():
                return secret.strip()
    return None


def token_of(connection: ASGIConnection[Any, Any, Any, Any]) -> tokens.TokenUse | None:
    return connection.scope.get("api_token")  # type: ignore[return-value]


class TokenAuthentication(ASGIMiddleware):
    """Authenticate the API's requests by their token; every use is recorded and audited."""

    scopes = (ScopeType.HTTP,)

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        scope["user"] = None
        secret = bearer(scope)
        if secret:
            use = await tokens.authenticate(secret, language=scope.get("language", "de"))  # type: ignore[arg-type]
            if use is not None:
                # Over its limit, the token's request ends here (429), unrecorded.
                await rate_limit_of(scope["app"]).check(use.token_id)
                scope["user"] = use.user
                scope["api_token"] = use  # type: ignore[typeddict-unknown-key]
                client = scope.get("client")
                await tokens.record_use(
                    use,
                    address=client[0] if client else "",
                    method=str(scope.get("method", "")),
                    route=str(scope.get("path_template", "")),
                )
        await next_app(scope, receive, send)


def token_scope(connection: ASGIConnection[Any, Any, Any, Any], _handler: BaseRouteHandler) -> None:
    """Router guard: a read-only token may read, nothing else (403)."""
    use = token_of(connection)
    if (
        use is not None
        and use.scope == TokenScope.read
        and connection.scope.get("method") not in SAFE_METHODS
    ):
        raise PermissionDeniedException(detail=_("This token may only read."))
