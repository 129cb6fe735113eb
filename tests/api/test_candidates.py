"""Candidates through the API: the owning organisation's pseudonymised profiles, a new case with
its identity, and the identity alone — read and audited as on the identity page."""

import datetime as dt
import json

from portal.accounts.tables import OrgKind, Role
from portal.audit.tables import AuditEvent
from portal.candidates.tables import Candidate
from portal.clock import today
from tests.api.factories import make_token
from tests.conftest import run
from tests.factories import make_candidate, make_org, make_user

IDENTITY = {"given_names": "Amal", "family_name": "Haddad", "date_of_birth": "1990-05-04"}


def _agency():
    agency = make_org(OrgKind.case_management)
    lead = make_user(agency, Role.team_lead)
    return agency, lead, make_token(lead)


def _detail(event):
    detail = event["detail"]
    return detail if isinstance(detail, dict) else json.loads(detail)


def test_it_lists_the_organisations_profiles_pseudonymised(client):
    agency, _lead, token = _agency()
    worker = make_user(agency, Role.case_manager)
    mine = {str(make_candidate(agency, worker).id) for _ in range(3)}
    make_candidate(make_org(OrgKind.case_management))
    first = client.get("/api/v1/candidates", params={"limit": 2}, headers=token["headers"])
    assert first.status_code == 200
    rest = client.get(
        "/api/v1/candidates",
        params={"limit": 2, "cursor": first.json()["next_cursor"]},
        headers=token["headers"],
    )
    seen = {c["id"] for c in first.json()["data"] + rest.json()["data"]}
    assert seen == mine and rest.json()["next_cursor"] is None
    assert "Haddad" not in first.text and "given_names" not in first.text


def test_it_creates_a_case_with_its_identity_and_refuses_a_bad_one(client):
    agency, lead, token = _agency()
    response = client.post("/api/v1/candidates", json=IDENTITY, headers=token["headers"])
    assert response.status_code == 201, response.text
    row = run(Candidate.select().where(Candidate.organisation == agency.id).first())
    assert response.json()["code"] == row["code"] and row["case_manager"] == lead.id
    assert "Haddad" not in response.text
    bad = client.post(
        "/api/v1/candidates",
        json={
            **IDENTITY,
            "date_of_birth": (today() + dt.timedelta(days=1)).isoformat(),
            "email": "nope",
        },  # born tomorrow
        headers=token["headers"],
    )
    assert bad.status_code == 422
    fields = {error["field"] for error in bad.json()["errors"]}
    assert fields == {"date_of_birth", "email"}
    assert run(Candidate.count().where(Candidate.organisation == agency.id)) == 1


def test_the_identity_is_read_only_with_a_reason_and_audited(client):
    agency, _lead, token = _agency()
    candidate = make_candidate(agency, make_user(agency, Role.case_manager))
    url = f"/api/v1/candidates/{candidate.id}/identity"
    refused = client.get(url, headers=token["headers"])
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "reason"
    named = client.get(url, params={"reason": "Anruf von Amina Haddad"}, headers=token["headers"])
    assert named.status_code == 422
    assert run(AuditEvent.count().where(AuditEvent.action == "identity.read")) == 0
    response = client.get(url, params={"reason": "Vertrag vorbereiten"}, headers=token["headers"])
    assert response.status_code == 200
    assert response.json()["family_name"] == "Haddad"
    event = run(AuditEvent.select().where(AuditEvent.action == "identity.read").first())
    assert event["record_id"] == str(candidate.id)
    assert _detail(event) == {"reason": "Vertrag vorbereiten"}


def test_the_assigned_case_managers_token_needs_no_reason(client):
    agency = make_org(OrgKind.case_management)
    lead = make_user(agency, Role.team_lead)
    candidate = make_candidate(agency, lead)
    response = client.get(
        f"/api/v1/candidates/{candidate.id}/identity", headers=make_token(lead)["headers"]
    )
    assert response.status_code == 200
    event = run(AuditEvent.select().where(AuditEvent.action == "identity.read").first())
    assert _detail(event) == {"reason": "assigned case manager"}


def test_another_organisations_case_is_not_found(client):
    token = _agency()[2]
    other = make_org(OrgKind.case_management)
    candidate = make_candidate(other, make_user(other, Role.case_manager))
    for url in (
        f"/api/v1/candidates/{candidate.id}",
        f"/api/v1/candidates/{candidate.id}/identity",
    ):
        response = client.get(url, params={"reason": "Prüfung"}, headers=token["headers"])
        assert response.status_code == 404
    assert run(AuditEvent.count().where(AuditEvent.action == "identity.read")) == 0


def test_it_changes_the_profile_and_keeps_what_was_not_sent(client):
    agency, lead, token = _agency()
    candidate = make_candidate(agency, lead, occupations=("24412",), shift_work=True)
    url = f"/api/v1/candidates/{candidate.id}"
    tag = client.get(url, headers=token["headers"]).headers["etag"]
    headers = {**token["headers"], "If-Match": tag}
    response = client.patch(
        url, json={"hours_per_week": 30, "summary": "Zuverlässig"}, headers=headers
    )
    assert response.status_code == 200, response.text
    assert response.json()["hours_per_week"] == 30 and response.json()["shift_work"] is True
    row = run(Candidate.select().where(Candidate.id == candidate.id).first())
    assert row["summary"] == "Zuverlässig"
    event = run(AuditEvent.select().where(AuditEvent.action == "candidate.profile").first())
    assert sorted(_detail(event)["fields"]) == ["hours_per_week", "summary"]
    stale = client.patch(url, json={"hours_per_week": 20}, headers=headers)
    assert stale.status_code == 412


def test_the_summary_is_refused_when_it_names_the_person(client):
    agency, lead, token = _agency()
    candidate = make_candidate(agency, lead)
    response = client.patch(
        f"/api/v1/candidates/{candidate.id}",
        json={"summary": "Amina Haddad arbeitet gern", "hours_per_week": 99},
        headers=token["headers"],
    )
    assert response.status_code == 422
    fields = {error["field"] for error in response.json()["errors"]}
    assert fields == {"summary", "hours_per_week"}
    row = run(Candidate.select(Candidate.summary).where(Candidate.id == candidate.id).first())
    assert "Haddad" not in row["summary"]
