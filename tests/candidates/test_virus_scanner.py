"""The virus-scanner hook (issue 14): with CLAMD_SOCKET every upload goes to clamd (INSTREAM)
before it is stored; a finding refuses it, a scanner that does not answer too (fail closed).
Tested against a fake clamd on a real socket (tests/clamd.py)."""

from __future__ import annotations

import pytest
from litestar.testing import TestClient

from portal.app import create_app
from portal.audit.tables import AuditEvent
from tests import files
from tests.candidates.consents import consents_of, record
from tests.candidates.documents import PDF, PNG, document_rows, stored_objects, upload
from tests.clamd import FOUND, SIGNATURE, fake_clamd
from tests.conftest import free_port, run
from tests.factories import login

# A harmless PDF with the fake scanner's marker in a comment: it passes the PDF checks.
INFECTED = files.pdf(comment=SIGNATURE)
TRY_LATER = "Die Datei konnte gerade nicht auf Viren geprüft werden"
FOUND_DE = "Der Virenscanner hat in dieser Datei Schadsoftware gefunden."


@pytest.fixture(scope="module")
def clamd():
    with fake_clamd() as server:
        yield server


@pytest.fixture
def settings(settings, clamd):
    clamd.received.clear()
    clamd.answer = None
    return settings.replace(clamd_socket=clamd.address)


def audit_events(action):
    return run(AuditEvent.select().where(AuditEvent.action == action).output(load_json=True))


def test_it_stores_a_clean_file_after_the_scan(client, settings, clamd, alice, candidate):
    login(client, alice.email)
    assert upload(client, candidate, PDF).status_code == 200
    assert clamd.received == [PDF]  # the whole file, in INSTREAM's chunks
    assert stored_objects(settings) == [PDF]


def test_it_scans_what_it_stores(client, settings, clamd, alice, candidate):
    # An image is written anew before it is stored: the scanner sees those bytes.
    login(client, alice.email)
    upload(client, candidate, files.jpeg(gps=True), "Foto.jpg", browser_type="image/jpeg")
    assert clamd.received == stored_objects(settings)


def test_it_refuses_an_infected_file_and_audits_the_finding_only(
    client, settings, clamd, alice, candidate
):
    assert files.pdf() != INFECTED and INFECTED.endswith(b"%%EOF\n")
    login(client, alice.email)
    response = upload(client, candidate, INFECTED, "Amina Haddad Zeugnis.pdf")
    assert response.status_code == 409
    assert FOUND_DE in response.text
    assert document_rows() == []
    assert stored_objects(settings) == []
    [event] = audit_events("document.infected")
    assert event["record_id"] == str(candidate.id)
    assert event["detail"]["signature"] == FOUND
    assert event["detail"]["size"] == len(INFECTED)
    assert "Haddad" not in str(event["detail"]) and SIGNATURE.decode() not in str(event["detail"])


def test_it_refuses_an_infected_signed_consent_form(client, settings, clamd, alice, candidate):
    login(client, alice.email)
    response = record(
        client,
        candidate,
        method="signed_form",
        files={"document": ("Einwilligung.pdf", INFECTED, "application/pdf")},
    )
    assert response.status_code == 409
    assert FOUND_DE in response.text
    assert consents_of(candidate) == []
    assert stored_objects(settings) == []


def test_it_refuses_when_the_scanner_gives_no_verdict(client, settings, clamd, alice, candidate):
    clamd.answer = b"INSTREAM size limit exceeded. ERROR\0"
    login(client, alice.email)
    response = upload(client, candidate, PNG, "Scan.png", browser_type="image/png")
    assert response.status_code == 503
    assert TRY_LATER in response.text
    assert document_rows() == []
    assert stored_objects(settings) == []


def test_it_refuses_while_the_scanner_is_unreachable(request, settings):
    dead = settings.replace(clamd_socket=f"127.0.0.1:{free_port()}")
    app = create_app(dead)
    # The app first, then the records (tests/README.md).
    alice, candidate = request.getfixturevalue("alice"), request.getfixturevalue("candidate")
    with TestClient(app, base_url="http://testserver.local") as client:
        login(client, alice.email)
        response = upload(client, candidate, PDF)
        ready = client.get("/readyz")
        assert client.get(f"/candidates/{candidate.id}").status_code == 200  # the rest works
    assert response.status_code == 503
    assert TRY_LATER in response.text
    assert document_rows() == []
    assert stored_objects(dead) == []
    [event] = audit_events("document.not_scanned")
    assert event["detail"] == {"content_type": "application/pdf", "size": len(PDF)}
    assert ready.status_code == 503
    assert ready.json()["failing"] == ["scanner"]


def test_it_is_ready_with_the_scanner(client, settings, clamd):
    response = client.get("/readyz")
    assert response.status_code == 200


def test_it_talks_to_clamd_over_a_unix_socket(request, settings, tmp_path):
    with fake_clamd(tmp_path / "clamd.ctl") as clamd:
        app = create_app(settings.replace(clamd_socket=clamd.address))
        alice, candidate = request.getfixturevalue("alice"), request.getfixturevalue("candidate")
        with TestClient(app, base_url="http://testserver.local") as client:
            login(client, alice.email)
            assert upload(client, candidate, INFECTED).status_code == 409
            assert upload(client, candidate, PDF).status_code == 200
    assert clamd.received == [INFECTED, PDF]
    assert len(document_rows()) == 1
