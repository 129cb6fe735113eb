import re

import pytest

from portal.accounts.tables import Organisation, OrgKind, Role, Token, TokenKind, User
from portal.audit.tables import AuditEvent
from tests.conftest import run
from tests.employers.forms import register, registration
from tests.factories import link_from, make_org, make_user, post_form

CHECK_MAILBOX = "Bitte prüfen Sie Ihr Postfach"


def _counts():
    return run(Organisation.count()), run(User.count()), run(Token.count())


def test_it_shows_the_form_with_a_link_to_the_privacy_notice(client):
    response = client.get("/register")
    assert response.status_code == 200
    assert 'for="field-company_name"' in response.text
    assert 'for="field-privacy"' in response.text
    assert 'href="/privacy"' in response.text


def test_it_registers_a_pending_employer_and_mails_a_confirmation_link(client, mailbox):
    response = register(client, email="Karla@Kruse.Example.org")
    assert response.status_code == 200
    assert CHECK_MAILBOX in response.text
    org = run(Organisation.select().where(Organisation.name == "Metallbau Kruse GmbH").first())
    assert org["kind"] == OrgKind.employer and org["status"] == "pending"
    assert (org["postcode"], org["city"], org["size_class"], org["chamber"]) == (
        "04109",
        "Leipzig",
        "small",
        "hwk",
    )
    user = run(User.select().where(User.organisation == org["id"]).first())
    assert user["email"] == "karla@kruse.example.org"
    assert user["role"] == Role.employer_admin
    assert user["email_confirmed_at"] is None
    assert user["password_hash"].startswith("$argon2id$")
    message = mailbox.last_to("karla@kruse.example.org")
    assert message["Subject"] == "Bitte bestätigen Sie Ihre E-Mail-Adresse"
    assert link_from(message).startswith("/register/confirm/")
    token = run(Token.select().where(Token.user == user["id"]).first())
    assert token["kind"] == TokenKind.confirm_email
    event = run(AuditEvent.select().where(AuditEvent.action == "organisation.registered").first())
    assert event["record_id"] == str(org["id"])


def test_it_remembers_the_language_of_the_registration(client, mailbox):
    response = post_form(client, "/register", registration(), headers={"Accept-Language": "en"})
    assert "Please check your mailbox" in response.text
    assert run(User.select(User.language).first())["language"] == "en"
    assert mailbox.last_to("karla@kruse.example.org")["Subject"] == (
        "Please confirm your e-mail address"
    )


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"company_name": ""}, "company_name", "Bitte füllen Sie dieses Feld aus."),
        ({"street": ""}, "street", "Bitte füllen Sie dieses Feld aus."),
        ({"city": ""}, "city", "Bitte füllen Sie dieses Feld aus."),
        ({"sector": ""}, "sector", "Bitte füllen Sie dieses Feld aus."),
        ({"display_name": ""}, "display_name", "Bitte füllen Sie dieses Feld aus."),
        ({"size_class": "huge"}, "size_class", "Bitte wählen Sie eine der Möglichkeiten"),
        ({"chamber": ""}, "chamber", "Bitte füllen Sie dieses Feld aus."),
        ({"postcode": "4109"}, "postcode", "Bitte geben Sie eine fünfstellige Postleitzahl an"),
        ({"postcode": "0410A"}, "postcode", "Bitte geben Sie eine fünfstellige Postleitzahl an"),
        ({"email": "karla.example.org"}, "email", "Bitte geben Sie eine gültige E-Mail-Adresse"),
        ({"email": ""}, "email", "Bitte füllen Sie dieses Feld aus."),
        (
            {"password": "Passwort2024!", "password_again": "Passwort2024!"},
            "password",
            "Dieses Passwort ist zu verbreitet.",
        ),
        (
            {"password": "kurz-1A", "password_again": "kurz-1A"},
            "password",
            "Verwenden Sie mindestens 12 Zeichen.",
        ),
        ({"password_again": "Schraubstock-Amboss-78"}, "password_again", "stimmen nicht überein"),
        ({"privacy": None}, "privacy", "Bitte bestätigen Sie, dass Sie die Datenschutzhinweise"),
    ],
)
def test_it_refuses_an_incomplete_or_wrong_form(client, mailbox, changes, field, message):
    response = register(client, **changes)
    assert response.status_code == 400
    assert f'id="error-{field}"' in response.text
    assert message in response.text
    assert _counts() == (0, 0, 0)
    assert mailbox.messages == []


def test_it_keeps_the_entries_but_never_the_password(client):
    response = register(client, postcode="123")
    assert 'value="Metallbau Kruse GmbH"' in response.text
    assert "Schraubstock-Amboss-77" not in response.text


def test_it_answers_the_same_for_an_address_that_already_has_an_account(client, mailbox):
    existing = make_user(make_org(), Role.employer_member, email="karla@kruse.example.org")
    before = _counts()
    response = register(client, email="KARLA@kruse.example.org")
    assert response.status_code == 200
    assert CHECK_MAILBOX in response.text
    assert _counts() == before
    message = mailbox.last_to(existing.email)
    assert message["Subject"] == "Registrierung mit Ihrer E-Mail-Adresse"
    assert link_from(message) == "/password/forgot"
    assert not run(AuditEvent.exists().where(AuditEvent.action == "organisation.registered"))


def test_it_writes_to_an_existing_account_in_its_language(client, mailbox):
    make_user(make_org(), Role.employer_member, email="karla@kruse.example.org", language="en")
    register(client)
    message = mailbox.last_to("karla@kruse.example.org")
    assert message["Subject"] == "Registration with your e-mail address"


def test_it_sends_a_new_confirmation_link_to_an_unconfirmed_registration(client, mailbox):
    register(client)
    first_link = link_from(mailbox.last_to("karla@kruse.example.org"))
    mailbox.clear()
    response = register(client, company_name="Noch einmal GmbH")
    assert CHECK_MAILBOX in response.text
    assert run(Organisation.count()) == 1
    body = mailbox.last_to("karla@kruse.example.org").get_content()
    assert "noch nicht bestätigt" in body
    (new_link,) = re.findall(r"https?://[^\s/]+(/register/confirm/\S+)", body)
    assert new_link != first_link
    assert post_form(client, first_link, {}).status_code == 404
    assert post_form(client, new_link, {}).status_code == 200
