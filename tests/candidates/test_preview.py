"""The employer's view of a profile: the whole competence summary, nothing of the identity."""

import json
import uuid

import pytest

from portal.accounts.tables import Role
from portal.candidates import competences
from portal.candidates.profile import load_profile
from portal.candidates.tables import (
    Candidate,
    CandidateMunicipality,
    CandidateOccupation,
    Document,
    DocumentKind,
)
from tests.candidates.profiles import post_profile, profile_form
from tests.conftest import run
from tests.factories import (
    login,
    make_candidate,
    make_municipality,
    make_user,
    without_csrf_token,
)

IDENTITY = {
    "given_names": "Amina",
    "family_name": "Haddad",
    "date_of_birth": "1994-05-17",
    "phone": "0171 2345678",
    "email": "amina.haddad@example.org",
    "street": "Kasseler Straße 4a",
    "postcode": "04109",
    "city": "Leipzig-Grünau",
    "file_number": "AZ-4711-XY",
    "residence_status": "Aufenthaltserlaubnis §25",
    "work_access": "permit_per_job",
    "notes": "Vertraulicher Vermerk",
}


def make_document(candidate, *, shareable):
    document = Document(
        organisation=candidate.organisation,
        candidate=candidate.id,
        kind=DocumentKind.certificate,
        storage_key=uuid.uuid4().hex,
        filename="Zeugnis Amina Haddad.pdf",
        content_type="application/pdf",
        size=1234,
        checksum="0" * 64,
        shareable=shareable,
    )
    run(document.save())
    return document


@pytest.fixture
def profiled(client, agency, alice):
    """Alice's case with the full profile of the form tests, filled in through the form."""
    case = make_candidate(agency, alice, identity=IDENTITY)
    leipzig = make_municipality("Leipzig")
    login(client, alice.email)
    response = post_profile(client, case, {**profile_form(), f"municipality.{leipzig.id}": "yes"})
    assert response.status_code == 200
    return case


def preview(client, case):
    response = client.get(f"/candidates/{case.id}/preview")
    assert response.status_code == 200
    return response.text


def test_it_shows_the_whole_competence_summary(client, profiled):
    html = preview(client, profiled)
    assert "So sieht ein Arbeitgeber dieses Profil" in html
    assert profiled.code in html
    assert "B1 (Zertifikat), besucht derzeit einen Deutschkurs" in html
    assert "Arabisch: C2 (Selbsteinschätzung)" in html
    assert "Englisch: A2 (Einschätzung der Fallmanagerin oder des Fallmanagers)" in html
    assert "10 Jahre; höchster Abschluss: ISCED 2 – Sekundarstufe I" in html
    assert (
        "Berufserfahrung: 24422 – Berufe in der Schweiß- und Verbindungstechnik (Fachkraft)"
        " – 3 Jahre, im Ausland"
    ) in html
    assert (
        "Berufsausbildung: 24412 – Berufe im Metallbau (Fachkraft) – 2 Jahre, in Deutschland"
        in html
    )
    assert "<li>51311 – Berufe in der Lagerwirtschaft (Helfer)</li>" in html
    assert "MIG/MAG-Schweißen (beobachtet)" in html
    assert "PC-Grundkenntnisse (geprüft)" in html
    assert "Pünktlichkeit" in html and "Teamfähigkeit" in html
    assert "Anerkennung eines ausländischen Berufsabschlusses: teilweise anerkannt" in html
    assert "Schicht 06–14 Uhr möglich" in html
    assert "01.09.2026" in html
    assert "Leipzig" in html
    assert "B (Pkw), C1 (Lkw bis 7,5 t)" in html
    assert "Arbeitserlaubnis geklärt" in html
    assert "25–34" in html
    assert "© Statistik der Bundesagentur für Arbeit" in html


def test_it_groups_the_skills_by_field(client, profiled):
    html = preview(client, profiled)
    metal = html.index(">Metall</dt>")
    general = html.index(">Allgemein</dt>")
    assert metal < html.index("MIG/MAG-Schweißen") < general < html.index("PC-Grundkenntnisse")


def test_it_shows_nothing_of_the_identity(client, profiled):
    html = without_csrf_token(client, preview(client, profiled))
    for secret in [
        "Amina",
        "Haddad",
        "1994",
        "0171",
        "example.org",
        "Kasseler",
        "04109",
        "Grünau",
        "AZ-4711-XY",
        "Aufenthaltserlaubnis",
        "permit_per_job",
        "Vertraulicher Vermerk",
        "Zeugnis",
    ]:
        assert secret not in html, secret


