"""Throughput and latency of the foundation's pages, served by uvicorn on loopback.

    .venv/bin/python bench/pages.py [--database sqlite|postgres] [--organisations 5000]
                                    [--requests 400] [--concurrency 8]

Builds a fresh database (a temporary SQLite file, or a throw-away PostgreSQL database), loads
the KldB occupations and `--organisations` employers with a user and four slots each, starts
one uvicorn worker in a subprocess and sends a bounded number of requests from one client
process. Prints requests per second, median and 95th-percentile latency. (That a page issues a
constant number of SQL queries is proven by the tests, e.g. tests/search/.)
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OCCUPATIONS = ["24412", "24422", "24202", "51311", "51312", "29302", "54101", "62102"]
PASSWORD = "Bench-Werkstatt-2026"  # noqa: S105 - a throw-away database


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def prepare(url: str, organisations: int) -> None:
    os.environ["DATABASE_URL"] = url
    from piccolo.apps.migrations.commands.forwards import run_forwards

    from portal.accounts.passwords import hash_password
    from portal.accounts.tables import Organisation, OrgKind, OrgStatus, Role, User
    from portal.clock import now
    from portal.db import bind_tables, engine_from_url
    from portal.employers.tables import Slot, SlotStatus
    from portal.reference.loading import load_reference
    from portal.reference.tables import Municipality

    bind_tables(engine_from_url(url))
    result = await run_forwards(app_name="all")
    assert result.success, result.message
    await load_reference()
    municipalities = [Municipality(name=f"Gemeinde {n}") for n in range(20)]
    await Municipality.insert(*municipalities)
    password_hash = await hash_password(PASSWORD)
    case_management = Organisation(
        kind=OrgKind.case_management, name="Jobcenter", status=OrgStatus.active
    )
    await case_management.save()
    await User.insert(
        User(
            email="fallmanager@bench.test",
            display_name="Fallmanager",
            organisation=case_management.id,
            role=Role.case_manager,
            password_hash=password_hash,
            email_confirmed_at=now(),
        )
    )
    operator = Organisation(kind=OrgKind.operator, name="Koordinierung", status=OrgStatus.active)
    await operator.save()
    await User.insert(
        User(
            email="operator@bench.test",
            display_name="Operator",
            organisation=operator.id,
            role=Role.operator_admin,
            password_hash=password_hash,
            email_confirmed_at=now(),
        )
    )
    batch = 500
    for start in range(0, organisations, batch):
        orgs = [
            Organisation(
                kind=OrgKind.employer,
                name=f"Betrieb {n:05d}",
                city="Musterstadt",
                status=OrgStatus.pending if n % 10 == 0 else OrgStatus.active,
            )
            for n in range(start, min(start + batch, organisations))
        ]
        await Organisation.insert(*orgs)
        await User.insert(
            *[
                User(
                    email=f"chef{start + i}@bench.test",
                    display_name=f"Chef {start + i}",
                    organisation=org.id,
                    role=Role.employer_admin,
                    password_hash=password_hash,
                    email_confirmed_at=now(),
                )
                for i, org in enumerate(orgs)
            ]
        )
        # Four slots per employer in all states, spread over the coming year.
        today = dt.date.today()
        slots = []
        for i, org in enumerate(orgs):
            for k in range(4):
                code = OCCUPATIONS[(i + k) % len(OCCUPATIONS)]
                start = today + dt.timedelta(days=(i * 7 + k * 30) % 360 + 1)
                slots.append(
                    Slot(
                        employer=org.id,
                        title=f"Praktikum {code}",
                        kind="orientation_internship",
                        occupation=code,
                        occupation_area=code[:1],
                        occupation_main_group=code[:2],
                        occupation_group=code[:3],
                        municipality=municipalities[(i + k) % len(municipalities)].id,
                        start_date=start,
                        end_date=start + dt.timedelta(days=13),
                        duration_days=14,
                        hours_per_week=35,
                        status=SlotStatus.open if k < 3 else SlotStatus.draft,
                    )
                )
        # PostgreSQL takes at most 32,767 parameters per statement.
        for chunk in range(0, len(slots), 500):
            await Slot.insert(*slots[chunk : chunk + 500])
    # Fresh tables have no planner statistics yet (in production autovacuum gathers them).
    await Slot.raw("ANALYZE")


async def login(client: httpx.AsyncClient, email: str) -> None:
    await client.get("/login")
    response = await client.post(
        "/login",
        data={
            "email": email,
            "password": PASSWORD,
            "_csrf_token": client.cookies["portal_csrf"],
        },
    )
    assert response.status_code in (200, 303), response.status_code


async def measure(
    client: httpx.AsyncClient, path: str, total: int, concurrency: int
) -> tuple[float, float, float]:
    latencies: list[float] = []
    queue = iter(range(total))

    async def worker() -> None:
        for _ in queue:
            started = time.perf_counter()
            response = await client.get(path)
            latencies.append(time.perf_counter() - started)
            assert response.status_code == 200, (path, response.status_code)

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    elapsed = time.perf_counter() - started
    latencies.sort()
    p95 = latencies[int(len(latencies) * 0.95) - 1]
    return total / elapsed, statistics.median(latencies) * 1000, p95 * 1000


async def run_bench(base: str, total: int, concurrency: int) -> None:
    limits = httpx.Limits(max_connections=concurrency)
    pages = [
        ("/healthz", None),
        ("/login", None),
        ("/", "chef1@bench.test"),
        ("/team", "chef1@bench.test"),
        ("/admin/organisations", "operator@bench.test"),
        ("/admin/organisations?status=pending&page=3", "operator@bench.test"),
        ("/admin/users?q=chef", "operator@bench.test"),
        ("/slots", "chef1@bench.test"),
        ("/search/slots", "fallmanager@bench.test"),
        ("/search/slots?main_group=24&german=B1", "fallmanager@bench.test"),
        ("/search/slots?occupation=51311&page=5", "fallmanager@bench.test"),
    ]
    print(f"{'page':<46} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8}")
    for path, email in pages:
        async with httpx.AsyncClient(base_url=base, limits=limits, timeout=30) as client:
            if email:
                await login(client, email)
            await measure(client, path, min(20, total), concurrency)  # warm-up
            rate, p50, p95 = await measure(client, path, total, concurrency)
            who = f" ({email.split('@')[0]})" if email else ""
            print(f"{path + who:<46} {rate:>8.0f} {p50:>8.1f} {p95:>8.1f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--database", choices=("sqlite", "postgres"), default="sqlite")
    parser.add_argument("--organisations", type=int, default=5000)
    parser.add_argument("--requests", type=int, default=400)
    parser.add_argument("--concurrency", type=int, default=8)
    args = parser.parse_args()

    workdir = Path(tempfile.mkdtemp(prefix="portal-bench-"))
    admin_url = "postgresql://postgres@127.0.0.1:5432/postgres"
    if args.database == "postgres":
        import asyncpg

        name = f"portal_bench_{uuid.uuid4().hex[:8]}"

        async def admin(sql: str) -> None:
            connection = await asyncpg.connect(admin_url)
            await connection.execute(sql)
            await connection.close()

        asyncio.run(admin(f'CREATE DATABASE "{name}"'))
        url = admin_url.rsplit("/", 1)[0] + f"/{name}"
    else:
        url = f"sqlite:///{workdir / 'bench.sqlite3'}"
    started = time.perf_counter()
    asyncio.run(prepare(url, args.organisations))
    print(
        f"{args.database}: {args.organisations} organisations loaded "
        f"in {time.perf_counter() - started:.1f} s"
    )
    port = free_port()
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "PORTAL_VAR_DIR": str(workdir / "var"),
        "LOG_LEVEL": "WARNING",
        "BASE_URL": f"http://127.0.0.1:{port}",
        # The bench logs in once per page; keep the throttle out of the way.
        "LOGIN_THROTTLE_ADDRESS": "1000",
    }
    server = subprocess.Popen(  # noqa: S603
        [str(ROOT / ".venv/bin/portal"), "serve", "--port", str(port)],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                if httpx.get(base + "/healthz", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                time.sleep(0.1)
        asyncio.run(run_bench(base, args.requests, args.concurrency))
    finally:
        server.terminate()
        server.wait(timeout=10)
        if args.database == "postgres":
            asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))


if __name__ == "__main__":
    main()
