"""Recording consent: what was agreed, when, how, text version and language; the signed form."""

import datetime as dt

import pytest

from portal.audit.tables import AuditEvent
from portal.candidates.tables import Candidate, CandidateStatus
from portal.clock import now, today
from tests.candidates.consents import candidate_row, consent_form, consents_of, make_consent, record
from tests.candidates.documents import HTML, PDF, PNG, document_rows, stored_objects
from tests.conftest import run
from tests.factories import csrf_token, login, make_candidate


def audit(candidate, action):
    return run(
        AuditEvent.select()
        .where((AuditEvent.record_id == str(candidate.id)) & (AuditEvent.action == action))
        .output(load_json=True)
    )


def test_it_records_consent(client, alice, candidate):
    login(client, alice.email)
    response = record(client, candidate, given_on="17.03.2026", release_identity="yes")
    assert response.status_code == 200
    assert "Die Einwilligung wurde erfasst." in response.text
    assert "Gültige Einwilligung" in response.text
    [consent] = consents_of(candidate)
    assert consent["show_profile"] is True
    assert consent["talent_pool"] is True
    assert consent["release_identity"] is True
    assert consent["given_on"] == dt.date(2026, 3, 17)
    assert consent["method"] == "oral_interpreter"
    assert consent["text_version"] == "2026-01"
    assert consent["language"] == "ar"
    assert consent["recorded_by"] == alice.id
    assert consent["ended_at"] is None
    assert consent["document"] is None
    [event] = audit(candidate, "consent.record")
    assert event["actor_id"] == alice.id
    assert event["detail"] == {
        "consent": str(consent["id"]),
        "scopes": ["show_profile", "talent_pool", "release_identity"],
        "method": "oral_interpreter",
    }


def test_it_shows_the_consent_in_force(client, alice, candidate):
    login(client, alice.email)
    record(client, candidate, given_on="2026-03-17", talent_pool="")
    html = client.get(f"/candidates/{candidate.id}/consent").text
    assert "Das pseudonymisierte Profil darf Arbeitgebern im Portal gezeigt werden." in html
    assert "Talentpool" not in html.split("Worin die Person eingewilligt hat")[0]
    assert "17.03.2026" in html
    assert "Mündlich, mit Dolmetschung" in html
    assert "Arabisch" in html
    assert "Alice Fallmanagerin" in html
    assert "Widerruf erfassen" in html


def test_it_replaces_the_consent_in_force(client, alice, candidate):
    old = make_consent(candidate, alice)
    login(client, alice.email)
    record(client, candidate, talent_pool="")
    first, second = consents_of(candidate)
    assert first["id"] == old.id
    assert first["ended_reason"] == "superseded"
    assert first["ended_by"] == alice.id
    assert first["ended_at"] is not None
    assert second["ended_at"] is None
    assert (second["show_profile"], second["talent_pool"]) == (True, False)
    [event] = audit(candidate, "consent.record")
    assert event["detail"]["superseded"] == [str(old.id)]
    html = client.get(f"/candidates/{candidate.id}/consent").text
    assert "Durch eine neuere Einwilligung ersetzt" in html


def test_it_keeps_one_consent_in_force_after_several(client, alice, candidate):
    login(client, alice.email)
    for version in ("2025-01", "2025-06", "2026-01"):
        record(client, candidate, text_version=version)
    in_force = [row for row in consents_of(candidate) if row["ended_at"] is None]
    assert [row["text_version"] for row in in_force] == ["2026-01"]


def test_it_ends_the_retention_period_of_an_open_case(client, alice, agency):
    case = make_candidate(agency, alice, status=CandidateStatus.paused, retention_from=now())
    login(client, alice.email)
    record(client, case)
    assert candidate_row(case)["retention_from"] is None


def test_it_keeps_the_retention_period_of_a_closed_case(client, alice, agency):
    started = now() - dt.timedelta(days=30)
    case = make_candidate(agency, alice, status=CandidateStatus.closed, retention_from=started)
    login(client, alice.email)
    record(client, case)
    assert candidate_row(case)["retention_from"] == started


def test_it_stores_the_signed_form(client, settings, alice, candidate):
    login(client, alice.email)
    response = record(
        client,
        candidate,
        method="signed_form",
        files={"document": ("Einwilligung Haddad.png", PDF, "image/png")},
    )
    assert response.status_code == 200
    [consent] = consents_of(candidate)
    [document] = document_rows(candidate)
    assert consent["document"] == document["id"]
    assert document["kind"] == "consent_form"
    assert document["content_type"] == "application/pdf"
    assert document["shareable"] is False
    assert stored_objects(settings) == [PDF]
    [upload_event] = audit(candidate, "document.upload")
    assert upload_event["detail"]["document"] == str(document["id"])
    assert "Haddad" not in str(upload_event["detail"])
    [event] = audit(candidate, "consent.record")
    assert event["detail"]["document"] == str(document["id"])
    assert f'href="/documents/{document["id"]}"' in response.text


