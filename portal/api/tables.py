"""The API's tables: an organisation's tokens, and the answers kept for Idempotency-Key."""

from __future__ import annotations

import enum

from piccolo.columns import (
    UUID,
    ForeignKey,
    Integer,
    OnDelete,
    Text,
    Timestamptz,
    Varchar,
)
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table

from portal.accounts.tables import Organisation, User


class TokenScope(enum.StrEnum):
    read = "read"
    read_write = "read_write"


class ApiToken(Table):
    """A machine's access for one organisation. Only the SHA-256 of the secret is kept: the
    secret is 32 random bytes, so a fast hash is enough (nothing to guess from a dictionary);
    `hint` is its first characters, to tell tokens apart in the list."""

    id = UUID(primary_key=True)
    organisation = ForeignKey(references=Organisation, on_delete=OnDelete.cascade, index=True)
    # The admin who created it: the token acts as the organisation, recorded under their id.
    created_by = ForeignKey(references=User, on_delete=OnDelete.restrict)
    name = Varchar(length=100)
    scope = Varchar(length=12, choices=TokenScope)
    digest = Varchar(length=64, unique=True)
    hint = Varchar(length=16)
    created_at = Timestamptz(default=TimestamptzNow())
    expires_at = Timestamptz(null=True, default=None)
    revoked_at = Timestamptz(null=True, default=None)
    last_used_at = Timestamptz(null=True, default=None)
    last_address = Varchar(length=45, default="")


class IdempotentRequest(Table):
    """The answer to a creating POST sent with an Idempotency-Key, so that a retry gets the
    same answer instead of a second record. `scoped_key` is the SHA-256 of organisation and
    key (unique: two requests with one key cannot both create); `status` 0 while the first
    request is still running."""

    id = UUID(primary_key=True)
    scoped_key = Varchar(length=64, unique=True)
    organisation = ForeignKey(references=Organisation, on_delete=OnDelete.cascade, index=True)
    fingerprint = Varchar(length=64)
    status = Integer(default=0)
    body = Text(default="")
    location = Varchar(length=300, default="")
    created_at = Timestamptz(default=TimestamptzNow(), index=True)
