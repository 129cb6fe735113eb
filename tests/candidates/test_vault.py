"""The identity vault: the database holds ciphertext that opens only where it was sealed."""

import datetime as dt

import pytest

from portal.candidates.tables import CandidateIdentity
from portal.candidates.vault import SEALED_FIELDS, Vault, VaultError, key_id
from portal.clock import today
from portal.settings import new_identity_key
from tests.conftest import TEST_IDENTITY_KEY, run
from tests.factories import make_candidate, vault

# The expiry dates lie months ahead: a date in clear text must not be found in the row by
# chance, as today's date is in its timestamps (with "2026-12-31" it failed on that day).
IDENTITY = {
    "given_names": "Amina",
    "family_name": "Haddad",
    "date_of_birth": "1994-05-17",
    "phone": "0151 2345678",
    "email": "amina.haddad@example.org",
    "street": "Lindenweg 4",
    "postcode": "12345",
    "city": "Musterstadt",
    "file_number": "AZ-4711",
    "residence_status": "Aufenthaltserlaubnis § 25 Abs. 2",
    "work_access": "permit_per_job",
    "residence_document_expires": (today() + dt.timedelta(days=400)).isoformat(),
    "work_permit_expires": (today() + dt.timedelta(days=200)).isoformat(),
    "notes": "Ruft am liebsten vormittags an.",
}


def raw_identity(candidate_id):
    """The identity row as the database holds it, read with plain SQL."""
    rows = run(
        CandidateIdentity.raw("SELECT * FROM candidate_identity WHERE candidate = {}", candidate_id)
    )
    assert len(rows) == 1
    return rows[0]


def sealed(candidate_id):
    return run(
        CandidateIdentity.select().where(CandidateIdentity.candidate == candidate_id).first()
    )


def test_it_keeps_only_ciphertext_in_the_database(app, agency, alice):
    candidate = make_candidate(agency, alice, identity=IDENTITY)
    row = raw_identity(candidate.id)
    stored = " ".join(str(value) for value in row.values())
    for clear in IDENTITY.values():
        assert clear not in stored
    for name in SEALED_FIELDS:
        assert row[name].startswith(f"v1.{key_id(TEST_IDENTITY_KEY)}.")


def test_it_opens_what_it_sealed(app, agency, alice):
    candidate = make_candidate(agency, alice, identity=IDENTITY)
    row = sealed(candidate.id)
    opened = vault().open_identity(row, record_id=row["id"])
    assert opened.full_name == "Amina Haddad"
    assert opened.email == "amina.haddad@example.org"
    assert opened.notes == "Ruft am liebsten vormittags an."


def test_it_refuses_a_changed_byte(app, agency, alice):
    candidate = make_candidate(agency, alice, identity=IDENTITY)
    row = sealed(candidate.id)
    token = row["family_name"]
    position = len(token) - 5
    changed = token[:position] + ("A" if token[position] != "A" else "B") + token[position + 1 :]
    with pytest.raises(VaultError):
        vault().open(changed, record_id=row["id"], field="family_name")


def test_it_refuses_a_value_moved_to_another_row(app, agency, alice):
    first = sealed(make_candidate(agency, alice, identity=IDENTITY).id)
    second = sealed(make_candidate(agency, alice, identity={"family_name": "Müller"}).id)
    run(
        CandidateIdentity.update({CandidateIdentity.family_name: first["family_name"]}).where(
            CandidateIdentity.id == second["id"]
        )
    )
    moved = run(CandidateIdentity.select().where(CandidateIdentity.id == second["id"]).first())
    with pytest.raises(VaultError):
        vault().open_identity(moved, record_id=moved["id"])


def test_it_refuses_a_value_moved_to_another_column(app, agency, alice):
    row = sealed(make_candidate(agency, alice, identity=IDENTITY).id)
    with pytest.raises(VaultError):
        vault().open(row["family_name"], record_id=row["id"], field="given_names")


def test_it_refuses_a_value_sealed_under_an_unknown_key(app, agency, alice):
    row = sealed(make_candidate(agency, alice, identity=IDENTITY).id)
    with pytest.raises(VaultError):
        Vault([new_identity_key()]).open(row["email"], record_id=row["id"], field="email")


def test_it_refuses_a_value_that_was_never_sealed(app, agency, alice):
    row = sealed(make_candidate(agency, alice).id)
    with pytest.raises(VaultError):
        vault().open("Haddad", record_id=row["id"], field="family_name")


def test_it_opens_old_values_with_an_old_key_and_seals_under_the_current_one(app, agency, alice):
    row = sealed(make_candidate(agency, alice, identity=IDENTITY).id)
    new_key = new_identity_key()
    both = Vault([new_key, TEST_IDENTITY_KEY])
    assert not both.is_current(row["city"])
    assert both.open(row["city"], record_id=row["id"], field="city") == "Musterstadt"
    resealed = both.seal("Musterstadt", record_id=row["id"], field="city")
    assert both.is_current(resealed)
    assert resealed.startswith(f"v1.{key_id(new_key)}.")
