"""municipalities(): the active municipalities for the forms, by name."""

from __future__ import annotations

from portal.reference.services import municipalities, programmes
from portal.reference.tables import Programme
from tests.conftest import run
from tests.factories import make_municipality


def test_it_lists_the_active_municipalities_by_name(app):
    make_municipality("Weststadt")
    make_municipality("Altdorf", active=False)
    make_municipality("Nordheim", district="Landkreis Musterland")
    rows = run(municipalities())
    assert [row["name"] for row in rows] == ["Nordheim", "Weststadt"]
    assert set(rows[0]) == {"id", "name", "district"}
    assert rows[0]["district"] == "Landkreis Musterland"


def test_it_lists_the_active_programmes_by_name(app):
    run(Programme.insert(Programme(name="WIR-Fallmanagement"), Programme(name="Alt", active=False)))
    run(Programme.insert(Programme(name="Durchstarten in Ausbildung und Arbeit")))
    assert [row["name"] for row in run(programmes())] == [
        "Durchstarten in Ausbildung und Arbeit",
        "WIR-Fallmanagement",
    ]
