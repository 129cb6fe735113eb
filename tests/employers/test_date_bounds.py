"""Slot dates within a sensible window; the calendar export survives rows stored before it."""

import datetime as dt

import pytest

from portal.clock import today
from tests.employers.slots import post_slot, slots_of
from tests.factories import login, make_slot


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("end_date", "9999-12-30"),
        ("start_date", "0001-01-01"),
        ("end_date", (today() + dt.timedelta(days=3 * 365)).isoformat()),
        ("start_date", (today() - dt.timedelta(days=2 * 365)).isoformat()),
    ],
)
def test_it_refuses_a_slot_date_outside_its_window(client, employer, admin, field, value):
    login(client, admin.email)
    response = post_slot(client, **{field: value})
    assert response.status_code == 400
    assert slots_of(employer) == []


def test_it_says_which_dates_a_slot_may_have(client, employer, admin):
    login(client, admin.email)
    far = (today() + dt.timedelta(days=3 * 365)).isoformat()
    response = post_slot(client, end_date=far)
    assert "Bitte geben Sie ein Datum vom" in response.text


def test_it_accepts_a_slot_a_year_and_a_half_ahead(client, employer, admin):
    login(client, admin.email)
    start = today() + dt.timedelta(days=540)
    post_slot(client, start_date=start.isoformat(), end_date=(start + dt.timedelta(13)).isoformat())
    [slot] = slots_of(employer)
    assert slot["start_date"] == start


def test_it_leaves_out_a_stored_slot_dated_9999_from_the_calendar(client, employer, member):
    make_slot(employer, title="Ewig", start_date=today(), end_date=dt.date(9999, 12, 31))
    make_slot(employer, title="Normal")
    login(client, member.email)
    response = client.get("/slots/calendar.ics")
    assert response.status_code == 200
    assert "Normal" in response.text
    assert "Ewig" not in response.text
