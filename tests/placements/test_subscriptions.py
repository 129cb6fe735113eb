"""The placements hear the candidates' events inside the announcer's transaction, and every
entry point subscribes them (portal/placements/subscriptions.py)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from portal import events
from portal.candidates.consent import CONSENT_WITHDRAWN
from portal.candidates.privacy import CANDIDATE_ERASED, erase_candidate
from portal.candidates.profile import OBSERVED_IN_INTERNSHIP
from portal.candidates.tables import Candidate, CandidateIdentity, Consent
from portal.cli import common
from portal.employers.slots import PLACEMENT_COUNTS
from portal.events import NobodyListening
from portal.notifications.tables import OutboxMessage
from portal.placements import subscriptions
from portal.placements.tables import Placement
from tests.conftest import run
from tests.factories import login, post_form
from tests.placements.factories import make_placement

EVENTS = [CONSENT_WITHDRAWN, CANDIDATE_ERASED, OBSERVED_IN_INTERNSHIP, PLACEMENT_COUNTS]


async def fail(**payload: Any) -> None:
    raise RuntimeError("a subscriber failed")


@pytest.fixture
def failing(request: pytest.FixtureRequest) -> Iterator[None]:
    """A second subscriber of the event named by the test's parameter that fails."""
    event = request.param
    events.subscribe(event, fail)
    yield
    events.unsubscribe(event, fail)


def state_of(placement_id: Any) -> str:
    row = run(Placement.select(Placement.state).where(Placement.id == placement_id).first())
    return str(row["state"])


@pytest.mark.parametrize("failing", [CONSENT_WITHDRAWN], indirect=True)
def test_a_failing_subscriber_rolls_the_withdrawal_back(
    client: Any, slot: Any, candidate: Any, alice: Any, erik: Any, failing: None
) -> None:
    placement = make_placement(
        "proposed", slot=slot, candidate=candidate, case_worker=alice, employer_user=erik
    )
    run(OutboxMessage.delete(force=True))
    login(client, alice.email)
    response = post_form(
        client, f"/candidates/{candidate.id}/consent/withdraw", {}, follow_redirects=False
    )
    assert response.status_code == 500
    # The placements' handler ran before the failing one; its withdrawal went back with it.
    assert state_of(placement) == "proposed"
    assert run(OutboxMessage.count()) == 0
    assert run(
        Consent.exists().where((Consent.candidate == candidate.id) & Consent.ended_at.is_null())
    )
    row = run(Candidate.select(Candidate.status).where(Candidate.id == candidate.id).first())
    assert row["status"] == "active"


@pytest.mark.parametrize("failing", [CANDIDATE_ERASED], indirect=True)
def test_a_failing_subscriber_rolls_the_erasure_back(
    app: Any, slot: Any, candidate: Any, alice: Any, erik: Any, failing: None
) -> None:
    placement = make_placement(
        "proposed", slot=slot, candidate=candidate, case_worker=alice, employer_user=erik
    )
    with pytest.raises(RuntimeError, match="a subscriber failed"):
        run(erase_candidate(candidate.id, app.state["storage"]))
    assert state_of(placement) == "proposed"
    assert run(CandidateIdentity.exists().where(CandidateIdentity.candidate == candidate.id))
    row = run(Candidate.select(Candidate.erased_at).where(Candidate.id == candidate.id).first())
    assert row["erased_at"] is None


def test_an_erasure_without_the_placements_subscribed_is_refused(
    app: Any, slot: Any, candidate: Any, alice: Any, erik: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    placement = make_placement(
        "proposed", slot=slot, candidate=candidate, case_worker=alice, employer_user=erik
    )
    monkeypatch.setattr(events, "_handlers", {})
    with pytest.raises(NobodyListening, match=r"candidate\.erased"):
        run(erase_candidate(candidate.id, app.state["storage"]))
    assert state_of(placement) == "proposed"
    assert run(CandidateIdentity.exists().where(CandidateIdentity.candidate == candidate.id))


def test_the_app_subscribes_the_placements(settings: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    from portal.app import create_app

    monkeypatch.setattr(events, "_handlers", {})
    create_app(settings)
    assert all(events.subscribers(event) for event in EVENTS)


def test_the_commands_subscribe_the_placements(
    settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(events, "_handlers", {})
    # Only the subscriptions matter here: the tables stay bound to the test's database.
    monkeypatch.setattr(common, "bind_tables", lambda engine: None)
    monkeypatch.setenv("DATABASE_URL", settings.database_url)
    common.bind(settings)
    assert all(events.subscribers(event) for event in EVENTS)


def test_subscribing_again_changes_nothing() -> None:
    before = {event: events.subscribers(event) for event in EVENTS}
    subscriptions.subscribe()
    assert {event: events.subscribers(event) for event in EVENTS} == before
