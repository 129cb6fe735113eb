"""The edge of the app: requests Litestar would otherwise answer with a 500 or a 405.

- A form body that cannot be read as text (invalid UTF-8, a lone surrogate, an unknown charset
  in a multipart part) is the client's error: 400, never a 500. Litestar 2.25 decodes multipart
  text parts without catching the error (`_multipart.py`), and its CSRF middleware reads the
  form before any handler, so the request class is where it can be caught: the CSRF middleware
  and the handlers both build it (`app.request_class`).
- A file name that is not UTF-8 makes the multipart parser give up on the whole form (CSRF
  token included), so no handler could say which field is wrong. The form is read again with
  the part headers taken byte for byte (latin-1), and the file arrives as an UnreadableName:
  the upload field says what to do (candidates/uploads.py).
- HEAD is answered like GET, without the body (Litestar answers 405 where only `@get` is
  declared).

A static path no file can have is errors.static_file_error's.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any
from urllib.parse import parse_qsl

from litestar.datastructures import FormMultiDict, UploadFile
from litestar.enums import RequestEncodingType, ScopeType
from litestar.exceptions import ClientException
from litestar.plugins.htmx import HTMXRequest
from litestar.types import ASGIApp, Message, Receive, Scope, Send
from multipart import MultipartSegment, ParserError, ParserLimitReached, PushMultipartParser


class UnreadableForm(ClientException):
    """The form's bytes are not text; errors.py says so on the 400 page."""

    status_code = 400
    detail = "The form could not be read as text"


class UnreadableName(UploadFile):
    """A file whose name is not UTF-8: its bytes are here, its name is not."""


class PortalRequest(HTMXRequest):
    async def form(self) -> FormMultiDict:
        multipart = self.content_type[0] == RequestEncodingType.MULTI_PART
        if multipart:
            # Kept, so that the form can be read again (below); an upload is read whole anyway.
            await self.body()
        try:
            return await super().form()
        # LookupError: a part declared a charset Python does not know (or no text codec).
        except LookupError as error:
            raise UnreadableForm() from error
        except UnicodeDecodeError:
            # Bytes that are not UTF-8 in a field: read again, each such byte becoming U+FFFD,
            # which the forms refuse with a message on that field (forms.not_allowed).
            if not multipart:
                return self._keep(_read_urlencoded_leniently(await self.body()))
        except ClientException as error:
            # A part header (the file name) that is not UTF-8: the parser's "failed to decode".
            if not (isinstance(error.__cause__, ParserError) and "decode" in str(error.__cause__)):
                raise
            if not multipart:
                raise UnreadableForm() from error
        form_data = await _read_with_raw_headers(
            await self.body(),
            self.content_type[1].get("boundary", "").encode(),
            self.app.multipart_form_part_limit,
        )
        return self._keep(form_data)

    def _keep(self, form_data: dict[str, Any]) -> FormMultiDict:
        # Where Litestar keeps the parsed form for the request's later readers (the handler
        # after the CSRF middleware).
        self._connection_state.form = form_data
        self._form = FormMultiDict.from_form_data(form_data)
        return self._form


def _read_urlencoded_leniently(body: bytes) -> dict[str, Any]:
    """A urlencoded form whose bytes are not all UTF-8, each bad byte read as U+FFFD."""
    fields: defaultdict[str, list[Any]] = defaultdict(list)
    text = body.decode("utf-8", errors="replace")
    for name, value in parse_qsl(text, keep_blank_values=True, separator="&", errors="replace"):
        fields[name].append(value)
    return {name: values if len(values) > 1 else values[0] for name, values in fields.items()}


async def _read_with_raw_headers(body: bytes, boundary: bytes, part_limit: int) -> dict[str, Any]:
    """The multipart form with its part headers read as latin-1 (any byte is a character).

    Litestar's parse_multipart_form, less the streaming: a name must still be UTF-8 (or the
    form is unreadable); a file name that is not becomes an UnreadableName.
    """
    fields: defaultdict[str, list[Any]] = defaultdict(list)
    try:
        with PushMultipartParser(
            boundary, max_segment_count=part_limit, header_charset="latin-1"
        ) as parser:
            segment: MultipartSegment | None = None
            data = bytearray()
            for part in parser.parse(body):
                if isinstance(part, MultipartSegment):
                    segment, data = part, bytearray()
                elif part:
                    data.extend(part)
                elif segment is not None:
                    name = _utf8(segment.name or "")
                    # As Litestar: a part without a file name (no file chosen) is a text field.
                    if not segment.filename:
                        text = bytes(data).decode(segment.charset or "utf-8", errors="replace")
                        fields[name].append(text)
                    else:
                        fields[name].append(await _upload(segment, bytes(data)))
                    segment = None
    except (ParserError, ParserLimitReached, UnicodeDecodeError, LookupError) as error:
        raise UnreadableForm() from error
    return {name: values if len(values) > 1 else values[0] for name, values in fields.items()}


async def _upload(segment: MultipartSegment, data: bytes) -> UploadFile:
    try:
        filename = _utf8(segment.filename or "")
    except UnicodeDecodeError:
        upload: UploadFile = UnreadableName(content_type="application/octet-stream", filename="")
    else:
        upload = UploadFile(content_type=segment.content_type or "text/plain", filename=filename)
    await upload.write(data)
    await upload.seek(0)
    return upload


def _utf8(latin1: str) -> str:
    return latin1.encode("latin-1").decode("utf-8")


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
