"""CSV and spreadsheet exports (board, audit log, statistics) keep a formula-like cell as text."""

from __future__ import annotations

import pytest

from portal.files import csv_cell


@pytest.mark.parametrize("value", ["=1+1", "+49 561", "-2", "@SUM(A1)", "\tx", "\rx"])
def test_a_cell_a_spreadsheet_would_run_is_kept_as_text(value):
    assert csv_cell(value) == "'" + value


@pytest.mark.parametrize(("value", "text"), [("K-7Q4M2", "K-7Q4M2"), (12, "12"), (None, "")])
def test_other_cells_are_left_as_they_are(value, text):
    assert csv_cell(value) == text
