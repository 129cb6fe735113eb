"""portal programme add / list: the operator sets up the funding programmes."""

from __future__ import annotations

from portal.reference.tables import Programme
from tests.conftest import run


def programmes() -> list[dict]:
    return run(Programme.select(Programme.name, Programme.description))


def test_it_adds_a_programme(cli):
    result = cli("programme", "add", "WIR-Fallmanagement", "--description", "Hessen")
    assert result.exit_code == 0, result.output
    assert "Programme added: WIR-Fallmanagement" in result.output
    assert programmes() == [{"name": "WIR-Fallmanagement", "description": "Hessen"}]


def test_it_refuses_a_name_that_exists_already(cli):
    cli("programme", "add", "WIR-Fallmanagement")
    result = cli("programme", "add", "wir-fallmanagement")
    assert result.exit_code == 1
    assert "exists already" in result.output
    assert len(programmes()) == 1


def test_it_refuses_an_empty_or_too_long_name(cli):
    assert cli("programme", "add", "").exit_code == 1
    assert cli("programme", "add", "x" * 151).exit_code == 1
    assert programmes() == []


def test_it_lists_the_programmes_by_name(cli):
    cli("programme", "add", "KAI – Kurs . Arbeit . Integration")
    cli("programme", "add", "Durchstarten in Ausbildung und Arbeit")
    result = cli("programme", "list")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines() == [
        "Durchstarten in Ausbildung und Arbeit",
        "KAI – Kurs . Arbeit . Integration",
    ]
