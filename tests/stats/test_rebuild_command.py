"""`portal stats rebuild`: recomputes the summary from the events and proves it equal."""

from __future__ import annotations

import sqlite3

from tests.conftest import run


def delete_summary(url: str) -> None:
    query = "DELETE FROM stats_summary WHERE metric = 'nominated'"
    if url.startswith("sqlite:///"):
        with sqlite3.connect(url.removeprefix("sqlite:///")) as connection:
            connection.execute(query)
        return

    async def delete() -> None:
        import asyncpg

        connection = await asyncpg.connect(url)
        try:
            await connection.execute(query)
        finally:
            await connection.close()

    run(delete())


def test_the_demo_summary_equals_its_rebuild_and_a_damaged_one_is_repaired(portal, cli_database):
    assert portal("migrate").returncode == 0
    seeded = portal("seed-demo")
    assert seeded.returncode == 0, seeded.stderr
    checked = portal("stats", "rebuild", "--check")
    assert checked.returncode == 0, checked.stderr
    assert "equals the one recomputed from the events" in checked.stdout
    delete_summary(cli_database)
    damaged = portal("stats", "rebuild", "--check")
    assert damaged.returncode == 1
    assert "differ from the events" in damaged.stderr
    repaired = portal("stats", "rebuild")
    assert repaired.returncode == 0, repaired.stderr
    assert "differed and were replaced" in repaired.stdout
    assert "equals" in portal("stats", "rebuild", "--check").stdout
