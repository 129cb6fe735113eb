"""The statistics at federal-state scale: millions of placement events on PostgreSQL.

    .venv/bin/python bench/stats.py [--events 3000000] [--employers 3000] [--repeat 15]
                                    [--keep] [--database NAME] [--served-only]

Builds a throw-away PostgreSQL database (TEST_POSTGRES_URL's server), migrates it, and writes
`--events` placement events (with their placements, candidates, slots and employers) spread
over the last three years, with COPY. Then `portal stats rebuild`'s function builds the
summary from the events (timed), and the app (in process, Litestar's TestClient, a statistics
viewer of an authority logged in) answers the dashboard, two breakdowns and the xlsx export
`--repeat` times each: median and 95th percentile — once counted from the summary on every
request, once as served (the counts kept, counted ahead as the worker does). As served, it
also asks for a custom range of three years (which nobody counts ahead): the time of the
first answer ("being counted", the count started in the background), then asks again every
2 s as the page does until the figures come, and says how long that took. Prints what it
generated and measured. `--keep` keeps the database, `--database NAME` measures it again,
`--served-only` only as served.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import random
import statistics
import sys
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
ADMIN_URL = os.environ.get("TEST_POSTGRES_URL", "postgresql://postgres@127.0.0.1:5432/postgres")
PASSWORD = "Bench-Statistik-2026"  # noqa: S105 - a throw-away database
OCCUPATIONS = ["244", "513", "633", "262", "821", "121", "541", "293", "252", "343"]
KINDS = ["orientation_internship", "employer_measure", "job_shadowing", "training_slot"]
SIZES = ["micro", "small", "medium", "large"]
CHAMBERS = ["ihk", "hwk", "none"]
OUTCOMES = [
    "hired",
    "apprenticeship",
    "entry_qualification",
    "further_internship",
    "mini_job",
    "coaching",
    "no_offer",
]
ABORTS = ["attendance", "candidate_ended", "employer_ended", "mutual"]
DAYS = 3 * 365


def steps_of(rng: random.Random) -> tuple[list[tuple[str, str, str, str]], str | None]:
    """The (action, from, to, reason) steps of one placement, and its outcome."""
    steps = [("nominate", "", "proposed", "")]
    roll = rng.random()
    if roll < 0.2:
        return [*steps, ("decline", "proposed", "declined", "dates")], None
    steps += [("accept", "proposed", "accepted", ""), ("prepare", "accepted", "preparing", "")]
    if roll < 0.3:
        return [*steps, ("withdraw", "preparing", "withdrawn", "not_available")], None
    steps.append(("start", "preparing", "in_progress", ""))
    if roll < 0.42:
        return [*steps, ("abort", "in_progress", "aborted", rng.choice(ABORTS))], None
    steps.append(("complete", "in_progress", "completed", ""))
    outcome = rng.choice(OUTCOMES)
    steps.append(("record_outcome", "completed", "outcome", ""))
    if rng.random() < 0.6:
        steps.append(("follow_up.3", "", "", rng.choice(["employed", "not_employed"])))
    return steps, outcome


async def generate(url: str, events: int, employers: int, seed: int) -> dict[str, int]:
    import asyncpg

    os.environ["DATABASE_URL"] = url
    from piccolo.apps.migrations.commands.forwards import run_forwards

    from portal.accounts.passwords import hash_password
    from portal.db import bind_tables, engine_from_url
    from portal.reference.loading import load_reference

    bind_tables(engine_from_url(url))
    result = await run_forwards(app_name="all")
    assert result.success, result.message
    await load_reference()
    rng = random.Random(seed)
    now = dt.datetime.now(dt.UTC)
    connection = await asyncpg.connect(url)
    try:
        municipalities = [
            r["id"]
            for r in await connection.fetch(
                "INSERT INTO municipality (name, ags, district, active) SELECT 'Gemeinde ' || n, "
                "NULL, 'Bench', true FROM generate_series(1, 40) n RETURNING id"
            )
        ]
        programmes = [
            r["id"]
            for r in await connection.fetch(
                "INSERT INTO programme (name, description, active) SELECT 'Programm ' || n, '', "
                "true FROM generate_series(1, 6) n RETURNING id"
            )
        ]
        agency, authority = uuid.uuid4(), uuid.uuid4()
        orgs = [
            (agency, "case_management", "Jobcenter", None, None, "active", now),
            (authority, "authority", "Landesministerium", None, None, "active", now),
        ]
        employer_ids = [uuid.uuid4() for _ in range(employers)]
        orgs += [
            (e, "employer", f"Betrieb {i}", rng.choice(SIZES), rng.choice(CHAMBERS), "active", now)
            for i, e in enumerate(employer_ids)
        ]
        await connection.copy_records_to_table(
            "organisation",
            records=orgs,
            columns=["id", "kind", "name", "size_class", "chamber", "status", "created_at"],
        )
        await connection.execute(
            "INSERT INTO portal_user (email, display_name, organisation, role, password_hash, "
            "language, is_active, email_confirmed_at, failed_logins, created_at) VALUES "
            "($1, 'Statistik', $2, 'statistics_viewer', $3, 'de', true, now(), 0, now())",
            "statistik@bench.test",
            authority,
            await hash_password(PASSWORD),
        )
        slots = []
        for employer in employer_ids:
            for _ in range(2):
                occupation = rng.choice(OCCUPATIONS)
                start = (now - dt.timedelta(days=rng.randint(0, DAYS))).date()
                slots.append(
                    (
                        uuid.uuid4(),
                        employer,
                        "Praktikum",
                        rng.choice(KINDS),
                        occupation,
                        occupation[:1],
                        occupation[:2],
                        occupation[:3],
                        rng.choice(municipalities),
                        start,
                        start + dt.timedelta(days=13),
                        14,
                        30,
                        3,
                        "closed",
                        dt.datetime.combine(start, dt.time(8), dt.UTC),
                    )
                )
        await connection.copy_records_to_table(
            "slot",
            records=slots,
            columns=[
                "id",
                "employer",
                "title",
                "kind",
                "occupation",
                "occupation_area",
                "occupation_main_group",
                "occupation_group",
                "municipality",
                "start_date",
                "end_date",
                "duration_days",
                "hours_per_week",
                "places",
                "status",
                "published_at",
            ],
        )
        written = {"events": 0, "placements": 0, "candidates": 0}
        number = 0
        while written["events"] < events:
            candidates, placements, rows = [], [], []
            while len(rows) < 200_000 and written["events"] + len(rows) < events:
                number += 1
                candidate = uuid.uuid4()
                registered = now - dt.timedelta(days=rng.uniform(30, DAYS + 30))
                candidates.append(
                    (
                        candidate,
                        f"B{number:011d}",
                        agency,
                        rng.choice(programmes) if rng.random() < 0.9 else None,
                        "closed",
                        registered,
                        registered + dt.timedelta(days=rng.randint(1, 10)),
                    )
                )
                moment = registered + dt.timedelta(days=rng.randint(5, 40))
                for _ in range(rng.choice([1, 1, 2, 3])):
                    slot = rng.choice(slots)
                    placement = uuid.uuid4()
                    steps, outcome = steps_of(rng)
                    for action, source, target, reason in steps:
                        moment += dt.timedelta(days=rng.randint(1, 10), minutes=rng.randint(0, 600))
                        rows.append((placement, action, source, target, reason, min(moment, now)))
                    placements.append(
                        (
                            placement,
                            slot[0],
                            slot[1],
                            candidate,
                            agency,
                            steps[-1][2] or "outcome",
                            outcome,
                            moment - dt.timedelta(days=60),
                            min(moment, now),
                        )
                    )
            await connection.copy_records_to_table(
                "candidate",
                records=candidates,
                columns=[
                    "id",
                    "code",
                    "organisation",
                    "programme",
                    "status",
                    "created_at",
                    "activated_at",
                ],
            )
            await connection.copy_records_to_table(
                "placement",
                records=placements,
                columns=[
                    "id",
                    "slot",
                    "employer",
                    "candidate",
                    "agency",
                    "state",
                    "outcome",
                    "created_at",
                    "state_changed_at",
                ],
            )
            await connection.copy_records_to_table(
                "placement_event",
                records=rows,
                columns=["placement", "action", "from_state", "to_state", "reason", "created_at"],
            )
            written["events"] += len(rows)
            written["placements"] += len(placements)
            written["candidates"] += len(candidates)
            print(f"  … {written['events']:,} events", flush=True)
        await connection.execute("ANALYZE")
    finally:
        await connection.close()
    return written


def timed(client: Any, url: str, repeat: int) -> tuple[float, float, int, int]:
    """Median and p95 in ms, the size of the answer, and how many answers were not 200 (a
    count in the request past REQUEST_TIMEOUT_SECONDS answers 503)."""
    seconds = []
    failed = 0
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(url)
        seconds.append(time.perf_counter() - started)
        failed += response.status_code != 200
    seconds.sort()
    p95 = seconds[max(0, round(0.95 * len(seconds)) - 1)]
    return statistics.median(seconds) * 1000, p95 * 1000, len(response.content), failed


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=3_000_000)
    parser.add_argument("--employers", type=int, default=3000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--keep", action="store_true", help="keep the database afterwards")
    parser.add_argument("--database", help="measure a database kept by an earlier --keep run")
    parser.add_argument(
        "--served-only", action="store_true", help="skip the counts made in every request"
    )
    args = parser.parse_args()

    import asyncpg

    if args.database:
        migrate(f"{ADMIN_URL.rsplit('/', 1)[0]}/{args.database}")
        url = f"{ADMIN_URL.rsplit('/', 1)[0]}/{args.database}"
        measure(url, args.repeat, rebuild=False, served_only=args.served_only)
        return

    name = f"portal_bench_stats_{uuid.uuid4().hex[:8]}"
    url = f"{ADMIN_URL.rsplit('/', 1)[0]}/{name}"

    async def admin(statement: str) -> None:
        connection = await asyncpg.connect(ADMIN_URL)
        try:
            await connection.execute(statement)
        finally:
            await connection.close()

    asyncio.run(admin(f'CREATE DATABASE "{name}"'))
    try:
        started = time.perf_counter()
        written = asyncio.run(generate(url, args.events, args.employers, args.seed))
        print(
            f"generated {written['events']:,} placement events of {written['placements']:,} "
            f"placements, {written['candidates']:,} candidates, {args.employers:,} employers "
            f"in {time.perf_counter() - started:.0f} s"
        )
        measure(url, args.repeat, served_only=args.served_only)
    finally:
        if not args.keep:
            asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


def migrate(url: str) -> None:
    """Bring a kept database up to the code's migrations."""
    os.environ["DATABASE_URL"] = url
    from piccolo.apps.migrations.commands.forwards import run_forwards

    from portal.db import bind_tables, engine_from_url

    bind_tables(engine_from_url(url))
    result = asyncio.run(run_forwards(app_name="all"))
    assert result.success, result.message


