"""The identity vault: field-by-field encryption of candidate identities, and the duplicate hash.

Each personal field is sealed on its own with AES-256-GCM (authenticated: a changed byte fails
to open). The record id and the field name are bound in as associated data, so a ciphertext
copied into another row or column does not open either. A sealed value reads
`v1.<key id>.<base64(nonce + ciphertext)>`; the key id says which key sealed it, so that
`portal identity-key rotate` can re-seal old values under the current key while both keys are
configured (Settings.identity_keys: the current key first).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import re
import unicodedata
from dataclasses import asdict, dataclass, fields
from uuid import UUID

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers.aead import AESGCM

PREFIX = "v1"


class VaultError(Exception):
    """A value cannot be opened: unknown key, or the ciphertext was changed."""


def key_id(key: str) -> str:
    return hashlib.sha256(base64.urlsafe_b64decode(key.encode())).hexdigest()[:8]


@dataclass
class IdentityData:
    """The identity in clear text, as the owning organisation reads and edits it."""

    given_names: str = ""
    family_name: str = ""
    date_of_birth: str = ""  # ISO date, or empty
    phone: str = ""
    email: str = ""
    street: str = ""
    postcode: str = ""
    city: str = ""
    file_number: str = ""
    residence_status: str = ""
    work_access: str = ""  # tables.WorkAccess value
    residence_document_expires: str = ""  # ISO date, or empty
    work_permit_expires: str = ""  # ISO date, or empty
    notes: str = ""

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.given_names, self.family_name) if part)


SEALED_FIELDS = tuple(f.name for f in fields(IdentityData))


class Vault:
    def __init__(self, keys: list[str]) -> None:
        if not keys or not keys[0]:
            raise ValueError("the vault needs at least one key")
        self._ciphers = {key_id(key): AESGCM(base64.urlsafe_b64decode(key)) for key in keys}
        self.current = key_id(keys[0])

    def seal(self, value: str, *, record_id: UUID, field: str) -> str:
        nonce = os.urandom(12)
        sealed = self._ciphers[self.current].encrypt(
            nonce, value.encode(), _associated(record_id, field)
        )
        return f"{PREFIX}.{self.current}.{base64.urlsafe_b64encode(nonce + sealed).decode()}"

    def open(self, token: str, *, record_id: UUID, field: str) -> str:
        try:
            prefix, kid, payload = token.split(".", 2)
            cipher = self._ciphers[kid]
        except (ValueError, KeyError):
            raise VaultError(f"{field}: sealed with an unknown key or not sealed") from None
        if prefix != PREFIX:
            raise VaultError(f"{field}: unknown format")
        try:
            raw = base64.urlsafe_b64decode(payload.encode())
            return cipher.decrypt(raw[:12], raw[12:], _associated(record_id, field)).decode()
        except (InvalidTag, ValueError):
            raise VaultError(f"{field}: the value does not open (changed or moved)") from None

    def is_current(self, token: str) -> bool:
        return token.split(".", 2)[1:2] == [self.current]

    def seal_identity(self, data: IdentityData, *, record_id: UUID) -> dict[str, str]:
        """The sealed columns of CandidateIdentity for `data`."""
        return {
            name: self.seal(value, record_id=record_id, field=name)
            for name, value in asdict(data).items()
        }

    def open_identity(self, row: dict[str, str], *, record_id: UUID) -> IdentityData:
        """Open the sealed columns of a CandidateIdentity row (a dict of its columns)."""
        return IdentityData(
            **{
                name: self.open(row[name], record_id=record_id, field=name) if row[name] else ""
                for name in SEALED_FIELDS
            }
        )


def _associated(record_id: UUID, field: str) -> bytes:
    return f"{record_id}:{field}".encode()


def normalise_name(name: str) -> str:
    """Case, accents, order and punctuation removed: "Müller-Lüdenscheidt, Ána" → "ana
    ludenscheidt muller"."""
    decomposed = unicodedata.normalize("NFKD", name.casefold().replace("ß", "ss"))
    letters = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(sorted(re.findall(r"[^\W\d_]+", letters)))


def duplicate_hash(key: str, full_name: str, date_of_birth: str) -> str:
    """Keyed hash of normalised name + date of birth; empty when either is missing.

    Keyed (HMAC), so that the hashes in the database cannot be confirmed by guessing names and
    birthdays without the key from the settings.
    """
    name = normalise_name(full_name)
    if not name or not date_of_birth:
        return ""
    message = f"{name}|{date_of_birth}".encode()
    return hmac.new(key.encode(), message, hashlib.sha256).hexdigest()
