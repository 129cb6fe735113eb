from portal.accounts.tables import Role, User
from tests.conftest import run
from tests.factories import PASSWORD, login, make_org, make_user, post_form
from tests.security.stores import client_with, entries, move_back

WRONG = "falsches-Passwort-1"


def _log_in(client, email, password):
    return post_form(client, "/login", {"email": email, "password": password})


def test_it_throttles_an_account_after_five_failures_even_with_the_right_password(client):
    user = make_user(make_org(), Role.employer_member)
    for _attempt in range(4):
        assert _log_in(client, user.email, WRONG).status_code == 400
    assert _log_in(client, user.email, WRONG).status_code == 400
    response = _log_in(client, user.email, PASSWORD)
    assert response.status_code == 429
    assert "Zu viele fehlgeschlagene Versuche. Bitte warten Sie 15 Minuten" in response.text
    assert "portal_session" not in client.cookies
    assert run(User.select(User.failed_logins).where(User.id == user.id).first()) == {
        "failed_logins": 5
    }


def test_it_lets_four_failures_pass(client):
    user = make_user(make_org(), Role.employer_member)
    for _attempt in range(4):
        _log_in(client, user.email, WRONG)
    login(client, user.email)
    assert run(User.select(User.failed_logins).where(User.id == user.id).first()) == {
        "failed_logins": 0
    }


def test_it_throttles_an_address_that_tries_many_accounts(settings):
    with client_with(settings, login_throttle_address=3, login_throttle_account=10) as client:
        org = make_org()
        users = [make_user(org, Role.employer_member) for _number in range(4)]
        for user in users[:3]:
            assert _log_in(client, user.email, WRONG).status_code == 400
        response = _log_in(client, users[3].email, PASSWORD)
        assert response.status_code == 429
        assert "Zu viele fehlgeschlagene Versuche." in response.text
        assert "portal_session" not in client.cookies


def test_it_lets_the_owner_in_again_after_the_window(settings):
    with client_with(settings, login_throttle_minutes=1) as client:
        user = make_user(make_org(), Role.employer_member)
        for _attempt in range(5):
            _log_in(client, user.email, WRONG)
        response = _log_in(client, user.email, PASSWORD)
        assert response.status_code == 429
        assert "Bitte warten Sie 1 Minute" in response.text
        assert move_back(settings.var_dir / "throttle", 61, "first") == 2
        login(client, user.email)


def test_it_keeps_no_email_address_in_the_store(client, settings):
    user = make_user(make_org(), Role.employer_member, email="geheim.adresse@example.org")
    _log_in(client, user.email, WRONG)
    stored = entries(settings.var_dir / "throttle")
    assert stored
    assert not any(b"geheim" in path.read_bytes() for path in stored)
