"""A placement's hours a week follow the slot's rule: at most 40 (slot_form.MAX_HOURS)."""

import datetime as dt

import pytest

from portal.employers.slot_form import MAX_HOURS
from portal.placements.checks import date_problems
from portal.placements.transitions import Input


def slot_row():
    start = dt.date(2026, 3, 2)
    return {"slot_start": start, "slot_end": start + dt.timedelta(days=13), "slot_duration": 14}


def prepared(hours):
    start = dt.date(2026, 3, 2)
    return Input(start_date=start, end_date=start + dt.timedelta(days=4), hours_per_week=hours)


@pytest.mark.parametrize("hours", [41, 48, 0])
def test_it_refuses_more_hours_than_a_slot_may_offer(hours):
    assert "hours_per_week" in date_problems(slot_row(), prepared(hours))


@pytest.mark.parametrize("hours", [1, 35, MAX_HOURS])
def test_it_accepts_the_hours_a_slot_may_offer(hours):
    assert date_problems(slot_row(), prepared(hours)) == {}


def test_the_limit_is_the_slots():
    assert MAX_HOURS == 40
