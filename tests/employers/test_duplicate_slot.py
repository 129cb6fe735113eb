"""Duplicating a slot: a copy as a draft, whatever the original's status."""

import pytest

from portal.audit.tables import AuditEvent
from portal.employers.tables import SlotStatus
from tests.conftest import run
from tests.employers.slots import slot_row, slots_of
from tests.factories import login, make_slot, post_form


@pytest.mark.parametrize("status", list(SlotStatus))
def test_it_copies_the_slot_as_a_draft(client, employer, member, status):
    original = make_slot(employer, status=status, places=3, min_german="B1", tasks="Schweißen")
    login(client, member.email)
    response = post_form(client, f"/slots/{original.id}/duplicate", {})
    assert response.status_code == 200
    assert "Eine Kopie wurde als Entwurf gespeichert." in response.text
    copy = next(row for row in slots_of(employer) if row["id"] != original.id)
    assert copy["title"] == "Praktikum Schweißen (Kopie)"
    assert copy["status"] == "draft"
    assert (copy["places"], copy["min_german"], copy["tasks"]) == (3, "B1", "Schweißen")
    assert copy["occupation_group"] == original.occupation_group
    assert copy["published_at"] is None
    assert slot_row(original.id)["status"] == status
    # The copy's form opens at once, to check its dates.
    assert 'value="Praktikum Schweißen (Kopie)"' in response.text
    [event] = run(AuditEvent.select().where(AuditEvent.record_id == str(copy["id"])))
    assert event["action"] == "slot.created"


def test_it_keeps_a_long_title_within_its_limit(client, employer, admin):
    original = make_slot(employer, title="S" * 200)
    login(client, admin.email)
    post_form(client, f"/slots/{original.id}/duplicate", {})
    copy = next(row for row in slots_of(employer) if row["id"] != original.id)
    assert len(copy["title"]) <= 200
    assert copy["title"].endswith(" (Kopie)")
