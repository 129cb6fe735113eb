"""Reading an uploaded spreadsheet: CSV (UTF-8, comma or semicolon) or .xlsx, bounded.

.xlsx is read with openpyxl (already the project's reader of the KldB spreadsheet) in read-only
mode: it streams the sheet's XML row by row instead of building the whole workbook in memory.
An .xlsx is a zip archive, so before openpyxl sees it the archive's entries are checked — their
number and their unpacked size — against a bound (a few kilobytes of zip can unpack to
gigabytes); the file itself is bounded by MAX_BYTES and the rows by MAX_ROWS. Parsing runs in a
worker thread (portal.cpu), never on the event loop.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import zipfile
from dataclasses import dataclass

from openpyxl import Workbook, load_workbook

from portal.cpu import run_cpu_bound_within
from portal.i18n import _

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
MAX_COLUMNS = 60
MAX_CELL = 2000
# An .xlsx unpacks to at most this much (its XML is roughly ten times the zip).
MAX_UNPACKED = 100 * 1024 * 1024
MAX_ENTRIES = 200
PARSE_SECONDS = 60
XLSX_MAGIC = b"PK\x03\x04"


class Unreadable(Exception):
    """The file cannot be read as a table; the message says why (shown on the page)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Sheet:
    """The header row's column names and the rows below it (row numbers as in the file)."""

    columns: list[str]
    rows: list[tuple[int, dict[str, str]]]


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _sheet(lines: list[tuple[int, list[str]]]) -> Sheet:
    """`lines`: the non-empty rows with their numbers in the file, the header first."""
    if not lines:
        raise Unreadable(_("The file is empty. Please use the template."))
    header = [name.strip().lower() for name in lines[0][1]]
    while header and not header[-1]:
        header.pop()
    if len(header) > MAX_COLUMNS:
        raise Unreadable(_("The file has more than %(n)s columns.", n=MAX_COLUMNS))
    rows = [
        (number, {name: (cells[i] if i < len(cells) else "") for i, name in enumerate(header)})
        for number, cells in lines[1:]
    ]
    return Sheet(header, rows)


def _add(lines: list[tuple[int, list[str]]], number: int, cells: list[str]) -> None:
    """Keep a row unless it is empty; refuse the file past MAX_ROWS rows below the header."""
    if not any(cells):
        return
    if len(lines) > MAX_ROWS:
        raise Unreadable(
            _("The file has more than %(n)s rows. Please split it into several files.", n=MAX_ROWS)
        )
    lines.append((number, cells))


def read_csv(data: bytes) -> Sheet:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise Unreadable(_("The file is not UTF-8 text. Please save it as CSV UTF-8.")) from None
    if "\x00" in text:
        raise Unreadable(_("The file is not UTF-8 text. Please save it as CSV UTF-8."))
    first = text.split("\n", 1)[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    csv.field_size_limit(MAX_CELL * 4)
    lines: list[tuple[int, list[str]]] = []
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        for cells in reader:
            # line_num: the file's line, so that a row is named as the spreadsheet shows it.
            _add(lines, reader.line_num, [cell.strip() for cell in cells[: MAX_COLUMNS + 1]])
    except csv.Error:
        raise Unreadable(_("The file cannot be read as CSV.")) from None
    return _sheet(lines)


def read_xlsx(data: bytes) -> Sheet:
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_ENTRIES or sum(e.file_size for e in entries) > MAX_UNPACKED:
                raise Unreadable(_("The spreadsheet is too large once unpacked."))
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Unreadable:
        raise
    except Exception:  # zipfile, XML and openpyxl's own errors: not a spreadsheet we can read
        raise Unreadable(_("The file cannot be read as an .xlsx spreadsheet.")) from None
    try:
        sheet = workbook.worksheets[0]
        lines: list[tuple[int, list[str]]] = []
        rows = sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS + 1)
        for number, cells in enumerate(rows, start=1):
            _add(lines, number, [_cell(value) for value in cells])
    finally:
        workbook.close()
    return _sheet(lines)


def read_table(data: bytes, filename: str) -> Sheet:
    """The table in an uploaded file (blocking; see read_upload)."""
    if len(data) > MAX_BYTES:
        raise Unreadable(_("The file is larger than %(n)s MB.", n=MAX_BYTES // (1024 * 1024)))
    if data.startswith(XLSX_MAGIC):
        return read_xlsx(data)
    if filename.lower().endswith((".xlsx", ".xlsm", ".xls")):
        raise Unreadable(_("The file cannot be read as an .xlsx spreadsheet."))
    return read_csv(data)


async def read_upload(data: bytes, filename: str) -> Sheet:
    """read_table in a worker thread, so that parsing 5,000 rows never blocks the event loop."""
    return await run_cpu_bound_within(PARSE_SECONDS, read_table, data, filename)


# -- the templates ----------------------------------------------------------------------------


def template_csv(columns: list[str], example: dict[str, str]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(columns)
    writer.writerow([example.get(name, "") for name in columns])
    # With a byte-order mark, so that a spreadsheet program opens it as UTF-8.
    return ("\ufeff" + out.getvalue()).encode()


def template_xlsx(columns: list[str], example: dict[str, str]) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(columns)
    sheet.append([example.get(name, "") for name in columns])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
