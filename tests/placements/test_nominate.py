"""A case worker proposes a candidate of their caseload for an open slot with a short note."""

from __future__ import annotations

from typing import Any

import pytest

from portal.employers.tables import SlotStatus
from portal.notifications.tables import OutboxMessage
from portal.placements.tables import Placement
from tests.conftest import run
from tests.factories import login, post_form
from tests.placements.conftest import consent

NOTE = "Schweißt seit drei Jahren MIG/MAG, zuverlässig und pünktlich."


def url(candidate: Any, slot: Any) -> str:
    return f"/candidates/{candidate.id}/nominate/{slot.id}"


def placements() -> list[dict[str, Any]]:
    return run(Placement.select())


def test_it_shows_the_slot_and_the_code(client: Any, alice: Any, candidate: Any, slot: Any) -> None:
    login(client, alice.email)
    response = client.get(url(candidate, slot))
    assert response.status_code == 200
    assert candidate.code in response.text
    assert "Metallbau Kassel GmbH" in response.text
    assert 'name="note"' in response.text
    assert "Haddad" not in response.text


def test_it_nominates_and_tells_the_employer(
    client: Any, alice: Any, candidate: Any, slot: Any, erik: Any, emma: Any
) -> None:
    login(client, alice.email)
    response = post_form(client, url(candidate, slot), {"note": NOTE}, follow_redirects=False)
    assert response.status_code == 303
    [row] = placements()
    assert (row["state"], row["origin"], row["note"]) == ("proposed", "nomination", NOTE)
    assert str(row["created_by"]) == str(alice.id)
    mails = run(OutboxMessage.select(OutboxMessage.to_address))
    assert sorted(m["to_address"] for m in mails) == sorted([erik.email, emma.email])
    assert response.headers["location"] == f"/placements/{row['id']}"
    page = client.get("/")
    assert "wurde für „Praktikum Schweißen“ vorgeschlagen" in page.text


def test_it_answers_htmx_with_a_client_redirect(
    client: Any, alice: Any, candidate: Any, slot: Any
) -> None:
    login(client, alice.email)
    response = post_form(
        client, url(candidate, slot), {"note": NOTE}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert response.headers["hx-redirect"]
    assert len(placements()) == 1


@pytest.mark.parametrize(
    ("note", "field_message"),
    [
        ("", "Bitte schreiben Sie eine kurze Notiz"),
        ("Frau Haddad schweißt sehr gut.", "Bitte entfernen Sie den Namen"),
        ("Erreichbar unter kontakt@example.org", "E-Mail-Adresse"),
        ("Telefon 0171 2345678", "Telefonnummer"),
        ("x" * 1001, "1000"),
    ],
    ids=["empty", "name", "email", "phone", "long"],
)
def test_it_refuses_a_bad_note(
    client: Any, alice: Any, candidate: Any, slot: Any, note: str, field_message: str
) -> None:
    login(client, alice.email)
    response = post_form(client, url(candidate, slot), {"note": note})
    assert response.status_code == 422
    assert field_message in response.text
    assert 'aria-invalid="true"' in response.text
    assert placements() == []


def test_it_swaps_the_form_with_the_message_for_htmx(
    client: Any, alice: Any, candidate: Any, slot: Any
) -> None:
    login(client, alice.email)
    response = post_form(
        client,
        url(candidate, slot),
        {"note": "Amina kann schweißen."},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<form id="nominate-form"')
    assert placements() == []


def test_it_refuses_a_second_open_nomination(
    client: Any, alice: Any, candidate: Any, slot: Any
) -> None:
    login(client, alice.email)
    post_form(client, url(candidate, slot), {"note": NOTE})
    response = post_form(client, url(candidate, slot), {"note": NOTE})
    assert response.status_code == 409
    assert "bereits für diesen Platz vorgeschlagen" in response.text
    assert len(placements()) == 1


def test_it_refuses_an_inactive_candidate(client: Any, agency: Any, alice: Any, slot: Any) -> None:
    from portal.candidates.tables import CandidateStatus
    from tests.factories import make_candidate

    paused = make_candidate(agency, alice, status=CandidateStatus.paused)
    consent(paused)
    login(client, alice.email)
    response = post_form(client, url(paused, slot), {"note": NOTE})
    assert response.status_code == 409
    assert placements() == []


def test_it_refuses_an_erased_candidate(client: Any, alice: Any, candidate: Any, slot: Any) -> None:
    from portal.candidates.tables import Candidate

    erased = {Candidate.erased_at: Candidate.created_at}
    run(Candidate.update(erased).where(Candidate.id == candidate.id))
    login(client, alice.email)
    response = post_form(client, url(candidate, slot), {"note": NOTE})
    assert response.status_code == 409
    assert "gelöscht" in response.text
    assert placements() == []


def test_it_refuses_without_consent_to_show_the_profile(
    client: Any, agency: Any, alice: Any, slot: Any
) -> None:
    from portal.candidates.tables import CandidateStatus
    from tests.factories import make_candidate

    private = make_candidate(agency, alice, status=CandidateStatus.active)
    consent(private, show_profile=False)
    login(client, alice.email)
    response = post_form(client, url(private, slot), {"note": NOTE})
    assert response.status_code == 409
    assert "Einwilligung" in response.text
    assert placements() == []


@pytest.mark.parametrize("status", [SlotStatus.closed, SlotStatus.draft, SlotStatus.filled])
def test_it_finds_no_slot_that_is_not_open(
    client: Any, alice: Any, candidate: Any, slot: Any, status: str
) -> None:
    from portal.employers.tables import Slot

    run(Slot.update({Slot.status: status}).where(Slot.id == slot.id))
    login(client, alice.email)
    assert client.get(url(candidate, slot)).status_code == 404
    assert post_form(client, url(candidate, slot), {"note": NOTE}).status_code == 404
    assert placements() == []


def test_it_finds_no_slot_of_a_suspended_employer(
    client: Any, alice: Any, candidate: Any, slot: Any
) -> None:
    from portal.accounts.tables import Organisation, OrgStatus

    run(
        Organisation.update({Organisation.status: OrgStatus.suspended}).where(
            Organisation.id == slot.employer
        )
    )
    login(client, alice.email)
    assert post_form(client, url(candidate, slot), {"note": NOTE}).status_code == 404


def test_it_lets_the_team_lead_nominate(
    client: Any, team_lead: Any, candidate: Any, slot: Any
) -> None:
    login(client, team_lead.email)
    response = post_form(client, url(candidate, slot), {"note": NOTE}, follow_redirects=False)
    assert response.status_code == 303
    assert len(placements()) == 1


@pytest.mark.parametrize("persona", ["bob", "charlie"])
def test_it_hides_a_candidate_of_someone_else(
    request: Any, client: Any, candidate: Any, slot: Any, persona: str
) -> None:
    login(client, request.getfixturevalue(persona).email)
    assert client.get(url(candidate, slot)).status_code == 404
    assert post_form(client, url(candidate, slot), {"note": NOTE}).status_code == 404
    assert placements() == []


@pytest.mark.parametrize("persona", ["erik", "operator", "statistician"])
def test_it_refuses_other_roles(
    request: Any, client: Any, candidate: Any, slot: Any, persona: str
) -> None:
    login(client, request.getfixturevalue(persona).email)
    assert client.get(url(candidate, slot)).status_code == 403
    assert post_form(client, url(candidate, slot), {"note": NOTE}).status_code == 403
    assert placements() == []
