"""Files over HTTP: the upload limit of the routes that take a file, and the download response.

Shared by the candidates' documents, the consent's signed form and the placements' checklist
uploads and downloads.
"""

from __future__ import annotations

import unicodedata
from urllib.parse import quote

from litestar import Litestar, Response
from litestar.enums import ScopeType
from litestar.exceptions.http_exceptions import RequestEntityTooLarge
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Receive, ReceiveMessage, Scope, Send

from portal.settings import Settings

# Room for the multipart envelope around the file: boundaries, part headers, the CSRF token and
# the other fields of the form (a few hundred bytes; the consent form's are the largest).
FORM_OVERHEAD = 64 * 1024
# Every other route's body (the app's request_max_body_size): far above the largest form (the
# profile, texts of at most 1,000 characters and a few hundred boxes; see the test). A body above
# it is refused with 413 before it is parsed: no handler or check sees a megabyte of text.
FORM_MAX_BYTES = 256 * 1024


def body_limit(settings: Settings) -> int:
    return settings.upload_max_bytes + FORM_OVERHEAD


class UploadLimit(ASGIMiddleware):
    """Refuse an upload larger than UPLOAD_MAX_MB before its body is read into memory.

    Litestar (2.25, `Request.stream`) enforces `request_max_body_size` the same way: a
    Content-Length above the limit is refused before a byte is read, and a body without one
    (chunked) is counted as it streams and cut off once past the limit — both raise
    RequestEntityTooLarge (413), which errors.py turns into a page that names the limit. But a
    handler's limit is fixed when the module is imported, and ours comes from the settings of
    the app: so the upload routes set `request_max_body_size=None` and this middleware applies
    the app's limit. It runs before the CSRF middleware, which reads a form to find its token.
    """

    scopes = (ScopeType.HTTP,)

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        limit = body_limit(Litestar.from_scope(scope).state["settings"])
        for name, value in scope["headers"]:
            if name == b"content-length" and value.isdigit() and int(value) > limit:
                raise RequestEntityTooLarge()
        received = 0

        async def counting_receive() -> ReceiveMessage:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise RequestEntityTooLarge()
            return message

        await next_app(scope, counting_receive, send)


def _ascii_name(name: str) -> str:
    """A plain-ASCII fallback for clients that do not read filename*."""
    plain = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return "".join(ch if ch.isalnum() or ch in " ._-()" else "_" for ch in plain) or "document"


def file_response(data: bytes, *, name: str, content_type: str) -> Response[bytes]:
    """A file's bytes as a download: an attachment, never sniffed, never cached."""
    return Response(
        content=data,
        media_type=content_type,
        headers={
            "Content-Disposition": (
                f'attachment; filename="{_ascii_name(name)}"; '
                f"filename*=UTF-8''{quote(name, safe='')}"
            ),
            "X-Content-Type-Options": "nosniff",
            "Cache-Control": "no-store",
        },
    )


# A cell a spreadsheet would take for a formula is kept as text (CSV injection).
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> str:
    """A CSV cell that a spreadsheet will show, never run."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text
