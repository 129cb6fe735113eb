"""Changing an identity: the form is a reading (audited), every field sealed again."""

import pytest

from portal.accounts.tables import OrgKind, Role
from portal.candidates.tables import CandidateIdentity
from portal.candidates.vault import duplicate_hash
from portal.clock import now
from tests.candidates.caseload import (
    HTMX,
    candidate_row,
    events,
    identity_form,
    identity_of,
    share_caseload,
)
from tests.conftest import TEST_DUPLICATE_HASH_KEY, run
from tests.factories import login, make_candidate, make_org, make_user, post_form


def sealed(candidate):
    return run(
        CandidateIdentity.select().where(CandidateIdentity.candidate == candidate.id).first()
    )


def edit(client, case, **fields):
    return post_form(client, f"/candidates/{case.id}/identity/edit", identity_form(**fields))


def test_it_shows_the_stored_identity_in_the_form_and_records_the_reading(client, alice, candidate):
    login(client, alice.email)
    response = client.get(f"/candidates/{candidate.id}/identity/edit")
    assert response.status_code == 200
    assert 'value="Amina"' in response.text and 'value="1994-05-17"' in response.text
    assert '<option value="permit_per_job" selected>' in response.text
    [event] = events(candidate.id)
    assert event["action"] == "identity.read"
    assert event["detail"] == {"reason": "assigned case manager"}


def test_it_seals_the_changed_identity(client, alice, candidate):
    before = sealed(candidate)
    login(client, alice.email)
    response = edit(client, candidate, family_name="Haddad-Said", phone="0171 2345678")
    assert response.status_code == 200
    assert "Die Identitätsdaten wurden gespeichert." in response.text
    assert "Haddad-Said" in response.text  # back on the identity page
    person = identity_of(candidate.id)
    assert person.family_name == "Haddad-Said"
    assert person.phone == "0171 2345678"
    assert person.city == "Leipzig"
    after = sealed(candidate)
    # Every field sealed again (a fresh nonce), the duplicate hash computed anew.
    assert all(after[name] != before[name] for name in ("given_names", "date_of_birth"))
    assert after["dup_hash"] == duplicate_hash(
        TEST_DUPLICATE_HASH_KEY, "Amina Haddad-Said", "1994-05-17"
    )
    [update] = events(candidate.id, "identity.update")
    assert "Haddad" not in str(update["detail"]) and "0171" not in str(update["detail"])
    assert "family_name" in update["detail"]["fields"]
    assert candidate_row(candidate.id)["updated_at"] > candidate.updated_at


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("family_name", "", "Bitte füllen Sie dieses Feld aus."),
        ("date_of_birth", "2099-01-01", "Das Geburtsdatum kann nicht in der Zukunft liegen."),
        ("email", "nicht-gültig", "Bitte geben Sie eine gültige E-Mail-Adresse ein"),
    ],
)
def test_it_refuses_a_wrong_field_and_keeps_the_identity(
    client, alice, candidate, field, value, message
):
    before = sealed(candidate)
    login(client, alice.email)
    response = edit(client, candidate, **{field: value})
    assert response.status_code == 400
    assert message in response.text
    assert sealed(candidate) == before
    assert events(candidate.id, "identity.update") == []


def test_it_answers_htmx_with_the_form_alone(client, alice, candidate):
    login(client, alice.email)
    response = post_form(
        client,
        f"/candidates/{candidate.id}/identity/edit",
        identity_form(given_names=""),
        headers=HTMX,
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<form id="identity-form"')
    ok = post_form(
        client, f"/candidates/{candidate.id}/identity/edit", identity_form(), headers=HTMX
    )
    assert ok.headers["HX-Redirect"] == f"/candidates/{candidate.id}/identity"


def test_it_asks_the_team_lead_for_a_reason_first(client, team_lead, candidate):
    before = sealed(candidate)
    login(client, team_lead.email)
    form = client.get(f"/candidates/{candidate.id}/identity/edit")
    assert 'name="reason"' in form.text and "Amina" not in form.text
    assert 'name="reason"' in edit(client, candidate, family_name="Anders").text
    assert sealed(candidate) == before
    assert events(candidate.id) == []
    post_form(client, f"/candidates/{candidate.id}/identity/access", {"reason": "Vertretung"})
    assert 'value="Amina"' in client.get(f"/candidates/{candidate.id}/identity/edit").text
    edit(client, candidate, family_name="Anders")
    assert identity_of(candidate.id).family_name == "Anders"


def test_it_answers_404_to_a_colleague_without_sharing(client, agency, bob, candidate):
    login(client, bob.email)
    assert client.get(f"/candidates/{candidate.id}/identity/edit").status_code == 404
    assert edit(client, candidate, family_name="Anders").status_code == 404
    share_caseload(agency)
    assert 'name="reason"' in client.get(f"/candidates/{candidate.id}/identity/edit").text


def test_it_answers_404_to_another_organisation(client, charlie, candidate):
    before = sealed(candidate)
    login(client, charlie.email)
    assert client.get(f"/candidates/{candidate.id}/identity/edit").status_code == 404
    assert edit(client, candidate, family_name="Anders").status_code == 404
    assert sealed(candidate) == before
    assert events(candidate.id) == []


@pytest.mark.parametrize(
    ("kind", "role"),
    [
        (OrgKind.operator, Role.operator_admin),
        (OrgKind.employer, Role.employer_admin),
        (OrgKind.chamber, Role.statistics_viewer),
    ],
)
def test_it_answers_403_to_other_roles(client, candidate, kind, role):
    before = sealed(candidate)
    login(client, make_user(make_org(kind), role).email)
    assert client.get(f"/candidates/{candidate.id}/identity/edit").status_code == 403
    assert edit(client, candidate, family_name="Anders").status_code == 403
    assert sealed(candidate) == before


def test_it_refuses_to_change_an_erased_identity(client, agency, alice):
    case = make_candidate(agency, alice, erased_at=now())
    before = sealed(case)
    login(client, alice.email)
    assert "gelöscht" in client.get(f"/candidates/{case.id}/identity/edit").text
    response = edit(client, case, family_name="Anders")
    assert response.status_code == 409
    assert sealed(case) == before
    assert events(case.id) == []
