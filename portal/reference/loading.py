"""Loading the occupations (KldB 2010): the shipped CSV and the BA's spreadsheet of them all.

The occupations ship with the project (data/kldb2010.csv, loaded by `portal load-reference`);
the complete official list can be imported from the spreadsheet the Bundesagentur für Arbeit
publishes (`portal import-kldb`).
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from portal.i18n import _
from portal.reference.services import CODE_RE, InvalidInput
from portal.reference.tables import Occupation
from portal.settings import ROOT

KLDB_CSV = ROOT / "data" / "kldb2010.csv"
NAME_LENGTH = 300  # Occupation.name
WRITE_BATCH = 200  # rows per INSERT: 800 parameters, below SQLite's oldest limit of 999


@dataclass(frozen=True)
class OccupationRow:
    code: str
    name: str

    @property
    def level(self) -> int:
        return len(self.code)

    @property
    def parent(self) -> str | None:
        return self.code[:-1] or None


def read_kldb_csv(path: Path = KLDB_CSV) -> list[OccupationRow]:
    """The shipped occupations (`code;level;name;parent`, UTF-8)."""
    with path.open(encoding="utf-8", newline="") as fh:
        return [
            OccupationRow(code=row["code"], name=row["name"])
            for row in csv.DictReader(fh, delimiter=";")
        ]


@dataclass(frozen=True)
class LoadResult:
    added: int
    changed: int
    unchanged: int


async def load_occupations(rows: Iterable[OccupationRow]) -> LoadResult:
    """Insert new occupations and update changed ones; running it twice changes nothing."""
    existing = {
        row["code"]: (row["name"], row["level"], row["parent"])
        for row in await Occupation.select(
            Occupation.code, Occupation.name, Occupation.level, Occupation.parent
        )
    }
    added: list[OccupationRow] = []
    changed: list[OccupationRow] = []
    for row in {row.code: row for row in rows}.values():
        known = existing.get(row.code)
        if known is None:
            added.append(row)
        elif known != (row.name, row.level, row.parent):
            changed.append(row)
    writes = added + changed
    async with Occupation._meta.db.transaction():
        for start in range(0, len(writes), WRITE_BATCH):
            batch = writes[start : start + WRITE_BATCH]
            # An upsert, so that a load running beside another one does not fail on a new code.
            await Occupation.insert(
                *(
                    Occupation(code=row.code, level=row.level, name=row.name, parent=row.parent)
                    for row in batch
                )
            ).on_conflict(
                target=Occupation.code,
                action="DO UPDATE",
                values=[Occupation.level, Occupation.name, Occupation.parent],
            )
    return LoadResult(
        added=len(added), changed=len(changed), unchanged=len(existing) - len(changed)
    )


async def load_reference() -> LoadResult:
    """The reference data that ships with the project (the occupations)."""
    return await load_occupations(read_kldb_csv())


@dataclass(frozen=True)
class ImportProblem:
    row: int
    reason: str


@dataclass(frozen=True)
class SheetImport:
    rows: list[OccupationRow]
    problems: list[ImportProblem]


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _header_columns(cells: list[str]) -> dict[str, int] | None:
    """The columns of a header row (code, title, level), or None if the row is no header."""
    columns: dict[str, int] = {}
    for index, cell in enumerate(cells):
        text = cell.casefold()
        if "code" not in columns and (
            "schlüssel" in text or "kennziffer" in text or text in ("code", "kldb", "kldb 2010")
        ):
            columns["code"] = index
        elif "title" not in columns and (
            text.startswith(("titel", "title", "bezeichnung")) or text == "name"
        ):
            columns["title"] = index
        elif "level" not in columns and text.startswith(("ebene", "level")):
            columns["level"] = index
    return columns if "code" in columns and "title" in columns else None


def read_kldb_xlsx(path: Path) -> SheetImport:
    """The occupations in a spreadsheet of the KldB 2010, e.g. the BA's systematic list.

    The columns are found by a header row ("Schlüssel …", "Ebene", "Titel"); without one, column
    A holds the code and column B the title. Every row that cannot be used is reported with
    its number and the reason; blank rows and the rows above the header are skipped.
    Spreadsheets store codes as numbers, which loses leading zeros (011 becomes 11): with a
    level column the code is padded back to its level.
    """
    from openpyxl import load_workbook  # only the importer needs it

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises several kinds for a file it cannot read
        raise InvalidInput(_("The file cannot be read as a spreadsheet (.xlsx).")) from exc
    try:
        return _read_sheet(workbook)
    finally:
        workbook.close()


def _find_header(workbook: Any) -> tuple[Any, int, dict[str, int]]:
    """The sheet with a header row among its first rows, that row's number and its columns."""
    for sheet in workbook.worksheets:
        for number, values in enumerate(sheet.iter_rows(max_row=30, values_only=True), 1):
            columns = _header_columns([_cell_text(value) for value in values])
            if columns:
                return sheet, number, columns
    return workbook.worksheets[0], 0, {"code": 0, "title": 1}


def _read_sheet(workbook: Any) -> SheetImport:
    sheet, header_row, columns = _find_header(workbook)
    rows: list[OccupationRow] = []
    problems: list[ImportProblem] = []
    first_seen: dict[str, int] = {}
    for number, values in enumerate(sheet.iter_rows(values_only=True), 1):
        cells = [_cell_text(value) for value in values]
        if number <= header_row or not any(cells):
            continue
        code, title, level = (
            cells[columns[name]] if columns.get(name, len(cells)) < len(cells) else ""
            for name in ("code", "title", "level")
        )
        if level.isdigit() and code.isdigit() and isinstance(values[columns["code"]], int | float):
            code = code.zfill(int(level))
        reason = _row_problem(code, title, level, first_seen)
        if reason:
            problems.append(ImportProblem(row=number, reason=reason))
        else:
            first_seen[code] = number
            rows.append(OccupationRow(code=code, name=title))
    return SheetImport(rows=rows, problems=problems)


def _row_problem(code: str, title: str, level: str, first_seen: dict[str, int]) -> str | None:
    if not CODE_RE.match(code):
        return _("the code %(code)s is not a number of 1 to 5 digits", code=repr(code))
    if level.isdigit() and int(level) != len(code):
        return _("the level %(level)s does not match the code %(code)s", level=level, code=code)
    if not title:
        return _("the title is empty")
    if len(title) > NAME_LENGTH:
        return _("the title is longer than %(n)s characters", n=NAME_LENGTH)
    if code in first_seen:
        return _("the code %(code)s is in row %(row)s already", code=code, row=first_seen[code])
    return None
