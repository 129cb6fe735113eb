from tests.factories import csrf_token


def test_it_shows_a_german_404_page_by_default(client):
    response = client.get("/gibt-es-nicht")
    assert response.status_code == 404
    assert '<html lang="de">' in response.text
    assert "Seite nicht gefunden" in response.text


def test_it_shows_an_english_404_page_to_an_english_browser(client):
    response = client.get("/gibt-es-nicht", headers={"Accept-Language": "en-GB,en;q=0.9"})
    assert response.status_code == 404
    assert '<html lang="en">' in response.text
    assert "Page not found" in response.text


def test_it_answers_405_for_a_wrong_method(client):
    response = client.get("/logout")
    assert response.status_code == 405
    assert "Diese Aktion ist hier nicht möglich" in response.text
    token = csrf_token(client)
    put = client.put("/login", data={"_csrf_token": token}, headers={"x-csrftoken": token})
    assert put.status_code == 405


def test_it_never_fails_on_a_malformed_form_body(client):
    token = csrf_token(client)
    bodies = [
        ("multipart/form-data; boundary=xyz", b"--xyz\r\nnonsense without end"),
        ("multipart/form-data", b"no boundary at all"),
        ("application/x-www-form-urlencoded", b"email=%ZZ%&password=\xff\xfe&&=="),
        ("application/json", b"{not json"),
    ]
    for content_type, body in bodies:
        response = client.post(
            "/login",
            content=body,
            headers={"content-type": content_type, "x-csrftoken": token},
        )
        assert response.status_code == 400, (content_type, response.status_code)
        assert "Bei uns ist ein Fehler aufgetreten" not in response.text
