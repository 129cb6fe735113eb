"""The employer's inbox: new nominations, interns, evaluations due; one-click decisions."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from portal.clock import today
from portal.notifications.tables import OutboxMessage
from portal.placements.tables import Placement
from tests.conftest import run
from tests.factories import login, make_candidate, make_slot, post_form
from tests.placements.conftest import consent
from tests.placements.factories import make_placement

HTMX = {"HX-Request": "true"}


def nominate(slot: Any, candidate: Any, alice: Any, erik: Any, state: str = "proposed") -> Any:
    return make_placement(
        state, slot=slot, candidate=candidate, case_worker=alice, employer_user=erik
    )


def state_of(placement_id: Any) -> str:
    return run(Placement.select(Placement.state).where(Placement.id == placement_id).first())[
        "state"
    ]


def another_candidate(agency: Any, alice: Any) -> Any:
    from portal.candidates.tables import CandidateStatus

    found = make_candidate(agency, alice, occupations=("24412",), status=CandidateStatus.active)
    consent(found)
    return found


def test_it_lists_a_new_nomination_pseudonymised(
    client: Any, slot: Any, candidate: Any, alice: Any, erik: Any
) -> None:
    nominate(slot, candidate, alice, erik)
    login(client, erik.email)
    response = client.get("/nominations")
    assert response.status_code == 200
    assert candidate.code in response.text
    assert "Erfahrung im Schweißen, zuverlässig." in response.text
    assert "24412" in response.text
    assert '<a href="/nominations" aria-current="page">Vorschläge</a>' in response.text
    assert "Amina" not in response.text and "Haddad" not in response.text


def test_it_shows_the_employers_own_request_as_waiting(
    client: Any, slot: Any, candidate: Any, erik: Any
) -> None:
    from portal.placements import machine
    from tests.placements.session import as_user

    run(machine.create(as_user(erik), "request", slot_id=slot.id, candidate_id=candidate.id))
    login(client, erik.email)
    text = client.get("/nominations").text
    assert candidate.code in text
    assert "Wartet auf die Antwort des Fallmanagements." in text
    assert "/accept" not in text


def test_it_accepts_with_htmx_and_returns_the_row(
    client: Any, slot: Any, candidate: Any, alice: Any, erik: Any
) -> None:
    placement_id = nominate(slot, candidate, alice, erik)
    login(client, erik.email)
    response = post_form(client, f"/nominations/{placement_id}/accept", {}, headers=HTMX)
    assert response.status_code == 200
    assert response.text.lstrip().startswith(f'<li class="inbox-row" id="placement-{placement_id}"')
    assert 'hx-target="this" hx-swap="outerHTML"' in response.text
    assert (
        f"{candidate.code} angenommen – das Fallmanagement wurde benachrichtigt." in response.text
    )
    assert state_of(placement_id) == "accepted"
    mails = run(OutboxMessage.select(OutboxMessage.to_address, OutboxMessage.template).where(
        OutboxMessage.template == "placement_accepted"))  # fmt: skip
    assert [m["to_address"] for m in mails] == [alice.email]
    # The headings' counts follow (out of band): no longer one new nomination, one intern.
    assert '<span class="kern-body" id="count-new" hx-swap-oob="true" data-oob>(0)</span>' in (
        response.text
    )
    assert '<span class="kern-body" id="count-interns" hx-swap-oob="true" data-oob>(1)</span>' in (
        response.text
    )
    assert '<span class="kern-body" id="count-new">(0)</span>' in client.get("/nominations").text


def test_it_accepts_without_javascript(
    client: Any, slot: Any, candidate: Any, alice: Any, emma: Any
) -> None:
    placement_id = nominate(slot, candidate, alice, emma)
    login(client, emma.email)
    response = post_form(client, f"/nominations/{placement_id}/accept", {}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/nominations"
    assert (
        f"{candidate.code} accepted — the case manager has been told."
        in client.get("/nominations").text
    )
    assert state_of(placement_id) == "accepted"


def test_it_declines_with_a_reason(
    client: Any, slot: Any, candidate: Any, alice: Any, erik: Any
) -> None:
    placement_id = nominate(slot, candidate, alice, erik)
    login(client, erik.email)
    response = post_form(
        client, f"/nominations/{placement_id}/decline", {"reason": "dates"}, headers=HTMX
    )
    assert response.status_code == 200
    assert "abgelehnt" in response.text
    row = run(Placement.select().where(Placement.id == placement_id).first())
    assert (row["state"], row["reason"]) == ("declined", "dates")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Bitte wählen Sie einen Grund."),
        ({"reason": "nonsense"}, "Bitte wählen Sie einen Grund."),
        ({"reason": "other"}, "Bitte nennen Sie den Grund"),
        ({"reason": "other", "note": "Bitte rufen Sie 0561 123456 an"}, "Telefonnummer"),
    ],
    ids=["none", "unknown", "other_without_note", "phone"],
)
def test_it_refuses_a_decline_without_a_proper_reason(
    client: Any, slot: Any, candidate: Any, alice: Any, erik: Any, data: Any, message: str
) -> None:
    placement_id = nominate(slot, candidate, alice, erik)
    login(client, erik.email)
    htmx = post_form(client, f"/nominations/{placement_id}/decline", data, headers=HTMX)
    assert htmx.status_code == 200
    assert message in htmx.text
    assert 'aria-invalid="true"' in htmx.text
    plain = post_form(client, f"/nominations/{placement_id}/decline", data)
    assert plain.status_code == 422
    assert message in plain.text
    assert state_of(placement_id) == "proposed"


def test_it_says_clearly_that_the_slot_is_full(
    client: Any, slot: Any, candidate: Any, agency: Any, alice: Any, erik: Any
) -> None:
    second = nominate(slot, another_candidate(agency, alice), alice, erik)
    nominate(slot, candidate, alice, erik, state="accepted")
    login(client, erik.email)
    htmx = post_form(client, f"/nominations/{second}/accept", {}, headers=HTMX)
    assert htmx.status_code == 200
    assert "Alle Plätze dieses Angebots sind für diese Tage vergeben." in htmx.text
    plain = post_form(client, f"/nominations/{second}/accept", {})
    assert plain.status_code == 409
    assert "Alle Plätze dieses Angebots sind für diese Tage vergeben." in plain.text
    assert state_of(second) == "proposed"


def test_it_refuses_to_accept_twice(
    client: Any, slot: Any, candidate: Any, alice: Any, erik: Any
) -> None:
    placement_id = nominate(slot, candidate, alice, erik, state="accepted")
    login(client, erik.email)
    response = post_form(client, f"/nominations/{placement_id}/accept", {})
    assert response.status_code == 409
    assert "Nur eine vorgeschlagene Person kann angenommen werden." in response.text


def test_it_finds_no_other_decision(
    client: Any, slot: Any, candidate: Any, alice: Any, erik: Any
) -> None:
    placement_id = nominate(slot, candidate, alice, erik)
    login(client, erik.email)
    assert post_form(client, f"/nominations/{placement_id}/withdraw", {}).status_code == 404
    assert state_of(placement_id) == "proposed"


def test_it_hides_another_employers_nominations(
    client: Any, slot: Any, candidate: Any, alice: Any, erik: Any, fritz: Any
) -> None:
    placement_id = nominate(slot, candidate, alice, erik)
    login(client, fritz.email)
    assert candidate.code not in client.get("/nominations").text
    assert post_form(client, f"/nominations/{placement_id}/accept", {}).status_code == 404
    assert state_of(placement_id) == "proposed"


@pytest.mark.parametrize("persona", ["alice", "operator", "statistician"])
def test_it_refuses_other_roles(
    request: Any, client: Any, slot: Any, candidate: Any, alice: Any, erik: Any, persona: str
) -> None:
    placement_id = nominate(slot, candidate, alice, erik)
    login(client, request.getfixturevalue(persona).email)
    assert client.get("/nominations").status_code == 403
    assert post_form(client, f"/nominations/{placement_id}/accept", {}).status_code == 403
    assert state_of(placement_id) == "proposed"


def test_it_shows_interns_ready_or_not_and_evaluations_due(
    client: Any, employer: Any, agency: Any, alice: Any, erik: Any
) -> None:
    from portal.placements.tables import Placement as P

    preparing = nominate(make_slot(employer, title="Lager"), another_candidate(agency, alice),
                         alice, erik, state="preparing")  # fmt: skip
    running = nominate(make_slot(employer, title="Montage"), another_candidate(agency, alice),
                       alice, erik, state="in_progress")  # fmt: skip
    yesterday = today() - dt.timedelta(days=1)
    run(P.update({P.end_date: yesterday}).where(P.id == running))
    login(client, erik.email)
    text = client.get("/nominations").text
    interns = text.split('id="section-interns"')[1].split('id="section-due"')[0]
    due = text.split('id="section-due"')[1]
    assert f"placement-{preparing}" in interns and "Bereit zum Start: noch nicht" in interns
    assert f"placement-{running}" in interns and f"placement-{running}" in due
    assert "Beurteilung schreiben" in due


def test_it_lists_earlier_placements_so_none_is_only_reachable_by_url(
    client: Any, employer: Any, agency: Any, alice: Any, erik: Any
) -> None:
    declined = nominate(make_slot(employer, title="Lager"), another_candidate(agency, alice),
                        alice, erik, state="declined")  # fmt: skip
    completed = nominate(make_slot(employer, title="Montage"), another_candidate(agency, alice),
                         alice, erik, state="completed")  # fmt: skip
    login(client, erik.email)
    text = client.get("/nominations").text
    closed = text.split('id="section-closed"')[1]
    assert "Frühere Vermittlungen" in text and 'id="count-closed">(2)' in text
    for placement_id in (declined, completed):
        assert f'href="/placements/{placement_id}"' in closed
    assert "Abgelehnt" in closed and "Abgeschlossen" in closed
    only = client.get("/nominations?section=closed").text
    assert f"placement-{declined}" in only and "section-new" not in only


def proposed_in_bulk(n: int, slot: Any, agency: Any, alice: Any) -> None:
    """`n` nominations for `slot`, written in two statements (the machine is tested elsewhere)."""
    from portal.candidates.codes import new_code
    from portal.candidates.tables import Candidate, CandidateStatus

    candidates = [
        Candidate(code=new_code(), organisation=agency.id, case_manager=alice.id,
                  status=CandidateStatus.active)
        for _ in range(n)
    ]  # fmt: skip
    run(Candidate.insert(*candidates))
    run(Placement.insert(*(
        Placement(slot=slot.id, employer=slot.employer, candidate=c.id, agency=agency.id,
                  case_manager=alice.id, state="proposed")
        for c in candidates
    )))  # fmt: skip


def test_it_caps_a_section_with_a_link_to_all(
    client: Any, slot: Any, agency: Any, alice: Any, erik: Any
) -> None:
    proposed_in_bulk(26, slot, agency, alice)
    login(client, erik.email)
    text = client.get("/nominations").text
    assert text.count('class="inbox-row"') == 25
    assert "/nominations?section=new" in text
    second = client.get("/nominations?section=new&page=2").text
    assert second.count('class="inbox-row"') == 1
    assert "Zurück zu allen Bereichen" in second


def test_it_reads_the_inbox_in_constant_queries(
    client: Any, employer: Any, agency: Any, alice: Any, erik: Any, queries: list[str]
) -> None:
    def count() -> int:
        queries.clear()
        assert client.get("/nominations").status_code == 200
        return len(queries)

    login(client, erik.email)

    def add(state: str) -> None:
        nominate(make_slot(employer), another_candidate(agency, alice), alice, erik, state=state)

    for state in ("proposed", "preparing"):
        add(state)
    few = count()
    for state in ("proposed", "in_progress", "accepted"):
        add(state)
    assert count() == few