def measure(url: str, repeat: int, *, rebuild: bool = True, served_only: bool = False) -> None:
    from portal.stats import summary

    os.environ["DATABASE_URL"] = url
    if rebuild:  # a kept database has its summary
        started = time.perf_counter()
        rebuilt = asyncio.run(summary.rebuild())
        print(
            f"summary rebuilt from {rebuilt.events:,} events into {rebuilt.rows:,} rows "
            f"in {time.perf_counter() - started:.0f} s"
        )
    if not served_only:
        print("\ncounted from the summary on every request (STATS_CACHE_SECONDS=0):")
        serve(url, repeat, keep_seconds=0)
    print("\nas served: the counts kept, counted ahead by the worker (STATS_CACHE_SECONDS=600):")
    serve(url, repeat, keep_seconds=600)


def serve(url: str, repeat: int, *, keep_seconds: int) -> None:
    from litestar.testing import TestClient

    from portal.app import create_app
    from portal.settings import Settings
    from portal.stats.ahead import warm

    settings = Settings.from_env(
        {
            "DATABASE_URL": url,
            "PORTAL_VAR_DIR": str(ROOT / "var" / "bench"),
            "LOG_LEVEL": "WARNING",
            "STATS_CACHE_SECONDS": str(keep_seconds),
        }
    )
    app = create_app(settings)
    pages = {
        "dashboard (month, previous month)": "/statistics",
        "breakdown by municipality (quarter)": "/statistics?period=quarter&by=municipality",
        "breakdown by chamber (year)": "/statistics?period=year&by=chamber",
        "xlsx export (month)": "/statistics/figures.xlsx",
    }
    if keep_seconds:
        started = time.perf_counter()
        views = asyncio.run(warm())  # what the worker does every round
        took = time.perf_counter() - started
        print(f"  the worker counted {views} views ahead in {took:.1f} s")
        custom = three_years()
    with TestClient(app, base_url="http://testserver.local") as client:
        client.get("/login")
        token = client.cookies.get("csrftoken") or client.cookies.get("portal_csrf", "")
        response = client.post(
            "/login",
            data={"email": "statistik@bench.test", "password": PASSWORD, "_csrf_token": token},
        )
        assert "portal_session" in client.cookies, response.status_code
        client.get("/statistics")  # warm the pool and the caches of the database
        for name, path in pages.items():
            median, p95, size, failed = timed(client, path, repeat)
            print(
                f"  {name:<40} median {median:7.0f} ms   p95 {p95:7.0f} ms   ({size:,} bytes)"
                + (f"   {failed} of {repeat} not 200 (timed out)" if failed else "")
            )
        if keep_seconds:
            counted_later(client, custom)


