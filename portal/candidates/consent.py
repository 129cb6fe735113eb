"""Consent: what the person agreed to (PRODUCT.md section 3)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from portal.candidates.tables import Consent


async def active_consent(candidate_id: UUID) -> dict[str, Any] | None:
    """The consent in force (not withdrawn, not superseded), or None."""
    return await (
        Consent.select()
        .where((Consent.candidate == candidate_id) & Consent.ended_at.is_null())
        .order_by(Consent.recorded_at, ascending=False)
        .first()
    )
