from argon2 import PasswordHasher

from portal.accounts.passwords import needs_rehash
from portal.accounts.tables import Role, User
from tests.conftest import run
from tests.factories import PASSWORD, login, make_org, make_user


def test_it_rehashes_a_password_with_outdated_parameters_at_login(client):
    user = make_user(make_org(), Role.employer_member)
    old_hash = PasswordHasher(time_cost=1, memory_cost=8192, parallelism=1).hash(PASSWORD)
    run(User.update({User.password_hash: old_hash}).where(User.id == user.id))
    assert needs_rehash(old_hash)

    login(client, user.email)

    new_hash = run(User.select(User.password_hash).where(User.id == user.id).first())[
        "password_hash"
    ]
    assert new_hash != old_hash
    assert new_hash.startswith("$argon2id$")
    assert not needs_rehash(new_hash)
    # The session survives the new hash (its fingerprint was taken from the new one).
    assert client.get("/account", follow_redirects=False).status_code == 200
