"""Downloading a document: through the app, after the check, as an attachment, never cached."""

import pytest

from portal.audit.tables import AuditEvent
from tests.candidates.documents import JPEG, PDF, PNG, STORAGES, make_document, with_storage
from tests.conftest import run
from tests.factories import login


@pytest.fixture(params=STORAGES)
def settings(request, settings):
    return with_storage(request, settings)


def test_it_sends_the_file(client, app, alice, candidate):
    document = make_document(app, candidate, alice)
    login(client, alice.email)
    response = client.get(f"/documents/{document['id']}")
    assert response.status_code == 200
    assert response.content == PDF
    assert response.headers["content-type"] == "application/pdf"
    assert response.headers["content-disposition"] == (
        "attachment; filename=\"Zeugnis.pdf\"; filename*=UTF-8''Zeugnis.pdf"
    )
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["cache-control"] == "no-store"


def test_it_records_the_download(client, app, alice, candidate):
    document = make_document(app, candidate, alice, filename="Amina Haddad.pdf")
    login(client, alice.email)
    client.get(f"/documents/{document['id']}")
    [event] = run(
        AuditEvent.select().where(AuditEvent.action == "document.download").output(load_json=True)
    )
    assert event["record_type"] == "candidate"
    assert event["record_id"] == str(candidate.id)
    assert event["actor_id"] == alice.id
    assert event["detail"] == {"document": str(document["id"])}


@pytest.mark.parametrize(("content", "content_type"), [(PNG, "image/png"), (JPEG, "image/jpeg")])
def test_it_sends_the_stored_type(client, app, alice, candidate, content, content_type):
    document = make_document(app, candidate, alice, content=content, filename="Scan")
    login(client, alice.email)
    response = client.get(f"/documents/{document['id']}")
    assert response.content == content
    assert response.headers["content-type"] == content_type


def test_it_names_a_pdf_called_png_as_pdf(client, app, alice, candidate):
    document = make_document(app, candidate, alice, filename="Foto.png")
    login(client, alice.email)
    response = client.get(f"/documents/{document['id']}")
    assert response.headers["content-type"] == "application/pdf"
    assert "filename*=UTF-8''Foto.pdf" in response.headers["content-disposition"]


def test_it_encodes_a_name_with_umlauts(client, app, alice, candidate):
    document = make_document(app, candidate, alice, filename='Prüfung "Ä" 2026.pdf')
    login(client, alice.email)
    disposition = client.get(f"/documents/{document['id']}").headers["content-disposition"]
    assert disposition == (
        'attachment; filename="Prufung _A_ 2026.pdf"; '
        "filename*=UTF-8''Pr%C3%BCfung%20%22%C3%84%22%202026.pdf"
    )


def test_it_names_a_file_without_a_name_by_its_type(client, app, alice, candidate):
    document = make_document(app, candidate, alice, content=JPEG, filename="")
    login(client, alice.email)
    disposition = client.get(f"/documents/{document['id']}").headers["content-disposition"]
    assert disposition.endswith("filename*=UTF-8''document.jpg")


def test_it_links_the_file_from_the_list(client, app, alice, candidate):
    document = make_document(app, candidate, alice)
    login(client, alice.email)
    html = client.get(f"/candidates/{candidate.id}/documents").text
    assert f'href="/documents/{document["id"]}"' in html
