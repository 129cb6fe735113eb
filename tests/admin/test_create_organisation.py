import pytest

from portal.accounts.tables import Organisation, OrgKind, OrgStatus, Role, User
from portal.audit.tables import AuditEvent
from tests.conftest import run
from tests.factories import link_from, login, make_org, make_user, post_form


def _form(**changes):
    data = {
        "kind": "case_management",
        "name": "Jobcenter Musterland",
        "street": "Amtsweg 1",
        "postcode": "04109",
        "city": "Leipzig",
        "display_name": "Tanja Teamleitung",
        "email": "Tanja@Jobcenter.example.org",
    }
    data.update(changes)
    return data


def _create(client, **changes):
    return post_form(client, "/admin/organisations/new", _form(**changes), follow_redirects=False)


def test_it_creates_an_active_organisation_and_invites_its_team_lead(client, operator, mailbox):
    login(client, operator.email)
    response = _create(client)
    assert response.status_code == 303
    org = run(Organisation.select().where(Organisation.name == "Jobcenter Musterland").first())
    assert response.headers["location"] == f"/admin/organisations/{org['id']}"
    assert org["kind"] == OrgKind.case_management and org["status"] == OrgStatus.active
    assert org["decided_at"] is not None
    user = run(User.select().where(User.organisation == org["id"]).first())
    assert user["email"] == "tanja@jobcenter.example.org"
    assert user["role"] == Role.team_lead
    assert user["password_hash"] == ""
    message = mailbox.last_to("tanja@jobcenter.example.org")
    assert message["Subject"] == "Ihre Einladung zum Praktikumsportal"
    body = message.get_content()
    assert "Olga Operator" in body and "Jobcenter Musterland" in body and "7 Tagen" in body
    link = link_from(message)
    assert link.startswith("/invite/")
    assert (
        "wurde angelegt und tanja@jobcenter.example.org eingeladen"
        in client.get(response.headers["location"]).text
    )
    assert run(AuditEvent.exists().where(AuditEvent.action == "organisation.created"))
    client.cookies.clear()
    assert client.get(link).status_code == 200


@pytest.mark.parametrize("kind", ["chamber", "authority"])
def test_it_makes_the_first_user_of_a_chamber_or_authority_a_statistics_viewer(
    client, operator, kind
):
    login(client, operator.email)
    _create(client, kind=kind, name="IHK Musterregion")
    org = run(Organisation.select().where(Organisation.name == "IHK Musterregion").first())
    assert org["kind"] == kind
    user = run(User.select(User.role).where(User.organisation == org["id"]).first())
    assert user["role"] == Role.statistics_viewer


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"kind": "employer"}, "kind", "Bitte wählen Sie eine der Möglichkeiten"),
        ({"kind": "operator"}, "kind", "Bitte wählen Sie eine der Möglichkeiten"),
        ({"kind": ""}, "kind", "Bitte füllen Sie dieses Feld aus."),
        ({"name": ""}, "name", "Bitte füllen Sie dieses Feld aus."),
        ({"postcode": "123"}, "postcode", "Bitte geben Sie eine fünfstellige Postleitzahl an"),
        ({"display_name": ""}, "display_name", "Bitte füllen Sie dieses Feld aus."),
        ({"email": "kein-at"}, "email", "Bitte geben Sie eine gültige E-Mail-Adresse"),
    ],
)
def test_it_refuses_an_incomplete_or_wrong_form(client, operator, mailbox, changes, field, message):
    login(client, operator.email)
    before = run(Organisation.count())
    response = _create(client, **changes)
    assert response.status_code == 400
    assert f'id="error-{field}"' in response.text and message in response.text
    assert run(Organisation.count()) == before
    assert mailbox.messages == []


def test_it_refuses_an_address_that_already_has_an_account(client, operator, mailbox):
    make_user(make_org(), Role.employer_member, email="tanja@jobcenter.example.org")
    login(client, operator.email)
    before = run(Organisation.count())
    response = _create(client)
    assert response.status_code == 400
    assert "Für diese E-Mail-Adresse gibt es bereits ein Konto." in response.text
    assert run(Organisation.count()) == before
    assert mailbox.messages == []


def test_it_creates_without_an_address(client, operator):
    login(client, operator.email)
    response = _create(client, street="", postcode="", city="")
    assert response.status_code == 303
