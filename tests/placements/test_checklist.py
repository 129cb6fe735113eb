"""The start checklist: the case worker confirms each item (who, when), the employer sees only
whether the placement is ready to start."""

from __future__ import annotations

import pytest

from portal.clock import today
from portal.employers.tables import SlotKind
from portal.placements.tables import ChecklistItem, PlacementEvent
from tests.conftest import run
from tests.factories import login, make_slot, post_form
from tests.placements.factories import make_placement


def url(placement_id, what="checklist"):
    return f"/placements/{placement_id}/{what}"


@pytest.fixture
def preparing(slot, candidate, alice, erik):
    return make_placement(
        "preparing", slot=slot, candidate=candidate, case_worker=alice, employer_user=erik
    )


def items(placement_id):
    rows = run(ChecklistItem.select().where(ChecklistItem.placement == placement_id))
    return {row["item"]: row for row in rows}


def test_it_confirms_an_item_with_who_and_when(client, alice, preparing):
    login(client, alice.email)
    response = post_form(
        client, url(preparing), {"item": "insurance", "insurance": "BG Holz und Metall"}
    )
    assert response.status_code == 200  # after the redirect
    assert "Bestätigt: Unfallversicherungsträger notiert." in response.text
    assert "bestätigt von Alice Fallmanagerin am" in response.text
    row = items(preparing)["insurance"]
    assert (row["value"], row["confirmed_by"]) == ("BG Holz und Metall", alice.id)
    [event] = run(PlacementEvent.select().where(PlacementEvent.action == "checklist.insurance"))
    assert event["actor"] == alice.id


def test_it_updates_a_confirmed_item_in_place(client, alice, team_lead, preparing):
    login(client, alice.email)
    post_form(client, url(preparing), {"item": "insurance", "insurance": "VBG"})
    login(client, team_lead.email)
    post_form(client, url(preparing), {"item": "insurance", "insurance": "BG Bau"})
    assert len(run(ChecklistItem.select().where(ChecklistItem.placement == preparing))) == 1
    row = items(preparing)["insurance"]
    assert (row["value"], row["confirmed_by"]) == ("BG Bau", team_lead.id)


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"item": "work_access"}, "work_access", "Bitte füllen Sie dieses Feld aus."),
        ({"item": "work_access", "work_access": "guess"}, "work_access", "eine der Möglichkeiten"),
        (
            {
                "item": "work_access",
                "work_access": "permit_obtained",
                "work_access_reference": "Frau Muster, 0561 1234567",
            },
            "work_access_reference",
            "Telefonnummer",
        ),
        ({"item": "insurance", "insurance": "vbg@example.org"}, "insurance", "E-Mail-Adresse"),
        ({"item": "insurance", "insurance": "  "}, "insurance", "Bitte füllen Sie"),
        ({"item": "agreement"}, "agreement", "unterschrieben"),
        ({"item": "safety_briefing", "safety_briefing": "31.02.2026"}, "safety_briefing", "Datum"),
        ({"item": "approval", "approval": "AZ 123"}, "item", "nicht Teil der Checkliste"),
    ],
)
def test_it_refuses_bad_input_and_changes_nothing(client, alice, preparing, data, field, message):
    login(client, alice.email)
    response = post_form(client, url(preparing), data)
    assert response.status_code == 400
    assert message in response.text
    assert items(preparing) == {}


def test_it_is_complete_with_every_required_item(client, alice, erik, preparing):
    login(client, alice.email)
    for data in (
        {"item": "work_access", "work_access": "not_needed_free"},
        {"item": "insurance", "insurance": "BG Holz und Metall"},
        {"item": "agreement", "agreement": "yes"},
        {"item": "safety_briefing", "safety_briefing": "2026-11-21"},
    ):
        assert post_form(client, url(preparing), data).status_code == 200
    assert set(items(preparing)) == {"work_access", "insurance", "agreement", "safety_briefing"}
    assert items(preparing)["safety_briefing"]["value"] == "2026-11-21"
    page = client.get(f"/placements/{preparing}").text
    assert "21.11.2026" in page
    login(client, erik.email)
    page = client.get(f"/placements/{preparing}").text
    assert "Bereit zum Start" in page
    assert "BG Holz und Metall" not in page and "Arbeitsmarkt" not in page
    assert "Checkliste:" not in page  # the case worker's steps stay out of its history


