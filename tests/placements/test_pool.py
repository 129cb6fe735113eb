"""The employer's talent pool for an open slot: ranked, pseudonymised, only with consent."""

from __future__ import annotations

from typing import Any

import pytest

from portal.candidates.tables import Candidate, Consent
from portal.clock import now
from tests.conftest import run
from tests.factories import login, make_municipality, without_csrf_token
from tests.placements.matching_factories import offer, person


def pool_url(slot: Any) -> str:
    return f"/slots/{slot.id}/pool"


def test_it_ranks_the_pool_of_every_agency_pseudonymised(
    client: Any,
    emma: Any,
    employer: Any,
    agency: Any,
    alice: Any,
    charlie: Any,
    other_agency: Any,
) -> None:
    kassel = make_municipality("Kassel")
    slot = offer(employer, "Schweißen", municipality=kassel.id, min_german="A2")
    close = person(other_agency, charlie, german_level="B1", places=(kassel,), code="K-NEAR-001")
    far = person(agency, alice, desired=("62102",), code="K-FAR-0001")
    login(client, emma.email)

    response = client.get(pool_url(slot))

    assert response.status_code == 200
    html = response.text
    assert html.index(close.code) < html.index(far.code)
    assert "Kassel reachable" in html
    assert "German B1 ≥ A2 required" in html
    assert "Berufe im Verkauf" in html  # the far one's desired occupation
    assert f'href="/slots/{slot.id}/pool/{close.id}"' in html
    # Never a name, a birthday or anything else of the identity.
    for secret in ("Amina", "Haddad", "1994", "17.05."):
        assert secret not in without_csrf_token(client, html), secret


def test_it_leaves_out_who_did_not_agree_or_is_not_active(
    client: Any, erik: Any, employer: Any, agency: Any, alice: Any
) -> None:
    slot = offer(employer, "Schweißen")
    shown = person(agency, alice, code="K-POOL-001")
    hidden = [
        person(agency, alice, scopes={"talent_pool": False}, code="K-NOPOOL-1"),
        person(agency, alice, status="paused", code="K-PAUSE-01"),
        person(agency, alice, code="K-ERASED-1"),
        person(agency, alice, code="K-WITHDR-1"),
    ]
    erased_at = now()
    run(Candidate.update({Candidate.erased_at: erased_at}).where(Candidate.id == hidden[2].id))
    run(Consent.update({Consent.ended_at: erased_at}).where(Consent.candidate == hidden[3].id))
    login(client, erik.email)

    html = client.get(pool_url(slot)).text

    assert shown.code in html
    for candidate in hidden:
        assert candidate.code not in html


def test_it_shows_the_pool_only_for_an_open_slot(
    client: Any, erik: Any, employer: Any, candidate: Any
) -> None:
    draft = offer(employer, "Entwurf", status="draft")
    login(client, erik.email)

    response = client.get(pool_url(draft))

    assert response.status_code == 200
    assert "Der Platz ist nicht offen" in response.text
    assert candidate.code not in response.text


@pytest.mark.parametrize(
    ("who", "status"),
    [("erik", 200), ("emma", 200), ("fritz", 404), ("alice", 403), ("operator", 403),
     ("statistician", 403)],
)  # fmt: skip
def test_it_shows_the_pool_only_to_the_slots_employer(
    request: Any, client: Any, slot: Any, who: str, status: int
) -> None:
    login(client, request.getfixturevalue(who).email)

    assert client.get(pool_url(slot)).status_code == status


def test_it_needs_the_same_queries_for_2_and_12_candidates(
    client: Any, erik: Any, slot: Any, agency: Any, alice: Any, queries: list[str]
) -> None:
    login(client, erik.email)

    def measure() -> int:
        queries.clear()
        assert client.get(pool_url(slot)).status_code == 200
        return len(queries)

    for _ in range(2):
        person(agency, alice, experience=("51311",))
    few = measure()
    for _ in range(10):
        person(agency, alice, experience=("51311",))
    many = measure()

    assert few == many
