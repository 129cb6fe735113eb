"""The documents tab: the list with its facts, the upload form, constant queries."""

import pytest

from portal.candidates.tables import Candidate, Document, DocumentKind
from portal.clock import now
from tests.candidates.documents import JPEG, PDF, make_document
from tests.conftest import run
from tests.factories import login

HTMX = {"HX-Request": "true"}


def test_it_lists_the_documents(client, app, alice, candidate):
    make_document(app, candidate, alice, filename="Zeugnis.pdf", shareable=True)
    make_document(
        app,
        candidate,
        alice,
        content=JPEG,
        filename="Pass.jpg",
        kind=DocumentKind.competence_passport,
    )
    login(client, alice.email)
    html = client.get(f"/candidates/{candidate.id}/documents").text
    assert "2 Dokumente" in html
    assert "Zeugnis.pdf" in html and "Pass.jpg" in html
    assert "Kompetenzpass" in html
    assert "PDF, 2 KB" in html
    assert "JPEG, 634 B" in html
    assert "Alice Fallmanagerin" in html
    assert html.count("Geschwärzte Kopie zur Weitergabe") == 1
    assert html.index("Pass.jpg") < html.index("Zeugnis.pdf")  # newest first


def test_it_shows_the_upload_form(client, alice, candidate):
    login(client, alice.email)
    html = client.get(f"/candidates/{candidate.id}/documents").text
    assert "Es wurde noch kein Dokument hochgeladen." in html
    assert 'enctype="multipart/form-data"' in html
    assert 'accept="application/pdf,image/png,image/jpeg"' in html
    assert 'name="shareable"' in html
    assert "höchstens 10 MB" in html
    for kind in DocumentKind:
        assert f'<option value="{kind.value}"' in html


def test_it_offers_no_upload_for_an_erased_candidate(client, alice, candidate):
    run(Candidate.update({Candidate.erased_at: now()}).where(Candidate.id == candidate.id))
    login(client, alice.email)
    html = client.get(f"/candidates/{candidate.id}/documents").text
    assert 'id="upload-form"' not in html
    assert "es kann kein Dokument hinzugefügt werden" in html


def test_it_answers_htmx_with_the_list(client, app, alice, candidate):
    make_document(app, candidate, alice)
    login(client, alice.email)
    response = client.get(f"/candidates/{candidate.id}/documents", headers=HTMX)
    assert "<html" not in response.text
    assert response.text.lstrip().startswith('<section id="document-results"')
    assert "Zeugnis.pdf" in response.text


def test_it_keeps_other_candidates_documents_apart(client, app, alice, agency, candidate):
    from tests.factories import make_candidate

    other = make_candidate(agency, alice)
    make_document(app, other, alice, filename="Fremd.pdf")
    login(client, alice.email)
    assert "Fremd.pdf" not in client.get(f"/candidates/{candidate.id}/documents").text


@pytest.mark.parametrize("htmx", [False, True])
def test_it_needs_a_constant_number_of_queries(client, app, alice, candidate, queries, htmx):
    counts = []
    for total in (2, 12):
        while run(Document.count()) < total:
            make_document(app, candidate, alice, content=PDF)
        login(client, alice.email)
        queries.clear()
        response = client.get(f"/candidates/{candidate.id}/documents", headers=HTMX if htmx else {})
        assert response.status_code == 200
        assert response.text.count('class="kern-table__row" id="document-') == total
        counts.append(len(queries))
    assert counts[0] == counts[1], queries
    # The user, the candidate, the count, the page.
    assert counts[0] == 4, queries
