from portal.accounts.tables import Organisation, Role, User
from tests.conftest import run
from tests.factories import make_org, make_user, post_form

REGISTRATION = {
    "company_name": "Schlosserei Beispiel",
    "street": "Hauptstraße 5",
    "postcode": "12345",
    "city": "Musterstadt",
    "sector": "Metall",
    "size_class": "micro",
    "chamber": "hwk",
    "display_name": "Bea Beispiel",
    "password": "Drehbank-Spindel-77",
    "password_again": "Drehbank-Spindel-77",
    "privacy": "yes",
}


def test_it_limits_password_reset_mails_to_one_recipient(client, mailbox):
    user = make_user(make_org(), Role.employer_member)
    for _ in range(3):
        assert post_form(client, "/password/forgot", {"email": user.email}).status_code == 200
    response = post_form(client, "/password/forgot", {"email": user.email})
    assert response.status_code == 429
    assert "Bitte warten Sie einen Moment" in response.text
    assert len(mailbox.to(user.email)) == 3


def test_it_limits_reset_requests_for_unknown_addresses_alike(client, mailbox):
    for _ in range(3):
        post_form(client, "/password/forgot", {"email": "nobody@example.org"})
    assert post_form(client, "/password/forgot", {"email": "nobody@example.org"}).status_code == 429


def test_it_limits_registrations_from_one_address(client, mailbox):
    for n in range(10):
        data = {**REGISTRATION, "email": f"firma{n}@example.org"}
        assert post_form(client, "/register", data).status_code == 200
    response = post_form(client, "/register", {**REGISTRATION, "email": "firma99@example.org"})
    assert response.status_code == 429
    assert not run(User.exists().where(User.email == "firma99@example.org"))
    assert run(Organisation.count()) == 10
