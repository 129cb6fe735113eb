"""The PII guard on the profile's summary: each forbidden pattern is refused, with its message
and nothing saved; ordinary competence text is accepted."""

import pytest

from portal.candidates.pii import find_personal_data
from tests.candidates.profiles import audit_rows, candidate_row, post_profile, profile_form
from tests.factories import login, make_candidate

MESSAGES = {
    "name": "Bitte entfernen Sie den Namen: Arbeitgeber dürfen nicht erfahren, um wen es sich",
    "email": "Bitte entfernen Sie die E-Mail-Adresse: Der Kontakt läuft über das Portal.",
    "phone": "Bitte entfernen Sie die Telefonnummer: Der Kontakt läuft über das Portal.",
    "date": "Bitte entfernen Sie das Datum: Es könnte das Geburtsdatum verraten.",
    "address": "Bitte entfernen Sie die Adresse: Arbeitgeber sehen nur die Orte",
    "country": "Bitte entfernen Sie das Land: Arbeitgeber erfahren nur, ob",
    "age": "Bitte entfernen Sie das Alter: Arbeitgeber sehen höchstens eine Altersgruppe",
}

FORBIDDEN = [
    # the name, given and family, whatever the case and accents
    ("name", "Amina arbeitet sehr sorgfältig."),
    ("name", "Frau HADDAD war im Praktikum pünktlich."),
    ("name", "Ámína kann MAG schweißen."),
    ("name", "Empfehlung: haddad einstellen."),
    ("name", "Herr Haddad-Khalil hat 3 Jahre Erfahrung."),
    # e-mail addresses
    ("email", "Erreichbar unter a.h@example.org"),
    ("email", "Mail: a.h (at) gmx . de"),
    ("email", "kontakt[at]web.de"),
    # phone numbers
    ("phone", "Tel. 0171 2345678."),
    ("phone", "+49 171 2345678"),
    ("phone", "0049 (0)171-234 56 78"),
    ("phone", "(0561) 12 34 56"),
    ("phone", "0561/123456"),
    ("phone", "0176-12345678"),
    ("phone", "Mobil: 0152 / 123 45 67, abends"),
    ("phone", "Nummer 01712345678"),
    # dates
    ("date", "Geboren am 12.03.1990."),
    ("date", "Geburtstag 12.3.90"),
    ("date", "1990-03-12"),
    ("date", "03/12/1990"),
    ("date", "Geboren am 12. März 1990 in einer Großstadt."),
    ("date", "Geburtstag am 12. März"),
    ("date", "Geburtstag 12.03."),
    ("date", "born March 12, 1990"),
    ("date", "Jahrgang 1994"),
    ("date", "Ab 1. August verfügbar."),
    # addresses
    ("address", "Wohnt Hauptstraße 12."),
    ("address", "Kasseler Str. 4a"),
    ("address", "Am Markt 3"),
    ("address", "Birkenweg 7a, Erdgeschoss"),
    ("address", "Karl-Marx-Straße 5"),
    ("address", "An der Kirche 2, 04109 Leipzig"),
    ("address", "D-04109 Leipzig"),
    # the nationality, through a country's name
    ("country", "Hat 3 Jahre in Syrien als Schweißer gearbeitet."),
    ("country", "Ausbildung in der Türkei abgeschlossen."),
    ("country", "Worked in Iraq for two years."),
    # the exact age
    ("age", "Ist 29 Jahre alt und belastbar."),
    ("age", "Die 29-jährige Teilnehmerin"),
    ("age", "Alter: 31"),
]

