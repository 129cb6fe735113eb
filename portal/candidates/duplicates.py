"""Cases that may be the same person: the keyed hash of name and date of birth, the warnings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from portal.candidates.tables import CandidateIdentity
from portal.i18n import _


@dataclass(frozen=True)
class Duplicates:
    """Other cases that may be the same person: elsewhere (never which) and here (codes)."""

    elsewhere: bool = False
    here: list[dict[str, Any]] = field(default_factory=list)


async def duplicates(candidate_id: UUID, organisation_id: UUID, dup_hash: str) -> Duplicates:
    """Cases with the same keyed hash of name and date of birth, not erased: one query."""
    if not dup_hash:
        return Duplicates()
    rows = (
        await CandidateIdentity.select(
            CandidateIdentity.candidate.id.as_alias("id"),
            CandidateIdentity.candidate.code.as_alias("code"),
            CandidateIdentity.candidate.organisation.as_alias("organisation"),
        )
        .where(
            (CandidateIdentity.dup_hash == dup_hash)
            & (CandidateIdentity.candidate != candidate_id)
            & CandidateIdentity.candidate.erased_at.is_null()
        )
        .order_by(CandidateIdentity.candidate.code)
    )
    here = [row for row in rows if row["organisation"] == organisation_id]
    return Duplicates(elsewhere=len(here) < len(rows), here=here)


async def duplicates_of(candidate_id: UUID, organisation_id: UUID) -> list[dict[str, Any]]:
    """The cases of the same organisation that may be the same person (for the overview)."""
    mine = CandidateIdentity.select(CandidateIdentity.dup_hash).where(
        CandidateIdentity.candidate == candidate_id
    )
    return await (
        CandidateIdentity.select(
            CandidateIdentity.candidate.id.as_alias("id"),
            CandidateIdentity.candidate.code.as_alias("code"),
        )
        .where(
            CandidateIdentity.dup_hash.is_in(mine)
            & (CandidateIdentity.dup_hash != "")
            & (CandidateIdentity.candidate != candidate_id)
            & (CandidateIdentity.candidate.organisation == organisation_id)
            & CandidateIdentity.candidate.erased_at.is_null()
        )
        .order_by(CandidateIdentity.candidate.code)
    )


def duplicate_messages(found: Duplicates) -> list[str]:
    """The warnings for a case manager: never which other organisation, nor any detail."""
    messages = []
    if found.elsewhere:
        messages.append(_("This person may already be registered with another organisation."))
    if found.here:
        messages.append(
            _(
                "This person may already be registered in your organisation: %(codes)s.",
                codes=", ".join(row["code"] for row in found.here),
            )
        )
    return messages
