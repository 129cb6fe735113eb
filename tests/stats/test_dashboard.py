"""The dashboard /statistics: who sees it, what it shows, and bad input."""

from __future__ import annotations

import pytest

from portal.accounts.tables import Chamber, OrgKind, OrgStatus, Role
from tests.factories import login, make_org, make_user
from tests.stats.history import make_history


def viewer(kind=OrgKind.chamber, **fields):
    return make_user(make_org(kind, status=OrgStatus.active, **fields), Role.statistics_viewer)


@pytest.mark.parametrize(
    ("role", "kind", "status"),
    [
        (Role.statistics_viewer, OrgKind.chamber, 200),
        (Role.statistics_viewer, OrgKind.authority, 200),
        (Role.operator_admin, OrgKind.operator, 200),
        (Role.employer_admin, OrgKind.employer, 403),
        (Role.employer_member, OrgKind.employer, 403),
        (Role.case_manager, OrgKind.case_management, 403),
        (Role.team_lead, OrgKind.case_management, 403),
    ],
)
def test_it_admits_statistics_viewers_and_operators_only(client, role, kind, status):
    login(client, make_user(make_org(kind), role).email)
    for path in ("/statistics", "/statistics/figures.csv", "/statistics/figures.xlsx",
                 "/statistics/figures.json"):  # fmt: skip
        assert client.get(path).status_code == status, path


def test_it_sends_an_anonymous_visitor_to_the_login(client):
    response = client.get("/statistics", follow_redirects=False)
    assert response.status_code in (302, 303)
    assert "/login" in response.headers["location"]


def test_it_shows_the_funnel_of_the_district(client):
    history = make_history(per_employer=3, employers=4)
    login(client, viewer(OrgKind.authority).email)
    page = client.get("/statistics").text
    assert "Trichter" in page and "Praktika begonnen" in page
    assert 'data-sign="12"' in page
    # No person, no single placement: neither a code nor a name nor an id.
    for candidate in history.candidates:
        assert candidate.code not in page
    assert "Amina" not in page and "Haddad" not in page
    for placement in history.placements:
        assert str(placement) not in page


def nominated(client, url):
    funnel = client.get(url).json()["tables"][0]
    label = "Vermittlungsvorschläge oder Anfragen"
    return next(row for row in funnel["rows"] if row["label"] == label)["cells"][0]


def test_a_chamber_sees_its_member_employers_by_default(client):
    make_history(per_employer=3, employers=4)  # three IHK members (9), one HWK member (3)
    login(client, viewer(chamber=Chamber.ihk).email)
    members = client.get("/statistics").json if False else client.get("/statistics/figures.json")
    funnel = members.json()["tables"][0]
    nominated = next(
        r for r in funnel["rows"] if r["label"] == "Vermittlungsvorschläge oder Anfragen"
    )
    assert nominated["cells"][0] == {"sign": "9", "value": 9}
    district = client.get("/statistics/figures.json?scope=district").json()["tables"][0]
    nominated = next(
        r for r in district["rows"] if r["label"] == "Vermittlungsvorschläge oder Anfragen"
    )
    assert nominated["cells"][0] == {"sign": "12", "value": 12}


def test_an_authority_cannot_choose_the_member_view(client):
    login(client, viewer(OrgKind.authority).email)
    page = client.get("/statistics?scope=members").text
    assert "Bitte wählen Sie eine der angebotenen Ansichten." in page


@pytest.mark.parametrize(
    "query",
    ["period=decade", "on=gestern", "on=1900-01-01", "by=religion", "scope=%00",
     "period=custom&start=2026-05-01&end=2026-04-01", "period=custom&start=x",
     "on=" + "9" * 5000],
)  # fmt: skip
def test_it_answers_bad_input_with_a_message_and_the_default(client, query):
    login(client, viewer(OrgKind.authority).email)
    response = client.get(f"/statistics?{query}")
    assert response.status_code == 200
    assert "nicht verstanden" in response.text
    assert client.get(f"/statistics/figures.json?{query}").status_code == 200


def test_no_statistics_output_names_a_person_or_a_placement(client, operator):
    history = make_history(per_employer=3, employers=4)
    login(client, operator.email)
    paths = ["/statistics", "/statistics/figures.csv", "/statistics/figures.json",
             "/statistics/report", "/statistics/methods", "/statistics?by=programme"]  # fmt: skip
    for path in paths:
        text = client.get(path).text
        for candidate in history.candidates:
            assert candidate.code not in text and str(candidate.id) not in text, path
        for placement in history.placements:
            assert str(placement) not in text, path
        assert "Amina" not in text and "Haddad" not in text, path


def test_the_dashboard_asks_the_database_a_constant_number_of_times(client, queries):
    login(client, viewer(OrgKind.authority).email)
    make_history(per_employer=1, employers=1)
    queries.clear()
    client.get("/statistics")
    few = len(queries)
    make_history(per_employer=3, employers=4)
    queries.clear()
    client.get("/statistics")
    assert len(queries) == few


def test_the_form_fast_path_gets_the_figures_alone_and_a_word_for_the_live_region(client):
    login(client, viewer(OrgKind.authority).email)
    make_history(per_employer=3, employers=4)
    full = client.get("/statistics?period=quarter")
    fragment = client.get("/statistics?period=quarter", headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert fragment.text.lstrip().startswith('<div id="figures">')
    assert "<html" not in fragment.text and '<form method="get"' not in fragment.text
    assert 'id="figures-status" hx-swap-oob="innerHTML"' in fragment.text
    # The same figures as the page shows.
    table = fragment.text.split('data-table="funnel"')[1].split("</table>")[0]
    assert table in full.text
