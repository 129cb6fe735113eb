"""Key rotation: re-seal every identity value under the current key (`portal identity-key rotate`).

The procedure (README): IDENTITY_KEY becomes the new key, the old one moves to
IDENTITY_OLD_KEYS, this job re-seals everything, then the old key is removed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from portal.candidates.tables import CandidateIdentity
from portal.candidates.vault import SEALED_FIELDS, Vault, VaultError

BATCH_SIZE = 500


@dataclass
class Rotation:
    resealed: int = 0
    current: int = 0


class RotationError(Exception):
    """A value opens with none of the configured keys; the message names the candidate's code."""

    def __init__(self, message: str, rotation: Rotation) -> None:
        super().__init__(message)
        self.rotation = rotation


async def rotate_identities(vault: Vault, *, batch_size: int = BATCH_SIZE) -> Rotation:
    """Re-seal, batch by batch (each in a transaction), the identities not sealed under the
    current key. Stops at the first value that does not open; earlier rows stay re-sealed,
    that row and the rest are left as they were (running the job again continues)."""
    result = Rotation()
    last_id = None
    while True:
        query = CandidateIdentity.select(
            CandidateIdentity.id,
            *(getattr(CandidateIdentity, name) for name in SEALED_FIELDS),
            CandidateIdentity.candidate.code.as_alias("code"),
        )
        if last_id is not None:
            query = query.where(CandidateIdentity.id > last_id)
        # Keyset pagination on the primary key: no OFFSET, and rows re-sealed meanwhile do not
        # shift the batches.
        rows = await query.order_by(CandidateIdentity.id).limit(batch_size)
        if not rows:
            return result
        last_id = rows[-1]["id"]
        changes: list[tuple[dict[str, Any], dict[str, str]]] = []
        failure: RotationError | None = None
        for row in rows:
            try:
                resealed = _reseal(vault, row)
            except VaultError:
                failure = RotationError(
                    f"the identity of candidate {row['code']} does not open with any configured "
                    "key (IDENTITY_KEY, IDENTITY_OLD_KEYS); nothing was changed for it",
                    result,
                )
                break
            if resealed:
                changes.append((row, resealed))
            else:
                result.current += 1
        written = await _store(changes)
        result.resealed += written
        result.current += len(changes) - written  # edited (and so re-sealed) meanwhile
        if failure is not None:
            raise failure


def _reseal(vault: Vault, row: dict[str, Any]) -> dict[str, str]:
    """The row's values that are not under the current key, re-sealed; {} when all are."""
    return {
        name: vault.seal(
            vault.open(row[name], record_id=row["id"], field=name), record_id=row["id"], field=name
        )
        for name in SEALED_FIELDS
        if row[name] and not vault.is_current(row[name])
    }


async def _store(changes: list[tuple[dict[str, Any], dict[str, str]]]) -> int:
    """Write one batch in a transaction; the count of rows written."""
    written = 0
    async with CandidateIdentity._meta.db.transaction():
        for row, resealed in changes:
            # Only if the old values are still there: an identity edited in the meantime was
            # sealed by the app under the current key already and must not be overwritten.
            unchanged = CandidateIdentity.id == row["id"]
            for name in resealed:
                unchanged &= getattr(CandidateIdentity, name) == row[name]
            updated = (
                await CandidateIdentity.update(
                    {getattr(CandidateIdentity, name): value for name, value in resealed.items()}
                )
                .where(unchanged)
                .returning(CandidateIdentity.id)
            )
            written += len(updated)
    return written
