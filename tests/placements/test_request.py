"""An employer asks for a candidate of the talent pool for one of its own open slots."""

from __future__ import annotations

from typing import Any

import pytest

from portal.candidates.tables import Candidate, CandidateStatus
from portal.employers.tables import Slot, SlotStatus
from portal.notifications.tables import OutboxMessage
from portal.placements.tables import Placement
from tests.conftest import run
from tests.factories import login, make_candidate, post_form
from tests.placements.conftest import consent

NOTE = "Wir suchen jemanden für die Frühschicht im Lager."


def url(slot: Any, candidate: Any) -> str:
    return f"/slots/{slot.id}/pool/{candidate.id}"


def placements() -> list[dict[str, Any]]:
    return run(Placement.select())


def test_it_shows_the_pseudonymised_profile(
    client: Any, erik: Any, slot: Any, candidate: Any
) -> None:
    login(client, erik.email)
    response = client.get(url(slot, candidate))
    assert response.status_code == 200
    assert candidate.code in response.text
    assert "profile-card" in response.text
    assert "Amina" not in response.text and "Haddad" not in response.text


@pytest.mark.parametrize("persona", ["erik", "emma"])
def test_it_asks_and_mails_the_case_manager(
    request: Any, client: Any, slot: Any, candidate: Any, alice: Any, persona: str
) -> None:
    login(client, request.getfixturevalue(persona).email)
    response = post_form(client, url(slot, candidate), {"note": NOTE}, follow_redirects=False)
    assert response.status_code == 303
    [row] = placements()
    assert (row["state"], row["origin"], row["note"]) == ("requested", "request", NOTE)
    assert str(row["case_manager"]) == str(alice.id)
    [mail] = run(OutboxMessage.select())
    assert (mail["to_address"], mail["template"]) == (alice.email, "placement_requested")
    assert candidate.code in str(mail["context"])
    assert "Haddad" not in str(mail)


def test_it_answers_htmx_with_a_client_redirect(
    client: Any, erik: Any, slot: Any, candidate: Any
) -> None:
    login(client, erik.email)
    response = post_form(client, url(slot, candidate), {}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.headers["hx-redirect"]
    assert len(placements()) == 1


@pytest.mark.parametrize(
    ("note", "message"),
    [
        ("Bitte melden unter info@example.org", "E-Mail-Adresse"),
        ("Rückruf 0561 123456", "Telefonnummer"),
    ],
    ids=["email", "phone"],
)
def test_it_refuses_contact_details_in_the_note(
    client: Any, erik: Any, slot: Any, candidate: Any, note: str, message: str
) -> None:
    login(client, erik.email)
    response = post_form(client, url(slot, candidate), {"note": note})
    assert response.status_code == 422
    assert message in response.text
    assert placements() == []
    assert run(OutboxMessage.count()) == 0


def test_it_swaps_the_form_with_the_message_for_htmx(
    client: Any, erik: Any, slot: Any, candidate: Any
) -> None:
    login(client, erik.email)
    response = post_form(
        client, url(slot, candidate), {"note": "info@example.org"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<form id="request-form"')
    assert placements() == []


def test_it_refuses_a_second_open_request(
    client: Any, erik: Any, slot: Any, candidate: Any
) -> None:
    login(client, erik.email)
    post_form(client, url(slot, candidate), {})
    response = post_form(client, url(slot, candidate), {})
    assert response.status_code == 409
    assert "bereits für diesen Platz vorgeschlagen" in response.text
    assert len(placements()) == 1


def _not_in_pool(kind: str, agency: Any, alice: Any) -> Any:
    if kind == "no_pool_consent":
        found = make_candidate(agency, alice, status=CandidateStatus.active)
        consent(found, talent_pool=False)
    elif kind == "no_consent":
        found = make_candidate(agency, alice, status=CandidateStatus.active)
    elif kind == "paused":
        found = make_candidate(agency, alice, status=CandidateStatus.paused)
        consent(found)
    else:
        found = make_candidate(agency, alice, status=CandidateStatus.active)
        consent(found)
        erased = {Candidate.erased_at: Candidate.created_at}
        run(Candidate.update(erased).where(Candidate.id == found.id))
    return found


@pytest.mark.parametrize("kind", ["no_pool_consent", "no_consent", "paused", "erased"])
def test_it_finds_no_candidate_outside_the_pool(
    client: Any, erik: Any, slot: Any, agency: Any, alice: Any, kind: str
) -> None:
    hidden = _not_in_pool(kind, agency, alice)
    login(client, erik.email)
    assert client.get(url(slot, hidden)).status_code == 404
    assert post_form(client, url(slot, hidden), {}).status_code == 404
    assert placements() == []


@pytest.mark.parametrize("status", [SlotStatus.closed, SlotStatus.draft, SlotStatus.filled])
def test_it_finds_no_slot_that_is_not_open(
    client: Any, erik: Any, slot: Any, candidate: Any, status: str
) -> None:
    run(Slot.update({Slot.status: status}).where(Slot.id == slot.id))
    login(client, erik.email)
    assert client.get(url(slot, candidate)).status_code == 404
    assert post_form(client, url(slot, candidate), {}).status_code == 404


def test_it_finds_no_slot_of_another_employer(
    client: Any, fritz: Any, slot: Any, candidate: Any
) -> None:
    login(client, fritz.email)
    assert client.get(url(slot, candidate)).status_code == 404
    assert post_form(client, url(slot, candidate), {}).status_code == 404
    assert placements() == []


def test_it_finds_nothing_for_a_malformed_id(client: Any, erik: Any, slot: Any) -> None:
    login(client, erik.email)
    assert client.get(f"/slots/{slot.id}/pool/nonsense").status_code == 404


@pytest.mark.parametrize("persona", ["alice", "operator", "statistician"])
def test_it_refuses_other_roles(
    request: Any, client: Any, slot: Any, candidate: Any, persona: str
) -> None:
    login(client, request.getfixturevalue(persona).email)
    assert client.get(url(slot, candidate)).status_code == 403
    assert post_form(client, url(slot, candidate), {}).status_code == 403
    assert placements() == []
