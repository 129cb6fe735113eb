"""A new case: the identity sealed, a random code, a draft, in one transaction."""

import datetime as dt
import re

import pytest

from portal.accounts.tables import OrgKind, Role
from portal.candidates.caseload import create_candidate
from portal.candidates.codes import looks_like_code
from portal.candidates.tables import Candidate, CandidateIdentity
from portal.candidates.vault import IdentityData, duplicate_hash
from portal.clock import today
from tests.candidates.caseload import (
    HTMX,
    candidate_row,
    events,
    identity_form,
    identity_of,
    make_programme,
    years_ago,
)
from tests.conftest import TEST_DUPLICATE_HASH_KEY, run
from tests.factories import login, make_candidate, make_org, make_user, post_form, vault


def cases_of(organisation):
    return run(Candidate.select().where(Candidate.organisation == organisation.id))


def created(response):
    match = re.search(r"/candidates/([0-9a-f-]{36})", response.url.path)
    assert match, response.url
    return candidate_row(match.group(1))


def test_it_shows_an_empty_form(client, alice):
    login(client, alice.email)
    response = client.get("/candidates/new")
    assert response.status_code == 200
    html = response.text
    for name in ("given_names", "family_name", "date_of_birth", "work_access", "programme"):
        assert f'name="{name}"' in html
    assert 'name="_csrf_token"' in html
    assert "Sie werden für diesen Fall zuständig sein." in html
    assert 'name="case_manager"' not in html
    # The labels of the work access, and "unknown" chosen.
    assert "Erlaubnis für jede Beschäftigung nötig" in html
    assert '<option value="unknown" selected>' in html


def test_it_lets_a_team_lead_choose_the_case_manager(client, team_lead, alice, charlie):
    login(client, team_lead.email)
    html = client.get("/candidates/new").text
    assert 'name="case_manager"' in html
    assert "Alice Fallmanagerin" in html and "Tanja Teamleitung" in html
    assert "Charlie Fremd" not in html


def test_it_creates_a_draft_with_a_sealed_identity(client, agency, alice):
    login(client, alice.email)
    response = post_form(client, "/candidates", identity_form())
    assert response.status_code == 200
    assert "Der Fall wurde als Entwurf angelegt." in response.text
    row = created(response)
    assert looks_like_code(row["code"])
    assert row["code"] in response.text
    assert row["status"] == "draft"
    assert row["organisation"] == agency.id
    assert row["case_manager"] == alice.id
    assert row["programme"] is None
    person = identity_of(row["id"])
    assert person.full_name == "Amina Haddad"
    assert person.date_of_birth == "1994-05-17"
    assert person.work_access == "free"
    assert person.postcode == "04109"
    stored = run(CandidateIdentity.select().where(CandidateIdentity.candidate == row["id"]).first())
    expected = duplicate_hash(TEST_DUPLICATE_HASH_KEY, "Amina Haddad", "1994-05-17")
    assert stored["dup_hash"] == expected
    [event] = events(row["id"])
    assert event["action"] == "candidate.create"
    assert event["actor_id"] == alice.id
    assert "Amina" not in str(event["detail"])


def test_it_accepts_an_iso_date_and_a_minimal_form(client, alice):
    login(client, alice.email)
    response = post_form(
        client,
        "/candidates",
        {"given_names": "Yonas", "family_name": "Tesfaye", "date_of_birth": "2001-02-03"},
    )
    person = identity_of(created(response)["id"])
    assert person.date_of_birth == "2001-02-03"
    assert person.work_access == "unknown"
    assert person.email == ""


def test_it_assigns_the_case_a_team_lead_chooses(client, team_lead, bob):
    programme = make_programme()
    login(client, team_lead.email)
    response = post_form(
        client,
        "/candidates",
        identity_form(case_manager=str(bob.id), programme=str(programme.id)),
    )
    row = created(response)
    assert row["case_manager"] == bob.id
    assert row["programme"] == programme.id


def test_it_gives_a_case_manager_the_case_whatever_the_form_says(client, alice, bob):
    login(client, alice.email)
    row = created(post_form(client, "/candidates", identity_form(case_manager=str(bob.id))))
    assert row["case_manager"] == alice.id


@pytest.mark.parametrize("who", ["charlie", "inactive", "employer", "nonsense"])
def test_it_refuses_a_case_manager_outside_the_organisation(
    client, agency, team_lead, charlie, who
):
    target = {
        "charlie": lambda: str(charlie.id),
        "inactive": lambda: str(make_user(agency, Role.case_manager, active=False).id),
        "employer": lambda: str(make_user(make_org(OrgKind.employer), Role.employer_admin).id),
        "nonsense": lambda: "not-a-uuid",
    }[who]()
    login(client, team_lead.email)
    response = post_form(client, "/candidates", identity_form(case_manager=target))
    assert response.status_code == 400
    assert "Bitte wählen Sie eine der Möglichkeiten aus." in response.text
    assert cases_of(agency) == []


