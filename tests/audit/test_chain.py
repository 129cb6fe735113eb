"""The audit log is append-only and chained: an edit, a gap or a lost end shows in verify; the
retention job removes the oldest rows and the chain still verifies."""

from __future__ import annotations

import asyncio
import datetime as dt
import uuid
from typing import Any

import pytest

from portal.audit import chain
from portal.audit.services import record
from portal.audit.tables import AuditChain, AuditEvent
from portal.clock import now, today
from portal.placements.jobs import run_jobs
from portal.reference.limits import save_limit
from portal.storage import storage_from_settings
from tests.candidates.privacy import portal
from tests.conftest import ENGINE, run

postgres_only = pytest.mark.skipif(ENGINE != "postgres", reason="the trigger is PostgreSQL's")


def write(count: int, action: str = "test.event") -> None:
    for number in range(count):
        run(record(action, record_type="thing", record_id=str(number), n=number, id=uuid.uuid4()))


def ids() -> list[int]:
    return [row["id"] for row in run(AuditEvent.select(AuditEvent.id).order_by(AuditEvent.id))]


def behind_the_portals_back(*statements: str) -> None:
    """Statements as the database's superuser would send them: on PostgreSQL with the
    append-only trigger disabled for the moment (in one transaction)."""
    db = AuditEvent._meta.db
    if ENGINE == "postgres":
        statements = (
            "ALTER TABLE audit_event DISABLE TRIGGER audit_event_append_only",
            *statements,
            "ALTER TABLE audit_event ENABLE TRIGGER audit_event_append_only",
        )

    async def send() -> None:
        async with db.transaction():
            for statement in statements:
                await AuditEvent.raw(statement)

    run(send())


def test_each_row_carries_the_hash_of_the_one_before(app):
    write(3)
    rows = run(AuditEvent.select().order_by(AuditEvent.id))
    assert rows[0]["prev_hash"] == chain.GENESIS
    assert [row["prev_hash"] for row in rows[1:]] == [row["hash"] for row in rows[:-1]]
    assert all(chain.row_hash(row["prev_hash"], row) == row["hash"] for row in rows)
    head = run(AuditChain.select().first())
    assert (head["head_id"], head["head_hash"]) == (rows[-1]["id"], rows[-1]["hash"])
    assert run(chain.verify()) == chain.Verification(3, None)


def test_concurrent_writers_do_not_fork_the_chain(app):
    async def many() -> None:
        await asyncio.gather(
            *(record("test.race", record_type="thing", record_id=str(n)) for n in range(12))
        )

    run(many())
    assert run(AuditEvent.count()) == 12
    result = run(chain.verify())
    assert result.ok and result.rows == 12
    hashes = [row["prev_hash"] for row in run(AuditEvent.select(AuditEvent.prev_hash))]
    assert len(set(hashes)) == 12  # no two rows follow the same one


def test_a_rolled_back_write_leaves_the_chain_intact(app):
    write(1)

    async def fail() -> None:
        async with AuditEvent._meta.db.transaction():
            await record("test.lost", record_type="thing", record_id="x")
            raise RuntimeError("the change around it failed")

    with pytest.raises(RuntimeError):
        run(fail())
    write(1)
    assert run(chain.verify()) == chain.Verification(2, None)


@postgres_only
@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_event SET action = 'forged'",
        "DELETE FROM audit_event",
        "TRUNCATE audit_event",
    ],
)
def test_postgres_refuses_to_change_or_delete_audit_rows(app, statement):
    import asyncpg

    write(2)
    with pytest.raises(asyncpg.exceptions.InsufficientPrivilegeError, match="append-only"):
        run(AuditEvent.raw(statement))
    assert run(AuditEvent.count()) == 2


def test_verify_finds_a_row_altered_behind_the_portals_back(app):
    write(4)
    second = ids()[1]
    behind_the_portals_back(f"UPDATE audit_event SET record_id = 'other' WHERE id = {second}")  # noqa: S608
    assert run(chain.verify()).broken == chain.Break(second, "was changed after it was written")


def test_verify_finds_an_altered_row_even_when_its_hash_was_recomputed(app):
    write(4)
    second, third = ids()[1:3]
    behind_the_portals_back(
        f"UPDATE audit_event SET hash = '{'f' * 64}' WHERE id = {second}"  # noqa: S608
    )
    broken = run(chain.verify()).broken
    # The row itself no longer matches its hash: found there.
    assert broken is not None and broken.row_id == second
    behind_the_portals_back(f"DELETE FROM audit_event WHERE id = {second}")  # noqa: S608
    assert run(chain.verify()).broken.row_id == third  # type: ignore[union-attr]


def test_verify_finds_a_gap(app):
    write(5)
    row_ids = ids()
    behind_the_portals_back(f"DELETE FROM audit_event WHERE id = {row_ids[2]}")  # noqa: S608
    broken = run(chain.verify()).broken
    assert broken is not None and broken.row_id == row_ids[3]
    assert "does not follow" in broken.problem


