from portal.accounts.tables import OrgStatus, Role
from tests.employers.forms import STRONG_PASSWORD, register
from tests.factories import PASSWORD, login, make_org, make_user, post_form


def test_it_refuses_the_login_before_the_address_is_confirmed(client, mailbox):
    register(client)
    response = post_form(
        client, "/login", {"email": "karla@kruse.example.org", "password": STRONG_PASSWORD}
    )
    assert response.status_code == 400
    assert "Bitte bestätigen Sie zuerst Ihre E-Mail-Adresse" in response.text
    assert "portal_session" not in client.cookies


def test_it_shows_only_the_review_notice(client):
    admin = make_user(make_org(status=OrgStatus.pending), Role.employer_admin)
    response = login(client, admin.email, landing=True)
    assert "Registrierung wird geprüft" in response.text
    assert 'href="/team"' not in response.text


def test_it_refuses_the_pending_employer_every_guarded_page(client):
    admin = make_user(make_org(status=OrgStatus.pending), Role.employer_admin)
    login(client, admin.email)
    assert client.get("/team").status_code == 403
    assert client.get("/admin/organisations").status_code == 403
    # Pages for any logged-in user stay open: the account settings.
    assert client.get("/account").status_code == 200


def test_it_refuses_the_login_of_a_rejected_employer(client):
    admin = make_user(make_org(status=OrgStatus.rejected), Role.employer_admin)
    response = post_form(client, "/login", {"email": admin.email, "password": PASSWORD})
    assert response.status_code == 400
    assert "portal_session" not in client.cookies
