"""`portal identity-key new` and `portal identity-key rotate`: a new key keeps every identity
readable."""

import pytest

from portal.candidates.key_rotation import rotate_identities
from portal.candidates.tables import CandidateIdentity
from portal.candidates.vault import SEALED_FIELDS, IdentityData, Vault, key_id
from portal.settings import is_identity_key, new_identity_key
from tests.candidates.privacy import portal
from tests.conftest import TEST_IDENTITY_KEY, run
from tests.factories import make_candidate

pytestmark = pytest.mark.slow

OLD_KEY = TEST_IDENTITY_KEY  # what make_candidate seals with
NEW_KEY = new_identity_key()


def identities():
    return run(CandidateIdentity.select().order_by(CandidateIdentity.id))


def opened_with(key):
    vault = Vault([key])
    return [vault.open_identity(row, record_id=row["id"]) for row in identities()]


def test_it_prints_a_new_key(settings, tmp_path):
    first = portal(settings, tmp_path, "identity-key", "new")
    second = portal(settings, tmp_path, "identity-key", "new")
    assert first.returncode == 0, first.stderr
    assert is_identity_key(first.stdout.strip())
    assert first.stdout != second.stdout


def test_the_rotation_keeps_every_identity_readable_with_the_new_key_alone(
    app, agency, alice, settings, tmp_path
):
    make_candidate(agency, alice)
    make_candidate(agency, alice, identity={"given_names": "Jonas", "family_name": "Weber"})
    make_candidate(agency, None, identity={"given_names": "", "date_of_birth": ""})
    before = opened_with(OLD_KEY)

    result = portal(
        settings,
        tmp_path,
        "identity-key",
        "rotate",
        IDENTITY_KEY=NEW_KEY,
        IDENTITY_OLD_KEYS=OLD_KEY,
    )

    assert result.returncode == 0, result.stderr
    assert "re-sealed 3 identities, 0 already current" in result.stdout
    assert opened_with(NEW_KEY) == before
    for row in identities():
        for name in SEALED_FIELDS:
            assert row[name].startswith(f"v1.{key_id(NEW_KEY)}.")


def test_a_second_rotation_finds_everything_current(app, agency, alice, settings, tmp_path):
    make_candidate(agency, alice)
    keys = {"IDENTITY_KEY": NEW_KEY, "IDENTITY_OLD_KEYS": OLD_KEY}
    assert portal(settings, tmp_path, "identity-key", "rotate", **keys).returncode == 0
    rows = identities()
    again = portal(settings, tmp_path, "identity-key", "rotate", **keys)
    assert again.returncode == 0, again.stderr
    assert "re-sealed 0 identities, 1 already current" in again.stdout
    assert identities() == rows


def test_it_names_the_candidate_whose_identity_does_not_open(
    app, agency, alice, settings, tmp_path
):
    stranger = make_candidate(agency, alice, code="K-ZZZZ-99")
    row = identities()[0]
    # Sealed under a key that is not configured (e.g. one removed too early).
    lost = Vault([new_identity_key()]).seal_identity(
        IdentityData(given_names="Amina", family_name="Haddad"), record_id=row["id"]
    )
    run(
        CandidateIdentity.update(
            {getattr(CandidateIdentity, name): value for name, value in lost.items()}
        ).where(CandidateIdentity.candidate == stranger.id)
    )
    before = identities()

    result = portal(
        settings,
        tmp_path,
        "identity-key",
        "rotate",
        IDENTITY_KEY=NEW_KEY,
        IDENTITY_OLD_KEYS=OLD_KEY,
    )

    assert result.returncode != 0
    assert "K-ZZZZ-99" in result.stderr
    assert "does not open with any configured key" in result.stderr
    assert "Traceback" not in result.stderr
    output = result.stdout + result.stderr
    assert "Haddad" not in output and lost["family_name"] not in output
    assert identities() == before


def test_it_rotates_batch_by_batch(app, agency, alice):
    for _ in range(5):
        make_candidate(agency, alice)
    result = run(rotate_identities(Vault([NEW_KEY, OLD_KEY]), batch_size=2))
    assert (result.resealed, result.current) == (5, 0)
    assert [identity.full_name for identity in opened_with(NEW_KEY)] == ["Amina Haddad"] * 5


def test_it_re_seals_only_what_is_not_current(app, agency, alice):
    make_candidate(agency, alice)
    vault = Vault([NEW_KEY, OLD_KEY])
    run(rotate_identities(vault))
    make_candidate(agency, alice)  # sealed under the old key again
    result = run(rotate_identities(vault))
    assert (result.resealed, result.current) == (1, 1)
