"""SQLite as a serious default: the web process and the worker share the file without
`database is locked` (write-ahead logging, a busy timeout)."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

import pytest

from portal.db import engine_from_url
from tests.conftest import run


def connect(path: Path, timeout: float) -> sqlite3.Connection:
    return sqlite3.connect(path, timeout=timeout, isolation_level=None)


def test_it_opens_the_file_in_write_ahead_logging_mode(tmp_path):
    path = tmp_path / "portal.sqlite3"
    engine_from_url(f"sqlite:///{path}")
    with contextlib.closing(connect(path, 1)) as connection:
        assert connection.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_its_connections_wait_for_the_disk_at_checkpoints_only(tmp_path):
    """synchronous = NORMAL (1) on every connection, in a transaction and outside one, and the
    queries outside one still commit."""
    engine = engine_from_url(f"sqlite:///{tmp_path / 'portal.sqlite3'}")

    async def check() -> None:
        assert await engine._run_in_new_connection("PRAGMA synchronous") == [{"synchronous": 1}]
        await engine._run_in_new_connection("CREATE TABLE t (x INTEGER)")
        await engine._run_in_new_connection("INSERT INTO t VALUES (1)")
        async with engine.transaction():
            assert await engine._run_in_existing_connection(
                engine.current_transaction.get().connection, "PRAGMA synchronous"
            ) == [{"synchronous": 1}]
        assert await engine._run_in_new_connection("SELECT x FROM t") == [{"x": 1}]

    run(check())


def test_a_reader_in_the_middle_of_a_read_does_not_lock_out_a_writer(tmp_path):
    """The worker reads its due mail while a request writes: the write commits at once."""
    path = tmp_path / "portal.sqlite3"
    engine_from_url(f"sqlite:///{path}")
    with contextlib.closing(connect(path, 1)) as setup:
        setup.execute("CREATE TABLE outbox (id INTEGER PRIMARY KEY, body TEXT)")
        setup.execute("INSERT INTO outbox (body) VALUES ('a'), ('b')")
    with (
        contextlib.closing(connect(path, 1)) as reader,
        contextlib.closing(connect(path, 0.2)) as writer,
    ):
        reader.execute("BEGIN")
        assert reader.execute("SELECT COUNT(*) FROM outbox").fetchone() == (2,)
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("INSERT INTO outbox (body) VALUES ('c')")
        writer.execute("COMMIT")  # in the rollback-journal mode: "database is locked"
        # The reader keeps its snapshot until it ends its transaction.
        assert reader.execute("SELECT COUNT(*) FROM outbox").fetchone() == (2,)
        reader.execute("COMMIT")
        assert reader.execute("SELECT COUNT(*) FROM outbox").fetchone() == (3,)


def test_without_it_the_same_write_would_be_locked_out(tmp_path):
    """The check above is not vacuous: the default journal mode refuses that commit."""
    path = tmp_path / "plain.sqlite3"
    with contextlib.closing(connect(path, 1)) as setup:
        setup.execute("CREATE TABLE outbox (id INTEGER PRIMARY KEY, body TEXT)")
        setup.execute("INSERT INTO outbox (body) VALUES ('a')")
    with (
        contextlib.closing(connect(path, 1)) as reader,
        contextlib.closing(connect(path, 0.2)) as writer,
    ):
        reader.execute("BEGIN")
        reader.execute("SELECT COUNT(*) FROM outbox").fetchone()
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("INSERT INTO outbox (body) VALUES ('b')")
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            writer.execute("COMMIT")
        reader.execute("COMMIT")
