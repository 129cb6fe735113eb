"""Writing to the audit log (append-only, chained: chain.py)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from portal.audit import chain


async def record(
    action: str,
    *,
    record_type: str,
    record_id: UUID | str,
    actor_id: UUID | None = None,
    actor_organisation_id: UUID | None = None,
    address: str = "",
    **detail: Any,
) -> None:
    """One row per event; `detail` holds ids and codes only, never personal data."""
    await chain.append(
        action,
        record_type=record_type,
        record_id=str(record_id),
        actor_id=actor_id,
        actor_organisation_id=actor_organisation_id,
        address=address[:45],
        detail=detail,
    )


async def record_many(
    action: str,
    *,
    record_type: str,
    record_ids: list[UUID],
    actor_id: UUID | None = None,
    actor_organisation_id: UUID | None = None,
    address: str = "",
    **detail: Any,
) -> None:
    """The same event for many records (an import), appended to the chain at once."""
    await chain.append_many(
        [
            {
                "action": action,
                "record_type": record_type,
                "record_id": str(record_id),
                "actor_id": actor_id,
                "actor_organisation_id": actor_organisation_id,
                "address": address[:45],
                "detail": detail,
            }
            for record_id in record_ids
        ]
    )
