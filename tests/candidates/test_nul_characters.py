"""A NUL character in any field is refused with a message next to it, nothing stored.

PostgreSQL refuses NUL in text (the insert would fail with a 500); SQLite would store it.
"""

from portal.candidates.tables import Candidate
from tests.candidates.caseload import identity_form
from tests.candidates.consents import consents_of, record
from tests.candidates.documents import document_rows, upload
from tests.conftest import run
from tests.factories import login, post_form

NOT_ALLOWED = "Dieses Feld enthält ein Zeichen, das nicht erlaubt ist."


def test_it_refuses_a_nul_character_in_a_new_case(client, alice, agency):
    login(client, alice.email)
    response = post_form(client, "/candidates", identity_form(notes="vormittags\x00"))
    assert response.status_code == 400
    assert NOT_ALLOWED in response.text
    assert run(Candidate.count().where(Candidate.organisation == agency.id)) == 0


def test_it_refuses_a_nul_character_in_the_consent_form(client, alice, candidate):
    login(client, alice.email)
    response = record(client, candidate, text_version="2026-\x0001")
    assert response.status_code == 400
    assert NOT_ALLOWED in response.text
    assert consents_of(candidate) == []


def test_it_refuses_a_nul_character_in_the_upload_form(client, alice, candidate):
    login(client, alice.email)
    response = upload(client, candidate, kind="certificate\x00")
    assert response.status_code == 400
    assert NOT_ALLOWED in response.text
    assert document_rows(candidate) == []


def test_it_refuses_a_nul_character_in_the_reason_to_read_an_identity(client, team_lead, candidate):
    login(client, team_lead.email)
    url = f"/candidates/{candidate.id}/identity/access"
    response = post_form(client, url, {"reason": "Vertretung\x00 während des Urlaubs"})
    assert NOT_ALLOWED in response.text
    assert "Amina" not in client.get(f"/candidates/{candidate.id}/identity").text