def three_years() -> str:
    """The path of a custom range of three years up to today, its counts not kept (an earlier
    run's forgotten; before the test client opens its pool on a loop of its own)."""
    from portal.auth.policy import StatsScope
    from portal.clock import today
    from portal.stats.figures import job
    from portal.stats.periods import Period
    from portal.stats.tables import StatsCounts

    end = today()
    period = Period("custom", end - dt.timedelta(days=3 * 365), end)
    keys = [job(p, StatsScope.district, None).key for p in (period, period.previous())]
    asyncio.run(StatsCounts.delete().where(StatsCounts.key.is_in(keys)).run())
    return f"/statistics?period=custom&start={period.start}&end={period.end}"


def counted_later(client: Any, path: str) -> None:
    """A custom range of three years, not kept: the first answer at once, the figures later."""
    started = time.perf_counter()
    first = client.get(path)
    first_ms = (time.perf_counter() - started) * 1000
    assert first.status_code == 200 and "werden gerade gezählt" in first.text, first.status_code
    polls = []
    while True:
        time.sleep(2)  # as the page's htmx poll
        asked = time.perf_counter()
        again = client.get(path, headers={"HX-Request": "true", "HX-Trigger": "figures"})
        polls.append((time.perf_counter() - asked) * 1000)
        assert again.status_code == 200, again.status_code
        if "werden gerade gezählt" not in again.text:
            break
    assert "data-table" in again.text, "the count failed (logged), or stopped after 5 minutes"
    print(
        f"  custom range of 3 years, not kept: first answer in {first_ms:.0f} ms (being "
        f"counted), the figures after {time.perf_counter() - started:.1f} s, {len(polls)} polls "
        f"(median {statistics.median(polls):.0f} ms, the last with the figures "
        f"{polls[-1]:.0f} ms)"
    )
    started = time.perf_counter()
    client.get(path)
    print(f"  the same range again, kept: {(time.perf_counter() - started) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
