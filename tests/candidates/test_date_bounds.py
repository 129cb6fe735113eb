"""Dates on the candidate forms within sensible windows; year 1 never printed as "01.01.1"."""

import datetime as dt

from portal import i18n
from portal.candidates.tables import Candidate
from portal.clock import today
from tests.candidates.caseload import identity_form
from tests.candidates.consents import consents_of, record
from tests.conftest import run
from tests.factories import login, post_form


def test_it_refuses_a_consent_given_before_2000(client, alice, candidate):
    login(client, alice.email)
    response = record(client, candidate, given_on="1999-12-31")
    assert response.status_code == 400
    assert "Bitte geben Sie ein Datum vom 01.01.2000" in response.text
    assert consents_of(candidate) == []


def test_it_refuses_a_birth_date_before_1900(client, alice, agency):
    login(client, alice.email)
    response = post_form(client, "/candidates", identity_form(date_of_birth="31.12.1899"))
    assert response.status_code == 400
    assert run(Candidate.count().where(Candidate.organisation == agency.id)) == 0


def test_it_refuses_a_residence_document_valid_for_a_century(client, alice, agency):
    login(client, alice.email)
    far = (today() + dt.timedelta(days=100 * 365)).isoformat()
    form = identity_form(residence_document_expires=far)
    response = post_form(client, "/candidates", form)
    assert response.status_code == 400
    assert run(Candidate.count().where(Candidate.organisation == agency.id)) == 0


def test_it_prints_year_one_with_four_digits():
    i18n.set_language("de")
    assert i18n.format_date(dt.date(1, 1, 1)) == "01.01.0001"