def test_it_refuses_an_inactive_programme(client, agency, alice):
    old = make_programme("Altes Programm", active=False)
    login(client, alice.email)
    response = post_form(client, "/candidates", identity_form(programme=str(old.id)))
    assert response.status_code == 400
    assert "Altes Programm" not in response.text  # not offered either
    assert cases_of(agency) == []


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("given_names", "", "Bitte füllen Sie dieses Feld aus."),
        ("family_name", "", "Bitte füllen Sie dieses Feld aus."),
        ("date_of_birth", "", "Bitte füllen Sie dieses Feld aus."),
        ("date_of_birth", "17/05/1994", "Bitte geben Sie ein Datum im Format TT.MM.JJJJ ein."),
        ("date_of_birth", "31.02.1994", "Bitte geben Sie ein Datum im Format TT.MM.JJJJ ein."),
        ("date_of_birth", "future", "Das Geburtsdatum kann nicht in der Zukunft liegen."),
        ("date_of_birth", "age 14", "Die Person wäre 14 Jahre alt"),
        ("date_of_birth", "age 81", "Die Person wäre 81 Jahre alt"),
        ("email", "amina@", "Bitte geben Sie eine gültige E-Mail-Adresse ein"),
        ("postcode", "4109", "Bitte geben Sie eine fünfstellige Postleitzahl an"),
        ("phone", "call me", "Bitte geben Sie eine Telefonnummer aus Ziffern ein"),
        ("work_access", "maybe", "Bitte wählen Sie eine der Möglichkeiten aus."),
        ("work_permit_expires", "soon", "Bitte geben Sie ein Datum im Format TT.MM.JJJJ ein."),
        ("given_names", "A" * 101, "Bitte verwenden Sie höchstens 100 Zeichen."),
        ("notes", "x" * 2001, "Bitte verwenden Sie höchstens 2000 Zeichen."),
    ],
)
def test_it_refuses_a_wrong_field(client, agency, alice, field, value, message):
    value = {
        "future": (today() + dt.timedelta(days=1)).isoformat(),
        "age 14": years_ago(15, days=-1).isoformat(),
        "age 81": years_ago(81).isoformat(),
    }.get(value, value)
    login(client, alice.email)
    response = post_form(client, "/candidates", identity_form(**{field: value}))
    assert response.status_code == 400
    assert message in response.text
    assert 'id="error-summary"' in response.text
    assert f'id="error-{field}"' in response.text
    assert cases_of(agency) == []


@pytest.mark.parametrize("age", [15, 80])
def test_it_accepts_the_edges_of_the_plausible_age(client, alice, age):
    login(client, alice.email)
    born = years_ago(age) if age == 15 else years_ago(81, days=-1)
    response = post_form(client, "/candidates", identity_form(date_of_birth=born.isoformat()))
    assert "Der Fall wurde als Entwurf angelegt." in response.text


def test_it_answers_htmx_with_the_form_alone(client, agency, alice):
    login(client, alice.email)
    response = post_form(client, "/candidates", identity_form(family_name=""), headers=HTMX)
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<form id="identity-form"')
    assert "<html" not in response.text
    assert 'aria-invalid="true"' in response.text
    assert cases_of(agency) == []


def test_it_redirects_htmx_to_the_new_case(client, alice):
    login(client, alice.email)
    response = post_form(client, "/candidates", identity_form(), headers=HTMX)
    assert response.status_code == 200
    assert re.fullmatch(r"/candidates/[0-9a-f-]{36}", response.headers["HX-Redirect"])


def test_it_tries_another_code_when_one_is_taken(app, agency, alice):
    taken = make_candidate(agency, alice, code="K-2222-22")
    offered = iter(["K-2222-22", "K-2222-22", "K-3333-33"])
    from portal.auth import load_user

    user = run(load_user(str(alice.id), None))
    candidate_id, _hash = run(
        create_candidate(
            user,
            IdentityData(given_names="Yonas", family_name="Tesfaye", date_of_birth="2001-02-03"),
            programme=None,
            case_manager=alice.id,
            vault=vault(),
            hash_key=TEST_DUPLICATE_HASH_KEY,
            address="127.0.0.1",
            new_code=lambda: next(offered),
        )
    )
    assert candidate_row(candidate_id)["code"] == "K-3333-33"
    assert identity_of(candidate_id).given_names == "Yonas"
    # The attempts that failed left nothing behind.
    assert run(Candidate.count()) == 2
    assert run(CandidateIdentity.count()) == 2
    assert len(events(candidate_id)) == 1
    assert candidate_row(taken.id)["code"] == "K-2222-22"


@pytest.mark.parametrize(
    ("kind", "role"),
    [
        (OrgKind.operator, Role.operator_admin),
        (OrgKind.employer, Role.employer_admin),
        (OrgKind.chamber, Role.statistics_viewer),
    ],
)
def test_it_answers_403_to_other_roles(client, kind, role):
    login(client, make_user(make_org(kind), role).email)
    assert client.get("/candidates/new").status_code == 403
    assert post_form(client, "/candidates", identity_form()).status_code == 403
    assert run(Candidate.count()) == 0
