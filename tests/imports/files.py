"""Spreadsheets for the import tests, written in the tests (CSV text, .xlsx by openpyxl)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

from openpyxl import Workbook

from portal.clock import now, today
from portal.imports import candidates, slots
from portal.imports.tables import ImportBatch
from tests.conftest import run


def csv_bytes(columns: list[str], rows: list[dict[str, Any]], delimiter: str = ";") -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(columns)
    for row in rows:
        writer.writerow([row.get(name, "") for name in columns])
    return out.getvalue().encode()


def xlsx_bytes(columns: list[str], rows: list[dict[str, Any]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(columns)
    for row in rows:
        sheet.append([row.get(name) for name in columns])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def slot_row(number: int = 0, **changes: Any) -> dict[str, Any]:
    """A valid slot row: two weeks, starting in a month and a bit."""
    start = today() + dt.timedelta(days=40 + number % 100)
    return {
        "title": f"Praktikum Metallbau {number}",
        "kind": "orientation_internship",
        "occupation": "24412",
        "tasks": "Bleche zuschneiden, entgraten",
        "min_german": "A2",
        "municipality": "Musterstadt",
        "start_date": start.isoformat(),
        "end_date": (start + dt.timedelta(days=13)).isoformat(),
        "hours_per_week": "35",
        "places": "2",
        "safety_equipment": "ja",
        "hire_possible": "nein",
        "publish": "yes",
        **changes,
    }


def case_row(number: int = 0, **changes: Any) -> dict[str, Any]:
    return {
        "given_names": f"Amina{number or ''}",
        "family_name": "Haddad",
        "date_of_birth": "17.05.1994",
        "email": f"amina{number}@example.org",
        "postcode": "04109",
        "work_access": "free",
        "german_level": "B1",
        "german_evidence": "certificate",
        "summary": "Erfahrung in der Metallbearbeitung, sorgfältig.",
        "hours_per_week": "30",
        "shift_work": "nein",
        "permit_status": "cleared",
        "desired_occupation_1": "24412",
        **changes,
    }


SLOT_COLUMNS = slots.COLUMNS
CASE_COLUMNS = candidates.COLUMNS


def import_batch(user: Any) -> Any:
    """A checked slot upload of the user, waiting for its import (its rows do not matter)."""
    batch = ImportBatch(
        organisation=user.organisation,
        uploaded_by=user.id,
        kind=slots.KIND,
        sealed="not opened",
        created_at=now(),
    )
    run(batch.save())
    return batch.id
