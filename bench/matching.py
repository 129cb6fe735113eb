"""Latency of the matching: slots ranked for a candidate, candidates ranked for a slot.

    .venv/bin/python bench/matching.py [--database postgres|sqlite] [--slots 20000]
                                       [--candidates 50000] [--caseload 2000] [--runs 30]
                                       [--explain]

Builds a fresh database (a throw-away PostgreSQL database, or a temporary SQLite file),
migrates it, loads the KldB occupations, and bulk-inserts `--slots` open slots of 2,000
approved employers and `--candidates` active candidates (desired occupations, training or
experience, reachable municipalities, a consent in force — to the talent pool for about
two thirds) spread over case managers with `--caseload` cases each. Then it times the
matching functions themselves (one count and one page query each, as the pages call them):
`slots_for_candidate` for different candidates, `candidates_for_slot` for different slots
over the employer's talent pool and over one case manager's caseload. Prints median, 95th
percentile and maximum in milliseconds; `--explain` prints PostgreSQL's plan of each page
query. The database is dropped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
LEVELS = ["A1", "A2", "B1", "B2", "C1"]
EMPLOYERS = 2000


class Loader:
    """Bulk inserts: COPY through asyncpg on PostgreSQL, executemany on SQLite."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.connection: Any = None

    async def __aenter__(self) -> Loader:
        if self.url.startswith("postgresql"):
            import asyncpg

            self.connection = await asyncpg.connect(self.url)
        else:
            self.connection = sqlite3.connect(self.url.removeprefix("sqlite:///"))
        return self

    async def __aexit__(self, *exc: object) -> None:
        if isinstance(self.connection, sqlite3.Connection):
            self.connection.commit()
            self.connection.close()
        else:
            await self.connection.close()

    async def insert(self, table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
        if isinstance(self.connection, sqlite3.Connection):
            names = ", ".join(f'"{c}"' for c in columns)
            marks = ", ".join("?" for _ in columns)
            sqlite_rows = [tuple(_sqlite(value) for value in row) for row in rows]
            self.connection.executemany(
                f'INSERT INTO "{table}" ({names}) VALUES ({marks})',  # noqa: S608
                sqlite_rows,
            )
        else:
            await self.connection.copy_records_to_table(table, records=rows, columns=columns)


def _sqlite(value: Any) -> Any:
    """As Piccolo stores values in SQLite: UUIDs and dates as text, timestamps in UTC."""
    if isinstance(value, uuid.UUID):
        return str(value)
    if isinstance(value, dt.datetime):
        return str(value.astimezone(dt.UTC))
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


async def prepare(url: str, slots: int, candidates: int, caseload: int) -> dict[str, Any]:
    os.environ["DATABASE_URL"] = url
    from piccolo.apps.migrations.commands.forwards import run_forwards

    from portal.accounts.tables import OrgKind, OrgStatus, Role
    from portal.db import bind_tables, engine_from_url
    from portal.reference.loading import load_reference
    from portal.reference.tables import Municipality, Occupation

    bind_tables(engine_from_url(url))
    result = await run_forwards(app_name="all")
    assert result.success, result.message
    await load_reference()
    await Municipality.insert(*[Municipality(name=f"Gemeinde {n}") for n in range(40)])
    places = [row["id"] for row in await Municipality.select(Municipality.id)]
    codes = [
        row["code"] for row in await Occupation.select(Occupation.code).where(Occupation.level == 5)
    ]
    rng = random.Random(2026)  # the same test data every run
    today = dt.date.today()
    moment = dt.datetime.now(dt.UTC)

    async with Loader(url) as load:
        employers = [uuid.uuid4() for _ in range(EMPLOYERS)]
        agencies = [uuid.uuid4() for _ in range(max(1, candidates // (caseload * 5)))]
        await load.insert(
            "organisation",
            ["id", "kind", "name", "status"],
            [(e, OrgKind.employer.value, f"Betrieb {n}", OrgStatus.active.value)
             for n, e in enumerate(employers)]
            + [(a, OrgKind.case_management.value, f"Träger {n}", OrgStatus.active.value)
               for n, a in enumerate(agencies)],
        )  # fmt: skip
        workers = [uuid.uuid4() for _ in range(max(1, candidates // caseload))]
        await load.insert(
            "portal_user",
            ["id", "email", "display_name", "organisation", "role", "password_hash"],
            [(w, f"fm{n}@bench.test", f"Fallmanager {n}", agencies[n % len(agencies)],
              Role.case_manager.value, "-") for n, w in enumerate(workers)],
        )  # fmt: skip
        slot_rows = []
        for n in range(slots):
            code = rng.choice(codes)
            start = today + dt.timedelta(days=rng.randint(1, 180))
            flexible = rng.random() < 0.3
            duration = rng.randint(5, 28)
            window = duration + rng.randint(0, 30) if flexible else duration
            end = start + dt.timedelta(days=window - 1)
            slot_rows.append((
                uuid.uuid4(), employers[n % EMPLOYERS], f"Praktikum {code}",
                "orientation_internship", code, code[:1], code[:2], code[:3],
                rng.choice([None, *LEVELS[:4]]), rng.choice(places), start, end, flexible,
                duration, rng.choice([20, 30, 35, 39, 40]), rng.random() < 0.2, "open",
            ))  # fmt: skip
        await load.insert(
            "slot",
            ["id", "employer", "title", "kind", "occupation", "occupation_area",
             "occupation_main_group", "occupation_group", "min_german", "municipality",
             "start_date", "end_date", "flexible", "duration_days", "hours_per_week",
             "shift_work", "status"],
            slot_rows,
        )  # fmt: skip
        people, occupations, reachable, consents = [], [], [], []
        for n in range(candidates):
            cid = uuid.uuid4()
            worker = n % len(workers)
            people.append((
                cid, f"K-{n:08d}", agencies[worker % len(agencies)], workers[worker], "active",
                rng.choice([None, *LEVELS]), rng.random() < 0.3,
                rng.choice([None, today + dt.timedelta(days=rng.randint(0, 90))]),
                rng.choice([None, 20, 30, 40]), rng.random() < 0.5, moment,
            ))  # fmt: skip
            for kind, count in (("desired", rng.randint(1, 2)), ("experience", rng.randint(0, 2))):
                for code in rng.sample(codes, count):
                    occupations.append((cid, kind, code, code[:1], code[:2], code[:3]))
            for place in rng.sample(places, rng.randint(1, 3)):
                reachable.append((cid, place))
            consents.append((
                uuid.uuid4(), cid, True, rng.random() < 0.67, True, today, "signed_form",
                "2026-01", "de",
            ))  # fmt: skip
        await load.insert(
            "candidate",
            ["id", "code", "organisation", "case_manager", "status", "german_level",
             "german_in_course", "earliest_start", "hours_per_week", "shift_work",
             "activated_at"],
            people,
        )  # fmt: skip
        await load.insert(
            "candidate_occupation",
            ["candidate", "kind", "occupation", "occupation_area", "occupation_main_group",
             "occupation_group"],
            occupations,
        )  # fmt: skip
        await load.insert("candidate_municipality", ["candidate", "municipality"], reachable)
        await load.insert(
            "consent",
            ["id", "candidate", "show_profile", "talent_pool", "release_identity", "given_on",
             "method", "text_version", "language"],
            consents,
        )  # fmt: skip
    # Fresh tables have no planner statistics yet, and on PostgreSQL no visibility map for
    # index-only scans: in production autovacuum gathers both.
    postgres = url.startswith("postgresql")
    await Municipality.raw("VACUUM ANALYZE" if postgres else "ANALYZE")
    return {
        "candidates": [row[0] for row in rng.sample(people, 10)],
        "slots": [row[0] for row in rng.sample(slot_rows, 10)],
        "worker": workers[0],
    }


async def measure(call: Callable[[int], Awaitable[Any]], runs: int) -> tuple[float, ...]:
    await call(0)  # warm-up: caches, the pool's first connection
    latencies = []
    for n in range(runs):
        started = time.perf_counter()
        await call(n)
        latencies.append((time.perf_counter() - started) * 1000)
    latencies.sort()
    p95 = latencies[max(0, round(len(latencies) * 0.95) - 1)]
    return statistics.median(latencies), p95, latencies[-1]


async def explain(url: str, call: Callable[[int], Awaitable[Any]]) -> None:
    """PostgreSQL's plan of the page query (the one with LIMIT) of one call."""
    import asyncpg
    from piccolo.engine.postgres import PostgresEngine

    seen: list[Any] = []
    original = PostgresEngine.run_querystring

    async def capture(self: Any, querystring: Any, *args: Any, **kwargs: Any) -> Any:
        seen.append(querystring)
        return await original(self, querystring, *args, **kwargs)

    PostgresEngine.run_querystring = capture  # type: ignore[method-assign]
    try:
        await call(0)
    finally:
        PostgresEngine.run_querystring = original  # type: ignore[method-assign]
    for querystring in seen:
        sql, args = querystring.compile_string(engine_type="postgres")
        if "LIMIT" not in sql:
            continue
        connection = await asyncpg.connect(url)
        rows = await connection.fetch(f"EXPLAIN ANALYZE {sql}", *args)
        await connection.close()
        print("\n".join(row["QUERY PLAN"] for row in rows), end="\n\n")


async def run_bench(url: str, data: dict[str, Any], runs: int, show_plans: bool) -> None:
    from portal.auth import load_user
    from portal.candidates.access import caseload_where
    from portal.candidates.tables import Candidate
    from portal.employers.tables import Slot
    from portal.placements import matching

    engine = Slot._meta.db
    if engine.engine_type == "postgres":
        await engine.start_connection_pool(min_size=1, max_size=2)
    today = dt.date.today()
    slots = [await Slot.select().where(Slot.id == sid).first() for sid in data["slots"]]
    people = [
        await Candidate.select().where(Candidate.id == cid).first() for cid in data["candidates"]
    ]
    worker = await load_user(str(data["worker"]), None)
    assert worker is not None
    where = caseload_where(worker, shared=False)
    cases: list[tuple[str, Callable[[int], Awaitable[Any]]]] = [
        (
            "slots_for_candidate (all open slots)",
            lambda n: matching.slots_for_candidate(people[n % 10], today=today, number=1),
        ),
        (
            "candidates_for_slot (talent pool)",
            lambda n: matching.candidates_for_slot(
                slots[n % 10], where=None, today=today, number=1
            ),
        ),
        (
            "candidates_for_slot (one caseload)",
            lambda n: matching.candidates_for_slot(
                slots[n % 10], where=where, today=today, number=1
            ),
        ),
    ]
    print(f"{'call':<40} {'median ms':>10} {'p95 ms':>10} {'max ms':>10}")
    try:
        for name, call in cases:
            median, p95, worst = await measure(call, runs)
            print(f"{name:<40} {median:>10.1f} {p95:>10.1f} {worst:>10.1f}")
        if show_plans and engine.engine_type == "postgres":
            for name, call in cases:
                print(f"\n-- {name}")
                await explain(url, call)
    finally:
        if engine.engine_type == "postgres":
            await engine.close_connection_pool()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="postgres")
    parser.add_argument("--slots", type=int, default=20_000)
    parser.add_argument("--candidates", type=int, default=50_000)
    parser.add_argument("--caseload", type=int, default=2_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--explain", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the database, print its URL")
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="portal-bench-"))
    name = f"portal_bench_{uuid.uuid4().hex[:8]}"

    async def admin(sql: str) -> None:
        import asyncpg

        connection = await asyncpg.connect(ADMIN_URL)
        await connection.execute(sql)
        await connection.close()

    if args.database == "postgres":
        asyncio.run(admin(f'CREATE DATABASE "{name}"'))
        url = ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    else:
        url = f"sqlite:///{workdir / 'bench.sqlite3'}"
    try:
        started = time.perf_counter()
        data = asyncio.run(prepare(url, args.slots, args.candidates, args.caseload))
        print(
            f"{args.database}: {args.slots} open slots, {args.candidates} active candidates "
            f"(caseload {args.caseload}) loaded in {time.perf_counter() - started:.1f} s; "
            f"{args.runs} runs each"
        )
        asyncio.run(run_bench(url, data, args.runs, args.explain))
    finally:
        if args.keep:
            print(f"kept: {url}")
        elif args.database == "postgres":
            asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        if not args.keep:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
