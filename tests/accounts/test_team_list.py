import datetime as dt

from portal.accounts.tables import OrgKind, Role, User
from tests.conftest import run
from tests.factories import login, make_org, make_user


def test_it_lists_the_colleagues_of_the_own_organisation(client):
    org = make_org(OrgKind.employer)
    admin = make_user(org, Role.employer_admin, name="Anna Admin")
    make_user(org, Role.employer_member, name="Bernd Werkstatt", email="bernd@example.org")
    make_user(make_org(OrgKind.employer), Role.employer_member, name="Fremde Person")
    login(client, admin.email)
    response = client.get("/team")
    assert response.status_code == 200
    assert "Bernd Werkstatt" in response.text
    assert "bernd@example.org" in response.text
    assert "Anna Admin" in response.text
    assert "Fremde Person" not in response.text


def test_it_marks_pending_invitations_and_deactivated_colleagues(client):
    org = make_org(OrgKind.case_management)
    lead = make_user(org, Role.team_lead)
    pending = make_user(org, Role.case_manager, name="Paula Pending")
    run(User.update({User.password_hash: ""}).where(User.id == pending.id))
    make_user(org, Role.case_manager, name="Dieter Deaktiviert", active=False)
    login(client, lead.email)
    response = client.get("/team")
    assert "Einladung ausstehend" in response.text
    assert "Deaktiviert" in response.text


def test_it_shows_the_last_login_in_german_format(client):
    org = make_org()
    admin = make_user(org, Role.employer_admin)
    member = make_user(org, Role.employer_member)
    moment = dt.datetime(2026, 3, 5, 13, 7, tzinfo=dt.UTC)
    run(User.update({User.last_login: moment}).where(User.id == member.id))
    login(client, admin.email)
    response = client.get("/team")
    # 13:07 UTC is 14:07 in Berlin (CET).
    assert "05.03.2026, 14:07" in response.text


def test_it_paginates_with_a_link_to_the_next_page(client):
    org = make_org()
    admin = make_user(org, Role.employer_admin, name="Aaron Admin")
    for number in range(26):
        make_user(org, Role.employer_member, name=f"Kollege {number:02d}")
    login(client, admin.email)
    first = client.get("/team")
    assert "Aaron Admin" in first.text
    assert "Kollege 23" in first.text
    assert "Kollege 24" not in first.text
    assert 'href="/team?page=2"' in first.text
    second = client.get("/team", params={"page": "2"})
    assert "Kollege 24" in second.text and "Kollege 25" in second.text
    assert "Aaron Admin" not in second.text


def test_it_shows_the_nearest_page_for_a_malformed_page_number(client):
    org = make_org()
    admin = make_user(org, Role.employer_admin, name="Aaron Admin")
    login(client, admin.email)
    for value in ("abc", "-3", "999", "1e9"):
        response = client.get("/team", params={"page": value})
        assert response.status_code == 200
        assert "Aaron Admin" in response.text


def test_it_refuses_a_member_without_admin_role(client):
    member = make_user(make_org(), Role.employer_member)
    login(client, member.email)
    assert client.get("/team").status_code == 403


def test_it_refuses_a_statistics_viewer_and_an_operator(client):
    viewer = make_user(make_org(OrgKind.chamber), Role.statistics_viewer)
    operator = make_user(make_org(OrgKind.operator), Role.operator_admin)
    login(client, viewer.email)
    assert client.get("/team").status_code == 403
    login(client, operator.email)
    assert client.get("/team").status_code == 403


def test_it_sends_an_anonymous_visitor_to_the_login(client):
    response = client.get("/team", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?next=%2Fteam"


def _queries_for(client, monkeypatch, url):
    """How many SQL statements the app runs for one request (counted at Piccolo's engine)."""
    engine_class = type(User._meta.db)
    original = engine_class.run_querystring
    statements = []

    async def counting(self, querystring, *args, **kwargs):
        statements.append(querystring)
        return await original(self, querystring, *args, **kwargs)

    monkeypatch.setattr(engine_class, "run_querystring", counting)
    response = client.get(url)
    monkeypatch.setattr(engine_class, "run_querystring", original)
    assert response.status_code == 200
    return len(statements)


def test_it_uses_a_constant_number_of_queries(client, monkeypatch):
    org = make_org()
    admin = make_user(org, Role.employer_admin)
    login(client, admin.email)
    few = _queries_for(client, monkeypatch, "/team")
    for _number in range(10):
        make_user(org, Role.employer_member)
    many = _queries_for(client, monkeypatch, "/team")
    assert 2 <= few == many <= 4
