"""The team lead decides whether case managers see their colleagues' cases."""

import pytest

from portal.accounts.tables import Organisation, OrgKind, Role
from portal.audit.tables import AuditEvent
from tests.candidates.caseload import share_caseload, switch_to
from tests.conftest import run
from tests.factories import login, make_candidate, make_org, make_user, post_form


def shared(organisation):
    row = run(
        Organisation.select(Organisation.caseload_shared)
        .where(Organisation.id == organisation.id)
        .first()
    )
    return row["caseload_shared"]


def test_it_shares_the_caseload(client, agency, team_lead, alice, bob, candidate):
    login(client, team_lead.email)
    response = post_form(client, "/candidates/sharing", {"shared": "yes"})
    assert response.status_code == 200
    assert "sehen jetzt auch die Fälle ihrer Kolleginnen und Kollegen" in response.text
    assert shared(agency) is True
    [event] = run(
        AuditEvent.select()
        .where(AuditEvent.action == "organisation.caseload_sharing")
        .output(load_json=True)
    )
    assert event["record_id"] == str(agency.id)
    assert event["detail"] == {"shared": True}
    # Bob now finds Alice's case.
    switch_to(client, bob)
    assert candidate.code in client.get("/candidates").text
    assert client.get(f"/candidates/{candidate.id}").status_code == 200


def test_it_stops_sharing(client, agency, team_lead, bob, candidate):
    share_caseload(agency)
    login(client, team_lead.email)
    assert 'name="shared" value="yes"' in client.get("/candidates").text
    response = post_form(client, "/candidates/sharing", {})
    assert "sehen jetzt nur noch ihre eigenen Fälle" in response.text
    assert shared(agency) is False
    switch_to(client, bob)
    assert client.get(f"/candidates/{candidate.id}").status_code == 404


def test_it_changes_only_the_team_leads_own_organisation(client, agency, other_agency, team_lead):
    login(client, team_lead.email)
    post_form(client, "/candidates/sharing", {"shared": "yes"})
    assert shared(other_agency) is False


def test_it_answers_403_to_a_case_manager(client, agency, alice):
    login(client, alice.email)
    assert post_form(client, "/candidates/sharing", {"shared": "yes"}).status_code == 403
    assert shared(agency) is False
    assert 'action="/candidates/sharing"' not in client.get("/candidates").text


@pytest.mark.parametrize(
    ("kind", "role"),
    [(OrgKind.operator, Role.operator_admin), (OrgKind.employer, Role.employer_admin)],
)
def test_it_answers_403_to_other_roles(client, agency, kind, role):
    login(client, make_user(make_org(kind), role).email)
    assert post_form(client, "/candidates/sharing", {"shared": "yes"}).status_code == 403
    assert shared(agency) is False


def test_it_shows_the_colleagues_cases_but_not_another_organisations(
    client, agency, other_agency, alice, bob, charlie
):
    share_caseload(agency)
    mine = make_candidate(agency, bob)
    theirs = make_candidate(other_agency, charlie)
    login(client, alice.email)
    html = client.get("/candidates").text
    assert mine.code in html
    assert theirs.code not in html
