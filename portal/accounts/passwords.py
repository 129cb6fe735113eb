"""Password hashing (argon2id) and the password rules."""

from __future__ import annotations

import functools

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from portal.cpu import run_cpu_bound
from portal.i18n import _

MIN_LENGTH = 12
MAX_LENGTH = 256
# Common German bases that the English-centred list lacks ("Passwort2024!" is as weak as it looks).
GERMAN_BASES = frozenset(
    {
        "passwort", "kennwort", "hallo", "hallo123", "schatz", "fussball", "fußball", "sommer",
        "winter", "geheim", "ichliebedich", "schalke", "bayern", "borussia", "deutschland",
        "willkommen", "sonnenschein",
    }
)  # fmt: skip

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters
# Verified against when the e-mail is unknown, so that the answer takes as long either way:
# made when an app is configured (before it serves a login), not at import — ~0.2 s of CPU in
# every process, a command-line call that never checks a password included.
_dummy_hash: str | None = None


def configure(*, time_cost: int, memory_kib: int, parallelism: int) -> None:
    """Use these argon2id parameters from now on (create_app, from the settings).

    A stored hash made with other parameters still verifies, and is renewed at the next login
    (needs_rehash). Settings refuse weak parameters in production; the tests use cheap ones.
    """
    global _hasher, _dummy_hash
    if (_hasher.time_cost, _hasher.memory_cost, _hasher.parallelism) != (
        time_cost,
        memory_kib,
        parallelism,
    ):
        _hasher = PasswordHasher(
            time_cost=time_cost, memory_cost=memory_kib, parallelism=parallelism
        )
        _dummy_hash = None
    _dummy()


@functools.cache
def _common_passwords() -> frozenset[str]:
    from zxcvbn.frequency_lists import FREQUENCY_LISTS

    return frozenset(FREQUENCY_LISTS["passwords"]) | GERMAN_BASES


def _is_common(password: str) -> bool:
    lowered = password.lower()
    # "password1234!" counts as "password": trailing digits and symbols add little.
    base = lowered.rstrip("0123456789!?.,;:-_#*+ ")
    common = _common_passwords()
    return lowered in common or base in common or len(set(lowered)) < 4


def password_problems(password: str, email: str) -> list[str]:
    """What is wrong with a new password, in the user's language; empty when it is fine."""
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append(_("Use at least %(n)s characters.", n=MIN_LENGTH))
    if len(password) > MAX_LENGTH:
        problems.append(_("Use at most %(n)s characters.", n=MAX_LENGTH))
    lowered = password.lower()
    if _is_common(password):
        problems.append(_("This password is too common. Choose one that is hard to guess."))
    local_part = email.split("@", 1)[0].lower()
    if len(local_part) >= 3 and local_part in lowered:
        problems.append(_("The password must not contain your e-mail address."))
    return problems


async def hash_password(password: str) -> str:
    # ~100 ms of CPU: off the event loop, a bounded number at a time.
    return await run_cpu_bound(_hasher.hash, password)


async def verify_password(password_hash: str, password: str) -> bool:
    def verify() -> bool:
        try:
            return _hasher.verify(password_hash or _dummy(), password) and bool(password_hash)
        except (VerificationError, InvalidHashError):
            return False

    return await run_cpu_bound(verify)


def _dummy() -> str:
    global _dummy_hash
    if _dummy_hash is None:
        _dummy_hash = _hasher.hash("a password nobody has, used to even out timing")
    return _dummy_hash


def needs_rehash(password_hash: str) -> bool:
    return _hasher.check_needs_rehash(password_hash)
