import datetime as dt

from portal.accounts.tables import Token, User
from portal.clock import now
from tests.conftest import run
from tests.employers.forms import register
from tests.factories import link_from, post_form


def _confirm_link(client, mailbox):
    register(client)
    return link_from(mailbox.last_to("karla@kruse.example.org"))


def test_it_asks_for_a_click_and_confirms_nothing_on_opening_the_link(client, mailbox):
    response = client.get(_confirm_link(client, mailbox))
    assert response.status_code == 200
    assert "E-Mail-Adresse bestätigen" in response.text
    assert run(User.select(User.email_confirmed_at).first())["email_confirmed_at"] is None


def test_it_confirms_the_address_and_says_that_approval_is_pending(client, mailbox):
    response = post_form(client, _confirm_link(client, mailbox), {})
    assert response.status_code == 200
    assert "wartet jetzt auf die Freigabe durch die Koordinierungsstelle" in response.text
    assert run(User.select(User.email_confirmed_at).first())["email_confirmed_at"] is not None


def test_it_accepts_a_link_only_once(client, mailbox):
    link = _confirm_link(client, mailbox)
    post_form(client, link, {})
    response = post_form(client, link, {})
    assert response.status_code == 404
    assert "Dieser Bestätigungslink ist nicht gültig" in response.text


def test_it_refuses_an_expired_link(client, mailbox):
    link = _confirm_link(client, mailbox)
    past = now() - dt.timedelta(minutes=1)
    run(Token.update({Token.expires_at: past}, force=True))
    assert client.get(link).status_code == 404
    response = post_form(client, link, {})
    assert response.status_code == 404
    assert run(User.select(User.email_confirmed_at).first())["email_confirmed_at"] is None


def test_it_refuses_an_unknown_link(client):
    response = client.get("/register/confirm/not-a-real-token")
    assert response.status_code == 404
    assert "Dieser Bestätigungslink ist nicht gültig" in response.text
