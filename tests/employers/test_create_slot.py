"""Posting a slot: as a draft or published at once, by the employer's admin or member."""

import datetime as dt

from portal.audit.tables import AuditEvent
from portal.employers.tables import Slot
from tests.conftest import run
from tests.employers.slots import day, post_slot, slot_form, slots_of
from tests.factories import login, make_municipality, make_occupation, post_form


def audit_actions(slot_id):
    rows = run(AuditEvent.select(AuditEvent.action).where(AuditEvent.record_id == str(slot_id)))
    return sorted(row["action"] for row in rows)


def test_it_saves_a_draft(client, employer, admin):
    login(client, admin.email)
    response = post_slot(client)
    assert response.status_code == 200
    assert "Der Entwurf wurde gespeichert." in response.text
    [slot] = slots_of(employer)
    assert slot["status"] == "draft"
    assert slot["title"] == "Praktikum Schweißen (MAG)"
    assert slot["start_date"] == day(30)
    assert slot["end_date"] == day(43)
    assert slot["duration_days"] == 14
    assert slot["flexible"] is False
    assert slot["hours_per_week"] == 35
    assert slot["places"] == 2
    assert slot["min_german"] == "A2"
    assert slot["safety_equipment"] is True
    assert slot["hire_possible"] is True
    assert slot["published_at"] is None
    assert audit_actions(slot["id"]) == ["slot.created"]


def test_it_stores_the_occupation_with_its_code_prefixes(client, employer, admin):
    login(client, admin.email)
    post_slot(client)
    [slot] = slots_of(employer)
    assert slot["occupation"] == "24412"
    assert slot["occupation_area"] == "2"
    assert slot["occupation_main_group"] == "24"
    assert slot["occupation_group"] == "244"


def test_it_publishes_at_once(client, employer, member):
    login(client, member.email)
    response = post_slot(client, intent="publish")
    assert "Der Platz wurde veröffentlicht." in response.text
    [slot] = slots_of(employer)
    assert slot["status"] == "open"
    assert slot["published_at"] is not None
    assert audit_actions(slot["id"]) == ["slot.created", "slot.published"]


def test_it_saves_an_availability_window(client, employer, admin):
    login(client, admin.email)
    post_slot(
        client,
        schedule="window",
        start_date=day(10).isoformat(),
        end_date=day(70).isoformat(),
        duration_days="21",
    )
    [slot] = slots_of(employer)
    assert slot["flexible"] is True
    assert slot["duration_days"] == 21
    assert slot["end_date"] == day(70)


def test_it_accepts_german_dates_typed_by_hand(client, employer, admin):
    login(client, admin.email)
    start, end = day(30), day(33)
    post_slot(client, start_date=start.strftime("%d.%m.%Y"), end_date=end.strftime("%d.%m.%Y"))
    [slot] = slots_of(employer)
    assert (slot["start_date"], slot["end_date"], slot["duration_days"]) == (start, end, 4)


def test_it_leaves_optional_fields_empty(client, employer, admin):
    login(client, admin.email)
    post_slot(
        client,
        requirements="",
        min_german="",
        safety_equipment=None,
        hire_possible=None,
        contact_name="",
        contact_phone="",
        contact_email="",
    )
    [slot] = slots_of(employer)
    assert slot["min_german"] is None
    assert slot["safety_equipment"] is False
    assert slot["contact_email"] == ""


def test_it_answers_htmx_with_a_client_redirect(client, employer, admin):
    login(client, admin.email)
    response = post_form(client, "/slots", slot_form(), headers={"HX-Request": "true"})
    [slot] = slots_of(employer)
    assert response.status_code == 200
    assert response.headers["HX-Redirect"] == f"/slots/{slot['id']}"


def test_it_suggests_the_company_contact_and_municipality(client, employer, admin):
    municipality = make_municipality("Leipzig")
    run(employer.update_self({"contact_name": "Karla Kontakt", "municipality": municipality.id}))
    login(client, admin.email)
    response = client.get("/slots/new")
    assert response.status_code == 200
    assert 'value="Karla Kontakt"' in response.text
    assert f'<option value="{municipality.id}" selected' in response.text
    assert "Orientierungspraktikum (MiLoG §22)" in response.text
    assert "braucht vor Beginn die Zustimmung des Jobcenters" in response.text
    assert "© Statistik der Bundesagentur für Arbeit" in response.text


def test_it_keeps_a_draft_whose_first_day_has_passed(client, employer, admin):
    """Only a published slot must not start in the past; a draft may be planned backwards."""
    make_occupation()
    login(client, admin.email)
    post_slot(client, start_date=day(-3).isoformat(), end_date=day(3).isoformat())
    [slot] = slots_of(employer)
    assert slot["start_date"] == day(-3)
    assert isinstance(slot["start_date"], dt.date)
    assert run(Slot.count()) == 1


def test_it_keeps_shift_work_and_shows_it_when_editing(client, employer, admin):
    login(client, admin.email)
    post_slot(client, shift_work="yes")
    [slot] = slots_of(employer)
    assert slot["shift_work"] is True
    page = client.get(f"/slots/{slot['id']}/edit").text
    assert " checked" in page.split('name="shift_work"')[1].split(">")[0]
    post_slot(client)
    assert slots_of(employer)[1]["shift_work"] is False
