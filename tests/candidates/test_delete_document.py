"""Deleting a document: after a confirmation, the row and the object go together."""

import pytest

from portal.audit.tables import AuditEvent
from portal.candidates.tables import ConsentMethod, DocumentKind
from tests.candidates.consents import make_consent
from tests.candidates.documents import (
    PDF,
    STORAGES,
    document_rows,
    make_document,
    stored_objects,
    with_storage,
)
from tests.conftest import run
from tests.factories import login, post_form


@pytest.fixture
def settings(request, settings):
    """The storage of the test's parameter (indirect), else the disk."""
    return with_storage(request, settings) if hasattr(request, "param") else settings


def delete(client, document):
    return post_form(client, f"/documents/{document['id']}/delete", {}, follow_redirects=True)


def test_it_asks_first(client, app, alice, candidate):
    document = make_document(app, candidate, alice, filename="Zeugnis.pdf")
    login(client, alice.email)
    html = client.get(f"/documents/{document['id']}/delete").text
    assert "„Zeugnis.pdf“ löschen?" in html
    assert f'action="/documents/{document["id"]}/delete"' in html
    assert f'href="/candidates/{candidate.id}/documents"' in html
    assert len(document_rows()) == 1


@pytest.mark.parametrize("settings", STORAGES, indirect=True)
def test_it_deletes_the_row_and_the_object(client, app, settings, alice, candidate):
    document = make_document(app, candidate, alice)
    kept = make_document(app, candidate, alice, content=PDF + b"kept")
    login(client, alice.email)
    response = delete(client, document)
    assert response.status_code == 200
    assert "Das Dokument wurde gelöscht." in response.text
    assert [row["id"] for row in document_rows()] == [kept["id"]]
    assert stored_objects(settings) == [PDF + b"kept"]
    [event] = run(
        AuditEvent.select().where(AuditEvent.action == "document.delete").output(load_json=True)
    )
    assert event["record_id"] == str(candidate.id)
    assert event["detail"] == {"document": str(document["id"]), "kind": "certificate"}


def test_it_keeps_the_signed_form_of_a_consent(client, app, settings, alice, candidate):
    document = make_document(app, candidate, alice, kind=DocumentKind.consent_form)
    make_consent(candidate, alice, method=ConsentMethod.signed_form, document=document["id"])
    login(client, alice.email)
    response = delete(client, document)
    assert response.status_code == 409
    assert "Es wird als Nachweis der Einwilligung aufbewahrt" in response.text
    assert len(document_rows()) == 1
    assert stored_objects(settings) == [PDF]


def test_it_keeps_the_row_when_the_storage_cannot_delete(client, app, settings, alice, candidate):
    document = make_document(app, candidate, alice)
    # Where the object was, a folder now stands: the disk refuses to unlink it.
    path = app.state["storage"]._path(document["storage_key"])
    path.unlink()
    path.mkdir()
    login(client, alice.email)
    response = delete(client, document)
    assert response.status_code == 503
    assert "Die Datei konnte nicht gelöscht werden. Es wurde nichts geändert." in response.text
    assert len(document_rows()) == 1
    assert run(AuditEvent.count().where(AuditEvent.action == "document.delete")) == 0


def test_it_forgets_a_document_deleted_twice(client, app, alice, candidate):
    document = make_document(app, candidate, alice)
    login(client, alice.email)
    delete(client, document)
    assert delete(client, document).status_code == 404
