"""The database engine, built from DATABASE_URL and bound to every table at start-up."""

from __future__ import annotations

import contextlib
import functools
import os
import sqlite3
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from piccolo.engine.base import Engine
from piccolo.engine.postgres import PostgresEngine
from piccolo.engine.sqlite import SQLiteEngine, TransactionType
from piccolo.table import Table

from portal.settings import ROOT

APPS = [
    "portal.reference.piccolo_app",
    "portal.accounts.piccolo_app",
    "portal.audit.piccolo_app",
    "portal.pages.piccolo_app",
    "portal.employers.piccolo_app",
    "portal.candidates.piccolo_app",
    "portal.placements.piccolo_app",
    "portal.notifications.piccolo_app",
    "portal.stats.piccolo_app",
    "portal.api.piccolo_app",
    "portal.webhooks.piccolo_app",
    "portal.imports.piccolo_app",
]


def engine_from_url(url: str) -> Engine:
    """A Piccolo engine for `sqlite:///relative/path`, `sqlite:////abs/path` or `postgresql://…`."""
    parts = urlsplit(url)
    if parts.scheme == "sqlite":
        path = Path(url.removeprefix("sqlite:///"))
        if not path.is_absolute():
            path = ROOT / path
        path.parent.mkdir(parents=True, exist_ok=True)
        use_wal(path)
        # A busy timeout so that the web and worker processes wait for each other's writes.
        return WalSQLiteEngine(path=str(path), timeout=15)
    # A connect timeout: a hung server must not hold the start-up (asyncpg waits 60 s by default).
    return PostgresEngine(
        config={"dsn": url.replace("postgres://", "postgresql://", 1), "timeout": 10}
    )


def use_wal(path: Path) -> None:
    """Write-ahead logging for the SQLite file: readers no longer block the writer, nor the
    writer the readers, so the web process and the worker share the file without `database is
    locked`. The mode is kept in the file; setting it again is a no-op."""
    with contextlib.closing(sqlite3.connect(path, timeout=15)) as connection:
        connection.execute("PRAGMA journal_mode=WAL")


class WalSQLiteEngine(SQLiteEngine):
    """Piccolo's SQLite engine with `synchronous = NORMAL` on every connection it opens.

    SQLite's default (FULL) waits for the disk at every commit (~0.6 ms here, a transition
    commits several times); in write-ahead logging mode NORMAL waits only at checkpoints and
    is still safe from corruption: a power cut may lose the last commits, never half of one
    (sqlite.org/pragma.html#pragma_synchronous, the setting it recommends for WAL). Piccolo opens
    a connection for every query outside a transaction, so the pragma goes where it does."""

    async def get_connection(self) -> Any:
        connection = await super().get_connection()
        await connection.execute("PRAGMA synchronous = NORMAL")
        return connection

    async def _run_in_new_connection(
        self,
        query: str,
        args: list[Any] | None = None,
        query_type: str = "generic",
        table: type[Table] | None = None,
    ) -> Any:
        # Piccolo's own, with our connection (RETURNING is there: SQLite >= 3.35 is required).
        connection = await self.get_connection()
        try:
            async with connection.execute(query, args or []) as cursor:
                await connection.commit()
                return await cursor.fetchall()
        finally:
            await connection.close()


def writing(table: type[Table]) -> Any:
    """A transaction that will write `table`'s database. SQLite: BEGIN IMMEDIATE takes the write
    lock at once (a deferred transaction reads, then fails to upgrade with `database is locked`
    when another writer came first). PostgreSQL: a plain one; its statements lock the rows
    they must (FOR UPDATE, SKIP LOCKED)."""
    db = table._meta.db
    if isinstance(db, SQLiteEngine):
        return db.transaction(transaction_type=TransactionType.immediate)
    return db.transaction()


def engine_from_env() -> Engine:
    return engine_from_url(os.environ.get("DATABASE_URL") or "sqlite:///var/portal.sqlite3")


@functools.cache
def all_tables() -> tuple[type[Table], ...]:
    """Every table of the installed apps (piccolo_conf's registry: fixed once imported). Kept,
    because looking them up costs ~25 ms and the tests bind the tables before every test."""
    from piccolo.conf.apps import Finder

    return tuple(Finder().get_table_classes())


def bind_tables(engine: Engine) -> None:
    """Point every table at `engine`, so that an app built from settings uses its own database."""
    for table in all_tables():
        table._meta.db = engine
