"""`portal worker` sends the webhooks' deliveries too: the demo's, re-aimed at a receiver."""

from __future__ import annotations

import json
import sqlite3

import pytest

from tests.conftest import run
from tests.ops.test_cli import cli_database, portal  # noqa: F401 - fixtures used here

pytestmark = pytest.mark.slow


def execute(url: str, *statements: tuple[str, tuple[object, ...]]) -> None:
    """Run statements with the plain driver (`?` placeholders, rewritten for PostgreSQL)."""
    if url.startswith("sqlite:///"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as connection:
            for sql, values in statements:
                connection.execute(sql, values)
        return

    async def apply() -> None:
        import asyncpg

        connection = await asyncpg.connect(url)
        try:
            for sql, values in statements:
                numbered = sql
                for n in range(1, len(values) + 1):
                    numbered = numbered.replace("?", f"${n}", 1)
                await connection.execute(numbered, *values)
        finally:
            await connection.close()

    run(apply())


@pytest.mark.migrated
def test_the_worker_sends_the_waiting_deliveries(portal, cli_database, receiver):  # noqa: F811
    seeded = portal("seed-demo")
    assert seeded.returncode == 0, seeded.stderr
    # The demo's endpoint, resumed and pointed at the test's receiver; its log as if unsent.
    execute(
        cli_database,
        ("UPDATE webhook_endpoint SET url = ?, paused_at = NULL", (receiver.url,)),
        ("UPDATE webhook_delivery SET delivered_at = NULL, attempts = 0", ()),
    )
    once = portal("worker", "--once")
    assert once.returncode == 0, once.stderr
    types = sorted(json.loads(got.body)["type"] for got in receiver.requests)
    assert len(types) >= 10
    assert {"nomination.received", "placement.state_changed"} <= set(types)
    assert all(
        got.headers["Portal-Webhook-Signature"].startswith("v1=") for got in receiver.requests
    )
    assert receiver.url not in once.stdout + once.stderr  # no address in the logs
