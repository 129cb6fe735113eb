"""Who may touch a slot: its employer's admin and members; others get 404, 403 or the login."""

import pytest

from portal.accounts.tables import OrgKind, OrgStatus, Role
from portal.employers.tables import Slot, SlotStatus
from tests.conftest import run
from tests.employers.slots import slot_form
from tests.factories import login, make_org, make_slot, make_user, post_form

ROUTES = ["view", "edit form", "edit", "publish", "pause", "close", "duplicate"]


def request(client, route, slot_id):
    if route == "view":
        return client.get(f"/slots/{slot_id}", follow_redirects=False)
    if route == "edit form":
        return client.get(f"/slots/{slot_id}/edit", follow_redirects=False)
    if route == "edit":
        return post_form(client, f"/slots/{slot_id}/edit", slot_form(title="Gekapert"))
    return post_form(client, f"/slots/{slot_id}/{route}", {}, follow_redirects=False)


def unchanged(slot):
    row = run(Slot.select(Slot.title, Slot.status).where(Slot.id == slot.id).first())
    return row == {"title": slot.title, "status": slot.status}


def slot_count():
    return run(Slot.count())


@pytest.fixture
def other_slot():
    """A draft of another employer: its existence must not even show."""
    return make_slot(
        make_org(name="Konkurrenz GmbH"), status=SlotStatus.draft, title="Geheimer Entwurf"
    )


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("status", [SlotStatus.draft, SlotStatus.open, SlotStatus.closed])
def test_it_answers_404_for_another_employers_slot(client, admin, route, status):
    slot = make_slot(make_org(name="Konkurrenz GmbH"), status=status, title="Fremder Platz")
    login(client, admin.email)
    response = request(client, route, slot.id)
    assert response.status_code == 404
    assert "Fremder Platz" not in response.text
    assert unchanged(slot)
    assert slot_count() == 1


@pytest.mark.parametrize("route", ROUTES)
def test_it_answers_404_for_a_malformed_id(client, member, route):
    login(client, member.email)
    assert request(client, route, "not-a-uuid").status_code == 404


def test_it_answers_404_for_an_unknown_id(client, member):
    login(client, member.email)
    assert client.get("/slots/00000000-0000-0000-0000-000000000000").status_code == 404


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize(
    ("kind", "role"),
    [
        (OrgKind.case_management, Role.case_manager),
        (OrgKind.case_management, Role.team_lead),
        (OrgKind.chamber, Role.statistics_viewer),
        (OrgKind.authority, Role.statistics_viewer),
        (OrgKind.operator, Role.operator_admin),
    ],
)
def test_it_answers_403_to_other_roles(client, employer, route, kind, role):
    slot = make_slot(employer)
    user = make_user(make_org(kind), role)
    login(client, user.email)
    assert request(client, route, slot.id).status_code == 403
    assert unchanged(slot)


@pytest.mark.parametrize("url", ["/slots", "/slots/new", "/slots/calendar.ics"])
def test_it_answers_403_to_a_case_manager_on_the_employer_pages(client, url):
    user = make_user(make_org(OrgKind.case_management), Role.case_manager)
    login(client, user.email)
    assert client.get(url).status_code == 403


def test_it_refuses_a_case_manager_to_create_a_slot(client):
    user = make_user(make_org(OrgKind.case_management), Role.case_manager)
    login(client, user.email)
    assert post_form(client, "/slots", slot_form()).status_code == 403
    assert slot_count() == 0


@pytest.mark.parametrize("url", ["/slots", "/slots/new", "/slots/calendar.ics"])
def test_it_refuses_a_pending_employer_everything(client, url):
    pending = make_org(status=OrgStatus.pending)
    admin = make_user(pending, Role.employer_admin)
    login(client, admin.email)
    assert client.get(url).status_code == 403
    assert post_form(client, "/slots", slot_form()).status_code == 403
    assert slot_count() == 0


def test_it_refuses_a_pending_employer_its_own_slot(client):
    pending = make_org(status=OrgStatus.pending)
    slot = make_slot(pending, status=SlotStatus.draft)
    admin = make_user(pending, Role.employer_admin)
    login(client, admin.email)
    for route in ROUTES:
        assert request(client, route, slot.id).status_code == 403
    assert unchanged(slot)


def test_it_hides_the_nav_links_from_a_pending_employer(client):
    admin = make_user(make_org(status=OrgStatus.pending), Role.employer_admin)
    response = login(client, admin.email, landing=True)
    assert 'href="/slots"' not in response.text


def test_it_shows_the_nav_links_to_an_employer(client, member):
    response = login(client, member.email, landing=True)
    assert 'href="/slots">Praktikumsplätze</a>' in response.text
    assert 'href="/company">Unternehmen</a>' in response.text


@pytest.mark.parametrize("url", ["/slots", "/slots/new", "/slots/calendar.ics"])
def test_it_sends_an_anonymous_visitor_to_the_login(client, url):
    response = client.get(url, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=")


@pytest.mark.parametrize("route", ["view", "edit form"])
def test_it_sends_an_anonymous_visitor_of_a_slot_to_the_login(client, employer, route):
    slot = make_slot(employer)
    response = request(client, route, slot.id)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=")


@pytest.mark.parametrize("route", ["edit", "publish", "pause", "close", "duplicate"])
def test_it_refuses_an_anonymous_change(client, employer, route):
    slot = make_slot(employer)
    assert request(client, route, slot.id).status_code == 403
    assert unchanged(slot)
    assert slot_count() == 1
