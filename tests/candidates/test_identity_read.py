"""Reading an identity: the assigned case manager at once, anyone else with a reason; every
display writes one audit row."""

import datetime as dt
import time
import uuid

import pytest

from portal.accounts.tables import OrgKind, Role
from portal.candidates.identity import GRANT_SECONDS, grant, granted_reason
from portal.clock import today as portal_today
from portal.sessions import Session
from tests.candidates.caseload import HTMX, events, share_caseload, switch_to
from tests.factories import login, make_candidate, make_org, make_user, post_form

REASON = "Vertretung während des Urlaubs"


def give_reason(client, case, reason=REASON, **kwargs):
    return post_form(client, f"/candidates/{case.id}/identity/access", {"reason": reason}, **kwargs)


def test_it_shows_the_assigned_case_manager_the_identity_at_once(client, alice, candidate):
    login(client, alice.email)
    response = client.get(f"/candidates/{candidate.id}/identity")
    assert response.status_code == 200
    html = response.text
    assert "Amina" in html and "Haddad" in html
    assert "17.05.1994" in html
    assert "Erlaubnis für jede Beschäftigung nötig" in html
    assert "Sie sind für diesen Fall zuständig. Dieser Zugriff wurde protokolliert." in html
    [event] = events(candidate.id, "identity.read")
    assert event["actor_id"] == alice.id
    assert event["actor_organisation_id"] == alice.organisation
    assert event["record_type"] == "candidate"
    assert event["address"] != ""
    assert event["detail"] == {"reason": "assigned case manager"}


def test_every_display_writes_one_audit_row(client, alice, candidate):
    login(client, alice.email)
    for count in (1, 2, 3):
        client.get(f"/candidates/{candidate.id}/identity")
        assert len(events(candidate.id, "identity.read")) == count
    assert len(events(candidate.id)) == 3


def test_it_asks_the_team_lead_for_a_reason_first(client, team_lead, candidate):
    login(client, team_lead.email)
    response = client.get(f"/candidates/{candidate.id}/identity")
    assert response.status_code == 200
    assert "Amina" not in response.text and "Haddad" not in response.text
    assert 'name="reason"' in response.text
    assert events(candidate.id) == []


def test_it_shows_the_identity_after_a_reason(client, team_lead, candidate):
    login(client, team_lead.email)
    response = give_reason(client, candidate)
    assert response.status_code == 200
    assert str(response.url).endswith(f"/candidates/{candidate.id}/identity")
    assert "Amina" in response.text
    assert f"Dieser Zugriff wurde mit Ihrem Grund protokolliert: „{REASON}“." in response.text
    [event] = events(candidate.id)
    assert event["action"] == "identity.read"
    assert event["actor_id"] == team_lead.id
    assert event["detail"] == {"reason": REASON}
    # The reason holds for the next pages; each of them is recorded again.
    assert "Amina" in client.get(f"/candidates/{candidate.id}/identity").text
    assert [e["detail"]["reason"] for e in events(candidate.id)] == [REASON, REASON]


def test_a_reason_holds_for_one_case_only(client, agency, team_lead, alice, candidate):
    other = make_candidate(agency, alice)
    login(client, team_lead.email)
    give_reason(client, candidate)
    assert 'name="reason"' in client.get(f"/candidates/{other.id}/identity").text
    assert events(other.id) == []


@pytest.mark.parametrize(
    ("reason", "message"),
    [
        ("", "Bitte geben Sie einen Grund mit 5 bis 200 Zeichen an."),
        ("weil", "Bitte geben Sie einen Grund mit 5 bis 200 Zeichen an."),
        ("x" * 201, "Bitte geben Sie einen Grund mit 5 bis 200 Zeichen an."),
        ("Rückruf bei Frau Haddad", "ohne Namen und Kontaktdaten"),
        ("Anruf unter 0171 2345678", "ohne Namen und Kontaktdaten"),
    ],
)
def test_it_refuses_a_wrong_reason(client, team_lead, candidate, reason, message):
    login(client, team_lead.email)
    response = give_reason(client, candidate, reason)
    assert response.status_code == 400
    assert message in response.text
    assert "Amina" not in response.text
    assert events(candidate.id) == []
    assert 'name="reason"' in client.get(f"/candidates/{candidate.id}/identity").text


