"""Multipart forms whose bytes are not text: 400 with a message on the field, nothing stored.

Litestar decodes a multipart text part without catching the error; the CSRF middleware reads
the form first when the token comes as a field, the handler when it comes as a header (htmx).
"""

from __future__ import annotations

from typing import Any

from portal.accounts.tables import Role
from tests.candidates.consents import consent_form, consents_of
from tests.candidates.documents import PDF, document_rows
from tests.factories import csrf_token, login, make_candidate, make_user

BOUNDARY = "portal-test-boundary"
MESSAGE_DE = "Das Formular enthält Zeichen, die kein gültiger Text sind"
MESSAGE_EN = "The form contains characters that are not valid text"
# Bytes that are not UTF-8 in a field are read as U+FFFD, which the forms refuse on that field.
FIELD_DE = "Dieses Feld enthält ein Zeichen, das nicht erlaubt ist."
FIELD_EN = "This field contains a character that is not allowed."


def part(name: str, value: bytes, *, headers: bytes = b"") -> bytes:
    return (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n'.encode()
        + headers
        + b"\r\n"
        + value
        + b"\r\n"
    )


def file_part(name: str, filename: bytes, content: bytes) -> bytes:
    return (
        f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"; filename="'.encode()
        + filename
        + b'"\r\nContent-Type: application/pdf\r\n\r\n'
        + content
        + b"\r\n"
    )


def post_raw(client: Any, url: str, parts: list[bytes], *, csrf_header: bool = False) -> Any:
    token = csrf_token(client)
    headers = {"content-type": f"multipart/form-data; boundary={BOUNDARY}"}
    if not csrf_header:
        parts = [part("_csrf_token", token.encode()), *parts]
    else:
        headers["x-csrftoken"] = token
    body = b"".join(parts) + f"--{BOUNDARY}--\r\n".encode()
    return client.post(url, content=body, headers=headers)


def consent_parts(**raw: bytes) -> list[bytes]:
    fields = {name: value.encode() for name, value in consent_form().items() if value}
    return [part(name, value) for name, value in {**fields, **raw}.items()]


def test_it_refuses_invalid_utf8_in_a_consent_field_with_400(client, alice, candidate):
    login(client, alice.email)
    url = f"/candidates/{candidate.id}/consent"
    response = post_raw(client, url, consent_parts(text_version=b"2026-\xff\xfe"))
    assert response.status_code == 400
    assert FIELD_DE in response.text and 'id="error-text_version"' in response.text
    assert consents_of(candidate) == []


def test_it_refuses_a_lone_surrogate_when_the_handler_reads_the_form(client, alice, candidate):
    login(client, alice.email)
    url = f"/candidates/{candidate.id}/consent"
    parts = consent_parts(language=b"\xed\xa0\x80")  # U+D800 encoded as if it were UTF-8
    response = post_raw(client, url, parts, csrf_header=True)
    assert response.status_code == 400
    assert FIELD_DE in response.text
    assert consents_of(candidate) == []


def test_it_refuses_a_part_in_an_unknown_charset_with_400(client, alice, candidate):
    login(client, alice.email)
    url = f"/candidates/{candidate.id}/documents"
    parts = [
        part("kind", b"certificate", headers=b"Content-Type: text/plain; charset=no-such\r\n"),
        file_part("file", b"Zeugnis.pdf", PDF),
    ]
    response = post_raw(client, url, parts)
    assert response.status_code == 400
    assert MESSAGE_DE in response.text
    assert document_rows(candidate) == []


def test_it_asks_to_rename_a_file_whose_name_is_not_utf8(client, alice, candidate):
    # The parser gives up on the whole form; edge.py reads it again and the field says why.
    login(client, alice.email)
    url = f"/candidates/{candidate.id}/documents"
    parts = [part("kind", b"certificate"), file_part("file", b"Zeugnis\xff.pdf", PDF)]
    response = post_raw(client, url, parts)
    assert response.status_code == 400
    assert MESSAGE_DE not in response.text
    assert 'id="error-file"' in response.text
    assert "Der Name dieser Datei kann nicht gelesen werden." in response.text
    assert document_rows(candidate) == []


def test_it_asks_to_rename_the_signed_form_of_a_consent(client, alice, candidate):
    login(client, alice.email)
    url = f"/candidates/{candidate.id}/consent"
    parts = [
        *consent_parts(method=b"signed_form"),
        file_part("document", b"Einwilligung\xe4.pdf", PDF),
    ]
    response = post_raw(client, url, parts)
    assert response.status_code == 400
    assert "Der Name dieser Datei kann nicht gelesen werden." in response.text
    assert consents_of(candidate) == []
    assert document_rows(candidate) == []


def test_it_still_refuses_invalid_utf8_in_a_text_part_next_to_such_a_name(client, alice, candidate):
    login(client, alice.email)
    url = f"/candidates/{candidate.id}/documents"
    parts = [part("kind", b"certif\xffcate"), file_part("file", b"Zeugnis\xff.pdf", PDF)]
    response = post_raw(client, url, parts)
    assert response.status_code == 400
    assert FIELD_DE in response.text
    assert document_rows(candidate) == []


def test_it_says_so_in_english_to_an_english_user(client, agency):
    english = make_user(agency, Role.case_manager, language="en")
    case = make_candidate(agency, english)
    login(client, english.email)
    url = f"/candidates/{case.id}/documents"
    parts = [part("kind", b"certif\xc3icate"), file_part("file", b"Zeugnis.pdf", PDF)]
    response = post_raw(client, url, parts)
    assert response.status_code == 400
    assert FIELD_EN in response.text
    assert document_rows(case) == []


def test_a_urlencoded_form_with_bytes_that_are_not_utf8_gets_a_field_message(client, alice):
    login(client, alice.email)
    token = csrf_token(client)
    body = f"_csrf_token={token}&given_names=Am%FFina&family_name=Haddad\xfe".encode("latin-1")
    response = client.post(
        "/candidates",
        content=body,
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert response.status_code == 400
    assert FIELD_DE in response.text and 'id="error-given_names"' in response.text


def test_it_still_reads_a_file_name_in_utf8(client, alice, candidate):
    login(client, alice.email)
    url = f"/candidates/{candidate.id}/documents"
    parts = [part("kind", b"certificate"), file_part("file", "Zeugnis-Müller.pdf".encode(), PDF)]
    response = post_raw(client, url, parts)
    assert response.status_code == 200
    [row] = document_rows(candidate)
    assert row["filename"] == "Zeugnis-Müller.pdf"
