"""CSV, spreadsheet and JSON of a view: the same cells suppressed as on the page."""

from __future__ import annotations

import csv
import io
from html.parser import HTMLParser

from openpyxl import load_workbook

from portal.accounts.tables import OrgKind, OrgStatus, Role
from tests.factories import login, make_org, make_user
from tests.stats.history import make_history

QUERY = "?by=chamber"


class Tables(HTMLParser):
    """table id → [(row label, [signs])] of the page's statistics tables."""

    def __init__(self) -> None:
        super().__init__()
        self.found: dict[str, list[tuple[str, list[str]]]] = {}
        self.table: str | None = None
        self.in_body = self.in_label = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "table" and "data-table" in attrs:
            self.table = attrs["data-table"]
            self.found[self.table] = []
        elif tag == "tbody":
            self.in_body = True
        elif self.table and self.in_body and tag == "th":
            self.in_label = True
            self.found[self.table].append(("", []))
        elif self.table and self.in_body and tag == "td":
            self.found[self.table][-1][1].append(attrs["data-sign"])

    def handle_endtag(self, tag):
        if tag == "table":
            self.table, self.in_body = None, False
        elif tag == "th":
            self.in_label = False

    def handle_data(self, data):
        if self.in_label and self.table:
            label, signs = self.found[self.table][-1]
            self.found[self.table][-1] = (label + data.strip(), signs)


def from_json(data) -> dict[str, list[tuple[str, list[str]]]]:
    return {
        t["id"]: [(r["label"], [c["sign"] for c in r["cells"]]) for r in t["rows"]]
        for t in data["tables"]
    }


def sections(rows: list[list[str]], titles: dict[str, str]) -> dict[str, list[tuple[str, list]]]:
    """The tables of a CSV or a sheet, by id (found by their titles)."""
    ids = {title: table_id for table_id, title in titles.items()}
    found: dict[str, list[tuple[str, list]]] = {}
    current = None
    for row in rows:
        row = ["" if cell is None else str(cell) for cell in row]
        if not any(row):
            current = None
        elif current is None and row[0] in ids:
            current = ids[row[0]]
            found[current] = []
        elif current is not None and row[0]:
            found[current].append((row[0], [cell for cell in row[1:] if cell != ""]))
    return found


def test_every_output_suppresses_the_same_cells(client):
    make_history(per_employer=3, employers=4)
    login(client, make_user(make_org(OrgKind.authority, status=OrgStatus.active),
                            Role.statistics_viewer).email)  # fmt: skip
    data = client.get(f"/statistics/figures.json{QUERY}").json()
    expected = from_json(data)
    titles = {t["id"]: t["title"] for t in data["tables"]}
    signs = {sign for rows in expected.values() for _label, cells in rows for sign in cells}
    # Not vacuous: the view has suppressed cells, true zeros and numbers.
    assert {"*", "–", "12"} <= signs

    parser = Tables()
    parser.feed(client.get(f"/statistics{QUERY}").text)
    assert set(parser.found) == {"funnel", "rates", "medians", "employers", "by_chamber"}
    for table_id, rows in parser.found.items():
        assert rows == expected[table_id], table_id

    text = client.get(f"/statistics/figures.csv{QUERY}").text
    from_csv = sections(list(csv.reader(io.StringIO(text), delimiter=";")), titles)
    assert from_csv == expected

    book = load_workbook(io.BytesIO(client.get(f"/statistics/figures.xlsx{QUERY}").content))
    from_xlsx = sections([list(r) for r in book.active.iter_rows(values_only=True)], titles)
    assert from_xlsx == expected


def test_a_true_zero_is_never_a_suppressed_cell(client):
    make_history(per_employer=3, employers=4)
    login(client, make_user(make_org(OrgKind.authority, status=OrgStatus.active),
                            Role.statistics_viewer).email)  # fmt: skip
    data = client.get("/statistics/figures.json").json()
    cells = [c for t in data["tables"] for r in t["rows"] for c in r["cells"]]
    assert {"sign": "–", "value": 0} in cells
    assert {"sign": "*", "value": None} in cells
    for cell in cells:
        if cell["sign"] == "*":
            assert cell["value"] is None
        if cell["sign"] == "–":
            assert cell["value"] == 0
