"""The console's list of candidates: every organisation's cases, pseudonymised, for operators."""

import re

import pytest

from portal.accounts.tables import OrgKind, Role
from portal.candidates.tables import CandidateStatus
from tests.candidates.caseload import HTMX, make_programme
from tests.factories import login, make_candidate, make_org, make_user

CODE_LINK = re.compile(r'class="kern-link candidate-code" href="/candidates/[0-9a-f-]+">([^<]+)<')


def codes(html):
    return CODE_LINK.findall(html)


def test_it_lists_every_organisations_cases_without_identities(
    client, operator, agency, other_agency, alice, charlie
):
    programme = make_programme()
    ours = make_candidate(agency, alice, programme=programme.id)
    theirs = make_candidate(other_agency, charlie, status=CandidateStatus.active)
    login(client, operator.email)
    response = client.get("/admin/candidates")
    assert response.status_code == 200
    html = response.text
    assert sorted(codes(html)) == sorted([ours.code, theirs.code])
    assert "Jobcenter Musterland" in html and "Integrationszentrum Musterstadt e. V." in html
    assert "WIR-Fallmanagement" in html
    assert "Entwurf" in html and "Aktiv" in html
    assert "2 Fälle gefunden" in html
    assert "Amina" not in html and "Haddad" not in html
    assert f'href="/candidates/{ours.id}"' in html
    assert client.get(f"/candidates/{ours.id}").status_code == 200
    assert 'href="/admin/candidates"' in html  # in the navigation


def test_it_filters_by_organisation_and_status(
    client, operator, agency, other_agency, alice, charlie
):
    draft = make_candidate(agency, alice)
    active = make_candidate(agency, alice, status=CandidateStatus.active)
    make_candidate(other_agency, charlie)
    login(client, operator.email)
    assert sorted(codes(client.get(f"/admin/candidates?organisation={agency.id}").text)) == sorted(
        [draft.code, active.code]
    )
    both = client.get(f"/admin/candidates?organisation={agency.id}&status=active")
    assert codes(both.text) == [active.code]
    # Nonsense filters are ignored.
    assert len(codes(client.get("/admin/candidates?organisation=x&status=y").text)) == 3


def test_it_answers_htmx_with_the_results_and_the_count_out_of_band(
    client, operator, agency, alice
):
    case = make_candidate(agency, alice)
    login(client, operator.email)
    response = client.get("/admin/candidates?status=draft", headers=HTMX)
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="candidate-results"')
    assert 'hx-swap-oob="innerHTML"' in response.text
    assert "<html" not in response.text
    assert codes(response.text) == [case.code]


def test_it_paginates_and_keeps_the_filters(client, operator, agency, alice):
    for _number in range(26):
        make_candidate(agency, alice)
    login(client, operator.email)
    first = client.get(f"/admin/candidates?organisation={agency.id}")
    assert len(codes(first.text)) == 25
    assert f'href="/admin/candidates?organisation={agency.id}&amp;page=2"' in first.text
    assert len(codes(client.get(f"/admin/candidates?organisation={agency.id}&page=2").text)) == 1


@pytest.mark.parametrize("htmx", [False, True])
def test_it_needs_a_constant_number_of_queries(
    client, operator, agency, other_agency, alice, charlie, queries, htmx
):
    programme = make_programme()
    login(client, operator.email)
    counts, made = [], 0
    for total in (2, 12):
        while made < total:
            owner = (agency, alice) if made % 2 else (other_agency, charlie)
            make_candidate(*owner, programme=programme.id)
            made += 1
        queries.clear()
        response = client.get("/admin/candidates", headers=HTMX if htmx else {})
        assert len(codes(response.text)) == total
        counts.append(len(queries))
    assert counts[0] == counts[1], queries
    # The user, the count, the page (and the organisations for the filter).
    assert counts[0] == (3 if htmx else 4), queries


@pytest.mark.parametrize(
    ("kind", "role"),
    [
        (OrgKind.case_management, Role.team_lead),
        (OrgKind.case_management, Role.case_manager),
        (OrgKind.employer, Role.employer_admin),
        (OrgKind.chamber, Role.statistics_viewer),
    ],
)
def test_it_answers_403_to_everyone_but_operators(client, kind, role):
    login(client, make_user(make_org(kind), role).email)
    assert client.get("/admin/candidates").status_code == 403


def test_it_sends_an_anonymous_visitor_to_the_login(client):
    response = client.get("/admin/candidates", follow_redirects=False)
    assert response.headers["location"].startswith("/login?next=")
