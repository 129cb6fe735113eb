"""Editing the competence profile: every part stored in one go, the form shows it again."""

import datetime as dt
import json

from portal.candidates.tables import Candidate
from portal.clock import now
from tests.candidates.profiles import (
    SUMMARY,
    audit_rows,
    candidate_row,
    checked,
    municipalities,
    municipality_ids,
    occupation_rows,
    post_profile,
    profile_form,
    selected,
)
from tests.conftest import run
from tests.factories import login, make_municipality


def full_form(*places):
    data = profile_form()
    for place in places:
        data[f"municipality.{place.id}"] = "yes"
    return data


def test_it_stores_every_part_of_the_profile(client, alice, candidate):
    leipzig, markkleeberg = municipalities("Leipzig", "Markkleeberg")
    login(client, alice.email)
    response = post_profile(client, candidate, full_form(leipzig, markkleeberg))
    assert response.status_code == 200
    assert "Das Kompetenzprofil wurde gespeichert." in response.text
    row = candidate_row(candidate)
    assert (row["german_level"], row["german_evidence"], row["german_in_course"]) == (
        "B1",
        "certificate",
        True,
    )
    assert row["languages"] == [
        {"language": "ar", "level": "C2", "evidence": "self_assessment"},
        {"language": "en", "level": "A2", "evidence": "estimate"},
    ]
    assert (row["schooling_years"], row["schooling_level"]) == (10, "2")
    assert row["skills"] == [
        {"skill": "metal.drawings", "evidence": "self_reported"},
        {"skill": "metal.mig_mag", "evidence": "observed"},
        {"skill": "general.pc_basics", "evidence": "tested"},
    ]
    assert row["work_habits"] == ["punctuality", "teamwork"]
    assert row["courses"] == [
        {"course": "integration_course", "status": "completed"},
        {"course": "recognition", "status": "partially_granted"},
    ]
    assert row["summary"] == SUMMARY
    assert row["earliest_start"] == dt.date(2026, 9, 1)
    assert (row["hours_per_week"], row["shift_work"]) == (35, True)
    assert row["driving_licences"] == ["B", "C1"]
    assert (row["permit_status"], row["age_band"]) == ("cleared", "25-34")
    assert row["updated_at"] > row["created_at"]
    assert municipality_ids(candidate) == sorted([leipzig.id, markkleeberg.id])


def test_it_replaces_the_occupations_with_their_code_prefixes(client, alice, candidate):
    login(client, alice.email)
    post_profile(client, candidate, profile_form())
    assert occupation_rows(candidate) == [
        {
            "kind": "experience",
            "occupation": "24422",
            "occupation_area": "2",
            "occupation_main_group": "24",
            "occupation_group": "244",
            "years": 3,
            "abroad": True,
        },
        {
            "kind": "training",
            "occupation": "24412",
            "occupation_area": "2",
            "occupation_main_group": "24",
            "occupation_group": "244",
            "years": 2,
            "abroad": False,
        },
        {
            "kind": "desired",
            "occupation": "24422",
            "occupation_area": "2",
            "occupation_main_group": "24",
            "occupation_group": "244",
            "years": None,
            "abroad": None,
        },
        {
            "kind": "desired",
            "occupation": "51311",
            "occupation_area": "5",
            "occupation_main_group": "51",
            "occupation_group": "513",
            "years": None,
            "abroad": None,
        },
    ]


def test_it_empties_what_is_left_out(client, alice, candidate):
    place = make_municipality("Leipzig")
    login(client, alice.email)
    post_profile(client, candidate, full_form(place))
    response = post_profile(client, candidate, {"permit_status": "being_cleared"})
    assert response.status_code == 200
    row = candidate_row(candidate)
    assert row["german_level"] is None
    assert row["languages"] == row["skills"] == row["courses"] == row["work_habits"] == []
    assert row["driving_licences"] == []
    assert row["summary"] == ""
    assert row["earliest_start"] is None
    assert row["age_band"] == ""
    assert occupation_rows(candidate) == []
    assert municipality_ids(candidate) == []


