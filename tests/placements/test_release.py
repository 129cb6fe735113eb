"""Identity release: only the case worker, only after acceptance, only with consent; the
employer then sees name and contact on that placement only, until a withdrawal or erasure."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from portal.accounts.tables import OrgKind, Role
from portal.audit.tables import AuditEvent
from portal.candidates.tables import CandidateStatus
from portal.clock import now
from portal.placements import machine
from portal.placements.tables import Placement, PlacementEvent
from portal.reference.limits import save_limit
from tests.conftest import run
from tests.factories import login, make_candidate, make_org, make_slot, make_user, post_form
from tests.placements.conftest import consent
from tests.placements.factories import EVALUATION, make_placement
from tests.placements.session import as_user

PHONE, EMAIL = "+49 561 7654321", "amina.haddad@example.org"


@pytest.fixture
def person(agency: Any, alice: Any) -> Any:
    """Alice's candidate with a phone and an e-mail address."""
    found = make_candidate(
        agency,
        alice,
        occupations=("24412",),
        status=CandidateStatus.active,
        identity={"phone": PHONE, "email": EMAIL},
    )
    consent(found)
    return found


def _place(state: str, slot: Any, person: Any, alice: Any, erik: Any) -> Any:
    return make_placement(state, slot=slot, candidate=person, case_worker=alice, employer_user=erik)


def _release(client: Any, placement_id: Any) -> Any:
    return post_form(client, f"/placements/{placement_id}/release", {}, follow_redirects=False)


def _shows_identity(client: Any, placement_id: Any) -> bool:
    page = client.get(f"/placements/{placement_id}").text
    found = [value in page for value in ("Amina Haddad", PHONE, EMAIL)]
    assert all(found) or not any(found), found
    return all(found)


def test_it_releases_name_and_contact_to_the_employer_of_that_placement(
    client: Any, slot: Any, person: Any, alice: Any, erik: Any
) -> None:
    placement_id = _place("accepted", slot, person, alice, erik)
    login(client, alice.email)
    response = _release(client, placement_id)
    assert response.status_code == 303
    row = run(Placement.select().where(Placement.id == placement_id).first())
    assert row["identity_released_at"] is not None
    assert str(row["identity_released_by"]) == str(alice.id)
    assert run(
        PlacementEvent.exists().where(
            (PlacementEvent.placement == placement_id)
            & (PlacementEvent.action == "release_identity")
        )
    )
    assert run(AuditEvent.exists().where(AuditEvent.action == "placement.release_identity"))
    client.cookies.clear()
    login(client, erik.email)
    assert _shows_identity(client, placement_id)
    reads = run(
        AuditEvent.select(AuditEvent.detail, AuditEvent.actor_id).where(
            AuditEvent.action == "identity.read"
        )
    )
    assert len(reads) == 1 and str(reads[0]["actor_id"]) == str(erik.id)
    assert str(placement_id) in str(reads[0]["detail"])
    assert "Amina" not in str(reads[0]["detail"])


@pytest.mark.parametrize(
    ("state", "who", "status"),
    [
        ("proposed", "alice", 409),  # before acceptance
        ("accepted", "erik", 403),  # the employer
        ("accepted", "bob", 404),
        ("accepted", "charlie", 404),
        ("accepted", "operator", 403),
    ],
)
def test_it_refuses_a_release_by_anyone_else_or_too_early(
    client: Any, request: Any, state: str, who: str, status: int, slot: Any, person: Any,
    alice: Any, erik: Any,
) -> None:  # fmt: skip
    placement_id = _place(state, slot, person, alice, erik)
    login(client, request.getfixturevalue(who).email)
    assert _release(client, placement_id).status_code == status
    row = run(Placement.select().where(Placement.id == placement_id).first())
    assert row["identity_released_at"] is None


def test_it_refuses_without_the_consent_to_release(
    client: Any, slot: Any, agency: Any, alice: Any, erik: Any
) -> None:
    candidate = make_candidate(agency, alice, status=CandidateStatus.active)
    consent(candidate, release_identity=False)
    placement_id = _place("accepted", slot, candidate, alice, erik)
    login(client, alice.email)
    page = client.get(f"/placements/{placement_id}").text
    assert f"/placements/{placement_id}/release" not in page
    assert "umfasst die Freigabe von Name und Kontakt nicht" in page
    response = _release(client, placement_id)
    assert response.status_code == 409
    assert "umfasst die Freigabe von Name und Kontakt nicht" in response.text