ACCEPTED = [
    "Seit 2019 in Deutschland, Deutsch B1 (Zertifikat 2023).",
    "Hat 3 Jahre als Schweißer gearbeitet (MAG, Baustahl bis 10 mm).",
    "Im Praktikum 2024 pünktlich und sorgfältig; Schicht 06–14 Uhr möglich.",
    "Schicht 06 - 14 Uhr oder 6-14 Uhr möglich.",
    "Arbeitsweg 20 Minuten mit dem Bus.",
    "Arbeitsweg 12 km, Fahrrad vorhanden.",
    "Wunschberuf 24422, Erfahrung im Metallbau (24412).",
    "Integrationskurs 2021/2022 abgeschlossen, Berufssprachkurs B2 läuft bis Juni.",
    "Praktikum 01/2020–06/2021 im Ausland, 2 Jahre Lagererfahrung.",
    "Kann 25 kg heben, Gabelstapler bis 2,5 t, Hubhöhe 6 m.",
    "Arbeitszeit 7:00 bis 15:30 Uhr möglich, auch Sa 8-12 Uhr.",
    "Erfahrung mit CNC-Drehmaschinen, 1,5 Jahre; Toleranz 0,1 mm.",
    "Prüfung nach DIN EN ISO 9606-1 geplant, Blechdicke 3-8 mm.",
    "Hat 12 Monate in einer Großküche gearbeitet, HACCP bekannt.",
    "Deutsch A2, lernt schnell; spricht Türkisch, Arabisch und Englisch.",
    "Im Mai 2024 vier Wochen Praktikum, Platz 3 im Lehrgangstest.",
    "Arbeitet 35 Std./Woche, Teilzeit 20–25 Stunden auch möglich.",
    "Vom Markt 3 Minuten zur Haltestelle.",
    "Auf der Baustelle 2 Kollegen angeleitet, am Band 2 Jahre gearbeitet.",
    "Arbeitsplatz 2 und Lagerplatz 4 betreut, Halle 3, Tor 5.",
    "Windows 10/11, Office 365, Stundenlohn 12,82 € bekannt.",
    "Erfahrung in Deutschland: Zeitarbeit 2019-2021, 3 Einsätze.",
    "Fahrzeit 25 Min., Arbeitsbeginn 6:30 Uhr möglich.",
    "Praktikum Anfang Mai möglich, 100 % zuverlässig.",
]


@pytest.fixture
def logged_in(client, alice):
    login(client, alice.email)
    return client


@pytest.mark.parametrize(("kind", "text"), FORBIDDEN)
def test_it_refuses_personal_data_in_the_summary(logged_in, candidate, kind, text):
    before = candidate_row(candidate)
    response = post_profile(logged_in, candidate, profile_form(summary_text=text))
    assert response.status_code == 400
    assert 'id="error-summary_text"' in response.text
    assert MESSAGES[kind] in response.text
    assert candidate_row(candidate) == before
    assert audit_rows(candidate) == []


@pytest.mark.parametrize("text", ACCEPTED)
def test_it_accepts_ordinary_competence_text(logged_in, candidate, text):
    response = post_profile(logged_in, candidate, profile_form(summary_text=text))
    assert response.status_code == 200, response.text
    assert candidate_row(candidate)["summary"] == text


def test_it_checks_the_names_of_the_candidate_it_saves(client, agency, alice):
    case = make_candidate(agency, alice, identity={"given_names": "Zoë", "family_name": "Müller"})
    login(client, alice.email)
    for text in ["Zoe ist pünktlich.", "Frau Mueller ist pünktlich.", "MULLER"]:
        response = post_profile(client, case, profile_form(summary_text=text))
        assert response.status_code == 400
        assert MESSAGES["name"] in response.text
    accepted = post_profile(client, case, profile_form(summary_text="Amina ist ein schöner Name."))
    assert accepted.status_code == 200


def test_it_refuses_a_name_only_as_a_whole_word():
    assert find_personal_data("Qualität und Alinas Ideen", names=["Ali"]) == []
    assert find_personal_data("Ali ist pünktlich", names=["Ali"]) == ["name"]


def test_it_finds_every_kind():
    text = "Amina, Tel. 0171 2345678, geboren 12.03.1990"
    assert find_personal_data(text, names=["Amina"]) == ["name", "date", "phone"]
