from portal.accounts.tables import Organisation, OrgKind, OrgStatus, Role
from tests.conftest import run
from tests.factories import login, make_org, make_user


def _many(count, **fields):
    run(
        Organisation.insert(
            *[
                Organisation(kind=OrgKind.employer, name=f"Betrieb {n:02d}", **fields)
                for n in range(count)
            ]
        )
    )


def test_it_lists_organisations_with_kind_and_status(client, operator):
    make_org(OrgKind.case_management, name="Jobcenter Musterland")
    make_org(OrgKind.employer, name="Gasthaus Linde", status=OrgStatus.suspended)
    login(client, operator.email)
    response = client.get("/admin/organisations")
    assert response.status_code == 200
    assert "Jobcenter Musterland" in response.text and "Fallmanagement" in response.text
    assert "Gasthaus Linde" in response.text and "Gesperrt" in response.text
    assert "3 Organisationen gefunden" in response.text
    assert '<th scope="col"' in response.text and "<caption" in response.text


def test_it_filters_by_status_and_kind(client, operator):
    make_org(OrgKind.employer, name="Wartet GmbH", status=OrgStatus.pending)
    make_org(OrgKind.employer, name="Aktiv GmbH")
    make_org(OrgKind.chamber, name="IHK Wartet", status=OrgStatus.pending)
    login(client, operator.email)
    response = client.get("/admin/organisations?status=pending&kind=employer")
    assert "Wartet GmbH" in response.text
    assert "Aktiv GmbH" not in response.text and "IHK Wartet" not in response.text
    # The filter form shows the state from the URL.
    assert '<option value="pending" selected>' in response.text


def test_it_ignores_unknown_filter_values(client, operator):
    make_org(OrgKind.employer, name="Aktiv GmbH")
    login(client, operator.email)
    response = client.get("/admin/organisations?status=%27;drop&kind=nonsense&page=-3")
    assert response.status_code == 200
    assert "Aktiv GmbH" in response.text


def test_it_marks_a_registration_whose_address_is_not_confirmed(client, operator):
    waiting = make_org(OrgKind.employer, name="Unbestätigt GmbH", status=OrgStatus.pending)
    make_user(waiting, Role.employer_admin, confirmed=False)
    ready = make_org(OrgKind.employer, name="Bestätigt GmbH", status=OrgStatus.pending)
    make_user(ready, Role.employer_admin)
    login(client, operator.email)
    response = client.get("/admin/organisations?status=pending")
    assert response.text.count("E-Mail noch nicht bestätigt") == 1
    assert f"/admin/organisations/{ready.id}/approve" in response.text
    assert f"/admin/organisations/{waiting.id}/approve" not in response.text
    assert '<span class="visually-hidden"> Bestätigt GmbH</span>' in response.text


def test_it_shows_25_organisations_per_page_and_keeps_the_filter(client, operator):
    _many(30, status=OrgStatus.pending)
    login(client, operator.email)
    first = client.get("/admin/organisations?status=pending")
    assert first.text.count("/approve") == 0  # no users, nothing confirmed: nothing to approve
    assert first.text.count('<th scope="row"') == 25
    assert "Seite 1 von 2" in first.text
    assert 'href="/admin/organisations?status=pending&amp;page=2"' in first.text
    second = client.get("/admin/organisations?status=pending&page=2")
    assert second.text.count('<th scope="row"') == 5
    names = {f"Betrieb {n:02d}" for n in range(30)}
    assert all(name in first.text or name in second.text for name in names)
    # A page past the end shows the last one.
    assert (
        client.get("/admin/organisations?status=pending&page=9").text.count('<th scope="row"') == 5
    )


def test_it_needs_the_same_number_of_queries_for_5_and_for_50_organisations(
    client, operator, queries
):
    login(client, operator.email)
    _many(4)
    queries.clear()
    assert client.get("/admin/organisations").text.count('<th scope="row"') == 5
    few = len(queries)
    _many(45)
    queries.clear()
    assert client.get("/admin/organisations").text.count('<th scope="row"') == 25
    assert len(queries) == few
    # The session's user, the count, the page.
    assert few <= 3, queries


def test_it_returns_only_the_results_for_htmx(client, operator):
    make_org(OrgKind.employer, name="Aktiv GmbH")
    login(client, operator.email)
    response = client.get("/admin/organisations?kind=employer", headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="org-results"')
    assert "<html" not in response.text and '<form method="get"' not in response.text
    assert "Aktiv GmbH" in response.text


def test_it_has_a_filter_form_that_htmx_sends_to_the_results(client, operator):
    login(client, operator.email)
    response = client.get("/admin/organisations")
    assert 'hx-get="/admin/organisations"' in response.text
    assert 'hx-target="#org-results"' in response.text
    assert 'hx-push-url="true"' in response.text