def test_it_refuses_a_second_release(
    client: Any, slot: Any, person: Any, alice: Any, erik: Any
) -> None:
    placement_id = _place("accepted", slot, person, alice, erik)
    run(machine.release_identity(as_user(alice), placement_id, address=""))
    login(client, alice.email)
    assert _release(client, placement_id).status_code == 409


def test_it_shows_the_identity_on_that_placement_only(
    client: Any, slot: Any, person: Any, alice: Any, erik: Any
) -> None:
    other = make_org(OrgKind.employer, name="Zweitfirma GmbH")
    otto = make_user(other, Role.employer_admin, name="Otto Zweit")
    other_placement = _place("accepted", make_slot(other), person, alice, otto)
    placement_id = _place("accepted", slot, person, alice, erik)
    run(machine.release_identity(as_user(alice), placement_id, address=""))
    login(client, otto.email)
    assert not _shows_identity(client, other_placement)
    client.cookies.clear()
    login(client, erik.email)
    assert _shows_identity(client, placement_id)
    inbox = client.get("/nominations")
    assert inbox.status_code == 200 and person.code in inbox.text
    assert "Haddad" not in inbox.text and PHONE not in inbox.text and EMAIL not in inbox.text


def test_it_hides_the_identity_again_after_a_withdrawal(
    client: Any, slot: Any, person: Any, alice: Any, erik: Any
) -> None:
    placement_id = _place("accepted", slot, person, alice, erik)
    run(machine.release_identity(as_user(alice), placement_id, address=""))
    run(
        machine.apply(
            as_user(alice), placement_id, "withdraw", machine.Input(reason="other_placement")
        )
    )
    login(client, erik.email)
    assert not _shows_identity(client, placement_id)


def test_it_hides_the_identity_after_the_candidates_erasure(
    client: Any, app: Any, slot: Any, person: Any, alice: Any, erik: Any
) -> None:
    from portal.candidates.privacy import erase_candidate

    placement_id = _place("preparing", slot, person, alice, erik)
    run(machine.release_identity(as_user(alice), placement_id, address=""))
    run(erase_candidate(person.id, app.state["storage"], actor=as_user(alice)))
    login(client, erik.email)
    assert not _shows_identity(client, placement_id)


def test_on_an_accepted_placement_the_release_comes_first_and_withdrawing_last(
    client: Any, slot: Any, person: Any, alice: Any, erik: Any
) -> None:
    placement_id = _place("accepted", slot, person, alice, erik)
    login(client, alice.email)
    page = client.get(f"/placements/{placement_id}").text
    release = page.index('id="form-release"')
    prepare = page.index('id="form-prepare"')
    withdraw = page.index('id="form-withdraw"')
    assert release < prepare < withdraw
    button = page[release : page.index("</form>", release)]
    assert "kern-btn--primary" in button
    assert "Nächster Schritt: Name und Kontakt" in page


def test_the_identity_ends_with_the_need_a_set_time_after_the_internship(
    client: Any, slot: Any, person: Any, alice: Any, erik: Any, time_machine: Any
) -> None:
    """Kept for the hiring conversation (identity_days_after_end, 30 by default), then the
    employer sees the code only; the case worker's page says so."""
    placement_id = _place("in_progress", slot, person, alice, erik)
    run(machine.release_identity(as_user(alice), placement_id, address=""))
    ended = now()
    run(
        machine.apply(as_user(erik), placement_id, "complete", machine.Input(evaluation=EVALUATION))
    )
    time_machine.move_to(ended + dt.timedelta(days=29))
    login(client, erik.email)  # (a session does not last for weeks)
    assert _shows_identity(client, placement_id)
    time_machine.move_to(ended + dt.timedelta(days=31))
    login(client, erik.email)
    assert not _shows_identity(client, placement_id)
    assert person.code in client.get(f"/placements/{placement_id}").text
    login(client, alice.email)
    assert "der Arbeitgeber sieht sie nicht mehr" in client.get(f"/placements/{placement_id}").text

    run(save_limit("identity_days_after_end", 60, actor_id=None, actor_organisation_id=None))
    login(client, erik.email)
    assert _shows_identity(client, placement_id)
