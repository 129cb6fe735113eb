"""The dashboard: its slots, filtered, sorted, paginated, in a constant number of queries."""

import re

import pytest

from portal.accounts.tables import OrgKind
from portal.employers.tables import SlotStatus
from tests.conftest import run
from tests.employers.slots import day
from tests.factories import (
    login,
    make_candidate,
    make_municipality,
    make_org,
    make_slot,
)


def titles(html):
    return re.findall(r'<a class="kern-link" href="/slots/[0-9a-f-]+">([^<]+)</a>', html)


@pytest.fixture
def three(employer):
    place = make_municipality()
    make_slot(
        employer, title="Bohren", start_date=day(20), status=SlotStatus.draft, municipality=place.id
    )
    make_slot(employer, title="anreißen", start_date=day(10), municipality=place.id)
    make_slot(
        employer,
        title="Schleifen",
        start_date=day(30),
        status=SlotStatus.paused,
        municipality=place.id,
    )


def test_it_lists_the_employers_slots_by_first_day(client, member, three):
    make_slot(make_org(name="Andere GmbH"), title="Fremd")
    login(client, member.email)
    response = client.get("/slots")
    assert response.status_code == 200
    assert titles(response.text) == ["anreißen", "Bohren", "Schleifen"]
    assert "3 Plätze" in response.text
    assert "Fremd" not in response.text
    # The counts of placements: 0 until placements exist.
    assert "Vorgeschlagen" in response.text and "Zugesagt" in response.text
    assert "Laufend" in response.text


def test_it_filters_by_status(client, member, three):
    login(client, member.email)
    response = client.get("/slots?status=paused")
    assert titles(response.text) == ["Schleifen"]
    assert "1 Platz" in response.text


def test_it_ignores_an_unknown_status(client, member, three):
    login(client, member.email)
    assert len(titles(client.get("/slots?status=gone").text)) == 3


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("start", ["anreißen", "Bohren", "Schleifen"]),
        ("-start", ["Schleifen", "Bohren", "anreißen"]),
        ("title", ["anreißen", "Bohren", "Schleifen"]),
        ("status", ["Bohren", "anreißen", "Schleifen"]),  # draft, open, paused
        ("title; DROP TABLE slot", ["anreißen", "Bohren", "Schleifen"]),
    ],
)
def test_it_sorts_by_a_whitelisted_key(client, member, three, sort, expected):
    login(client, member.email)
    response = client.get("/slots", params={"sort": sort})
    assert response.status_code == 200
    assert titles(response.text) == expected


def test_it_answers_htmx_with_the_results_alone(client, member, three):
    login(client, member.email)
    response = client.get("/slots?status=draft", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="slot-results"')
    assert "<html" not in response.text
    assert titles(response.text) == ["Bohren"]


def test_it_paginates_and_keeps_the_filters(client, employer, member):
    place = make_municipality()
    for number in range(30):
        make_slot(employer, title=f"Platz {number:02}", municipality=place.id)
    login(client, member.email)
    first = client.get("/slots?sort=title")
    assert len(titles(first.text)) == 25
    assert 'href="/slots?sort=title&amp;page=2"' in first.text
    second = client.get("/slots?sort=title&page=2")
    assert titles(second.text) == [f"Platz {n}" for n in range(25, 30)]
    assert client.get("/slots?page=99").status_code == 200


def test_it_greets_an_employer_without_slots(client, member):
    login(client, member.email)
    assert "Sie haben noch keinen Praktikumsplatz angeboten." in client.get("/slots").text


@pytest.mark.parametrize("count", [5, 50])
def test_it_needs_a_constant_number_of_queries(client, employer, member, queries, count):
    place = make_municipality()
    for number in range(count):
        make_slot(employer, title=f"Platz {number}", municipality=place.id)
    login(client, member.email)
    queries.clear()
    response = client.get("/slots")
    assert response.status_code == 200
    # The logged-in user, the count, the page: whatever the number of slots.
    assert len(queries) == 3, queries


def place(slot, states):
    """Placements of new candidates at `slot`, one per state (rows as the machine leaves them)."""
    from portal.placements.tables import Placement

    agency = make_org(OrgKind.case_management, name="Jobcenter Musterland")
    for state in states:
        candidate = make_candidate(agency, occupations=("24412",), status="active")
        run(
            Placement.insert(
                Placement(
                    slot=slot.id,
                    employer=slot.employer,
                    candidate=candidate.id,
                    agency=agency.id,
                    state=state,
                )
            )
        )


def counts(html):
    """The three numeric cells after each slot's status: proposed, accepted, running."""
    cells = re.findall(r'kern-table__cell--numeric">(\d+)</td>', html)
    # Per row: places, proposed, accepted, running.
    return [tuple(int(n) for n in cells[i + 1 : i + 4]) for i in range(0, len(cells), 4)]


def test_it_counts_the_placements_of_each_slot_by_state(client, employer, member):
    place_ = make_municipality()
    busy = make_slot(employer, title="Busy", places=3, start_date=day(10), municipality=place_.id)
    make_slot(employer, title="Quiet", start_date=day(20), municipality=place_.id)
    make_slot(make_org(name="Andere GmbH"), title="Fremd")
    place(
        busy,
        [
            "requested", "proposed", "proposed", "accepted", "preparing", "in_progress",
            "declined", "withdrawn", "completed", "aborted", "outcome",
        ],
    )  # fmt: skip
    login(client, member.email)
    response = client.get("/slots")
    assert titles(response.text) == ["Busy", "Quiet"]
    assert counts(response.text) == [(3, 2, 1), (0, 0, 0)]
    detail = client.get(f"/slots/{busy.id}")
    assert "Vorgeschlagen: 3 · Zugesagt: 2 · Laufend: 1" in detail.text


@pytest.mark.parametrize("count", [2, 12])
def test_the_counts_keep_the_queries_constant(client, employer, member, queries, count):
    place_ = make_municipality()
    for number in range(count):
        slot = make_slot(employer, title=f"Platz {number}", places=2, municipality=place_.id)
        place(slot, ["proposed", "in_progress"])
    login(client, member.email)
    queries.clear()
    response = client.get("/slots")
    assert response.status_code == 200
    assert counts(response.text) == [(1, 0, 1)] * count
    # The logged-in user, the count, the page: whatever the number of slots and placements.
    assert len(queries) == 3, queries
