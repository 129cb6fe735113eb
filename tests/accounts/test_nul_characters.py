"""A NUL character in the login form is refused with a message, not a database error."""

from tests.factories import csrf_token

NOT_ALLOWED = "Dieses Feld enthält ein Zeichen, das nicht erlaubt ist."


def test_it_refuses_a_nul_character_in_the_login_form(client):
    data = {"email": "a\x00@example.org", "password": "x", "_csrf_token": csrf_token(client)}
    response = client.post("/login", data=data)
    assert response.status_code == 400
    assert NOT_ALLOWED in response.text


def test_it_refuses_a_nul_character_in_the_forgotten_password_form(client):
    data = {"email": "a\x00@example.org", "_csrf_token": csrf_token(client)}
    response = client.post("/password/forgot", data=data)
    assert response.status_code == 400
    assert NOT_ALLOWED in response.text