def test_it_answers_htmx_with_the_reason_form_or_a_redirect(client, team_lead, candidate):
    login(client, team_lead.email)
    wrong = give_reason(client, candidate, "kurz", headers=HTMX)
    assert wrong.status_code == 200
    assert wrong.text.lstrip().startswith('<form id="reason-form"')
    assert "<html" not in wrong.text
    right = give_reason(client, candidate, headers=HTMX)
    assert right.status_code == 200
    assert right.headers["HX-Redirect"] == f"/candidates/{candidate.id}/identity"
    assert events(candidate.id) == []  # the redirect's page records the reading


def test_it_answers_404_to_a_colleague(client, bob, candidate):
    login(client, bob.email)
    assert client.get(f"/candidates/{candidate.id}/identity").status_code == 404
    assert give_reason(client, candidate).status_code == 404
    assert events(candidate.id) == []


def test_it_asks_a_colleague_for_a_reason_when_the_caseload_is_shared(
    client, agency, bob, candidate
):
    share_caseload(agency)
    login(client, bob.email)
    assert 'name="reason"' in client.get(f"/candidates/{candidate.id}/identity").text
    assert "Amina" in give_reason(client, candidate).text
    assert events(candidate.id, "identity.read")[0]["actor_id"] == bob.id


def test_it_answers_404_to_another_organisation(client, charlie, candidate):
    login(client, charlie.email)
    assert client.get(f"/candidates/{candidate.id}/identity").status_code == 404
    response = give_reason(client, candidate)
    assert response.status_code == 404
    assert "Amina" not in response.text
    assert events(candidate.id) == []


@pytest.mark.parametrize(
    ("kind", "role"),
    [
        (OrgKind.operator, Role.operator_admin),
        (OrgKind.employer, Role.employer_admin),
        (OrgKind.chamber, Role.statistics_viewer),
        (OrgKind.authority, Role.statistics_viewer),
    ],
)
def test_it_answers_403_to_other_roles(client, candidate, kind, role):
    login(client, make_user(make_org(kind), role).email)
    assert client.get(f"/candidates/{candidate.id}/identity").status_code == 403
    assert give_reason(client, candidate).status_code == 403
    assert events(candidate.id) == []


def test_it_sends_an_anonymous_visitor_to_the_login(client, candidate):
    response = client.get(f"/candidates/{candidate.id}/identity", follow_redirects=False)
    assert response.headers["location"].startswith("/login?next=")


def test_it_says_that_an_erased_identity_is_gone(client, agency, alice):
    case = make_candidate(agency, alice, erased_at=dt.datetime(2026, 6, 1, 12, tzinfo=dt.UTC))
    login(client, alice.email)
    response = client.get(f"/candidates/{case.id}/identity")
    assert response.status_code == 200
    assert "Die Identität dieses Falls wurde am 01.06.2026 gelöscht." in response.text
    assert "Amina" not in response.text
    assert events(case.id) == []


def test_it_highlights_expiry_dates(client, agency, alice):
    today = portal_today()
    case = make_candidate(
        agency,
        alice,
        identity={
            "residence_document_expires": (today - dt.timedelta(days=1)).isoformat(),
            "work_permit_expires": (today + dt.timedelta(days=60)).isoformat(),
        },
    )
    login(client, alice.email)
    html = client.get(f"/candidates/{case.id}/identity").text
    assert "abgelaufen" in html and "läuft bald ab" in html
    later = make_candidate(
        agency,
        alice,
        identity={"work_permit_expires": (today + dt.timedelta(days=61)).isoformat()},
    )
    html = client.get(f"/candidates/{later.id}/identity").text
    assert "abgelaufen" not in html and "läuft bald ab" not in html


def test_a_reason_runs_out_after_a_quarter_of_an_hour():
    session, case = Session(id="s", data={}), uuid.uuid4()
    grant(session, case, REASON)
    assert session.dirty
    assert granted_reason(session, case) == REASON
    assert granted_reason(session, uuid.uuid4()) is None
    session.data["identity_grants"][str(case)][1] = time.time() - 1
    assert granted_reason(session, case) is None
    # Granting again drops what has run out.
    other = uuid.uuid4()
    grant(session, other, REASON)
    assert list(session.data["identity_grants"]) == [str(other)]
    assert session.data["identity_grants"][str(other)][1] <= time.time() + GRANT_SECONDS


def test_the_team_lead_reads_after_switching_users_only_with_a_new_reason(
    client, team_lead, alice, candidate
):
    login(client, team_lead.email)
    give_reason(client, candidate)
    switch_to(client, team_lead)  # a new session
    assert 'name="reason"' in client.get(f"/candidates/{candidate.id}/identity").text
