"""The identity columns hold ciphertext: a raw read of the row finds no personal datum."""

from portal.candidates.tables import Candidate, CandidateIdentity
from portal.candidates.vault import SEALED_FIELDS
from tests.candidates.caseload import identity_form
from tests.conftest import run
from tests.factories import login, post_form


def raw_rows():
    table = CandidateIdentity._meta.tablename
    return run(CandidateIdentity.raw(f"SELECT * FROM {table}"))  # noqa: S608


def test_the_stored_identity_is_ciphertext(client, alice):
    login(client, alice.email)
    post_form(client, "/candidates", identity_form())
    [row] = raw_rows()
    everything = " ".join(str(value) for value in row.values())
    assert "Amina" not in everything and "Haddad" not in everything
    # Digits only in the sealed columns (ids and the hex hash may hold any digits).
    sealed = " ".join(row[name] for name in SEALED_FIELDS)
    for clear in ("1994", "17.05", "amina.haddad", "Leipzig", "04109", "0341", "JC-2026"):
        assert clear not in sealed
    for name in SEALED_FIELDS:
        assert row[name].startswith("v1."), name
    assert len(row["dup_hash"]) == 64


def test_an_edit_stores_ciphertext_too(client, alice, candidate):
    login(client, alice.email)
    post_form(
        client,
        f"/candidates/{candidate.id}/identity/edit",
        identity_form(family_name="Mansour", notes="spricht Arabisch"),
    )
    [row] = raw_rows()
    sealed = " ".join(row[name] for name in SEALED_FIELDS)
    assert "Mansour" not in sealed and "Arabisch" not in sealed and "1994" not in sealed
    assert all(row[name].startswith("v1.") for name in SEALED_FIELDS)


def test_the_pseudonymised_profile_holds_no_identity(client, alice):
    login(client, alice.email)
    post_form(client, "/candidates", identity_form())
    [row] = run(Candidate.raw(f"SELECT * FROM {Candidate._meta.tablename}"))  # noqa: S608
    text = " ".join(str(value) for value in row.values())
    assert "Amina" not in text and "Haddad" not in text
