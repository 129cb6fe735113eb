import datetime as dt

import pytest

from portal.accounts.tables import OrgKind, OrgStatus
from portal.employers.tables import SlotKind, SlotStatus
from tests.conftest import run
from tests.factories import make_municipality, make_org, make_slot
from tests.search.slots import in_days, occupation_name


def test_it_shows_everything_a_case_manager_needs(searching, employer):
    employer.street, employer.postcode, employer.city = "Hafenstraße 3", "04808", "Wurzen"
    employer.description = "Stahlbau seit 1952."
    run(employer.save())
    slot = make_slot(
        employer,
        title="Praktikum Schweißen",
        kind=SlotKind.employer_measure,
        municipality=make_municipality("Wurzen").id,
        start_date=dt.date(2099, 3, 2),
        end_date=dt.date(2099, 3, 13),
        hours_per_week=30,
        places=2,
        min_german="B1",
        tasks="MAG-Schweißen an Geländern.\nSchleifen.",
        requirements="Sicherheitsschuhe",
        safety_equipment=True,
        hire_possible=True,
        contact_name="Karl Kruse",
        contact_phone="03425 1234",
        contact_email="karl@kruse.example.org",
    )
    response = searching.get(f"/offers/{slot.id}")
    assert response.status_code == 200
    text = response.text
    assert '<h1 class="kern-heading-large">Praktikum Schweißen</h1>' in text
    assert "Maßnahme bei einem Arbeitgeber (§45 SGB III)" in text
    assert "die Maßnahme muss für die Person vor dem ersten Tag bewilligt sein" in text
    assert f"24412 {occupation_name('24412')}" in text
    assert "02.03.2099 – 13.03.2099" in text
    assert ">30</dd>" in text and ">2</dd>" in text and ">B1</dd>" in text
    assert "MAG-Schweißen an Geländern.<br>Schleifen." in text
    assert "Sicherheitsschuhe" in text
    assert "Metallbau Kruse GmbH" in text and "Hafenstraße 3" in text and "04808 Wurzen" in text
    assert "Stahlbau seit 1952." in text
    assert "Karl Kruse" in text and 'href="tel:034251234"' in text
    assert 'href="mailto:karl@kruse.example.org"' in text
    assert "Statistik der Bundesagentur für Arbeit" in text


def test_it_names_the_companys_contact_when_the_slot_has_none(searching, employer):
    employer.contact_name, employer.contact_email = "Petra Personal", "personal@kruse.example.org"
    run(employer.save())
    slot = make_slot(employer)
    response = searching.get(f"/offers/{slot.id}")
    assert "Petra Personal" in response.text
    assert "personal@kruse.example.org" in response.text


def test_it_escapes_what_the_employer_wrote(searching, employer):
    slot = make_slot(employer, title="<script>alert(1)</script>", tasks="<b>fett</b>")
    response = searching.get(f"/offers/{slot.id}")
    assert "<script>alert(1)</script>" not in response.text
    assert "&lt;b&gt;fett&lt;/b&gt;" in response.text


@pytest.mark.parametrize(
    "status",
    [SlotStatus.draft, SlotStatus.paused, SlotStatus.filled, SlotStatus.closed, SlotStatus.expired],
)
def test_it_does_not_find_a_slot_that_is_not_open(searching, employer, status):
    slot = make_slot(employer, title="Geheim", status=status)
    response = searching.get(f"/offers/{slot.id}")
    assert response.status_code == 404
    assert "Geheim" not in response.text


def test_it_does_not_find_a_slot_whose_end_date_has_passed(searching, employer):
    slot = make_slot(employer, start_date=in_days(-10), end_date=in_days(-1))
    assert searching.get(f"/offers/{slot.id}").status_code == 404


@pytest.mark.parametrize("status", [OrgStatus.pending, OrgStatus.suspended, OrgStatus.rejected])
def test_it_does_not_find_the_slot_of_an_employer_that_is_not_approved(searching, status):
    slot = make_slot(make_org(OrgKind.employer, status=status), title="Geheim")
    response = searching.get(f"/offers/{slot.id}")
    assert response.status_code == 404
    assert "Geheim" not in response.text


@pytest.mark.parametrize(
    "slot_id", ["42", "not-a-uuid", "3f2b8c1e-0d4a-4e7b-9c56-8a1f2e3d4c5b", "%27%20or%201%3D1"]
)
def test_it_does_not_find_a_malformed_or_unknown_id(searching, slot_id):
    assert searching.get(f"/offers/{slot_id}").status_code == 404
