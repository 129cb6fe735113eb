"""The export of everything kept on a candidate (GDPR Art. 15): a readable page and a JSON file."""

import json

import pytest

from portal.accounts.tables import Organisation
from portal.audit.services import record
from portal.candidates.export import export_candidate
from portal.candidates.privacy import erase_candidate
from portal.candidates.tables import Candidate
from tests.candidates.privacy import audit_events, make_consent, make_document, record_read
from tests.conftest import run
from tests.factories import login, make_candidate, vault

REASON = "Auskunftsersuchen vom 3. März"


def page_url(candidate, suffix="export"):
    return f"/candidates/{candidate.id}/{suffix}"


@pytest.fixture
def full_case(app, candidate, alice):
    """Alice's case with a consent, a document and one earlier read of the identity."""
    make_consent(candidate, text_version="2026-01")
    make_document(
        candidate, app.state["storage"], filename="Schweisszeugnis.pdf", uploaded_by=alice.id
    )
    record_read(candidate, alice)
    return candidate


def share_caseload(agency):
    run(
        Organisation.update({Organisation.caseload_shared: True}).where(
            Organisation.id == agency.id
        )
    )


def test_it_shows_the_assigned_case_manager_everything(client, full_case, alice):
    login(client, alice.email)
    response = client.get(page_url(full_case))
    assert response.status_code == 200
    text = response.text
    assert full_case.code in text
    assert "Amina" in text and "Haddad" in text and "17.05.1994" in text
    assert "Berufe im Metallbau" in text and "24412" in text
    assert "Schweisszeugnis.pdf" in text
    assert "2026-01" in text
    assert "Alice Fallmanagerin (Jobcenter Musterland)" in text
    assert "data-print" in text


def test_it_writes_the_export_to_the_audit_log_without_personal_data(client, full_case, alice):
    login(client, alice.email)
    client.get(page_url(full_case))
    (event,) = audit_events(full_case.id, "candidate.export")
    assert event["actor_id"] == alice.id
    detail = event["detail"] if isinstance(event["detail"], dict) else json.loads(event["detail"])
    assert detail == {"format": "html"}


def test_it_downloads_a_json_file(client, full_case, alice):
    login(client, alice.email)
    response = client.get(page_url(full_case, "export.json"))
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/json")
    assert (
        response.headers["content-disposition"]
        == f'attachment; filename="candidate-{full_case.code}.json"'
    )
    assert response.headers["cache-control"] == "no-store"
    data = response.json()
    assert data["identity"]["family_name"] == "Haddad"
    assert data["identity"]["date_of_birth"] == "1994-05-17"
    assert data["profile"]["code"] == full_case.code
    assert data["profile"]["organisation_name"] == "Jobcenter Musterland"
    assert data["occupations"] == [
        {
            "kind": "desired",
            "code": "24412",
            "name": "Berufe im Metallbau – fachlich ausgerichtete Tätigkeiten",
            "years": None,
            "abroad": None,
        }
    ]
    assert [consent["text_version"] for consent in data["consents"]] == ["2026-01"]
    assert data["documents"][0]["filename"] == "Schweisszeugnis.pdf"
    assert data["documents"][0]["uploaded_by"] == "Alice Fallmanagerin"
    assert "storage_key" not in data["documents"][0]
    reads = [(read["action"], read["actor"]) for read in data["identity_reads"]]
    assert reads == [
        ("identity.read", "Alice Fallmanagerin"),
        ("candidate.export", "Alice Fallmanagerin"),
    ]
    assert data["erased_at"] is None


def test_the_json_holds_every_column_of_the_profile(client, full_case, alice):
    login(client, alice.email)
    data = client.get(page_url(full_case, "export.json")).json()
    columns = {column._meta.name for column in Candidate._meta.columns}
    assert columns <= set(data["profile"])


def test_it_lists_only_the_reads_of_this_identity(app, full_case, alice, team_lead, agency):
    other = make_candidate(agency, alice)
    record_read(other, alice)
    record_read(full_case, team_lead, reason="Vertretung im Urlaub")
    run(record("candidate.profile", record_type="candidate", record_id=full_case.id))
    export = run(export_candidate(full_case.id, vault()))
    reads = [
        (read["action"], read["actor"], read["organisation"], read["reason"])
        for read in export["identity_reads"]
    ]
    assert reads == [
        ("identity.read", "Alice Fallmanagerin", "Jobcenter Musterland", ""),
        ("identity.read", "Tanja Teamleitung", "Jobcenter Musterland", "Vertretung im Urlaub"),
    ]


