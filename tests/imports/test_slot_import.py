"""Importing slots: a file with errors changes nothing and lists every error by row and
column; the same file fixed imports every row, in one transaction."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Any

import pytest

from portal.audit import chain
from portal.audit.tables import AuditEvent
from portal.clock import today
from portal.employers.tables import Slot
from portal.imports.reading import read_table
from portal.imports.slots import CheckedSlot, check_sheet, import_slots
from portal.imports.tables import ImportBatch
from tests.conftest import run
from tests.factories import csrf_token, login
from tests.imports.files import SLOT_COLUMNS, csv_bytes, slot_row, xlsx_bytes
from tests.placements.session import as_user

PROBLEM = re.compile(
    r'<td class="kern-table__cell">(\d+)</td>\s*'
    r'<td class="kern-table__cell"><code>([a-z_?0-9]+)</code>'
)
BATCH = re.compile(r'action="/slots/import/([0-9a-f-]{36})"')


def upload(client: Any, data: bytes, name: str = "slots.csv") -> Any:
    return client.post(
        "/slots/import",
        data={"_csrf_token": csrf_token(client)},
        files={"file": (name, data, "application/octet-stream")},
    )


def problems(html: str) -> list[tuple[str, str]]:
    """(row, column) of each problem listed on the page."""
    return PROBLEM.findall(html)


BROKEN = [
    slot_row(1),
    slot_row(2, title="", places="0"),
    slot_row(3, municipality="Atlantis", occupation="99999"),
    # Past the two years ahead a slot may end in.
    slot_row(4, end_date=f"{today().year + 3}-12-31", safety_equipment="vielleicht"),
    slot_row(5),
]


def test_a_file_with_errors_changes_nothing_and_lists_every_error(client, erik):
    login(client, erik.email)
    response = upload(client, csv_bytes(SLOT_COLUMNS, BROKEN))
    assert response.status_code == 400
    assert "6 Probleme" in response.text and "Nichts wurde importiert" in response.text
    assert sorted(problems(response.text)) == sorted(
        [
            ("3", "title"),
            ("3", "places"),
            ("4", "municipality"),
            ("4", "occupation"),
            ("5", "safety_equipment"),
            ("5", "end_date"),
        ]
    )
    assert run(Slot.count()) == 0 and run(ImportBatch.count()) == 0


def test_the_fixed_file_imports_every_row_after_the_dry_run(client, erik, employer):
    fixed = [slot_row(n) for n in range(1, 6)]
    login(client, erik.email)
    checked = upload(client, xlsx_bytes(SLOT_COLUMNS, fixed), "slots.xlsx")
    assert checked.status_code == 200, problems(checked.text)
    assert "5 Zeilen können importiert werden" in checked.text
    assert run(Slot.count()) == 0  # the dry run changed nothing
    batch = BATCH.search(checked.text).group(1)

    response = client.post(f"/slots/import/{batch}", data={"_csrf_token": csrf_token(client)})
    assert response.status_code == 200
    assert "5 Zeilen wurden importiert" in response.text
    rows = run(Slot.select().order_by(Slot.title))
    assert [row["title"] for row in rows] == [f"Praktikum Metallbau {n}" for n in range(1, 6)]
    assert {row["employer"] for row in rows} == {employer.id}
    assert {row["status"] for row in rows} == {"open"}
    assert all(row["safety_equipment"] and not row["hire_possible"] for row in rows)
    created = run(AuditEvent.count().where(AuditEvent.action == "slot.created"))
    assert created == 5
    # Appended at once (audit.chain.append_many), the rows still form one unbroken chain.
    assert run(chain.verify()).broken is None
    # The batch is used up: a second click imports nothing more.
    again = client.post(f"/slots/import/{batch}", data={"_csrf_token": csrf_token(client)})
    assert again.status_code == 404 and run(Slot.count()) == 5


def test_the_import_is_all_or_nothing(app, erik):
    """A row the database refuses while the file is written (a municipality deleted after the
    check: the foreign key) leaves no slot of the file behind, nor an audit row."""
    sheet = read_table(csv_bytes(SLOT_COLUMNS, [slot_row(n) for n in range(1, 6)]), "s.csv")
    problems_found, checked = run(check_sheet(sheet))
    assert problems_found == [] and len(checked) == 5
    gone = replace(checked[3].fields, municipality=999_999)
    checked[3] = CheckedSlot(gone, publish=True)
    with pytest.raises(Exception):  # noqa: B017 - the engine's own integrity error
        run(import_slots(as_user(erik), checked, address=""))
    assert run(Slot.count()) == 0
    assert run(AuditEvent.count().where(AuditEvent.action == "slot.created")) == 0


def test_a_stranger_cannot_import_someone_elses_batch(client, erik, fritz, emma):
    login(client, erik.email)
    checked = upload(client, csv_bytes(SLOT_COLUMNS, [slot_row(1)]))
    batch = BATCH.search(checked.text).group(1)
    login(client, fritz.email)
    refused = client.post(f"/slots/import/{batch}", data={"_csrf_token": csrf_token(client)})
    assert refused.status_code == 404
    # Even a colleague: the batch is the uploader's.
    login(client, emma.email)
    refused = client.post(f"/slots/import/{batch}", data={"_csrf_token": csrf_token(client)})
    assert refused.status_code == 404
    assert run(Slot.count()) == 0


def test_it_refuses_unreadable_files_and_unknown_columns(client, erik):
    login(client, erik.email)
    assert "UTF-8" in upload(client, b"title;kind\n\xff\xfe\x00broken").text
    zipped = upload(client, b"PK\x03\x04 not really a zip", "slots.xlsx")
    assert zipped.status_code == 400 and ".xlsx" in zipped.text
    strange = upload(client, csv_bytes(["title", "colour"], [{"title": "x", "colour": "rot"}]))
    assert strange.status_code == 400
    assert ("1", "colour") in problems(strange.text) and ("1", "kind") in problems(strange.text)


def test_it_serves_the_templates(client, erik):
    login(client, erik.email)
    template = client.get("/slots/import/template/csv")
    assert template.status_code == 200
    assert template.content.decode("utf-8-sig").startswith("title;kind;occupation")
    sheet = client.get("/slots/import/template/xlsx")
    assert sheet.status_code == 200 and sheet.content.startswith(b"PK")
    assert client.get("/slots/import/template/pdf").status_code == 404