def test_verify_finds_a_lost_end(app):
    write(3)
    row_ids = ids()
    behind_the_portals_back(f"DELETE FROM audit_event WHERE id = {row_ids[-1]}")  # noqa: S608
    broken = run(chain.verify()).broken
    assert broken is not None and broken.row_id == row_ids[-2]


def test_verify_finds_a_row_slipped_in(app):
    write(2)
    behind_the_portals_back(
        "INSERT INTO audit_event (at, action, record_type, record_id, address, detail,"
        " prev_hash, hash) VALUES ('2026-01-01T00:00:00+00:00', 'forged', 'thing', '1', '',"
        " '[]', '', '')"
    )
    broken = run(chain.verify()).broken
    assert broken is not None and broken.row_id == ids()[-1]


def _written_months_ago(months: int, count: int, time_machine: Any) -> None:
    time_machine.move_to(chain.retention_cutoff(months, now()), tick=True)
    write(count, f"test.{months}_months_ago")


def test_retention_removes_the_oldest_rows_and_the_chain_still_verifies(app, time_machine):
    moment = now()
    _written_months_ago(30, 3, time_machine)
    _written_months_ago(25, 2, time_machine)
    time_machine.move_to(moment, tick=True)
    write(2)
    kept = ids()[5:]
    removed = run(chain.remove_expired(chain.retention_cutoff(24)))
    assert removed == 5
    assert ids() == kept
    assert run(chain.verify()) == chain.Verification(2, None)
    write(1)
    assert run(chain.verify()) == chain.Verification(3, None)
    assert run(chain.remove_expired(chain.retention_cutoff(24))) == 0


@postgres_only
def test_the_retention_setting_does_not_outlive_its_transaction(app, time_machine):
    import asyncpg

    moment = now()
    _written_months_ago(30, 1, time_machine)
    time_machine.move_to(moment, tick=True)
    write(1)
    assert run(chain.remove_expired(chain.retention_cutoff(24))) == 1
    with pytest.raises(asyncpg.exceptions.InsufficientPrivilegeError):
        run(AuditEvent.raw("DELETE FROM audit_event"))


def test_retention_deletes_only_a_prefix_of_the_chain(app, time_machine):
    """A young row written before an old one (a clock set back) stops the deletion there."""
    moment = now()
    _written_months_ago(30, 1, time_machine)
    time_machine.move_to(moment, tick=True)
    write(1)
    _written_months_ago(30, 1, time_machine)
    time_machine.move_to(moment, tick=True)
    assert run(chain.remove_expired(chain.retention_cutoff(24))) == 1
    assert len(ids()) == 2
    assert run(chain.verify()).ok


def test_the_cutoff_counts_calendar_months():
    moment = dt.datetime(2027, 3, 31, 12, tzinfo=dt.UTC)
    assert chain.retention_cutoff(1, moment) == dt.datetime(2027, 2, 28, 12, tzinfo=dt.UTC)
    assert chain.retention_cutoff(24, moment) == dt.datetime(2025, 3, 31, 12, tzinfo=dt.UTC)


def test_the_verify_command_reports_the_first_broken_row(app, settings, tmp_path):
    write(3)
    done = portal(settings, tmp_path, "audit", "verify")
    assert done.returncode == 0, done.stderr
    assert "3 row(s) verified" in done.stdout
    second = ids()[1]
    behind_the_portals_back(f"UPDATE audit_event SET address = '10.0.0.1' WHERE id = {second}")  # noqa: S608
    done = portal(settings, tmp_path, "audit", "verify")
    assert done.returncode == 1
    assert f"row {second} was changed" in done.stderr


def test_the_remove_expired_command_uses_the_limit(app, settings, tmp_path, time_machine):
    moment = now()
    _written_months_ago(13, 2, time_machine)
    time_machine.move_to(moment, tick=True)
    write(1)
    done = portal(settings, tmp_path, "audit", "remove-expired")
    assert "0 audit row(s)" in done.stdout, done.stderr
    run(save_limit("audit_retention_months", 12, actor_id=None, actor_organisation_id=None))
    done = portal(settings, tmp_path, "audit", "remove-expired")
    assert "2 audit row(s)" in done.stdout, done.stderr
    assert portal(settings, tmp_path, "audit", "verify").returncode == 0


def test_the_workers_daily_round_removes_what_is_past_the_limit(app, settings, time_machine):
    moment = now()
    _written_months_ago(30, 2, time_machine)
    time_machine.move_to(moment, tick=True)
    write(1)
    storage = storage_from_settings(settings)
    counts = run(run_jobs(settings, storage, today=today(), daily=False))
    assert "audit_removed" not in counts and run(AuditEvent.count()) == 3
    counts = run(run_jobs(settings, storage, today=today()))
    assert counts["audit_removed"] == 2
    assert run(chain.verify()).ok
