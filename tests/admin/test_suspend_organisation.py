from litestar.testing import TestClient

from portal.accounts.tables import Organisation, OrgKind, OrgStatus, Role
from portal.audit.tables import AuditEvent
from tests.conftest import run
from tests.factories import login, make_org, make_user, post_form


def _status(org_id):
    row = run(Organisation.select(Organisation.status).where(Organisation.id == org_id).first())
    return row["status"]


def test_it_suspends_and_ends_the_sessions_of_the_organisations_users(app, client, operator):
    org = make_org(OrgKind.employer, name="Logistik Nord")
    member = make_user(org, Role.employer_admin)
    with TestClient(app, base_url="http://testserver.local") as employer:
        login(employer, member.email)
        assert employer.get("/team").status_code == 200
        login(client, operator.email)
        response = post_form(client, f"/admin/organisations/{org.id}/suspend", {})
        assert "Logistik Nord wurde gesperrt." in response.text
        assert _status(org.id) == OrgStatus.suspended
        assert employer.get("/team", follow_redirects=False).status_code == 303
    event = run(AuditEvent.select().where(AuditEvent.action == "organisation.suspended").first())
    assert event["record_id"] == str(org.id)


def test_it_reactivates_a_suspended_organisation(client, operator):
    org = make_org(OrgKind.employer, name="Logistik Nord", status=OrgStatus.suspended)
    member = make_user(org, Role.employer_admin)
    login(client, operator.email)
    response = post_form(client, f"/admin/organisations/{org.id}/reactivate", {})
    assert "Logistik Nord wurde wieder aktiviert." in response.text
    assert _status(org.id) == OrgStatus.active
    assert run(AuditEvent.exists().where(AuditEvent.action == "organisation.reactivated"))
    client.cookies.clear()
    login(client, member.email)
    assert client.get("/team").status_code == 200


def test_it_refuses_to_suspend_a_pending_registration(client, operator):
    org = make_org(OrgKind.employer, status=OrgStatus.pending)
    login(client, operator.email)
    response = post_form(client, f"/admin/organisations/{org.id}/suspend", {})
    assert "Nur eine aktive Organisation kann gesperrt werden." in response.text
    assert _status(org.id) == OrgStatus.pending


def test_it_refuses_to_reactivate_an_active_organisation(client, operator):
    org = make_org(OrgKind.employer)
    login(client, operator.email)
    response = post_form(client, f"/admin/organisations/{org.id}/reactivate", {})
    assert "Nur eine gesperrte Organisation kann wieder aktiviert werden." in response.text


def test_it_refuses_to_suspend_the_operators_own_organisation(client, operator):
    login(client, operator.email)
    response = post_form(client, f"/admin/organisations/{operator.organisation}/suspend", {})
    assert "Die Betreiberorganisation kann nicht gesperrt werden." in response.text
    assert _status(operator.organisation) == OrgStatus.active
