"""The demo's slots: several per demo employer, in every state an employer sets, created once."""

from portal.accounts.tables import Organisation
from portal.clock import today
from portal.demo import SLOTS, seed
from portal.employers.tables import Slot
from tests.conftest import run


def demo_slots():
    return run(
        Slot.select(
            Slot.title,
            Slot.status,
            Slot.start_date,
            Slot.end_date,
            Slot.duration_days,
            Slot.occupation,
            Slot.occupation_group,
            Slot.employer.name,
        ).order_by(Slot.title)
    )


def test_it_creates_the_demo_slots_once(app):
    run(seed())
    first = demo_slots()
    run(seed())
    assert demo_slots() == first
    assert len(first) == len(SLOTS)
    assert {row["status"] for row in first} == {"draft", "open", "paused", "closed"}
    assert {row["employer.name"] for row in first} == {
        "Metallbau Schmidt GmbH",
        "Logistik Nord GmbH & Co. KG",
    }


def test_it_keeps_the_rules_of_the_form(app):
    run(seed())
    for row in demo_slots():
        assert 1 <= row["duration_days"] <= 28
        assert row["occupation_group"] == row["occupation"][:3]
        if row["status"] == "open":
            assert row["start_date"] >= today()


def test_it_gives_the_demo_employers_a_contact_and_a_municipality(app):
    run(seed())
    rows = run(
        Organisation.select(Organisation.contact_name, Organisation.municipality).where(
            Organisation.name == "Metallbau Schmidt GmbH"
        )
    )
    assert rows[0]["contact_name"] == "Stefan Schmidt"
    assert rows[0]["municipality"] is not None
