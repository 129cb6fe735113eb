"""The start checklist (PRODUCT.md section 4): complete before the internship starts.

Each item is one row of ChecklistItem, recording who confirmed it and when. Employers see only
whether the placement is ready to start (`is_complete`), never the answers — the work-access
answer tells something of the person's residence status.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from portal.employers.tables import SlotKind
from portal.i18n import N_
from portal.placements.tables import ChecklistItem

# How access to work was clarified (item "work_access").
WORK_ACCESS: dict[str, str] = {
    # The foreigners' authority's permit for this employer (Beschäftigungserlaubnis).
    "permit_obtained": N_("Permit for this employer obtained from the foreigners' authority"),
    "not_needed_free": N_("No permit needed: free access to the labour market"),
    # §45 SGB III measures and job shadowing are no employment: no permit is needed for them.
    "not_needed_measure": N_("No permit needed: measure under §45 SGB III"),
    "not_needed_shadowing": N_("No permit needed: job shadowing without employment"),
}

ITEMS: dict[str, str] = {
    "work_access": N_("Access to work clarified"),
    # Only for a measure at an employer (§45 SGB III): the job centre's approval reference.
    "approval": N_("Job centre's approval reference (§45 SGB III)"),
    "insurance": N_("Accident insurance carrier noted"),
    "agreement": N_("Internship agreement confirmed"),
    "safety_briefing": N_("Safety briefing planned"),
}


def required_items(slot_kind: str) -> list[str]:
    """The items a placement at a slot of this kind needs before its start."""
    return [item for item in ITEMS if item != "approval" or slot_kind == SlotKind.employer_measure]


async def items_of(placement_id: Any) -> dict[str, dict[str, Any]]:
    """The confirmed items of a placement, by item code (one query)."""
    rows = await ChecklistItem.select(
        *ChecklistItem.all_columns(),
        ChecklistItem.confirmed_by.display_name.as_alias("confirmed_by_name"),
    ).where(ChecklistItem.placement == placement_id)
    return {row["item"]: row for row in rows}


async def is_complete(placement: Mapping[str, Any]) -> bool:
    """Every required item of the placement's slot kind is confirmed."""
    done = await items_of(placement["id"])
    return all(item in done for item in required_items(placement["slot_kind"]))
