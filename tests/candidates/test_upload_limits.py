"""The size limit (UPLOAD_MAX_MB): refused before the body is read into memory, with a message.

TestClient reads a request body completely before it hands it to the app, so the tests that
show how much of a body the app reads call the app directly (ASGI), with a `receive` that
counts what the app asked for.
"""

import itertools

import pytest

from portal.app import create_app
from tests import files
from tests.candidates.documents import PDF, document_rows, stored_objects, upload
from tests.conftest import run
from tests.factories import csrf_token, login

MB = 1024 * 1024
CHUNK = 64 * 1024


@pytest.fixture
def settings(settings):
    return settings.replace(upload_max_mb=1)


def pdf_of(size):
    """A real PDF of exactly `size` bytes (a long comment inside; nothing after its end)."""
    padding = size - len(files.pdf()) - 2
    content = files.pdf(padding=padding)
    # The offset after "startxref" has more digits in a bigger file.
    content = files.pdf(padding=padding - (len(content) - size))
    assert len(content) == size
    return content


def test_it_accepts_a_file_of_exactly_the_limit(client, settings, alice, candidate):
    login(client, alice.email)
    response = upload(client, candidate, pdf_of(MB))
    assert response.status_code == 200
    [row] = document_rows(candidate)
    assert row["size"] == MB


def test_it_refuses_a_file_one_byte_over_the_limit(client, settings, alice, candidate):
    login(client, alice.email)
    response = upload(client, candidate, pdf_of(MB + 1))
    assert response.status_code == 400
    assert "Die Datei ist größer als 1 MB." in response.text
    assert document_rows() == []
    assert stored_objects(settings) == []


def test_it_answers_a_body_over_the_limit_with_a_page_naming_it(client, settings, alice, candidate):
    login(client, alice.email)
    response = upload(client, candidate, pdf_of(3 * MB))
    assert response.status_code == 413
    assert "Die Datei ist größer als 1 MB. Bitte wählen Sie eine kleinere Datei" in response.text
    assert f'href="/candidates/{candidate.id}/documents">Zurück zum Formular' in response.text
    assert document_rows() == []
    assert stored_objects(settings) == []


def test_it_names_the_limit_in_english(client, settings, candidate, agency):
    from portal.accounts.tables import Role
    from tests.factories import make_user

    english = make_user(agency, Role.team_lead, language="en")
    login(client, english.email)
    response = upload(client, candidate, pdf_of(3 * MB))
    assert response.status_code == 413
    assert "The file is larger than 1 MB." in response.text


def test_it_uses_the_configured_limit(request, settings):
    from litestar.testing import TestClient

    app = create_app(settings.replace(upload_max_mb=3))
    # The app first, then the records (tests/README.md).
    alice, candidate = request.getfixturevalue("alice"), request.getfixturevalue("candidate")
    with TestClient(app, base_url="http://testserver.local") as client:
        login(client, alice.email)
        assert upload(client, candidate, pdf_of(2 * MB)).status_code == 200
        response = upload(client, candidate, pdf_of(4 * MB))
        assert response.status_code == 413
        assert "Die Datei ist größer als 3 MB." in response.text
    assert len(document_rows(candidate)) == 1


# -- how much of the body is read -------------------------------------------------------------


class Body:
    """A long request body (16 MB), handed to the app chunk by chunk; counts what was read."""

    def __init__(self, first: bytes) -> None:
        self.chunks = itertools.chain([first], itertools.repeat(b"0" * CHUNK, 16 * MB // CHUNK))
        self.read = 0

    async def receive(self):
        chunk = next(self.chunks, None)
        if chunk is None:  # an app without a limit would get here (and fail the test)
            return {"type": "http.request", "body": b"", "more_body": False}
        self.read += len(chunk)
        return {"type": "http.request", "body": chunk, "more_body": True}


def multipart_start(token):
    boundary = "portal-test-boundary"
    head = (
        f"--{boundary}\r\n"
        f'Content-Disposition: form-data; name="_csrf_token"\r\n\r\n{token}\r\n'
        f"--{boundary}\r\n"
        f'Content-Disposition: form-data; name="kind"\r\n\r\ncertificate\r\n'
        f"--{boundary}\r\n"
        f'Content-Disposition: form-data; name="file"; filename="gross.pdf"\r\n'
        f"Content-Type: application/pdf\r\n\r\n"
    ).encode()
    return boundary, head + PDF


def post_directly(app, client, path, body, headers):
    """POST to the app as an ASGI server would, with the client's cookies; the status."""
    cookie = "; ".join(f"{name}={value}" for name, value in client.cookies.items())
    sent = []

    async def send(message):
        sent.append(message)

    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver.local"), (b"cookie", cookie.encode()), *headers],
        "client": ("127.0.0.1", 50000),
        "server": ("testserver.local", 80),
    }
    run(app(scope, body.receive, send))
    [start] = [message for message in sent if message["type"] == "http.response.start"]
    return start["status"], b"".join(m.get("body", b"") for m in sent if "body" in m)


def test_it_refuses_a_huge_content_length_before_reading(app, client, settings, alice, candidate):
    login(client, alice.email)
    boundary, start = multipart_start(csrf_token(client))
    body = Body(start)
    status, page = post_directly(
        app,
        client,
        f"/candidates/{candidate.id}/documents",
        body,
        [
            (b"content-type", f"multipart/form-data; boundary={boundary}".encode()),
            (b"content-length", str(10 * 1024 * MB).encode()),
        ],
    )
    assert status == 413
    assert "Die Datei ist größer als 1 MB.".encode() in page
    assert body.read == 0
    assert document_rows() == []
    assert stored_objects(settings) == []


@pytest.mark.parametrize("csrf", ["form field", "header"])
def test_it_cuts_off_a_streamed_body_at_the_limit(app, client, settings, alice, candidate, csrf):
    """Chunked (no Content-Length): read until just past the limit, then refused.

    With the token in the form the CSRF middleware reads the body; with the header (htmx)
    the handler does — both stop at the limit.
    """
    login(client, alice.email)
    token = csrf_token(client)
    boundary, start = multipart_start(token)
    headers = [(b"content-type", f"multipart/form-data; boundary={boundary}".encode())]
    if csrf == "header":
        headers.append((b"x-csrftoken", token.encode()))
    body = Body(start)
    status, page = post_directly(
        app, client, f"/candidates/{candidate.id}/documents", body, headers
    )
    assert status == 413
    assert "Die Datei ist größer als 1 MB.".encode() in page
    limit = MB + 64 * 1024
    assert limit < body.read <= limit + CHUNK
    assert document_rows() == []
    assert stored_objects(settings) == []


def test_it_applies_the_limit_to_the_signed_consent_form(app, client, settings, alice, candidate):
    login(client, alice.email)
    response = client.post(
        f"/candidates/{candidate.id}/consent",
        data={"_csrf_token": csrf_token(client), "show_profile": "yes", "method": "signed_form"},
        files={"document": ("Einwilligung.pdf", pdf_of(3 * MB), "application/pdf")},
    )
    assert response.status_code == 413
    assert "Die Datei ist größer als 1 MB." in response.text
    assert f'href="/candidates/{candidate.id}/consent"' in response.text
    assert stored_objects(settings) == []
