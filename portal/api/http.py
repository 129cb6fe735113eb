"""The API's HTTP conventions: opaque cursors, ETag / If-Match, Idempotency-Key."""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import json
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from litestar import Response

from portal.api.problems import ApiProblem
from portal.api.tables import IdempotentRequest
from portal.auth import CurrentUser
from portal.clock import now
from portal.errors import CONFLICTS
from portal.i18n import _
from portal.web import AnyRequest

DEFAULT_LIMIT, MAX_LIMIT = 50, 200
# A key still "pending" after this long belongs to a request that died (a crashed process, a
# killed worker): the next request with it runs again instead of getting 409 forever. Longer
# than any request may run (REQUEST_TIMEOUT_SECONDS, 30 s by default; uploads excepted).
PENDING_FOR = dt.timedelta(minutes=5)
# How long a kept answer is replayed; the worker removes older ones (purge_idempotency_keys).
KEEP_ANSWERS = dt.timedelta(hours=24)


# -- cursors ----------------------------------------------------------------------------------


def encode_cursor(values: Sequence[Any]) -> str:
    """The position after a page's last row, opaque to the client."""
    raw = json.dumps([str(value) for value in values], separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None, size: int) -> list[str] | None:
    """The values of a cursor made by encode_cursor; a 400 for anything else."""
    if not cursor:
        return None
    try:
        values = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)))
    except (ValueError, binascii.Error, UnicodeDecodeError):
        values = None
    if (
        not isinstance(values, list)
        or len(values) != size
        or not all(isinstance(value, str) for value in values)
    ):
        raise ApiProblem(
            400, errors={"cursor": _("This cursor is not valid. Start again without a cursor.")}
        )
    return values


def cursor_id(cursor: str | None) -> UUID | None:
    """The record id a cursor of an id-ordered list stands after."""
    values = decode_cursor(cursor, 1)
    if values is None:
        return None
    try:
        return UUID(values[0])
    except ValueError:
        raise ApiProblem(
            400, errors={"cursor": _("This cursor is not valid. Start again without a cursor.")}
        ) from None


# -- ETag and If-Match ------------------------------------------------------------------------


def etag(*parts: Any) -> str:
    """A strong ETag over what changes with every write (id, updated_at, status)."""
    digest = hashlib.sha256("|".join(str(part) for part in parts).encode()).hexdigest()
    return f'"{digest[:32]}"'


def check_if_match(request: AnyRequest, current: str) -> bool:
    """412 when If-Match names another version than `current`; no header, no check.

    True when the client named a version: the handler then also passes the version it read to
    the service, whose UPDATE is conditional on it, so that a write landing between this check
    and the UPDATE still answers 412 (`stale`)."""
    header = request.headers.get("if-match")
    if header is None or header.strip() == "*":
        return False
    sent = {tag.strip().removeprefix("W/") for tag in header.split(",")}
    if current not in sent:
        raise stale()
    return True


def stale() -> ApiProblem:
    return ApiProblem(412)


def json_value(value: Any) -> Any:
    """A value as JSON keeps it (a created record's answer is stored for Idempotency-Key)."""
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return str(value) if isinstance(value, UUID) else value


# -- Idempotency-Key --------------------------------------------------------------------------


@dataclass(frozen=True)
class Created:
    """What a creating handler made: the answer to keep and repeat."""

    body: dict[str, Any]
    location: str
    etag: str = ""


def _key_of(request: AnyRequest) -> str | None:
    key = request.headers.get("idempotency-key")
    if key is None:
        return None
    key = key.strip()
    if not key or len(key) > 200 or not key.isprintable():
        raise ApiProblem(
            400, errors={"Idempotency-Key": _("Please send a key of 1 to 200 characters.")}
        )
    return key


def _created_response(body: Any, location: str, tag: str, replayed: bool) -> Response[Any]:
    headers = {"Location": location}
    if tag:
        headers["ETag"] = tag
    if replayed:
        headers["Idempotent-Replayed"] = "true"
    return Response(body, status_code=201, headers=headers)


async def idempotent_create(
    request: AnyRequest,
    user: CurrentUser,
    create: Callable[[], Awaitable[Created]],
    *,
    content: bytes | None = None,
) -> Response[Any]:
    """Run `create` once per Idempotency-Key of the organisation: a retry with the same key
    and body gets the first answer again (and nothing is created twice); the same key with
    another body is refused (422), and while the first request runs a second one gets 409.
    `content`: what identifies the request's data when its body was streamed (an upload)."""
    key = _key_of(request)
    if key is None:
        created = await create()
        return _created_response(created.body, created.location, created.etag, False)
    scoped = hashlib.sha256(
        f"{user.organisation_id}|{request.method} {request.url.path}|{key}".encode()
    ).hexdigest()
    fingerprint = hashlib.sha256(
        content if content is not None else await request.body()
    ).hexdigest()
    kept = await IdempotentRequest.select().where(IdempotentRequest.scoped_key == scoped).first()
    if kept is not None and not _abandoned(kept):
        return _replay(kept, fingerprint)
    if kept is not None:
        # Taken over: only this request's DELETE finds the abandoned row (a second one
        # racing for it gets 409 from the INSERT below).
        await IdempotentRequest.delete().where(
            (IdempotentRequest.scoped_key == scoped)
            & (IdempotentRequest.created_at == kept["created_at"])
        )
    try:
        await IdempotentRequest.insert(
            IdempotentRequest(
                scoped_key=scoped,
                organisation=user.organisation_id,
                fingerprint=fingerprint,
                created_at=now(),
            )
        )
    except CONFLICTS:
        raise _in_progress() from None
    try:
        created = await create()
    except BaseException:
        # Nothing was created: the key is free again for a corrected request.
        await IdempotentRequest.delete().where(IdempotentRequest.scoped_key == scoped)
        raise
    await IdempotentRequest.update(
        {
            IdempotentRequest.status: 201,
            IdempotentRequest.body: json.dumps(created.body, default=str),
            IdempotentRequest.location: created.location,
        }
    ).where(IdempotentRequest.scoped_key == scoped)
    return _created_response(created.body, created.location, created.etag, False)


def _abandoned(kept: dict[str, Any]) -> bool:
    return not kept["status"] and kept["created_at"] < now() - PENDING_FOR


async def purge_idempotency_keys(moment: dt.datetime) -> int:
    """Remove the answers older than KEEP_ANSWERS (the worker, every round); how many."""
    removed = (
        await IdempotentRequest.delete()
        .where(IdempotentRequest.created_at < moment - KEEP_ANSWERS)
        .returning(IdempotentRequest.id)
    )
    return len(removed)


def _in_progress() -> ApiProblem:
    return ApiProblem(409, _("A request with this Idempotency-Key is still being processed."))


def _replay(kept: dict[str, Any], fingerprint: str) -> Response[Any]:
    if kept["fingerprint"] != fingerprint:
        raise ApiProblem(
            422,
            errors={
                "Idempotency-Key": _("This key was already used for a request with other data.")
            },
        )
    if not kept["status"]:
        raise _in_progress()
    return _created_response(json.loads(kept["body"]), kept["location"], "", True)
