"""The search's conditions use indexed columns, so that it stays fast at a federal state's scale."""

import pytest

from portal.employers.tables import Slot


@pytest.mark.parametrize(
    "column",
    [
        Slot.status,
        Slot.end_date,
        Slot.start_date,
        Slot.employer,
        Slot.occupation,
        Slot.occupation_area,
        Slot.occupation_main_group,
        Slot.occupation_group,
        Slot.municipality,
        Slot.min_german,
        Slot.kind,
    ],
    ids=lambda column: column._meta.name,
)
def test_it_filters_on_indexed_columns(column):
    assert column._meta.index
