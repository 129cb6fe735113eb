"""The case workers' matching pages: slots for a candidate, the caseload for an offer."""

from __future__ import annotations

from typing import Any

import pytest

from tests.factories import login
from tests.placements.matching_factories import offer, person


def matches_url(candidate: Any) -> str:
    return f"/candidates/{candidate.id}/matches"


def offer_url(slot: Any) -> str:
    return f"/offers/{slot.id}/candidates"


def test_it_ranks_slots_for_the_candidate_with_reasons_and_a_nomination_link(
    client: Any, alice: Any, candidate: Any, slot: Any, employer: Any
) -> None:
    offer(employer, "Lager", occupation="51311", min_german="B2")
    login(client, alice.email)

    response = client.get(matches_url(candidate))

    assert response.status_code == 200
    html = response.text
    assert html.index("Praktikum Schweißen") < html.index("Lager")
    # Alice reads German: the explanations are translated.
    assert "Beruf passt: 24412 (Berufe im Metallbau" in html
    assert "Deutschniveau unbekannt, B2 gefordert" in html
    assert "Noch keine Vorschläge" in html
    assert f'href="/candidates/{candidate.id}/nominate/{slot.id}"' in html
    # The fit in words, not in points.
    assert "Passung: gut" in html and "Passung: gering" in html
    assert "Punkte" not in html


def test_it_says_why_an_inactive_case_is_not_matched(
    client: Any, alice: Any, agency: Any, slot: Any
) -> None:
    paused = person(agency, alice, status="paused")
    login(client, alice.email)

    response = client.get(matches_url(paused))

    assert response.status_code == 200
    assert "Nur ein aktiver Fall wird mit offenen Plätzen abgeglichen" in response.text
    assert "Praktikum Schweißen" not in response.text


def test_it_offers_no_nomination_without_consent_to_show_the_profile(
    client: Any, alice: Any, agency: Any, slot: Any
) -> None:
    silent = person(agency, alice, scopes={"show_profile": False})
    login(client, alice.email)

    response = client.get(matches_url(silent))

    assert "Praktikum Schweißen" in response.text
    assert "/nominate/" not in response.text


@pytest.mark.parametrize(
    ("who", "status"),
    [("team_lead", 200), ("bob", 404), ("charlie", 404), ("erik", 403), ("operator", 403),
     ("statistician", 403)],
)  # fmt: skip
def test_it_shows_a_candidates_matches_only_to_those_who_see_the_case(
    request: Any, client: Any, candidate: Any, who: str, status: int
) -> None:
    login(client, request.getfixturevalue(who).email)

    assert client.get(matches_url(candidate)).status_code == status


def test_it_ranks_only_the_own_caseload_for_an_offer(
    client: Any, alice: Any, bob: Any, agency: Any, candidate: Any, slot: Any
) -> None:
    bobs = person(agency, bob, code="K-BOBS-001")
    login(client, bob.email)

    response = client.get(offer_url(slot))

    assert response.status_code == 200
    assert bobs.code in response.text
    assert candidate.code not in response.text
    assert f'href="/candidates/{bobs.id}/nominate/{slot.id}"' in response.text


def test_it_links_the_offer_to_the_caseload_and_shows_the_response_rate(
    client: Any, alice: Any, slot: Any
) -> None:
    login(client, alice.email)

    response = client.get(f"/offers/{slot.id}")

    assert f'href="/offers/{slot.id}/candidates"' in response.text
    assert "Noch keine Vorschläge" in response.text


@pytest.mark.parametrize(
    ("who", "status"),
    [("alice", 200), ("team_lead", 200), ("charlie", 200), ("erik", 403), ("operator", 403),
     ("statistician", 403)],
)  # fmt: skip
def test_it_shows_the_caseload_for_an_offer_to_case_workers_only(
    request: Any, client: Any, slot: Any, who: str, status: int
) -> None:
    login(client, request.getfixturevalue(who).email)

    assert client.get(offer_url(slot)).status_code == status


def test_it_does_not_find_an_offer_that_is_not_open(client: Any, alice: Any, employer: Any) -> None:
    draft = offer(employer, "Entwurf", status="draft")
    login(client, alice.email)

    assert client.get(offer_url(draft)).status_code == 404


def test_it_needs_the_same_queries_for_2_and_12_results(
    client: Any, alice: Any, agency: Any, employer: Any, candidate: Any, queries: list[str]
) -> None:
    login(client, alice.email)

    def measure(url: str) -> int:
        queries.clear()
        response = client.get(url)
        assert response.status_code == 200
        return len(queries)

    slot = offer(employer, "Erster Platz")
    offer(employer, "Zweiter Platz")
    person(agency, alice)
    few = (measure(matches_url(candidate)), measure(offer_url(slot)))
    for n in range(10):
        offer(employer, f"Platz {n}")
        person(agency, alice)
    many = (measure(matches_url(candidate)), measure(offer_url(slot)))

    assert few == many


def test_it_answers_htmx_paging_with_the_results_only(
    client: Any, alice: Any, candidate: Any, slot: Any
) -> None:
    login(client, alice.email)

    response = client.get(matches_url(candidate) + "?page=1", headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="match-results"')
    assert "Praktikum Schweißen" in response.text
