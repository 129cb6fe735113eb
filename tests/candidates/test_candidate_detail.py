"""The overview of one case: status, programme, case manager, consent, documents, checklist."""

import datetime as dt
import uuid

import pytest

from portal.accounts.tables import OrgKind, Role
from portal.candidates.tables import CandidateMunicipality, Document
from tests.candidates.caseload import give_consent, make_programme, share_caseload
from tests.conftest import run
from tests.factories import login, make_candidate, make_municipality, make_org, make_user


def add_document(candidate):
    run(
        Document.insert(
            Document(
                organisation=candidate.organisation,
                candidate=candidate.id,
                kind="certificate",
                storage_key=uuid.uuid4().hex,
                filename="zeugnis.pdf",
                content_type="application/pdf",
                size=1234,
                checksum="0" * 64,
            )
        )
    )


def test_it_shows_the_case_to_its_case_manager(client, agency, alice):
    programme = make_programme()
    case = make_candidate(agency, alice, occupations=("24412",), programme=programme.id)
    give_consent(case)
    add_document(case)
    add_document(case)
    login(client, alice.email)
    response = client.get(f"/candidates/{case.id}")
    assert response.status_code == 200
    html = response.text
    assert case.code in html
    assert "Entwurf" in html
    assert "WIR-Fallmanagement" in html
    assert "Alice Fallmanagerin" in html
    assert "Gültig seit" in html
    assert "das pseudonymisierte Profil Arbeitgebern im Portal gezeigt wird" in html
    assert f'href="/candidates/{case.id}/consent"' in html
    assert "2 Dokumente" in html
    assert f'href="/candidates/{case.id}/profile"' in html
    # The actions the rules allow for a draft.
    assert 'value="activate"' in html and 'value="close"' in html
    assert 'value="pause"' not in html and 'value="reopen"' not in html
    # Only the team lead reassigns.
    assert f'action="/candidates/{case.id}/assign"' not in html
    # No identity on the overview.
    assert "Amina" not in html and "Haddad" not in html


def test_it_shows_the_profile_checklist(client, agency, alice):
    case = make_candidate(agency, alice, german_level="B1", earliest_start=dt.date(2026, 12, 1))
    place = make_municipality()
    reach = CandidateMunicipality(candidate=case.id, municipality=place.id)
    run(CandidateMunicipality.insert(reach))
    login(client, alice.email)
    html = client.get(f"/candidates/{case.id}").text
    assert "Deutschniveau: B1" in html
    assert "Wunschberufe: noch keine" in html
    assert "Erreichbare Gemeinden: 1" in html
    assert "Frühester Beginn: 01.12.2026" in html
    assert html.count("– fehlt") == 1
    assert "Es liegt keine gültige Einwilligung vor." in html
    assert "0 Dokumente" in html


def test_it_answers_404_to_a_colleague(client, bob, candidate):
    login(client, bob.email)
    assert client.get(f"/candidates/{candidate.id}").status_code == 404


def test_it_shows_a_colleague_the_case_when_the_caseload_is_shared(client, agency, bob, candidate):
    share_caseload(agency)
    login(client, bob.email)
    assert client.get(f"/candidates/{candidate.id}").status_code == 200


def test_it_lets_the_team_lead_reassign(client, team_lead, alice, bob, candidate):
    login(client, team_lead.email)
    html = client.get(f"/candidates/{candidate.id}").text
    assert f'action="/candidates/{candidate.id}/assign"' in html
    assert f'<option value="{alice.id}" selected>' in html
    assert "Bob Kollege" in html


def test_it_answers_404_to_another_organisation(client, charlie, candidate):
    login(client, charlie.email)
    response = client.get(f"/candidates/{candidate.id}")
    assert response.status_code == 404
    assert candidate.code not in response.text


def test_it_shows_the_operator_the_pseudonymised_overview_only(client, operator, candidate):
    give_consent(candidate)
    add_document(candidate)
    login(client, operator.email)
    response = client.get(f"/candidates/{candidate.id}")
    assert response.status_code == 200
    html = response.text
    assert candidate.code in html
    assert "Amina" not in html and "Haddad" not in html
    assert "/status" not in html and "/assign" not in html
    assert f"/candidates/{candidate.id}/identity" not in html
    assert f"/candidates/{candidate.id}/documents" not in html
    assert "Dokument" not in html
    assert "Einwilligung" not in html


@pytest.mark.parametrize(
    ("kind", "role"),
    [
        (OrgKind.employer, Role.employer_admin),
        (OrgKind.employer, Role.employer_member),
        (OrgKind.chamber, Role.statistics_viewer),
        (OrgKind.authority, Role.statistics_viewer),
    ],
)
def test_it_answers_403_to_other_roles(client, candidate, kind, role):
    login(client, make_user(make_org(kind), role).email)
    assert client.get(f"/candidates/{candidate.id}").status_code == 403


@pytest.mark.parametrize("candidate_id", ["not-a-uuid", "00000000-0000-0000-0000-000000000000"])
def test_it_answers_404_for_an_unknown_case(client, alice, candidate_id):
    login(client, alice.email)
    assert client.get(f"/candidates/{candidate_id}").status_code == 404


def test_it_sends_an_anonymous_visitor_to_the_login(client, candidate):
    response = client.get(f"/candidates/{candidate.id}", follow_redirects=False)
    assert response.headers["location"].startswith("/login?next=")
