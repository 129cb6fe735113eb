"""The duplicate hint: the same person elsewhere (never where), or here (with the code)."""

from portal.candidates.tables import Candidate
from portal.clock import now
from tests.candidates.caseload import identity_form, switch_to
from tests.conftest import run
from tests.factories import login, make_candidate, post_form

ELSEWHERE = "Diese Person ist möglicherweise bereits bei einer anderen Organisation registriert."
HERE = "Diese Person ist möglicherweise bereits in Ihrer Organisation registriert"


def test_it_hints_at_a_registration_elsewhere_without_saying_where(
    client, other_agency, charlie, alice
):
    make_candidate(other_agency, charlie, code="K-CCCC-33")
    login(client, alice.email)
    response = post_form(client, "/candidates", identity_form())
    assert ELSEWHERE in response.text
    assert HERE not in response.text
    assert "Integrationszentrum" not in response.text
    assert "K-CCCC-33" not in response.text
    assert "Charlie" not in response.text


def test_it_names_the_code_of_a_case_in_the_same_organisation(client, agency, bob, alice):
    other = make_candidate(agency, bob, code="K-BBBB-22")
    login(client, alice.email)
    response = post_form(client, "/candidates", identity_form())
    assert f"{HERE}: K-BBBB-22." in response.text
    assert ELSEWHERE not in response.text
    # The overview keeps the hint, with a link to the other case.
    assert f'href="/candidates/{other.id}">K-BBBB-22</a>' in response.text


def test_it_finds_the_person_however_the_name_is_written(client, other_agency, charlie, alice):
    make_candidate(other_agency, charlie)
    login(client, alice.email)
    form = identity_form(given_names="amína", family_name="HADDAD", date_of_birth="1994-05-17")
    assert ELSEWHERE in post_form(client, "/candidates", form).text


def test_it_gives_no_hint_for_another_date_of_birth(client, other_agency, charlie, alice):
    make_candidate(other_agency, charlie)
    login(client, alice.email)
    response = post_form(client, "/candidates", identity_form(date_of_birth="18.05.1994"))
    assert "möglicherweise bereits" not in response.text


def test_it_ignores_erased_cases(client, agency, other_agency, charlie, bob, alice):
    erased = now()
    make_candidate(other_agency, charlie, erased_at=erased)
    make_candidate(agency, bob, erased_at=erased)
    login(client, alice.email)
    assert "möglicherweise bereits" not in post_form(client, "/candidates", identity_form()).text


def test_it_hints_after_a_change_of_the_identity(client, agency, other_agency, charlie, alice):
    make_candidate(other_agency, charlie)
    case = make_candidate(agency, alice, identity={"given_names": "Amna"})
    login(client, alice.email)
    response = post_form(
        client, f"/candidates/{case.id}/identity/edit", identity_form(given_names="Amina")
    )
    assert response.status_code == 200
    assert ELSEWHERE in response.text


def test_it_shows_the_other_case_on_the_overview_of_both(client, agency, alice, team_lead):
    first = make_candidate(agency, alice, code="K-AAAA-22")
    second = make_candidate(agency, alice, code="K-AAAA-33")
    switch_to(client, team_lead)
    assert (
        f'href="/candidates/{second.id}">K-AAAA-33</a>'
        in client.get(f"/candidates/{first.id}").text
    )
    assert (
        f'href="/candidates/{first.id}">K-AAAA-22</a>'
        in client.get(f"/candidates/{second.id}").text
    )
    assert run(Candidate.count()) == 2
