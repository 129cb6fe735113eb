"""Errors of the API as RFC 9457 problem details (`application/problem+json`), in German.

Every error under /api/ answers the same shape: `type` (a link to its explanation on the
schema page), `title`, `status`, `detail`, `instance` (the path) and, for invalid input,
`errors`: one `{"field", "message"}` per field, the message in the request's language
(Accept-Language; German by default) — the same messages as the pages' forms.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from litestar import Response
from litestar.exceptions import (
    HTTPException,
    NotAuthorizedException,
    NotFoundException,
    SerializationException,
    ValidationException,
)
from litestar.openapi.datastructures import ResponseSpec

from portal.errors import CONFLICTS, UNAVAILABLE, Stale, database_busy
from portal.i18n import N_, _
from portal.web import AnyRequest

log = logging.getLogger("portal.api")

PROBLEM_JSON = "application/problem+json"

TITLES = {
    # Not an error: the answer is not ready yet (the statistics being counted, Retry-After).
    202: N_("The figures for this period are being counted."),
    400: N_("The request is not valid."),
    401: N_("A valid API token is needed."),
    403: N_("This is not allowed."),
    404: N_("Not found."),
    405: N_("This method is not allowed here."),
    409: N_("Conflict with the current state."),
    412: N_("The resource has changed."),
    413: N_("The request is too large."),
    415: N_("Please send JSON."),
    422: N_("The data cannot be processed."),
    428: N_("A precondition is needed."),
    429: N_("Too many requests."),
    500: N_("Internal error."),
    503: N_("The service is not available at the moment."),
}
DETAILS = {
    202: N_("Please ask again after the seconds named in the header Retry-After."),
    400: N_("Please check the request against the API description."),
    401: N_("Send a valid, unrevoked and unexpired token in the header Authorization: Bearer …"),
    403: N_("Your organisation's token may not do this."),
    404: N_("There is no such resource, or it does not belong to your organisation."),
    405: N_("Please check the request against the API description."),
    409: N_("The request conflicts with the current state of the resource."),
    412: N_(
        "The resource was changed since you read it. Read it again and send its new ETag in "
        "If-Match."
    ),
    422: N_("Please correct the fields named in errors."),
    429: N_(
        "This token has sent more requests this minute than it may. Please wait the seconds "
        "named in the header Retry-After."
    ),
    500: N_("Something went wrong on our side. Please try again later."),
    503: N_("Please try again in a moment."),
}


# A multipart text part that is not UTF-8 (or names a charset Python does not know): Litestar
# decodes it while reading the body into a handler's `data` without catching the error
# (STACK-NOTES trap 12); the client's error, not ours.
UNREADABLE = (UnicodeDecodeError, LookupError)


@dataclass
class FieldError:
    field: str
    message: str


@dataclass
class Problem:
    """RFC 9457 problem details, as every error of the API answers them."""

    type: str
    title: str
    status: int
    detail: str
    instance: str
    errors: list[FieldError] | None = None


# The errors every operation may answer, for the OpenAPI document (a handler's `responses`).
PROBLEMS = {
    status: ResponseSpec(
        data_container=Problem,
        media_type=PROBLEM_JSON,
        description=TITLES[status],
        generate_examples=False,
    )
    for status in (400, 401, 403, 404, 409, 412, 422, 429)
}


class ApiProblem(HTTPException):
    """An error with a German `detail` and field messages, raised by the API's handlers."""

    def __init__(
        self,
        status_code: int,
        detail: str = "",
        *,
        errors: Mapping[str, str] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail=detail or " ", status_code=status_code, headers=headers)
        self.status_code = status_code
        self.problem_detail = detail
        self.errors = dict(errors or {})


def invalid(errors: Mapping[str, str], status_code: int = 422) -> ApiProblem:
    return ApiProblem(status_code, errors=errors)


def _validation_errors(exc: ValidationException) -> dict[str, str]:
    """Litestar's own checks of parameters and the body: the field, with a German message
    (Litestar's English texts name types, not what to do)."""
    errors: dict[str, str] = {}
    extra = exc.extra if isinstance(exc.extra, list) else []
    for item in extra:
        if isinstance(item, dict):
            field = str(item.get("key") or "body")
            errors.setdefault(field, _("This value is missing or not valid."))
    return errors or {"body": _("The body is not valid JSON of the described shape.")}


def _malformed_path(exc: Exception) -> bool:
    """Litestar's router answers a path parameter it cannot parse (a malformed UUID) as "not
    found", with the parser's ValueError as the cause: for the API that is a bad request."""
    # (Litestar's NotFoundException is a ValueError too: an unknown path has it as its cause.)
    cause = exc.__cause__
    return (
        isinstance(exc, NotFoundException)
        and isinstance(cause, ValueError)
        and not isinstance(cause, HTTPException)
    )


def _status_of(exc: Exception) -> int:
    if _malformed_path(exc):
        return 400
    if isinstance(exc, Stale):
        return 412
    if isinstance(exc, UNREADABLE):
        return 400
    if isinstance(exc, HTTPException):
        return exc.status_code
    if isinstance(exc, CONFLICTS):
        return 409
    if isinstance(exc, UNAVAILABLE) or database_busy(exc):
        return 503
    return 500


def problem_response(request: AnyRequest, exc: Exception) -> Response[Any]:
    """The problem details for any error raised under /api/."""
    status = _status_of(exc)
    if status >= 500:
        log.error("unhandled API error", exc_info=exc)
    errors: dict[str, str] = {}
    detail = ""
    if isinstance(exc, ApiProblem):
        errors, detail = exc.errors, exc.problem_detail
    elif isinstance(exc, UNREADABLE):
        errors = {"body": _("The body could not be read as text: please send UTF-8.")}
    elif _malformed_path(exc):
        errors = {"path": _("An id in the path is not valid: please send a UUID.")}
    elif isinstance(exc, ValidationException | SerializationException):
        status, errors = 400, _validation_errors(exc)  # type: ignore[arg-type]
    elif status == 400:
        # Litestar's other 400s are about the body it could not read (malformed JSON).
        errors = {"body": _("The body is not valid JSON of the described shape.")}
    elif isinstance(exc, HTTPException) and exc.detail and status in (403, 409):
        detail = exc.detail  # our own guards' texts, already translated
    body: dict[str, Any] = {
        "type": f"{request.app.route_reverse('api:schema')}#problem-{status}",
        "title": _(TITLES.get(status, TITLES[400])),
        "status": status,
        "detail": detail or _(DETAILS.get(status, DETAILS[400])),
        "instance": request.url.path,
    }
    if errors:
        body["errors"] = [{"field": field, "message": message} for field, message in errors.items()]
    headers = dict(getattr(exc, "headers", None) or {})
    if isinstance(exc, NotAuthorizedException) or status == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="api"'
    return Response(body, status_code=status, media_type=PROBLEM_JSON, headers=headers or None)
