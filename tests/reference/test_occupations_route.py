"""GET /occupations: the picker's active search (htmx) and the plain search page."""

from __future__ import annotations

from portal.accounts.tables import OrgKind, OrgStatus, Role
from tests.factories import login, make_org, make_user

HTMX = {"HX-Request": "true"}


def _log_in(client, kind=OrgKind.employer, role=Role.employer_member, status=OrgStatus.active):
    user = make_user(make_org(kind, status=status), role)
    login(client, user.email)


def test_it_shows_the_matching_occupations_on_a_page(client):
    _log_in(client)
    response = client.get("/occupations", params={"q": "Schwei"})
    assert response.status_code == 200
    assert "<html" in response.text
    assert "24422 – Berufe in der Schweiß- und Verbindungstechnik (Fachkraft)" in response.text
    assert "7 Berufe gefunden" in response.text
    assert "Klassifikation der Berufe 2010" in response.text  # the attribution


def test_it_answers_htmx_with_the_options_and_their_count(client):
    _log_in(client)
    response = client.get(
        "/occupations",
        params={"field": "occupation", "occupation_query": "Schwei"},
        headers=HTMX,
    )
    assert response.status_code == 200
    assert "<html" not in response.text
    assert response.text.count('role="option"') == 7
    assert 'id="occupation-option-24422"' in response.text
    assert 'data-value="24422"' in response.text
    assert 'id="occupation-status" hx-swap-oob="innerHTML">7 Berufe gefunden<' in response.text


def test_it_says_when_nothing_matches(client):
    _log_in(client)
    response = client.get("/occupations", params={"q": "Quantenheiler"}, headers=HTMX)
    assert response.status_code == 200
    assert 'role="option"' not in response.text
    assert "Kein Beruf gefunden." in response.text


def test_it_ignores_a_malformed_field_name(client):
    _log_in(client)
    response = client.get(
        "/occupations", params={"field": '"><script>', "q": "24422"}, headers=HTMX
    )
    assert response.status_code == 200
    assert 'id="occupation-option-24422"' in response.text
    assert "<script>" not in response.text


def test_it_serves_case_managers_too(client):
    _log_in(client, OrgKind.case_management, Role.case_manager)
    response = client.get("/occupations", params={"q": "Lager"})
    assert response.status_code == 200
    assert "51312 – Berufe in der Lagerwirtschaft (Fachkraft)" in response.text


def test_it_refuses_users_of_an_organisation_awaiting_approval(client):
    _log_in(client, role=Role.employer_admin, status=OrgStatus.pending)
    response = client.get("/occupations", params={"q": "Lager"})
    assert response.status_code == 403
    assert "Lagerwirtschaft" not in response.text


def test_it_sends_anonymous_visitors_to_the_login(client):
    response = client.get("/occupations", params={"q": "Lager"}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=")


def test_it_tells_htmx_to_log_in_when_the_session_is_gone(client):
    response = client.get("/occupations", params={"q": "Lager"}, headers=HTMX)
    assert response.status_code == 401
    assert response.headers["HX-Redirect"].startswith("/login?next=")
