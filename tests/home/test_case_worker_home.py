"""The case worker's home: answers, placements to release and date, checklists, outcomes and
follow-ups, cases without consent or profile; a team lead's for the team, per person."""

from __future__ import annotations

import datetime as dt
from typing import Any

from portal.accounts.tables import Organisation
from portal.clock import now, today
from portal.placements.tables import FollowUp
from tests.conftest import run
from tests.factories import login, make_candidate
from tests.home.rows import put, section
from tests.placements.conftest import consent

KEYS = ("requests", "answers", "accepted", "checklist", "closing", "cases")


def days(n: int) -> dt.date:
    return today() + dt.timedelta(days=n)


def follow_up_due(placement_id: Any) -> None:
    run(FollowUp.insert(FollowUp(placement=placement_id, months=3, due_on=days(-1))))


def test_it_lists_what_waits_each_linked_to_its_action(
    client: Any, slot: Any, agency: Any, alice: Any
) -> None:
    [requested] = put("requested", slot, agency, alice, origin="request")
    [declined] = put("declined", slot, agency, alice, answered_at=now() - dt.timedelta(days=2))
    [accepted] = put("accepted", slot, agency, alice, answered_at=now())
    [preparing] = put("preparing", slot, agency, alice, start_date=days(3), end_date=days(9))
    [completed] = put("completed", slot, agency, alice)
    [outcome] = put("outcome", slot, agency, alice, outcome="hired")
    follow_up_due(outcome)
    no_consent = make_candidate(agency, alice, occupations=("24412",))
    no_occupation = make_candidate(agency, alice)
    consent(no_occupation)
    ready = make_candidate(agency, alice, occupations=("24412",))
    consent(ready)
    login(client, alice.email)
    response = client.get("/")
    assert response.status_code == 200
    text = response.text
    assert f'href="/placements/{requested}"' in section(text, "requests")
    answers = section(text, "answers")
    assert f'href="/placements/{declined}"' in answers and "vor 2 Tagen beantwortet" in answers
    assert f'href="/placements/{accepted}"' in answers and "heute beantwortet" in answers
    accepted_html = section(text, "accepted")
    assert f'href="/placements/{accepted}"' in accepted_html
    assert "Name und Kontakt freigeben, dann Termine festlegen" in accepted_html
    checklist = section(text, "checklist")
    assert f'href="/placements/{preparing}/checklist"' in checklist
    assert "beginnt am" in checklist
    closing = section(text, "closing")
    assert f'href="/placements/{completed}/outcome"' in closing
    assert f'href="/placements/{outcome}/outcome"' in closing
    assert "Nachfrage nach 3 Monaten erfassen" in closing
    cases = section(text, "cases")
    assert f'href="/candidates/{no_consent.id}/consent"' in cases
    assert f'href="/candidates/{no_occupation.id}/profile"' in cases
    assert str(ready.id) not in cases
    assert "Amina" not in text and "Haddad" not in text
    assert "Pro Person" not in text


def test_it_shows_a_case_manager_only_what_their_lists_show(
    client: Any, slot: Any, agency: Any, alice: Any, bob: Any, charlie: Any
) -> None:
    put("accepted", slot, agency, alice, answered_at=now())
    make_candidate(agency, alice)
    for person in (bob, charlie):
        login(client, person.email)
        text = client.get("/").text
        for key in KEYS:
            assert '<span class="todo__count">0</span>' in section(text, key), (person, key)
        client.cookies.clear()


def test_it_shows_a_shared_caseload_to_the_colleague(
    client: Any, slot: Any, agency: Any, alice: Any, bob: Any
) -> None:
    run(Organisation.update({Organisation.caseload_shared: True}).where(
        Organisation.id == agency.id))  # fmt: skip
    [accepted] = put("accepted", slot, agency, alice, answered_at=now())
    login(client, bob.email)
    assert f'href="/placements/{accepted}"' in section(client.get("/").text, "accepted")


