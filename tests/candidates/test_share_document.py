"""Marking a redacted copy as shareable with the employers the candidate is nominated to."""

from portal.audit.tables import AuditEvent
from portal.candidates.tables import Document
from tests.candidates.documents import make_document
from tests.conftest import run
from tests.factories import csrf_token, login, post_form

HTMX = {"HX-Request": "true"}


def shareable(document):
    return run(Document.select(Document.shareable).where(Document.id == document["id"]).first())[
        "shareable"
    ]


def share_events():
    return run(
        AuditEvent.select().where(AuditEvent.action == "document.share").output(load_json=True)
    )


def test_it_marks_a_copy_as_shareable(client, app, alice, candidate):
    document = make_document(app, candidate, alice)
    login(client, alice.email)
    response = post_form(
        client, f"/documents/{document['id']}/share", {"shareable": "yes"}, follow_redirects=True
    )
    assert response.status_code == 200
    assert "Das Dokument ist als geschwärzte Kopie markiert" in response.text
    assert "Geschwärzte Kopie zur Weitergabe" in response.text
    assert shareable(document) is True
    [event] = share_events()
    assert event["record_id"] == str(candidate.id)
    assert event["detail"] == {"document": str(document["id"]), "shareable": True}


def test_it_stops_sharing(client, app, alice, candidate):
    document = make_document(app, candidate, alice, shareable=True)
    login(client, alice.email)
    response = post_form(
        client, f"/documents/{document['id']}/share", {"shareable": "no"}, follow_redirects=True
    )
    assert "Das Dokument wird nicht mehr weitergegeben." in response.text
    assert shareable(document) is False
    [event] = share_events()
    assert event["detail"]["shareable"] is False


def test_it_answers_htmx_with_the_list_and_a_message(client, app, alice, candidate):
    document = make_document(app, candidate, alice)
    login(client, alice.email)
    response = client.post(
        f"/documents/{document['id']}/share",
        data={"shareable": "yes"},
        headers={**HTMX, "x-csrftoken": csrf_token(client)},
    )
    assert response.status_code == 200
    assert "<html" not in response.text
    assert 'id="document-results"' in response.text
    assert '<div id="messages" hx-swap-oob="innerHTML">' in response.text
    assert "Das Dokument ist als geschwärzte Kopie markiert" in response.text
    # Focus stays on the button that was pressed (now the opposite one).
    assert 'autofocus><span class="kern-label">Nicht mehr weitergeben' in response.text
    assert shareable(document) is True


def test_it_needs_the_csrf_token(client, app, alice, candidate):
    document = make_document(app, candidate, alice)
    login(client, alice.email)
    response = client.post(f"/documents/{document['id']}/share", data={"shareable": "yes"})
    assert response.status_code == 403
    assert shareable(document) is False
