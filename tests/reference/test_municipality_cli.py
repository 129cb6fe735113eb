"""portal municipality add / list: the operator sets up the region's municipalities."""

from __future__ import annotations

from portal.reference.tables import Municipality
from tests.conftest import run


def municipalities() -> list[dict]:
    return run(Municipality.select(Municipality.name, Municipality.ags, Municipality.district))


def test_it_adds_a_municipality(cli):
    result = cli("municipality", "add", "Nordheim", "--ags", "09999002", "--district", "Musterland")
    assert result.exit_code == 0, result.output
    assert "Municipality added: Nordheim" in result.output
    assert municipalities() == [{"name": "Nordheim", "ags": "09999002", "district": "Musterland"}]


def test_it_adds_one_without_an_ags(cli):
    result = cli("municipality", "add", "Südhausen")
    assert result.exit_code == 0, result.output
    assert municipalities() == [{"name": "Südhausen", "ags": None, "district": ""}]


def test_it_refuses_an_ags_that_is_not_eight_digits(cli):
    for ags in ("0999900", "099990021", "0999900x"):
        result = cli("municipality", "add", "Nordheim", "--ags", ags)
        assert result.exit_code == 1
        assert "8 digits" in result.output
    assert municipalities() == []


def test_it_refuses_a_name_that_exists_already(cli):
    cli("municipality", "add", "Nordheim", "--ags", "09999002")
    result = cli("municipality", "add", "NORDHEIM")
    assert result.exit_code == 1
    assert "exists already" in result.output
    assert len(municipalities()) == 1


def test_it_refuses_an_ags_that_exists_already(cli):
    cli("municipality", "add", "Nordheim", "--ags", "09999002")
    result = cli("municipality", "add", "Osterfeld", "--ags", "09999002")
    assert result.exit_code == 1
    assert "AGS 09999002 exists already" in result.output
    assert len(municipalities()) == 1


def test_it_refuses_an_empty_name(cli):
    result = cli("municipality", "add", "  ")
    assert result.exit_code == 1
    assert municipalities() == []


def test_it_lists_the_municipalities_by_name(cli):
    cli("municipality", "add", "Weststadt", "--ags", "09999004", "--district", "Musterland")
    cli("municipality", "add", "Nordheim")
    result = cli("municipality", "list")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["-", "Nordheim"]
    assert lines[1].split() == ["09999004", "Weststadt", "Musterland"]
