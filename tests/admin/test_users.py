from portal.accounts.tables import OrgKind, Role, User
from portal.audit.tables import AuditEvent
from tests.conftest import run
from tests.factories import login, make_org, make_user, post_form


def _rows(response):
    return response.text.count('<th scope="row"')


def test_it_lists_the_users_of_every_organisation(client, operator):
    make_user(make_org(OrgKind.employer, name="Metallbau Kruse"), Role.employer_admin, name="Karla")
    make_user(make_org(OrgKind.chamber, name="IHK Muster"), Role.statistics_viewer, name="Ida")
    login(client, operator.email)
    response = client.get("/admin/users")
    assert response.status_code == 200
    assert _rows(response) == 3
    assert "Metallbau Kruse" in response.text and "IHK Muster" in response.text
    assert "Statistik-Zugang" in response.text
    assert "noch nie" in response.text  # Karla and Ida never logged in


def test_it_searches_name_and_email_in_any_case(client, operator):
    org = make_org()
    make_user(org, Role.employer_member, name="Erika Mustermann", email="e.m@example.org")
    make_user(org, Role.employer_member, name="Paul Beispiel", email="paul@muster-firma.example")
    make_user(org, Role.employer_member, name="Nina Anders", email="nina@example.org")
    login(client, operator.email)
    response = client.get("/admin/users?q=MUSTER")
    assert "Erika Mustermann" in response.text and "Paul Beispiel" in response.text
    assert "Nina Anders" not in response.text
    assert 'value="MUSTER"' in response.text


def test_it_takes_wildcards_and_backslashes_in_the_search_literally_enough(client, operator):
    # Fixed names: a random address such as user-3a7b… would match "a_b" where "_" is a wildcard.
    make_user(
        make_org(name="Nordwerk"),
        Role.employer_member,
        name="Nina Anders",
        email="nina@example.org",
    )
    login(client, operator.email)
    for term in ["\\", "100%", "a_b", "'; drop table portal_user; --"]:
        response = client.get("/admin/users", params={"q": term})
        assert response.status_code == 200
        assert "Nina Anders" not in response.text


def test_it_filters_by_kind_of_organisation(client, operator):
    make_user(make_org(OrgKind.employer), Role.employer_admin, name="Karla Kruse")
    make_user(make_org(OrgKind.chamber), Role.statistics_viewer, name="Ida Statistik")
    login(client, operator.email)
    response = client.get("/admin/users?kind=chamber")
    assert "Ida Statistik" in response.text and "Karla Kruse" not in response.text


def test_it_pages_through_many_users(client, operator):
    org = make_org()
    run(
        User.insert(
            *[
                User(
                    email=f"u{n:02d}@example.org",
                    display_name=f"Person {n:02d}",
                    organisation=org.id,
                    role=Role.employer_member,
                )
                for n in range(30)
            ]
        )
    )
    login(client, operator.email)
    first = client.get("/admin/users?q=person")
    assert _rows(first) == 25
    assert 'href="/admin/users?q=person&amp;page=2"' in first.text
    assert _rows(client.get("/admin/users?q=person&page=2")) == 5


def test_it_returns_only_the_results_for_htmx(client, operator):
    login(client, operator.email)
    response = client.get("/admin/users?q=olga", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="user-results"')
    assert "<html" not in response.text and "Olga Operator" in response.text


def test_it_deactivates_and_reactivates_a_user(client, operator):
    user = make_user(make_org(), Role.employer_member, name="Karla Kruse")
    login(client, operator.email)
    response = post_form(
        client, f"/admin/users/{user.id}/deactivate", {"next": "/admin/users?q=karla"}
    )
    assert "Das Benutzerkonto wurde deaktiviert" in response.text
    assert str(response.url).endswith("/admin/users?q=karla")
    assert run(User.select(User.is_active).where(User.id == user.id).first())["is_active"] is False
    assert run(AuditEvent.exists().where(AuditEvent.action == "user.deactivated"))
    post_form(client, f"/admin/users/{user.id}/reactivate", {})
    assert run(User.select(User.is_active).where(User.id == user.id).first())["is_active"] is True


def test_it_refuses_to_deactivate_the_operator_themselves(client, operator):
    login(client, operator.email)
    response = post_form(client, f"/admin/users/{operator.id}/deactivate", {})
    assert "Sie können Ihr eigenes Benutzerkonto nicht deaktivieren." in response.text
    assert run(User.select(User.is_active).where(User.id == operator.id).first())["is_active"]
    assert "(Sie)" in client.get("/admin/users").text


def test_it_ignores_a_next_address_on_another_site(client, operator):
    user = make_user(make_org(), Role.employer_member)
    login(client, operator.email)
    response = post_form(
        client,
        f"/admin/users/{user.id}/deactivate",
        {"next": "https://evil.example/"},
        follow_redirects=False,
    )
    assert response.headers["location"] == "/admin/users"


def test_it_needs_the_same_number_of_queries_for_5_and_for_50_users(client, operator, queries):
    org = make_org()
    login(client, operator.email)

    def add(count, start):
        run(
            User.insert(
                *[
                    User(
                        email=f"u{n:03d}@example.org",
                        display_name=f"Person {n:03d}",
                        organisation=org.id,
                        role=Role.employer_member,
                    )
                    for n in range(start, start + count)
                ]
            )
        )

    add(4, 0)
    queries.clear()
    assert _rows(client.get("/admin/users?kind=employer")) == 4
    few = len(queries)
    add(46, 4)
    queries.clear()
    assert _rows(client.get("/admin/users?kind=employer")) == 25
    assert len(queries) == few <= 3


def test_it_finds_nobody_for_a_search_with_a_nul_character(client, operator):
    # Found by the fuzz test: PostgreSQL refused the NUL in the query (a 500).
    login(client, operator.email)
    response = client.get("/admin/users?q=a%00")
    assert response.status_code == 200
    assert _rows(response) == 0
