"""The whole way of a new employer: register, confirm, wait, get approved, work."""

from litestar.testing import TestClient

from portal.accounts.tables import Organisation, OrgKind, Role
from tests.conftest import run
from tests.employers.forms import STRONG_PASSWORD, register
from tests.factories import link_from, login, make_org, make_user, post_form


def test_it_takes_an_employer_from_registration_to_approval(app, client, mailbox):
    register(client)
    post_form(client, link_from(mailbox.last_to("karla@kruse.example.org")), {})
    home = login(client, "karla@kruse.example.org", STRONG_PASSWORD, landing=True)
    assert "Registrierung wird geprüft" in home.text
    assert client.get("/team").status_code == 403

    org_id = run(Organisation.select(Organisation.id).where(Organisation.kind == "employer"))[0]
    operator = make_user(make_org(OrgKind.operator), Role.operator_admin)
    with TestClient(app, base_url="http://testserver.local") as office:
        login(office, operator.email)
        response = post_form(office, f"/admin/organisations/{org_id['id']}/approve", {})
        assert response.status_code == 200
        assert "wurde freigegeben" in response.text

    approval = mailbox.last_to("karla@kruse.example.org")
    assert approval["Subject"] == "Ihre Registrierung wurde freigegeben"
    assert link_from(approval) == "/login"
    assert client.get("/team").status_code == 200
