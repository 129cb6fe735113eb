"""The migration that chains the audit log: rows written before it are chained in id order,
and the chain then verifies (`portal audit verify`), on SQLite and PostgreSQL."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
import subprocess
import uuid
from pathlib import Path

import pytest

from portal.settings import ROOT
from tests import clock
from tests.conftest import ENGINE, _pg_admin, _pg_url, run

pytestmark = pytest.mark.slow

BEFORE_THE_CHAIN = "2026-11-21T05:38:50:424259"
ROWS = [
    ("2026-01-05T10:00:00.123456+00:00", "identity.read", '{"reason": "Rückfrage"}'),
    ("2026-01-06T11:30:00+00:00", "placement.accept", '{"state": {"from": "proposed"}}'),
    ("2026-01-07T09:15:00.5+00:00", "slot.created", "{}"),
]


def _command(url: str, tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    environment = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "PORTAL_ENVIRONMENT": "development",
        "DATABASE_URL": url,
        "PORTAL_VAR_DIR": str(tmp_path / "var"),
        **clock.subprocess_env(),
    }
    return subprocess.run(
        [str(ROOT / ".venv" / "bin" / args[0]), *args[1:]],
        env=environment,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        stdin=subprocess.DEVNULL,
    )


@pytest.fixture
def database(tmp_path):
    if ENGINE != "postgres":
        yield f"sqlite:///{tmp_path / 'old.sqlite3'}"
        return
    name = f"portal_audit_migration_{uuid.uuid4().hex[:8]}"
    run(_pg_admin(f'CREATE DATABASE "{name}"'))
    yield _pg_url(name)
    run(_pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def _insert_old_rows(url: str) -> None:
    statement = (
        "INSERT INTO audit_event (at, actor_id, action, record_type, record_id, address, detail)"
        " VALUES ({}, {}, {}, 'thing', '1', '', {})"
    )
    if ENGINE != "postgres":
        with sqlite3.connect(url.removeprefix("sqlite:///")) as connection:
            for at, action, detail in ROWS:
                connection.execute(
                    statement.replace("{}", "?"), (at, str(uuid.uuid4()), action, detail)
                )
        return
    import asyncpg

    async def insert() -> None:
        connection = await asyncpg.connect(url)
        try:
            for at, action, detail in ROWS:
                await connection.execute(
                    "INSERT INTO audit_event (at, actor_id, action, record_type, record_id,"
                    " address, detail) VALUES ($1::timestamptz, $2, $3, 'thing', '1', '', $4)",
                    dt.datetime.fromisoformat(at),
                    uuid.uuid4(),
                    action,
                    detail,
                )
        finally:
            await connection.close()

    run(insert())


def test_the_migration_chains_the_rows_written_before_it(database, tmp_path):
    done = _command(
        database, tmp_path, "piccolo", "migrations", "forwards", "audit", BEFORE_THE_CHAIN
    )
    assert done.returncode == 0, done.stdout + done.stderr
    _insert_old_rows(database)
    done = _command(database, tmp_path, "portal", "migrate")
    assert done.returncode == 0, done.stdout + done.stderr
    done = _command(database, tmp_path, "portal", "audit", "verify")
    assert done.returncode == 0, done.stderr
    assert "3 row(s) verified" in done.stdout
