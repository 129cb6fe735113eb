"""Erasure on request (GDPR Art. 17): identity, documents and free text go; the pseudonymised
facts stay for statistics."""

import asyncio
import json

import pytest

from portal.accounts.tables import Organisation
from portal.candidates.privacy import erase_candidate
from portal.candidates.tables import (
    Candidate,
    CandidateIdentity,
    CandidateMunicipality,
    CandidateOccupation,
    Consent,
    Document,
    DocumentKind,
)
from portal.storage import DiskStorage, S3Storage
from tests.candidates.privacy import audit_events, is_stored, make_consent, make_document
from tests.conftest import run
from tests.factories import login, make_municipality, post_form
from tests.s3 import with_s3


def candidate_row(candidate):
    return run(Candidate.select().where(Candidate.id == candidate.id).first())


def has_identity(candidate):
    return run(CandidateIdentity.exists().where(CandidateIdentity.candidate == candidate.id))


def documents_of(candidate):
    return run(Document.select().where(Document.candidate == candidate.id))


def detail(event):
    return event["detail"] if isinstance(event["detail"], dict) else json.loads(event["detail"])


@pytest.fixture
def storage(app):
    return app.state["storage"]


@pytest.fixture
def case(app, candidate, storage):
    """Alice's case, active, with a summary, a municipality, a signed consent and a certificate."""
    run(
        Candidate.update(
            {
                Candidate.status: "active",
                Candidate.german_level: "B1",
                Candidate.summary: "Arbeitet sorgfältig, Erfahrung mit MAG-Schweißen.",
            }
        ).where(Candidate.id == candidate.id)
    )
    run(
        CandidateMunicipality.insert(
            CandidateMunicipality(candidate=candidate.id, municipality=make_municipality().id)
        )
    )
    form = make_document(candidate, storage, kind=DocumentKind.consent_form, filename="einw.pdf")
    make_consent(candidate, document=form.id, text_version="2026-01")
    make_document(candidate, storage, filename="zeugnis.pdf")
    return candidate


def erase_form(case, **fields):
    return {"confirm": "yes", "code": case.code, **fields}


# -- the service ------------------------------------------------------------------------------


def test_it_erases_identity_documents_and_free_text(case, storage):
    keys = [document["storage_key"] for document in documents_of(case)]
    assert run(erase_candidate(case.id, storage)) is True
    assert not has_identity(case)
    assert documents_of(case) == []
    assert not any(is_stored(storage, key) for key in keys)
    row = candidate_row(case)
    assert row["summary"] == ""
    assert row["status"] == "closed"
    assert row["closed_at"] is not None
    assert row["erased_at"] is not None


def test_it_keeps_the_pseudonymised_facts(case, storage):
    before = candidate_row(case)
    run(erase_candidate(case.id, storage))
    row = candidate_row(case)
    for column in ("code", "organisation", "case_manager", "german_level", "created_at"):
        assert row[column] == before[column]
    assert run(CandidateOccupation.count().where(CandidateOccupation.candidate == case.id)) == 1
    assert run(CandidateMunicipality.count().where(CandidateMunicipality.candidate == case.id)) == 1
    (consent,) = run(Consent.select().where(Consent.candidate == case.id))
    assert consent["document"] is None
    assert consent["text_version"] == "2026-01"
    assert consent["show_profile"] and consent["release_identity"]
    assert consent["given_on"] is not None


def test_it_writes_the_erasure_to_the_audit_log(case, storage, alice):
    from portal.auth import load_user

    actor = run(load_user(str(alice.id), None))
    run(erase_candidate(case.id, storage, actor=actor, address="10.0.0.1"))
    (event,) = audit_events(case.id, "candidate.erase")
    assert event["actor_id"] == alice.id
    assert detail(event) == {"by": "request", "documents": 2}


def test_it_is_idempotent(case, storage):
    assert run(erase_candidate(case.id, storage)) is True
    first = candidate_row(case)
    assert run(erase_candidate(case.id, storage)) is False
    assert candidate_row(case) == first
    assert len(audit_events(case.id, "candidate.erase")) == 1


def test_a_storage_failure_leaves_the_case_erasable(case, settings, s3_endpoint, s3_bucket):
    s3 = S3Storage(with_s3(settings, s3_endpoint, s3_bucket))
    run(Document.delete().where(Document.candidate == case.id))
    run(Consent.update({Consent.document: None}).where(Consent.candidate == case.id))
    document = make_document(case, s3)
    broken = S3Storage(with_s3(settings, s3_endpoint, "no-such-bucket"))

    with pytest.raises(Exception, match="NoSuchBucket"):
        run(erase_candidate(case.id, broken))

    assert has_identity(case)
    assert len(documents_of(case)) == 1
    assert candidate_row(case)["erased_at"] is None
    assert audit_events(case.id, "candidate.erase") == []
    assert run(erase_candidate(case.id, s3)) is True
    assert not is_stored(s3, document.storage_key)
    assert documents_of(case) == []


