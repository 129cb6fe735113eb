"""Latency of the console's board on PostgreSQL: the board page, one filtered column fragment
and the attention view, at 10 concurrent users.

    .venv/bin/python bench/console.py [--placements 10000] [--events 300000]
                                      [--requests 300] [--concurrency 10] [--workers 1]

Builds a throw-away PostgreSQL database, migrates it, loads the KldB occupations, and loads
`--placements` active placements (requested … outcome, spread over the last 90 days) of as
many candidates, at 2,000 slots of 500 employers, handled by 20 case-management
organisations with 10 case managers each, and `--events` placement events (bulk COPY).
Starts `portal serve` in a subprocess, logs an operator admin in and measures each page with
`--concurrency` clients: requests per second, median and 95th percentile in milliseconds. The
target (issue 12): 150 ms median and 250 ms p95. The database is dropped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
PASSWORD = "Bench-Konsole-2026"  # noqa: S105 - a throw-away database
OCCUPATIONS = ["24412", "24422", "24202", "51311", "51312", "29302", "54101", "62102"]
STATES = ["requested", "proposed", "accepted", "preparing", "in_progress", "completed", "outcome"]
EMPLOYERS, SLOTS, AGENCIES, CASE_MANAGERS = 500, 2000, 20, 10


async def prepare(url: str, placements: int, events: int) -> dict[str, str]:
    os.environ["DATABASE_URL"] = url
    import asyncpg
    from piccolo.apps.migrations.commands.forwards import run_forwards

    from portal.accounts.passwords import hash_password
    from portal.clock import now
    from portal.db import bind_tables, engine_from_url
    from portal.reference.loading import load_reference

    bind_tables(engine_from_url(url))
    result = await run_forwards(app_name="all")
    assert result.success, result.message
    await load_reference()
    rng = random.Random(12)
    moment = now()
    password_hash = await hash_password(PASSWORD)
    db = await asyncpg.connect(url)

    async def copy(table: str, columns: list[str], rows: list[tuple[Any, ...]]) -> None:
        await db.copy_records_to_table(table, records=rows, columns=columns)

    municipalities = list(range(1, 21))
    await copy("municipality", ["id", "name", "district", "active"],
               [(n, f"Gemeinde {n}", "", True) for n in municipalities])  # fmt: skip
    orgs, users = [], []
    operator = uuid.uuid4()
    orgs.append((operator, "operator", "Koordinierungsstelle", "active", moment))
    users.append((uuid.uuid4(), "operator@bench.test", "Operator", operator, "operator_admin"))
    employers = [uuid.uuid4() for _ in range(EMPLOYERS)]
    for n, org in enumerate(employers):
        orgs.append((org, "employer", f"Betrieb {n:04d}", "pending" if n % 50 == 0 else "active",
                     moment))  # fmt: skip
    agencies = [uuid.uuid4() for _ in range(AGENCIES)]
    managers: list[tuple[uuid.UUID, uuid.UUID]] = []
    for n, org in enumerate(agencies):
        orgs.append((org, "case_management", f"Träger {n:02d}", "active", moment))
        for k in range(CASE_MANAGERS):
            user = uuid.uuid4()
            managers.append((user, org))
            users.append((user, f"fm{n}-{k}@bench.test", f"Fallmanager {n}-{k}", org,
                          "case_manager"))  # fmt: skip
    await copy("organisation", ["id", "kind", "name", "status", "created_at"], orgs)
    await copy(
        "portal_user",
        ["id", "email", "display_name", "organisation", "role", "password_hash",
         "email_confirmed_at", "is_active", "language"],
        [(*u, password_hash, moment, True, "de") for u in users],
    )  # fmt: skip
    today = moment.date()
    slots = []
    for n in range(SLOTS):
        code = OCCUPATIONS[n % len(OCCUPATIONS)]
        start = today + dt.timedelta(days=n % 120 - 30)
        slots.append((uuid.uuid4(), employers[n % EMPLOYERS], f"Praktikum {code} Nr. {n}",
                      "orientation_internship", code, code[:1], code[:2], code[:3],
                      municipalities[n % 20], start, start + dt.timedelta(days=13), 14, 35, 3,
                      "open", moment, moment))  # fmt: skip
    await copy(
        "slot",
        ["id", "employer", "title", "kind", "occupation", "occupation_area",
         "occupation_main_group", "occupation_group", "municipality", "start_date", "end_date",
         "duration_days", "hours_per_week", "places", "status", "created_at", "updated_at"],
        slots,
    )  # fmt: skip
    candidates, rows = [], []
    for n in range(placements):
        manager, agency = managers[n % len(managers)]
        candidate = uuid.uuid4()
        code = f"K-{n:04X}-{rng.randrange(36**2):02X}"[:12]
        candidates.append((candidate, f"B{n:07d}", agency, manager, "active", moment, moment))
        slot = slots[rng.randrange(SLOTS)]
        state = STATES[n % len(STATES)]
        changed = moment - dt.timedelta(days=rng.randrange(90), hours=rng.randrange(24))
        created = changed - dt.timedelta(days=rng.randrange(30))
        dates = state in ("preparing", "in_progress", "completed", "outcome")
        rows.append((uuid.uuid4(), slot[0], slot[1], candidate, agency, manager, state,
                     "nomination", "Erfahrung im Schweißen.", created, changed, changed,
                     slot[9] if dates else None, slot[10] if dates else None,
                     moment if n % 40 == 0 else None))  # fmt: skip
        del code
    await copy(
        "candidate",
        ["id", "code", "organisation", "case_manager", "status", "created_at", "updated_at"],
        candidates,
    )
    await copy(
        "placement",
        ["id", "slot", "employer", "candidate", "agency", "case_manager", "state", "origin",
         "note", "created_at", "updated_at", "state_changed_at", "start_date", "end_date",
         "flagged_at"],
        rows,
    )  # fmt: skip
    batch = []
    for n in range(events):
        placement = rows[n % len(rows)]
        batch.append((placement[0], "nominate", "", placement[6], placement[5], placement[4],
                      "", "", placement[9] + dt.timedelta(minutes=n % 997), False))  # fmt: skip
        if len(batch) == 50_000:
            await copy("placement_event", ["placement", "action", "from_state", "to_state",
                                           "actor", "actor_organisation", "reason", "note",
                                           "created_at", "internal"], batch)  # fmt: skip
            batch = []
    if batch:
        await copy("placement_event", ["placement", "action", "from_state", "to_state", "actor",
                                       "actor_organisation", "reason", "note", "created_at",
                                       "internal"], batch)  # fmt: skip
    # Fresh tables have no planner statistics yet (in production autovacuum gathers them).
    await db.execute("ANALYZE")
    await db.close()
    return {"employer": str(employers[3]), "field": OCCUPATIONS[0][:1]}


async def login(client: httpx.AsyncClient, email: str) -> None:
    await client.get("/login")
    response = await client.post(
        "/login",
        data={"email": email, "password": PASSWORD, "_csrf_token": client.cookies["portal_csrf"]},
    )
    assert response.status_code in (200, 303), response.status_code


async def measure(
    client: httpx.AsyncClient, path: str, total: int, concurrency: int, headers: dict[str, str]
) -> tuple[float, float, float]:
    latencies: list[float] = []
    queue = iter(range(total))

    async def worker() -> None:
        for _ in queue:
            started = time.perf_counter()
            response = await client.get(path, headers=headers)
            latencies.append(time.perf_counter() - started)
            assert response.status_code == 200, (path, response.status_code)

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    latencies.sort()
    p95 = latencies[max(0, int(len(latencies) * 0.95) - 1)]
    return total / elapsed, statistics.median(latencies) * 1000, p95 * 1000


async def run_bench(base: str, total: int, concurrency: int, filters: dict[str, str]) -> None:
    limits = httpx.Limits(max_connections=concurrency)
    pages = [
        ("board page", "/admin/placements", {}),
        ("filtered column fragment",
         f"/admin/placements/column/proposed?field={filters['field']}&attention=1",
         {"HX-Request": "true"}),
        ("attention view", "/admin", {}),
    ]  # fmt: skip
    print(f"{'page':<28} {'users':>5} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8}   path")
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60) as client:
        await login(client, "operator@bench.test")
        for name, path, headers in pages:
            await measure(client, path, min(20, total), concurrency, headers)  # warm-up
            # One user alone (the time a request takes), then `concurrency` at once.
            for users, count in ((1, max(20, total // 5)), (concurrency, total)):
                rate, p50, p95 = await measure(client, path, count, users, headers)
                print(f"{name:<28} {users:>5} {rate:>8.1f} {p50:>8.1f} {p95:>8.1f}   {path}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--placements", type=int, default=10_000)
    parser.add_argument("--events", type=int, default=300_000)
    parser.add_argument("--requests", type=int, default=300)
    parser.add_argument("--concurrency", type=int, default=10)
    parser.add_argument("--workers", type=int, default=1)
    args = parser.parse_args()
    import asyncpg

    name = f"portal_bench_{uuid.uuid4().hex[:8]}"

    async def admin(sql: str) -> None:
        connection = await asyncpg.connect(ADMIN_URL)
        await connection.execute(sql)
        await connection.close()

    asyncio.run(admin(f'CREATE DATABASE "{name}"'))
    url = ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    workdir = Path(tempfile.mkdtemp(prefix="portal-bench-"))
    server = None
    try:
        started = time.perf_counter()
        filters = asyncio.run(prepare(url, args.placements, args.events))
        print(f"postgres: {args.placements} placements, {args.events} events loaded "
              f"in {time.perf_counter() - started:.1f} s")  # fmt: skip
        port = 8000 + random.randrange(1000, 9000)
        env = {
            **os.environ,
            "DATABASE_URL": url,
            "VAR_DIR": str(workdir / "var"),
            "LOG_LEVEL": "WARNING",
            "BASE_URL": f"http://127.0.0.1:{port}",
            "LOGIN_THROTTLE_ADDRESS": "1000",
        }
        server = subprocess.Popen(  # noqa: S603
            [str(ROOT / ".venv/bin/portal"), "serve", "--port", str(port),
             "--workers", str(args.workers)],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        print(f"{args.concurrency} concurrent users, {args.requests} requests per page, "
              f"{args.workers} worker(s); load average {os.getloadavg()[0]:.1f} "
              f"on {os.cpu_count()} CPUs")  # fmt: skip
        asyncio.run(run_bench(base, args.requests, args.concurrency, filters))
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=10)
        asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


if __name__ == "__main__":
    main()
