"""The caseload: pseudonymised, the user's own cases (or the organisation's), filtered, paged."""

import re

import pytest

from portal.accounts.tables import OrgKind, Role
from portal.candidates.tables import Candidate, CandidateStatus
from tests.candidates.caseload import HTMX, give_consent, make_programme, share_caseload
from tests.conftest import run
from tests.factories import login, make_candidate, make_org, make_user


def count_cases(agency):
    return run(Candidate.count().where(Candidate.organisation == agency.id))


CODE_LINK = re.compile(r'class="kern-link candidate-code" href="/candidates/[0-9a-f-]+">([^<]+)<')


def codes(html):
    return CODE_LINK.findall(html)


@pytest.fixture
def bobs(agency, bob):
    return make_candidate(agency, bob, code="K-BBBB-22", occupations=("51311",))


@pytest.fixture
def charlies(other_agency, charlie):
    return make_candidate(other_agency, charlie, code="K-CCCC-33")


def test_it_lists_the_case_managers_own_cases_pseudonymised(
    client, alice, candidate, bobs, charlies
):
    give_consent(candidate)
    login(client, alice.email)
    response = client.get("/candidates")
    assert response.status_code == 200
    assert codes(response.text) == [candidate.code]
    html = response.text
    assert "1 Fall gefunden" in html
    assert "Berufe im Metallbau" in html and "(24412)" in html
    assert "Alice Fallmanagerin" in html
    assert "Entwurf" in html
    assert ">ja<" in html
    # No identity in the list, on purpose.
    assert "Amina" not in html and "Haddad" not in html
    assert 'href="/candidates/new"' in html


def test_it_shows_a_team_lead_the_whole_organisation(client, team_lead, candidate, bobs, charlies):
    login(client, team_lead.email)
    response = client.get("/candidates")
    assert sorted(codes(response.text)) == sorted([candidate.code, bobs.code])
    assert 'name="case_manager"' in response.text


def test_it_shows_colleagues_cases_when_the_caseload_is_shared(
    client, agency, alice, candidate, bobs, charlies
):
    share_caseload(agency)
    login(client, alice.email)
    response = client.get("/candidates")
    assert sorted(codes(response.text)) == sorted([candidate.code, bobs.code])
    assert "Bob Kollege" in response.text


def test_it_offers_no_case_manager_filter_without_sharing(client, alice, bob, candidate, bobs):
    login(client, alice.email)
    response = client.get("/candidates", params={"case_manager": str(bob.id)})
    assert 'name="case_manager"' not in response.text
    # Ignored: a case manager cannot widen the list with a filter.
    assert codes(response.text) == [candidate.code]


def test_it_filters_by_case_manager(client, team_lead, bob, candidate, bobs):
    login(client, team_lead.email)
    response = client.get("/candidates", params={"case_manager": str(bob.id)})
    assert codes(response.text) == [bobs.code]
    assert codes(client.get("/candidates?case_manager=nonsense").text) != []


def test_it_filters_by_status(client, agency, alice, candidate):
    paused = make_candidate(agency, alice, status=CandidateStatus.paused)
    login(client, alice.email)
    assert codes(client.get("/candidates?status=paused").text) == [paused.code]
    assert len(codes(client.get("/candidates?status=gone").text)) == 2


def test_it_filters_by_programme(client, agency, alice, candidate):
    wir = make_programme()
    other = make_programme("KAI – Kurs . Arbeit . Integration")
    in_wir = make_candidate(agency, alice, programme=wir.id)
    make_candidate(agency, alice, programme=other.id)
    login(client, alice.email)
    response = client.get("/candidates", params={"programme": str(wir.id)})
    assert codes(response.text) == [in_wir.code]
    assert "WIR-Fallmanagement" in response.text


@pytest.mark.parametrize("typed", ["K-7QX4-2M", "k-7qx4-2m", "k7qx42m", "7QX42M", "7qx4", "x4-2"])
def test_it_finds_a_code_however_it_is_typed(client, agency, alice, candidate, typed):
    wanted = make_candidate(agency, alice, code="K-7QX4-2M")
    login(client, alice.email)
    assert codes(client.get("/candidates", params={"q": typed}).text) == [wanted.code]


def test_it_searches_only_the_users_caseload(client, alice, candidate, charlies):
    login(client, alice.email)
    response = client.get("/candidates", params={"q": "CCCC"})
    assert codes(response.text) == []
    assert "Kein Fall entspricht diesen Filtern." in response.text


def test_it_answers_htmx_with_the_results_and_the_count_out_of_band(client, alice, candidate):
    login(client, alice.email)
    response = client.get("/candidates", params={"q": candidate.code}, headers=HTMX)
    assert response.status_code == 200
    assert "<html" not in response.text
    assert response.text.lstrip().startswith('<div id="candidate-results"')
    assert 'id="candidate-count" class="kern-body" hx-swap-oob="innerHTML"' in response.text
    assert "1 Fall gefunden" in response.text
    assert codes(response.text) == [candidate.code]


def test_it_keeps_the_live_region_on_the_full_page(client, alice, candidate):
    login(client, alice.email)
    html = client.get("/candidates").text
    assert 'id="candidate-count" class="kern-body" role="status" aria-live="polite"' in html
    assert "hx-swap-oob" not in html


def test_it_paginates_and_keeps_the_filters(client, agency, alice):
    for _number in range(27):
        make_candidate(agency, alice)
    login(client, alice.email)
    first = client.get("/candidates?status=draft")
    assert len(codes(first.text)) == 25
    assert 'href="/candidates?status=draft&amp;page=2"' in first.text
    assert len(codes(client.get("/candidates?status=draft&page=2").text)) == 2
    assert client.get("/candidates?page=99").status_code == 200


def test_it_greets_a_case_manager_without_cases(client, alice):
    login(client, alice.email)
    assert "Ihr Fallbestand enthält noch keinen Fall." in client.get("/candidates").text


@pytest.mark.parametrize("htmx", [False, True])
def test_it_needs_a_constant_number_of_queries(client, agency, team_lead, alice, queries, htmx):
    counts = []
    programme = make_programme()
    for total in (2, 12):
        while count_cases(agency) < total:
            case = make_candidate(agency, alice, occupations=("24412",), programme=programme.id)
            give_consent(case)
        login(client, team_lead.email)
        queries.clear()
        response = client.get("/candidates", headers=HTMX if htmx else {})
        assert response.status_code == 200
        assert len(codes(response.text)) == total
        counts.append(len(queries))
    assert counts[0] == counts[1], queries
    # The user, the sharing flag, the count, the page, occupations, consents (+ the filters).
    assert counts[0] == (6 if htmx else 8), queries


@pytest.mark.parametrize(
    ("kind", "role"),
    [
        (OrgKind.operator, Role.operator_admin),
        (OrgKind.employer, Role.employer_admin),
        (OrgKind.chamber, Role.statistics_viewer),
        (OrgKind.authority, Role.statistics_viewer),
    ],
)
def test_it_answers_403_to_other_roles(client, kind, role):
    login(client, make_user(make_org(kind), role).email)
    assert client.get("/candidates").status_code == 403


def test_it_sends_an_anonymous_visitor_to_the_login(client):
    response = client.get("/candidates", follow_redirects=False)
    assert response.status_code in (302, 303)
    assert response.headers["location"].startswith("/login?next=")