# -- the route --------------------------------------------------------------------------------


def erase_url(case):
    return f"/candidates/{case.id}/erase"


def test_the_assigned_case_manager_erases_on_request(client, case, alice):
    login(client, alice.email)
    response = post_form(client, erase_url(case), erase_form(case), follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"/candidates/{case.id}/privacy"
    assert candidate_row(case)["erased_at"] is not None
    page = client.get(response.headers["location"])
    assert "Die personenbezogenen Daten wurden gelöscht." in page.text
    assert 'id="erase-form"' not in page.text
    (event,) = audit_events(case.id, "candidate.erase")
    assert event["actor_id"] == alice.id


def test_the_team_lead_erases_on_request(client, case, team_lead):
    login(client, team_lead.email)
    response = post_form(client, erase_url(case), erase_form(case, code=case.code.lower()))
    assert response.status_code == 200
    assert candidate_row(case)["erased_at"] is not None


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"confirm": ""}, "Bitte bestätigen Sie"),
        ({"code": ""}, "Bitte geben Sie den Code der Person ein."),
        ({"code": "K-2222-22"}, "Das ist nicht der Code dieser Person."),
    ],
)
def test_it_asks_for_the_confirmation_and_the_code(client, case, alice, fields, message):
    login(client, alice.email)
    response = post_form(client, erase_url(case), erase_form(case, **fields))
    assert response.status_code == 400
    assert message in response.text
    assert 'aria-invalid="true"' in response.text
    assert has_identity(case)
    assert candidate_row(case)["erased_at"] is None


def test_htmx_gets_the_form_again(client, case, alice):
    login(client, alice.email)
    response = post_form(
        client, erase_url(case), erase_form(case, confirm=""), headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<form id="erase-form"')
    assert "<html" not in response.text
    assert has_identity(case)


def test_htmx_is_sent_to_the_tab_after_the_erasure(client, case, alice):
    login(client, alice.email)
    response = post_form(client, erase_url(case), erase_form(case), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.headers["hx-redirect"] == f"/candidates/{case.id}/privacy"


def test_a_second_erasure_says_so(client, case, alice, storage):
    run(erase_candidate(case.id, storage))
    login(client, alice.email)
    response = post_form(client, erase_url(case), erase_form(case))
    assert response.status_code == 200
    assert "Die personenbezogenen Daten waren bereits gelöscht." in response.text


def test_a_colleague_who_shares_the_caseload_may_not_erase(client, case, bob, agency):
    run(
        Organisation.update({Organisation.caseload_shared: True}).where(
            Organisation.id == agency.id
        )
    )
    login(client, bob.email)
    page = client.get(f"/candidates/{case.id}/privacy")
    assert page.status_code == 200
    assert 'id="erase-form"' not in page.text
    assert post_form(client, erase_url(case), erase_form(case)).status_code == 403
    assert has_identity(case)


def test_a_colleague_gets_404_without_shared_caseload(client, case, bob):
    login(client, bob.email)
    assert post_form(client, erase_url(case), erase_form(case)).status_code == 404
    assert has_identity(case)


def test_another_organisation_gets_404(client, case, charlie):
    login(client, charlie.email)
    response = post_form(client, erase_url(case), erase_form(case))
    assert response.status_code == 404
    assert has_identity(case)


def test_other_roles_get_403(client, case, operator, statistician, employer_admin):
    for user in (operator, statistician, employer_admin):
        client.cookies.clear()
        login(client, user.email)
        assert post_form(client, erase_url(case), erase_form(case)).status_code == 403
    assert has_identity(case)
    assert candidate_row(case)["erased_at"] is None


def test_an_anonymous_erasure_is_refused(client, case):
    assert post_form(client, erase_url(case), erase_form(case)).status_code in (401, 403)
    assert has_identity(case)


def test_a_document_uploaded_during_the_erasure_goes_too(case, settings):
    """The objects are deleted before the transaction; an upload that lands in between is
    found again under the candidate's lock."""
    late: list[str] = []

    class UploadMeanwhile(DiskStorage):
        async def delete(self, key: str) -> None:
            await super().delete(key)
            if not late:
                late.append("uploading")
                document = await asyncio.to_thread(make_document, case, self, filename="neu.pdf")
                late[0] = document.storage_key

    storage = UploadMeanwhile(settings.documents_dir)
    assert run(erase_candidate(case.id, storage)) is True
    assert documents_of(case) == []
    assert not is_stored(storage, late[0])
    (event,) = audit_events(case.id, "candidate.erase")
    assert detail(event)["documents"] == 3  # the two of the fixture and the late one
