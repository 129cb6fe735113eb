"""The start checklist (PRODUCT.md section 4): complete before the internship starts.

Each item is one row of ChecklistItem, recording who confirmed it and when. Employers see only
whether the placement is ready to start (`is_complete`), never the answers — the work-access
answer tells something of the person's residence status.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from portal.candidates.pii import MESSAGES, find_personal_data
from portal.clock import today
from portal.employers.tables import SlotKind
from portal.forms import Errors, date_within, parse_date, years_from
from portal.i18n import N_, _
from portal.placements.tables import ChecklistItem, PlacementState

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


# -- confirming an item -----------------------------------------------------------------------

# The states in which the checklist is filled in (before the internship starts).
EDITABLE_STATES = frozenset({PlacementState.accepted, PlacementState.preparing})
TEXT_LIMIT = 200


@dataclass(frozen=True)
class Answer:
    """A checked answer to one item: ChecklistItem.value and .detail."""

    item: str
    value: str
    detail: str = ""


def _reference(errors: Errors, data: Mapping[str, str], name: str, *, required: bool) -> str:
    """A reference or a carrier's name: no personal data, but refuse a contact in it."""
    text = " ".join(data.get(name, "").split())
    if required and not text:
        errors.setdefault(name, _("Please fill in this field."))
    elif len(text) > TEXT_LIMIT:
        errors.setdefault(name, _("Please use at most %(n)s characters.", n=TEXT_LIMIT))
    else:
        found = [kind for kind in find_personal_data(text) if kind in ("email", "phone")]
        if found:
            message = MESSAGES[found[0]]
            errors.setdefault(name, _(message))
    return text


def is_filled(item: str, data: Mapping[str, str]) -> bool:
    """Whether the form carries an answer to `item` (its main field is not left empty)."""
    if item == "agreement":
        return data.get("agreement") == "yes"
    if item == "work_access":
        return bool(data.get("work_access") or data.get("work_access_reference", "").strip())
    return bool(data.get(item, "").strip())


def parse_answers(
    pressed: str,
    data: Mapping[str, str],
    slot_kind: str,
    stored: Mapping[str, Mapping[str, Any]],
) -> tuple[list[Answer], Errors]:
    """Every answer the one checklist form carries: the item whose button was pressed (`pressed`,
    may be "" for "confirm all") and each other item filled in and different from what is
    stored. All or nothing: with an error anywhere, no answer is returned (nothing is saved, the
    form comes back with every value typed)."""
    errors = Errors(data)
    required = required_items(slot_kind)
    if pressed and pressed not in required:
        errors["item"] = _("This item is not part of the checklist of this placement.")
        return [], errors
    answers: list[Answer] = []
    for item in required:
        if item != pressed and not is_filled(item, data):
            continue
        answer, item_errors = parse_answer(item, data, slot_kind)
        if answer is None:
            for name, message in item_errors.items():
                errors.setdefault(name, message)
            continue
        found = stored.get(item)
        unchanged = found is not None and (found["value"], found["detail"]) == (
            answer.value,
            answer.detail,
        )
        if item != pressed and unchanged:
            continue
        answers.append(answer)
    if not answers and not errors:
        errors["item"] = _("Fill in at least one item to confirm it.")
    if errors:
        return [], errors
    return answers, errors


def parse_answer(
    item: str, data: Mapping[str, str], slot_kind: str
) -> tuple[Answer | None, Errors]:
    """The answer to `item` from its form (field names as the item's, see checklist.html)."""
    errors = Errors(data)
    if item not in required_items(slot_kind):
        errors["item"] = _("This item is not part of the checklist of this placement.")
        return None, errors
    value, detail = "", ""
    if item == "work_access":
        errors.require(data, "work_access")
        errors.choice(data, "work_access", set(WORK_ACCESS))
        value = data.get("work_access", "")
        detail = _reference(errors, data, "work_access_reference", required=False)
    elif item in ("approval", "insurance"):
        value = _reference(errors, data, item, required=True)
    elif item == "agreement":
        if data.get("agreement") != "yes":
            errors["agreement"] = _("Please confirm that the agreement has been signed.")
        value = "confirmed"
    elif item == "safety_briefing":
        raw, on = data.get("safety_briefing", ""), today()
        day = parse_date(raw) if raw else None
        if not raw:
            errors["safety_briefing"] = _("Please enter the date of the briefing.")
        elif day is None:
            errors["safety_briefing"] = _("Please enter a date such as 02.03.2026.")
        # The briefing is given shortly before the internship: within two years back, one ahead.
        elif date_within(errors, "safety_briefing", day, years_from(on, -2), years_from(on, 1)):
            value = day.isoformat()
    if errors:
        return None, errors
    return Answer(item, value, detail), errors
