"""The occupations that ship with the project: data/kldb2010.csv."""

from __future__ import annotations

import csv
from collections import Counter

from portal.reference.loading import KLDB_CSV


def rows() -> list[dict[str, str]]:
    with KLDB_CSV.open(encoding="utf-8", newline="") as fh:
        reader = csv.DictReader(fh, delimiter=";")
        assert reader.fieldnames == ["code", "level", "name", "parent"]
        return list(reader)


def test_it_has_every_area_main_group_and_group_of_the_classification():
    levels = Counter(row["level"] for row in rows())
    assert (levels["1"], levels["2"], levels["3"]) == (10, 37, 144)


def test_it_has_numeric_codes_whose_level_is_their_length():
    for row in rows():
        assert row["code"].isdigit(), row
        assert int(row["level"]) == len(row["code"]), row


def test_it_has_a_known_parent_for_every_code_below_the_areas():
    codes = {row["code"] for row in rows()}
    for row in rows():
        if row["level"] == "1":
            assert row["parent"] == "", row
        else:
            assert row["parent"] == row["code"][:-1], row
            assert row["parent"] in codes, row


def test_it_has_no_code_twice_and_a_name_for_each():
    codes = Counter(row["code"] for row in rows())
    assert [code for code, n in codes.items() if n > 1] == []
    assert all(0 < len(row["name"]) <= 300 for row in rows())


def test_it_has_the_occupations_the_pilot_regions_ask_for_first():
    names = {row["code"]: row["name"] for row in rows()}
    assert names["244"] == "Metallbau und Schweißtechnik"
    assert names["24422"] == (
        "Berufe in der Schweiß- und Verbindungstechnik – fachlich ausgerichtete Tätigkeiten"
    )
    assert names["24412"] == "Berufe im Metallbau – fachlich ausgerichtete Tätigkeiten"
    for group in ("121", "242", "244", "261", "293", "513", "541", "621", "633", "813", "821"):
        assert any(len(code) == 5 and code.startswith(group) for code in names), group