def test_it_takes_a_signed_form_with_another_method(client, settings, alice, candidate):
    login(client, alice.email)
    record(
        client, candidate, method="electronic", files={"document": ("scan.png", PNG, "image/png")}
    )
    [consent] = consents_of(candidate)
    assert consent["document"] is not None


def test_it_needs_the_signed_form_for_that_method(client, settings, alice, candidate):
    login(client, alice.email)
    response = record(client, candidate, method="signed_form")
    assert response.status_code == 400
    assert 'id="error-document"' in response.text
    assert "Bitte wählen Sie eine Datei aus." in response.text
    assert consents_of(candidate) == []


def test_it_refuses_a_signed_form_that_is_no_pdf_or_image(client, settings, alice, candidate):
    login(client, alice.email)
    response = record(
        client,
        candidate,
        method="signed_form",
        files={"document": ("form.pdf", HTML, "application/pdf")},
    )
    assert response.status_code == 400
    assert "Es können nur PDF-, PNG- und JPEG-Dateien hochgeladen werden." in response.text
    assert consents_of(candidate) == []
    assert document_rows() == []
    assert stored_objects(settings) == []


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("given_on", "", "Bitte füllen Sie dieses Feld aus."),
        ("given_on", "17/03/2026", "Bitte geben Sie ein Datum im Format TT.MM.JJJJ ein."),
        ("given_on", "31.02.2026", "Bitte geben Sie ein Datum im Format TT.MM.JJJJ ein."),
        ("method", "", "Bitte füllen Sie dieses Feld aus."),
        ("method", "telepathy", "Bitte wählen Sie eine der Möglichkeiten aus."),
        ("text_version", "", "Bitte füllen Sie dieses Feld aus."),
        ("text_version", "v" * 41, "Bitte verwenden Sie höchstens 40 Zeichen."),
        ("language", "", "Bitte füllen Sie dieses Feld aus."),
        ("language", "klingon", "Bitte wählen Sie eine der Möglichkeiten aus."),
    ],
)
def test_it_explains_a_wrong_field(client, alice, candidate, field, value, message):
    login(client, alice.email)
    response = record(client, candidate, **{field: value})
    assert response.status_code == 400
    assert f'id="error-{field}"' in response.text
    assert message in response.text
    assert 'id="error-summary"' in response.text
    assert consents_of(candidate) == []


def test_it_refuses_a_date_in_the_future(client, alice, candidate):
    login(client, alice.email)
    tomorrow = today() + dt.timedelta(days=2)
    response = record(client, candidate, given_on=tomorrow.strftime("%d.%m.%Y"))
    assert response.status_code == 400
    assert "Das Datum der Einwilligung darf nicht in der Zukunft liegen." in response.text
    assert consents_of(candidate) == []


def test_it_needs_at_least_one_thing_agreed(client, alice, candidate):
    login(client, alice.email)
    response = record(client, candidate, show_profile="", talent_pool="", release_identity="")
    assert response.status_code == 400
    assert 'id="error-scopes"' in response.text
    assert "Bitte kreuzen Sie mindestens einen Punkt an" in response.text
    assert consents_of(candidate) == []


def test_it_keeps_what_was_typed(client, alice, candidate):
    login(client, alice.email)
    response = record(client, candidate, text_version="Fassung 3", given_on="gestern")
    assert 'value="Fassung 3"' in response.text
    assert 'value="gestern"' in response.text
    assert '<option value="ar" selected>' in response.text


def test_it_refuses_consent_for_an_erased_candidate(client, settings, alice, candidate):
    run(Candidate.update({Candidate.erased_at: now()}).where(Candidate.id == candidate.id))
    login(client, alice.email)
    response = record(
        client,
        candidate,
        method="signed_form",
        files={"document": ("f.pdf", PDF, "application/pdf")},
    )
    assert response.status_code == 409
    assert "Die personenbezogenen Daten dieser Person wurden gelöscht." in response.text
    assert consents_of(candidate) == []
    assert stored_objects(settings) == []


def test_it_lets_the_team_lead_record(client, team_lead, candidate):
    login(client, team_lead.email)
    assert record(client, candidate).status_code == 200
    [consent] = consents_of(candidate)
    assert consent["recorded_by"] == team_lead.id


def test_it_needs_the_csrf_token(client, alice, candidate):
    login(client, alice.email)
    csrf_token(client)
    response = client.post(f"/candidates/{candidate.id}/consent", data=consent_form())
    assert response.status_code == 403
    assert consents_of(candidate) == []


def test_it_shows_the_history_but_no_form_for_an_erased_candidate(client, alice, candidate):
    make_consent(candidate, alice)
    run(Candidate.update({Candidate.erased_at: now()}).where(Candidate.id == candidate.id))
    login(client, alice.email)
    html = client.get(f"/candidates/{candidate.id}/consent").text
    assert "es kann keine Einwilligung erfasst werden" in html
    assert 'id="consent-form"' not in html
    assert "Widerruf erfassen" not in html
    assert "Gültig" in html
