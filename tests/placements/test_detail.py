"""The placement page: who reaches it, what each side sees, constant queries."""

from __future__ import annotations

from typing import Any

import pytest

from portal.employers.tables import Slot, SlotStatus
from portal.placements.tables import Message, PlacementEvent
from tests.conftest import run
from tests.factories import login, make_slot
from tests.placements.factories import make_placement


def _url(placement_id: Any) -> str:
    return f"/placements/{placement_id}"


def test_it_shows_the_employer_the_pseudonymised_placement_and_its_actions(
    client: Any, slot: Any, candidate: Any, alice: Any, erik: Any
) -> None:
    placement_id = make_placement(
        "proposed", slot=slot, candidate=candidate, case_worker=alice, employer_user=erik
    )
    login(client, erik.email)
    response = client.get(_url(placement_id))
    assert response.status_code == 200
    page = response.text
    assert candidate.code in page and "Praktikum Schweißen" in page
    assert f"/placements/{placement_id}/transition/accept" in page
    assert f"/placements/{placement_id}/transition/decline" in page
    assert "/transition/withdraw" not in page  # the case worker's
    assert "Amina" not in page and "Haddad" not in page
    assert "Erfahrung im Schweißen" in page  # the nomination's note in the history
    assert 'class="profile-card"' in page


def test_it_shows_the_case_worker_the_link_to_the_case_and_the_dates_form(
    client: Any, slot: Any, candidate: Any, alice: Any, erik: Any
) -> None:
    placement_id = make_placement(
        "accepted", slot=slot, candidate=candidate, case_worker=alice, employer_user=erik
    )
    login(client, alice.email)
    page = client.get(_url(placement_id)).text
    assert f"/candidates/{candidate.id}" in page
    assert f"/placements/{placement_id}/transition/prepare" in page
    assert f'value="{slot.start_date.isoformat()}"' in page
    assert f"/placements/{placement_id}/release" in page
    assert 'class="profile-card"' not in page


@pytest.mark.parametrize(
    ("who", "status"),
    [("bob", 404), ("charlie", 404), ("fritz", 404), ("operator", 403), ("statistician", 403)],
)
def test_it_refuses_everyone_not_on_a_side(
    client: Any, request: Any, who: str, status: int, slot: Any, candidate: Any, alice: Any,
    erik: Any,
) -> None:  # fmt: skip
    placement_id = make_placement(
        "proposed", slot=slot, candidate=candidate, case_worker=alice, employer_user=erik
    )
    login(client, request.getfixturevalue(who).email)
    assert client.get(_url(placement_id)).status_code == status


def test_it_answers_404_for_a_malformed_id(client: Any, erik: Any) -> None:
    login(client, erik.email)
    assert client.get("/placements/not-an-id").status_code == 404


def _grow(placement_id: Any, user: Any, n: int) -> None:
    run(
        Message.insert(
            *(
                Message(placement=placement_id, author=user.id, body=f"Nachricht {i}")
                for i in range(n)
            )
        )
    )
    run(
        PlacementEvent.insert(
            *(
                PlacementEvent(placement=placement_id, action="start", note=f"Notiz {i}")
                for i in range(n)
            )
        )
    )


@pytest.mark.parametrize("side", ["employer", "case_worker"])
def test_it_reads_the_page_in_a_constant_number_of_queries(
    client: Any, queries: list[str], side: str, slot: Any, candidate: Any, alice: Any, erik: Any
) -> None:
    placement_id = make_placement(
        "in_progress", slot=slot, candidate=candidate, case_worker=alice, employer_user=erik
    )
    login(client, (erik if side == "employer" else alice).email)
    counts = []
    for n in (2, 10):
        _grow(placement_id, alice, n)
        queries.clear()
        response = client.get(_url(placement_id))
        assert response.status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
    assert "Nachricht 9" in response.text and "Notiz 9" in response.text


@pytest.mark.parametrize(
    ("state", "side"),
    [("proposed", "employer"), ("accepted", "case_worker"), ("in_progress", "employer")],
)
def test_it_gives_every_form_field_an_id_of_its_own(
    client: Any, state: str, side: str, slot: Any, candidate: Any, alice: Any, erik: Any
) -> None:
    import re

    placement_id = make_placement(
        state, slot=slot, candidate=candidate, case_worker=alice, employer_user=erik
    )
    login(client, (erik if side == "employer" else alice).email)
    ids = re.findall(r'id="(field-[^"]+)"', client.get(_url(placement_id)).text)
    assert ids and len(ids) == len(set(ids)), ids


def test_the_case_worker_finds_the_slot_and_its_contact_person_also_once_it_is_filled(
    client: Any, employer: Any, candidate: Any, alice: Any, bob: Any, charlie: Any, erik: Any
) -> None:
    slot = make_slot(
        employer,
        contact_name="Herr Werkstatt",
        contact_phone="+49 561 123456",
        tasks="Bleche zuschneiden",
    )
    placement_id = make_placement(
        "preparing", slot=slot, candidate=candidate, case_worker=alice, employer_user=erik
    )
    run(Slot.update({Slot.status: SlotStatus.filled}).where(Slot.id == slot.id))
    login(client, alice.email)
    page = client.get(_url(placement_id)).text
    contact = page[page.index('id="employer-contact"') :]
    assert "Herr Werkstatt" in contact and 'href="tel:+49561123456"' in contact
    assert f'href="/offers/{slot.id}">Angaben zum Platz' in page
    offer = client.get(f"/offers/{slot.id}")
    assert offer.status_code == 200
    assert "nicht mehr für Vorschläge offen" in offer.text
    assert "Bleche zuschneiden" in offer.text
    assert f"/offers/{slot.id}/candidates" not in offer.text  # no nominating on it
    for stranger in (bob, charlie):  # no placement of theirs on it
        login(client, stranger.email)
        assert client.get(f"/offers/{slot.id}").status_code == 404


def test_the_employer_is_not_shown_its_own_contact_person(
    client: Any, slot: Any, candidate: Any, alice: Any, erik: Any
) -> None:
    placement_id = make_placement(
        "accepted", slot=slot, candidate=candidate, case_worker=alice, employer_user=erik
    )
    login(client, erik.email)
    page = client.get(_url(placement_id)).text
    assert 'id="employer-contact"' not in page and "Angaben zum Platz" not in page