def test_it_leaves_out_the_age_band_unless_set(client, profiled):
    assert "Altersgruppe" in preview(client, profiled)
    run(Candidate.update({Candidate.age_band: ""}).where(Candidate.id == profiled.id))
    assert "Altersgruppe" not in preview(client, profiled)


def test_it_says_whether_redacted_documents_exist(client, profiled):
    make_document(profiled, shareable=False)
    assert (
        'Geschwärzte Dokumente vorhanden</dt>\n  <dd class="kern-description-list-item__value">nein'
        in preview(client, profiled)
    )
    make_document(profiled, shareable=True)
    assert (
        'Geschwärzte Dokumente vorhanden</dt>\n  <dd class="kern-description-list-item__value">ja'
        in preview(client, profiled)
    )


def test_it_shows_an_empty_profile(client, alice, candidate):
    login(client, alice.email)
    html = preview(client, candidate)
    assert "noch kein Niveau" in html
    assert "24412 – Berufe im Metallbau (Fachkraft)" in html
    assert "Arbeitserlaubnis wird geklärt" in html


def test_it_skips_a_code_no_longer_in_the_catalogues(client, alice, agency):
    case = make_candidate(
        agency,
        alice,
        skills='[{"skill": "metal.laser", "evidence": "observed"}, '
        '{"skill": "metal.tig", "evidence": "certified"}]',
        courses='[{"course": "gone", "status": "completed"}]',
        work_habits='["gone", "reliability"]',
        languages='[{"language": "xx", "level": "B1", "evidence": "test"}]',
    )
    login(client, alice.email)
    html = preview(client, case)
    assert "WIG-Schweißen (zertifiziert)" in html
    assert "Zuverlässigkeit" in html
    assert "metal.laser" not in html and "gone" not in html and "xx" not in html


def test_it_speaks_english_to_an_english_user(client, agency, profiled):
    reader = make_user(agency, Role.team_lead, language="en")
    client.cookies.clear()
    login(client, reader.email)
    html = preview(client, profiled)
    assert "This is what an employer sees" in html
    assert "MIG/MAG welding (observed)" in html
    assert "Arabic: C2 (self-assessment)" in html


def fill(case, count):
    """`count` occupations of each kind, skills, habits, courses, languages and municipalities."""
    codes = ["24422", "24412", "51311", "24202", "24201", "24232", "24203", "24212"][:count]
    skills = list(competences.SKILLS)[:count]
    run(
        Candidate.update(
            {
                Candidate.skills: json.dumps(
                    [{"skill": s, "evidence": "observed"} for s in skills]
                ),
                Candidate.work_habits: json.dumps(list(competences.WORK_HABITS)[:count]),
                Candidate.courses: json.dumps(
                    [
                        {"course": code, "status": course.statuses[0]}
                        for code, course in list(competences.COURSES.items())[:count]
                    ]
                ),
                Candidate.languages: json.dumps(
                    [
                        {"language": code, "level": "B1", "evidence": "test"}
                        for code in ["ar", "fa", "en", "fr", "ru", "tr", "uk", "ps"][:count]
                    ]
                ),
            }
        ).where(Candidate.id == case.id)
    )
    for kind in ["desired", "training", "experience"]:
        for code in codes:
            run(
                CandidateOccupation.insert(
                    CandidateOccupation(
                        candidate=case.id,
                        kind=kind,
                        occupation=code,
                        occupation_area=code[:1],
                        occupation_main_group=code[:2],
                        occupation_group=code[:3],
                        years=2,
                        abroad=True,
                    )
                )
            )
    for number in range(count):
        place = make_municipality(f"Ort {case.code} {number}")
        run(
            CandidateMunicipality.insert(
                CandidateMunicipality(candidate=case.id, municipality=place.id)
            )
        )
        make_document(case, shareable=True)


def test_it_loads_the_profile_in_a_constant_number_of_queries(client, queries, agency, alice):
    small, large = make_candidate(agency, alice), make_candidate(agency, alice)
    fill(small, 1)
    fill(large, 8)
    login(client, alice.email)
    counts = []
    for case, items in ((small, 1), (large, 8)):
        queries.clear()
        html = preview(client, case)
        counts.append(len(queries))
        assert html.count("(beobachtet)</li>") == items
        assert html.count("Berufserfahrung: ") == items
    assert counts[0] == counts[1], counts


@pytest.mark.parametrize("items", [1, 8])
def test_it_reads_a_profile_in_five_queries(app, queries, agency, alice, items):
    """The candidate and programme, its occupations, municipalities, documents, evaluations."""
    case = make_candidate(agency, alice)
    fill(case, items)
    queries.clear()
    profile = run(load_profile(case.id))
    assert len(queries) == 5
    assert len(profile["desired"]) == len(profile["municipalities"]) == items
