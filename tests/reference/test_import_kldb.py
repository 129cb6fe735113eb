"""`portal import-kldb FILE.xlsx`: the complete KldB 2010 from the BA's spreadsheet."""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook

from portal.reference.tables import Occupation
from tests.conftest import run

WELDING = "Berufe in der Schweiß- und Verbindungstechnik – fachlich ausgerichtete Tätigkeiten"


def spreadsheet(path: Path, rows: list[tuple]) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(list(row))
    workbook.save(path)
    return path


def name_of(code: str) -> str | None:
    row = run(Occupation.select(Occupation.name).where(Occupation.code == code).first())
    return row["name"] if row else None


def test_it_imports_the_good_rows_and_reports_the_others(cli, tmp_path):
    path = spreadsheet(
        tmp_path / "kldb.xlsx",
        [
            ("Klassifikation der Berufe 2010 – Systematisches Verzeichnis",),
            (),
            ("Schlüssel KldB 2010", "Ebene", "Titel", "Kurztitel"),
            (11, 3, "Offiziere (neu)", "Offiziere"),  # a number: the leading zero comes back
            ("2443", 4, "Testgruppe Unterwasser", "Test"),
            ("24A22", 5, "Berufe mit einem Buchstaben", ""),
            (24412, 5, "", ""),
            (24422, 5, WELDING, ""),
            ("2444", 5, "Ebene passt nicht", ""),
        ],
    )
    result = cli("import-kldb", str(path))
    assert result.exit_code == 0, result.output
    assert "row 6: the code '24A22' is not a number of 1 to 5 digits" in result.stderr
    assert "row 7: the title is empty" in result.stderr
    assert "row 9: the level 5 does not match the code 2444" in result.stderr
    assert "row 1" not in result.stderr and "row 3" not in result.stderr
    assert "Occupations: 3 read, 3 rows skipped; 1 added, 1 changed." in result.stdout
    assert name_of("011") == "Offiziere (neu)"
    assert name_of("2443") == "Testgruppe Unterwasser"
    assert name_of("24412") == "Berufe im Metallbau – fachlich ausgerichtete Tätigkeiten"
    assert name_of("24A22") is None


def test_it_reads_a_sheet_without_a_header_as_code_and_title(cli, tmp_path):
    rows = [("2443", "Testgruppe"), ("24431", "Test – Helfer")]
    path = spreadsheet(tmp_path / "plain.xlsx", rows)
    result = cli("import-kldb", str(path))
    assert result.exit_code == 0, result.output
    assert name_of("24431") == "Test – Helfer"
    assert run(Occupation.select(Occupation.parent).where(Occupation.code == "24431"))[0] == {
        "parent": "2443"
    }


def test_it_fails_when_no_row_could_be_read(cli, tmp_path):
    path = spreadsheet(tmp_path / "bad.xlsx", [("Code", "Titel"), ("abc", "Etwas"), ("12", "")])
    before = run(Occupation.count())
    result = cli("import-kldb", str(path))
    assert result.exit_code == 1
    assert "row 2: the code 'abc' is not a number of 1 to 5 digits" in result.stderr
    assert "no occupation could be read from the file" in result.stderr
    assert run(Occupation.count()) == before


def test_it_refuses_a_file_that_is_no_spreadsheet(cli, tmp_path):
    path = tmp_path / "kldb.xlsx"
    path.write_text("code;name\n24422;Schweißen\n")
    result = cli("import-kldb", str(path))
    assert result.exit_code == 1
    assert "cannot be read as a spreadsheet" in result.stderr


def test_it_refuses_a_missing_file(cli, tmp_path):
    result = cli("import-kldb", str(tmp_path / "nowhere.xlsx"))
    assert result.exit_code == 1
    assert "no such file" in result.stderr
