"""The edge of the app: requests Litestar would otherwise answer with a 500 or a 405.

- A form body that cannot be read as text (invalid UTF-8, a lone surrogate, an unknown charset
  in a multipart part, a file name that is not UTF-8) is the client's error: 400, never a 500.
  Litestar 2.25 decodes multipart text parts without catching the error (`_multipart.py`), and
  its CSRF middleware reads the form before any handler, so the request class is where it can
  be caught: the CSRF middleware and the handlers both build it (`app.request_class`).
- HEAD is answered like GET, without the body (Litestar answers 405 where only `@get` is
  declared).

A static path no file can have is errors.static_file_error's.
"""

from __future__ import annotations

from litestar.datastructures import FormMultiDict
from litestar.enums import ScopeType
from litestar.exceptions import ClientException
from litestar.plugins.htmx import HTMXRequest
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from multipart import ParserError


class UnreadableForm(ClientException):
    """The form's bytes are not text; errors.py says so on the 400 page."""

    status_code = 400
    detail = "The form could not be read as text"


class PortalRequest(HTMXRequest):
    async def form(self) -> FormMultiDict:
        try:
            return await super().form()
        # LookupError: a part declared a charset Python does not know (or no text codec).
        except (UnicodeDecodeError, LookupError) as error:
            raise UnreadableForm() from error
        except ClientException as error:
            # A part header (the file name) that is not UTF-8: the parser's "failed to decode".
            if isinstance(error.__cause__, ParserError) and "decode" in str(error.__cause__):
                raise UnreadableForm() from error
            raise


def head_as_get(app: ASGIApp) -> ASGIApp:
    """Serve HEAD as GET and drop the body; the headers (Content-Length too) stay GET's."""

    async def handle(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != ScopeType.HTTP or scope["method"] != "HEAD":
            await app(scope, receive, send)
            return

        async def without_body(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}  # type: ignore[typeddict-item]
            await send(message)

        await app({**scope, "method": "GET"}, receive, without_body)

    return handle
