"""The case worker's placements: what needs their action first, then the rest by state."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from portal.clock import today
from portal.placements.tables import FollowUp, Placement
from tests.conftest import run
from tests.factories import login, make_slot
from tests.placements.factories import make_placement

HTMX = {"HX-Request": "true"}


def in_bulk(states: list[str], slot: Any, agency: Any, case_manager: Any) -> list[Any]:
    """Placements in `states` written directly, two statements (the machine is tested elsewhere)."""
    from portal.candidates.codes import new_code
    from portal.candidates.tables import Candidate, CandidateStatus

    candidates = [
        Candidate(code=new_code(), organisation=agency.id, case_manager=case_manager.id,
                  status=CandidateStatus.active)
        for _ in states
    ]  # fmt: skip
    run(Candidate.insert(*candidates))
    rows = [
        Placement(slot=slot.id, employer=slot.employer, candidate=c.id, agency=agency.id,
                  case_manager=case_manager.id, state=state)
        for c, state in zip(candidates, states, strict=True)
    ]  # fmt: skip
    run(Placement.insert(*rows))
    return [c.code for c in candidates]


def codes_in_order(text: str) -> list[str]:
    import re

    return re.findall(r'class="kern-link candidate-code"[^>]*>([^<]+)<', text)


def test_it_puts_what_needs_action_first(
    client: Any, employer: Any, agency: Any, alice: Any, erik: Any
) -> None:
    from portal.candidates.tables import CandidateStatus
    from tests.factories import make_candidate
    from tests.placements.conftest import consent

    made: dict[str, str] = {}
    for state in ("proposed", "accepted", "in_progress", "preparing", "outcome", "declined"):
        candidate = make_candidate(agency, alice, status=CandidateStatus.active)
        consent(candidate)
        pid = make_placement(state, slot=make_slot(employer), candidate=candidate,
                             case_worker=alice, employer_user=erik)  # fmt: skip
        made[state] = candidate.code
        if state == "outcome":
            yesterday = today() - dt.timedelta(days=1)
            due = (FollowUp.placement == pid) & (FollowUp.months == 3)
            run(FollowUp.update({FollowUp.due_on: yesterday}).where(due))
    login(client, alice.email)
    response = client.get("/placements")
    assert response.status_code == 200
    # Action first, oldest first (accepted, preparing without checklist, a follow-up due);
    # then the rest in the lifecycle's order.
    assert codes_in_order(response.text) == [
        made["accepted"], made["preparing"], made["outcome"],
        made["proposed"], made["in_progress"], made["declined"],
    ]  # fmt: skip
    assert "Start-Checkliste vervollständigen" in response.text
    assert '<a href="/placements" aria-current="page">Vermittlungen</a>' in response.text
    assert "Nachfrage nach 3 Monaten erfassen" in response.text
    assert "Amina" not in response.text and "Haddad" not in response.text


def test_it_filters_by_state_with_and_without_htmx(
    client: Any, slot: Any, agency: Any, alice: Any
) -> None:
    accepted, proposed = in_bulk(["accepted", "proposed"], slot, agency, alice)
    login(client, alice.email)
    plain = client.get("/placements?state=proposed")
    assert codes_in_order(plain.text) == [proposed]
    assert '<option value="proposed" selected>' in plain.text
    htmx = client.get("/placements?state=accepted", headers=HTMX)
    assert htmx.text.lstrip().startswith('<div id="placement-results"')
    assert 'hx-swap-oob="innerHTML"' in htmx.text and "1 Vermittlung" in htmx.text
    assert codes_in_order(htmx.text) == [accepted]
    assert len(codes_in_order(client.get("/placements?state=nonsense").text)) == 2


def test_it_paginates(client: Any, slot: Any, agency: Any, alice: Any) -> None:
    codes = in_bulk(["proposed"] * 24 + ["accepted"] * 2, slot, agency, alice)
    login(client, alice.email)
    first = codes_in_order(client.get("/placements").text)
    second = codes_in_order(client.get("/placements?page=2").text)
    assert len(first) == 25 and len(second) == 1
    assert set(first[:2]) == set(codes[24:])  # the accepted ones first
    assert sorted(first + second) == sorted(codes)


def test_it_reads_the_list_in_constant_queries(
    client: Any, slot: Any, agency: Any, alice: Any, queries: list[str]
) -> None:
    def count() -> int:
        queries.clear()
        assert client.get("/placements").status_code == 200
        return len(queries)

    login(client, alice.email)
    in_bulk(["accepted", "outcome"], slot, agency, alice)
    few = count()
    more = ["proposed", "preparing", "in_progress", "completed", "outcome"] * 2
    in_bulk(more, slot, agency, alice)
    assert count() == few


def test_it_shows_bob_none_of_alices_placements(
    client: Any, slot: Any, agency: Any, alice: Any, bob: Any
) -> None:
    in_bulk(["proposed"], slot, agency, alice)
    login(client, bob.email)
    assert codes_in_order(client.get("/placements").text) == []


def test_it_shows_bob_the_shared_caseload(
    client: Any, slot: Any, agency: Any, alice: Any, bob: Any
) -> None:
    from portal.accounts.tables import Organisation

    run(Organisation.update({Organisation.caseload_shared: True}).where(
        Organisation.id == agency.id))  # fmt: skip
    in_bulk(["proposed"], slot, agency, alice)
    login(client, bob.email)
    assert len(codes_in_order(client.get("/placements").text)) == 1


def test_it_shows_the_team_lead_everything_of_the_organisation(
    client: Any, slot: Any, agency: Any, alice: Any, bob: Any, team_lead: Any
) -> None:
    in_bulk(["proposed"], slot, agency, alice)
    in_bulk(["accepted"], slot, agency, bob)
    login(client, team_lead.email)
    assert len(codes_in_order(client.get("/placements").text)) == 2


def test_it_shows_another_agency_nothing(
    client: Any, slot: Any, agency: Any, alice: Any, charlie: Any
) -> None:
    in_bulk(["proposed"], slot, agency, alice)
    login(client, charlie.email)
    assert codes_in_order(client.get("/placements").text) == []


@pytest.mark.parametrize("persona", ["erik", "operator", "statistician"])
def test_it_refuses_other_roles(request: Any, client: Any, persona: str) -> None:
    login(client, request.getfixturevalue(persona).email)
    assert client.get("/placements").status_code == 403
