"""Uploading a document: the type from the bytes, a random key, the name as metadata only."""

import hashlib

import pytest

from portal.audit.tables import AuditEvent
from portal.candidates.tables import Candidate
from portal.candidates.uploads import clean_filename
from tests.candidates.documents import (
    HTML,
    JPEG,
    PDF,
    PNG,
    STORAGES,
    document_rows,
    stored_keys,
    stored_objects,
    upload,
    with_storage,
)
from tests.conftest import run
from tests.factories import login


@pytest.fixture(params=STORAGES)
def settings(request, settings):
    return with_storage(request, settings)


def test_it_stores_a_pdf(client, settings, alice, candidate):
    login(client, alice.email)
    response = upload(client, candidate, PDF, "Zeugnis.pdf", shareable="yes")
    assert response.status_code == 200
    assert "Das Dokument wurde hochgeladen." in response.text
    assert "Zeugnis.pdf" in response.text
    [row] = document_rows(candidate)
    assert row["kind"] == "certificate"
    assert row["filename"] == "Zeugnis.pdf"
    assert row["content_type"] == "application/pdf"
    assert row["size"] == len(PDF)
    assert row["checksum"] == hashlib.sha256(PDF).hexdigest()
    assert row["shareable"] is True
    assert row["uploaded_by"] == alice.id
    assert row["organisation"] == candidate.organisation
    assert stored_objects(settings) == [PDF]


def test_it_keeps_the_bytes_under_a_random_key(client, settings, alice, candidate):
    login(client, alice.email)
    upload(client, candidate, PDF, "Amina Haddad Zeugnis.pdf")
    upload(client, candidate, PDF, "Amina Haddad Zeugnis.pdf")
    first, second = document_rows(candidate)
    assert first["storage_key"] != second["storage_key"]
    for row in (first, second):
        assert row["storage_key"].startswith("documents/")
        assert len(row["storage_key"]) >= 40
        assert "Haddad" not in row["storage_key"] and "Zeugnis" not in row["storage_key"]
    assert not any("Haddad" in key or "Zeugnis" in key for key in stored_keys(settings))


@pytest.mark.parametrize(("content", "content_type"), [(PNG, "image/png"), (JPEG, "image/jpeg")])
def test_it_accepts_png_and_jpeg(client, settings, alice, candidate, content, content_type):
    login(client, alice.email)
    upload(client, candidate, content, "Scan", kind="competence_passport")
    [row] = document_rows(candidate)
    assert (row["kind"], row["content_type"]) == ("competence_passport", content_type)
    assert stored_objects(settings) == [content]


def test_it_stores_a_pdf_named_png_as_pdf(client, settings, alice, candidate):
    login(client, alice.email)
    response = upload(client, candidate, PDF, "Foto.png", browser_type="image/png")
    assert response.status_code == 200
    [row] = document_rows(candidate)
    assert row["content_type"] == "application/pdf"
    assert row["filename"] == "Foto.png"
    if settings.uses_s3:
        from tests.s3 import s3_client

        head = s3_client(settings.s3_endpoint_url).head_object(
            Bucket=settings.s3_bucket, Key=row["storage_key"]
        )
        assert head["ContentType"] == "application/pdf"


@pytest.mark.parametrize("filename", ["Zeugnis.pdf", "Zeugnis.png", "Zeugnis"])
def test_it_refuses_html_whatever_its_name(client, settings, alice, candidate, filename):
    login(client, alice.email)
    response = upload(client, candidate, HTML, filename)
    assert response.status_code == 400
    assert (
        "Es können nur PDF-, PNG- und JPEG-Dateien hochgeladen werden. "
        "Diese Datei ist keins davon." in response.text
    )
    assert document_rows() == []
    assert stored_objects(settings) == []


def test_it_asks_for_a_file(client, settings, alice, candidate):
    login(client, alice.email)
    response = client.post(
        f"/candidates/{candidate.id}/documents",
        data={"kind": "certificate", "_csrf_token": client.cookies["portal_csrf"]},
        files={"file": ("", b"", "application/octet-stream")},
    )
    assert response.status_code == 400
    assert "Bitte wählen Sie eine Datei aus." in response.text
    assert 'aria-invalid="true"' in response.text
    assert document_rows() == []


def test_it_refuses_an_empty_file(client, settings, alice, candidate):
    login(client, alice.email)
    response = upload(client, candidate, b"", "leer.pdf")
    assert response.status_code == 400
    assert "Die Datei ist leer." in response.text
    assert document_rows() == []


@pytest.mark.parametrize("kind", ["", "passport_photo"])
def test_it_asks_for_the_kind(client, settings, alice, candidate, kind):
    login(client, alice.email)
    response = upload(client, candidate, PDF, kind=kind)
    assert response.status_code == 400
    assert 'id="error-kind"' in response.text
    assert document_rows() == []
    assert stored_objects(settings) == []


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("C:\\Users\\amina\\Desktop\\Zeugnis.pdf", "Zeugnis.pdf"),
        ("../../etc/passwd.pdf", "passwd.pdf"),
        ("Zeugnis\u202efdp.exe", "Zeugnisfdp.exe"),
        ("..", ""),
    ],
)
def test_it_keeps_a_clean_file_name(client, settings, alice, candidate, sent, kept):
    login(client, alice.email)
    upload(client, candidate, PDF, sent)
    [row] = document_rows(candidate)
    assert row["filename"] == kept


@pytest.mark.parametrize(
    ("sent", "kept"),
    [
        ("Zeug\x00nis\r\n.pdf", "Zeugnis.pdf"),
        ("\tZeugnis\x1b[31m.pdf ", "Zeugnis[31m.pdf"),
        ("Zeugnis\u200b\u202e.pdf", "Zeugnis.pdf"),
        ("sub/dir\\..\\Zeugnis.pdf", "Zeugnis.pdf"),
        (".", ""),
    ],
)
def test_it_drops_control_characters_from_the_name(sent, kept):
    # httpx percent-encodes control characters in a multipart name; browsers may not.
    assert clean_filename(sent) == kept


def test_it_shortens_a_long_file_name_and_keeps_its_extension(client, settings, alice, candidate):
    login(client, alice.email)
    upload(client, candidate, PDF, "Ä" * 300 + ".pdf")
    [row] = document_rows(candidate)
    assert row["filename"] == "Ä" * 251 + ".pdf"


def test_it_records_the_upload_without_the_file_name(client, settings, alice, candidate):
    login(client, alice.email)
    upload(client, candidate, PDF, "Amina Haddad.pdf")
    [row] = document_rows(candidate)
    [event] = run(
        AuditEvent.select().where(AuditEvent.action == "document.upload").output(load_json=True)
    )
    assert event["record_type"] == "candidate"
    assert event["record_id"] == str(candidate.id)
    assert event["actor_id"] == alice.id
    assert event["detail"]["document"] == str(row["id"])
    assert event["detail"]["kind"] == "certificate"
    assert "Haddad" not in str(event["detail"])


def test_it_lets_the_team_lead_upload(client, settings, team_lead, candidate):
    login(client, team_lead.email)
    assert upload(client, candidate).status_code == 200
    assert len(document_rows(candidate)) == 1


def test_it_refuses_an_upload_for_an_erased_candidate(client, settings, alice, candidate):
    from portal.clock import now

    run(Candidate.update({Candidate.erased_at: now()}).where(Candidate.id == candidate.id))
    login(client, alice.email)
    response = upload(client, candidate)
    assert response.status_code == 409
    assert "wurden gelöscht" in response.text
    assert document_rows() == []
    assert stored_objects(settings) == []
