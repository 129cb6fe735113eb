"""`portal stats rebuild`: recomputes the summary from the events and proves it equal."""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest

from portal.candidates.demo import seed_candidates
from portal.candidates.tables import Candidate
from portal.demo import seed
from portal.placements.demo import seed_placements
from portal.stats import summary
from portal.stats.demo import seed_history
from tests.candidates.privacy import portal as command
from tests.conftest import run

pytestmark = pytest.mark.slow


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


def test_the_demo_summary_equals_its_rebuild_and_a_damaged_one_is_repaired(app, settings, tmp_path):
    # The demo as `portal seed-demo` loads it (run as a command in tests/ops/test_cli.py), here
    # in the test's process: the commands below are what this test is about.
    async def demo() -> None:
        async with Candidate._meta.db.transaction():
            await seed()
            await seed_candidates(settings)
        await seed_placements()
        await seed_history()
        await summary.rebuild()

    run(demo())

    def portal(*args: str) -> Any:
        return command(settings, tmp_path, *args)

    assert run(summary.rebuild(write=False)).equal  # what `--check` asks
    delete_summary(settings.database_url)
    damaged = portal("stats", "rebuild", "--check")
    assert damaged.returncode == 1
    assert "differ from the events" in damaged.stderr
    repaired = portal("stats", "rebuild")
    assert repaired.returncode == 0, repaired.stderr
    assert "differed and were replaced" in repaired.stdout
    checked = portal("stats", "rebuild", "--check")
    assert checked.returncode == 0, checked.stderr
    assert "equals the one recomputed from the events" in checked.stdout
