"""The company profile: the employer admin edits it, members read it, nobody else sees it."""

import json

import pytest

from portal.accounts.tables import Organisation, OrgKind, OrgStatus, Role
from portal.audit.tables import AuditEvent
from tests.conftest import run
from tests.factories import login, make_municipality, make_org, make_user, post_form


def profile_form(place, **changes):
    data = {
        "name": "Metallbau Kruse GmbH",
        "street": "Werkstraße 5",
        "postcode": "04109",
        "city": "Leipzig",
        "municipality": str(place.id),
        "sector": "Metall- und Stahlbau",
        "size_class": "small",
        "chamber": "hwk",
        "contact_name": "Karla Kruse",
        "contact_phone": "0341 123456-0",
        "contact_email": "Karla@Kruse.example.org",
        "description": "Stahlbau und Schlosserei seit 1950.",
    }
    data.update(changes)
    return data


def stored(org):
    return run(Organisation.select().where(Organisation.id == org.id).first())


@pytest.fixture
def employer():
    return make_org(name="Metallbau Kruse", sector="Metall")


def test_it_saves_the_profile_of_the_admin(client, employer):
    municipality = make_municipality("Leipzig")
    admin = make_user(employer, Role.employer_admin)
    login(client, admin.email)
    response = post_form(client, "/company", profile_form(municipality))
    assert response.status_code == 200
    assert "Das Unternehmensprofil wurde gespeichert." in response.text
    row = stored(employer)
    assert row["name"] == "Metallbau Kruse GmbH"
    assert row["municipality"] == municipality.id
    assert row["chamber"] == "hwk"
    assert row["contact_email"] == "karla@kruse.example.org"
    assert row["description"] == "Stahlbau und Schlosserei seit 1950."
    event = run(AuditEvent.select().where(AuditEvent.action == "organisation.profile_changed"))
    assert len(event) == 1
    assert event[0]["record_id"] == str(employer.id)
    detail = (
        json.loads(event[0]["detail"])
        if isinstance(event[0]["detail"], str)
        else event[0]["detail"]
    )
    assert "Karla" not in str(detail)
    assert "contact_email" in detail["fields"]


def test_it_shows_the_form_with_the_stored_values(client, employer):
    admin = make_user(employer, Role.employer_admin)
    make_municipality("Leipzig")
    login(client, admin.email)
    response = client.get("/company")
    assert response.status_code == 200
    assert 'value="Metallbau Kruse"' in response.text
    assert "<option value" in response.text and "Leipzig" in response.text


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "Bitte füllen Sie dieses Feld aus."),
        ("postcode", "4109", "Bitte geben Sie eine fünfstellige Postleitzahl an"),
        ("postcode", "0410A", "Bitte geben Sie eine fünfstellige Postleitzahl an"),
        ("municipality", "", "Bitte füllen Sie dieses Feld aus."),
        ("municipality", "999999", "Bitte wählen Sie eine der Möglichkeiten aus."),
        ("size_class", "huge", "Bitte wählen Sie eine der Möglichkeiten aus."),
        ("chamber", "adac", "Bitte wählen Sie eine der Möglichkeiten aus."),
        ("contact_email", "karla-at-kruse", "Bitte geben Sie eine gültige E-Mail-Adresse ein"),
        ("contact_phone", "call me", "Bitte geben Sie eine Telefonnummer aus Ziffern ein"),
        ("description", "x" * 2001, "Bitte verwenden Sie höchstens 2000 Zeichen."),
    ],
)
def test_it_refuses_a_wrong_field_with_a_message(client, employer, field, value, message):
    municipality = make_municipality("Leipzig")
    admin = make_user(employer, Role.employer_admin)
    login(client, admin.email)
    response = post_form(client, "/company", profile_form(municipality, **{field: value}))
    assert response.status_code == 400
    assert f'id="error-{field}"' in response.text
    assert message in response.text
    assert stored(employer)["name"] == "Metallbau Kruse"


def test_it_refuses_an_inactive_municipality(client, employer):
    municipality = make_municipality("Altdorf", active=False)
    admin = make_user(employer, Role.employer_admin)
    login(client, admin.email)
    response = post_form(client, "/company", profile_form(municipality))
    assert response.status_code == 400
    assert stored(employer)["municipality"] is None


def test_it_shows_the_profile_read_only_to_a_member(client, employer):
    member = make_user(employer, Role.employer_member)
    login(client, member.email)
    response = client.get("/company")
    assert response.status_code == 200
    assert "Metallbau Kruse" in response.text
    assert 'action="/company"' not in response.text


def test_it_refuses_a_member_the_change(client, employer):
    municipality = make_municipality("Leipzig")
    member = make_user(employer, Role.employer_member)
    login(client, member.email)
    response = post_form(client, "/company", profile_form(municipality))
    assert response.status_code == 403
    assert stored(employer)["name"] == "Metallbau Kruse"


@pytest.mark.parametrize(
    ("kind", "role"),
    [
        (OrgKind.case_management, Role.case_manager),
        (OrgKind.chamber, Role.statistics_viewer),
        (OrgKind.operator, Role.operator_admin),
    ],
)
def test_it_refuses_other_roles(client, employer, kind, role):
    user = make_user(make_org(kind), role)
    login(client, user.email)
    assert client.get("/company").status_code == 403
    response = post_form(client, "/company", profile_form(make_municipality()))
    assert response.status_code == 403


def test_it_refuses_a_pending_employer(client):
    admin = make_user(make_org(status=OrgStatus.pending), Role.employer_admin)
    login(client, admin.email)
    assert client.get("/company").status_code == 403


def test_it_sends_an_anonymous_visitor_to_the_login(client):
    response = client.get("/company", follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=")