def test_the_team_lead_gives_a_reason(client, full_case, team_lead):
    login(client, team_lead.email)
    response = client.get(page_url(full_case), params={"reason": REASON})
    assert response.status_code == 200
    assert "Haddad" in response.text
    (event,) = audit_events(full_case.id, "candidate.export")
    detail = event["detail"] if isinstance(event["detail"], dict) else json.loads(event["detail"])
    assert detail == {"format": "html", "reason": REASON}
    assert event["actor_id"] == team_lead.id


@pytest.mark.parametrize("suffix", ["export", "export.json"])
@pytest.mark.parametrize("reason", ["", "abc", "    a   ", "x" * 201])
def test_without_a_proper_reason_the_team_lead_gets_the_form_again(
    client, full_case, team_lead, suffix, reason
):
    login(client, team_lead.email)
    response = client.get(page_url(full_case, suffix), params={"reason": reason})
    assert response.status_code == 400
    assert response.headers["content-type"].startswith("text/html")
    assert "Haddad" not in response.text
    assert 'id="export-form"' in response.text
    assert 'aria-invalid="true"' in response.text
    assert "Bitte geben Sie einen Grund mit 5 bis 200 Zeichen an." in response.text
    assert audit_events(full_case.id, "candidate.export") == []


def test_the_reason_must_not_name_the_person(client, full_case, team_lead):
    login(client, team_lead.email)
    response = client.get(page_url(full_case), params={"reason": "Anfrage von Frau Haddad"})
    assert response.status_code == 400
    assert "ohne Namen und Kontaktdaten der Person" in response.text
    assert audit_events(full_case.id, "candidate.export") == []


def test_a_colleague_sees_nothing_without_shared_caseload(client, full_case, bob):
    login(client, bob.email)
    for suffix in ("privacy", "export", "export.json"):
        response = client.get(page_url(full_case, suffix), params={"reason": REASON})
        assert response.status_code == 404
        assert "Haddad" not in response.text
    assert audit_events(full_case.id, "candidate.export") == []


def test_a_colleague_exports_with_a_reason_when_the_caseload_is_shared(
    client, full_case, bob, agency
):
    share_caseload(agency)
    login(client, bob.email)
    assert client.get(page_url(full_case)).status_code == 400
    response = client.get(page_url(full_case, "export.json"), params={"reason": REASON})
    assert response.status_code == 200
    assert response.json()["identity"]["family_name"] == "Haddad"


@pytest.mark.parametrize("suffix", ["privacy", "export", "export.json"])
def test_another_organisation_gets_404(client, full_case, charlie, suffix):
    login(client, charlie.email)
    response = client.get(page_url(full_case, suffix), params={"reason": REASON})
    assert response.status_code == 404
    assert "Haddad" not in response.text
    assert audit_events(full_case.id, "candidate.export") == []


@pytest.mark.parametrize("suffix", ["privacy", "export", "export.json"])
def test_other_roles_get_403(client, full_case, operator, statistician, employer_admin, suffix):
    for user in (operator, statistician, employer_admin):
        client.cookies.clear()
        login(client, user.email)
        response = client.get(page_url(full_case, suffix), params={"reason": REASON})
        assert response.status_code == 403, user.display_name
        assert "Haddad" not in response.text
    assert audit_events(full_case.id, "candidate.export") == []


@pytest.mark.parametrize("suffix", ["privacy", "export", "export.json"])
def test_an_anonymous_visitor_is_sent_to_the_login(client, full_case, suffix):
    response = client.get(page_url(full_case, suffix), follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"].startswith("/login?next=")


def test_it_answers_404_for_a_malformed_id(client, alice):
    login(client, alice.email)
    assert client.get("/candidates/not-a-uuid/export").status_code == 404


def test_an_erased_case_shows_what_is_left(client, app, full_case, alice):
    run(erase_candidate(full_case.id, app.state["storage"]))
    login(client, alice.email)
    response = client.get(page_url(full_case))
    assert response.status_code == 200
    assert "Haddad" not in response.text
    assert "wurden am" in response.text and "gelöscht" in response.text
    assert "Berufe im Metallbau" in response.text
    data = client.get(page_url(full_case, "export.json")).json()
    assert data["identity"] is None
    assert data["documents"] == []
    assert data["erased_at"] is not None
    assert data["consents"][0]["document"] is None
    assert data["occupations"][0]["code"] == "24412"


def test_it_needs_the_same_number_of_queries_for_a_small_and_a_large_case(
    client, app, agency, alice, queries
):
    def measured(count):
        case = make_candidate(agency, alice, occupations=("24412", "24422")[: 1 + count % 2])
        for number in range(count):
            make_consent(case, text_version=f"v{number}")
            make_document(case, app.state["storage"], filename=f"d{number}.pdf")
            record_read(case, alice)
        queries.clear()
        response = client.get(page_url(case, "export.json"))
        assert response.status_code == 200
        assert len(response.json()["documents"]) == count
        return len(queries)

    login(client, alice.email)
    assert measured(2) == measured(12)
