"""Importing an employer's slots from a spreadsheet: every row through the slot form's own
check (employers.slot_form.check_slot_form), then all of them created in one transaction by
employers.slots.create_slot, as the form would, one by one."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from portal.auth import CurrentUser
from portal.clock import today
from portal.cpu import run_cpu_bound
from portal.employers.slot_form import SlotFields, active_municipality_ids, check_slot_form
from portal.employers.slots import create_slots
from portal.employers.tables import Slot
from portal.i18n import _
from portal.imports.common import (
    Problem,
    column_problems,
    field_problems,
    import_transaction,
    yes_no,
)
from portal.imports.reading import Sheet
from portal.reference.services import OccupationChoice, municipalities, resolve_occupation

KIND = "slots"
COLUMNS = [
    "title",
    "kind",
    "occupation",
    "tasks",
    "requirements",
    "min_german",
    "municipality",
    "schedule",
    "start_date",
    "end_date",
    "duration_days",
    "hours_per_week",
    "places",
    "safety_equipment",
    "hire_possible",
    "shift_work",
    "contact_name",
    "contact_phone",
    "contact_email",
    "publish",
]
REQUIRED = ["title", "kind", "occupation", "tasks", "municipality", "start_date", "end_date"]
BOOLEANS = ("safety_equipment", "hire_possible", "shift_work", "publish")


@dataclass(frozen=True)
class CheckedSlot:
    fields: SlotFields
    publish: bool


async def _occupations(rows: list[tuple[int, dict[str, str]]]) -> dict[str, OccupationChoice]:
    """Each distinct occupation cell resolved as the form's picker resolves typed text (a code,
    "code name", or a name that matches one occupation) — once per distinct value."""
    found: dict[str, OccupationChoice] = {}
    for _number, values in rows:
        text = values.get("occupation", "")
        if text and text not in found:
            found[text] = await resolve_occupation({"occupation_query": text}, "occupation")
    return found


async def _municipality_ids() -> dict[str, str]:
    """A municipality cell (its name, any case, or its number) → its id, active ones only."""
    active = await active_municipality_ids()
    names = {
        str(row["name"]).casefold(): str(row["id"])
        for row in await municipalities()
        if str(row["id"]) in active
    }
    return {**names, **{mid: mid for mid in active}}


def check_rows(
    rows: list[tuple[int, dict[str, str]]],
    *,
    occupations: Mapping[str, OccupationChoice],
    municipality_of: Mapping[str, str],
    municipality_ids: set[str],
) -> tuple[list[Problem], list[CheckedSlot]]:
    """Every row through the slot form's check; every problem by row and column (blocking: runs
    in a worker thread)."""
    on = today()
    problems: list[Problem] = []
    checked: list[CheckedSlot] = []
    for number, cells in rows:
        values = {name: cells.get(name, "") for name in COLUMNS}
        before = len(problems)
        yes_no(problems, number, values, *BOOLEANS)
        values["schedule"] = values["schedule"] or "fixed"
        place = values["municipality"]
        # An unknown name stays as it is: the form's check refuses it ("choose one of…").
        values["municipality"] = municipality_of.get(place.casefold(), place)
        choice = occupations.get(values["occupation"])
        errors, fields = check_slot_form(
            values,
            publishing=values["publish"] == "yes",
            on=on,
            occupation=choice.code if choice else None,
            occupation_error=choice.error if choice else None,
            municipality_ids=municipality_ids,
        )
        problems += field_problems(number, errors)
        if fields is not None and len(problems) == before:
            checked.append(CheckedSlot(fields, values["publish"] == "yes"))
    return problems, checked


async def check_sheet(sheet: Sheet) -> tuple[list[Problem], list[CheckedSlot]]:
    """The dry run: the header's and every row's problems, and the checked slots."""
    problems = column_problems(sheet, COLUMNS, REQUIRED)
    if problems:
        return problems, []
    if not sheet.rows:
        return [Problem(2, "title", _("The file has no rows below the header."))], []
    municipality_of = await _municipality_ids()
    found, checked = await run_cpu_bound(
        functools.partial(
            check_rows,
            sheet.rows,
            occupations=await _occupations(sheet.rows),
            municipality_of=municipality_of,
            municipality_ids=set(municipality_of.values()),
        )
    )
    return found, checked


async def import_slots(user: CurrentUser, slots: list[CheckedSlot], *, address: str) -> int:
    """Create every slot, all or none (one transaction; create_slots' joins it)."""
    async with import_transaction(Slot):
        created = await create_slots(
            user, [(slot.fields, slot.publish) for slot in slots], address=address
        )
    return len(created)


EXAMPLE: dict[str, Any] = {
    "title": "Praktikum Metallbau",
    "kind": "orientation_internship",
    "occupation": "24412",
    "tasks": "Bleche zuschneiden, Bauteile entgraten, beim Schweißen helfen",
    "min_german": "A2",
    "municipality": "Musterstadt",
    "schedule": "fixed",
    "start_date": "2027-03-01",
    "end_date": "2027-03-12",
    "hours_per_week": "35",
    "places": "1",
    "safety_equipment": "yes",
    "hire_possible": "yes",
    "shift_work": "no",
    "contact_name": "Erika Muster",
    "contact_phone": "0561 123456",
    "contact_email": "praktikum@example.org",
    "publish": "no",
}