def test_it_writes_the_changed_fields_to_the_audit_log(client, alice, candidate):
    login(client, alice.email)
    post_profile(client, candidate, profile_form())
    [event] = audit_rows(candidate)
    detail = event["detail"] if isinstance(event["detail"], dict) else json.loads(event["detail"])
    assert event["record_type"] == "candidate"
    assert event["actor_id"] == alice.id
    assert "summary" in detail["fields"]
    assert "occupations" in detail["fields"]
    assert "Schweißer" not in json.dumps(detail)


def test_it_shows_the_stored_profile_in_the_form(client, alice, candidate):
    place = make_municipality("Leipzig")
    login(client, alice.email)
    post_profile(client, candidate, full_form(place))
    response = client.get(f"/candidates/{candidate.id}/profile")
    assert response.status_code == 200
    html = response.text
    assert selected(html, "german_level") == "B1"
    assert selected(html, "language_1") == "ar"
    assert selected(html, "language_2_evidence") == "estimate"
    assert 'value="24422 – Berufe in der Schweiß- und Verbindungstechnik (Fachkraft)"' in html
    assert selected(html, "background_1_where") == "abroad"
    assert checked(html, "skill.metal.mig_mag")
    assert selected(html, "skill.metal.mig_mag.evidence") == "observed"
    assert not checked(html, "skill.metal.tig")
    assert selected(html, "course.recognition.status") == "partially_granted"
    assert checked(html, f"municipality.{place.id}")
    assert checked(html, "licence.C1") and not checked(html, "licence.CE")
    assert 'id="field-permit_status" value="cleared" checked' in html
    assert selected(html, "age_band") == "25-34"
    assert "Schicht 06–14 Uhr möglich" in html


def test_it_gives_every_picker_row_its_own_ids(client, alice, candidate):
    login(client, alice.email)
    html = client.get(f"/candidates/{candidate.id}/profile").text
    for name in ["background_1", "background_4", "desired_1", "desired_3"]:
        assert html.count(f'id="field-{name}"') == 1
        assert html.count(f'id="{name}-listbox"') == 1
    assert "© Statistik der Bundesagentur für Arbeit" in html


def test_it_answers_htmx_with_a_client_redirect(client, alice, candidate):
    login(client, alice.email)
    response = post_profile(client, candidate, profile_form(), headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert response.headers["HX-Redirect"] == f"/candidates/{candidate.id}"
    assert candidate_row(candidate)["german_level"] == "B1"


def test_it_answers_htmx_with_the_form_block_for_a_problem(client, alice, candidate):
    login(client, alice.email)
    response = post_profile(
        client, candidate, profile_form(hours_per_week="99"), headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<form id="profile-form"')
    assert 'id="error-hours_per_week"' in response.text
    assert candidate_row(candidate)["german_level"] is None


def test_it_refuses_the_form_of_an_erased_candidate(client, alice, candidate):
    run(Candidate.update({Candidate.erased_at: now()}).where(Candidate.id == candidate.id))
    login(client, alice.email)
    page = client.get(f"/candidates/{candidate.id}/profile")
    assert page.status_code == 200
    assert "Die personenbezogenen Daten dieser Person wurden gelöscht" in page.text
    assert 'id="field-summary"' not in page.text
    response = post_profile(client, candidate, profile_form())
    assert response.status_code == 409
    assert candidate_row(candidate)["german_level"] is None
    assert audit_rows(candidate) == []


def test_it_accepts_a_date_typed_by_hand(client, alice, candidate):
    login(client, alice.email)
    post_profile(client, candidate, profile_form(earliest_start="01.09.2026"))
    assert candidate_row(candidate)["earliest_start"] == dt.date(2026, 9, 1)


def test_it_lets_the_team_lead_edit(client, team_lead, candidate):
    login(client, team_lead.email)
    assert post_profile(client, candidate, profile_form()).status_code == 200
    assert candidate_row(candidate)["german_level"] == "B1"
