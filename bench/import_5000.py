"""Time of a 5,000-row spreadsheet import on PostgreSQL (issue 17: under 30 s).

    .venv/bin/python bench/import_5000.py [--rows 5000] [--kind slots|candidates] [--xlsx]

Builds a throw-away PostgreSQL database, migrates it, loads the KldB occupations, makes one
employer (or case-management organisation) with its admin, and writes a file of `--rows`
valid rows (CSV, or .xlsx with `--xlsx`). Then runs what the import pages run — reading the
file (portal.imports.reading.read_upload), the dry run (check_sheet: every row through the
forms' checks) and the import in one transaction (import_slots / import_cases) — and prints
the time of each step and the total. The database is dropped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import datetime as dt
import io
import os
import sys
import time
import uuid
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"


def slot_rows(count: int, start: dt.date) -> list[dict[str, str]]:
    rows = []
    for n in range(count):
        first = start + dt.timedelta(days=n % 200)
        rows.append(
            {
                "title": f"Praktikum {n}",
                "kind": "orientation_internship",
                "occupation": ["24412", "24422", "51311", "29302"][n % 4],
                "tasks": "Bleche zuschneiden, Bauteile entgraten, beim Schweißen helfen",
                "min_german": "A2",
                "municipality": f"Gemeinde {n % 20 + 1}",
                "start_date": first.isoformat(),
                "end_date": (first + dt.timedelta(days=13)).isoformat(),
                "hours_per_week": "35",
                "places": "2",
                "safety_equipment": "ja",
                "publish": "ja",
            }
        )
    return rows


def case_rows(count: int) -> list[dict[str, str]]:
    return [
        {
            "given_names": f"Vorname{n}",
            "family_name": f"Nachname{n}",
            "date_of_birth": f"{1970 + n % 30}-0{1 + n % 9}-1{n % 9}",
            "email": f"person{n}@example.org",
            "postcode": "04109",
            "work_access": "free",
            "german_level": "B1",
            "german_evidence": "certificate",
            "summary": "Erfahrung in der Metallbearbeitung, sorgfältig und pünktlich.",
            "hours_per_week": "30",
            "permit_status": "cleared",
            "desired_occupation_1": "24412",
        }
        for n in range(count)
    ]


def as_file(columns: list[str], rows: list[dict[str, str]], xlsx: bool) -> bytes:
    if xlsx:
        from openpyxl import Workbook

        workbook = Workbook(write_only=True)
        sheet = workbook.create_sheet()
        sheet.append(columns)
        for row in rows:
            sheet.append([row.get(name, "") for name in columns])
        out = io.BytesIO()
        workbook.save(out)
        return out.getvalue()
    text = io.StringIO()
    writer = csv.writer(text, delimiter=";")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(name, "") for name in columns])
    return text.getvalue().encode()


async def run(url: str, kind: str, count: int, xlsx: bool) -> dict[str, float]:
    os.environ["DATABASE_URL"] = url
    from piccolo.apps.migrations.commands.forwards import run_forwards

    from portal.accounts.tables import Organisation, OrgKind, OrgStatus, Role, User
    from portal.auth import load_user
    from portal.candidates.vault import Vault
    from portal.clock import today
    from portal.db import bind_tables, engine_from_url
    from portal.imports import candidates, slots
    from portal.imports.reading import read_upload
    from portal.placements.subscriptions import subscribe
    from portal.reference.loading import load_reference
    from portal.reference.tables import Municipality
    from portal.settings import new_identity_key
    from portal.stats.summary import subscribe as subscribe_stats

    engine = engine_from_url(url)
    bind_tables(engine)
    subscribe()
    subscribe_stats()
    result = await run_forwards(app_name="all")
    assert result.success, result.message
    await load_reference()
    await Municipality.insert(*(Municipality(name=f"Gemeinde {n}") for n in range(1, 21)))
    org_kind = OrgKind.employer if kind == "slots" else OrgKind.case_management
    org = Organisation(name="Bench", kind=org_kind, status=OrgStatus.active)
    await org.save()
    role = Role.employer_admin if kind == "slots" else Role.team_lead
    admin = User(email="admin@bench.test", display_name="Admin", organisation=org.id, role=role)
    await admin.save()
    user = await load_user(str(admin.id), None)
    assert user is not None
    if kind == "slots":
        columns, rows = slots.COLUMNS, slot_rows(count, today() + dt.timedelta(days=30))
    else:
        columns, rows = candidates.COLUMNS, case_rows(count)
    data = as_file(columns, rows, xlsx)
    await engine.start_connection_pool(min_size=1, max_size=4)
    times: dict[str, float] = {}
    try:
        started = time.perf_counter()
        sheet = await read_upload(data, "bench.xlsx" if xlsx else "bench.csv")
        times["read"] = time.perf_counter() - started
        started = time.perf_counter()
        if kind == "slots":
            problems, checked = await slots.check_sheet(sheet)
        else:
            problems, checked = await candidates.check_sheet(user, sheet)
        times["dry run"] = time.perf_counter() - started
        assert not problems, problems[:5]
        assert len(checked) == count
        started = time.perf_counter()
        if kind == "slots":
            done = await slots.import_slots(user, checked, address="127.0.0.1")
        else:
            done = await candidates.import_cases(
                user,
                checked,  # type: ignore[arg-type]
                vault=Vault([new_identity_key()]),
                hash_key="bench-duplicate-hash-key-0123456789abcdef",
                address="127.0.0.1",
            )
        times["import"] = time.perf_counter() - started
        assert done == count
    finally:
        await engine.close_connection_pool()
    times["size_kb"] = len(data) / 1024
    return times


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--kind", choices=["slots", "candidates"], default="slots")
    parser.add_argument("--xlsx", action="store_true")
    args = parser.parse_args()

    import asyncpg

    name = f"portal_bench_import_{uuid.uuid4().hex[:8]}"
    url = f"{ADMIN_URL.rsplit('/', 1)[0]}/{name}"

    async def admin(statement: str) -> Any:
        connection = await asyncpg.connect(ADMIN_URL)
        try:
            await connection.execute(statement)
        finally:
            await connection.close()

    asyncio.run(admin(f'CREATE DATABASE "{name}"'))
    try:
        times = asyncio.run(run(url, args.kind, args.rows, args.xlsx))
    finally:
        asyncio.run(admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    total = times["read"] + times["dry run"] + times["import"]
    fmt = "xlsx" if args.xlsx else "csv"
    print(f"{args.rows:,} {args.kind} rows ({fmt}, {times['size_kb']:.0f} KB) on PostgreSQL:")
    for step in ("read", "dry run", "import"):
        print(f"  {step:8} {times[step]:6.1f} s")
    print(f"  total    {total:6.1f} s (target: under 30 s)")


if __name__ == "__main__":
    main()
