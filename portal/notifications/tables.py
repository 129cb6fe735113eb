"""The outbox: e-mails written in the same transaction as the change they tell about.

A worker (portal/worker.py) delivers them, with retries and backoff; a message is
claimed by one worker at a time (FOR UPDATE SKIP LOCKED on PostgreSQL, the write lock on
SQLite), so that two workers never send the same message.
"""

from __future__ import annotations

from piccolo.columns import JSON, UUID, Integer, Text, Timestamptz, Varchar
from piccolo.columns.defaults.timestamptz import TimestamptzNow
from piccolo.table import Table


class OutboxMessage(Table):
    id = UUID(primary_key=True)
    to_address = Varchar(length=254)
    language = Varchar(length=8, default="de")
    # A template under templates/mail/ and its context (ids, codes, titles, paths — never an
    # identity), rendered in the recipient's language when the message is sent.
    template = Varchar(length=80)
    context = JSON(default="{}")
    # The same key is enqueued once (e.g. "reminder:<placement>:<n>"); empty = no key.
    dedupe_key = Varchar(length=120, null=True, default=None, unique=True)
    created_at = Timestamptz(default=TimestamptzNow())
    # Not before this moment (the backoff after a failure).
    available_at = Timestamptz(default=TimestamptzNow(), index=True)
    # A worker holds the message until this moment while it sends it.
    claimed_until = Timestamptz(null=True, default=None)
    attempts = Integer(default=0)
    # The type of the last error only (never the address or the text).
    last_error = Varchar(length=200, default="")
    sent_at = Timestamptz(null=True, default=None, index=True)
    # Given up after the last attempt; the console shows it.
    failed_at = Timestamptz(null=True, default=None, index=True)
    # Kept for the record of what was sent; the body is rendered again from the template.
    subject = Text(default="")
