"""The `portal` command, run as a subprocess against a fresh database of its own."""

from __future__ import annotations

import contextlib
import os
import sqlite3
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from portal.api.demo import DEMO_TOKENS
from portal.demo import USERS
from portal.settings import ROOT
from tests import clock
from tests.conftest import ENGINE, PG_ADMIN_URL, _pg_admin, run

pytestmark = pytest.mark.slow

PORTAL = ROOT / ".venv" / "bin" / "portal"
OPERATOR_PASSWORD = "Leitstelle-Kompass-2026"


@pytest.fixture
def cli_database(
    request: pytest.FixtureRequest, template_database: str, tmp_path: Path
) -> Iterator[str]:
    """An empty database: a new SQLite file, or a new PostgreSQL database (dropped afterwards).

    For a test marked `migrated`, a copy of the tests' template instead: what `portal migrate`
    makes (tested from an empty database below) plus the shipped reference data, without a
    subprocess more for a test about another command."""
    migrated = request.node.get_closest_marker("migrated") is not None
    if ENGINE == "postgres":
        name = f"portal_cli_{uuid.uuid4().hex[:10]}"
        template = f' TEMPLATE "{template_database.rsplit("/", 1)[1]}"' if migrated else ""
        run(_pg_admin(f'CREATE DATABASE "{name}"{template}'))
        yield f"{PG_ADMIN_URL.rsplit('/', 1)[0]}/{name}"
        run(_pg_admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    else:
        path = tmp_path / "cli.sqlite3"
        if migrated:
            source = template_database.removeprefix("sqlite:///")
            with (
                contextlib.closing(sqlite3.connect(source)) as origin,
                contextlib.closing(sqlite3.connect(path)) as copy,
            ):
                origin.backup(copy)
        yield f"sqlite:///{path}"


@pytest.fixture
def portal(cli_database: str, tmp_path: Path):  # type: ignore[no-untyped-def]
    """Run `portal ARGS…` with only the settings this test gives it."""

    def invoke(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
        environment = {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "HOME": str(tmp_path),
            "PORTAL_ENVIRONMENT": "development",
            "DATABASE_URL": cli_database,
            "PORTAL_VAR_DIR": str(tmp_path / "var"),
            **clock.subprocess_env(),
            **env,
        }
        return subprocess.run(
            [str(PORTAL), *args],
            env=environment,
            capture_output=True,
            text=True,
            timeout=120,
            stdin=subprocess.DEVNULL,
        )

    return invoke


def users(url: str) -> list[tuple[str, str]]:
    """(e-mail, role) of every user, read with the plain driver."""
    return rows(url, "SELECT email, role FROM portal_user ORDER BY email")


def rows(url: str, query: str) -> list[tuple[Any, ...]]:
    """The rows of `query`, read with the plain driver."""
    if url.startswith("sqlite:///"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as connection:
            return [tuple(row) for row in connection.execute(query)]

    async def fetch() -> list[tuple[Any, ...]]:
        import asyncpg

        connection = await asyncpg.connect(url)
        try:
            return [tuple(row) for row in await connection.fetch(query)]
        finally:
            await connection.close()

    return run(fetch())


def test_it_migrates_an_empty_database_and_again(portal, cli_database):
    first = portal("migrate")
    assert first.returncode == 0, first.stderr
    assert "Database is up to date." in first.stdout
    second = portal("migrate")
    assert second.returncode == 0, second.stderr
    assert "Database is up to date." in second.stdout
    assert users(cli_database) == []


def test_it_seeds_the_demo_once_and_prints_what_it_holds(portal, cli_database):
    portal("migrate")
    first = portal("seed-demo")
    assert first.returncode == 0, first.stderr
    seeded = users(cli_database)
    assert len(seeded) == len(USERS)
    assert "Demo candidates: 12" in first.stdout
    assert "Placements: 1 requested, 2 proposed, 2 accepted, 1 declined" in first.stdout
    second = portal("seed-demo")
    assert second.returncode == 0, second.stderr
    assert users(cli_database) == seeded
    for email, _name, role, _organisation in USERS:
        assert email in second.stdout
        assert (email, role.value) in seeded
    assert "Demo candidates: 12" in second.stdout
    # Besides them, the past year's closed and erased cases of the statistics (stats/demo.py).
    query = "SELECT COUNT(*) FROM candidate WHERE code NOT LIKE 'K-HIST-%'"
    assert rows(cli_database, query) == [(12,)]
    # The demo's API tokens, printed to try the API with.
    assert second.stdout.count("ppt_demo-") == len(DEMO_TOKENS)


@pytest.mark.migrated
def test_it_refuses_demo_data_in_production(portal, cli_database):
    result = portal(
        "seed-demo",
        PORTAL_ENVIRONMENT="production",
        SECRET_KEY="p" * 40,
        IDENTITY_KEY="AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
        DUPLICATE_HASH_KEY="d" * 40,
    )
    assert result.returncode != 0
    assert "demo data is refused in production" in result.stderr
    assert users(cli_database) == []


@pytest.mark.migrated
def test_it_creates_an_operator_admin(portal, cli_database):
    result = portal(
        "create-operator",
        "--email",
        "Leitung@Koordination.example.org",
        "--name",
        "Lea Leitung",
        PORTAL_PASSWORD=OPERATOR_PASSWORD,
    )
    assert result.returncode == 0, result.stderr
    assert "Operator admin created." in result.stdout
    assert users(cli_database) == [("leitung@koordination.example.org", "operator_admin")]
    assert OPERATOR_PASSWORD not in result.stdout + result.stderr


@pytest.mark.migrated
def test_it_refuses_a_weak_operator_password(portal, cli_database):
    result = portal(
        "create-operator", "--email", "a@example.org", "--name", "A", PORTAL_PASSWORD="passwort"
    )
    assert result.returncode != 0
    assert "Error: Use at least 12 characters." in result.stderr
    assert "This password is too common." in result.stderr
    assert users(cli_database) == []


@pytest.mark.migrated
def test_it_refuses_a_second_operator_with_the_same_email(portal, cli_database):
    args = ("create-operator", "--email", "lea@example.org", "--name", "Lea")
    assert portal(*args, PORTAL_PASSWORD=OPERATOR_PASSWORD).returncode == 0
    again = portal(
        "create-operator",
        "--email",
        "LEA@example.org",
        "--name",
        "Lea Zwei",
        PORTAL_PASSWORD=OPERATOR_PASSWORD,
    )
    assert again.returncode != 0
    assert "a user with this e-mail address exists already" in again.stderr
    assert users(cli_database) == [("lea@example.org", "operator_admin")]


def test_it_names_a_malformed_setting(portal):
    result = portal("migrate", DATABASE_URL="mysql://portal@db/portal")
    assert result.returncode != 0
    assert "configuration: DATABASE_URL:" in result.stderr
    assert "Traceback" not in result.stderr


def write_outbox_message(url: str, address: str) -> None:
    """One due outbox message, written with the plain driver (as a transition would)."""
    import json

    context = json.dumps(
        {
            "placement_id": str(uuid.uuid4()),
            "code": "K-7Q4M2",
            "slot_title": "Praktikum Metallbau",
            "employer": "Metallbau Kassel GmbH",
            "agency": "Jobcenter Musterland",
            "action": "message",
        }
    )
    values = (str(uuid.uuid4()), address, "en", "placement_message", context)
    if url.startswith("sqlite:///"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as connection:
            connection.execute(
                "INSERT INTO outbox_message (id, to_address, language, template, context,"
                " available_at) VALUES (?, ?, ?, ?, ?, '2000-01-01T00:00:00+00:00')",
                values,
            )
        return

    async def insert() -> None:
        import asyncpg

        connection = await asyncpg.connect(url)
        try:
            await connection.execute(
                "INSERT INTO outbox_message (id, to_address, language, template, context)"
                " VALUES ($1::uuid, $2, $3, $4, $5::json)",
                *values,
            )
        finally:
            await connection.close()

    run(insert())


@pytest.mark.migrated
def test_the_worker_sends_the_due_mails_once_and_stops_on_sigterm(
    portal, cli_database, smtp_server, mailbox, tmp_path
):
    import signal
    import time

    smtp = {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(smtp_server[0])}
    write_outbox_message(cli_database, "emma@example.org")
    once = portal("worker", "--once", **smtp)
    assert once.returncode == 0, once.stderr
    assert mailbox.last_to("emma@example.org")["Subject"] == "New message about K-7Q4M2"
    assert "emma@example.org" not in once.stdout + once.stderr

    # A worker that keeps running sends the next message (not the first again) and stops on
    # SIGTERM after its round.
    write_outbox_message(cli_database, "erik@example.org")
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "DATABASE_URL": cli_database,
        "PORTAL_VAR_DIR": str(tmp_path / "var"),
        **clock.subprocess_env(),
        **smtp,
    }
    log = tmp_path / "worker.log"
    with log.open("w") as stderr:
        worker = subprocess.Popen([str(PORTAL), "worker"], env=env, stderr=stderr)
        deadline = time.monotonic() + 30
        while len(mailbox.messages) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        worker.send_signal(signal.SIGTERM)
        assert worker.wait(timeout=30) == 0
    assert sorted(m["To"] for m in mailbox.messages) == ["emma@example.org", "erik@example.org"]
    assert "worker stopped" in log.read_text()
