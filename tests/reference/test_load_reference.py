"""Loading the shipped occupations: `portal load-reference`, also run for the test databases."""

from __future__ import annotations

from portal.reference.loading import LoadResult, load_reference, read_kldb_csv
from portal.reference.tables import Occupation
from tests.conftest import run


def table() -> list[dict]:
    return run(Occupation.select().order_by(Occupation.code))


def test_it_has_loaded_the_shipped_occupations(app):
    rows = table()
    assert len(rows) == len(read_kldb_csv())
    welding = next(row for row in rows if row["code"] == "24422")
    assert welding == {
        "code": "24422",
        "level": 5,
        "name": "Berufe in der Schweiß- und Verbindungstechnik – "
        "fachlich ausgerichtete Tätigkeiten",
        "parent": "2442",
    }
    assert next(row for row in rows if row["code"] == "2")["parent"] is None


def test_it_changes_nothing_when_loaded_again(app):
    before = table()
    result = run(load_reference())
    assert result == LoadResult(added=0, changed=0, unchanged=len(before))
    assert table() == before


def test_it_puts_back_a_changed_name_and_a_missing_occupation(app):
    before = table()
    run(Occupation.update({Occupation.name: "Schweißen"}).where(Occupation.code == "24422"))
    run(Occupation.delete().where(Occupation.code == "51312"))
    result = run(load_reference())
    assert (result.added, result.changed) == (1, 1)
    assert table() == before


def test_it_is_a_command(cli):
    result = cli("load-reference")
    assert result.exit_code == 0, result.output
    assert "Occupations: 0 added, 0 changed" in result.output
