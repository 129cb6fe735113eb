import datetime as dt

from portal.accounts.tables import Role, Token, TokenKind
from portal.clock import now
from tests.conftest import run
from tests.factories import PASSWORD, link_from, login, make_org, make_user, post_form

NEW_PASSWORD = "Schraubstock-Lehre-77"


def _ask_for_link(client, email):
    return post_form(client, "/password/forgot", {"email": email})


def _reset(client, link, password=NEW_PASSWORD, again=None):
    data = {"password": password, "password_again": again or password}
    return post_form(client, link, data, follow_redirects=False)


def _log_in(client, email, password):
    return post_form(client, "/login", {"email": email, "password": password})


def test_it_answers_the_same_for_known_and_unknown_addresses(client, mailbox):
    user = make_user(make_org(), Role.employer_member, email="bekannt@example.org")
    known = _ask_for_link(client, user.email)
    unknown = _ask_for_link(client, "unbekannt@example.org")
    assert known.status_code == unknown.status_code == 200
    assert known.content == unknown.content
    assert "Falls zu dieser Adresse ein Konto besteht" in known.text
    assert len(mailbox.to("bekannt@example.org")) == 1
    assert mailbox.to("unbekannt@example.org") == []
    assert len(mailbox.messages) == 1


def test_it_sets_the_new_password_and_the_old_one_stops_working(client, mailbox):
    user = make_user(make_org(), Role.employer_member)
    _ask_for_link(client, user.email)
    link = link_from(mailbox.last_to(user.email))
    assert client.get(link).status_code == 200
    response = _reset(client, link)
    assert response.status_code == 303
    assert response.headers["location"] == "/login?reset=1"
    old = _log_in(client, user.email, PASSWORD)
    assert old.status_code == 400
    login(client, user.email, NEW_PASSWORD)


def test_it_works_only_once(client, mailbox):
    user = make_user(make_org(), Role.employer_member)
    _ask_for_link(client, user.email)
    link = link_from(mailbox.last_to(user.email))
    _reset(client, link)
    again = client.get(link)
    assert again.status_code == 404
    assert "Dieser Link ist nicht mehr gültig." in again.text
    assert _reset(client, link, "Ganz-anderes-Passwort-9").status_code == 404
    login(client, user.email, NEW_PASSWORD)


def test_it_refuses_an_expired_link(client, mailbox):
    user = make_user(make_org(), Role.employer_member)
    _ask_for_link(client, user.email)
    link = link_from(mailbox.last_to(user.email))
    two_hours_ago = now() - dt.timedelta(hours=2)
    run(Token.update({Token.expires_at: two_hours_ago}).where(Token.user == user.id))
    assert client.get(link).status_code == 404
    assert _reset(client, link).status_code == 404
    login(client, user.email, PASSWORD)


def test_it_makes_an_earlier_link_invalid_when_a_new_one_is_sent(client, mailbox):
    user = make_user(make_org(), Role.employer_member)
    _ask_for_link(client, user.email)
    first = link_from(mailbox.last_to(user.email))
    _ask_for_link(client, user.email)
    second = link_from(mailbox.last_to(user.email))
    assert client.get(first).status_code == 404
    assert client.get(second).status_code == 200


def test_it_refuses_a_weak_password_and_keeps_the_link(client, mailbox):
    user = make_user(make_org(), Role.employer_member, email="karl.kraft@example.org")
    _ask_for_link(client, user.email)
    link = link_from(mailbox.last_to(user.email))
    response = _reset(client, link, "karl.kraft-2026!")
    assert response.status_code == 400
    assert "Das Passwort darf Ihre E-Mail-Adresse nicht enthalten." in response.text
    token = run(Token.select().where(Token.kind == TokenKind.password_reset).first())
    assert token["used_at"] is None


def test_it_ends_the_login_throttle_of_the_account(client, mailbox):
    user = make_user(make_org(), Role.employer_member)
    for _attempt in range(5):
        _log_in(client, user.email, "falsches-Passwort-1")
    assert _log_in(client, user.email, PASSWORD).status_code == 429
    _ask_for_link(client, user.email)
    _reset(client, link_from(mailbox.last_to(user.email)))
    login(client, user.email, NEW_PASSWORD)


def test_it_sends_no_link_to_a_deactivated_user(client, mailbox):
    user = make_user(make_org(), Role.employer_member, active=False)
    response = _ask_for_link(client, user.email)
    assert response.status_code == 200
    assert mailbox.to(user.email) == []


def test_it_asks_for_a_valid_address(client, mailbox):
    response = _ask_for_link(client, "kein-at-zeichen")
    assert response.status_code == 400
    assert "Bitte geben Sie eine gültige E-Mail-Adresse ein" in response.text
    assert mailbox.messages == []
