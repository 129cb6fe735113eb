"""The demo's candidates: twelve fictional people in every status, created once, identities
sealed with the vault of the settings."""

import hashlib
import json

import pytest

from portal.candidates import competences
from portal.candidates.demo import DEMO_CANDIDATES, seed_candidates
from portal.candidates.pii import find_personal_data
from portal.candidates.tables import (
    Candidate,
    CandidateIdentity,
    CandidateMunicipality,
    CandidateOccupation,
    Consent,
    Document,
)
from portal.candidates.uploads import sniff
from portal.candidates.vault import Vault, duplicate_hash
from portal.demo import DEMO_PASSWORD, MUNICIPALITIES, SLOTS, seed
from tests.conftest import run
from tests.factories import login


@pytest.fixture
def demo(app, settings):
    run(seed())
    assert run(seed_candidates(settings)) == len(DEMO_CANDIDATES)


def candidates():
    return run(
        Candidate.select(
            Candidate.code,
            Candidate.status,
            Candidate.erased_at,
            Candidate.organisation.name,
            Candidate.case_manager.email,
        ).order_by(Candidate.code)
    )


def counts():
    return [
        run(table.count())
        for table in (
            Candidate,
            CandidateIdentity,
            CandidateOccupation,
            CandidateMunicipality,
            Consent,
            Document,
        )
    ]


def identities():
    return run(
        CandidateIdentity.select(*CandidateIdentity.all_columns(), CandidateIdentity.candidate.code)
    )


def test_it_creates_the_demo_candidates_once(demo, settings):
    first, first_counts = candidates(), counts()
    assert run(seed_candidates(settings)) == len(DEMO_CANDIDATES)
    assert candidates() == first
    assert counts() == first_counts
    assert len(first) == len(DEMO_CANDIDATES) == 12


def test_every_status_is_present_and_one_case_is_erased(demo):
    rows = candidates()
    assert {row["status"] for row in rows} == {"draft", "active", "placed", "paused", "closed"}
    erased = [row["code"] for row in rows if row["erased_at"] is not None]
    assert len(erased) == 1
    assert erased[0] not in {row["candidate.code"] for row in identities()}


def test_the_cases_belong_to_the_demo_case_workers(demo):
    rows = candidates()
    assert {row["organisation.name"] for row in rows} == {
        "Jobcenter Musterland",
        "Integrationszentrum Musterstadt e. V.",
    }
    managers = [row["case_manager.email"] for row in rows]
    assert managers.count("teamleitung@demo.portal.test") == 1
    assert managers.count("fallmanager@demo.portal.test") >= 4
    assert managers.count("beratung@demo.portal.test") >= 3


def test_the_identities_open_with_the_vault_of_the_settings(demo, settings):
    vault = Vault(settings.identity_keys)
    rows = identities()
    assert len(rows) == len(DEMO_CANDIDATES) - 1
    for row in rows:
        person = vault.open_identity(row, record_id=row["id"])
        assert person.full_name
        assert row["dup_hash"] == duplicate_hash(
            settings.duplicate_hash_key, person.full_name, person.date_of_birth
        )
        assert row["dup_hash"]
        assert person.family_name not in row["family_name"]


def test_the_profiles_use_the_catalogues_and_the_demo_reference_data(demo):
    slot_codes = {slot["occupation"] for slot in SLOTS} | {"29301", "29302"}  # and the inn's
    for row in run(Candidate.select()):
        for skill in json.loads(row["skills"]):
            assert skill["skill"] in competences.SKILLS
            assert skill["evidence"] in competences.SKILL_EVIDENCE_LABELS
        for habit in json.loads(row["work_habits"]):
            assert habit in competences.WORK_HABITS
        for course in json.loads(row["courses"]):
            assert course["status"] in competences.COURSES[course["course"]].statuses
        for language in json.loads(row["languages"]):
            assert language["evidence"] in competences.EVIDENCE_LABELS
        assert row["age_band"] in ("", *competences.AGE_BANDS)
        for licence in json.loads(row["driving_licences"]):
            assert licence in competences.DRIVING_LICENCES
    occupations = run(
        CandidateOccupation.select(CandidateOccupation.occupation).output(as_list=True)
    )
    assert set(occupations) <= slot_codes
    places = run(
        CandidateMunicipality.select(CandidateMunicipality.municipality.name).output(as_list=True)
    )
    assert set(places) <= {name for name, _ags in MUNICIPALITIES}


def test_the_summaries_pass_the_pii_guard(demo):
    for spec in DEMO_CANDIDATES:
        names = (
            [spec["identity"]["given_names"], spec["identity"]["family_name"]]
            if spec["identity"]
            else []
        )
        assert find_personal_data(spec["profile"].get("summary", ""), names=names) == [], spec[
            "code"
        ]


def test_a_withdrawn_consent_paused_the_profile(demo):
    rows = run(
        Consent.select(
            Consent.ended_reason, Consent.candidate.status, Consent.candidate.retention_from
        ).where(Consent.ended_at.is_not_null())
    )
    assert [(row["ended_reason"], row["candidate.status"]) for row in rows] == [
        ("withdrawn", "paused")
    ]
    assert rows[0]["candidate.retention_from"] is not None
    active = run(Consent.count().where(Consent.ended_at.is_null()))
    assert active >= 8


def test_the_demo_document_is_a_pdf_in_the_storage(demo, app):
    (document,) = run(Document.select())
    data = run(app.state["storage"].get(document["storage_key"]))
    assert sniff(data) == "application/pdf"
    assert data.rstrip().endswith(b"%%EOF")
    xref = int(data.rsplit(b"startxref", 1)[1].split()[0])
    assert data[xref:].startswith(b"xref")  # the cross-reference table is where it says
    assert len(data) == document["size"]
    assert hashlib.sha256(data).hexdigest() == document["checksum"]


def test_the_demo_case_manager_sees_the_data_protection_tab(demo, client):
    login(client, "fallmanager@demo.portal.test", DEMO_PASSWORD)
    (candidate_id,) = run(
        Candidate.select(Candidate.id).where(Candidate.code == "K-DEMB-24").output(as_list=True)
    )
    assert client.get(f"/candidates/{candidate_id}/privacy").status_code == 200
    export = client.get(f"/candidates/{candidate_id}/export")
    assert export.status_code == 200
    assert "Kompetenzpass_Lager.pdf" in export.text
    assert "Handscanner" in export.text