def test_it_counts_the_team_per_person_for_the_team_lead(
    client: Any, slot: Any, agency: Any, alice: Any, bob: Any, team_lead: Any, charlie: Any,
    other_agency: Any,
) -> None:  # fmt: skip
    put("accepted", slot, agency, alice, n=2)
    put("accepted", slot, agency, bob, n=3)
    put("accepted", slot, other_agency, charlie, n=4)
    make_candidate(agency, bob)
    login(client, team_lead.email)
    text = client.get("/").text
    assert '<span class="todo__count">5</span>' in section(text, "accepted")
    assert '<span class="todo__count">1</span>' in section(text, "cases")
    team = text.split('id="todo-team"')[1]
    assert f'href="/board/placements?case_worker={bob.id}">Bob Kollege</a>' in team
    alice_row = team.split("Alice Fallmanagerin</a></th>")[1].split("</tr>")[0]
    bob_row = team.split("Bob Kollege</a></th>")[1].split("</tr>")[0]
    cells = lambda row: [c.split("<")[0] for c in row.split('kern-table__cell">')[1:]]  # noqa: E731
    assert cells(alice_row) == ["0", "0", "2", "0", "0", "0"]
    assert cells(bob_row) == ["0", "0", "3", "0", "0", "1"]
    assert "Charlie" not in text


def test_it_shows_a_few_and_links_to_all_in_constant_queries(
    client: Any, slot: Any, agency: Any, alice: Any, team_lead: Any, queries: list[str]
) -> None:
    def count() -> int:
        queries.clear()
        assert client.get("/").status_code == 200
        return len(queries)

    def world(n: int) -> None:
        put("requested", slot, agency, alice, n=n, origin="request")
        put("declined", slot, agency, alice, n=n, answered_at=now())
        put("accepted", slot, agency, alice, n=n, answered_at=now())
        put("preparing", slot, agency, alice, n=n, start_date=days(2), end_date=days(5))
        put("completed", slot, agency, alice, n=n)
        for placement in put("outcome", slot, agency, alice, n=n, outcome="hired"):
            follow_up_due(placement)
        for _ in range(n):
            make_candidate(agency, alice)

    for person in (alice, team_lead):
        login(client, person.email)
        world(1)
        few = count()
        world(12)
        assert count() == few, person
        client.cookies.clear()
    login(client, alice.email)
    text = client.get("/").text
    accepted = section(text, "accepted")
    assert accepted.count("<li>") == 5
    assert 'href="/placements?need=accepted">Alle 26 anzeigen' in accepted
    assert 'href="/placements?need=checklist"' in section(text, "checklist")
    assert 'href="/placements?need=answers"' in section(text, "answers")
    assert 'href="/placements?need=closing"' in section(text, "closing")
    assert 'href="/candidates?status=draft"' in section(text, "cases")


def test_it_counts_what_belongs_to_nobody_active_in_a_row_of_its_own(
    client: Any, slot: Any, agency: Any, alice: Any, bob: Any, team_lead: Any
) -> None:
    from portal.accounts.tables import User

    put("accepted", slot, agency, bob, n=2)
    run(User.update({User.is_active: False}).where(User.id == bob.id))
    login(client, team_lead.email)
    team = client.get("/").text.split('id="todo-team"')[1]
    assert "Bob Kollege" not in team
    row = team.split("Keiner aktiven Person zugeordnet</th>")[1].split("</tr>")[0]
    assert [c.split("<")[0] for c in row.split('kern-table__cell">')[1:]] == [
        "0", "0", "2", "0", "0", "0",
    ]  # fmt: skip


def test_each_sections_list_shows_just_that_section(
    client: Any, slot: Any, agency: Any, alice: Any
) -> None:
    put("preparing", slot, agency, alice, n=2, start_date=today(), end_date=today())
    put("preparing", slot, agency, alice, n=1, start_date=today(), end_date=today())
    put("accepted", slot, agency, alice, n=3, answered_at=now())
    put("completed", slot, agency, alice, n=1)
    login(client, alice.email)
    counts = {}
    for need in ("checklist", "accepted", "answers", "closing"):
        text = client.get(f"/placements?need={need}").text
        counts[need] = text.count('class="kern-link candidate-code"')
    # No checklist item confirmed: all three preparing are incomplete; the answers are the three
    # accepted (answered now), the closing the completed one.
    assert counts == {"checklist": 3, "accepted": 3, "answers": 3, "closing": 1}
    everything = client.get("/placements?need=nonsense").text
    assert everything.count('class="kern-link candidate-code"') == 7
