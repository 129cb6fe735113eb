"""An upload that fails half-way leaves neither an orphaned object nor a dangling row.

The storage really fails (a documents folder that is a regular file; a bucket that does not
exist), and the database really refuses the row after the object was stored (the uploader's
account deleted meanwhile: a foreign-key violation).
"""

import sqlite3

import asyncpg
import pytest

from portal.accounts.tables import User
from portal.audit.tables import AuditEvent
from portal.auth import load_user
from portal.candidates import consent, uploads
from portal.candidates.documents import Refused
from portal.candidates.tables import Candidate, Consent, DocumentKind
from portal.candidates.uploads import DocumentFields, Upload
from portal.forms import Errors
from tests.candidates.consents import consent_form, consents_of, record
from tests.candidates.documents import (
    PDF,
    STORAGES,
    document_rows,
    stored_objects,
    upload,
    with_storage,
)
from tests.conftest import run
from tests.factories import login
from tests.s3 import s3_client, with_s3

FOREIGN_KEY_VIOLATION = (sqlite3.IntegrityError, asyncpg.exceptions.ForeignKeyViolationError)


def audit_count():
    return run(AuditEvent.count())


# -- the storage fails: no row ----------------------------------------------------------------


@pytest.fixture(params=["disk", "s3"])
def broken_settings(request, settings):
    """Storage that refuses every object."""
    if request.param == "s3":
        return with_s3(settings, request.getfixturevalue("s3_endpoint"), "no-such-bucket")
    # The documents folder cannot be created: a regular file has its name.
    settings.var_dir.mkdir(parents=True, exist_ok=True)
    settings.documents_dir.write_bytes(b"not a folder")
    return settings


@pytest.fixture
def broken_client(broken_settings, mailbox):
    from litestar.testing import TestClient

    from portal.app import create_app

    with TestClient(create_app(broken_settings), base_url="http://testserver.local") as client:
        yield client


def nothing_stored(settings):
    if settings.uses_s3:
        names = [b["Name"] for b in s3_client(settings.s3_endpoint_url).list_buckets()["Buckets"]]
        return settings.s3_bucket not in names
    return settings.documents_dir.read_bytes() == b"not a folder"


def test_it_keeps_no_row_when_the_storage_fails(broken_client, broken_settings, alice, candidate):
    login(broken_client, alice.email)
    events = audit_count()
    response = upload(broken_client, candidate)
    assert response.status_code == 503
    assert (
        "Die Datei konnte nicht gespeichert werden. Es wurde nichts gespeichert." in response.text
    )
    assert document_rows() == []
    assert audit_count() == events
    assert nothing_stored(broken_settings)


def test_it_records_no_consent_when_the_signed_form_cannot_be_stored(
    broken_client, broken_settings, alice, candidate
):
    login(broken_client, alice.email)
    response = record(
        broken_client,
        candidate,
        method="signed_form",
        files={"document": ("Einwilligung.pdf", PDF, "application/pdf")},
    )
    assert response.status_code == 503
    assert "Die Datei konnte nicht gespeichert werden." in response.text
    assert consents_of(candidate) == []
    assert document_rows() == []
    assert nothing_stored(broken_settings)


# -- the database fails after the object was stored: no object --------------------------------


@pytest.fixture
def settings(request, settings):
    """The storage of the test's parameter (indirect), else the disk."""
    return with_storage(request, settings) if hasattr(request, "param") else settings


per_storage = pytest.mark.parametrize("settings", STORAGES, indirect=True)


def current(user):
    return run(load_user(str(user.id), None))


def candidate_of(candidate):
    return run(Candidate.select().where(Candidate.id == candidate.id).first())


def pdf():
    return Upload(data=PDF, filename="Zeugnis.pdf", content_type="application/pdf")


@per_storage
def test_it_removes_the_object_when_the_row_is_refused(app, settings, bob, candidate):
    uploader = current(bob)
    # Bob's account is deleted while his upload runs: the row's uploaded_by has no user.
    run(User.delete().where(User.id == bob.id))
    with pytest.raises(FOREIGN_KEY_VIOLATION):
        run(
            uploads.upload_document(
                app.state["storage"],
                uploader,
                candidate_of(candidate),
                DocumentFields(kind=DocumentKind.certificate, shareable=False),
                pdf(),
                address="",
            )
        )
    assert document_rows() == []
    assert stored_objects(settings) == []
    assert audit_count() == 0


@per_storage
def test_it_removes_the_object_when_the_candidate_is_gone(app, settings, alice, candidate):
    row = candidate_of(candidate)
    run(Candidate.delete().where(Candidate.id == candidate.id))
    with pytest.raises(Refused):
        run(
            uploads.upload_document(
                app.state["storage"],
                current(alice),
                row,
                DocumentFields(kind=DocumentKind.certificate, shareable=False),
                pdf(),
                address="",
            )
        )
    assert document_rows() == []
    assert stored_objects(settings) == []


@per_storage
def test_it_removes_the_signed_form_when_the_consent_is_refused(app, settings, bob, candidate):
    recorder = current(bob)
    run(User.delete().where(User.id == bob.id))
    errors = Errors()
    fields = consent.check_consent(errors, consent_form(method="signed_form"))
    assert not errors
    with pytest.raises(FOREIGN_KEY_VIOLATION):
        run(
            consent.record_consent(
                app.state["storage"],
                recorder,
                candidate_of(candidate),
                fields,
                signed_form=pdf(),
                address="",
            )
        )
    assert run(Consent.count()) == 0
    assert document_rows() == []
    assert stored_objects(settings) == []


@per_storage
def test_it_keeps_the_object_of_a_stored_document(client, settings, alice, candidate):
    """The clean-up is no accident: a successful upload keeps its object."""
    login(client, alice.email)
    assert upload(client, candidate).status_code == 200
    assert len(document_rows()) == 1
    assert stored_objects(settings) == [PDF]