def test_it_needs_the_approval_for_a_measure(client, alice, erik, employer, candidate):
    slot = make_slot(employer, kind=SlotKind.employer_measure)
    placement = make_placement(
        "preparing", slot=slot, candidate=candidate, case_worker=alice, employer_user=erik
    )
    login(client, alice.email)
    assert "Bewilligungszeichen" in client.get(url(placement)).text
    response = post_form(client, url(placement), {"item": "approval", "approval": "JC-45-0815"})
    assert response.status_code == 200
    assert items(placement)["approval"]["value"] == "JC-45-0815"


def test_it_refuses_changes_after_the_start(client, alice, slot, candidate, erik):
    placement = make_placement(
        "in_progress", slot=slot, candidate=candidate, case_worker=alice, employer_user=erik
    )
    login(client, alice.email)
    assert client.get(url(placement)).status_code == 200
    before = items(placement)
    response = post_form(client, url(placement), {"item": "insurance", "insurance": "VBG"})
    assert response.status_code == 409
    assert "nur vor dem Beginn" in response.text
    assert items(placement) == before


@pytest.mark.parametrize(
    ("persona", "status"),
    [("erik", 403), ("bob", 404), ("charlie", 404), ("fritz", 404), ("operator", 403),
     ("statistician", 403)],
)  # fmt: skip
def test_it_is_only_for_the_case_worker(client, request, preparing, persona, status):
    user = request.getfixturevalue(persona)
    login(client, user.email)
    assert client.get(url(preparing)).status_code == status
    response = post_form(client, url(preparing), {"item": "insurance", "insurance": "VBG"})
    assert response.status_code == status
    if persona == "erik":
        assert "Nur die Fallmanagerin oder der Fallmanager der Person füllt" in response.text
    assert items(preparing) == {}


def test_one_press_confirms_every_item_filled_in(client, alice, preparing):
    """The checklist is one form: nothing typed into the other items is lost."""
    login(client, alice.email)
    response = post_form(
        client,
        url(preparing),
        {
            "work_access": "not_needed_free",
            "insurance": "BG Holz und Metall",
            "agreement": "yes",
            "safety_briefing": today().isoformat(),
        },
    )
    assert response.status_code == 200
    assert set(items(preparing)) == {"work_access", "insurance", "agreement", "safety_briefing"}
    assert "Vollständig: " in response.text
    assert "Checkliste: Unfallversicherungsträger notiert" in client.get(url(preparing, "")).text


def test_an_error_in_one_item_saves_none_and_keeps_every_value_typed(client, alice, preparing):
    login(client, alice.email)
    response = post_form(
        client,
        url(preparing),
        {"insurance": "BG Holz und Metall", "agreement": "yes", "safety_briefing": "31.02.2026"},
    )
    assert response.status_code == 400
    assert "Datum" in response.text
    assert 'value="BG Holz und Metall"' in response.text
    assert items(preparing) == {}


def test_unchanged_items_are_not_confirmed_again(client, alice, preparing):
    login(client, alice.email)
    post_form(client, url(preparing), {"insurance": "BG Holz und Metall"})
    post_form(client, url(preparing), {"insurance": "BG Holz und Metall", "agreement": "yes"})
    actions = run(
        PlacementEvent.select(PlacementEvent.action)
        .where(PlacementEvent.placement == preparing)
        .where(PlacementEvent.action.like("checklist.%"))
    )
    assert sorted(row["action"] for row in actions) == [
        "checklist.agreement",
        "checklist.insurance",
    ]


def test_nothing_filled_in_is_refused_with_a_message(client, alice, preparing):
    login(client, alice.email)
    response = post_form(client, url(preparing), {})
    assert response.status_code == 400
    assert "mindestens einen Punkt" in response.text
    assert items(preparing) == {}
