"""Security headers on every response, also on static files and on errors raised before routing."""

from __future__ import annotations

from litestar.datastructures import MutableScopeHeaders
from litestar.types import Message, Scope

from portal.middleware import assign_request_id

# No inline script or style anywhere: behaviour lives in /static/js, styles in /static/css.
# KERN's stylesheet uses data: URIs for its icons, hence img-src data:.
CONTENT_SECURITY_POLICY = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
    "font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; "
    "base-uri 'none'; object-src 'none'"
)


def security_headers(*, https: bool):  # type: ignore[no-untyped-def]
    """A before_send hook adding the headers of PRODUCT.md section 7."""

    async def before_send(message: Message, scope: Scope) -> None:
        if message["type"] != "http.response.start" or scope["type"] != "http":
            return
        headers = MutableScopeHeaders.from_message(message)
        headers["Content-Security-Policy"] = CONTENT_SECURITY_POLICY
        headers["X-Content-Type-Options"] = "nosniff"
        headers["X-Frame-Options"] = "DENY"
        headers["Referrer-Policy"] = "same-origin"
        headers["Cross-Origin-Opener-Policy"] = "same-origin"
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
        headers["X-Request-ID"] = assign_request_id(scope)
        if https or scope.get("scheme") == "https":
            headers["Strict-Transport-Security"] = "max-age=31536000; includeSubDomains"
        if not scope["path"].startswith("/static/"):
            # Pages carry personal data: never keep them in shared or browser caches.
            headers.setdefault("Cache-Control", "no-store")

    return before_send
