"""Changing a slot: drafts, open and paused slots; a published one must not start in the past."""

import json

import pytest

from portal.audit.tables import AuditEvent
from portal.employers.tables import SlotStatus
from tests.conftest import run
from tests.employers.slots import day, slot_form, slot_row
from tests.factories import login, make_slot, post_form


def edit(client, slot, **changes):
    return post_form(client, f"/slots/{slot.id}/edit", slot_form(**changes))


def test_it_shows_the_stored_slot_in_the_form(client, employer, member):
    slot = make_slot(employer, title="Praktikum Metallbau", occupation="24412")
    login(client, member.email)
    response = client.get(f"/slots/{slot.id}/edit")
    assert response.status_code == 200
    assert 'value="Praktikum Metallbau"' in response.text
    assert 'value="24412"' in response.text
    assert "24412 – Berufe im Metallbau" in response.text
    assert f'value="{slot.start_date.isoformat()}"' in response.text


def test_it_saves_the_changes_of_a_draft(client, employer, admin):
    slot = make_slot(employer, status=SlotStatus.draft)
    login(client, admin.email)
    response = edit(client, slot, title="Praktikum Schweißen und Schleifen", places="3")
    assert response.status_code == 200
    assert "Die Änderungen wurden gespeichert." in response.text
    row = slot_row(slot.id)
    assert row["title"] == "Praktikum Schweißen und Schleifen"
    assert row["places"] == 3
    assert row["status"] == "draft"
    [event] = run(AuditEvent.select().where(AuditEvent.action == "slot.changed"))
    detail = event["detail"] if isinstance(event["detail"], dict) else json.loads(event["detail"])
    assert "title" in detail["fields"] and "places" in detail["fields"]
    assert "Schleifen" not in str(detail)


def test_it_keeps_an_open_slot_open(client, employer, admin):
    slot = make_slot(employer)
    login(client, admin.email)
    edit(client, slot, hours_per_week="30")
    row = slot_row(slot.id)
    assert (row["status"], row["hours_per_week"]) == ("open", 30)


def test_it_refuses_to_move_an_open_slot_into_the_past(client, employer, admin):
    slot = make_slot(employer)
    login(client, admin.email)
    response = edit(client, slot, start_date=day(-2).isoformat(), end_date=day(5).isoformat())
    assert response.status_code == 400
    assert "Ein veröffentlichter Platz kann nicht in der Vergangenheit" in response.text
    assert slot_row(slot.id)["start_date"] == slot.start_date


def test_it_lets_a_draft_start_in_the_past(client, employer, admin):
    slot = make_slot(employer, status=SlotStatus.draft)
    login(client, admin.email)
    edit(client, slot, start_date=day(-2).isoformat(), end_date=day(5).isoformat())
    assert slot_row(slot.id)["start_date"] == day(-2)


def test_it_refuses_29_days_on_an_edit(client, employer, admin):
    slot = make_slot(employer, status=SlotStatus.draft)
    login(client, admin.email)
    response = edit(client, slot, start_date=day(10).isoformat(), end_date=day(38).isoformat())
    assert response.status_code == 400
    assert "29 Tage" in response.text
    assert slot_row(slot.id)["end_date"] == slot.end_date


def test_it_answers_htmx_with_the_form_alone(client, employer, admin):
    slot = make_slot(employer)
    login(client, admin.email)
    response = post_form(
        client, f"/slots/{slot.id}/edit", slot_form(places="abc"), headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<form id="slot-form"')
    assert slot_row(slot.id)["places"] == 1


@pytest.mark.parametrize("status", [SlotStatus.closed, SlotStatus.filled, SlotStatus.expired])
def test_it_refuses_to_change_a_finished_slot(client, employer, admin, status):
    slot = make_slot(employer, status=status)
    login(client, admin.email)
    response = edit(client, slot, title="Neu")
    assert response.status_code == 409
    assert "kann nicht geändert werden" in response.text
    assert slot_row(slot.id)["title"] == "Praktikum Schweißen"
    assert client.get(f"/slots/{slot.id}/edit").status_code == 409
